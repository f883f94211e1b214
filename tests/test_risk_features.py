"""Model inputs from a patient record via the RecordQuery protocol (test data, not mocks)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest

from clinic_app.core.inference.features import Lookbacks, record_inputs
from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.core.records.facts import (
    Condition,
    Medication,
    Observation,
    PatientRecord,
    Provenance,
)
from clinic_app.core.records.repository import months_before

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
PROV = Provenance("bundle.json", "Observation/1", NOW)


@dataclass
class Facts:
    """A patient's record as plain data; implements RecordQuery the obvious way."""

    patient: PatientRecord
    observations: list[Observation] = field(default_factory=list)
    conds: list[Condition] = field(default_factory=list)
    meds: list[Medication] = field(default_factory=list)

    def patient_by_mrn(self, mrn, issuer=None):
        return self.patient if mrn == self.patient.mrn else None

    def latest(self, patient_key, name, as_of, lookback_months=None):
        cutoff = months_before(as_of, lookback_months) if lookback_months is not None else None
        found = [o for o in self.observations if o.name == name and o.effective <= as_of
                 and (cutoff is None or o.effective >= cutoff)]
        return max(found, key=lambda o: o.effective) if found else None

    def history(self, patient_key, name):
        return sorted((o for o in self.observations if o.name == name), key=lambda o: o.effective)

    def conditions(self, patient_key, as_of):
        return [c for c in self.conds if c.onset is None or c.onset <= as_of]

    def medications(self, patient_key, as_of):
        return [m for m in self.meds if (m.start is None or m.start <= as_of)
                and (m.end is None or m.end >= as_of)]

    confirmations: list = field(default_factory=list)

    def confirmation(self, patient_key, feature, subject, as_of):
        found = [c for c in self.confirmations if (c.feature, c.subject) == (feature, subject)
                 and c.confirmed_at <= as_of]
        return found[-1] if found else None


def obs(name, value, when, code="0000-0", value_code=None, unit="mg/dL"):
    return Observation(1, "http://loinc.org", code, name, value, unit, when, PROV, value_code)


def cond(category, onset=datetime(2020, 1, 1, tzinfo=UTC)):
    return Condition(1, "http://snomed.info/sct", "123", category, category.replace("_", " "), onset,
                     None, "active", "confirmed", PROV)


def patient(sex="male", born=date(1966, 3, 10)):
    return PatientRecord(1, "MRN1", "", "Doe", "J", born, sex)


def full_record(**changes) -> Facts:
    f = Facts(patient(), [
        obs("total_cholesterol", 213, datetime(2025, 1, 1, tzinfo=UTC), "2093-3"),
        obs("hdl_cholesterol", 50, datetime(2025, 1, 1, tzinfo=UTC), "2085-9"),
        obs("systolic_bp", 130, datetime(2026, 2, 1, tzinfo=UTC), "8480-6", unit="mm[Hg]"),
        obs("systolic_bp", 150, datetime(2024, 2, 1, tzinfo=UTC), "8480-6", unit="mm[Hg]"),
        obs("smoking_status", None, datetime(2026, 1, 1, tzinfo=UTC), "72166-2", "8517006", ""),
    ])
    for k, v in changes.items():
        setattr(f, k, v)
    return f


@pytest.fixture(scope="module")
def framingham():
    reg = ModelRegistry.default(None)
    return RiskModel(create_session(reg.load("framingham-cvd-10y"), RuntimeOptions(gpu_preference="cpu")))


def test_latest_values_within_lookback_with_dates_and_sources(framingham):
    """Newest value within the look-back is used, with its date and source; age is at the scoring date."""
    rec = record_inputs(full_record(), full_record().patient, framingham.manifest.features, NOW,
                        Lookbacks())
    assert not rec.missing
    assert rec.values["age"].value == 60
    assert rec.values["systolic_bp"].value == 130
    assert rec.values["systolic_bp"].date == datetime(2026, 2, 1, tzinfo=UTC)
    assert "bundle.json" in rec.values["systolic_bp"].source
    assert rec.values["smoker"].value is False  # ex-smoker
    result = framingham.score(rec.values, hints=rec.hints)
    assert 0 < result.value < 1
    assert any("counted as absent" in f for f in result.flags)  # no treatment, no diabetes recorded


def test_old_values_outside_lookback_are_missing_with_what_supplies_them(framingham):
    """Lipids older than the look-back are missing, and the message names the LOINC and window."""
    rec = record_inputs(full_record(), full_record().patient, framingham.manifest.features, NOW,
                        Lookbacks(lipids=12))
    missing = {m.name: m.supplied_by for m in rec.missing}
    assert set(missing) == {"total_cholesterol", "hdl_cholesterol"}
    assert missing["total_cholesterol"] == "a total cholesterol result within 12 months"


def test_past_dates_see_the_record_as_it_was(framingham):
    """Scoring as of 2024 uses the 2024 blood pressure and the age then."""
    when = datetime(2024, 6, 1, tzinfo=UTC)
    rec = record_inputs(full_record(), full_record().patient, framingham.manifest.features, when,
                        Lookbacks())
    assert rec.values["systolic_bp"].value == 150
    assert rec.values["age"].value == 58
    # Lipids (2025) and smoking status (2026) were recorded later, so they were missing then.
    assert {m.name for m in rec.missing} == {"smoker", "total_cholesterol", "hdl_cholesterol"}


def test_derived_features_from_conditions_medications_and_hba1c(framingham):
    """Treated hypertension from medications; diabetes from HbA1c ≥ 6.5%; current smoker from SNOMED."""
    record = full_record()
    record.meds = [Medication(1, "http://www.whocc.no/atc", "C09AA05", "ramipril", ("antihypertensive",),
                              "active", datetime(2025, 1, 1, tzinfo=UTC), None, PROV)]
    record.observations.append(obs("hba1c", 6.8, datetime(2026, 3, 1, tzinfo=UTC), "4548-4", unit="%"))
    record.observations.append(obs("smoking_status", None, datetime(2026, 4, 1, tzinfo=UTC), "72166-2",
                                   "449868002", ""))
    rec = record_inputs(record, record.patient, framingham.manifest.features, NOW, Lookbacks())
    assert rec.values["bp_treated"].value is True and "ramipril" in rec.values["bp_treated"].source
    assert rec.values["diabetes"].value is True and "HbA1c 6.8%" in rec.values["diabetes"].source
    assert rec.values["smoker"].value is True
    assert not any(rec.values[k].assumed_absent for k in ("bp_treated", "diabetes", "smoker"))


def test_known_cardiovascular_disease_flags_primary_prevention_scores(framingham):
    """A prior MI on the problem list flags Framingham as primary-prevention only."""
    record = full_record()
    record.conds = [cond("vascular_disease")]
    rec = record_inputs(record, record.patient, framingham.manifest.features, NOW, Lookbacks())
    assert rec.values["known_cvd"].value is True
    assert any("primary prevention only" in f for f in framingham.score(rec.values).flags)


def test_unknown_smoking_status_and_sex_are_missing_not_defaulted(framingham):
    """'Unknown' smoking status and sex 'unknown' are missing inputs, never a default."""
    record = full_record(patient=patient(sex="unknown"))
    record.observations.append(obs("smoking_status", None, datetime(2026, 5, 1, tzinfo=UTC), "72166-2",
                                   "266927001", ""))
    rec = record_inputs(record, record.patient, framingham.manifest.features, NOW, Lookbacks())
    assert {m.name for m in rec.missing} == {"sex", "smoker"}


@pytest.fixture(scope="module")
def pce():
    reg = ModelRegistry.default(None)
    return RiskModel(create_session(reg.load("pce-ascvd-10y"), RuntimeOptions(gpu_preference="cpu")))


def test_pce_without_race_cannot_compute_and_says_how_to_record_it(pce):
    """No race on the record: PCE is 'cannot compute: missing race (…)', never a default race."""
    rec = record_inputs(full_record(), full_record().patient, pce.manifest.features, NOW, Lookbacks())
    [race] = rec.missing
    assert race.describe() == ("race (record the patient's race, e.g. US Core race extension or "
                               "the CSV race column)")
    assert "race" not in rec.values


@pytest.mark.parametrize("race", ["white", "african_american"])
def test_pce_reads_race_from_the_record_with_its_source(pce, race):
    """A recorded race is used as is, with what the source said as the input's source."""
    record = full_record(patient=replace(patient(), race=race,
                                         race_source="US Core race extension: White (2106-3)"))
    rec = record_inputs(record, record.patient, pce.manifest.features, NOW, Lookbacks())
    assert not rec.missing
    assert rec.values["race"].value == race
    assert "US Core race extension" in rec.values["race"].source
    result = pce.score(rec.values, hints=rec.hints)
    assert not any("race 'other'" in f for f in result.flags)


def test_pce_other_race_uses_the_white_equations_with_the_guideline_flag(pce):
    """Race 'other' from the record scores exactly as white and carries the guideline's flag."""
    def score(race):
        record = full_record(patient=replace(patient(), race=race))
        rec = record_inputs(record, record.patient, pce.manifest.features, NOW, Lookbacks())
        return pce.score(rec.values, hints=rec.hints)

    other, white = score("other"), score("white")
    assert other.value == white.value
    assert any("white equations were used, as the guideline directs" in f for f in other.flags)


def test_cha2ds2vasc_without_af_says_so():
    """A record with no atrial fibrillation scores CHA2DS2-VASc with a 'not applicable' flag."""
    reg = ModelRegistry.default(None)
    cha = RiskModel(create_session(reg.load("cha2ds2-vasc"), RuntimeOptions(gpu_preference="cpu")))
    record = full_record()
    record.conds = [cond("hypertension")]
    rec = record_inputs(record, record.patient, cha.manifest.features, NOW, Lookbacks())
    result = cha.score(rec.values, hints=rec.hints)
    assert result.value == 1
    assert any("applies only to patients with AF" in f for f in result.flags)
    record.conds.append(cond("atrial_fibrillation"))
    rec = record_inputs(record, record.patient, cha.manifest.features, NOW, Lookbacks())
    assert not any("AF" in f for f in cha.score(rec.values).flags)
