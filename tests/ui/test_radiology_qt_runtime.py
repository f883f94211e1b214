"""The GUI survives long sessions of Qt calls (PySide6 6.12.0 leaks a reference to None per void call)."""

from __future__ import annotations

import subprocess
import sys

SCROLL_SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import clinic_app.ui  # applies the guard before any widget exists
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
for _ in range(300_000):  # ~ a radiologist scrolling a CT for an hour: update() per frame and more
    w.update()
print("alive")
"""


def test_hundreds_of_thousands_of_void_qt_calls_do_not_abort_the_interpreter():
    """A long session of void Qt calls (update, setText, draw…) ends normally, not in none_dealloc."""
    result = subprocess.run([sys.executable, "-c", SCROLL_SESSION], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"
