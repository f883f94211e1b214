"""Risk scores for patients in the store, and the no-store calculator.

The API the physician workspace builds on:

* :meth:`RiskService.score_patient` - every applicable risk model (or the ones named) for
  one patient as of a date: value, category, flags, contributions with each input's
  value/unit/date/source, and for models that cannot be computed, the missing inputs with
  what would supply them. Results are stored (encrypted) and audited.
* :meth:`RiskService.what_if` - the same with some inputs replaced; stores nothing.
* :meth:`RiskService.trend` - recompute at past dates (for a chart); stores nothing.
* :meth:`RiskService.score_all` - every patient, vectorised (one batched session run per
  model), with progress and cancel; cancelled runs store nothing.
* :meth:`RiskService.stored` - results stored earlier.
* :func:`calculate` - calculator mode (``score --inputs``): no store, no login.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinic_app.config import Settings
from clinic_app.core.inference.features import Lookbacks, record_inputs
from clinic_app.core.inference.results import ResultStore, StoredResult
from clinic_app.core.inference.risk import InputValue, MissingInput, RiskModel, RiskResult, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions
from clinic_app.core.records.facts import PatientRecord
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import CannotCompute, InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.models import ModelCatalog, ModelService, offline_registry
from clinic_app.services.session import Session


@dataclass(frozen=True)
class NotComputed:
    """A model that could not be scored for this patient, and why."""

    model_id: str
    model_name: str
    reason: str
    missing: tuple[MissingInput, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model_id, "name": self.model_name, "reason": self.reason,
                "missing": [{"input": m.name, "label": m.label, "supplied_by": m.supplied_by}
                            for m in self.missing]}


@dataclass(frozen=True)
class PatientScores:
    patient_key: int
    as_of: datetime
    results: tuple[RiskResult, ...]
    not_computed: tuple[NotComputed, ...]
    stored_ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "results": [r.to_json() for r in self.results],
                "not_computed": [n.to_json() for n in self.not_computed]}


@dataclass(frozen=True)
class BatchReport:
    patients: int
    scored: int  # results stored
    not_computed: int
    by_model: dict[str, dict[str, int]] = field(default_factory=dict)


def calculate(settings: Settings, model_id: str, inputs: Mapping[str, Any]) -> RiskResult:
    """Calculator mode: canonical-unit inputs → result; needs no store and no login."""
    catalog = ModelCatalog(offline_registry(settings),
                           RuntimeOptions(gpu_preference=settings.gpu_preference))
    model = catalog.risk_model(model_id)
    return model.score(as_input_values(inputs))


class RiskService:
    def __init__(self, ctx: ServiceContext, models: ModelService) -> None:
        self.ctx = ctx
        self.models = models

    # -- helpers ------------------------------------------------------------------------
    def _repo(self, session: Session) -> RecordRepository:
        assert session.clinical is not None
        return RecordRepository(session.clinical)

    def _patient(self, session: Session, repo: RecordRepository, mrn: str,
                 issuer: str | None, action: str) -> PatientRecord:
        patient = repo.patient_by_mrn(mrn, issuer)
        if patient is None:
            self.ctx.audit(session, EventCode.PATIENT_RECORD, action, patient_id=mrn,
                           outcome=Outcome.MINOR_FAILURE, detail={"found": False})
            raise InvalidInput("No patient with this MRN in the store; 'clinic-app patients list' "
                               "shows them.")
        return patient

    def risk_models(self, session: Session, model_ids: Sequence[str] | None = None) -> list[RiskModel]:
        """The verified risk models (all, or the ids named) for the model cards and scoring."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        scan = self.models.scan(session)
        available = {p.manifest.id: p for p in scan.available if p.manifest.task == "risk-score"}
        wanted = list(model_ids) if model_ids else sorted(available)
        unknown = [m for m in wanted if m not in available]
        if unknown:
            raise InvalidInput(f"No usable risk model {', '.join(map(repr, unknown))}; 'clinic-app "
                               "models list' shows the installed models and any refusals.")
        return [RiskModel(self.models.session_for(session, m)) for m in wanted]

    def _score(self, session: Session, repo: RecordRepository, patient: PatientRecord,
               models: Sequence[RiskModel], as_of: datetime,
               overrides: Mapping[str, Any] | None = None) -> tuple[list[RiskResult], list[NotComputed]]:
        lookbacks = Lookbacks.from_settings(self.ctx.settings)
        results: list[RiskResult] = []
        failed: list[NotComputed] = []
        for model in models:
            rec = record_inputs(repo, patient, model.manifest.features, as_of, lookbacks)
            values = dict(rec.values)
            for name, value in (overrides or {}).items():
                values[name] = value if isinstance(value, InputValue) else \
                    InputValue(name, value, source="what-if (entered)")
            missing = model.missing(values, rec.hints)
            if missing:
                failed.append(NotComputed(model.manifest.id, model.manifest.name,
                                          "missing " + "; ".join(m.describe() for m in missing),
                                          tuple(missing)))
                continue
            try:
                results.append(model.score(values, as_of=as_of, hints=rec.hints))
            except CannotCompute as exc:
                failed.append(NotComputed(model.manifest.id, model.manifest.name, str(exc)))
        return results, failed

    # -- use cases ----------------------------------------------------------------------
    def score_patient(self, session: Session, mrn: str, *, issuer: str | None = None,
                      model_ids: Sequence[str] | None = None, as_of: datetime | None = None,
                      store: bool = True) -> PatientScores:
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.score")
        models = self.risk_models(session, model_ids)
        now = self.ctx.clock()
        when = as_of or now
        results, failed = self._score(session, repo, patient, models, when)
        ids: list[int] = []
        if store and results:
            ids = ResultStore(repo.db).save_many([(patient.key, r, when) for r in results],
                                                 computed_at=now, user=session.username)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.score", patient_id=mrn,
                       detail={"scored": [f"{r.model_id} {r.model_version} on {r.provider}"
                                          for r in results],
                               "not_computed": [n.model_id for n in failed],
                               "stored": len(ids), "as_of": when.date().isoformat()})
        return PatientScores(patient.key, when, tuple(results), tuple(failed), tuple(ids))

    def what_if(self, session: Session, mrn: str, model_id: str, overrides: Mapping[str, Any], *,
                issuer: str | None = None, as_of: datetime | None = None) -> PatientScores:
        """Score with some inputs replaced (e.g. SBP 130, non-smoker). Nothing is stored."""
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.what_if")
        models = self.risk_models(session, [model_id])
        when = as_of or self.ctx.clock()
        results, failed = self._score(session, repo, patient, models, when, overrides)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.what_if", patient_id=mrn,
                       detail={"model": model_id, "changed": sorted(overrides)})
        return PatientScores(patient.key, when, tuple(results), tuple(failed))

    def trend(self, session: Session, mrn: str, model_id: str, dates: Sequence[datetime], *,
              issuer: str | None = None) -> list[RiskResult | NotComputed]:
        """The score recomputed as of each date (inputs as the record stood then). Not stored."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.trend")
        models = self.risk_models(session, [model_id])
        out: list[RiskResult | NotComputed] = []
        for when in dates:
            results, failed = self._score(session, repo, patient, models, when)
            out.extend(results or failed)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.trend", patient_id=mrn,
                       detail={"model": model_id, "points": len(dates)})
        return out

    def stored(self, session: Session, mrn: str, *, issuer: str | None = None,
               model_id: str | None = None) -> list[StoredResult]:
        self.ctx.begin(session, Permission.RISK_VIEW)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.view")
        rows = ResultStore(repo.db).for_patient(patient.key, model_id)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.view", patient_id=mrn,
                       detail={"results": len(rows)})
        return rows

    def score_all(self, session: Session, *, model_ids: Sequence[str] | None = None,
                  as_of: datetime | None = None, progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> BatchReport:
        """Every patient with every (or the named) risk model: one batched run per model.

        Features are gathered per patient (cancellable between patients), then each model
        runs once over all computable patients; results are stored in one transaction at
        the end, so a cancelled run keeps nothing.
        """
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        models = self.risk_models(session, model_ids)
        patients = repo.patients()
        now = self.ctx.clock()
        when = as_of or now
        lookbacks = Lookbacks.from_settings(self.ctx.settings)
        total = len(patients) * (len(models) + 1)
        done = 0
        rows: list[tuple[int, RiskResult, datetime]] = []
        by_model: dict[str, dict[str, int]] = {}
        scored_patients: dict[int, list[str]] = {}
        for model in models:
            gathered: list[dict[str, InputValue]] = []
            hints: list[Mapping[str, str]] = []
            for patient in patients:
                cancel.raise_if_cancelled()
                rec = record_inputs(repo, patient, model.manifest.features, when, lookbacks)
                gathered.append(rec.values)
                hints.append(rec.hints)
                done += 1
                progress(done, total, f"gathering inputs for {model.manifest.id}")
            outcome = model.score_many(gathered, as_of=[when] * len(patients), hints=hints,
                                       cancel=cancel)
            counts = {"scored": 0, "not_computed": 0}
            for patient, result in zip(patients, outcome, strict=True):
                if isinstance(result, RiskResult):
                    rows.append((patient.key, result, when))
                    scored_patients.setdefault(patient.key, []).append(model.manifest.id)
                    counts["scored"] += 1
                else:
                    counts["not_computed"] += 1
            by_model[model.manifest.id] = counts
        cancel.raise_if_cancelled()
        ResultStore(repo.db).save_many(rows, computed_at=now, user=session.username)
        mrn = {p.key: p.mrn for p in patients}
        for key, model_list in scored_patients.items():
            self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.score", patient_id=mrn[key],
                           detail={"batch": True, "scored": model_list,
                                   "as_of": when.date().isoformat()})
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "risk.score_all",
                       detail={"patients": len(patients), "by_model": by_model})
        progress(total, total, "done")
        return BatchReport(len(patients), len(rows),
                           sum(c["not_computed"] for c in by_model.values()), by_model)
