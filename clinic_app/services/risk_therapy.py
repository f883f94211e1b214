"""Estimator Plus parity for one patient: optimal risk, therapy impact, previous risk.

Built on :class:`~clinic_app.services.risk.RiskService` (same permissions, one audit entry
per call). The therapy arithmetic is :mod:`clinic_app.core.inference.therapy`; the
optimal risk is the reference risk the model's explanation already computed; the
previous risk is the stored result before the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.core.inference.features import Lookbacks
from clinic_app.core.inference.lifetime import LifetimeRisk, lifetime_risk
from clinic_app.core.inference.results import ResultStore
from clinic_app.core.inference.risk import RiskResult
from clinic_app.core.inference.therapy import TherapyImpact, therapy_impact
from clinic_app.core.records import codes
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import CannotCompute
from clinic_app.i18n import translate
from clinic_app.services.risk import RiskService
from clinic_app.services.score_outcome import ScoreOutcome, from_stored
from clinic_app.services.session import Session

PCE = "pce-ascvd-10y"


@dataclass(frozen=True)
class EstimatorPlus:
    """What the ACC ASCVD Risk Estimator Plus shows beside the 10-year risk."""

    result: RiskResult
    optimal_risk: float | None  # same age, sex and race with optimal risk factors
    therapy: TherapyImpact
    ldl: float | None  # mg/dL, the value the statin projection used
    ldl_date: datetime | None
    previous: ScoreOutcome | None  # the stored result before today's, for follow-up
    lifetime: LifetimeRisk | None = None  # ages 20-59 only


def estimator_plus(risk: RiskService, session: Session, mrn: str, *, issuer: str | None = None,
                   as_of: datetime | None = None) -> EstimatorPlus:
    """10-year ASCVD risk with optimal risk, therapy impact and the previous risk.

    Raises :class:`~clinic_app.errors.CannotCompute` (from the model) when the PCE cannot
    be computed for the patient; stores nothing.
    """
    risk.ctx.begin(session, Permission.RISK_SCORE)
    repo = risk._repo(session)
    patient = risk._patient(session, repo, mrn, issuer, "risk.estimator_plus")
    [model] = risk.ungated_risk_models(session, [PCE])
    when = as_of or risk.ctx.clock()
    results, failed = risk._score(session, repo, patient, [model], when)
    if not results:
        raise CannotCompute(failed[0].reason if failed else translate("services", "Cannot compute the Pooled Cohort "
                            "Equations for this patient."))
    [result] = results
    lookbacks = Lookbacks.from_settings(risk.ctx.settings)
    ldl_obs = repo.latest(patient.key, codes.LDL_CHOLESTEROL, when, lookbacks.lipids)
    ldl = float(ldl_obs.value) if ldl_obs is not None and ldl_obs.value is not None else None
    on_statin = any("statin" in m.classes for m in repo.medications(patient.key, when))
    sbp = result.inputs["systolic_bp"].value
    smoker = result.inputs["smoker"].value
    impact = therapy_impact(result.value, ldl=ldl, sbp=float(sbp) if isinstance(sbp, int | float)
                            else None, smoker=smoker if isinstance(smoker, bool) else None,
                            on_statin=on_statin)
    dbp_obs = repo.latest(patient.key, codes.DIASTOLIC_BP, when, lookbacks.vitals)
    age, sex = result.inputs["age"].value, result.inputs["sex"].value
    tc, treated, diabetes = (result.inputs[n].value for n in ("total_cholesterol", "bp_treated",
                                                              "diabetes"))
    lifetime = lifetime_risk(
        age=float(age), sex=str(sex), total_cholesterol=float(tc),
        systolic_bp=float(sbp), bp_treated=bool(treated), smoker=bool(smoker),
        diabetes=bool(diabetes),
        diastolic_bp=float(dbp_obs.value) if dbp_obs is not None and dbp_obs.value is not None
        else None)
    stored = [s for s in ResultStore(repo.db).for_patient(patient.key, PCE)
              if s.as_of.date() < when.date()]
    previous = from_stored(max(stored, key=lambda s: s.as_of)) if stored else None
    risk.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.estimator_plus", patient_id=mrn,
                   detail={"model": f"{result.model_id} {result.model_version}",
                           "therapies": [e.label() for e in impact.effects]})
    return EstimatorPlus(result, result.explanation.reference_risk if result.explanation
                         else None, impact, ldl, ldl_obs.effective if ldl_obs else None, previous,
                         lifetime)
