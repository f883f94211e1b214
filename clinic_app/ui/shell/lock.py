"""The lock screen that replaces every workspace while a session is locked.

It offers two ways out: the locked user's password (``auth.unlock``, which is a full
sign-in and counts towards lockout), or another user's sign-in, which ends the first
user's session (the shell logs it out and builds a new window for the second user).
Both run Argon2id, so both run in workers with a busy bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.security.passwords import normalise_username
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.formatting import role_title
from clinic_app.ui.login.password_change import complete_forced_change
from clinic_app.ui.login.password_field import PasswordField
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import WorkerPool


class LockScreen(QWidget):
    unlocked = Signal()
    #: Another user signed in here; carries their (usable) Session.
    other_user_signed_in = Signal(object)
    quit_requested = Signal()

    def __init__(self, services: Services, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("Session locked"))
        self.services = services
        self.session = session
        # Its own pool: the window cancels and drains the workspace pool when it locks.
        self.pool = WorkerPool(self)
        #: Called before an unlock attempt; the window uses it to make sure the keys are
        #: dropped first, so the password is always checked (unlock of an unlocked session
        #: would succeed without one).
        self.before_unlock: Callable[[], None] = lambda: None

        card = QFrame(self)
        card.setObjectName("lockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(520)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QLabel(self.tr("Session locked"), card)
        heading.setProperty("heading", True)
        layout.addWidget(heading)
        self.reason = QLabel("", card)
        self.reason.setObjectName("lockReason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)

        # -- the same user ------------------------------------------------------------
        self.password = PasswordField(self.tr("Password for {username}").format(username=session.username), card)
        self.password.setObjectName("unlockPassword")
        form = QFormLayout()
        label = QLabel(self.tr("&Password:"), card)
        label.setBuddy(self.password.edit)
        form.addRow(label, self.password)
        layout.addLayout(form)
        self.unlock_button = QPushButton(self.tr("Unlock"), card)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.password.returnPressed.connect(self.unlock)

        # -- another user -------------------------------------------------------------
        self.other_toggle = QPushButton(self.tr("Not {username}? Sign in as another user…").format(
                                            username=session.username), card)
        self.other_toggle.setObjectName("otherUserToggle")
        self.other_toggle.setFlat(True)
        self.other_toggle.clicked.connect(lambda: self.show_other_user(True))
        self.other_box = QFrame(card)
        other_layout = QVBoxLayout(self.other_box)
        other_layout.setContentsMargins(0, 8, 0, 0)
        rule = QFrame(self.other_box)
        rule.setFrameShape(QFrame.Shape.HLine)
        other_layout.addWidget(rule)
        other_heading = QLabel(self.tr("Sign in as another user"), self.other_box)
        other_heading.setStyleSheet("font-weight: 600;")
        other_layout.addWidget(other_heading)
        other_layout.addWidget(QLabel(
            self.tr("{username}'s session ends when they sign in; unsaved work is not kept.").format(
                username=session.username),
            self.other_box, wordWrap=True))
        other_form = QFormLayout()
        other_layout.addLayout(other_form)
        self.other_name = QLineEdit(self.other_box)
        self.other_name.setObjectName("otherUsername")
        self.other_name.setAccessibleName(self.tr("Other user name"))
        self.other_name.setMaxLength(256)
        self.other_password = PasswordField(self.tr("Other user password"), self.other_box)
        self.other_password.setObjectName("otherPassword")
        self.other_password.watch(self.other_name)
        other_form.addRow(self.tr("&User name:"), self.other_name)
        other_form.addRow(self.tr("Pass&word:"), self.other_password)
        self.other_button = QPushButton(self.tr("Sign in and end this session"), self.other_box)
        self.other_button.setObjectName("otherSignInButton")
        self.other_button.clicked.connect(self.sign_in_other)
        self.other_password.returnPressed.connect(self.sign_in_other)
        self.other_name.returnPressed.connect(self.other_password.setFocus)
        other_form.addRow("", self.other_button)
        self.other_box.setVisible(False)

        self.message = QLabel("", card)
        self.message.setObjectName("message")
        self.message.setAccessibleName(self.tr("Lock screen message"))
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.busy = QProgressBar(card)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Checking password"))
        self.busy.setVisible(False)
        quit_button = QPushButton(self.tr("Quit"), card)
        quit_button.setObjectName("lockQuitButton")
        quit_button.clicked.connect(self.quit_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addSpacing(8)
        layout.addWidget(self.other_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.other_box)

    # -- state ---------------------------------------------------------------------------
    def reset(self, reason: str) -> None:
        """Prepare for a new lock: empty fields, the reason, focus on the password."""
        who = f"{self.session.username} ({role_title(self.session.role.value)})"
        self.reason.setText(self.tr("{reason} Signed in: {who}. Enter the password to continue.").format(
                                reason=reason, who=who))
        for field in (self.password, self.other_password):
            field.clear()
        self.other_name.clear()
        self.message.setVisible(False)
        self.show_other_user(False)
        self._set_busy(False)
        self.password.setFocus()

    def show_other_user(self, show: bool) -> None:
        self.other_box.setVisible(show)
        self.other_toggle.setVisible(not show)
        if show:
            self.other_name.setFocus()

    def _say(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        set_banner(self.message, kind)
        self.message.setVisible(True)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for w in (self.password, self.unlock_button, self.other_name, self.other_password,
                  self.other_button):
            w.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ClinicAppError):
            self._say(str(exc))
        else:
            show_error(self, exc)

    # -- the same user -------------------------------------------------------------------
    def unlock(self) -> None:
        password = self.password.text()
        if not password:
            self._say(self.tr("Type the password."))
            return
        self.password.clear()
        self.before_unlock()
        self._set_busy(True)
        auth, session = self.services.auth, self.session
        self.pool.submit(lambda _p, _c: auth.unlock(session, password), name="unlock",
                         on_result=lambda _r: self._unlocked(), on_error=self._failed)

    def _unlocked(self) -> None:
        self._set_busy(False)
        self.unlocked.emit()

    # -- another user --------------------------------------------------------------------
    def sign_in_other(self) -> None:
        name, password = self.other_name.text(), self.other_password.text()
        if not name.strip() or not password:
            self._say(self.tr("Type the user name and the password."))
            return
        if normalise_username(name) == self.session.username:
            self.password.edit.setText(password)
            self.other_password.clear()
            self.unlock()
            return
        self.other_password.clear()
        self._set_busy(True)
        auth = self.services.auth
        self.pool.submit(lambda _p, _c: auth.login(name, password), name="sign in",
                         on_result=lambda s: self._other_signed_in(s, password),
                         on_error=self._failed)

    def _other_signed_in(self, session: Session, password: str) -> None:
        self._set_busy(False)
        if not complete_forced_change(self.services, session, password, self.pool, self):
            self._say(self.tr("The new user must choose a password before continuing."), "warn")
            return
        self.other_user_signed_in.emit(session)
