"""The findings panel's two acts: signing a finding, and running a model on the study.

A base of :class:`~clinic_app.ui.radiology.findings.FindingsPanel`, kept apart so the
panel module stays about the list and the review. The state it touches (task, progress
bar, message, model box) is the panel's own; the worklist learns "running" and the
outcome through the panel's ``status_changed`` signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.radiology import status as ai
from clinic_app.ui.radiology.findings_view import FindingView
from clinic_app.ui.workers import Task


class AnalysisMixin(QWidget):
    """Accept/Reject and Analyse/Cancel of the findings panel (a base of it; the state is the panel's)."""

    services: Services
    session: Session
    analysis_task: Task | None
    running_study: str | None
    model_box: QComboBox
    progress: QProgressBar
    cancel_button: QPushButton
    accept_button: QPushButton
    reject_button: QPushButton
    comment: QLineEdit
    current: FindingView | None
    message: QLabel
    status_changed: SignalInstance

    if TYPE_CHECKING:
        def _study_uid(self) -> str | None: ...
        def _submit(self, fn: Any, *, name: str, on_result: Any, on_error: Any = None,
                    on_progress: Any = None, on_cancelled: Any = None) -> Task | None: ...
        def _update_controls(self) -> None: ...
        def reload(self) -> Task | None: ...

    # -- analysis ------------------------------------------------------------------------
    def analyse(self) -> Task | None:
        uid = self._study_uid()
        model_id = self.model_box.currentData()
        if uid is None or not model_id or self.analysis_task is not None:
            return None
        services, session = self.services, self.session

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return ai.run_analysis(services, session, uid, model_id, progress, cancel)

        self.progress.setRange(0, 0)
        self.running_study = uid
        self.status_changed.emit(uid, ai.AiStatus.RUNNING.value, self.tr("running {model_id}").format(
                                                                     model_id=model_id))
        self.analysis_task = self._submit(
            run, name="analysis", on_result=lambda _r: self._analysis_done(uid),
            on_error=lambda exc: self._analysis_failed(uid, exc),
            on_cancelled=lambda: self._analysis_done(uid, cancelled=True),
            on_progress=self._analysis_progress)
        self._update_controls()
        return self.analysis_task

    def cancel_analysis(self) -> None:
        if self.analysis_task is not None:
            self.analysis_task.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("Cancelling; nothing partial is stored…"))

    def _analysis_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if message:
            self.progress.setFormat(f"{message} %p%")

    def _analysis_done(self, study_uid: str, *, cancelled: bool = False) -> None:
        self.analysis_task = None
        self.running_study = None
        self.cancel_button.setEnabled(True)
        self._update_controls()
        if study_uid == self._study_uid():
            self.reload()
            if cancelled:
                self.message.setText(self.tr("Analysis cancelled; nothing was stored."))
        else:
            self.status_changed.emit(study_uid, ai.AiStatus.NOT_ANALYSED.value, "")

    def _analysis_failed(self, study_uid: str, exc: BaseException) -> None:
        self._analysis_done(study_uid)
        self.status_changed.emit(study_uid, ai.AiStatus.FAILED.value, self.tr("the last analysis failed"))
        show_error(self, exc)

    # -- review --------------------------------------------------------------------------
    def review(self, decision: str) -> Task | None:
        """Accept or reject the selected finding (stored and audited by the service)."""
        f = self.current
        if f is None:
            return None
        services, session = self.services, self.session
        comment = self.comment.text().strip()
        fid = f.finding_id
        for w in (self.accept_button, self.reject_button):
            w.setEnabled(False)

        def run(progress: ProgressCallback, cancel: CancelToken) -> None:
            ai.review_finding(services, session, fid, decision, comment)

        return self._submit(run, name="review", on_result=lambda _r: self.reload(),
                            on_error=self._review_failed)

    def _review_failed(self, exc: BaseException) -> None:
        self._update_controls()
        show_error(self, exc)
