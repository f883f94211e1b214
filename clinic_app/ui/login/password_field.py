"""A password line edit with a Caps Lock warning, shared by every screen that asks for one.

Qt has no portable query for the Caps Lock state, so it is inferred from what is typed:
a letter that comes out upper-case without Shift (or lower-case with Shift) means Caps
Lock is on. The warning appears after the first such letter and goes once a letter
comes out the normal way; the typed text is never inspected otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any

CAPS_LOCK_TEXT = QT_TRANSLATE_NOOP("login.password_field", "Caps Lock is on.")


def caps_lock_from_key(event: QKeyEvent) -> bool | None:
    """True/False when the key tells us the Caps Lock state, None when it cannot."""
    text = event.text()
    if len(text) != 1 or not text.isalpha() or text.upper() == text.lower():
        return None
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


class CapsLockWatcher(QObject):
    """Event filter for line edits that emits the inferred Caps Lock state when it changes."""

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.caps_on = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            state = caps_lock_from_key(event)
            if event.key() == Qt.Key.Key_CapsLock:
                state = not self.caps_on
            if state is not None and state != self.caps_on:
                self.caps_on = state
                self.changed.emit(state)
        return False


class PasswordField(QWidget):
    """A masked line edit plus its Caps Lock warning line."""

    returnPressed = Signal()

    def __init__(self, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name or self.tr("Password"))
        self.edit.setObjectName("passwordEdit")
        self.edit.setMaxLength(1024)
        self.edit.returnPressed.connect(self.returnPressed)
        self.caps_warning = QLabel(translate_any(CAPS_LOCK_TEXT), self)
        self.caps_warning.setObjectName("capsLockWarning")
        self.caps_warning.setAccessibleName(self.tr("Caps Lock warning"))
        self.caps_warning.setProperty("banner", "warn")
        self.caps_warning.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.caps_warning)
        self.watcher = CapsLockWatcher(self)
        self.edit.installEventFilter(self.watcher)
        self.watcher.changed.connect(self.caps_warning.setVisible)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def clear(self) -> None:
        self.edit.clear()

    def watch(self, other: QLineEdit) -> None:
        """Let typing in another field (the user name) also reveal the Caps Lock state."""
        other.installEventFilter(self.watcher)
