"""FHIR R4 JSON/NDJSON reading: bundles, resources, statuses, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.observation import Observation as R4BObservation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.records import codes
from clinic_app.core.records.fhir import read_json, read_ndjson
from clinic_app.core.records.files import parse_bytes, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "records"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def fixture(name: str):
    parsed, _ = parse_file(FIXTURES / name, NOW)
    return parsed


def _obs(**extra):
    res = {"resourceType": "Observation", "id": "o1", "status": "final",
           "code": {"coding": [{"system": codes.LOINC, "code": "2093-3"}]},
           "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-05-01",
           "valueQuantity": {"value": 5.2, "unit": "mmol/L", "system": "http://unitsofmeasure.org",
                             "code": "mmol/L"}}
    res.update(extra)
    return res


def test_transaction_bundle_with_uuid_references():
    """A transaction bundle resolves urn:uuid subjects, picks the MR identifier and official name."""
    parsed = fixture("transaction_bundle.json")
    assert not parsed.errors
    (patient,) = parsed.patients
    assert (patient.mrn, patient.issuer) == ("TX-1001", "urn:oid:1.2.36.146.595.217.0.1")
    assert (patient.family, patient.given, patient.sex) == ("Lindqvist", "Bo Erik", "male")
    assert "urn:uuid:6f1c6a1e-0000-4000-8000-000000000001" in patient.refs
    hdl, creat = sorted(parsed.observations, key=lambda o: o.name)[::-1]
    assert hdl.name == "hdl_cholesterol" and hdl.value == pytest.approx(1.2 * 38.67)
    assert creat.name == "creatinine" and creat.value == pytest.approx(97 / 88.4)
    assert hdl.effective == datetime(2024, 2, 10, 7, 15, tzinfo=UTC)
    assert (hdl.original_value, hdl.original_unit) == ("1.2", "mmol/L")
    assert parsed.skipped[("entry", "no resource (e.g. a DELETE request)")] == 1


def test_searchset_bundle_includes_outcome_and_retraction():
    """Searchset: absolute references resolve, outcomes are skipped, entered-in-error retracts."""
    parsed = fixture("searchset_bundle.json")
    assert not parsed.errors
    (patient,) = parsed.patients
    assert patient.deceased is True
    (a1c,) = parsed.observations
    assert a1c.subject.reference == "Patient/ss-pat-1"
    assert a1c.value == pytest.approx(0.09148 * 53 + 2.152)
    (retraction,) = parsed.retractions
    assert retraction.resource_id == "Observation/ss-obs-2"
    assert parsed.skipped[("OperationOutcome", "search outcome")] == 1


def test_single_resource_file():
    """A file holding one resource (not a bundle) is read as that resource."""
    parsed = read_json(json.dumps(_obs()), "one.json", NOW)
    assert not parsed.errors and len(parsed.observations) == 1


def test_blood_pressure_panel_components():
    """The 85354-9 panel yields systolic and diastolic observations from its components."""
    panel = _obs(code={"coding": [{"system": codes.LOINC, "code": "85354-9"}]},
                 component=[
                     {"code": {"coding": [{"system": codes.LOINC, "code": "8480-6"}]},
                      "valueQuantity": {"value": 141, "unit": "mmHg"}},
                     {"code": {"coding": [{"system": codes.LOINC, "code": "8462-4"}]},
                      "valueQuantity": {"value": 92, "unit": "mm[Hg]",
                                        "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
                     {"code": {"coding": [{"system": codes.LOINC, "code": "8478-0"}]},
                      "valueQuantity": {"value": 108, "unit": "mmHg"}}])
    del panel["valueQuantity"]
    parsed = read_json(json.dumps(panel), "bp.json", NOW)
    assert not parsed.errors
    assert {(o.name, o.value) for o in parsed.observations} == {
        ("systolic_bp", 141.0), ("diastolic_bp", 92.0), ("loinc:8478-0", 108.0)}
    assert all(o.resource_id == "Observation/o1" for o in parsed.observations)


def test_smoking_status_answer():
    """Smoking status keeps its SNOMED answer; an unknown answer is kept but flagged."""
    known = _obs(code={"coding": [{"system": codes.LOINC, "code": "72166-2"}]},
                 valueCodeableConcept={"coding": [{"system": codes.SNOMED, "code": "8517006"}]})
    del known["valueQuantity"]
    (obs,) = read_json(json.dumps(known), "s.json", NOW).observations
    assert (obs.name, obs.value, obs.value_code, obs.flags) == ("smoking_status", None,
                                                                 "8517006", ())
    known["valueCodeableConcept"] = {"coding": [{"system": codes.SNOMED, "code": "1234"}]}
    (obs,) = read_json(json.dumps(known), "s.json", NOW).observations
    assert obs.flags and "not recognised" in obs.flags[0]


@pytest.mark.parametrize(("status", "outcome"), [
    ("final", "kept"), ("amended", "kept"), ("corrected", "kept"),
    ("preliminary", "flagged"), ("unknown", "flagged"),
    ("registered", "skipped"), ("cancelled", "skipped"), ("entered-in-error", "retracted"),
    ("bogus", "error"),
])
def test_observation_status(status, outcome):
    """Observation.status decides: kept, flagged, skipped, retracted, or refused when invalid."""
    parsed = read_json(json.dumps(_obs(status=status)), "s.json", NOW)
    if outcome == "error":
        assert parsed.errors and "status" in parsed.errors[0].reason
        return
    assert not parsed.errors
    if outcome in ("kept", "flagged"):
        (obs,) = parsed.observations
        assert bool(obs.flags) is (outcome == "flagged")
    elif outcome == "skipped":
        assert not parsed.observations and sum(parsed.skipped.values()) == 1
    else:
        assert not parsed.observations and len(parsed.retractions) == 1


def test_conditions_and_medications():
    """Conditions get categories and statuses; medications get classes; the rest is counted."""
    parsed = fixture("conditions_medications.json")
    assert not parsed.errors
    cats = {(c.resource_id, c.category, c.clinical_status, c.verification_status)
            for c in parsed.conditions}
    assert ("Condition/cm-af", "atrial_fibrillation", "active", "confirmed") in cats
    assert ("Condition/cm-stroke", "stroke_tia_thromboembolism", "resolved", "confirmed") in cats
    assert ("Condition/cm-dm-refuted", "diabetes", "active", "refuted") in cats
    assert ("Condition/cm-other", "other", "active", "") in cats
    meds = {m.resource_id: m for m in parsed.medications}
    assert meds["MedicationRequest/cm-mr1"].classes == ("antihypertensive",
                                                        "calcium_channel_blocker")
    assert meds["MedicationStatement/cm-ms1"].classes == ("anticoagulant",)
    assert meds["MedicationStatement/cm-ms1"].end == datetime(2021, 4, 1, tzinfo=UTC)
    assert meds["MedicationStatement/cm-ms2"].classes == ()
    assert "not recognised" in meds["MedicationStatement/cm-ms2"].flags[0]
    assert parsed.skipped[("MedicationRequest", "doNotPerform (an order not to give it)")] == 1
    assert {k.resource_type for k in parsed.kept} == {"Practitioner", "SomethingNew"}
    assert not any(reason == "resource type not used" for _kind, reason in parsed.skipped)


def test_ndjson_one_resource_per_line():
    """NDJSON reads one resource per line, ignores blank lines and names lines in reports."""
    parsed = fixture("patients.ndjson")
    assert [p.mrn for p in parsed.patients] == ["ND-1", "ND-2"]
    assert parsed.patients[1].birth_date is None
    assert parsed.flags[0].item.startswith("line 3")
    bad = read_ndjson(iter(['{"resourceType": "Patient"', json.dumps(_obs())]), "x.ndjson", NOW)
    assert bad.errors[0].item == "line 1" and len(bad.observations) == 1


@pytest.mark.parametrize(("name", "item", "reason"), [
    ("malformed.json", "malformed.json", "malformed JSON at line 2"),
    ("wrong_resource_type.json", "resource", "resourceType is missing or not a string"),
    ("wrong_elements.json", "resource (Patient/looks-like-an-obs)", "unknown element(s)"),
    ("duplicate_keys.json", "duplicate_keys.json", "duplicate JSON key 'value'"),
    ("duplicate_ids.json", "entry 4 (Observation/dup-o)", "duplicate id with different content"),
    ("out_of_range.json", "entry 2 (Observation/oor-sbp)", "systolic_bp 1200"),
    ("out_of_range.json", "entry 3 (Observation/oor-hdl)", "hdl_cholesterol 0"),
    ("future_dates.json", "entry 1 (Patient/fd-p)", "birthDate is in the future"),
    ("future_dates.json", "entry 3 (Observation/fd-o)", "in the future"),
    ("future_dates.json", "entry 4 (Condition/fd-c)", "in the future"),
    ("units.json", "entry 2 (Observation/u-unknown)", "unit 'mmol/dL' is not accepted"),
    ("units.json", "entry 3 (Observation/u-missing)", "has no unit"),
    ("units.json", "entry 4 (Observation/u-notime)", "no time zone"),
    ("missing_subject.json", "entry 4 (Condition/ms-c1)", "no subject"),
    ("fhir.xml", "fhir.xml", "FHIR XML is not read"),
])
def test_bad_input_names_item_and_reason(name, item, reason):
    """Each bad input gives an error naming the item and what is wrong."""
    parsed = fixture(name)
    assert any(p.item == item and reason in p.reason for p in parsed.errors), parsed.errors


def test_identical_duplicates_are_skipped_not_errors():
    """A resource repeated with identical content is skipped and counted, not an error."""
    parsed = fixture("duplicate_ids.json")
    assert parsed.skipped[("Observation", "duplicate entry (identical)")] == 1


def test_deep_nesting_is_refused_cleanly():
    """Pathologically deep JSON is refused with a message, not a crash."""
    deep = '{"resourceType": "Patient", "extension": ' + "[" * 100_000 + "]" * 100_000 + "}"
    parsed = parse_bytes(deep.encode(), "deep.json", NOW)
    assert parsed.errors and "nested too deeply" in parsed.errors[0].reason


def test_non_finite_numbers_are_refused():
    """NaN/Infinity literals are not JSON numbers and are refused."""
    text = json.dumps(_obs()).replace("5.2", "NaN")
    parsed = read_json(text, "nan.json", NOW)
    assert parsed.errors and "not a JSON number" in parsed.errors[0].reason


def test_unsupported_bundle_type_is_refused():
    """A history bundle (several versions of one resource) is refused as a whole."""
    parsed = read_json(json.dumps({"resourceType": "Bundle", "type": "history", "entry": []}),
                       "h.json", NOW)
    assert parsed.errors and "Bundle type 'history'" in parsed.errors[0].reason


def test_modifier_extension_skips_the_resource():
    """A modifierExtension we cannot interpret makes us skip the resource, counted."""
    parsed = read_json(json.dumps(_obs(modifierExtension=[{"url": "http://x", "valueBoolean": True}])),
                       "m.json", NOW)
    assert not parsed.observations and not parsed.errors
    assert parsed.skipped[("Observation", "has a modifierExtension we cannot interpret")] == 1


def test_boolean_is_not_a_number():
    """JSON true is not accepted as a quantity value (Python would treat it as 1)."""
    res = _obs()
    res["valueQuantity"]["value"] = True
    assert read_json(json.dumps(res), "b.json", NOW).errors


def test_timezones_are_normalised_to_utc():
    """Effective times keep their instant: +02:00 becomes UTC, fractional seconds are truncated."""
    res = _obs(effectiveDateTime="2024-05-01T23:30:00.123456789+02:00")
    (obs,) = read_json(json.dumps(res), "t.json", NOW).observations
    assert obs.effective == datetime(2024, 5, 1, 21, 30, 0, 123456, tzinfo=UTC)


# -- property tests ---------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["resourceType", "id", "status", "code", "subject",
                                       "valueQuantity", "value", "unit", "entry", "resource",
                                       "type", "coding", "system", "effectiveDateTime"]),
                      children, max_size=5),
    max_leaves=20)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_arbitrary_json_never_crashes_the_reader(doc):
    """Any JSON document yields items or per-item errors, never an exception."""
    parsed = read_json(json.dumps(doc), "fuzz.json", NOW)
    assert parsed.errors or parsed.item_count >= 0


@settings(max_examples=100)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_file_reader(data):
    """Random bytes under any name are reported as errors or read, never raise."""
    for name in ("x.json", "x.ndjson", "x.csv", "x.bin"):
        parse_bytes(data, name, NOW)


_OBS_VALUES = st.fixed_dictionaries({
    "loinc": st.sampled_from(["8480-6", "2093-3", "2085-9", "4548-4", "2160-0"]),
    "value": st.floats(min_value=-10, max_value=2000, allow_nan=False),
    "unit": st.sampled_from(["mm[Hg]", "mg/dL", "mmol/L", "%", "umol/L", "kg", ""]),
    "status": st.sampled_from(["final", "amended", "preliminary", "bogus"]),
    "effective": st.sampled_from(["2024-05-01", "2024-05-01T10:00:00Z", "2024-13-01",
                                  "2024-05-01T10:00:00", "2024"]),
})


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_OBS_VALUES)
def test_fhir_resources_oracle_agrees_on_observations(v):
    """What the R4B model library rejects (dates, structure) we reject too; values we keep
    are the model's value converted to the canonical unit."""
    res = _obs(status=v["status"], effectiveDateTime=v["effective"],
               code={"coding": [{"system": codes.LOINC, "code": v["loinc"]}]},
               valueQuantity={"value": v["value"], "unit": v["unit"],
                              "system": "http://unitsofmeasure.org", "code": v["unit"]}
               if v["unit"] else {"value": v["value"]})
    try:
        model = R4BObservation.model_validate(res)
        oracle_ok = True
    except Exception:
        oracle_ok = False
    parsed = read_json(json.dumps(res), "o.json", NOW)
    if not oracle_ok:
        assert parsed.errors or not parsed.observations
    if parsed.observations:
        assert oracle_ok
        (obs,) = parsed.observations
        spec = codes.OBSERVATIONS[v["loinc"]]
        expected = spec.units[v["unit"]].apply(float(model.valueQuantity.value))
        assert obs.value == pytest.approx(expected)


def test_garbage_collector_is_restored_after_parsing():
    """Parsing pauses the cyclic GC for speed and always restores it, even on bad input."""
    import gc

    assert gc.isenabled()
    parse_bytes(b"{not json", "x.json", NOW)
    parse_bytes(json.dumps(_obs()).encode(), "x.json", NOW)
    assert gc.isenabled()
