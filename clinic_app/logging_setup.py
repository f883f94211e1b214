"""Application logging: a rotating file in a documented place, never patient data.

The library only logs through ``logging.getLogger("clinic_app")``; this module, called
by the CLI and GUI entry points, decides where that goes. Messages are written without
patient data by construction (ids, counts, error types). Unexpected exceptions are logged
as type plus stack frames, without their message, because a message from a third-party
library can quote a file path or header value that identifies a patient.

Where and how much (documented in docs/configuration.md): ``clinic-app.log`` in the
``log_dir`` setting (default: the platform's per-user log folder), rotated at
``MAX_BYTES`` with ``BACKUP_COUNT`` old files kept, so the log never grows past ~30 MB.
Times are UTC, like the audit log, so the two can be read side by side.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import time
import traceback
from pathlib import Path

LOG_FILE = "clinic-app.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
#: Third-party loggers whose messages can quote DICOM header values (names, UIDs).
QUIET_LOGGERS = ("pydicom", "highdicom", "pynetdicom")


class _UtcFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


def configure(log_dir: Path, *, verbose: bool = False, max_bytes: int = MAX_BYTES,
              backup_count: int = BACKUP_COUNT) -> Path | None:
    """Send the ``clinic_app`` logger to a rotating file; None if the folder is unusable.

    An unusable log folder must not stop a clinician from working, so it is not an
    error here; ``clinic-app --self-test`` reports it as a failure for IT to fix.
    Calling this again (a second login, a test) replaces the handler, never doubles it.
    """
    root = logging.getLogger("clinic_app")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        if getattr(h, "_clinic_app", False):
            root.removeHandler(h)
            h.close()
    path = log_dir / LOG_FILE
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    except (OSError, ValueError):
        return None
    # The log holds no PHI, but it is nobody else's business either: owner-only.
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._clinic_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _quiet_third_parties()
    return path


def _quiet_third_parties() -> None:
    """pydicom warns with header values (names, UIDs) in the text; keep those out."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger(name).propagate = False


def log_unexpected(exc: BaseException) -> None:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logging.getLogger("clinic_app").error("unexpected %s\n%s", type(exc).__name__, frames)
