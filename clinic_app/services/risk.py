"""Risk scores for patients in the store, and the no-store calculator.

The API the physician workspace builds on:

* :meth:`RiskService.score_patient` - every applicable risk model (or the ones named) for
  one patient as of a date: value, category, flags, contributions with each input's
  value/unit/date/source, and for models that cannot be computed, the missing inputs with
  what would supply them. Results are stored (encrypted) and audited.
* :meth:`RiskService.what_if` - the same with some inputs replaced; stores nothing.
* :meth:`RiskService.trend` - recompute at past dates (for a chart); stores nothing.
* :meth:`RiskService.score_all` - every patient, vectorised (one batched session run per
  model), with progress and cancel; cancelled runs store nothing. Like a stored
  ``score_patient``, it also records each model that could not be computed for a patient
  (why, and what would supply the missing inputs), so the patient list can say so.
* :meth:`RiskService.stored` - results stored earlier.
* :func:`calculate` - calculator mode (``score --inputs``): no store, no login.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clinic_app.config import Settings
from clinic_app.core.inference.derived_inputs import supplement
from clinic_app.core.inference.features import Lookbacks, Memo, RecordInputs, record_inputs
from clinic_app.core.inference.results import ResultStore
from clinic_app.core.inference.risk import InputValue, RiskModel, RiskResult, as_input_values
from clinic_app.core.inference.risk_checks import applies_to_sex
from clinic_app.core.inference.risk_variants import (
    VARIANTS,
    hidden_when_missing,
    in_scoring_order,
    superseded,
)
from clinic_app.core.inference.runtime import RuntimeOptions
from clinic_app.core.inference.site_inputs import (
    calculator_inputs,
    not_offered_reason,
    offered,
    with_site_inputs,
)
from clinic_app.core.records.facts import PatientRecord
from clinic_app.core.records.inputs import prepare_calculator_inputs, unit_word
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import CannotCompute, InvalidInput, UnusualValue
from clinic_app.i18n import translate
from clinic_app.services.models import ModelCatalog, ModelService, offline_registry
from clinic_app.services.risk_scores import BatchReport, NotComputed, PatientScores
from clinic_app.services.score_outcome import ScoreOutcome, from_stored
from clinic_app.services.session import Session

if TYPE_CHECKING:  # the context pulls in the store's parts; a calculator call needs none
    from clinic_app.services.context import ServiceContext


def calculate(settings: Settings, model_id: str, inputs: Mapping[str, Any]) -> RiskResult:
    """Calculator mode: canonical-unit inputs → result; needs no store and no login."""
    catalog = ModelCatalog(offline_registry(settings),
                           RuntimeOptions(gpu_preference=settings.gpu_preference))
    model = catalog.risk_model(model_id)
    return model.score(as_input_values(calculator_inputs(model_id, inputs)))


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
            raise InvalidInput(
                translate("services", "No patient with this MRN in the store; 'clinic-app patients list' shows them.")
            )
        return patient

    def risk_models(self, session: Session, model_ids: Sequence[str] | None = None) -> list[RiskModel]:
        """The verified risk models (all, or the ids named) for the model cards and scoring."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        return self.ungated_risk_models(session, model_ids)

    def ungated_risk_models(self, session: Session,
                            model_ids: Sequence[str] | None = None) -> list[RiskModel]:
        """:meth:`risk_models` for another service's gated action (reports, the overview)."""
        scan = self.models.ungated_scan(session)
        available = {p.manifest.id: p for p in scan.available if p.manifest.task == "risk-score"}
        wanted = list(model_ids) if model_ids else sorted(available)
        unknown = [m for m in wanted if m not in available]
        if unknown:
            why = "".join(f" ({r})" for r in map(scan.why_unusable, unknown) if r)
            raise InvalidInput(translate("services", "No usable risk model {join}{why}; 'clinic-app models "
                                                     "list' shows the installed models and any refusals.").format(
                                   join=', '.join(map(repr, unknown)), why=why))
        return [RiskModel(self.models.ungated_session_for(session, m)) for m in wanted]

    def _score(self, session: Session, repo: RecordRepository, patient: PatientRecord,
               models: Sequence[RiskModel], as_of: datetime,
               overrides: Mapping[str, Any] | None = None, *,
               named: bool = False) -> tuple[list[RiskResult], list[NotComputed]]:
        lookbacks = Lookbacks.from_settings(self.ctx.settings)
        results: list[RiskResult] = []
        failed: list[NotComputed] = []
        scored: set[str] = set()
        memo: Memo = {}  # this patient and date: each record input read once for all models
        for model in in_scoring_order(models):
            if not named and model.manifest.id in superseded([*scored, model.manifest.id]):
                continue  # its full model was scored: not computed at all (see risk_variants)
            if not applies_to_sex(model.manifest, patient.sex):
                continue  # its inputs cannot apply to this patient (hidden, not "cannot compute")
            if not offered(model.manifest.id, self.ctx.settings):
                if named:  # asked for by name: say why; otherwise hidden like the above
                    failed.append(NotComputed.of(model, refused=CannotCompute(
                        not_offered_reason(model.manifest.id))))
                continue
            if not named and self._lacks_variant_inputs(repo, patient, model, as_of, lookbacks,
                                                        overrides or {}, memo):
                continue  # a variant without its extra inputs: the base model is shown
            rec = self._inputs(repo, patient, model, as_of, lookbacks, memo)
            values = dict(rec.values)
            for name, value in (overrides or {}).items():
                values[name] = value if isinstance(value, InputValue) else \
                    InputValue(name, value, source="what-if (entered)")
            missing = model.missing(values, rec.hints)
            if missing:
                if not named and hidden_when_missing(model.manifest.id, [m.name for m in missing]):
                    continue  # a variant without its extra inputs: the base model is shown
                failed.append(NotComputed.of(model, missing=missing, present=tuple(values.values())))
                continue
            try:
                results.append(model.score(values, as_of=as_of, hints=rec.hints))
                scored.add(model.manifest.id)
            except CannotCompute as exc:
                failed.append(NotComputed.of(model, refused=exc))
        order = {m.manifest.id: i for i, m in enumerate(models)}  # the caller's order back
        return sorted(results, key=lambda r: order[r.model_id]), \
            sorted(failed, key=lambda n: order[n.model_id])

    @staticmethod
    def _lacks_variant_inputs(repo: RecordRepository, patient: PatientRecord, model: RiskModel,
                              when: datetime, lookbacks: Lookbacks,
                              overrides: Mapping[str, Any], memo: Memo | None = None) -> bool:
        """A PREVENT variant's extra inputs, looked up alone first (one or two lookups
        instead of the model's dozen): True when one of them is not in the record."""
        needs = VARIANTS[model.manifest.id].needs if model.manifest.id in VARIANTS else ()
        specs = [f for f in model.manifest.features if f.name in needs]
        if not specs:
            return False
        rec = supplement(repo, patient, specs, when, lookbacks,
                         record_inputs(repo, patient, specs, when, lookbacks, memo=memo),
                         memo=memo)
        return any(name not in rec.values and name not in overrides for name in needs)

    def _inputs(self, repo: RecordRepository, patient: PatientRecord, model: RiskModel,
                when: datetime, lookbacks: Lookbacks, memo: Memo | None = None) -> RecordInputs:
        """The record's inputs, derived ones, and those the site settings supply (``memo``:
        this patient's inputs already read for another model, see ``features.Memo``)."""
        features = model.manifest.features
        rec = supplement(repo, patient, features, when, lookbacks,
                         record_inputs(repo, patient, features, when, lookbacks, memo=memo),
                         memo=memo)
        return with_site_inputs(rec, features, self.ctx.settings, model_id=model.manifest.id,
                                sex=patient.sex)

    # -- use cases ----------------------------------------------------------------------
    def score_patient(self, session: Session, mrn: str, *, issuer: str | None = None,
                      model_ids: Sequence[str] | None = None, as_of: datetime | None = None,
                      store: bool = True) -> PatientScores:
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.score")
        models = self.ungated_risk_models(session, model_ids)
        now = self.ctx.clock()
        when = as_of or now
        results, failed = self._score(session, repo, patient, models, when,
                                      named=bool(model_ids))
        ids: list[int] = []
        if store:
            results_store = ResultStore(repo.db)
            with repo.db.transaction():
                if results:
                    ids = results_store.save_many([(patient.key, r, when) for r in results],
                                                  computed_at=now, user=session.username)
                if failed:
                    results_store.save_not_computed([(patient.key, n, when) for n in failed],
                                                    computed_at=now, user=session.username)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.score", patient_id=mrn,
                       detail={"scored": [f"{r.model_id} {r.model_version} on {r.provider}"
                                          for r in results],
                               "not_computed": [n.model_id for n in failed],
                               "stored": len(ids), "as_of": when.date().isoformat()})
        return PatientScores(patient.key, when, tuple(results), tuple(failed), tuple(ids))

    def what_if(self, session: Session, mrn: str, model_id: str, overrides: Mapping[str, Any], *,
                issuer: str | None = None, as_of: datetime | None = None) -> PatientScores:
        """Score with some inputs replaced (e.g. SBP 130, non-smoker). Nothing is stored.

        A number is in the input's canonical unit, or ``{"value": 5.2, "unit": "mmol/L"}``.
        """
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.what_if")
        models = self.ungated_risk_models(session, [model_id])
        # The hard bounds and "did you mean mmol/L?" of the calculator: a typed unit slip
        # is refused here, never scored (core/records/inputs.py).
        try:
            overrides = prepare_calculator_inputs(overrides,
                                                  [f.name for f in models[0].manifest.features])
        except UnusualValue as exc:  # possible but unusual: the physician may confirm it
            raise exc.with_hint(translate("RiskService", "If {value} {unit} is right, confirm "
                                          "it (“Use as entered” in the what-if, or send the "
                                          "value with its unit).").format(
                value=f"{exc.value:g}", unit=unit_word(exc.unit))) from None
        when = as_of or self.ctx.clock()
        results, failed = self._score(session, repo, patient, models, when, overrides,
                                      named=True)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.what_if", patient_id=mrn,
                       detail={"model": model_id, "changed": sorted(overrides)})
        return PatientScores(patient.key, when, tuple(results), tuple(failed))

    def trend(self, session: Session, mrn: str, model_id: str, dates: Sequence[datetime], *,
              issuer: str | None = None) -> list[RiskResult | NotComputed]:
        """The score recomputed as of each date (inputs as the record stood then). Not stored."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.trend")
        models = self.ungated_risk_models(session, [model_id])
        out: list[RiskResult | NotComputed] = []
        for when in dates:
            results, failed = self._score(session, repo, patient, models, when, named=True)
            out.extend(results or failed)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.trend", patient_id=mrn,
                       detail={"model": model_id, "points": len(dates)})
        return out

    # -- internals for another service's gated action (the patient chart) ------------------
    def ungated_score(self, session: Session, patient: PatientRecord,
                      as_of: datetime) -> PatientScores:
        """Every applicable risk model for ``patient`` as of ``as_of``; nothing stored."""
        repo = self._repo(session)
        results, failed = self._score(session, repo, patient, self.ungated_risk_models(session),
                                      as_of)
        return PatientScores(patient.key, as_of, tuple(results), tuple(failed))

    def ungated_trend(self, session: Session, patient: PatientRecord, model_id: str,
                      dates: Sequence[datetime]) -> list[RiskResult | NotComputed]:
        """:meth:`trend` without the gate and the entry (the caller writes one)."""
        repo = self._repo(session)
        models = self.ungated_risk_models(session, [model_id])
        out: list[RiskResult | NotComputed] = []
        for when in dates:
            results, failed = self._score(session, repo, patient, models, when)
            out.extend(results or failed)
        return out

    def stored(self, session: Session, mrn: str, *, issuer: str | None = None,
               model_id: str | None = None) -> list[ScoreOutcome]:
        """The patient's stored results (of one model, or all), oldest first."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        repo = self._repo(session)
        patient = self._patient(session, repo, mrn, issuer, "risk.view")
        rows = ResultStore(repo.db).for_patient(patient.key, model_id)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.view", patient_id=mrn,
                       detail={"results": len(rows)})
        return [from_stored(r) for r in rows]

    def score_all(self, session: Session, *, model_ids: Sequence[str] | None = None,
                  as_of: datetime | None = None, progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> BatchReport:
        """Every patient with every (or the named) risk model: one batched run per model.

        Features are gathered per patient (cancellable between patients), then each model
        runs once over all patients whose inputs are complete. Results, and the
        not-computed outcome of every other patient and model (the same wording as
        :meth:`score_patient`), are stored in one transaction at the end, so a cancelled
        run keeps nothing.
        """
        self.ctx.begin(session, Permission.RISK_SCORE)
        repo = self._repo(session)
        models = self.ungated_risk_models(session, model_ids)
        if not model_ids:  # models this site does not offer are not part of "every model"
            models = [m for m in models if offered(m.manifest.id, self.ctx.settings)]
        patients = repo.patients()
        now = self.ctx.clock()
        when = as_of or now
        lookbacks = Lookbacks.from_settings(self.ctx.settings)
        total = len(patients) * (len(models) + 1)
        done = 0
        rows: list[tuple[int, RiskResult, datetime]] = []
        failed: list[tuple[int, NotComputed, datetime]] = []
        by_model: dict[str, dict[str, int]] = {}
        per_patient: dict[int, dict[str, list[str]]] = {}
        scored_ids: dict[int, set[str]] = {}  # patient -> models scored (full before variants)
        # Each patient's record is read once per input, not once per model that uses it.
        memos: dict[int, Memo] = {p.key: {} for p in patients}
        for model in in_scoring_order(models):
            complete: list[tuple[int, dict[str, InputValue], Mapping[str, str]]] = []
            for patient in patients:
                cancel.raise_if_cancelled()
                hidden = not model_ids and (
                    model.manifest.id in superseded([*scored_ids.get(patient.key, ()),
                                                     model.manifest.id])
                    or self._lacks_variant_inputs(repo, patient, model, when, lookbacks, {},
                                                  memos[patient.key]))
                if hidden or not applies_to_sex(model.manifest, patient.sex) or \
                        not offered(model.manifest.id, self.ctx.settings):
                    done += 1
                    progress(done, total, f"gathering inputs for {model.manifest.id}")
                    continue
                rec = self._inputs(repo, patient, model, when, lookbacks, memos[patient.key])
                missing = model.missing(rec.values, rec.hints)
                if missing:
                    failed.append((patient.key, NotComputed.of(model, missing=missing), when))
                else:
                    complete.append((patient.key, rec.values, rec.hints))
                done += 1
                progress(done, total, f"gathering inputs for {model.manifest.id}")
            outcome = model.score_many([values for _, values, _ in complete],
                                       as_of=[when] * len(complete),
                                       hints=[hint for _, _, hint in complete], cancel=cancel,
                                       reference=True)
            for (key, _, _), result in zip(complete, outcome, strict=True):
                if isinstance(result, RiskResult):
                    rows.append((key, result, when))
                    scored_ids.setdefault(key, set()).add(result.model_id)
                else:
                    failed.append((key, NotComputed.of(model, refused=result), when))
            counts = {"scored": sum(isinstance(r, RiskResult) for r in outcome)}
            # patients the model cannot apply to (by sex) are neither scored nor "not computed"
            counts["not_computed"] = sum(n.model_id == model.manifest.id for _, n, _ in failed)
            if model.manifest.id not in VARIANTS or any(counts.values()):
                by_model[model.manifest.id] = counts  # a variant hidden for everyone: not listed
        del memos
        cancel.raise_if_cancelled()
        store = ResultStore(repo.db)
        with repo.db.transaction():
            store.save_many(rows, computed_at=now, user=session.username)
            store.save_not_computed(failed, computed_at=now, user=session.username)
        for key, r, _ in rows:
            per_patient.setdefault(key, {"scored": [], "not_computed": []})["scored"].append(
                r.model_id)
        for key, n, _ in failed:
            per_patient.setdefault(key, {"scored": [], "not_computed": []})[
                "not_computed"].append(n.model_id)
        mrn = {p.key: p.mrn for p in patients}
        assert session.system is not None
        # One key-ring transaction around the per-patient entries (one checkpoint write).
        with self.ctx.keyring.transaction(), session.system.transaction():
            for key, outcome_ids in per_patient.items():
                self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.score",
                               patient_id=mrn[key],
                               detail={"batch": True, **outcome_ids,
                                       "as_of": when.date().isoformat()})
            self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "risk.score_all",
                           detail={"patients": len(patients), "by_model": by_model})
        progress(total, total, "done")
        return BatchReport(len(patients), len(rows), len(failed), by_model)
