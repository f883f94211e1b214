"""Dialogs for account administration: new user, reset password / change role, recovery.

An admin never learns a user's own password: new accounts and resets get a temporary
password that the user must change at first sign-in (the service sets that flag). The
"Generate" button makes one that is easy to read aloud (no 0/O, 1/l look-alikes).
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from clinic_app.core.security.roles import Role
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.accounts import UserSummary
from clinic_app.ui.formatting import role_title
from clinic_app.ui.login.password_field import PasswordField
from clinic_app.ui.task_dialog import TaskDialog
from clinic_app.ui.workers import TaskFn, WorkerPool

_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password(groups: int = 4, size: int = 4) -> str:
    """About 79 bits in four dash-separated groups, e.g. 'k7mq-x2pa-...'."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(size)) for _ in range(groups))


def selected_role(combo: QComboBox) -> Role:
    """The role chosen in a role combo (Qt hands item data back as plain text)."""
    return Role(combo.currentData())


def _role_combo(parent: QWidget, current: Role | None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName("roleCombo")
    combo.setAccessibleName(QCoreApplication.translate("admin.account_dialogs", "Role"))
    for role in (Role.RADIOLOGIST, Role.PHYSICIAN, Role.ADMIN):
        combo.addItem(role_title(role.value), role)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current))
    return combo


class _TemporaryPasswordDialog(TaskDialog):
    """Shared part: a temporary password typed twice, or generated and shown."""

    def __init__(self, services: Services, session: Session, pool: WorkerPool, title: str,
                 intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(pool, title, intro, ok_text, parent)
        self.services = services
        self.session = session
        self.min_length = services.settings.password_min_length
        self.password = PasswordField(self.tr("Temporary password"), self)
        self.password.setObjectName("temporaryPassword")
        self.repeat = PasswordField(self.tr("Repeat temporary password"), self)
        self.repeat.setObjectName("temporaryRepeat")
        self.generate = QPushButton(self.tr("&Generate"), self)
        self.generate.setObjectName("generateButton")
        self.generate.setToolTip(self.tr("Make a random temporary password and show it, to hand over"))
        self.generate.clicked.connect(self._generate)
        self._row = QWidget(self)
        row = QHBoxLayout(self._row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.password, 1)
        row.addWidget(self.generate)

    def add_password_rows(self) -> None:
        self.form.addRow(self.tr("&Temporary password:"), self._row)
        self.form.addRow(self.tr("&Repeat:"), self.repeat)

    def _generate(self) -> None:
        value = temporary_password()
        for field in (self.password, self.repeat):
            field.edit.setEchoMode(QLineEdit.EchoMode.Normal)
            field.edit.setText(value)

    def password_problem(self) -> str | None:
        if len(self.password.text()) < self.min_length:
            return self.tr("The temporary password needs at least {min_length} characters.").format(
                       min_length=self.min_length)
        if self.password.text() != self.repeat.text():
            return self.tr("The two passwords are different.")
        return None

    def failed(self, exc: ClinicAppError) -> None:
        if "password" in str(exc).lower():
            self.password.clear()
            self.repeat.clear()


class NewUserDialog(_TemporaryPasswordDialog):
    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            services, session, pool, self.tr("New user"),
            self.tr("The user signs in with the temporary password and must choose their own at "
            "once; the app then creates their keys on it. A clinician's access to patient "
            "data is granted only when a clinician who has it approves their request."),
            self.tr("Create user"), parent)
        self.setObjectName("newUserDialog")
        self.name = QLineEdit(self)
        self.name.setObjectName("newUsername")
        self.name.setAccessibleName(self.tr("User name"))
        self.name.setMaxLength(64)
        self.name.setPlaceholderText(self.tr("for example jsmith"))
        self.role = _role_combo(self, None)
        self.form.addRow(self.tr("User &name:"), self.name)
        self.form.addRow(self.tr("R&ole:"), self.role)
        self.add_password_rows()
        self.name.setFocus()

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return self.tr("Type a user name.")
        return self.password_problem()

    def task(self) -> TaskFn:
        name, role, password = self.name.text().strip(), selected_role(self.role), self.password.text()
        accounts, session = self.services.accounts, self.session
        return lambda _p, _c: accounts.add(session, name, role, password)


class ResetPasswordDialog(_TemporaryPasswordDialog):
    """Reset a password, optionally with a new role (a role change is always a reset)."""

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 user: UserSummary, *, change_role: bool = False,
                 parent: QWidget | None = None) -> None:
        clinician_note = (self.tr("Their keys are destroyed: at their next sign-in they create new ones "
                          "and a clinician who has access to patient data must approve them again."))
        if change_role:
            title, ok_text = self.tr("Change role of {username}").format(username=user.username), self.tr("Change role")
            intro = (self.tr("The role is bound into the account's keys, so changing it also sets a "
                     "temporary password. ") + clinician_note)
        else:
            title, ok_text = (
                self.tr("Reset password of {username}").format(username=user.username),
                self.tr("Reset password"),
            )
            intro = self.tr("The user must choose a new password at their next sign-in. ") + clinician_note
        super().__init__(services, session, pool, title, intro, ok_text, parent)
        self.setObjectName("changeRoleDialog" if change_role else "resetPasswordDialog")
        self.user = user
        self.role: QComboBox | None = None
        if change_role:
            self.role = _role_combo(self, Role(user.role))
            self.form.addRow(self.tr("New r&ole:"), self.role)
        self.add_password_rows()
        self.password.setFocus()

    def problem(self) -> str | None:
        if self.role is not None and selected_role(self.role) == Role(self.user.role):
            return self.tr("{username} already has that role; choose another.").format(
                       username=self.user.username)
        return self.password_problem()

    def task(self) -> TaskFn:
        name, password = self.user.username, self.password.text()
        role = selected_role(self.role) if self.role is not None else None
        accounts, session = self.services.accounts, self.session
        return lambda _p, _c: accounts.reset_password(session, name, password, role=role)


class RecoveryGrantDialog(TaskDialog):
    """Approve every pending grant with the custodians' recovery shares (audited alert).

    IT cannot do this alone: the shares are held by the custodians, who type them here."""

    def __init__(self, services: Services, pool: WorkerPool, pending: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(
            pool, self.tr("Grant access with recovery shares"),
            self.tr("Use this only when no clinician who already has access can sign in. The "
            "recovery custodians type their shares, one per line; every use is recorded as a "
            "security alert. Waiting for access: ") + (", ".join(pending) or "nobody") + ".",
            self.tr("Grant access"), parent)
        self.setObjectName("recoveryGrantDialog")
        self.services = services
        self.code = QPlainTextEdit(self)
        self.code.setObjectName("recoveryCodeEdit")
        self.code.setAccessibleName(self.tr("Recovery shares, one per line"))
        self.code.setPlaceholderText(self.tr("one custodian's share (20 or 33 words) per line"))
        self.form.addRow(self.tr("Recovery &shares:"), self.code)

    def problem(self) -> str | None:
        return None if self.code.toPlainText().strip() else self.tr("Type the custodians' shares.")

    def task(self) -> TaskFn:
        shares = [line for line in self.code.toPlainText().splitlines() if line.strip()]
        grants = self.services.grants
        return lambda _p, _c: grants.recover_grants(shares)

    def failed(self, exc: ClinicAppError) -> None:
        self.code.clear()
