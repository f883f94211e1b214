"""The plain-Observation path (fhir_fast) against the general reader it short-cuts.

The fast path may only answer "not mine" (the general path then reads the resource) or
build exactly the item the general path builds. These tests read and store the same
files both ways and compare what comes out, field by field.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.records import codes, fhir_reader
from clinic_app.core.records.batch import ParsedFile
from clinic_app.core.records.fhir import read_json
from clinic_app.core.records.fhir_elements import ELEMENTS
from clinic_app.core.records.fhir_fast import PLAIN_ELEMENTS
from clinic_app.services import Services
from clinic_app.synthetic.cohort import generate_cohort
from tests.conftest import PASSWORDS

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
UCUM = "http://unitsofmeasure.org"
#: uninterpreted codes (kept as written) with values and units
OTHER = (("8867-4", 72, "/min"), ("718-7", 13.5, "g/dL"), ("2823-3", 4.2, "mmol/L"),
         ("33914-3", 85.0, "mL/min/{1.73_m2}"))


def _general_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fhir_reader, "plain_observation", lambda *args: None)


def _mixed_bundle() -> dict:
    """A generated cohort with 40 % of its quantities recoded to uninterpreted codes and
    the shapes the fast path takes or declines mixed in (status, display, text, no
    category, integer values, a unit alias, a value outside the expected range)."""
    doc = generate_cohort(12, seed=3, as_of=datetime(2025, 12, 31, tzinfo=UTC),
                          observations_per_patient=40).bundle()
    quantities = [e["resource"] for e in doc["entry"]
                  if e["resource"]["resourceType"] == "Observation"
                  and "valueQuantity" in e["resource"]]
    for n, res in enumerate(quantities, start=1):
        if n % 5 in (1, 3):
            code, value, unit = OTHER[n % len(OTHER)]
            res["code"] = {"coding": [{"system": codes.LOINC, "code": code}]}
            res["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
        if n % 7 == 0:
            res["status"] = ("amended", "corrected", "preliminary")[n % 3]
        if n % 11 == 0:
            res["code"]["coding"][0]["display"] = "As the source names it"
            res["code"]["text"] = "source text"
        if n % 13 == 0:
            res.pop("category", None)
        if n % 3 == 0 and res["valueQuantity"]["code"] == "mm[Hg]":
            res["valueQuantity"]["code"] = res["valueQuantity"]["unit"] = "mmHg"
        if n % 19 == 0:
            res["effectiveDateTime"] = "2025-03"
        if n % 23 == 0:
            res["valueQuantity"]["comparator"] = "<"
    return doc


def _items(doc: dict) -> ParsedFile:
    return read_json(json.dumps(doc), "mixed.json", NOW)


def test_plain_elements_are_observation_elements():
    """Every element the fast path accepts is one the reader knows for Observation (so
    taking a resource never skips the unknown-element refusal)."""
    assert ELEMENTS["Observation"] >= PLAIN_ELEMENTS
    assert "modifierExtension" not in PLAIN_ELEMENTS


def test_fast_and_general_read_the_same_items(monkeypatch: pytest.MonkeyPatch):
    """The mixed bundle gives identical items, errors, flags and skips both ways."""
    doc = _mixed_bundle()
    fast = _items(copy.deepcopy(doc))
    _general_only(monkeypatch)
    general = _items(doc)
    assert len(fast.observations) > 200
    assert fast.observations == general.observations
    assert (fast.errors, fast.flags, dict(fast.skipped)) == (
        general.errors, general.flags, dict(general.skipped))


def _services(template: Path, root: Path) -> Services:
    shutil.copytree(template, root)
    return Services(Settings(store_dir=root, log_dir=root.parent / "logs"),
                    clock=ManualClock(NOW))


def _stored(services: Services, path: Path) -> list[dict]:
    phys = services.auth.login("phys", PASSWORDS["phys"])
    report = services.records.import_files(phys, [path])
    assert report.ok, report.as_json()["errors"][:3]
    assert phys.clinical is not None
    return [dict(r) for r in phys.clinical.query(
        "SELECT * FROM records_observations ORDER BY id")]


def test_fast_and_general_store_the_same_facts(_store_template: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    """Importing the mixed bundle stores the same observation rows, column by column,
    through the fast path as through the general path."""
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(_mixed_bundle()))
    fast = _stored(_services(_store_template, tmp_path / "fast" / "store"), path)
    _general_only(monkeypatch)
    general = _stored(_services(_store_template, tmp_path / "general" / "store"), path)
    assert len(fast) == len(general) > 200
    for ours, theirs in zip(fast, general, strict=True):
        assert ours.keys() == theirs.keys()
        for column in ours:
            assert ours[column] == theirs[column], (column, ours["resource_id"])


_BASE: dict[str, Any] = {"resourceType": "Observation", "id": "o1", "status": "final",
         "category": [{"coding": [{"system": "s", "code": "laboratory"}]}],
         "code": {"coding": [{"system": codes.LOINC, "code": "2093-3"}]},
         "subject": {"reference": "Patient/p1"},
         "effectiveDateTime": "2025-07-30T08:54:00+00:00",
         "valueQuantity": {"value": 190, "unit": "mg/dL", "system": UCUM, "code": "mg/dL"}}
_ODD = st.one_of(st.none(), st.booleans(), st.integers(-10**400, 10**400),
                 st.floats(allow_nan=True), st.text(max_size=6), st.just([]), st.just({}))
_CHANGES = st.fixed_dictionaries({}, optional={
    "status": st.sampled_from(["final", "amended", "corrected", "preliminary", "unknown",
                               "entered-in-error", "registered", "bogus", 3]),
    "code": st.sampled_from(["2093-3", "8480-6", "8867-4", "72166-2", "", "4548-4"]),
    "system": st.sampled_from([codes.LOINC, "http://snomed.info/sct", ""]),
    "display": _ODD,
    "value": st.one_of(_ODD, st.floats(0, 400), st.integers(0, 400)),
    "unit": st.sampled_from(["mg/dL", "mmol/L", "mmHg", "mm[Hg]", "", "kg", "/min"]),
    "unit_system": st.sampled_from([UCUM, "http://other", None]),
    "effective": st.sampled_from(["2025-07-30T08:54:00+00:00", "2025-07", "2026-01-05",
                                  "2026-01-05T20:00:00Z", "2027-01-01", "2025-07-30T08:54",
                                  "2025-02-30", 20250730, "2025-07-30T08:54:00Z",
                                  "2025-07-30T08:54:00.5+02:00", "2025-07-30T24:00:00+00:00",
                                  "2025-07-30T08:54:00+25:00", "2026-01-05T09:30:00+00:00",
                                  " 2025-07-30T08:54:00+00:00", "2025-07-30T08:54:00-00:00",
                                  "2026-01-07T09:30:00+00:00", "0999-07-30T08:54:00+01:00"]),
    "reference": st.sampled_from(["Patient/p1", "Group/g", "", 5,
                                  "http://x.org/fhir/Patient/p1/_history/2"]),
    "category": st.sampled_from([None, [], [{}], [{"coding": "x"}], "lab",
                                 [{"coding": [{"code": 7}]}], [{"coding": [{"code": ""}]}]]),
    "extra": st.sampled_from(["comparator", "interpretation", "modifierExtension", "note",
                              "meta", "valueString", "bogus", "component"]),
})


def _variant(changes: dict[str, Any]) -> dict[str, Any]:
    res = copy.deepcopy(_BASE)
    coding, qty = res["code"]["coding"][0], res["valueQuantity"]
    for key, value in changes.items():
        if key == "status":
            res["status"] = value
        elif key in ("code", "system", "display"):
            coding[key] = value
        elif key == "value":
            qty["value"] = value
        elif key == "unit":
            qty["unit"] = qty["code"] = value
        elif key == "unit_system":
            qty["system"] = value
        elif key == "effective":
            res["effectiveDateTime"] = value
        elif key == "reference":
            res["subject"] = {"reference": value}
        elif key == "category":
            res["category"] = value
    extra = changes.get("extra")
    if extra == "comparator":
        qty["comparator"] = "<"
    elif extra == "interpretation":
        res["interpretation"] = [{"coding": [{"code": "H"}]}]
    elif extra == "component":
        res["component"] = [{"code": {"coding": [{"system": codes.LOINC, "code": "8480-6"}]},
                             "valueQuantity": {"value": 120, "unit": "mm[Hg]"}}]
    elif extra is not None:
        res[extra] = [{"url": "x"}] if extra == "modifierExtension" else {"x": 1}
    return res


def _read(res: dict) -> ParsedFile:
    parsed = ParsedFile("f.json", "fhir-json")
    reader = fhir_reader.Reader(parsed, NOW)
    reader.resource(copy.deepcopy(res), "entry 1", "urn:uuid:1")
    reader.resource(copy.deepcopy(res) | {"id": "o2"}, "entry 2")  # the cached date too
    return parsed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CHANGES)
def test_any_variant_reads_the_same_both_ways(changes: dict):
    """Whatever a resource holds, the reader's outcome (items, errors, flags, skips) is
    the same with the fast path as without it: it takes a resource or declines it."""
    res = _variant(changes)
    fast = _read(res)
    original = fhir_reader.plain_observation
    fhir_reader.plain_observation = lambda *args: None
    try:
        general = _read(res)
    finally:
        fhir_reader.plain_observation = original
    assert fast.observations == general.observations
    assert (fast.errors, fast.flags, dict(fast.skipped), fast.retractions) == (
        general.errors, general.flags, dict(general.skipped), general.retractions)
