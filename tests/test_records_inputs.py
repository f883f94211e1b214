"""Inputs that cannot be mistaken: hard bounds, units (pint/ucumvert oracles), calculator
input handling, uncertain drugs and their confirmation, record score = calculator score."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ucumvert import PintUcumRegistry

from clinic_app.cli.main import main
from clinic_app.core.inference.features import InputStatus, Lookbacks, record_inputs
from clinic_app.core.records import codes
from clinic_app.core.records.inputs import check_input, prepare_calculator_inputs
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import ImpossibleValue, InvalidInput

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
UREG = pint.UnitRegistry()
UCUM = PintUcumRegistry()
#: Molar masses (g/mol) behind the records unit table's factors.
MOLAR_MASS = {codes.TOTAL_CHOLESTEROL: 386.65, codes.TRIGLYCERIDES: 885.7,
              codes.GLUCOSE: 180.16, codes.CREATININE: 113.12, codes.BILIRUBIN: 584.66}


@pytest.mark.parametrize("fact", sorted(MOLAR_MASS))
def test_molar_factors_match_pint(fact):
    """mmol/L → mg/dL factors equal pint's conversion through the analyte's molar mass."""
    spec = codes.spec_for_fact(fact)
    expected = (UREG.Quantity(1, "mmol/L") * UREG.Quantity(MOLAR_MASS[fact], "g/mol")).to("mg/dL")
    assert spec.units["mmol/L"].factor == pytest.approx(expected.magnitude, rel=2e-3)


def test_every_accepted_unit_is_valid_ucum_with_the_right_factor():
    """Each accepted unit code parses as UCUM (ucumvert) and dimensional factors match."""
    for fact in codes.FACT_SPECS:
        spec = codes.spec_for_fact(fact)
        canonical = UCUM.from_ucum(spec.unit)
        for unit, conversion in spec.units.items():
            quantity = UCUM.from_ucum(unit)  # raises on a non-UCUM spelling
            if ("mol" in unit and "mol" not in spec.unit) or unit.startswith("{"):
                continue  # analyte-specific (checked above) or an annotation (dimensionless)
            if fact == codes.HBA1C:
                continue  # IFCC → NGSP is an equation, not a unit factor
            assert (1 * quantity).to(canonical).magnitude == pytest.approx(conversion.factor,
                                                                           rel=1e-5), unit


def test_si_lipid_codes_feed_the_scores(store, tmp_path):
    """14647-2 / 14646-4 in mmol/L are kept and become the PCE's cholesterol inputs."""
    phys = store.login("phys")
    path = tmp_path / "si.json"
    path.write_text(json.dumps(_bundle(
        _obs("tc", "14647-2", 5.5, "mmol/L"), _obs("hdl", "14646-4", 1.3, "mmol/L"))))
    assert store.services.records.import_files(phys, [path]).ok
    repo = RecordRepository(phys.clinical)
    patient = repo.patient_by_mrn("IN-1")
    tc = repo.latest(patient.key, codes.TOTAL_CHOLESTEROL, NOW)
    assert tc.value == pytest.approx(5.5 * 38.67) and tc.code == "14647-2"
    hdl = repo.latest(patient.key, codes.HDL_CHOLESTEROL, NOW)
    assert hdl.value == pytest.approx(1.3 * 38.67)


@pytest.mark.parametrize(("feature", "value", "unit", "match"), [
    ("total_cholesterol", 5.5, None, "Did you mean mmol/L"),
    ("hdl_cholesterol", 1.2, None, "Did you mean mmol/L"),
    ("creatinine", 97, None, "Did you mean µmol/L"),
    ("bilirubin", 34, None, "unusual .*Did you mean µmol/L"),
    ("systolic_bp", 1200, None, "not physiologically possible"),
    ("total_cholesterol", 5.5, "mmol/dL", "not accepted"),
    ("age", 200, None, "not possible"),
    ("total_cholesterol", 10 ** 400, None, "not a finite number"),
])
def test_impossible_or_slipped_values_are_refused(feature, value, unit, match):
    """Hard bounds refuse, naming the likely unit; a bare unusual number is a unit slip."""
    with pytest.raises(ImpossibleValue, match=match):
        check_input(feature, value, unit)


def test_explicit_units_convert_and_accept_unusual_values():
    """{"value", "unit"} converts with the records table; an explicit unusual unit is kept."""
    assert check_input("total_cholesterol", 5.5, "mmol/L").value == pytest.approx(212.685)
    assert check_input("bilirubin", 34, "mg/dL").value == 34
    assert check_input("bilirubin", 34, "µmol/L").value == pytest.approx(34 / 17.1)


@given(st.floats(min_value=30, max_value=1500))
def test_in_bounds_values_round_trip(value):
    """Any value inside the hard bounds with its canonical unit passes unchanged."""
    assert check_input("total_cholesterol", value, "mg/dL").value == value


def test_unknown_input_names_get_a_did_you_mean():
    """A misspelt input (known_CVD) is refused, never silently unused."""
    with pytest.raises(InvalidInput, match="'known_CVD' \\(did you mean 'known_cvd'\\?\\)"):
        prepare_calculator_inputs({"known_CVD": True}, ["known_cvd", "age"])
    with pytest.raises(InvalidInput, match="did you mean 'total_cholesterol'"):
        prepare_calculator_inputs({"total_cholesterl": 200}, ["total_cholesterol"])


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


PCE = {"age": 55, "sex": "female", "race": "white", "hdl_cholesterol": 50,
       "systolic_bp": 130, "bp_treated": True, "smoker": False, "diabetes": False,
       "known_cvd": False}


def _score(tmp_path: Path, payload: bytes) -> tuple[int, str, str]:
    path = tmp_path / "in.json"
    path.write_bytes(payload)
    return run("score", "--model", "pce-ascvd-10y", "--inputs", str(path), "--json")


def test_calculator_units_bom_and_unit_slips(tmp_path):
    """The calculator converts {"value","unit"}, accepts a BOM, refuses TC 5.5 as mg/dL."""
    si = dict(PCE, total_cholesterol={"value": 5.5, "unit": "mmol/L"})
    code, out, err = _score(tmp_path, b"\xef\xbb\xbf" + json.dumps(si).encode())
    assert code == 0, err
    mass = dict(PCE, total_cholesterol=5.5 * 38.67)
    _, out2, _ = _score(tmp_path, json.dumps(mass).encode())
    assert json.loads(out)["value"] == json.loads(out2)["value"]
    code, _, err = _score(tmp_path, json.dumps(dict(PCE, total_cholesterol=5.5)).encode())
    assert code != 0 and "Did you mean mmol/L" in err and "Traceback" not in err


@pytest.mark.parametrize(("payload", "match"), [
    (b'{"age": ' + b"9" * 5000 + b"}", "too long to be a clinical value"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"age": 55, "known_CVD": true}', "did you mean 'known_cvd'"),
    (b'{"age": NaN}', "not a number"),
    (b"\xff\xfe{}", "not UTF-8"),
])
def test_calculator_refuses_bad_files_clearly(tmp_path, payload, match):
    """Huge integers, deep nesting, misspelt names and bad encodings get clear messages."""
    code, _, err = _score(tmp_path, payload)
    assert code != 0 and match in err and "internal error" not in err


def test_calculator_checks_size_before_reading(tmp_path):
    """A 1 GiB (sparse) file is refused by its size, without reading it."""
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(1 << 30)
    code, _, err = run("score", "--model", "pce-ascvd-10y", "--inputs", str(big))
    assert code != 0 and "larger than" in err


def test_closed_pipe_exits_quietly(tmp_path):
    """`| head` closing stdout early ends the command quietly, with no traceback."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(dict(PCE, total_cholesterol=200)))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "clinic_app", "score", "--model",
                             "pce-ascvd-10y", "--inputs", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


# -- uncertain drugs, confirmation, record = calculator ---------------------------------

def _patient() -> dict:
    return {"resourceType": "Patient", "id": "p1",
            "identifier": [{"system": "urn:oid:1.2.3", "value": "IN-1"}],
            "name": [{"family": "Input", "given": ["Una"]}], "gender": "female",
            "birthDate": "1970-06-01",
            "extension": [{"url": codes.US_CORE_RACE, "extension": [
                {"url": "ombCategory", "valueCoding": {"system": codes.CDC_RACE,
                                                       "code": "2106-3"}}]}]}


def _obs(oid: str, loinc: str, value: float, unit: str) -> dict:
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "code": {"coding": [{"system": codes.LOINC, "code": loinc}]},
            "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-11-01",
            "valueQuantity": {"value": value, "unit": unit,
                              "system": "http://unitsofmeasure.org", "code": unit}}


def _drug(mid: str, code: str, display: str) -> dict:
    return {"resourceType": "MedicationRequest", "id": mid, "status": "active",
            "intent": "order", "subject": {"reference": "Patient/p1"},
            "authoredOn": "2025-01-01",
            "medicationCodeableConcept": {"coding": [{"system": codes.RXNORM, "code": code,
                                                      "display": display}]}}


def _bundle(*extra: dict) -> dict:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in [_patient(), *extra]]}


def _facts() -> list[dict]:
    smoking = {"resourceType": "Observation", "id": "sm", "status": "final",
               "code": {"coding": [{"system": codes.LOINC, "code": "72166-2"}]},
               "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-11-01",
               "valueCodeableConcept": {"coding": [{"system": codes.SNOMED,
                                                    "code": "266919005"}]}}
    return [_obs("tc", "14647-2", 5.5, "mmol/L"), _obs("hdl", "14646-4", 1.3, "mmol/L"),
            _obs("sbp", "8480-6", 138, "mm[Hg]"), smoking]


def test_unclassified_drug_makes_treatment_uncertain_until_confirmed(store, tmp_path):
    """An unknown drug makes 'on blood-pressure medication' uncertain, naming it; a
    confirmation settles it (recorded apart from facts, audited) until another appears."""
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(*_facts(), _drug("m1", "99999901",
                                                        "zanolol 5 MG Oral Tablet"))))
    assert store.services.records.import_files(phys, [path]).ok
    model = store.services.risk.risk_models(phys, ["pce-ascvd-10y"])[0]
    repo = RecordRepository(phys.clinical)
    patient = repo.patient_by_mrn("IN-1")
    rec = record_inputs(repo, patient, model.manifest.features, NOW, Lookbacks())
    state = rec.states["bp_treated"]
    assert state.status is InputStatus.UNCERTAIN
    assert state.reason == "zanolol 5 MG Oral Tablet — drug class not recognised"
    confirmed = store.services.records.confirm_input(phys, patient.key, "bp_treated", True,
                                                     subject=state.subject,
                                                     reason="takes it for hypertension")
    assert confirmed.confirmed_by == "phys"
    later = datetime.now(UTC)
    rec = record_inputs(repo, patient, model.manifest.features, later, Lookbacks())
    assert rec.states["bp_treated"].status is InputStatus.PRESENT
    assert rec.values["bp_treated"].value is True
    assert "confirmed by phys" in rec.values["bp_treated"].source
    assert all(m.classes == () for m in repo.all_medications(patient.key))  # not a fact
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "records.confirm_input"]
    assert len(entries) == 1 and "IN-1" not in json.dumps(entries[0].as_json())
    path.write_text(json.dumps(_bundle(_drug("m2", "99999902", "blorazide 10 MG Oral Tablet"))))
    assert store.services.records.import_files(phys, [path]).ok
    rec = record_inputs(repo, patient, model.manifest.features, datetime.now(UTC), Lookbacks())
    assert rec.states["bp_treated"].status is InputStatus.UNCERTAIN


def test_record_pce_equals_calculator_on_the_same_facts(store, tmp_path):
    """SI lipids and an SCD-coded losartan feed the PCE exactly as the calculator scores them."""
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(*_facts(), _drug("m1", "979492", ""))))
    assert store.services.records.import_files(phys, [path]).ok
    scores = store.services.risk.score_patient(phys, "IN-1", model_ids=["pce-ascvd-10y"],
                                               as_of=NOW, store=False)
    (result,) = scores.results
    inputs = {"age": 55, "sex": "female", "race": "white",
              "total_cholesterol": {"value": 5.5, "unit": "mmol/L"},
              "hdl_cholesterol": {"value": 1.3, "unit": "mmol/L"}, "systolic_bp": 138,
              "bp_treated": True, "smoker": False, "diabetes": False, "known_cvd": False}
    code, out, err = _score(tmp_path, json.dumps(inputs).encode())
    assert code == 0, err
    assert json.loads(out)["value"] == pytest.approx(result.value)


def test_known_non_cardiac_drugs_do_not_make_treatment_uncertain(store, tmp_path):
    """Sertraline and omeprazole are recognised (not blood-pressure drugs), so treatment is
    settled as "no"; an unknown drug beside them still makes it uncertain, naming only it."""
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(
        *_facts(), _drug("m1", "99999911", "sertraline 50 MG Oral Tablet"),
        _drug("m2", "99999912", "omeprazole 20 MG Delayed Release Oral Capsule"))))
    assert store.services.records.import_files(phys, [path]).ok
    model = store.services.risk.risk_models(phys, ["pce-ascvd-10y"])[0]
    repo = RecordRepository(phys.clinical)
    patient = repo.patient_by_mrn("IN-1")
    rec = record_inputs(repo, patient, model.manifest.features, NOW, Lookbacks())
    assert rec.states["bp_treated"].status is not InputStatus.UNCERTAIN
    assert rec.values["bp_treated"].value is False
    path.write_text(json.dumps(_bundle(_drug("m3", "99999913", "zanolol 5 MG Oral Tablet"))))
    assert store.services.records.import_files(phys, [path]).ok
    state = record_inputs(repo, patient, model.manifest.features, NOW, Lookbacks()).states[
        "bp_treated"]
    assert state.status is InputStatus.UNCERTAIN
    assert state.subject == "zanolol 5 MG Oral Tablet"


def test_snomed_coronary_artery_disease_is_stored_as_vascular_disease(store, tmp_path):
    """A Condition coded SNOMED 53741008 (coronary arteriosclerosis) is imported into the
    vascular-disease category that CHA2DS2-VASc and the known-CVD check read."""
    phys = store.login("phys")
    cad = {"resourceType": "Condition", "id": "cad", "subject": {"reference": "Patient/p1"},
           "code": {"coding": [{"system": codes.SNOMED, "code": "53741008",
                                "display": "Coronary arteriosclerosis"}]},
           "clinicalStatus": {"coding": [{
               "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
               "code": "active"}]},
           "onsetDateTime": "2020-03-01"}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(cad)))
    assert store.services.records.import_files(phys, [path]).ok
    repo = RecordRepository(phys.clinical)
    patient = repo.patient_by_mrn("IN-1")
    assert [c.category for c in repo.conditions(patient.key, NOW)] == ["vascular_disease"]
