"""Change password: forced after an IT reset or first sign-in, or chosen by the user.

A forced change already has the current password (typed at sign-in a moment ago), so it
asks only for the new one twice. The new password is checked by the service against the
site policy (length after NIST SP 800-63B); the dialog only says what the policy is.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.ui.login.password_field import PasswordField
from clinic_app.ui.task_dialog import TaskDialog
from clinic_app.ui.workers import TaskFn, WorkerPool


class ChangePasswordDialog(TaskDialog):
    def __init__(self, services: Services, session: Session, pool: WorkerPool, *,
                 current: str | None = None, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        policy = services.settings.password_min_length
        super().__init__(
            pool, self.tr("Change password"),
            (self.tr("Your password must be changed before you continue: it was set by IT. ")
             + (self.tr("The app then creates your own keys on the password you choose; IT never "
                "learns it. ") if session.enrolling else "")
             if forced else "") +
            self.tr("Choose a password of at least {policy} characters; a few unrelated words make a strong "
                    "one that is easy to type.").format(policy=policy),
            self.tr("Change password"), parent)
        self.setObjectName("changePasswordDialog")
        self.services = services
        self.session = session
        self._current = current
        self.current_field: PasswordField | None = None
        if current is None:
            self.current_field = PasswordField(self.tr("Current password"), self)
            self.form.addRow(self.tr("&Current password:"), self.current_field)
        self.new_field = PasswordField(self.tr("New password"), self)
        self.repeat_field = PasswordField(self.tr("Repeat new password"), self)
        self.form.addRow(self.tr("&New password:"), self.new_field)
        self.form.addRow(self.tr("&Repeat:"), self.repeat_field)
        self.repeat_field.returnPressed.connect(self.submit)
        (self.current_field or self.new_field).setFocus()

    def problem(self) -> str | None:
        if not self.new_field.text():
            return self.tr("Type a new password.")
        if self.new_field.text() != self.repeat_field.text():
            self.repeat_field.clear()
            return self.tr("The two new passwords are different; type them again.")
        return None

    def task(self) -> TaskFn:
        current = self._current if self.current_field is None else self.current_field.text()
        new = self.new_field.text()
        auth, session = self.services.auth, self.session
        return lambda _p, _c: auth.change_password(session, current or "", new)

    def failed(self, exc: ClinicAppError) -> None:
        self.new_field.clear()
        self.repeat_field.clear()
        (self.current_field or self.new_field).setFocus()

    def accept(self) -> None:
        self._current = None
        super().accept()


def complete_forced_change(services: Services, session: Session, password: str,
                           pool: WorkerPool, parent: QWidget | None) -> bool:
    """After a sign-in: make the user change a password that must change.

    True if the session is usable; False if they declined (the session is then ended).
    """
    if not session.must_change_password:
        return True
    dialog = ChangePasswordDialog(services, session, pool, current=password, forced=True,
                                  parent=parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return True
    services.auth.logout(session)
    return False
