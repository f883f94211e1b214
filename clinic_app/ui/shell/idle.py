"""Idle detection for the automatic lock (HIPAA 164.312(a)(2)(iii), automatic logoff).

The session's own ``last_activity`` (kept by the service layer) is the one clock: every
service call touches it, and this watcher adds user input (keys, clicks, wheel, mouse
moves) through ``auth.note_activity``, so a user reading images without calling a
service is not locked mid-read. A timer asks ``auth.is_idle`` every few seconds; time
comes from the services' clock, so tests drive it with a ManualClock and call
:meth:`IdleWatcher.check_now` instead of waiting.

Input is counted only while the window is unlocked: typing a password on the lock
screen must not count as the locked user's activity.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from clinic_app.services import Services, Session

ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})

#: How often to look; the lock fires at most this much after the timeout.
CHECK_INTERVAL_MS = 5_000


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, services: Services, session: Session, parent: QObject | None = None,
                 *, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.paused and event.type() in ACTIVITY_EVENTS:
            self.services.auth.note_activity(self.session)
        return False

    def check_now(self) -> bool:
        """Emit ``idle`` (once per lock) if the timeout has run out; True if it has.

        A session the service layer already locked (a call made after the timeout) counts
        too, so the screen never stays open over a session without keys.
        """
        if self.paused:
            return False
        if not (self.session.locked or self.services.auth.is_idle(self.session)):
            return False
        self.paused = True
        self.idle.emit()
        return True
