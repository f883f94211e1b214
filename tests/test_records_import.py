"""Importing records into the encrypted store: all-or-nothing, provenance, audit, queries."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.core.records import codes
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import AuditFilter, EventCode
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import InvalidInput, PermissionDenied

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def _bundle(tmp_path: Path, name: str, *resources: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in resources]}))
    return path


def _patient(pid: str, mrn: str, birth: str = "1960-01-01", sex: str = "female",
             family: str = "Doe") -> dict:
    return {"resourceType": "Patient", "id": pid,
            "identifier": [{"system": "urn:oid:1.2.3", "value": mrn}],
            "name": [{"family": family, "given": ["Jo"]}], "gender": sex, "birthDate": birth}


def _obs(oid: str, pid: str, loinc: str, value: float, unit: str, when: str,
         status: str = "final") -> dict:
    return {"resourceType": "Observation", "id": oid, "status": status,
            "code": {"coding": [{"system": codes.LOINC, "code": loinc}]},
            "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": when,
            "valueQuantity": {"value": value, "unit": unit}}


def _repo(session) -> RecordRepository:
    return RecordRepository(session.clinical)


def test_import_bundle_stores_facts_with_provenance(store, tmp_path):
    """A bundle's facts land in the store in canonical units with file, id and times."""
    phys = store.login("phys")
    path = _bundle(tmp_path, "labs.json", _patient("p1", "M-1"),
                   _obs("c1", "p1", "2093-3", 5.2, "mmol/L", "2024-05-01T08:00:00Z"),
                   _obs("c2", "p1", "2093-3", 190, "mg/dL", "2025-05-01T08:00:00Z"))
    report = store.services.records.import_files(phys, [path])
    assert report.ok and report.as_json()["observations"] == 2
    repo = _repo(phys)
    patient = repo.patient_by_mrn("M-1")
    assert patient is not None and patient.issuer == "urn:oid:1.2.3"
    first = repo.latest(patient.key, "total_cholesterol", datetime(2024, 12, 31, tzinfo=UTC))
    assert first is not None and first.value == pytest.approx(201.084)
    assert (first.original_value, first.original_unit) == ("5.2", "mmol/L")
    assert first.provenance.source_file == "labs.json"
    assert first.provenance.resource_id == "Observation/c1"
    assert first.provenance.imported_at == store.clock.now
    latest = repo.latest(patient.key, "total_cholesterol", datetime(2026, 1, 1, tzinfo=UTC))
    assert latest is not None and latest.value == 190
    assert repo.latest(patient.key, "total_cholesterol", datetime(2026, 1, 1, tzinfo=UTC),
                       lookback_months=6) is None
    assert [o.value for o in repo.history(patient.key, "total_cholesterol")] == [
        pytest.approx(201.084), 190]
    (entry,) = repo.imports()
    assert entry.source_file == "labs.json" and entry.counts["observations"] == 2


def test_one_bad_item_imports_nothing_and_reports_all(store, tmp_path):
    """A file with any error is rolled back entirely, and every error is listed."""
    phys = store.login("phys")
    path = _bundle(tmp_path, "mixed.json", _patient("p1", "M-2"),
                   _obs("ok", "p1", "8480-6", 130, "mmHg", "2024-01-01"),
                   _obs("bad1", "p1", "8480-6", 1200, "mmHg", "2024-01-02"),
                   _obs("bad2", "ghost", "8480-6", 120, "mmHg", "2024-01-03"))
    report = store.services.records.import_files(phys, [path])
    assert not report.ok
    errors = {e["item"]: e["reason"] for e in report.as_json()["errors"]}
    assert "physiologically possible" in errors["entry 3 (Observation/bad1)"]
    assert "not in this file or the store" in errors["entry 4 (Observation/bad2)"]
    assert report.as_json()["patients"] == 0
    assert _repo(phys).patient_count() == 0 and _repo(phys).observation_count() == 0


def test_fixture_files_with_errors_import_nothing(store):
    """Every hand-written bad fixture is refused without storing anything."""
    phys = store.login("phys")
    bad = ["malformed.json", "wrong_resource_type.json", "wrong_elements.json",
           "duplicate_keys.json", "duplicate_ids.json", "missing_subject.json",
           "out_of_range.json", "future_dates.json", "units.json", "fhir.xml",
           "observations_bad.csv", "patients_latin1.csv"]
    report = store.services.records.import_files(phys, [FIXTURES / n for n in bad])
    assert not any(f.imported for f in report.files)
    assert all(f.errors for f in report.files)
    assert _repo(phys).patient_count() == 0


def test_reimport_is_a_no_op(store, tmp_path):
    """Importing the same file twice stores nothing new and says so."""
    phys = store.login("phys")
    path = _bundle(tmp_path, "b.json", _patient("p1", "M-3"),
                   _obs("o1", "p1", "8480-6", 130, "mmHg", "2024-01-01"))
    store.services.records.import_files(phys, [path])
    again = store.services.records.import_files(phys, [path]).files[0]
    assert again.imported and again.counts["observations_new"] == 0
    assert {"kind": "Observation", "reason": "already imported", "count": 1} in again.skipped
    assert _repo(phys).observation_count() == 1


def test_conflicting_demographics_are_never_merged(store, tmp_path):
    """The same MRN with another birth date is refused; another name is kept and flagged."""
    phys = store.login("phys")
    store.services.records.import_files(phys, [_bundle(tmp_path, "a.json",
                                                       _patient("p1", "M-4"))])
    clash = store.services.records.import_files(
        phys, [_bundle(tmp_path, "b.json", _patient("p1", "M-4", birth="1961-01-01"))])
    assert not clash.ok and "different birth date" in clash.files[0].errors[0].reason
    renamed = store.services.records.import_files(
        phys, [_bundle(tmp_path, "c.json", _patient("p1", "M-4", family="Smith"))])
    assert renamed.ok and "name differs" in renamed.files[0].flagged[0].reason
    assert _repo(phys).patient_by_mrn("M-4").family == "Doe"


def test_ndjson_files_refer_across_files(store):
    """Observation NDJSON resolves Patient/<id> against the Patient NDJSON on the same command,
    whatever the order given, and the stored refs serve later imports."""
    phys = store.login("phys")
    report = store.services.records.import_files(
        phys, [FIXTURES / "observations.ndjson", FIXTURES / "patients.ndjson"])
    assert report.ok, report.as_json()["errors"]
    repo = _repo(phys)
    p2 = repo.patient_by_mrn("ND-2")
    assert p2 is not None and p2.birth_date is None
    tg = repo.latest(p2.key, "triglycerides", datetime(2026, 1, 1, tzinfo=UTC))
    assert tg is not None and tg.value == pytest.approx(1.7 * 88.57)
    assert tg.flags == ("preliminary result",)


def test_csv_templates_import_and_link_by_mrn(store):
    """The patients CSV, then the observations CSV referring to it by MRN."""
    phys = store.login("phys")
    report = store.services.records.import_files(
        phys, [FIXTURES / "observations_tab.csv", FIXTURES / "patients_bom_semicolon.csv"])
    assert report.ok, report.as_json()["errors"]
    repo = _repo(phys)
    c2 = repo.patient_by_mrn("C-2", "urn:oid:5.5")
    smoking = repo.latest(c2.key, "smoking_status", datetime(2026, 1, 1, tzinfo=UTC))
    assert smoking is not None and codes.smoking_category(smoking.value_code) == "former"
    assert smoking.provenance.resource_id == "csv:5"


def test_conditions_and_medications_as_of(store):
    """Refuted/entered-in-error conditions never count; resolved stroke still counts as history;
    resolved HF counts only before its abatement; medications follow their dates."""
    phys = store.login("phys")
    assert store.services.records.import_files(
        phys, [FIXTURES / "conditions_medications.json"]).ok
    repo = _repo(phys)
    key = repo.patient_by_mrn("CM-1").key
    now = {c.category for c in repo.conditions(key, datetime(2025, 1, 1, tzinfo=UTC))}
    assert now == {"atrial_fibrillation", "stroke_tia_thromboembolism", "other"}
    then = {c.category for c in repo.conditions(key, datetime(2020, 9, 1, tzinfo=UTC))}
    assert "heart_failure" in then and "stroke_tia_thromboembolism" in then
    before = {c.category for c in repo.conditions(key, datetime(2019, 1, 1, tzinfo=UTC))}
    assert "atrial_fibrillation" not in before and "stroke_tia_thromboembolism" not in before
    meds_2020 = {m.code for m in repo.medications(key, datetime(2020, 1, 1, tzinfo=UTC))}
    assert meds_2020 == {"11289"}
    meds_2023 = {m.code: m for m in repo.medications(key, datetime(2023, 6, 1, tzinfo=UTC))}
    assert set(meds_2023) == {"C08CA01", "999999999"}
    assert "antihypertensive" in meds_2023["C08CA01"].classes
    assert meds_2023["999999999"].classes == ()


def test_corrections_and_retractions(store, tmp_path):
    """A corrected observation replaces its earlier value; entered-in-error withdraws it."""
    phys = store.login("phys")
    first = _bundle(tmp_path, "1.json", _patient("p1", "M-5"),
                    _obs("o1", "p1", "8480-6", 180, "mmHg", "2024-01-01"))
    store.services.records.import_files(phys, [first])
    fix = _bundle(tmp_path, "2.json", _obs("o1", "p1", "8480-6", 118, "mmHg", "2024-01-01",
                                           status="corrected"))
    report = store.services.records.import_files(phys, [fix])
    assert report.ok and "replaces 1 earlier value" in report.files[0].flagged[0].reason
    repo = _repo(phys)
    key = repo.patient_by_mrn("M-5").key
    assert [o.value for o in repo.history(key, "systolic_bp")] == [118]
    gone = _bundle(tmp_path, "3.json", _obs("o1", "p1", "8480-6", 118, "mmHg", "2024-01-01",
                                            status="entered-in-error"))
    assert store.services.records.import_files(phys, [gone]).ok
    assert repo.history(key, "systolic_bp") == []


def test_observation_before_birth_is_refused(store, tmp_path):
    """A fact dated before the patient was born cannot be true and is refused."""
    phys = store.login("phys")
    path = _bundle(tmp_path, "b.json", _patient("p1", "M-6", birth="1990-01-01"),
                   _obs("o1", "p1", "8480-6", 120, "mmHg", "1985-01-01"))
    report = store.services.records.import_files(phys, [path])
    assert not report.ok and "before the patient's birth" in report.files[0].errors[0].reason


def test_imports_and_views_are_audited_with_pseudonyms(store, tmp_path):
    """Imports log 110107 per file and per patient, views 110110; no MRN appears in the log."""
    phys = store.login("phys")
    path = _bundle(tmp_path, "b.json", _patient("p1", "MRN-SECRET-1"),
                   _obs("o1", "p1", "8480-6", 120, "mmHg", "2024-01-01"))
    store.services.records.import_files(phys, [path])
    store.services.records.show_patient(phys, "MRN-SECRET-1")
    store.services.records.list_patients(phys)
    admin = store.login("admin")
    entries = store.services.audit.entries(admin, AuditFilter())
    imports = [e for e in entries if e.event_code == EventCode.IMPORT]
    assert {e.action for e in imports} == {"records.import", "records.import.patient"}
    per_patient = next(e for e in imports if e.action == "records.import.patient")
    view = next(e for e in entries if e.action == "patients.show")
    assert view.event_code == EventCode.PATIENT_RECORD
    assert per_patient.patient and per_patient.patient == view.patient
    assert "MRN-SECRET-1" not in json.dumps([e.as_json() for e in entries])
    assert "b.json" not in json.dumps([e.as_json() for e in entries])
    assert store.services.audit.verify(admin).ok  # batched checkpoint matches the chain head


def test_only_physicians_import_and_view(store, tmp_path):
    """Radiologists and the admin may not import records or view patients."""
    path = _bundle(tmp_path, "b.json", _patient("p1", "M-7"))
    for name in ("rad", "admin"):
        session = store.login(name)
        with pytest.raises(PermissionDenied):
            store.services.records.import_files(session, [path])
        with pytest.raises(PermissionDenied):
            store.services.records.list_patients(session)


def test_show_patient_view_and_unknown_mrn(store, tmp_path):
    """patients show gives latest values, conditions and medications; an unknown MRN is refused."""
    phys = store.login("phys")
    store.services.records.import_files(phys, [FIXTURES / "conditions_medications.json",
                                               FIXTURES / "searchset_bundle.json"])
    view = store.services.records.show_patient(phys, "SS-77")
    assert view.patient.deceased and [o.name for o in view.latest] == ["hba1c"]
    with pytest.raises(InvalidInput, match="No patient with this MRN"):
        store.services.records.show_patient(phys, "NOPE")


def test_ambiguous_mrn_needs_an_issuer(store, tmp_path):
    """One MRN under two issuers is two patients; asking without an issuer is refused."""
    phys = store.login("phys")
    a = _patient("a", "SAME")
    b = {**_patient("b", "SAME"), "identifier": [{"system": "urn:oid:7.7", "value": "SAME"}]}
    assert store.services.records.import_files(phys, [_bundle(tmp_path, "x.json", a, b)]).ok
    with pytest.raises(InvalidInput, match="give the issuer"):
        store.services.records.show_patient(phys, "SAME")
    assert store.services.records.show_patient(phys, "SAME", "urn:oid:7.7").patient.issuer == \
        "urn:oid:7.7"


def test_cancel_keeps_nothing_of_the_file_in_progress(store, tmp_path):
    """Cancelling during a file rolls that file back and reports the rest as not imported."""
    phys = store.login("phys")
    token = CancelToken()
    first = _bundle(tmp_path, "1.json", _patient("p1", "M-8"))
    second = _bundle(tmp_path, "2.json", _patient("p2", "M-9"))

    def progress(done: int, total: int, message: str = "") -> None:
        if message.endswith("— patients"):  # "file 1 of 2 — patients"
            token.cancel()

    report = store.services.records.import_files(phys, [first, second], progress=progress,
                                                 cancel=token)
    assert report.cancelled and not any(f.imported for f in report.files)
    assert _repo(phys).patient_count() == 0


def test_as_of_must_be_timezone_aware(store):
    """Naive datetimes are refused by the query API rather than read as local time."""
    phys = store.login("phys")
    with pytest.raises(ValueError, match="timezone-aware"):
        _repo(phys).latest(1, "systolic_bp", datetime(2024, 1, 1))


def test_unreadable_file_is_reported(store, tmp_path):
    """A missing file is reported as not imported, with the reason."""
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [tmp_path / "nope.json"])
    assert not report.ok and "cannot read the file" in report.files[0].errors[0].reason
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_subject_by_identifier(store, tmp_path):
    """A subject given as an identifier (MRN, with or without its system) resolves."""
    phys = store.login("phys")
    by_id = {**_obs("o1", "x", "8480-6", 121, "mmHg", "2024-01-01"),
             "subject": {"identifier": {"value": "M-10"}}}
    with_system = {**_obs("o2", "x", "8480-6", 122, "mmHg", "2024-01-02"),
                   "subject": {"identifier": {"system": "urn:oid:1.2.3", "value": "M-10"}}}
    report = store.services.records.import_files(
        phys, [_bundle(tmp_path, "b.json", _patient("p1", "M-10"), by_id, with_system)])
    assert report.ok, report.as_json()["errors"]
    key = _repo(phys).patient_by_mrn("M-10").key
    assert [o.value for o in _repo(phys).history(key, "systolic_bp")] == [121, 122]
