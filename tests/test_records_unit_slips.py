"""A unit slip is refused with "did you mean …?" wherever a value enters: what-if, CSV, FHIR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.core.records import codes
from clinic_app.core.records.plausibility import canonical_value
from clinic_app.errors import ImpossibleValue, InvalidInput, UnusualValue
from tests.conftest import StoreFixture
from tests.test_records_inputs import NOW, _bundle, _facts


@pytest.fixture
def patient(store: StoreFixture, tmp_path: Path):
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(*_facts())), encoding="utf-8")
    assert store.services.records.import_files(phys, [path]).ok
    return phys


def test_what_if_refuses_total_cholesterol_typed_in_mmol_per_litre(store, patient) -> None:
    """TC 5.5 typed into a Framingham what-if (mg/dL) is refused naming mmol/L, not scored."""
    with pytest.raises(ImpossibleValue, match=r"Did you mean mmol/L\? \(5\.5 mmol/L = 212\.7"):
        store.services.risk.what_if(patient, "IN-1", "framingham-cvd-10y",
                                    {"total_cholesterol": 5.5}, as_of=NOW)


def test_what_if_refuses_bilirubin_typed_in_micromol_per_litre(store, patient) -> None:
    """Bilirubin 34 in a MELD what-if reads as µmol/L typed as mg/dL: refused with the
    conversion (34 µmol/L = 1.99 mg/dL), where scoring it would give MELD 32 for 21."""
    overrides = {"bilirubin": 34.0, "creatinine": 1.9, "inr": 1.8, "sodium": 130.0,
                 "dialysis": False}
    with pytest.raises(ImpossibleValue, match=r"Did you mean µmol/L\? \(34 µmol/L = 1\.988"):
        store.services.risk.what_if(patient, "IN-1", "meld-na", overrides, as_of=NOW)
    overrides["bilirubin"] = 1.988  # the same value in mg/dL is scored
    scores = store.services.risk.what_if(patient, "IN-1", "meld-na", overrides, as_of=NOW)
    assert [r.model_id for r in scores.results] == ["meld-na"]


def test_what_if_unusual_value_can_be_confirmed_but_hard_bounds_cannot(store, patient) -> None:
    """A possible but unusual bilirubin (34 mg/dL) is refused as a what-if hint, naming how
    to confirm it; sent with its unit it is scored; an impossible value stays refused even
    with its unit."""
    overrides = {"bilirubin": 34.0, "creatinine": 1.9, "inr": 1.8, "sodium": 130.0,
                 "dialysis": False}
    with pytest.raises(UnusualValue) as refused:
        store.services.risk.what_if(patient, "IN-1", "meld-na", overrides, as_of=NOW)
    assert "Use as entered" in str(refused.value) and '{"value"' not in str(refused.value)
    assert (refused.value.feature, refused.value.value, refused.value.unit) == (
        "bilirubin", 34.0, "mg/dL")
    overrides["bilirubin"] = {"value": 34.0, "unit": "mg/dL"}
    scores = store.services.risk.what_if(patient, "IN-1", "meld-na", overrides, as_of=NOW)
    assert scores.results[0].inputs["bilirubin"].value == 34.0
    overrides["bilirubin"] = {"value": 340.0, "unit": "mg/dL"}
    with pytest.raises(ImpossibleValue, match="not physiologically possible") as hard:
        store.services.risk.what_if(patient, "IN-1", "meld-na", overrides, as_of=NOW)
    assert not isinstance(hard.value, UnusualValue)


def test_what_if_accepts_a_value_with_its_unit_and_refuses_unknown_names(store, patient) -> None:
    """{"value", "unit"} converts with the unit table; a misspelt input is named, not ignored."""
    scores = store.services.risk.what_if(
        patient, "IN-1", "framingham-cvd-10y",
        {"total_cholesterol": {"value": 5.5, "unit": "mmol/L"}}, as_of=NOW)
    assert scores.results[0].inputs["total_cholesterol"].value == pytest.approx(212.7, abs=0.1)
    with pytest.raises(InvalidInput, match="did you mean 'systolic_bp'"):
        store.services.risk.what_if(patient, "IN-1", "framingham-cvd-10y",
                                    {"systolic_BP": 120.0}, as_of=NOW)


def test_csv_total_cholesterol_in_wrong_unit_is_refused_with_the_likely_unit(tmp_path,
                                                                           store) -> None:
    """A CSV row 'TC 5.5 mg/dL' is refused (the file is not imported) and says mmol/L."""
    phys = store.login("phys")
    patients = tmp_path / "patients.csv"
    patients.write_text("mrn,family,given,birth_date,sex\nCSV-1,Slip,Ann,1960-02-03,female\n",
                        encoding="utf-8")
    observations = tmp_path / "observations.csv"
    observations.write_text("mrn,system,code,value,unit,effective_datetime\n"
                            f"CSV-1,{codes.LOINC},2093-3,5.5,mg/dL,2025-11-01\n",
                            encoding="utf-8")
    report = store.services.records.import_files(phys, [patients, observations])
    refused = next(f for f in report.files if f.file == "observations.csv")
    assert not refused.imported and refused.error_count == 1
    assert "Did you mean mmol/L? (5.5 mmol/L = 212.7 mg/dL)" in refused.errors[0].reason


def test_record_bilirubin_in_mg_per_decilitre_is_flagged_with_the_likely_unit() -> None:
    """A record that states 34 mg/dL is taken at its word but flagged, naming µmol/L."""
    spec = codes.observation_code(codes.LOINC, "1975-2")
    assert spec is not None
    value, flags = canonical_value(spec, 34.0, "mg/dL")
    assert value == 34.0
    assert flags == ["outside the expected range 0.1–30 mg/dL; verify. Did you mean µmol/L? "
                     "(34 µmol/L = 1.988 mg/dL)"]
    assert canonical_value(spec, 1.2, "mg/dL") == (1.2, [])
