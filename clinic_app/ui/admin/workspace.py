"""The IT administrator's workspace: users, audit log, models, settings, system, PACS, operations.

It shows no patient data and offers no way to reach any: the admin session holds no
clinical key (the services could not open patient data even if asked), and the
workspace's spec says ``patient_data=False`` so the shell never pairs it with one.
Tabs load their data the first time they are shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from clinic_app.core.security.roles import Permission
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ui.admin.audit_viewer import AuditPanel
from clinic_app.ui.admin.models_view import ModelsPanel
from clinic_app.ui.admin.operations_view import OperationsPanel
from clinic_app.ui.admin.pacs_nodes_view import PacsNodesPanel
from clinic_app.ui.admin.settings_view import SettingsPanel
from clinic_app.ui.admin.system_view import SystemPanel
from clinic_app.ui.admin.users import SHORTCUTS, UsersPanel
from clinic_app.ui.shell.registry import WorkspaceContext, WorkspaceSpec, WorkspaceWidget


class AdminWorkspace(WorkspaceWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminWorkspace")
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("adminTabs")
        self.users = UsersPanel(ctx, self)
        self.audit = AuditPanel(ctx, self)
        self.models = ModelsPanel(ctx, self)
        self.settings = SettingsPanel(ctx, self)
        self.system = SystemPanel(ctx, self)
        self.tabs.addTab(self.users, self.tr("&Users"))
        self.tabs.addTab(self.audit, self.tr("&Audit log"))
        self.tabs.addTab(self.models, self.tr("&Models"))
        self.tabs.addTab(self.settings, self.tr("S&ettings"))
        self.tabs.addTab(self.system, self.tr("S&ystem"))
        self.pacs = PacsNodesPanel(ctx, self)
        self.tabs.addTab(self.pacs, self.tr("&PACS"))
        self.operations = OperationsPanel(ctx, self)
        self.tabs.addTab(self.operations, self.tr("&Operations"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self._loaded: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._first_show)
        self._first_show(0)

    def _first_show(self, index: int) -> None:
        panel = self.tabs.widget(index)
        if panel is None or panel in self._loaded:
            return
        self._loaded.add(panel)
        refresh = getattr(panel, "refresh", None)
        if callable(refresh):
            refresh()

    def shortcuts(self) -> list[tuple[str, str]]:
        return list(SHORTCUTS)


WORKSPACE = WorkspaceSpec(
    key="admin",
    title=QT_TRANSLATE_NOOP("admin.workspace", "Administration"),
    permission=Permission.USERS_MANAGE,
    factory=AdminWorkspace,
    patient_data=False,
    order=90,
)
