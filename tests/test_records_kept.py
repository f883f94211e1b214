"""Resources of types the app does not read: kept whole, linked, flagged, counted, read back."""

from __future__ import annotations

import json
from pathlib import Path

from clinic_app.core.records.repository import RecordRepository
from tests.test_records_import import _bundle, _patient

MARKER = "Zq7-unread-marker-Vaccinia"


def _immunization(iid: str, pid: str, note: str = MARKER) -> dict:
    return {"resourceType": "Immunization", "id": iid, "status": "completed",
            "vaccineCode": {"text": note}, "patient": {"reference": f"Patient/{pid}"},
            "occurrenceDateTime": "2021-03-01"}


def _records(tmp_path: Path, name: str, *extra: dict) -> Path:
    procedure = {"resourceType": "Procedure", "id": "pr1", "status": "completed",
                 "code": {"text": "Appendectomy"}, "subject": {"reference": "Patient/p1"}}
    practitioner = {"resourceType": "Practitioner", "id": "dr1",
                    "name": [{"family": "Grey"}]}
    return _bundle(tmp_path, name, _patient("p1", "M-1"), _immunization("im1", "p1"),
                   _immunization("im2", "p1", "second dose"), procedure, practitioner, *extra)


def test_unread_types_are_kept_per_patient_and_read_back_as_received(store, tmp_path):
    """Immunizations and a procedure are stored under their patient, a practitioner
    under none; counts are per type and the JSON comes back unchanged."""
    path = _records(tmp_path, "b.json")
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [path])
    assert report.ok
    f = report.files[0]
    assert f.counts["other_resources"] == 4
    assert sum(p.reason.startswith("kept as received") for p in f.flagged) == 4
    key = RecordRepository(phys.clinical).patient_by_mrn("M-1").key
    assert store.services.kept_records.counts(phys, key) == {"Immunization": 2, "Procedure": 1}
    got = store.services.kept_records.resources(phys, key, "Immunization")
    sent = json.loads(path.read_text())["entry"][1]["resource"]
    assert [(r.resource_type, r.resource_id) for r in got] == [("Immunization", "im1"),
                                                               ("Immunization", "im2")]
    assert got[0].resource == sent
    view = store.services.records.show_patient(phys, "M-1")
    assert view.other_resources == {"Immunization": 2, "Procedure": 1}


def test_reimport_keeps_one_copy_and_a_new_version_replaces_it(store, tmp_path):
    """The same resource again is 'already imported'; changed content replaces the
    stored one, flagged."""
    phys = store.login("phys")
    store.services.records.import_files(phys, [_records(tmp_path, "a.json")])
    again = store.services.records.import_files(phys, [_records(tmp_path, "a.json")])
    skipped = {(s["kind"], s["reason"]): s["count"] for s in again.files[0].skipped}
    assert skipped[("Immunization", "already imported")] == 2
    changed = _bundle(tmp_path, "c.json", _patient("p1", "M-1"),
                      _immunization("im1", "p1", "corrected vaccine"))
    report = store.services.records.import_files(phys, [changed])
    assert any("replaces the earlier version" in p.reason for p in report.files[0].flagged)
    key = RecordRepository(phys.clinical).patient_by_mrn("M-1").key
    stored = store.services.kept_records.resources(phys, key, "Immunization")
    assert len(stored) == 2
    assert stored[0].resource["vaccineCode"] == {"text": "corrected vaccine"}


def test_unknown_patient_keeps_the_resource_unlinked_and_flags_it(store, tmp_path):
    """A kept resource naming a patient found nowhere is stored without a patient and
    flagged; it never refuses the file (nothing in it is used)."""
    path = _records(tmp_path, "u.json", _immunization("im9", "nobody"))
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [path])
    assert report.ok
    assert any(p.item.startswith("entry 6") and "kept without a patient" in p.reason
               for p in report.files[0].flagged)


def test_kept_resources_never_reach_the_disk_in_clear(store, tmp_path):
    """A text found only in a kept resource is in no file of the store (SQLCipher pages,
    WAL, blobs) after the import."""
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [_records(tmp_path, "s.json")]).ok
    source = tmp_path / "s.json"
    assert MARKER.encode() in source.read_bytes()
    for path in store.root.rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path.name


def test_a_resource_type_that_is_no_type_name_is_skipped_not_kept(store, tmp_path):
    """'resourceType: "not a type"' is counted as skipped, never stored."""
    path = _bundle(tmp_path, "n.json", _patient("p1", "M-1"),
                   {"resourceType": "not a type", "id": "x1"})
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [path])
    assert report.ok and report.files[0].counts["other_resources"] == 0
    assert report.files[0].skipped[0]["reason"].startswith("not a FHIR resource type name")
