"""De-identified export: PS3.15 Table E.1-1 actions, no PHI byte left, stable pseudonyms, refusals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pydicom
import pytest

from clinic_app.core.dicom_out.deid import clean_text, shift_date_value
from clinic_app.core.dicom_out.deid_fhir import bundle
from clinic_app.core.dicom_out.deid_profile import Action, row_for, table
from clinic_app.core.records.facts import Observation, PatientRecord
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import IntegrityError, InvalidInput, PermissionDenied
from tests.conftest import PASSWORDS, StoreFixture
from tests.results_support import PATIENT, dciodvfy_errors, write_phantom
from tests.test_ai_cli import run

EXTRA = {"InstitutionName": "St Elsewhere Hospital", "ReferringPhysicianName": "House^Gregory",
         "OperatorsName": "Nurse^Jackie", "PatientAddress": "12 Calle Toboso La Mancha",
         "OtherPatientIDs": "OTHER-5521", "StudyDescription": "CT CHEST for Quixote",
         "SeriesDescription": "Axial 2.5mm Dulcinea protocol", "PatientComments": "Toboso villa",
         "InstitutionAddress": "1 Hospital Road Elsewhere", "StationName": "CTQX01"}


def _phantom(folder: Path, **changes: str) -> tuple[str, list[pydicom.Dataset]]:
    study, _series = write_phantom(folder, slices=6)
    out = []
    for path in sorted(folder.glob("*.dcm")):
        ds = pydicom.dcmread(path)
        for key, value in {**EXTRA, **changes}.items():
            setattr(ds, key, value)
        block = ds.private_block(0x0011, "ACME SITE", create=True)
        block.add_new(0x01, "LO", "Quixote private note")
        ds.save_as(path, enforce_file_format=True)
        out.append(ds)
    return study, out


@pytest.fixture
def phantom(store: StoreFixture, tmp_path: Path):
    """A 6-slice phantom CT full of identifying values, imported into a real store."""
    study, sources = _phantom(tmp_path / "ct")
    sess = store.login("rad")
    store.services.imaging.import_dicom(sess, [tmp_path / "ct"])
    return store, sess, study, sources


def _phi(sources: list[pydicom.Dataset]) -> set[str]:
    """Every identifying value of the input, and the parts of names and addresses."""
    values = {PATIENT.patient_id, "19610412", "20251103", "Quixote", "Dulcinea", "House",
              "Gregory", "Jackie", "Toboso", "Mancha", "OTHER-5521", "Elsewhere", "CTQX01",
              "ACME SITE"}
    for ds in sources:
        values |= {str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID),
                   str(ds.FrameOfReferenceUID), str(ds.AccessionNumber)}
    return values


def test_output_follows_table_e11_row_by_row(phantom, tmp_path: Path):
    """Each attribute of the input with a Table E.1-1 row got its action; privates removed; marked."""
    store, sess, study, sources = phantom
    report = store.services.deid.export_study(sess, study, tmp_path / "out")
    shift = int(sess.clinical.query_one("SELECT shift_days FROM deid_patients")["shift_days"])
    assert shift < 0
    by_number = {int(ds.InstanceNumber): ds for ds in sources}
    checked: set[str] = set()
    for path in report.files:
        out = pydicom.dcmread(path)
        src = by_number[int(out.InstanceNumber)]
        for elem in src:
            if elem.tag.is_private:
                assert elem.tag not in out
                continue
            row = row_for(int(elem.tag))
            if row is None or elem.keyword in ("PatientIdentityRemoved",):
                continue
            checked.add(elem.keyword)
            action = row.action
            if action is Action.REMOVE:
                assert elem.tag not in out, elem.keyword
            elif action is Action.EMPTY:
                value = out.get(elem.tag)
                assert value is None or value.value in (None, "", []) or \
                    str(value.value) == report.pseudonym, elem.keyword
            elif action is Action.DUMMY:
                assert str(out[elem.tag].value) != str(elem.value), elem.keyword
            elif action is Action.UID:
                assert str(out[elem.tag].value).startswith("2.25.")
                assert str(out[elem.tag].value) != str(elem.value)
            elif action is Action.CLEAN and elem.VR == "DA":
                assert out[elem.tag].value == shift_date_value(str(elem.value), "DA", shift)
            elif action is Action.CLEAN and elem.VR in ("LO", "SH", "LT", "ST") and elem.tag in out:
                value = str(out[elem.tag].value)
                assert clean_text(value) == value and "QUIXOTE" not in value, elem.keyword
        assert out.PatientIdentityRemoved == "YES"
        assert out.LongitudinalTemporalInformationModified == "MODIFIED"
        assert {c.CodeValue for c in out.DeidentificationMethodCodeSequence} == {
            "113100", "113107", "113105"}
        assert out.PatientID == out.PatientName == report.pseudonym
    assert {"PatientName", "PatientID", "PatientBirthDate", "StudyDate", "StudyInstanceUID",
            "SOPInstanceUID", "AccessionNumber", "InstitutionName", "StudyDescription",
            "SeriesDescription", "OperatorsName", "ReferringPhysicianName"} <= checked
    assert len(table()) == 441


def test_no_phi_value_of_the_input_is_in_any_output_byte(phantom, tmp_path: Path):
    """Scanning every output file's bytes finds none of the input's identifying values."""
    store, sess, study, sources = phantom
    report = store.services.deid.export_study(sess, study, tmp_path / "out")
    assert len(report.files) == 6
    phi = _phi(sources)
    for path in report.files:
        data = path.read_bytes()
        for value in phi:
            assert value.encode() not in data, (path.name, value)
            assert value.upper().encode() not in data, (path.name, value)
    assert all(study not in str(p) for p in report.files)


def test_reexport_keeps_pseudonym_and_uids_and_the_map_is_encrypted(phantom, tmp_path: Path):
    """Two exports give the same pseudonym and UIDs; the stored map is not readable on disk."""
    store, sess, study, _ = phantom
    first = store.services.deid.export_study(sess, study, tmp_path / "a")
    second = store.services.deid.export_study(sess, study, tmp_path / "b")
    assert first.pseudonym == second.pseudonym
    a, b = (pydicom.dcmread(r.files[0]) for r in (first, second))
    assert (a.StudyInstanceUID, a.SOPInstanceUID, a.StudyDate) == \
        (b.StudyInstanceUID, b.SOPInstanceUID, b.StudyDate)
    jobs = sess.clinical.query("SELECT id FROM deid_jobs")
    assert len(jobs) == 2
    mapped = sess.clinical.query_one("SELECT COUNT(*) AS n FROM deid_uid_map")["n"]
    assert mapped >= 6 * 2
    for path in store.root.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert first.pseudonym.encode() not in raw and study.encode() not in raw, path.name


def test_output_has_no_dciodvfy_errors_the_input_did_not_have(phantom, tmp_path: Path):
    """De-identification adds no IOD errors (dciodvfy) to what the source already had."""
    store, sess, study, _ = phantom
    report = store.services.deid.export_study(sess, study, tmp_path / "out")
    source = next((tmp_path / "ct").glob("*.dcm"))
    before = set(dciodvfy_errors(source))
    after = set(dciodvfy_errors(report.files[0]))
    assert after <= before, after - before


@pytest.mark.parametrize("changes, why", [
    ({"BurnedInAnnotation": "YES"}, "BurnedInAnnotation YES"),
    ({"Modality": "US"}, "ultrasound"),
    ({"Modality": "XA"}, "angiography"),
])
def test_burned_in_risk_is_refused_with_reason_and_nothing_written(store: StoreFixture,
                                                                   tmp_path: Path, changes, why):
    """Burned-in YES, US and XA without a 'NO' are refused, nothing written, the refusal audited."""
    study, _ = _phantom(tmp_path / "ct", **changes)
    sess = store.login("rad")
    store.services.imaging.import_dicom(sess, [tmp_path / "ct"])
    with pytest.raises(InvalidInput, match=why):
        store.services.deid.export_study(sess, study, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.dcm")) if (tmp_path / "out").exists() else True
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "deid.export"]
    assert entries[-1].outcome != "0" and entries[-1].detail["error"] == "InvalidInput"
    allowed = store.services.deid.export_study(sess, study, tmp_path / "out",
                                                allow_burned_in=True)
    assert len(allowed.files) == 6


def test_admin_cannot_export_and_a_clinician_export_is_audited_once(phantom, tmp_path: Path):
    """The admin is refused; a clinician's export writes one deid.export entry with counts only."""
    store, sess, study, _ = phantom
    with pytest.raises(PermissionDenied):
        store.services.deid.export_study(store.login("admin"), study, tmp_path / "x")
    store.services.deid.export_study(sess, study, tmp_path / "out")
    entries = [e for e in store.services.audit.entries(store.login("admin"), AuditFilter())
               if e.action == "deid.export"]
    assert len(entries) == 1 and entries[0].detail["files"] == 6
    assert PATIENT.patient_id not in json.dumps(entries[0].detail)


def test_fhir_bundle_is_pseudonymised_and_dates_shift_exactly():
    """The bundle names the pseudonym only; birth and observation dates move by the shift."""
    patient = PatientRecord(key=1, mrn="MRN-778899", issuer="", family="Quixote",
                            given="Dulcinea", birth_date=date(1961, 4, 12), sex="female")
    when = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
    obs = Observation(1, "http://loinc.org", "8480-6", "systolic_bp", 142.0, "mm[Hg]", when,
                      provenance=None)  # type: ignore[arg-type]
    doc = bundle(patient, "ANON-ABC", -400, [obs], [], [])
    text = json.dumps(doc)
    for value in ("MRN-778899", "Quixote", "Dulcinea", "1961-04-12", "2025-11-03"):
        assert value not in text
    assert doc["entry"][0]["resource"]["birthDate"] == (date(1961, 4, 12) - timedelta(400)).isoformat()
    effective = datetime.fromisoformat(doc["entry"][1]["resource"]["effectiveDateTime"])
    assert when - effective == timedelta(days=400)
    assert doc["entry"][1]["resource"]["valueQuantity"]["value"] == 142.0


def test_cli_export_deid_by_patient_and_usage(phantom, tmp_path: Path, monkeypatch):
    """export deid --patient MRN --json writes the study; neither or both targets is a usage error."""
    store, _sess, _study, _ = phantom
    s = ["--store", str(store.root)]
    code, out, err = run([*s, "export", "deid", "--patient", PATIENT.patient_id, "--to",
                          str(tmp_path / "out"), "--json"], monkeypatch)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["studies"] == 1 and len(doc["files"]) == 6 and doc["fhir_bundle"] is None
    assert "does not view patient records" in doc["notes"][0]
    code, _out, err = run([*s, "export", "deid", "--to", str(tmp_path / "x")], monkeypatch)
    assert code == 2 and "STUDY_UID or --patient" in err
    assert PASSWORDS


def test_physician_patient_export_has_images_and_a_pseudonymised_fhir_record(phantom,
                                                                            tmp_path: Path):
    """export_patient by a physician: the images and a FHIR Bundle sharing one pseudonym, dates
    shifted by the stored shift, and none of the record's identifying values in the file."""
    store, _rad, _study, _ = phantom
    record = {"resourceType": "Patient", "id": "p1",
              "identifier": [{"system": "urn:mrn", "value": PATIENT.patient_id}],
              "name": [{"family": "Quixote", "given": ["Dulcinea"]}], "gender": "female",
              "birthDate": "1961-04-12"}
    obs = {"resourceType": "Observation", "id": "o1", "status": "final",
           "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
           "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-10-01T08:00:00Z",
           "valueQuantity": {"value": 142, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org",
                             "code": "mm[Hg]"}}
    (tmp_path / "record.json").write_text(json.dumps(
        {"resourceType": "Bundle", "type": "collection",
         "entry": [{"resource": record}, {"resource": obs}]}))
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [tmp_path / "record.json"]).ok
    report = store.services.deid.export_patient(phys, PATIENT.patient_id, tmp_path / "out")
    assert report.fhir_bundle is not None and len(report.files) == 6
    doc = json.loads(report.fhir_bundle.read_text())
    text = report.fhir_bundle.read_text()
    for value in ("Quixote", "Dulcinea", PATIENT.patient_id, "1961-04-12", "2025-10-01", "p1\""):
        assert value not in text, value
    patient = doc["entry"][0]["resource"]
    assert patient["id"] == report.pseudonym == pydicom.dcmread(report.files[0]).PatientID
    shift = int(phys.clinical.query_one("SELECT shift_days FROM deid_patients")["shift_days"])
    assert patient["birthDate"] == (date(1961, 4, 12) + timedelta(days=shift)).isoformat()
    observation = next(e["resource"] for e in doc["entry"]
                       if e["resource"]["resourceType"] == "Observation")
    moved = datetime.fromisoformat(observation["effectiveDateTime"])
    assert moved == datetime(2025, 10, 1, 8, 0, tzinfo=UTC) + timedelta(days=shift)


def test_free_text_inside_sequences_is_cleaned_and_dates_there_shift():
    """An SR TEXT item naming a person is cleaned; a DATE item moves by the shift."""
    from pydicom.dataset import Dataset

    from clinic_app.core.dicom_out.deid import Deidentifier, Pseudonym

    text, when = Dataset(), Dataset()
    text.ValueType, text.TextValue = "TEXT", "Seen by Dr Quixote: CT CHEST nodule"
    when.ValueType, when.Date = "DATE", "20251103"
    ds = Dataset()
    ds.ContentSequence = [text, when]
    out = Deidentifier(Pseudonym(b"k" * 32, "ANON-1", -400)).apply(ds)
    assert out.ContentSequence[0].TextValue == "CT CHEST"
    assert out.ContentSequence[1].Date == "20240929"


def test_a_damaged_stored_instance_stops_the_export_with_nothing_written(phantom, tmp_path: Path):
    """Instances are read one at a time; one that no longer decrypts fails the export whole."""
    store, sess, study, _ = phantom
    blob_id = sess.clinical.query(
        "SELECT i.blob_id FROM dicom_instances i ORDER BY i.instance_number DESC, i.id DESC")[0][0]
    path = sess.blobs.path_for(blob_id)
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF  # inside the ciphertext: the GCM tag no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(IntegrityError):
        store.services.deid.export_study(sess, study, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*")) if (tmp_path / "out").exists() else True


def test_a_large_chunked_instance_is_exported_with_its_pixels_intact(store: StoreFixture,
                                                                     tmp_path: Path):
    """An instance stored in the chunked layout (over 8 MiB) is read as a stream, pixels whole."""
    from clinic_app.core.store.blobs import STREAM_BYTES
    from clinic_app.synthetic.dicom_series import write_ct_series

    written = write_ct_series(tmp_path / "ct", slices=1, rows=2100, cols=2100, seed=3)
    source = pydicom.dcmread(written.paths[0])
    assert len(source.PixelData) >= STREAM_BYTES
    sess = store.login("rad")
    store.services.imaging.import_dicom(sess, [tmp_path / "ct"])
    done = store.services.deid.export_study(sess, written.study_uid, tmp_path / "out")
    (path,) = done.files
    assert pydicom.dcmread(path).PixelData == source.PixelData
