"""The workspace registry: which workspaces exist, and which ones a session gets.

A workspace (administration, radiology, physician) is a QWidget built by a factory and
described by a :class:`WorkspaceSpec`. The shell shows a workspace only when

* the session's role holds the spec's ``permission`` in the one permission matrix
  (``clinic_app.core.security.roles``), so the UI never keeps a second matrix; and
* for a spec with ``patient_data=True``, the session holds the clinical key. An admin
  never does (key separation), and a clinician whose access is still a pending grant
  gets a page that explains the wait instead of a workspace that would fail.

To add a workspace: write a module with a module-level ``WORKSPACE = WorkspaceSpec(...)``
and add its dotted name to ``WORKSPACE_MODULES``. The services still check every call:
hiding a workspace is a convenience, not the control.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtWidgets import QMainWindow, QWidget

from clinic_app.core.security.roles import Permission, allowed
from clinic_app.services import Services, Session
from clinic_app.ui.workers import WorkerPool

#: Modules that define ``WORKSPACE``; listed here so the order of imports is explicit.
WORKSPACE_MODULES: list[str] = [
    "clinic_app.ui.admin.workspace",
    "clinic_app.ui.physician.workspace",
    "clinic_app.ui.radiology.workspace",
]


@dataclass(frozen=True)
class WorkspaceContext:
    """What a workspace factory receives: the services, the signed-in session, the pool.

    ``window`` is the main window, for adding menu actions and status-bar messages (never
    patient data in either: both stay visible on the lock screen's window frame).
    """

    services: Services
    session: Session
    pool: WorkerPool
    window: QMainWindow


@dataclass(frozen=True)
class WorkspaceSpec:
    key: str
    title: str
    permission: Permission
    factory: Callable[[WorkspaceContext], QWidget]
    patient_data: bool = True
    order: int = 100
    #: (key sequence, what it does) pairs for the Help dialog, beyond the widget's own.
    shortcuts: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def available_to(self, session: Session) -> bool:
        """The role allows it (and, for patient data, the session holds the key)."""
        if not allowed(session.role, self.permission):
            return False
        return not self.patient_data or session.role.is_clinician

    def usable_by(self, session: Session) -> bool:
        return self.available_to(session) and (not self.patient_data or session.has_clinical_key)


class WorkspaceWidget(QWidget):
    """Optional base class for a workspace: the hooks the shell calls, as no-ops.

    A workspace need not inherit it; the shell calls these methods when they exist.
    """

    def session_locked(self) -> None:
        """The screen was hidden by the idle lock; drop caches of patient data if you like."""

    def session_unlocked(self) -> None:
        """The same user unlocked; the session's keys are back."""

    def shutdown(self) -> None:
        """The workspace is about to be destroyed (sign-out, switch user, quit)."""

    def shortcuts(self) -> list[tuple[str, str]]:
        """(key sequence, what it does) for the Help dialog."""
        return []


def load_specs(modules: Sequence[str] | None = None) -> list[WorkspaceSpec]:
    specs = [importlib.import_module(name).WORKSPACE for name in (modules or WORKSPACE_MODULES)]
    return sorted(specs, key=lambda s: (s.order, s.title))


def workspaces_for(session: Session, specs: Sequence[WorkspaceSpec]) -> list[WorkspaceSpec]:
    """The specs this session's role may open, in display order."""
    return [s for s in specs if s.available_to(session)]
