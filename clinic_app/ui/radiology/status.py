"""The radiology screens' calls to the services, and the AI status of studies (Qt-free).

Workers call these functions; each returns plain data (:class:`WorklistRow`,
:class:`StudyFindings`, :class:`FindingView`) that the GUI thread shows. They hold the
only knowledge of the analysis service's result shapes, so the widgets stay on the
small contract in :mod:`findings_view`.

The AI status of a study is the analysis service's (running / flagged / reviewed / no
findings / not analysed); the screens add *failed* locally when a run they started failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services import Services, Session
from clinic_app.services.analysis import AnalysisState
from clinic_app.services.finding_types import Finding
from clinic_app.services.imaging_types import StudySummary
from clinic_app.ui.radiology.display import person_name
from clinic_app.ui.radiology.findings_view import FindingView, ReviewView

#: The worklist's AI column: the service's one definition of the states.
AiStatus = AnalysisState


#: The states as the screens show them (listed for lupdate; shown with translate_any).
STATUS_TEXT = (QT_TRANSLATE_NOOP("radiology.status", "not analysed"),
               QT_TRANSLATE_NOOP("radiology.status", "running"),
               QT_TRANSLATE_NOOP("radiology.status", "flagged"),
               QT_TRANSLATE_NOOP("radiology.status", "no findings"),
               QT_TRANSLATE_NOOP("radiology.status", "reviewed"),
               QT_TRANSLATE_NOOP("radiology.status", "failed"))

#: How urgent a status is, for sorting the AI column (flagged first when descending).
STATUS_RANK = {AiStatus.FLAGGED: 5, AiStatus.RUNNING: 4, AiStatus.FAILED: 3,
               AiStatus.NOT_ANALYSED: 2, AiStatus.NO_FINDINGS: 1, AiStatus.REVIEWED: 0}
STATUS_COLOUR = {AiStatus.FLAGGED: "#e0a030", AiStatus.RUNNING: "#7fb0ea",
                 AiStatus.FAILED: "#e06060", AiStatus.REVIEWED: "#7cc48a"}


@dataclass(frozen=True)
class WorklistRow:
    study: StudySummary
    ai_status: AiStatus = AiStatus.NOT_ANALYSED
    ai_detail: str = ""  # e.g. "2 flagged, 1 reviewed"

    @property
    def uid(self) -> str:
        return self.study.study_uid

    def text(self, column: int) -> str:
        s = self.study
        return (person_name(s.patient_name), s.patient_id, s.study_date or "—",
                ", ".join(s.modalities) or "—", s.description or "—", str(s.series),
                translate_any(self.ai_status.value))[column]

    def sort_key(self, column: int) -> Any:
        s = self.study
        if column == 2:
            return f"{s.study_date or ''} {s.study_time or ''}"
        if column == 5:
            return s.series
        if column == 6:
            return STATUS_RANK[self.ai_status]
        return self.text(column).casefold()


@dataclass(frozen=True)
class ModelChoice:
    model_id: str
    title: str
    demo: bool


@dataclass(frozen=True)
class StudyFindings:
    findings: tuple[FindingView, ...]
    models: tuple[ModelChoice, ...]
    status: AiStatus
    status_detail: str = ""
    note: str = ""


def study_rows(services: Services, session: Session) -> list[WorklistRow]:
    """Every study with its AI status: one service call, one audit entry, however many."""
    return [WorklistRow(e.study, AiStatus(e.ai_status)) for e in services.analysis.worklist(session)]


def finding_view(f: Finding, names: dict[str, str]) -> FindingView:
    review = None
    if f.review is not None:
        r = f.review
        review = ReviewView(r.decision, r.user, r.reviewed_at, r.comment)
    return FindingView(
        finding_id=f.id, study_uid=f.study_uid, series_uid=f.series_uid, model_id=f.model_id,
        model_name=names.get(f.model_id, f.model_id), model_version=f.model_version, demo=f.demo,
        label=f.label, score=f.score, threshold=f.threshold, flagged=f.flagged,
        slice_index=f.slice_index, slice_range=f.slice_range,
        bbox_px=f.bbox_px.as_json() if f.bbox_px else {}, contour_px=f.contour_px,
        location_method=f.location_method, volume_ml=f.volume_ml, diameter_mm=f.diameter_mm,
        provider=f.provider, created_at=f.analysed_at, review=review, has_heatmap=f.has_heatmap,
        stack_index=f.stack_index, location_note=f.location_note, trigger=f.trigger,
        run_by=f.run_by, frame=f.frame, slice_mm=f.slice_mm,
        size_approximate=f.size_approximate, at_series_edge=f.size_cut_off, size_note=f.size_note)


def study_findings(services: Services, session: Session, study_uid: str) -> StudyFindings:
    """The study's current findings, the models that can analyse it, and its status."""
    applicable = services.analysis.applicable_models(session, study_uid)
    names = {m.model_id: m.name for m in applicable}
    stored = services.analysis.findings(session, study_uid)
    views = tuple(finding_view(f, names) for f in stored)
    # Flagged first, then by score: what needs the reader's eyes comes first.
    views = tuple(sorted(views, key=lambda v: (not v.flagged, -v.score, v.finding_id)))
    models = tuple(ModelChoice(m.model_id, f"{m.name} {m.version}" + (" (demo)" if m.demo else ""), m.demo)
                   for m in applicable if m.applicable)
    state = services.analysis.study_status(session, [study_uid]).get(study_uid, AiStatus.NOT_ANALYSED.value)
    status, detail = AiStatus(state), summary_of(views)
    note = ""
    if not models and not views:
        reasons = "; ".join(f"{m.name}: {m.reason}" for m in applicable if m.reason)
        note = QCoreApplication.translate("radiology.status", "No installed model applies to this study.") + (
            f" ({reasons})" if reasons else ""
        )
    return StudyFindings(views, models, status, detail, note)


def summary_of(findings: tuple[FindingView, ...]) -> str:
    flagged = sum(f.flagged for f in findings)
    reviewed = sum(f.review is not None for f in findings)
    return QCoreApplication.translate("radiology.status", "{flagged} flagged of {len}, {reviewed} reviewed").format(
               flagged=flagged, len=len(findings), reviewed=reviewed) if findings else ""


def finding_heatmap(services: Services, session: Session, finding_id: int) -> Heatmap:
    return services.analysis.heatmap(session, finding_id)


def review_finding(services: Services, session: Session, finding_id: int, decision: str,
                   comment: str) -> FindingView:
    stored = services.analysis.review(session, finding_id, decision, comment)
    return finding_view(stored, {})


def run_analysis(services: Services, session: Session, study_uid: str, model_id: str,
                 progress: ProgressCallback, cancel: CancelToken) -> int:
    """Run one model; returns how many findings it flagged."""
    reports = services.analysis.analyze(session, study_uid, model_id, progress, cancel)
    return sum(r.flagged for r in reports)
