"""Opening a patient's chart: one user action, one audit entry, nothing stored.

Opening a patient used to call five services' gated methods (record, every fact's history,
scores, study states, the trend), which wrote about a dozen audit entries for one click
and stored risk results as a side effect of looking. This service is the one gated entry
point for it. It reads through the other services' ``ungated_*`` internals and writes a
single ``patient.open`` entry; scores are computed for the screen and **not stored**:
results are stored only by an explicit scoring action (``score_patient`` from the CLI,
"Recompute all" in the physician workspace), so the stored history says who scored whom,
not who looked. Changing the trend chart's model is its own action (:meth:`trend`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from clinic_app.core.inference.risk_types import RiskResult
from clinic_app.core.records.facts import Observation
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission, allowed
from clinic_app.errors import InvalidInput
from clinic_app.services.analysis import AnalysisState
from clinic_app.services.records import PatientView
from clinic_app.services.risk_scores import PatientScores
from clinic_app.services.score_outcome import ScoreOutcome, from_not_computed, from_result
from clinic_app.services.session import Session

if TYPE_CHECKING:
    from clinic_app.services.analysis import AnalysisService
    from clinic_app.services.context import ServiceContext
    from clinic_app.services.records import RecordsService
    from clinic_app.services.risk import RiskService

#: At most this many past dates are recomputed for a trend (the most recent ones).
MAX_TREND_POINTS = 24


def trend_dates(history: Mapping[str, Sequence[Observation]], now: datetime) -> list[datetime]:
    """The dates to recompute a score at: every day a measurement was taken, and now."""
    days = sorted({o.effective for obs in history.values() for o in obs if o.effective <= now})
    return [*days[-(MAX_TREND_POINTS - 1):], now]


@dataclass(frozen=True)
class Trend:
    """One model's score over time, and the measurements it was computed from."""

    model_id: str
    dates: tuple[datetime, ...]
    points: tuple[ScoreOutcome, ...]  # one per date, in order
    history: Mapping[str, tuple[Observation, ...]]


@dataclass(frozen=True)
class PatientChart:
    """What the physician sees on opening a patient."""

    view: PatientView
    scores: PatientScores  # computed now for the screen; not stored
    study_states: Mapping[str, AnalysisState]
    trend: Trend | None  # for the model asked for, when one was


class PatientChartService:
    def __init__(self, ctx: ServiceContext, records: RecordsService, risk: RiskService,
                 analysis: AnalysisService) -> None:
        self.ctx = ctx
        self.records = records
        self.risk = risk
        self.analysis = analysis

    def open(self, session: Session, mrn: str, issuer: str | None = None, *,
             trend_model: str | None = None, facts: Sequence[str] = ()) -> PatientChart:
        """The record, every applicable score (not stored), the linked studies' AI states
        and, with ``trend_model``, that model's trend over ``facts``' measurement dates."""
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        view = self._view(session, mrn, issuer, "patient.open")
        now = view.as_of
        scores = (self.risk.ungated_score(session, view.patient, now)
                  if allowed(session.role, Permission.RISK_VIEW)
                  else PatientScores(view.patient.key, now, (), ()))
        states = (self.analysis.ungated_study_states(session, [s.study_uid for s in view.studies])
                  if view.studies and allowed(session.role, Permission.FINDINGS_VIEW) else {})
        trend = (self._trend(session, view, trend_model, facts, now)
                 if trend_model and allowed(session.role, Permission.RISK_VIEW) else None)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patient.open", patient_id=mrn,
                       detail={"studies": len(view.studies), "conflicts": len(view.conflicts),
                               "scored": [r.model_id for r in scores.results],
                               "not_computed": [n.model_id for n in scores.not_computed],
                               "trend": trend_model or "", "stored": 0})
        return PatientChart(view, scores, states, trend)

    def trend(self, session: Session, mrn: str, model_id: str, facts: Sequence[str], *,
              issuer: str | None = None) -> Trend:
        """Another model's trend for the open patient (the chart's model was changed)."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        view = self._view(session, mrn, issuer, "risk.trend")
        trend = self._trend(session, view, model_id, facts, view.as_of)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.trend", patient_id=mrn,
                       detail={"model": model_id, "points": len(trend.dates)})
        return trend

    def _view(self, session: Session, mrn: str, issuer: str | None, action: str) -> PatientView:
        """The record; an unknown MRN is the action's one (failed) entry."""
        try:
            return self.records.ungated_show_patient(session, mrn, issuer)
        except InvalidInput:
            self.ctx.audit(session, EventCode.PATIENT_RECORD, action, outcome=Outcome.MINOR_FAILURE,
                           patient_id=mrn, detail={"found": False})
            raise

    def _trend(self, session: Session, view: PatientView, model_id: str, facts: Sequence[str],
               now: datetime) -> Trend:
        history = self.records.ungated_history(session, view.patient.key, facts)
        dates = trend_dates(history, now)
        points = self.risk.ungated_trend(session, view.patient, model_id, dates)
        outcomes = tuple(from_result(p, when, patient_key=view.patient.key)
                         if isinstance(p, RiskResult) else
                         from_not_computed(p, when, patient_key=view.patient.key)
                         for when, p in zip(dates, points, strict=True))
        return Trend(model_id, tuple(dates), outcomes,
                     {name: tuple(values) for name, values in history.items()})
