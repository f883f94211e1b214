"""The capture machinery of scripts/screenshots.py: waiting on the event loop, the demo store
the screens share, and saving a screen's PNG (with, under --leftovers, the English texts
still on it, as listed by tests/i18n_walk.py).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

from clinic_app.config import Settings
from clinic_app.demo import DemoPlan, build_demo
from clinic_app.services import Services

ROOT = Path(__file__).resolve().parents[1]

#: The two screen sizes physicians' and radiologists' screens have.
SIZES = ((1280, 800), (1920, 1080))

#: The theme of this run; physician screens carry it in their names (charts must read in both).
THEME = ["dark"]


def wait_for(signal: SignalInstance, accept: Callable[..., bool] = lambda *a: True,
             timeout_ms: int = 60_000) -> None:
    """Run the event loop until ``signal`` fires with arguments ``accept`` likes."""
    loop = QEventLoop()
    done = {"ok": False}

    def slot(*args: object) -> None:
        if accept(*args):
            done["ok"] = True
            loop.quit()

    signal.connect(slot)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(slot)
    if not done["ok"]:
        raise TimeoutError(f"no {signal} within {timeout_ms} ms")


def settle(ms: int = 150) -> None:
    """Let queued paints and layouts run (screenshots only; tests wait on signals)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


#: Set by --leftovers: the file each screen's remaining English texts are appended to.
LEFTOVERS: Path | None = None


def save(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    if LEFTOVERS is not None:
        sys.path.insert(0, str(ROOT))
        from tests.i18n_walk import leftovers

        with LEFTOVERS.open("a", encoding="utf-8") as listing:
            listing.write(f"## {name}\n" + "".join(f"  {t}\n" for t in leftovers(widget)))
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


class Demo:
    """A demo store built once per run, shared by the screens that need one."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="clinic-shots-")
        self.root = Path(self._tmp.name)
        self.settings = Settings(store_dir=self.root / "store", log_dir=self.root / "logs")
        build_demo(self.settings, DemoPlan(), report=lambda _t: None)
        self.services = Services(self.settings)

    def close(self) -> None:
        self.services.close()
        self._tmp.cleanup()


def wait_until(ready: Callable[[], bool], timeout_ms: int = 60_000) -> None:
    """Run the event loop until ``ready()`` (polled every 20 ms; screenshots only)."""
    clock = 0
    while not ready():
        settle(20)
        clock += 20
        if clock > timeout_ms:
            raise TimeoutError("the screen did not get ready")


def demo_user(role: str) -> tuple[str, str]:
    from clinic_app.demo import DEMO_USERS

    user = next(u for u in DEMO_USERS if u.role.value == role)
    return user.username, user.password

