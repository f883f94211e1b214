"""Follow-up on the risk panel: the previous stored score beside the current one, what
changed between them, and the lifetime ASCVD risk for ages 20-59.

The lifetime risk does not need the 10-year Pooled Cohort Equations to apply: the
Estimator Plus shows it from age 20, while the PCE start at 40, so it is computed from the
record's inputs directly (same look-back rules as scoring). A missing input is "cannot
compute: missing ...", never a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.core.inference.derived_inputs import supplement
from clinic_app.core.inference.features import Lookbacks, record_inputs
from clinic_app.core.inference.lifetime import AGES, LifetimeRisk, lifetime_risk
from clinic_app.core.inference.results import ResultStore, StoredResult
from clinic_app.core.inference.score_change import ScoreChange, compare
from clinic_app.core.records import codes
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.i18n import translate
from clinic_app.services.risk import RiskService
from clinic_app.services.score_outcome import ScoreOutcome, from_stored
from clinic_app.services.session import Session

PCE = "pce-ascvd-10y"
LIFETIME_INPUTS = ("age", "sex", "total_cholesterol", "systolic_bp", "bp_treated", "smoker",
                   "diabetes")


@dataclass(frozen=True)
class FollowUp:
    model_id: str
    current: ScoreOutcome | None  # the newest stored result of the model
    previous: ScoreOutcome | None  # the newest one from an earlier day
    change: ScoreChange | None  # None without both
    lifetime: LifetimeRisk | None = None
    lifetime_note: str = ""  # why there is no lifetime risk ("" when there is one)


def previous_and_current(stored: list[StoredResult]) -> tuple[StoredResult | None,
                                                                StoredResult | None]:
    """The newest result, and the newest one whose as-of day is earlier (a follow-up)."""
    if not stored:
        return None, None
    current = max(stored, key=lambda s: (s.computed_at, s.id))
    earlier = [s for s in stored if s.as_of.date() < current.as_of.date()]
    return (max(earlier, key=lambda s: (s.as_of, s.computed_at, s.id)) if earlier else None,
            current)


def follow_up(risk: RiskService, session: Session, mrn: str, model_id: str, *,
              issuer: str | None = None, as_of: datetime | None = None) -> FollowUp:
    """Previous vs current for one model, and (for the PCE) the lifetime risk. One audit entry."""
    risk.ctx.begin(session, Permission.RISK_VIEW)
    repo = risk._repo(session)
    patient = risk._patient(session, repo, mrn, issuer, "risk.follow_up")
    [model] = risk.risk_models(session, [model_id])
    labels = {f.name: f.label for f in model.manifest.features}
    previous, current = previous_and_current(ResultStore(repo.db).for_patient(patient.key,
                                                                              model_id))
    change = compare(previous, current, labels) if previous and current else None
    lifetime, note = None, ""
    if model_id == PCE:
        when = as_of or risk.ctx.clock()
        lookbacks = Lookbacks.from_settings(risk.ctx.settings)
        features = model.manifest.features
        rec = supplement(repo, patient, features, when, lookbacks,
                         record_inputs(repo, patient, features, when, lookbacks))
        missing = [labels.get(n, n) for n in LIFETIME_INPUTS if rec.values.get(n) is None]
        if missing:
            note = translate("RiskFollowUp", "Lifetime risk: cannot compute: missing {inputs}."
                             ).format(inputs=", ".join(missing))
        else:
            v = {n: rec.values[n].value for n in LIFETIME_INPUTS}
            dbp = repo.latest(patient.key, codes.DIASTOLIC_BP, when, lookbacks.vitals)
            lifetime = lifetime_risk(
                age=float(v["age"]), sex=str(v["sex"]), total_cholesterol=float(v["total_cholesterol"]),
                systolic_bp=float(v["systolic_bp"]), bp_treated=v["bp_treated"] is True,
                smoker=v["smoker"] is True, diabetes=v["diabetes"] is True,
                diastolic_bp=float(dbp.value) if dbp is not None and dbp.value is not None
                else None)
            if lifetime is None:
                note = translate("RiskFollowUp", "Lifetime risk: applies to ages {low}-{high} "
                                 "(the patient is {age:.0f}).").format(low=AGES[0], high=AGES[1],
                                                                      age=float(v["age"]))
    risk.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.follow_up", patient_id=mrn,
                   detail={"model": model_id, "previous": previous is not None,
                           "lifetime": lifetime is not None})
    return FollowUp(model_id, from_stored(current) if current else None,
                    from_stored(previous) if previous else None, change, lifetime, note)
