"""The sign-in dialog: user name, password, Caps Lock warning, clear failure messages.

The message for a wrong password and for an unknown user is the service's single
``INVALID_LOGIN`` text, so the dialog cannot reveal which names exist; lockout and
disabled-account messages are the service's too. Argon2id makes a sign-in take a few
tenths of a second, so it runs in a worker while the dialog shows a busy bar. When the
account must change its password the change dialog follows at once (at a first sign-in
that also makes the person's own keys), then the key-custody notices (own fingerprint,
grant requests to decide), and the dialog only accepts once the session is usable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from clinic_app import __version__
from clinic_app.errors import ClinicAppError
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services import Services, Session
from clinic_app.services.auth import INVALID_LOGIN
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.login.grant_requests import custody_notices
from clinic_app.ui.login.password_change import complete_forced_change
from clinic_app.ui.login.password_field import PasswordField
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import WorkerPool

PASSWORD_CHANGE_NEEDED = QT_TRANSLATE_NOOP("login.dialog", "You must choose a new password before you can "
                                                           "continue.")


class LoginDialog(QDialog):
    """Modal sign-in. After ``exec()`` returns Accepted, ``session`` is a usable session."""

    def __init__(self, services: Services, pool: WorkerPool, parent: QWidget | None = None,
                 *, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("clinic-app — Sign in"))
        self.services = services
        self.pool = pool
        self.session: Session | None = None
        self._abandoned = False

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("clinic-app"), self)
        title.setProperty("heading", True)
        layout.addWidget(title)
        where = QLabel(self.tr("Version {version__} · encrypted store at {store_dir}").format(
                           version__=__version__, store_dir=services.settings.store_dir), self)
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setProperty("hint", True)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        form = QFormLayout()
        self.username = QLineEdit(username, self)
        self.username.setObjectName("usernameEdit")
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setMaxLength(256)
        self.password = PasswordField(self.tr("Password"), self)
        self.password.watch(self.username)
        user_label = QLabel(self.tr("&User name:"), self)
        user_label.setBuddy(self.username)
        pass_label = QLabel(self.tr("&Password:"), self)
        pass_label.setBuddy(self.password.edit)
        form.addRow(user_label, self.username)
        form.addRow(pass_label, self.password)
        layout.addLayout(form)

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Sign-in message"))
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Signing in"))
        self.busy.setVisible(False)
        layout.addWidget(self.busy)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        self.sign_in_button.setObjectName("signInButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.returnPressed.connect(self.submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.setMinimumWidth(420)
        (self.password if username else self.username).setFocus()

    # -- messages ------------------------------------------------------------------------
    def show_message(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        set_banner(self.message, kind)
        self.message.setVisible(True)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)

    # -- sign in -------------------------------------------------------------------------
    def submit(self) -> None:
        name, password = self.username.text(), self.password.text()
        if not name.strip():
            self.show_message(self.tr("Type your user name."))
            self.username.setFocus()
            return
        if not password:
            self.show_message(self.tr("Type your password."))
            self.password.setFocus()
            return
        self.message.setVisible(False)
        self._abandoned = False
        self._set_busy(True)
        auth = self.services.auth
        self.pool.submit(lambda _p, _c: auth.login(name, password), name="sign in",
                         on_result=lambda s: self._signed_in(s, password), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, ClinicAppError):
            # The service's one message for a wrong name or password, in the reader's language.
            self.show_message(self.tr("Invalid user name or password.") if str(exc) == INVALID_LOGIN
                              else str(exc))
        else:
            show_error(self, exc)

    def reject(self) -> None:
        self._abandoned = True
        super().reject()

    def _signed_in(self, session: Session, password: str) -> None:
        if self._abandoned:  # the user quit while the sign-in was running
            self.services.auth.logout(session)
            return
        self._set_busy(False)
        self.password.clear()
        enrolling = session.enrolling
        if not complete_forced_change(self.services, session, password, self.pool, self):
            self.show_message(translate_any(PASSWORD_CHANGE_NEEDED), "warn")
            self.password.setFocus()
            return
        custody_notices(self.services, session, self, enrolled_now=enrolling)
        self.session = session
        self.accept()
