"""What the import's speed-ups must not change: refusals, released memory, store counters.

The import was made faster by keeping the cyclic collector paused, by writing the
per-patient audit entries' clinical generations in one transaction, and by cheaper
value checks. Each test pins a property those changes could have broken.
"""

from __future__ import annotations

import gc
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.core.records import codes
from clinic_app.core.records.fhir import read_json, read_ndjson
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.store.keyring import SEEN_CLINICAL

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _patient(pid: str, mrn: str) -> dict:
    return {"resourceType": "Patient", "id": pid,
            "identifier": [{"system": "urn:oid:1.2.3", "value": mrn}],
            "name": [{"family": "Doe", "given": ["Jo"]}], "gender": "female",
            "birthDate": "1960-01-01"}


def _obs(oid: str, pid: str, loinc: str, value: object, unit: str = "mm[Hg]") -> dict:
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "code": {"coding": [{"system": codes.LOINC, "code": loinc}]},
            "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2024-05-01",
            "valueQuantity": {"value": value, "unit": unit}}


def _bundle_text(*resources: dict) -> str:
    return json.dumps({"resourceType": "Bundle", "type": "collection",
                       "entry": [{"resource": r} for r in resources]})


def _with_number(resource: dict, literal: str) -> str:
    """The bundle of ``resource`` with its valueQuantity.value written as ``literal``."""
    resource["valueQuantity"]["value"] = "@NUMBER@"
    return _bundle_text(_patient("p1", "M-1"), resource).replace('"@NUMBER@"', literal)


@pytest.mark.parametrize("loinc", ["8480-6", "8867-4"], ids=["model-input", "kept-as-written"])
@pytest.mark.parametrize(("literal", "reason"), [
    ("1" + "0" * 400, "too large to be a measured value"),
    ("1e400", "not a finite number"),
    ("-1e400", "not a finite number"),
])
def test_numbers_no_float_can_hold_are_refused(loinc, literal, reason):
    """An integer too large for a float or a decimal that overflows is refused with a
    reason, for a model input and for a code kept as written (never stored as inf)."""
    parsed = read_json(_with_number(_obs("o1", "p1", loinc, 0), literal), "big.json", NOW)
    assert [reason in e.reason for e in parsed.errors] == [True]
    assert not parsed.observations


def test_a_number_longer_than_python_reads_is_refused_not_a_crash():
    """More than 4,300 digits (Python's cap on int parsing) refuses the file with a message,
    in a bundle and on an NDJSON line, instead of escaping as an internal error."""
    text = _with_number(_obs("o1", "p1", "8480-6", 0), "1" + "0" * 5000)
    parsed = read_json(text, "long.json", NOW)
    assert [e.reason for e in parsed.errors] == [
        "a number in the JSON has more digits than any value can have"]
    lines = [json.dumps(_patient("p1", "M-1")),
             json.dumps(_obs("o1", "p1", "8480-6", 120)).replace("120", "9" * 5000)]
    parsed = read_ndjson(iter(lines), "long.ndjson", NOW)
    assert [(e.item, "more digits" in e.reason) for e in parsed.errors] == [("line 2", True)]
    assert len(parsed.patients) == 1


def test_duplicate_keys_still_refused_after_the_digit_check():
    """The digit-cap handler must not swallow the duplicate-key refusal (both are
    ValueErrors underneath)."""
    text = _bundle_text(_patient("p1", "M-1")).replace('"gender": "female"',
                                                       '"gender": "female", "gender": "male"')
    parsed = read_json(text, "dup.json", NOW)
    assert [e.reason for e in parsed.errors] == ["duplicate JSON key 'gender'"]


def test_reading_a_bundle_leaves_no_cyclic_garbage():
    """The reader builds no reference cycles, so a parsed document is freed as soon as it
    is dropped, even with the collector paused for the whole import."""
    text = _bundle_text(_patient("p1", "M-1"),
                        *(_obs(f"o{i}", "p1", "8480-6", 120 + i % 20) for i in range(200)))
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        parsed = read_json(text, "b.json", NOW)
        assert len(parsed.observations) == 200 and not parsed.errors
        del parsed
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_import_leaves_the_store_counters_consistent(store, tmp_path: Path):
    """After a many-patient import (one audit entry per patient), the clinical store's
    generation is what the key ring recorded, and signing in again passes the rollback
    checks."""
    path = tmp_path / "many.json"
    path.write_text(_bundle_text(*(_patient(f"p{i}", f"M-{i}") for i in range(12)),
                                 *(_obs(f"o{i}", f"p{i}", "8480-6", 125) for i in range(12))))
    phys = store.login("phys")
    keyring = store.services.ctx.keyring
    before = int(keyring.get_meta(SEEN_CLINICAL) or 0)
    report = store.services.records.import_files(phys, [path])
    assert report.ok and report.total("patients") == 12
    generation = int(phys.clinical.query_one(
        "SELECT value FROM clinical_generations WHERE key = 'generation'")["value"])
    assert int(keyring.get_meta(SEEN_CLINICAL)) == generation > before
    again = store.login("phys")
    assert RecordRepository(again.clinical).patient_count() == 12


def test_one_import_is_one_clinical_generation(store, tmp_path: Path):
    """A file's import and per-patient audit entries advance the clinical generation
    once, recording the last entry's sequence number as the audit head it saw."""
    path = tmp_path / "many.json"
    path.write_text(_bundle_text(*(_patient(f"p{i}", f"M-{i}") for i in range(5)),
                                 *(_obs(f"o{i}", f"p{i}", "8480-6", 125) for i in range(5))))
    phys = store.login("phys")

    def meta(key: str) -> int:
        return int(phys.clinical.query_one(
            "SELECT value FROM clinical_generations WHERE key = ?", (key,))["value"])

    before = meta("generation")
    assert store.services.records.import_files(phys, [path]).ok
    head = phys.system.query_one("SELECT max(seq) AS n FROM audit")["n"]
    assert meta("generation") == before + 1
    assert meta("seen_system") == head
