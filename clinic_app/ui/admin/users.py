"""Users: create, disable/enable, reset password, change role, unlock; grants and lockouts.

The table is the service's ``UserSummary`` list. Buttons follow the selection (you can
only unlock a locked account, and you cannot disable yourself or change your own role;
the service refuses those too). Each change runs in a worker and the list reloads after.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services.accounts import UserSummary
from clinic_app.ui.admin.account_dialogs import (
    NewUserDialog,
    RecoveryGrantDialog,
    ResetPasswordDialog,
)
from clinic_app.ui.dialogs import confirm, inform
from clinic_app.ui.formatting import local_time, role_title
from clinic_app.ui.rows_model import Column, RowsTable
from clinic_app.ui.shell.registry import WorkspaceContext
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import TaskFn


def _key_alert(u: UserSummary) -> str | None:
    return "warn" if u.clinical_key in ("pending grant", "awaiting first sign-in") else None


#: The states the account service reports, as the table shows them.
STATES = (QT_TRANSLATE_NOOP("admin.users", "active"), QT_TRANSLATE_NOOP("admin.users", "disabled"),
          QT_TRANSLATE_NOOP("admin.users", "held"), QT_TRANSLATE_NOOP("admin.users", "pending grant"),
          QT_TRANSLATE_NOOP("admin.users", "awaiting first sign-in"),
          QT_TRANSLATE_NOOP("admin.users", "none (admin)"), QT_TRANSLATE_NOOP("admin.users", "none"),
          QT_TRANSLATE_NOOP("admin.users", "yes"), QT_TRANSLATE_NOOP("admin.users", "no"))

USER_COLUMNS: list[Column[UserSummary]] = [
    Column(QT_TRANSLATE_NOOP("admin.users", "User"), lambda u: u.username),
    Column(QT_TRANSLATE_NOOP("admin.users", "Role"), lambda u: role_title(u.role)),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Status"),
        lambda u: (
            QCoreApplication.translate("admin.users", "locked out") if u.locked_until else translate_any(u.status)
        ),
        alert=lambda u: "error" if u.locked_until or u.status != "active" else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Patient-data key"), lambda u: translate_any(u.clinical_key), alert=_key_alert
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Password change due"),
        lambda u: translate_any("yes" if u.must_change_password else "no"),
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Locked until"),
        lambda u: local_time(u.locked_until),
        sort_key=lambda u: u.locked_until or "",
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Last sign-in"),
        lambda u: local_time(u.last_login_at),
        sort_key=lambda u: u.last_login_at or "",
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.users", "Created"),
        lambda u: QCoreApplication.translate("admin.users", "{local_time} by {created_by}").format(
            local_time=local_time(u.created_at), created_by=u.created_by
        ),
        sort_key=lambda u: u.created_at,
    ),
]

SHORTCUTS = (
    ("Ctrl+N", QT_TRANSLATE_NOOP("admin.users", "Users: new user")),
    ("F5", QT_TRANSLATE_NOOP("admin.users", "Users / Audit log: reload")),
)


class UsersPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPanel")
        self.ctx = ctx
        self.banner = QLabel("", self)
        self.banner.setObjectName("grantsBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.table: RowsTable[UserSummary] = RowsTable(USER_COLUMNS, "usersTable", self.tr("Users"), self)
        self.model = self.table.rows_model
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.new_button = self._button(self.tr("&New user…"), "newUserButton", self.new_user)
        self.enable_button = self._button(self.tr("&Disable"), "enableButton", self.toggle_enabled)
        self.reset_button = self._button(self.tr("&Reset password…"), "resetButton", self.reset_password)
        self.role_button = self._button(self.tr("Change r&ole…"), "roleButton", self.change_role)
        self.unlock_button = self._button(self.tr("&Unlock"), "unlockUserButton", self.unlock)
        self.grant_button = self._button(self.tr("&Grant with recovery shares…"), "recoveryGrantButton",
                                         self.grant_with_recovery)
        self.refresh_button = self._button(self.tr("Re&load"), "reloadUsersButton", self.refresh)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.enable_button, self.reset_button, self.role_button,
                  self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.grant_button)
        buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_user)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.pending: list[str] = []
        self._select_after: str | None = None
        self._selection_changed()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- data ----------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Reload the list (in a worker), then select ``select`` or keep the selection."""
        current = self.selected()
        self._select_after = select or (current.username if current else None)
        accounts, session = self.ctx.services.accounts, self.ctx.session

        def load(_p: object, _c: object) -> tuple[list[UserSummary], list[str]]:
            return accounts.list(session), accounts.pending_grants(session)
        self.ctx.pool.submit(load, name="list users", on_result=self._loaded, error_parent=self)

    def _loaded(self, result: tuple[list[UserSummary], list[str]]) -> None:
        users, self.pending = result
        self.model.set_rows(users)
        if self.pending:
            self.banner.setText(
                self.tr("Waiting for access to patient data: {join}. A clinician who has access approves "
                        "each request after comparing key fingerprints; if none can, the recovery custodians "
                        "can (“Grant with recovery shares”).").format(join=', '.join(self.pending)))
            set_banner(self.banner, "warn")
        self.banner.setVisible(bool(self.pending))
        if self._select_after:
            self.select(self._select_after)
        self._selection_changed()

    def selected(self) -> UserSummary | None:
        return self.table.selected_row()

    def select(self, username: str) -> None:
        row = self.table.row_of(lambda u: u.username == username)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self, *_args: QItemSelection) -> None:
        user = self.selected()
        me = self.ctx.session.username
        self.enable_button.setText(self.tr("&Enable") if user and user.status != "active" else self.tr("&Disable"))
        self.enable_button.setEnabled(user is not None and user.username != me)
        self.reset_button.setEnabled(user is not None)
        self.role_button.setEnabled(user is not None and user.username != me)
        self.unlock_button.setEnabled(user is not None and bool(user.locked_until))
        self.grant_button.setEnabled(bool(self.pending))

    # -- actions -------------------------------------------------------------------------
    def _run(self, fn: TaskFn, name: str) -> None:
        self.ctx.pool.submit(fn, name=name, on_result=lambda _r: self.refresh(), error_parent=self)

    def new_user(self) -> None:
        dialog = NewUserDialog(self.ctx.services, self.ctx.session, self.ctx.pool, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            user: UserSummary = dialog.result_value
            self.refresh(select=user.username)
            inform(self, self.tr("User created"),
                   self.tr("{username} ({role_title}) can now sign in with the temporary password, and must "
                           "choose their own at once; their keys are made then. Hand the temporary password "
                           "over in person.").format(username=user.username, role_title=role_title(user.role)))

    def toggle_enabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        enable = user.status != "active"
        if not enable and not confirm(
                self, self.tr("Disable account"),
                self.tr("Disable {username}? They can no longer sign in, and a clinician's stored access to "
                        "patient data is revoked (a key holder must approve it again when re-enabled).").format(
                    username=user.username),
                self.tr("Disable")):
            return
        accounts, session, name = self.ctx.services.accounts, self.ctx.session, user.username
        self._run(lambda _p, _c: accounts.set_enabled(session, name, enable),
                  self.tr("enable user") if enable else self.tr("disable user"))

    def _reset(self, change_role: bool) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(self.ctx.services, self.ctx.session, self.ctx.pool, user,
                                     change_role=change_role, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def reset_password(self) -> None:
        self._reset(False)

    def change_role(self) -> None:
        self._reset(True)

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            return
        accounts, session, name = self.ctx.services.accounts, self.ctx.session, user.username
        self._run(lambda _p, _c: accounts.unlock(session, name), self.tr("unlock user"))

    def grant_with_recovery(self) -> None:
        dialog = RecoveryGrantDialog(self.ctx.services, self.ctx.pool, self.pending, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            granted: list[str] = dialog.result_value or []
            self.refresh()
            inform(self, self.tr("Access granted"),
                   self.tr("Access to patient data granted to: ") + (", ".join(granted) or "nobody") + ".")
