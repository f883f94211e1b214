"""Users: create, disable/enable, reset password, change role, unlock; grants and lockouts.

The table is the service's ``UserSummary`` list. Buttons follow the selection (you can
only unlock a locked account, and you cannot disable yourself or change your own role;
the service refuses those too). Each change runs in a worker and the list reloads after.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

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


USER_COLUMNS: list[Column[UserSummary]] = [
    Column("User", lambda u: u.username),
    Column("Role", lambda u: role_title(u.role)),
    Column("Status", lambda u: "locked out" if u.locked_until else u.status,
           alert=lambda u: "error" if u.locked_until or u.status != "active" else None),
    Column("Patient-data key", lambda u: u.clinical_key, alert=_key_alert),
    Column("Password change due", lambda u: "yes" if u.must_change_password else "no"),
    Column("Locked until", lambda u: local_time(u.locked_until), sort_key=lambda u: u.locked_until or ""),
    Column("Last sign-in", lambda u: local_time(u.last_login_at),
           sort_key=lambda u: u.last_login_at or ""),
    Column("Created", lambda u: f"{local_time(u.created_at)} by {u.created_by}",
           sort_key=lambda u: u.created_at),
]

SHORTCUTS = (("Ctrl+N", "Users: new user"), ("F5", "Users / Audit log: reload"))


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
        self.table: RowsTable[UserSummary] = RowsTable(USER_COLUMNS, "usersTable", "Users", self)
        self.model = self.table.rows_model
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.new_button = self._button("&New user…", "newUserButton", self.new_user)
        self.enable_button = self._button("&Disable", "enableButton", self.toggle_enabled)
        self.reset_button = self._button("&Reset password…", "resetButton", self.reset_password)
        self.role_button = self._button("Change r&ole…", "roleButton", self.change_role)
        self.unlock_button = self._button("&Unlock", "unlockUserButton", self.unlock)
        self.grant_button = self._button("&Grant with recovery shares…", "recoveryGrantButton",
                                         self.grant_with_recovery)
        self.refresh_button = self._button("Re&load", "reloadUsersButton", self.refresh)
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
                f"Waiting for access to patient data: {', '.join(self.pending)}. A clinician "
                "who has access approves each request after comparing key fingerprints; "
                "if none can, the recovery custodians can (“Grant with recovery shares”).")
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
        self.enable_button.setText("&Enable" if user and user.status != "active" else "&Disable")
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
            inform(self, "User created",
                   f"{user.username} ({role_title(user.role)}) can now sign in with the "
                   "temporary password, and must choose their own at once; their keys are "
                   "made then. Hand the temporary password over in person.")

    def toggle_enabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        enable = user.status != "active"
        if not enable and not confirm(
                self, "Disable account",
                f"Disable {user.username}? They can no longer sign in, and a clinician's "
                "stored access to patient data is revoked (a key holder must approve it again "
                "when re-enabled).",
                "Disable"):
            return
        accounts, session, name = self.ctx.services.accounts, self.ctx.session, user.username
        self._run(lambda _p, _c: accounts.set_enabled(session, name, enable),
                  "enable user" if enable else "disable user")

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
        self._run(lambda _p, _c: accounts.unlock(session, name), "unlock user")

    def grant_with_recovery(self) -> None:
        dialog = RecoveryGrantDialog(self.ctx.services, self.ctx.pool, self.pending, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            granted: list[str] = dialog.result_value or []
            self.refresh()
            inform(self, "Access granted",
                   "Access to patient data granted to: " + (", ".join(granted) or "nobody") + ".")
