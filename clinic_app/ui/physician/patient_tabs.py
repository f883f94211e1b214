"""The physician's work on the open patient beyond the list: trends, the what-if (and
"enter the missing values" from the risk panel), follow-up, therapy impact, and the
answer to an uncertain input.

A base of :class:`~clinic_app.ui.physician.workspace.PhysicianWorkspace`, kept apart so
the workspace module holds the patient list, the tabs and opening a patient. Every call
runs on a worker; a result for a patient the user has left is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QTabWidget, QWidget

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.services.records import PatientSummary, PatientView
from clinic_app.ui.physician import adapt
from clinic_app.ui.physician.follow_up import FollowUpView
from clinic_app.ui.physician.risk_panel import RiskPanel
from clinic_app.ui.physician.trends import FACT_NAMES, TrendsView
from clinic_app.ui.physician.views import ScoreView
from clinic_app.ui.physician.what_if import WhatIfPanel
from clinic_app.ui.shell.registry import WorkspaceWidget
from clinic_app.ui.workers import Task, WorkerPool


class PatientTabsMixin(WorkspaceWidget):
    """Trends, what-if, follow-up, therapy and input confirmation for the open patient
    (a base of the workspace; the widgets are the workspace's)."""

    services: Services
    session: Session
    pool: WorkerPool
    catalog: adapt.Catalog
    current: PatientView | None
    tabs: QTabWidget
    risk_panel: RiskPanel
    trends: TrendsView
    what_if: WhatIfPanel
    what_if_tab: QWidget
    follow_up: FollowUpView

    if TYPE_CHECKING:
        def _submit(self, fn: Any, on_result: Any, name: str) -> Task: ...
        def open_patient(self, key: int) -> Task: ...
        def _current_summary(self) -> PatientSummary | None: ...

    def confirm_input(self, feature: str, value: bool, subject: str, reason: str) -> Task | None:
        """Record the physician's answer for an uncertain input, then rescore (on a worker)."""
        summary = self._current_summary()
        if summary is None:
            return None
        services, session = self.services, self.session

        def record(progress: ProgressCallback, cancel: CancelToken) -> int:
            services.records.confirm_input(session, summary.key, feature, value,
                                           subject=subject, reason=reason)
            return summary.key

        return self.pool.submit(record, name="confirm input",
                                on_result=lambda key: self._reopen(key),
                                on_error=self._on_confirm_error)

    def save_entered(self, values: dict[str, Any], reason: str) -> Task | None:
        """Store values the physician entered and confirmed as physician-entered facts, then
        reopen the patient so the risk panel shows them with their source (on a worker)."""
        summary = self._current_summary()
        if summary is None:
            return None
        services, session = self.services, self.session

        def save(progress: ProgressCallback, cancel: CancelToken) -> int:
            services.entered_values.save(session, summary.key, values, reason=reason)
            return summary.key

        return self.pool.submit(save, name="save entered values", on_result=self._reopen,
                                on_error=self._on_save_error)

    def _on_save_error(self, exc: BaseException) -> None:
        from clinic_app.ui.dialogs import show_error

        self.what_if.save_entered.enable()
        show_error(self, exc)

    def _reopen(self, key: int) -> None:
        self.open_patient(key)

    def _on_confirm_error(self, exc: BaseException) -> None:
        from clinic_app.ui.dialogs import show_error

        self.risk_panel.detail.uncertain.enable()
        show_error(self, exc)

    # -- trends and what-if ----------------------------------------------------------------
    def load_trend(self) -> Task | None:
        summary, model_id = self._current_summary(), self.trends.model.currentData()
        if summary is None or model_id is None:
            return None
        services, session, cat = self.services, self.session, self.catalog

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[Any, ...]:
            return (summary.key, *adapt.trend(services, session, summary, model_id, FACT_NAMES, cat))

        return self._submit(work, self._on_trend, "trend")

    def _on_trend(self, loaded: tuple[int, Any, list[ScoreView]]) -> None:
        key, history, scores = loaded
        if self.current is None or self.current.patient.key != key:
            return
        self.trends.show_history(history)
        self.trends.show_scores(scores)

    def run_what_if(self, model_id: str, overrides: dict[str, Any]) -> Task | None:
        summary = self._current_summary()
        if summary is None:
            return None
        services, session, cat = self.services, self.session, self.catalog

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[Any, ...]:
            return model_id, overrides, adapt.what_if(services, session, summary, model_id,
                                                      overrides, cat)

        return self._submit(work, lambda r: self.what_if.show_result(*r), "what-if")

    def enter_missing(self, model_id: str) -> None:
        """The risk panel's "enter the missing values": the what-if on that model, its first
        missing input focused (a what-if stores nothing, so nothing becomes a fact)."""
        self.what_if.select_model(model_id)
        self.tabs.setCurrentWidget(self.what_if_tab)
        self.what_if.focus_missing()

    def load_follow_up(self) -> Task | None:
        """Previous vs current for the selected model, and the lifetime risk (PCE)."""
        summary, model_id = self._current_summary(), self.risk_panel.current_model_id()
        if summary is None or model_id is None:
            return None
        services, session = self.services, self.session
        self.follow_up.clear()

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from clinic_app.services.risk_follow_up import follow_up

            return summary.key, follow_up(services.risk, session, summary.mrn, model_id,
                                          issuer=summary.issuer or None)

        def done(loaded: tuple[int, Any]) -> None:
            key, follow = loaded
            if self.current is not None and self.current.patient.key == key and \
                    self.risk_panel.current_model_id() == follow.model_id:
                self.follow_up.show_follow_up(follow)

        return self._submit(work, done, "follow-up")

    def run_therapy(self, model_id: str) -> Task | None:
        """Estimator Plus therapy impact (statin by intensity, SBP, smoking, aspirin)."""
        summary = self._current_summary()
        if summary is None:
            return None
        services, session = self.services, self.session

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from clinic_app.services.risk_therapy import estimator_plus

            return model_id, estimator_plus(services.risk, session, summary.mrn,
                                            issuer=summary.issuer or None)

        return self._submit(work, lambda r: self.what_if.show_therapy(*r), self.tr("therapy impact"))
