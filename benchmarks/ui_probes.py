"""Event-loop instruments for ``ui.py``: a stall probe, the idle floor, waiting for a
signal, and synthetic wheel input.

They measure the GUI thread from inside it (timer gaps and thread CPU time), so the
script's cases stay about what is opened and scrolled, not how it is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEventLoop, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from clinic_app.ui.workers import WorkerPool


def wait_for(signal, accept: Callable[..., bool] = lambda *a: True, timeout_ms: int = 600_000) -> None:
    loop = QEventLoop()
    ok = {"v": False}

    def slot(*args: object) -> None:
        if accept(*args):
            ok["v"] = True
            loop.quit()

    signal.connect(slot)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(slot)
    if not ok["v"]:
        raise TimeoutError(f"timed out waiting for {signal}")


class StallProbe:
    """A 5 ms timer; the gaps between its ticks are how long the event loop was busy."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.cpu: list[float] = []  # GUI-thread CPU time within each gap
        self._last = 0.0
        self._cpu = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        cpu = time.thread_time() * 1000
        self.gaps.append(now - self._last)
        self.cpu.append(cpu - self._cpu)
        self._last = now
        self._cpu = cpu

    def start(self) -> None:
        self.gaps = []
        self.cpu = []
        self.clock.start()
        self._last = 0.0
        self._cpu = time.thread_time() * 1000
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        gaps = np.array(self.gaps or [0.0])
        worst = int(gaps.argmax())
        return {"max_ms": float(gaps.max()), "p99_ms": float(np.percentile(gaps, 99)),
                "cpu_in_max_ms": float(self.cpu[worst]) if self.cpu else 0.0,
                "ticks": len(self.gaps), "seconds": self.clock.nsecsElapsed() / 1e9}


def idle_floor(probe: StallProbe, pool: WorkerPool, ms: int = 1000) -> dict[str, float]:
    """The probe with nothing to do, just before a measured open (once the last open's
    side tasks are done): on a loaded machine the OS alone stalls the event loop this
    long, so a freeze is read against this floor, measured under the same load."""
    deadline = QElapsedTimer()
    deadline.start()
    while pool.active_count and deadline.elapsed() < 60_000:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    probe.start()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    return probe.stop()


def wheel(canvas, notches: int) -> None:
    pos = QPointF(canvas.width() / 2, canvas.height() / 2)
    QApplication.sendEvent(canvas, QWheelEvent(
        pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))
