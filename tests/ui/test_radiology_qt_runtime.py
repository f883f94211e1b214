"""The GUI survives long sessions of Qt calls (PySide6 6.12.0 leaks None per void call, True per emit)."""

from __future__ import annotations

import subprocess
import sys

SCROLL_SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import clinic_app.ui  # applies the guard before any widget exists
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
class Canvas(QObject):
    slice_changed = Signal(int)
app = QApplication([])
w, canvas = QWidget(), Canvas()
for k in range(300_000):  # ~ an hour of scrolling: a repaint request and a signal per frame
    w.update()
    canvas.slice_changed.emit(k)
print("alive")
"""


def test_hundreds_of_thousands_of_void_qt_calls_do_not_abort_the_interpreter():
    """A long session of void Qt calls and signal emits ends normally, not in none/bool_dealloc."""
    result = subprocess.run([sys.executable, "-c", SCROLL_SESSION], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"
