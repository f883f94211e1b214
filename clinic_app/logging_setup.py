"""Application logging: a rotating file in a documented place, never patient data.

The library only logs through ``logging.getLogger("clinic_app")``; this module, called
by the CLI and GUI entry points, decides where that goes. Messages are written without
patient data by construction (ids, counts, error types). Unexpected exceptions are logged
as type plus stack frames, without their message, because a message from a third-party
library can quote a file path or header value that identifies a patient.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

LOG_FILE = "clinic-app.log"


def configure(log_dir: Path, *, verbose: bool = False) -> Path | None:
    root = logging.getLogger("clinic_app")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        if getattr(h, "_clinic_app", False):
            root.removeHandler(h)
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._clinic_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _quiet_third_parties()
    return log_dir / LOG_FILE


def _quiet_third_parties() -> None:
    """pydicom warns with header values (names, UIDs) in the text; keep those out."""
    for name in ("pydicom", "highdicom"):
        logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger(name).propagate = False


def log_unexpected(exc: BaseException) -> None:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logging.getLogger("clinic_app").error("unexpected %s\n%s", type(exc).__name__, frames)
