"""The physician's toolbar acts: recompute every score in the background, import, report.

A base of :class:`~clinic_app.ui.physician.workspace.PhysicianWorkspace`, kept apart so
the workspace module holds the patient list and tabs. The progress bar, Cancel and the
status line are the workspace's own widgets; the list stays usable while it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.services.records import PatientView
from clinic_app.ui.physician import adapt
from clinic_app.ui.shell.registry import WorkspaceWidget
from clinic_app.ui.workers import Task, WorkerPool


class ToolbarActionsMixin(WorkspaceWidget):
    """Recompute all / Cancel, Import, Export report (a base of the workspace; the widgets are the workspace's)."""

    services: Services
    session: Session
    pool: WorkerPool
    recompute_task: Task | None
    recompute_button: QPushButton
    cancel_button: QPushButton
    progress: QProgressBar
    status: QLabel
    current: PatientView | None

    if TYPE_CHECKING:
        def refresh(self) -> Task: ...
        def _submit(self, fn: Any, on_result: Any, name: str) -> Task: ...
        def open_patient(self, key: int) -> Task: ...

    # -- background recompute -----------------------------------------------------------------
    def recompute_all(self) -> Task:
        services, session = self.services, self.session
        self.recompute_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Recomputing all scores…"))

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return adapt.recompute_all(services, session, progress, cancel)

        task = self.pool.create(work, name="recompute all scores", on_result=self._on_recomputed,
                                on_cancelled=self._on_recompute_cancelled,
                                on_progress=self._on_recompute_progress,
                                on_error=self._on_recompute_error)
        self.recompute_task = task
        self.pool.start(task)
        return task

    def cancel_recompute(self) -> None:
        if self.recompute_task is not None:
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))
            self.recompute_task.cancel()

    def _on_recompute_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _end_recompute(self, text: str) -> None:
        self.recompute_task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.recompute_button.setEnabled(True)
        self.status.setText(text)

    def _on_recomputed(self, summary: str) -> None:
        self._end_recompute(summary)
        self.refresh()

    def _on_recompute_cancelled(self) -> None:
        self._end_recompute(self.tr("Recompute cancelled: the scores stored before it are unchanged."))

    def _on_recompute_error(self, exc: BaseException) -> None:
        from clinic_app.ui.dialogs import show_error

        self._end_recompute(self.tr("Recompute failed."))
        show_error(self, exc)

    # -- import and export ----------------------------------------------------------------------
    def open_import(self) -> None:
        from clinic_app.ui.physician.import_dialog import ImportDialog

        dialog = ImportDialog(self.services, self.session, self.pool, self)
        dialog.imported.connect(lambda _report: self.refresh())
        dialog.open()

    def export_report(self) -> Task | None:
        """Ask where, then make the report on a worker (scoring and layout take a moment)."""
        from clinic_app.ui.physician.report import choose_report_path, report_written

        view = self.current
        if view is None:
            return None
        path = choose_report_path(self, self.services, view)
        if path is None:
            return None
        services, session = self.services, self.session

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return services.risk_report.export(session, view.patient.mrn, path,
                                               issuer=view.patient.issuer or None,
                                               overwrite=True)

        return self._submit(work, lambda files: report_written(self, files), self.tr("risk report"))

    def record_family_history(self) -> Task | None:
        """Ask the physician, record the answer on a worker, then reload the patient."""
        from clinic_app.ui.physician.family_history import ask_and_record

        view = self.current
        if view is None:
            return None
        services, session, patient = self.services, self.session, view.patient

        def submit(value: bool, reason: str) -> Task:
            def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
                return services.records.record_family_history(
                    session, patient.mrn, value, issuer=patient.issuer or None, reason=reason)
            return self._submit(work, lambda _said: self.open_patient(patient.key),
                                self.tr("record family history"))

        name = f"{patient.family.upper()}, {patient.given}".strip(", ")
        result: Task | None = ask_and_record(self, name, submit)
        return result
