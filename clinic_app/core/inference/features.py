"""Model inputs from the patient record, through the :class:`RecordQuery` protocol only.

Each feature name a manifest may use has one resolver here. A resolver returns the value
with its date and source, or ``None`` when the record cannot supply it; the caller then
reports "cannot compute: missing X (what would supply it)". Nothing is defaulted, with
one documented, visible exception: a *history* item (heart failure, prior stroke, a
diabetes diagnosis, dialysis, treated hypertension) that is absent from the problem or
medication list is counted as "no", marked ``assumed_absent`` in the input snapshot, and
named in a flag on the result. That is how every EHR-based implementation of these scores
reads a problem list, and the flag keeps it from being silent.

Look-backs (``Settings.lookback_months_*``) decide how old a measurement may be: lipids
24 months, blood pressure and smoking status 12, other labs 12 by default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from clinic_app.core.inference.manifest import FeatureSpec
from clinic_app.core.inference.risk import InputValue, MissingInput
from clinic_app.core.records import codes
from clinic_app.core.records.facts import Observation, PatientRecord, RecordQuery


@dataclass(frozen=True)
class Lookbacks:
    lipids: int = 24
    vitals: int = 12
    labs: int = 12

    @classmethod
    def from_settings(cls, settings: object) -> Lookbacks:
        return cls(getattr(settings, "lookback_months_lipids", 24),
                   getattr(settings, "lookback_months_vitals", 12),
                   getattr(settings, "lookback_months_labs", 12))


@dataclass(frozen=True)
class Context:
    query: RecordQuery
    patient: PatientRecord
    as_of: datetime
    lookbacks: Lookbacks


Resolver = Callable[[Context], InputValue | None]


@dataclass(frozen=True)
class FeatureSource:
    resolve: Resolver
    supplied_by: Callable[[Lookbacks], str]


def _src(obs: Observation) -> str:
    p = obs.provenance
    return f"{obs.code} {p.source_file} {p.resource_id}".strip()


def _observation(name: str, window: str, feature: str | None = None) -> Resolver:
    def resolve(ctx: Context) -> InputValue | None:
        months = getattr(ctx.lookbacks, window)
        obs = ctx.query.latest(ctx.patient.key, name, ctx.as_of, months)
        if obs is None or obs.value is None:
            return None
        return InputValue(feature or name, float(obs.value), obs.unit, obs.effective, _src(obs))
    return resolve


def _age(ctx: Context) -> InputValue | None:
    born = ctx.patient.birth_date
    if born is None:
        return None
    years = age_on(born, ctx.as_of.astimezone(UTC).date())
    return InputValue("age", years, "a", ctx.as_of, f"birth date {born.isoformat()} (patient record)")


def _sex(ctx: Context) -> InputValue | None:
    if ctx.patient.sex not in ("female", "male"):
        return None
    return InputValue("sex", ctx.patient.sex, "", None, "administrative sex (patient record)")


def _race(ctx: Context) -> InputValue | None:
    race = ctx.patient.race
    if race not in codes.RACES:
        return None  # not recorded (or several categories the equations disagree on)
    said = ctx.patient.race_source or "patient record"
    return InputValue("race", race, "", None, f"race on the patient record ({said})")


def _smoker(ctx: Context) -> InputValue | None:
    obs = ctx.query.latest(ctx.patient.key, codes.SMOKING_STATUS, ctx.as_of, ctx.lookbacks.vitals)
    if obs is None:
        return None
    category = codes.smoking_category(obs.value_code)
    if category not in ("current", "former", "never"):
        return None  # "unknown" is not an answer
    return InputValue("smoker", category == "current", "", obs.effective,
                      f"smoking status '{category}' ({_src(obs)})")


def _condition(feature: str, *categories: str) -> Resolver:
    def resolve(ctx: Context) -> InputValue | None:
        for cond in ctx.query.conditions(ctx.patient.key, ctx.as_of):
            if cond.category in categories:
                return InputValue(feature, True, "", cond.onset,
                                  f"condition {cond.code} '{cond.display}' ({cond.clinical_status}; "
                                  f"{cond.provenance.source_file})")
        return InputValue(feature, False, "", None, "not on the problem list", assumed_absent=True)
    return resolve


def _bp_treated(ctx: Context) -> InputValue | None:
    for med in ctx.query.medications(ctx.patient.key, ctx.as_of):
        if codes.ANTIHYPERTENSIVE in med.classes:
            return InputValue("bp_treated", True, "", med.start,
                              f"medication {med.code} '{med.display}' ({med.status})")
    return InputValue("bp_treated", False, "", None, "no active antihypertensive medication",
                      assumed_absent=True)


def _diabetes(ctx: Context) -> InputValue | None:
    for cond in ctx.query.conditions(ctx.patient.key, ctx.as_of):
        if cond.category == "diabetes":
            return InputValue("diabetes", True, "", cond.onset,
                              f"condition {cond.code} '{cond.display}' ({cond.provenance.source_file})")
    a1c = ctx.query.latest(ctx.patient.key, codes.HBA1C, ctx.as_of, ctx.lookbacks.labs)
    if a1c is not None and a1c.value is not None and a1c.value >= 6.5:
        return InputValue("diabetes", True, "", a1c.effective,
                          f"HbA1c {a1c.value:g}% ≥ 6.5% ({_src(a1c)})")
    detail = (f"latest HbA1c {a1c.value:g}% on {a1c.effective.date().isoformat()}"
              if a1c is not None and a1c.value is not None
              else f"no HbA1c in {ctx.lookbacks.labs} months")
    return InputValue("diabetes", False, "", a1c.effective if a1c else None,
                      f"no diabetes on the problem list; {detail}", assumed_absent=a1c is None)


def _months(kind: str) -> Callable[[Lookbacks], str]:
    return lambda lb: f"within {getattr(lb, kind)} months"


CATALOGUE: Mapping[str, FeatureSource] = {
    "age": FeatureSource(_age, lambda lb: "birth date on the patient record"),
    "sex": FeatureSource(_sex, lambda lb: "administrative sex 'female' or 'male' on the patient "
                                          "record"),
    "race": FeatureSource(_race, lambda lb: "record the patient's race, e.g. US Core race "
                                            "extension or the CSV race column"),
    "total_cholesterol": FeatureSource(
        _observation(codes.TOTAL_CHOLESTEROL, "lipids"),
        lambda lb: f"LOINC 2093-3 total cholesterol {_months('lipids')(lb)}"),
    "hdl_cholesterol": FeatureSource(
        _observation(codes.HDL_CHOLESTEROL, "lipids"),
        lambda lb: f"LOINC 2085-9 HDL cholesterol {_months('lipids')(lb)}"),
    "systolic_bp": FeatureSource(
        _observation(codes.SYSTOLIC_BP, "vitals"),
        lambda lb: f"LOINC 8480-6 systolic blood pressure {_months('vitals')(lb)}"),
    "smoker": FeatureSource(
        _smoker, lambda lb: f"LOINC 72166-2 smoking status (current/former/never) "
                            f"{_months('vitals')(lb)}"),
    "bp_treated": FeatureSource(_bp_treated, lambda lb: "medication list"),
    "diabetes": FeatureSource(_diabetes, lambda lb: "problem list, or LOINC 4548-4 HbA1c"),
    "chf": FeatureSource(_condition("chf", "heart_failure"), lambda lb: "problem list"),
    "hypertension": FeatureSource(_condition("hypertension", "hypertension"),
                                  lambda lb: "problem list"),
    "stroke_tia": FeatureSource(_condition("stroke_tia", "stroke_tia_thromboembolism"),
                                lambda lb: "problem list"),
    "vascular_disease": FeatureSource(_condition("vascular_disease", "vascular_disease"),
                                      lambda lb: "problem list"),
    "atrial_fibrillation": FeatureSource(_condition("atrial_fibrillation", "atrial_fibrillation"),
                                         lambda lb: "problem list"),
    "dialysis": FeatureSource(_condition("dialysis", "dialysis"), lambda lb: "problem list"),
    "known_cvd": FeatureSource(_condition("known_cvd", "vascular_disease", "stroke_tia_thromboembolism"),
                               lambda lb: "problem list"),
    "creatinine": FeatureSource(
        _observation(codes.CREATININE, "labs", "creatinine"),
        lambda lb: f"LOINC 2160-0 serum creatinine {_months('labs')(lb)}"),
    "bilirubin": FeatureSource(
        _observation(codes.BILIRUBIN, "labs", "bilirubin"),
        lambda lb: f"LOINC 1975-2 total bilirubin {_months('labs')(lb)}"),
    "inr": FeatureSource(_observation(codes.INR, "labs"),
                         lambda lb: f"LOINC 6301-6 INR {_months('labs')(lb)}"),
    "bmi": FeatureSource(_observation(codes.BMI, "vitals"),
                         lambda lb: f"LOINC 39156-5 BMI {_months('vitals')(lb)}"),
}

@dataclass(frozen=True)
class RecordInputs:
    values: dict[str, InputValue]
    missing: list[MissingInput]
    hints: dict[str, str]  # feature name -> what would supply it


def record_inputs(query: RecordQuery, patient: PatientRecord, features: Sequence[FeatureSpec],
                  as_of: datetime, lookbacks: Lookbacks) -> RecordInputs:
    """Resolve every feature a model needs (tensor and context) from the record."""
    ctx = Context(query, patient, as_of, lookbacks)
    values: dict[str, InputValue] = {}
    missing: list[MissingInput] = []
    hints: dict[str, str] = {}
    for spec in features:
        source = CATALOGUE.get(spec.name)
        if source is None:
            hint = "no record mapping for this input; use calculator mode"
            hints[spec.name] = hint
            if spec.role == "tensor":
                missing.append(MissingInput(spec.name, spec.label, hint))
            continue
        hints[spec.name] = source.supplied_by(lookbacks)
        value = source.resolve(ctx)
        if value is None:
            if spec.role == "tensor":
                missing.append(MissingInput(spec.name, spec.label, hints[spec.name]))
            continue
        values[spec.name] = value
    return RecordInputs(values, missing, hints)


def age_on(born: date, on: date) -> int:
    """Completed years (used by tests and the physician workspace)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
