"""Model inputs the records resolver (:mod:`features`) does not map yet: statin use, eGFR
from creatinine, serum sodium, urine albumin-to-creatinine ratio and HbA1c.

SEAM: these belong in ``features.CATALOGUE`` (the records engineer's module). Until they
are there, :func:`supplement` fills them in after :func:`features.record_inputs`, for the
features that module reports as having no record mapping; once ``features`` resolves a
name itself, its answer wins and the entry here is dead code to delete.

eGFR is derived, never defaulted: CKD-EPI 2021 creatinine equation without race (Inker
LA et al., N Engl J Med 2021;385:1737-1749; the equation PREVENT was developed with):
142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^-1.200 × 0.9938^age × 1.012 [female], with
κ = 0.7 (female) / 0.9 (male) and α = -0.241 (female) / -0.302 (male).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from clinic_app.core.inference.features import (
    Context,
    FeatureSource,
    InputState,
    InputStatus,
    Lookbacks,
    Memo,
    RecordInputs,
    Uncertain,
    _observation,
    _src,
    age_on,
    resolve_once,
)
from clinic_app.core.inference.manifest import FeatureSpec
from clinic_app.core.inference.risk_types import InputValue, MissingInput
from clinic_app.core.records import codes
from clinic_app.core.records.facts import PatientRecord, RecordQuery


def ckd_epi_2021(creatinine_mg_dl: float, age: float, female: bool) -> float:
    """eGFR in mL/min/1.73 m² (CKD-EPI 2021, race-free)."""
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = creatinine_mg_dl / kappa
    return (142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938 ** age
            * (1.012 if female else 1.0))


def _statin(ctx: Context) -> InputValue | None:
    for med in ctx.query.medications(ctx.patient.key, ctx.as_of):
        if "statin" in med.classes:
            return InputValue("statin", True, "", med.start,
                              f"medication {med.code} '{med.display}' ({med.status})")
    return InputValue("statin", False, "", None, "no active statin on the medication list",
                      assumed_absent=True)


def _egfr(ctx: Context) -> InputValue | None:
    obs = ctx.query.latest(ctx.patient.key, codes.CREATININE, ctx.as_of, ctx.lookbacks.labs)
    born, sex = ctx.patient.birth_date, ctx.patient.sex
    if obs is None or obs.value is None or born is None or sex not in ("female", "male") \
            or obs.value <= 0:
        return None
    age = age_on(born, obs.effective.date())
    value = round(ckd_epi_2021(float(obs.value), age, sex == "female"), 1)
    return InputValue("egfr", value, "mL/min/{1.73_m2}", obs.effective,
                      f"CKD-EPI 2021 from creatinine {obs.value:g} mg/dL at age {age} "
                      f"({_src(obs)})")


def _sodium(ctx: Context) -> InputValue | None:
    obs = ctx.query.latest(ctx.patient.key, codes.SODIUM, ctx.as_of, ctx.lookbacks.labs)
    if obs is None or obs.value is None:
        return None
    return InputValue("sodium", float(obs.value), obs.unit, obs.effective, _src(obs))


EXTRA: Mapping[str, FeatureSource] = {
    "statin": FeatureSource(_statin, lambda lb: "medication list"),
    "egfr": FeatureSource(_egfr, lambda lb: f"a serum creatinine within {lb.labs} months "
                                            "(eGFR is calculated with CKD-EPI 2021), with birth "
                                            "date and sex"),
    "sodium": FeatureSource(_sodium, lambda lb: f"a serum sodium within {lb.labs} months"),
    # PREVENT add-on models: read as recorded (hard bounds and units checked), never derived.
    "uacr": FeatureSource(_observation(codes.UACR, "labs", "uacr"),
                          lambda lb: f"a urine albumin-to-creatinine ratio within {lb.labs} "
                                     "months"),
    "hba1c": FeatureSource(_observation(codes.HBA1C, "labs", "hba1c"),
                           lambda lb: f"an HbA1c result within {lb.labs} months"),
}


def supplement(query: RecordQuery, patient: PatientRecord, features: Sequence[FeatureSpec],
               as_of: datetime, lookbacks: Lookbacks, rec: RecordInputs, *,
               memo: Memo | None = None) -> RecordInputs:
    """``rec`` with the inputs above filled in where ``features`` had no mapping for them."""
    todo = [s for s in features if s.name in EXTRA and s.name not in rec.values
            and rec.hints.get(s.name, "").startswith("no record mapping")]
    if not todo:
        return rec
    ctx = Context(query, patient, as_of, lookbacks)
    values, hints, states = dict(rec.values), dict(rec.hints), dict(rec.states)
    missing = list(rec.missing)
    for spec in todo:
        source = EXTRA[spec.name]
        hints[spec.name] = source.supplied_by(lookbacks)
        value = resolve_once(source, ctx, spec.name, memo)
        missing = [m for m in missing if m.name != spec.name]
        if isinstance(value, Uncertain):
            states[spec.name] = InputState(spec.name, InputStatus.UNCERTAIN, value.reason, value.subject)
            values[spec.name] = value.value
        elif value is not None:
            states[spec.name] = InputState(spec.name, InputStatus.PRESENT)
            values[spec.name] = value
        else:
            states[spec.name] = InputState(spec.name, InputStatus.MISSING, hints[spec.name])
            if spec.role == "tensor":
                missing.append(MissingInput(spec.name, spec.label, hints[spec.name]))
    return RecordInputs(values, missing, hints, states)
