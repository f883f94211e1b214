"""China-PAR for stored patients: site inputs, intended population, record inputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clinic_app.core.inference.features import FAMILY_HISTORY_SUBJECT
from clinic_app.core.inference.site_inputs import CHINA_PAR
from clinic_app.services import Services
from clinic_app.services.risk import calculate
from tests.test_risk_service import _obs

CHINA = {"china_par_population": True, "china_par_region": "north",
         "china_par_urbanisation": "urban"}


def _condition(rid, pid, code):
    return {"resourceType": "Condition", "id": rid,
            "clinicalStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "code": "active"}]},
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": code}]},
            "subject": {"reference": f"Patient/{pid}"}, "onsetDateTime": "2020-01-01"}


def _person(pid, mrn, gender, *, waist=True, family=True):
    out = [{"resourceType": "Patient", "id": pid,
            "identifier": [{"system": "urn:mrn", "value": mrn}],
            "name": [{"family": "Wang", "given": [pid]}], "gender": gender,
            "birthDate": "1976-03-01"},
           _obs(f"{pid}-tc", pid, "14647-2", 5.2, "mmol/L", "2025-11-01"),
           _obs(f"{pid}-hdl", pid, "14646-4", 1.3, "mmol/L", "2025-11-01"),
           _obs(f"{pid}-sbp", pid, "8480-6", 145, "mm[Hg]", "2025-12-01"),
           {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
            "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2025-12-01",
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                 "code": "266919005"}]}}]
    if waist:
        out.append(_obs(f"{pid}-waist", pid, "8280-0", 80, "cm", "2025-12-01"))
    if family:
        out.append(_condition(f"{pid}-fh", pid, "Z82.4"))
    return out


@pytest.fixture
def clinic(store, tmp_path):
    """Four patients: complete man, man without family history, woman, man without waist."""
    entries = (_person("m1", "M-1", "male") + _person("m2", "M-2", "male", family=False)
               + _person("f1", "F-1", "female", family=False)
               + _person("m3", "M-3", "male", waist=False))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in entries]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [bundle]).ok
    store.services.auth.logout(phys)
    return store


def _services(store, **settings):
    store.services.close()
    store.services = Services(store.settings(**settings), clock=store.clock)
    return store.services, store.login("phys")


def _by_id(scores):
    return {r.model_id: r for r in scores.results}, {n.model_id: n for n in scores.not_computed}


def test_china_site_scores_china_par_beside_pce_with_site_sources(clinic):
    """With the population set, China-PAR sits beside PCE; region/residence say 'site settings'."""
    services, phys = _services(clinic, **CHINA)
    done, failed = _by_id(services.risk.score_patient(phys, "M-1"))
    assert CHINA_PAR in done and "pce-ascvd-10y" in failed  # no race recorded: PCE cannot
    cp = done[CHINA_PAR]
    assert cp.inputs["region"].source == "from site settings (china_par_region = north)"
    assert cp.inputs["urbanisation"].source.startswith("from site settings")
    assert "Z82.4" in cp.inputs["family_history_ascvd"].source
    assert cp.inputs["waist_circumference"].value == 80
    expected = calculate(services.ctx.settings, CHINA_PAR, {
        "age": 49, "sex": "male", "total_cholesterol": 5.2 * 38.67, "hdl_cholesterol": 1.3 * 38.67,
        "systolic_bp": 145, "bp_treated": False, "smoker": False, "diabetes": False,
        "waist_circumference": 80, "region": "north", "urbanisation": "urban",
        "family_history_ascvd": True})
    assert cp.value == pytest.approx(expected.value, abs=1e-12)


def test_site_without_population_hides_china_par_and_says_why_when_named(clinic):
    """Default site: China-PAR is neither scored nor 'cannot compute'; by name: not offered."""
    services, phys = _services(clinic)
    done, failed = _by_id(services.risk.score_patient(phys, "M-1"))
    assert CHINA_PAR not in done and CHINA_PAR not in failed and "framingham-cvd-10y" in done
    scores = services.risk.what_if(phys, "M-1", CHINA_PAR, {"systolic_bp": 120})
    assert not scores.results
    assert "not offered at this site" in scores.not_computed[0].reason
    assert "china_par_population" in scores.not_computed[0].reason


def test_unset_region_is_missing_with_the_site_key_named(clinic):
    """Population set but no region: cannot compute, telling IT which key to set."""
    services, phys = _services(clinic, china_par_population=True, china_par_urbanisation="urban")
    _, failed = _by_id(services.risk.score_patient(phys, "M-1"))
    missing = {m.name: m.supplied_by for m in failed[CHINA_PAR].missing}
    assert set(missing) == {"region"}
    assert "china_par_region" in missing["region"]


def test_no_family_history_is_missing_until_the_physician_records_it(clinic):
    """No family history in the record: missing, never 'no'; a recorded answer is used."""
    services, phys = _services(clinic, **CHINA)
    _, failed = _by_id(services.risk.score_patient(phys, "M-2"))
    assert [m.name for m in failed[CHINA_PAR].missing] == ["family_history_ascvd"]
    patient_key = services.risk.score_patient(phys, "M-2", store=False).patient_key
    services.records.confirm_input(phys, patient_key, "family_history_ascvd", False,
                                   subject=FAMILY_HISTORY_SUBJECT, reason="asked today")
    done, _ = _by_id(services.risk.score_patient(phys, "M-2"))
    given = done[CHINA_PAR].inputs["family_history_ascvd"]
    assert given.value is False and given.source.startswith("recorded by phys")


def test_woman_needs_no_family_history(clinic):
    """The women's equation has no family-history term: computed, shown as not used."""
    services, phys = _services(clinic, **CHINA)
    done, _ = _by_id(services.risk.score_patient(phys, "F-1"))
    assert done[CHINA_PAR].inputs["family_history_ascvd"].source.startswith("not used")


def test_missing_waist_is_cannot_compute(clinic):
    """No waist circumference in the record: cannot compute, naming what supplies it."""
    services, phys = _services(clinic, **CHINA)
    _, failed = _by_id(services.risk.score_patient(phys, "M-3"))
    missing = {m.name: m.supplied_by for m in failed[CHINA_PAR].missing}
    assert set(missing) == {"waist_circumference"}
    assert "waist circumference within 12 months" in missing["waist_circumference"]


def test_batch_skips_china_par_outside_its_population(clinic):
    """score_all scores China-PAR only where the site marks the population."""
    services, phys = _services(clinic)
    report = services.risk.score_all(phys, model_ids=[CHINA_PAR])
    assert report.by_model[CHINA_PAR] == {"scored": 0, "not_computed": 0}
    services, phys = _services(clinic, **CHINA)
    report = services.risk.score_all(phys, model_ids=[CHINA_PAR])
    assert report.by_model[CHINA_PAR] == {"scored": 2, "not_computed": 2}


def test_calculator_does_not_ask_a_woman_for_family_history():
    """Calculator mode: a woman's inputs need neither residence nor family history."""
    from pathlib import Path

    from clinic_app.config import Settings
    r = calculate(Settings(store_dir=Path("/nonexistent")), CHINA_PAR, {
        "age": 60, "sex": "female", "total_cholesterol": 210, "hdl_cholesterol": 55,
        "systolic_bp": 130, "bp_treated": False, "smoker": False, "diabetes": True,
        "waist_circumference": 80, "region": "north"})
    assert round(r.value * 100, 1) == 10.2


def test_cli_records_family_history_then_china_par_computes(clinic, monkeypatch):
    """`patients family-history MRN no` records the answer; China-PAR then uses it."""
    import io

    from clinic_app.cli.main import main
    from tests.conftest import PASSWORDS

    services, phys = _services(clinic, **CHINA)
    services.auth.logout(phys)
    services.close()
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", "/nonexistent")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["phys"] + "\n"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["--store", str(clinic.root), "patients", "family-history", "M-2", "no",
                 "--reason", "asked at the visit", "--user", "phys", "--password-stdin"],
                out, err)
    assert code == 0, err.getvalue()
    assert "Recorded: family history of heart attack or stroke no, by phys" in out.getvalue()
    services, phys = _services(clinic, **CHINA)
    # the command ran on the real clock, so ask as of now (the lab values are old by then,
    # which is what this test leaves aside: only family history matters here)
    _, failed = _by_id(services.risk.score_patient(phys, "M-2", as_of=datetime.now(UTC),
                                                   store=False))
    assert "family_history_ascvd" not in {m.name for m in failed[CHINA_PAR].missing}
    _, before = _by_id(services.risk.score_patient(phys, "M-2", store=False))
    assert "family_history_ascvd" in {m.name for m in before[CHINA_PAR].missing}


def test_what_if_accepts_mmol_per_litre_like_the_calculator(clinic):
    """What-if takes {"value", "unit"} as the calculator does; same result as mg/dL."""
    services, phys = _services(clinic, **CHINA)
    si = services.risk.what_if(phys, "M-1", CHINA_PAR,
                               {"total_cholesterol": {"value": 4.0, "unit": "mmol/L"}})
    us = services.risk.what_if(phys, "M-1", CHINA_PAR, {"total_cholesterol": 4.0 * 38.67})
    assert si.results[0].value == pytest.approx(us.results[0].value, abs=1e-12)
    assert si.results[0].inputs["total_cholesterol"].value == pytest.approx(154.68)


def test_what_if_refuses_an_impossible_value_with_the_unit_hint(clinic):
    """5.2 typed as mg/dL total cholesterol is refused (did you mean mmol/L?)."""
    from clinic_app.errors import ImpossibleValue

    services, phys = _services(clinic, **CHINA)
    with pytest.raises(ImpossibleValue, match="mmol/L"):
        services.risk.what_if(phys, "M-1", CHINA_PAR, {"total_cholesterol": 5.2})


def test_cli_calculator_with_mmol_inputs_reproduces_the_guideline_example(tmp_path, monkeypatch):
    """`score --model china-par-ascvd-10y` with lipids in mmol/L: 4.7 %, as the official
    calculator gives for the 2019 guideline's example; a woman needs no family history."""
    import io

    from clinic_app.cli.main import main

    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", "/nonexistent")
    man = {"age": 40, "sex": "male", "total_cholesterol": {"value": 5.2, "unit": "mmol/L"},
           "hdl_cholesterol": {"value": 1.3, "unit": "mmol/L"}, "systolic_bp": 145,
           "bp_treated": False, "smoker": False, "diabetes": False,
           "waist_circumference": 80, "region": "north", "urbanisation": "urban",
           "family_history_ascvd": True}
    woman = {**{k: v for k, v in man.items() if k not in ("urbanisation",
                                                           "family_history_ascvd")},
             "sex": "female"}
    for name, inputs in (("man", man), ("woman", woman)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(inputs))
        out, err = io.StringIO(), io.StringIO()
        code = main(["score", "--model", CHINA_PAR, "--inputs", str(path), "--json"], out, err)
        assert code == 0, err.getvalue()
        data = json.loads(out.getvalue())
        if name == "man":
            assert round(data["value"] * 100, 1) == 4.7
        else:
            assert "not used" in data["inputs"]["family_history_ascvd"]["source"]
