"""Importing DICOM through the service: idempotence, conflicts, bad files, cancel, audit, PHI."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

import pytest
from pydicom import dcmread

from clinic_app.core.imaging import index, index_schema
from clinic_app.core.imaging.importer import import_items
from clinic_app.core.imaging.sources import SourceItem, enumerate_sources
from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.synthetic.dicom_series import Demographics, write_ct_series
from tests.conftest import StoreFixture
from tests.imaging_support import copy_pydicom_files, dicomdir_tree

DEMO = Demographics("MRN-77", "ROE^RICHARD", "1955-07-08", "M", "HOSP-A")


@pytest.fixture(scope="module")
def small_ct(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("ct")
    written = write_ct_series(out, slices=12, rows=32, cols=32, pixel_mm=12.0, demographics=DEMO)
    return out, written


def _rewrite(src: Path, dest: Path, **changes: object) -> Path:
    ds = dcmread(src)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid values are what these tests write
        for key, value in changes.items():
            setattr(ds, key, value)
        dest.parent.mkdir(parents=True, exist_ok=True)
        ds.save_as(dest, enforce_file_format=True)
    return dest


def test_import_then_reimport_is_a_no_op(store: StoreFixture, small_ct: tuple) -> None:
    """The first import stores 12 instances; the second finds 12 duplicates and writes nothing."""
    folder, written = small_ct
    rad = store.login("rad")
    first = store.services.imaging.import_dicom(rad, [folder])
    assert (first.imported, first.duplicates, first.skipped) == (12, 0, ())
    (study,) = first.studies
    assert (study.study_uid, study.patient_id, study.modalities, study.series, study.instances) == \
        (written.study_uid, "MRN-77", ("CT",), 1, 12)
    blobs_before = store.services.ctx.layout.blobs
    files_before = sorted(p.name for p in blobs_before.rglob("*") if p.is_file())
    again = store.services.imaging.import_dicom(rad, [folder])
    assert (again.imported, again.duplicates) == (0, 12)
    assert sorted(p.name for p in blobs_before.rglob("*") if p.is_file()) == files_before


def test_same_uid_different_content_keeps_the_first(store: StoreFixture, small_ct: tuple,
                                                    tmp_path: Path) -> None:
    """A changed file reusing a stored SOPInstanceUID is reported; the first copy stays."""
    folder, written = small_ct
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    changed = _rewrite(written.paths[0], tmp_path / "changed.dcm", SeriesDescription="edited")
    report = store.services.imaging.import_dicom(rad, [changed])
    assert report.imported == 0 and report.skipped[0].reason == (
        "an instance with this SOPInstanceUID is already stored with different content; the "
        "first copy was kept")
    detail = store.services.imaging.show_study(rad, written.study_uid)
    assert detail.series[0].description == "Axial 1.25mm"


def test_two_patients_in_one_study_are_flagged_not_merged(store: StoreFixture, small_ct: tuple,
                                                          tmp_path: Path) -> None:
    """An instance of a stored study but another PatientID is refused and the study flagged."""
    folder, written = small_ct
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    other = _rewrite(written.paths[0], tmp_path / "other.dcm", PatientID="MRN-99",
                     SOPInstanceUID="1.2.826.0.1.3680043.10.1541.99.1")
    report = store.services.imaging.import_dicom(rad, [other])
    assert report.imported == 0 and "belongs to a different patient" in report.skipped[0].reason
    assert report.studies[0].flags == ("patient_conflict",)
    (summary,) = store.services.imaging.list_studies(rad)
    assert summary.patient_id == "MRN-77" and summary.instances == 12
    assert summary.flags == ("patient_conflict",)


def test_differing_demographics_flag_the_study(store: StoreFixture, small_ct: tuple,
                                               tmp_path: Path) -> None:
    """Same PatientID with another birth date: imported, but the new study is flagged."""
    folder, _written = small_ct
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    new = write_ct_series(tmp_path / "later", slices=2, rows=16, cols=16, pixel_mm=20.0, seed=5,
                          demographics=Demographics("MRN-77", "ROE^RICHARD", "1955-07-09", "M",
                                                    "HOSP-A"))
    report = store.services.imaging.import_dicom(rad, [tmp_path / "later"])
    assert report.imported == 2
    assert next(s for s in report.studies if s.study_uid == new.study_uid).flags == (
        "demographics_differ",)


def test_bad_files_are_reported_and_the_rest_imported(store: StoreFixture, small_ct: tuple,
                                                      tmp_path: Path) -> None:
    """Truncated, non-DICOM, bad-UID and mismatched files are each reported; good ones import."""
    _folder, written = small_ct
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.txt").write_text("not an image\n" * 30)
    (bad / "cut.dcm").write_bytes(written.paths[0].read_bytes()[:-100])
    _rewrite(written.paths[1], bad / "uid.dcm", SOPInstanceUID="1.2.3/../../x")
    _rewrite(written.paths[2], bad / "rows.dcm", Rows=31,
             SOPInstanceUID="1.2.826.0.1.3680043.10.1541.5.5")
    copy_pydicom_files(["MR_small.dcm"], bad)
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [bad])
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert report.imported == 1
    assert reasons["notes.txt"].startswith("not a DICOM file")
    assert "truncated" in reasons["cut.dcm"]
    assert reasons["uid.dcm"].startswith("SOPInstanceUID is not a valid DICOM UID")
    assert reasons["rows.dcm"].startswith("pixel data length")


def test_dicomdir_media_import(store: StoreFixture, tmp_path: Path) -> None:
    """pydicom's DICOMDIR media imports its CR (MONOCHROME1), CT and MR studies."""
    media = dicomdir_tree(tmp_path / "cd")
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [media / "DICOMDIR"])
    assert report.imported == 31 and report.skipped == ()
    assert {m for s in report.studies for m in s.modalities} == {"CR", "CT", "MR"}


def test_cancel_keeps_whole_instances_only(store: StoreFixture, small_ct: tuple) -> None:
    """Cancelling after 5 files keeps exactly the finished instances, each blob whole."""
    folder, _written = small_ct
    rad = store.login("rad")
    cancel = CancelToken()

    def progress(done: int, total: int, message: str = "") -> None:
        if done == 5:
            cancel.cancel()

    report = store.services.imaging.import_dicom(rad, [folder], progress=progress, cancel=cancel)
    assert report.cancelled and report.imported == 5
    db, blobs = rad.clinical, rad.blobs
    assert db is not None and blobs is not None
    rows = db.query("SELECT blob_id, content_sha256 FROM dicom_instances")
    assert len(rows) == 5
    for row in rows:
        assert hashlib.sha256(blobs.get(index.BLOB_KIND, row["blob_id"])).hexdigest() == \
            row["content_sha256"]
    assert blobs.ids_on_disk() == {r["blob_id"] for r in rows}


def test_store_failure_rolls_back_the_batch_in_hand(store: StoreFixture, small_ct: tuple) -> None:
    """A failure mid-batch rolls that batch back (rows and blobs); earlier batches stay."""
    folder, _written = small_ct
    rad = store.login("rad")
    items, _ = enumerate_sources([folder])

    def explode() -> bytes:
        raise OSError(28, "No space left on device")

    class DiskFull(Exception):
        pass

    def fail() -> bytes:
        raise DiskFull("disk full")

    broken = [*items[:4], SourceItem("boom", 1, fail), *items[4:]]
    assert rad.clinical is not None and rad.blobs is not None
    with pytest.raises(DiskFull):
        import_items(rad.clinical, rad.blobs, broken, now="2026-01-01T00:00:00Z",
                     batch_instances=3)
    rows = rad.clinical.query("SELECT blob_id FROM dicom_instances")
    assert len(rows) == 3  # the first batch of three; the batch holding the failure is gone
    assert rad.blobs.ids_on_disk() == {r["blob_id"] for r in rows}
    # An ordinary read error is just a skipped file.
    unreadable = [SourceItem("gone.dcm", 1, explode)]
    tally = import_items(rad.clinical, rad.blobs, unreadable, now="2026-01-01T00:00:00Z")
    assert tally.skipped[0].reason == "cannot be read (No space left on device)"


def test_failed_import_still_audits_what_was_committed(store: StoreFixture,
                                                       tmp_path: Path) -> None:
    """A failure after one committed 200-instance batch re-raises; that batch is audited."""
    write_ct_series(tmp_path, slices=205, rows=8, cols=8, pixel_mm=50.0, demographics=DEMO)
    rad = store.login("rad")

    class Interrupted(Exception):
        pass

    def progress(done: int, total: int, message: str = "") -> None:
        if done == 203:
            raise Interrupted

    with pytest.raises(Interrupted):
        store.services.imaging.import_dicom(rad, [tmp_path], progress=progress)
    assert rad.clinical is not None
    assert len(rad.clinical.query("SELECT id FROM dicom_instances")) == 200
    admin = store.login("admin")
    entries = store.services.audit.entries(admin, AuditFilter())
    summary = [e for e in entries if e.action == "dicom.import"][-1]
    assert summary.outcome == 8 and summary.detail == {"imported": 200, "error": "Interrupted"}
    per_study = [e for e in entries if e.action == "dicom.import.study"][-1]
    assert per_study.detail == {"imported": 200, "incomplete": True} and per_study.study


def test_import_and_views_are_audited_with_pseudonyms(store: StoreFixture, small_ct: tuple) -> None:
    """Import is 110107 per study and overall; show is 110103; no UID or MRN in the log."""
    folder, written = small_ct
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    store.services.imaging.show_study(rad, written.study_uid)
    store.services.imaging.first_slice(rad, written.series_uid)
    admin = store.login("admin")
    entries = store.services.audit.entries(admin, AuditFilter())
    by_action = {e.action: e for e in entries}
    assert by_action["dicom.import"].event_code == "110107"
    assert by_action["dicom.import"].detail["imported"] == 12
    study_event = by_action["dicom.import.study"]
    assert study_event.study.startswith("s-") and study_event.patient.startswith("p-")
    assert by_action["studies.show"].event_code == "110103"
    assert by_action["studies.show"].study == study_event.study
    assert by_action["series.slice"].event_code == "110103"
    text = store.services.audit.export(admin, "json")
    assert written.study_uid not in text and "MRN-77" not in text and "ROE" not in text


def test_no_phi_in_file_names_or_plaintext(store: StoreFixture, small_ct: tuple) -> None:
    """Blobs have opaque names, and no file in the store holds the name or MRN in clear."""
    folder, written = small_ct
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    for path in store.root.rglob("*"):
        assert written.study_uid not in path.name and "MRN-77" not in path.name
        if path.is_file():
            data = path.read_bytes()
            assert b"ROE^RICHARD" not in data and b"MRN-77" not in data


def test_physician_cannot_import_but_can_view(store: StoreFixture, small_ct: tuple) -> None:
    """Physicians are refused import (audited) but may list studies."""
    folder, _ = small_ct
    phys = store.login("phys")
    with pytest.raises(PermissionDenied, match=r"dicom\.import"):
        store.services.imaging.import_dicom(phys, [folder])
    assert store.services.imaging.list_studies(phys) == []


def test_unknown_study_is_a_plain_error(store: StoreFixture) -> None:
    """Showing a study that is not stored says so without echoing the UID."""
    rad = store.login("rad")
    with pytest.raises(InvalidInput, match="No study with this UID") as err:
        store.services.imaging.show_study(rad, "1.2.3.4")
    assert "1.2.3.4" not in str(err.value)


def test_undecodable_transfer_syntax_is_indexed(store: StoreFixture, small_ct: tuple,
                                                tmp_path: Path) -> None:
    """An MPEG-2 instance is stored; show lists why it cannot be decoded; loading says so."""
    from pydicom.encaps import encapsulate
    from pydicom.uid import MPEG2MPML

    _folder, written = small_ct
    ds = dcmread(written.paths[0])
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1541.7.7"
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1541.7.8"
    ds.PixelData = encapsulate([b"\x00\x00\x01\xb3" + b"\x00" * 60])
    ds.file_meta.TransferSyntaxUID = MPEG2MPML
    buf = io.BytesIO()
    ds.save_as(buf)
    path = tmp_path / "video.dcm"
    path.write_bytes(buf.getvalue())
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, [path]).imported == 1
    detail = store.services.imaging.show_study(rad, written.study_uid)
    (series,) = [s for s in detail.series if s.series_uid == ds.SeriesInstanceUID]
    assert series.decodable == 0
    assert series.not_decodable == ("pixel data not decodable: MPEG2 Main Profile / Main Level",)
    with pytest.raises(InvalidInput, match="MPEG2 Main Profile"):
        store.services.imaging.load_series_volume(rad, ds.SeriesInstanceUID)


def test_imaging_store_upgrades_to_the_patient_orientation_column(tmp_path: Path) -> None:
    """An imaging index at schema v1 gains patient_orientation; old instances read as None."""
    from clinic_app.core.store.database import Database, migrate

    db = Database(tmp_path / "c.db", bytes(range(32)), create=True)
    migrate(db, "imaging", index_schema.MIGRATIONS[:1])
    with db.transaction():
        pid = db.execute("INSERT INTO dicom_patients(identity_key, created_at) VALUES ('id||P', 'x')")
        sid = db.execute("INSERT INTO dicom_studies(study_uid, dicom_patient_id, imported_at) "
                         "VALUES ('1.2', ?, 'x')", (pid,))
        se = db.execute("INSERT INTO dicom_series(series_uid, study_id, modality) VALUES ('1.3', ?, 'CR')",
                        (sid,))
        db.execute("INSERT INTO dicom_instances(sop_instance_uid, sop_class_uid, series_id, blob_id, "
                   "size_bytes, content_sha256, transfer_syntax, decodable, imported_at) "
                   "VALUES ('1.4', '1.2.840.10008.5.1.4.1.1.1', ?, 'b', 1, '00', '1.2.840.10008.1.2.1', 0, 'x')",
                   (se,))
    assert migrate(db, "imaging", index_schema.MIGRATIONS) == len(index_schema.MIGRATIONS) >= 2
    (old,) = index.series_instances(db, "1.3")
    assert old.patient_orientation is None and old.source_name == ""
    db.close()
