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

Every input also gets a state (:class:`InputState`): ``present``, ``missing`` or
``uncertain``, with a plain-language reason. *Uncertain* is what the record cannot settle:
a current medication the terminology package cannot classify ("losartan 50 mg — drug
class not recognised") makes "on blood-pressure medication" uncertain instead of a
quiet "no". The value computed without that drug is still given (the risk panel shows
it as uncertain); a physician settles it with :meth:`RecordsService.confirm_input`,
which is recorded apart from the facts, audited, and applies only while the same
drugs are the cause. Numeric values are checked against the hard bounds
(:func:`clinic_app.core.records.inputs.check_input`) at scoring time too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from clinic_app.core.inference.manifest import FeatureSpec
from clinic_app.core.inference.risk import InputValue, MissingInput
from clinic_app.core.records import codes
from clinic_app.core.records.facts import Observation, PatientRecord, RecordQuery
from clinic_app.core.records.inputs import check_input
from clinic_app.errors import ImpossibleValue
from clinic_app.i18n import translate


class InputStatus(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class InputState:
    """How the record settles one model input, in words a physician reads."""

    name: str
    status: InputStatus
    reason: str = ""  # "losartan 50 mg — drug class not recognised", "no HDL within 24 months"
    #: What a confirmation must name to settle an uncertain input (the drugs' names).
    subject: str = ""


@dataclass(frozen=True)
class Uncertain:
    """A resolver's answer when the record cannot settle the input: the value without
    the unclear items (``value``), and why it is uncertain."""

    value: InputValue
    reason: str
    subject: str


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


Resolver = Callable[[Context], "InputValue | Uncertain | None"]


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
        # Stored values passed the hard bounds at import; checked again so that a value
        # stored before the bounds existed cannot reach an equation.
        checked = check_input(feature or name, float(obs.value), obs.unit)
        return InputValue(feature or name, checked.value, obs.unit, obs.effective, _src(obs))
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


def bp_treatment_unsettled(query: RecordQuery, patient_key: int,
                           as_of: datetime) -> tuple[str, str] | None:
    """(reason, subject) when unclassified drugs leave "on blood-pressure medication" open:
    no recognised antihypertensive is active and at least one drug has no class. The risk
    panel asks the physician to confirm exactly this subject (the drugs' names)."""
    meds = query.medications(patient_key, as_of)
    if any(codes.ANTIHYPERTENSIVE in med.classes for med in meds):
        return None
    unclear = sorted({m.display or "a medication without a name" for m in meds
                      if not m.recognised})
    if not unclear:
        return None
    return "; ".join(f"{d} — drug class not recognised" for d in unclear), "; ".join(unclear)


def _bp_treated(ctx: Context) -> InputValue | Uncertain | None:
    meds = ctx.query.medications(ctx.patient.key, ctx.as_of)
    for med in meds:
        if codes.ANTIHYPERTENSIVE in med.classes:
            return InputValue("bp_treated", True, "", med.start,
                              f"medication '{med.display}' ({med.status})")
    unsettled = bp_treatment_unsettled(ctx.query, ctx.patient.key, ctx.as_of)
    if unsettled is None:
        return InputValue("bp_treated", False, "", None,
                          "no active blood-pressure medication", assumed_absent=True)
    reason, subject = unsettled
    confirmed = ctx.query.confirmation(ctx.patient.key, "bp_treated", subject, ctx.as_of)
    if confirmed is not None:
        return InputValue("bp_treated", confirmed.value == "true", "", confirmed.confirmed_at,
                          translate("features", "confirmed by {user} on {date} ({subject}); "
                                    "a physician's statement, not a record fact").format(
                              user=confirmed.confirmed_by,
                              date=confirmed.confirmed_at.date().isoformat(), subject=subject))
    return Uncertain(
        InputValue("bp_treated", False, "", None, "no recognised blood-pressure medication",
                   assumed_absent=True),
        reason, subject)


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


def _family_history(ctx: Context) -> InputValue | None:
    """A family history of ASCVD from the problem list (ICD-10 Z82.3/Z82.4), else the
    physician's recorded answer; never assumed absent (a record rarely says "none")."""
    for cond in ctx.query.conditions(ctx.patient.key, ctx.as_of):
        if cond.category == "family_history_ascvd":
            return InputValue("family_history_ascvd", True, "", cond.onset,
                              f"condition {cond.code} '{cond.display}' "
                              f"({cond.provenance.source_file})")
    said = ctx.query.confirmation(ctx.patient.key, "family_history_ascvd", FAMILY_HISTORY_SUBJECT,
                                  ctx.as_of)
    if said is None:
        return None
    return InputValue("family_history_ascvd", said.value == "true", "", said.confirmed_at,
                      translate("features", "recorded by {user} on {day}").format(
                          user=said.confirmed_by, day=said.confirmed_at.date().isoformat()))


#: What a physician's answer about family history is recorded against.
FAMILY_HISTORY_SUBJECT = "family history of ASCVD (parent or sibling with MI or stroke)"


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
        lambda lb: f"a total cholesterol result {_months('lipids')(lb)}"),
    "hdl_cholesterol": FeatureSource(
        _observation(codes.HDL_CHOLESTEROL, "lipids"),
        lambda lb: f"an HDL cholesterol result {_months('lipids')(lb)}"),
    "systolic_bp": FeatureSource(
        _observation(codes.SYSTOLIC_BP, "vitals"),
        lambda lb: f"a systolic blood pressure {_months('vitals')(lb)}"),
    "smoker": FeatureSource(
        _smoker, lambda lb: f"a smoking status (current/former/never) "
                            f"{_months('vitals')(lb)}"),
    "bp_treated": FeatureSource(_bp_treated, lambda lb: "medication list"),
    "diabetes": FeatureSource(_diabetes, lambda lb: "problem list, or an HbA1c result"),
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
        lambda lb: f"a serum creatinine result {_months('labs')(lb)}"),
    "bilirubin": FeatureSource(
        _observation(codes.BILIRUBIN, "labs", "bilirubin"),
        lambda lb: f"a total bilirubin result {_months('labs')(lb)}"),
    "inr": FeatureSource(_observation(codes.INR, "labs"),
                         lambda lb: f"an INR result {_months('labs')(lb)}"),
    "sodium": FeatureSource(_observation(codes.SODIUM, "labs", "sodium"),
                            lambda lb: f"a serum sodium within {lb.labs} months"),
    "bmi": FeatureSource(_observation(codes.BMI, "vitals"),
                         lambda lb: f"a body mass index {_months('vitals')(lb)}"),
    "waist_circumference": FeatureSource(
        _observation(codes.WAIST_CIRCUMFERENCE, "vitals"),
        lambda lb: f"a waist circumference {_months('vitals')(lb)}"),
    "family_history_ascvd": FeatureSource(
        _family_history, lambda lb: translate(
            "features", "a family history on the problem list, or recorded with 'clinic-app "
                        "patients family-history'")),
}

@dataclass(frozen=True)
class RecordInputs:
    values: dict[str, InputValue]
    missing: list[MissingInput]
    hints: dict[str, str]  # feature name -> what would supply it
    #: feature name -> present / missing / uncertain with a reason (for the risk panel)
    states: dict[str, InputState] = field(default_factory=dict)

    @property
    def uncertain(self) -> list[InputState]:
        return [s for s in self.states.values() if s.status is InputStatus.UNCERTAIN]


#: What one patient's record gave for each input (by name) as of one date and lookbacks:
#: the value, None, or the ImpossibleValue it raised. A caller scoring several models for
#: the same patient, date and lookbacks passes one memo so each input is read once.
Memo = dict[str, "InputValue | Uncertain | ImpossibleValue | None"]


def resolve_once(source: FeatureSource, ctx: Context, name: str,
                 memo: Memo | None) -> InputValue | Uncertain | None:
    """``source.resolve(ctx)``, or the answer ``memo`` holds for ``name`` (refusals too)."""
    if memo is None:
        return source.resolve(ctx)
    if name not in memo:
        try:
            memo[name] = source.resolve(ctx)
        except ImpossibleValue as exc:
            memo[name] = exc
    held = memo[name]
    if isinstance(held, ImpossibleValue):
        raise held
    return held


def record_inputs(query: RecordQuery, patient: PatientRecord, features: Sequence[FeatureSpec],
                  as_of: datetime, lookbacks: Lookbacks, *,
                  memo: Memo | None = None) -> RecordInputs:
    """Resolve every feature a model needs (tensor and context) from the record."""
    ctx = Context(query, patient, as_of, lookbacks)
    values: dict[str, InputValue] = {}
    missing: list[MissingInput] = []
    hints: dict[str, str] = {}
    states: dict[str, InputState] = {}
    for spec in features:
        source = CATALOGUE.get(spec.name)
        if source is None:
            hint = "no record mapping for this input; use calculator mode"
            hints[spec.name] = hint
            states[spec.name] = InputState(spec.name, InputStatus.MISSING, hint)
            if spec.role == "tensor":
                missing.append(MissingInput(spec.name, spec.label, hint))
            continue
        hints[spec.name] = source.supplied_by(lookbacks)
        try:
            value = resolve_once(source, ctx, spec.name, memo)
        except ImpossibleValue as exc:  # a stored value outside the hard bounds
            value, hints[spec.name] = None, f"{exc} Correct it in the source record."
        if value is None:
            states[spec.name] = InputState(spec.name, InputStatus.MISSING, hints[spec.name])
            if spec.role == "tensor":
                missing.append(MissingInput(spec.name, spec.label, hints[spec.name]))
            continue
        if isinstance(value, Uncertain):
            states[spec.name] = InputState(spec.name, InputStatus.UNCERTAIN, value.reason,
                                           value.subject)
            value = value.value
        else:
            states[spec.name] = InputState(spec.name, InputStatus.PRESENT)
        values[spec.name] = value
    return RecordInputs(values, missing, hints, states)


def age_on(born: date, on: date) -> int:
    """Completed years (used by tests and the physician workspace)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
