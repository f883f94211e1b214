"""Damaged DICOM data after import: the decoder wall, gaps in a series, named errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut

from clinic_app.core.imaging import importer
from clinic_app.core.imaging.boundary import InstanceRef, decoder_wall
from clinic_app.core.imaging.render import render
from clinic_app.errors import DecodeError, InvalidInput
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.conftest import PASSWORDS, StoreFixture
from tests.dicom_damage import corrupt_zip_member, make_rle_panic, panicking_rle_frame
from tests.imaging_support import copy_pydicom_files, dicomdir_tree, pydicom_file


def _rle_panic() -> BaseException:
    from rle.rle import decode_frame

    try:
        decode_frame(panicking_rle_frame(8, 8), 64, 16, "<")
    except BaseException as exc:
        return exc
    raise AssertionError("the crafted frame no longer panics pylibjpeg-rle")


def test_wall_turns_a_rust_panic_into_a_named_decode_error() -> None:
    """A real pyo3 PanicException (a BaseException) becomes a DecodeError naming file, UID, frame."""
    panic = _rle_panic()
    assert not isinstance(panic, Exception)  # it really bypasses `except Exception`
    ref = InstanceRef("1.2.3.4", source="IM00002.dcm", instance_number=2, row_id=7)
    with pytest.raises(DecodeError) as info, decoder_wall(ref, 0, "RLE Lossless pixel data"):
        raise panic
    text = str(info.value)
    assert "IM00002.dcm" in text and "1.2.3.4" in text and "frame 1" in text
    assert "index out of bounds" not in text and "\n" not in text
    assert info.value.sop_instance_uid == "1.2.3.4" and info.value.frame == 1


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3), GeneratorExit()])
def test_wall_lets_interrupts_through(exc: BaseException) -> None:
    """Ctrl+C, exit and generator close are the user's and the interpreter's: never converted."""
    with pytest.raises(type(exc)), decoder_wall(InstanceRef("1.2"), 0, "pixel data"):
        raise exc


def _rle_series(root: Path, bad: tuple[int, ...], slices: int = 4) -> tuple:
    written = write_ct_series(root, slices=slices, rows=64, cols=64, pixel_mm=1.0,
                              spacing_mm=2.5, compression="rle", seed=11)
    for k in bad:
        make_rle_panic(written.paths[k])
    return written


@pytest.fixture
def stored_without_test_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Import as versions before the import-time test decode did: damaged frames get stored."""
    monkeypatch.setattr(importer, "TEST_DECODE", False)


def test_import_refuses_an_instance_whose_frames_do_not_decode(
        store: StoreFixture, tmp_path: Path) -> None:
    """Slice 1's RLE data panics the decoder: that file is refused, by instance number, the
    other three import, and the series loads with no gap."""
    written = _rle_series(tmp_path / "ct", bad=(1,))
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [tmp_path / "ct"])
    assert report.imported == 3
    (skip,) = report.skipped
    assert skip.path == str(written.paths[1])
    assert skip.reason.startswith("pixel data cannot be decoded, so this instance was not imported")
    number = dcmread(written.paths[1], stop_before_pixels=True).InstanceNumber
    assert f"instance {number}," in skip.reason and "frame 1" in skip.reason
    assert written.sop_uids[1] in skip.reason and "index out of bounds" not in skip.reason
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    assert vol.gaps == () and vol.voxels.shape[0] == 3


def test_one_panicking_slice_is_a_gap_and_the_series_stays_viewable(
        store: StoreFixture, tmp_path: Path, stored_without_test_decode: None) -> None:
    """Slice 1 panics the RLE decoder: the volume loads, lists that instance as a gap, renders."""
    written = _rle_series(tmp_path / "ct", bad=(1,))
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [tmp_path / "ct"])
    assert report.imported == 4, report.skipped
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    (gap,) = vol.gaps
    assert gap.slice_index == 1 and gap.sop_instance_uid == written.sop_uids[1]
    assert vol.missing_instances == (written.sop_uids[1],)
    assert written.sop_uids[1] in gap.reason and "IM" in gap.reason and "frame 1" in gap.reason
    assert "2 of 4" not in vol.gap_summary() and "1 of 4 slices" in vol.gap_summary()
    assert np.isnan(vol.voxels[1]).all() and np.isfinite(vol.voxels[[0, 2, 3]]).all()
    assert not render(vol.voxels[1], vol.display.default).any()  # the gap is black
    assert render(vol.voxels[0], vol.display.default).any()


def test_analyze_on_a_series_that_panics_prints_one_line(
        store: StoreFixture, tmp_path: Path, stored_without_test_decode: None) -> None:
    """A stored series whose every slice panics → analyze in a real process: one line, no trace."""
    written = _rle_series(tmp_path / "ct", bad=(0, 1, 2, 3))
    assert store.services.imaging.import_dicom(store.login("rad"), [tmp_path / "ct"]).imported == 4
    env = {**os.environ, "RUST_BACKTRACE": "1", "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    base = [sys.executable, "-m", "clinic_app", "--store", str(store.root)]
    auth = ["--user", "rad", "--password-stdin"]
    done = subprocess.run([*base, "analyze", written.study_uid, "--model",
                           "ct-hyperdense-lesion-demo", *auth], input=PASSWORDS["rad"] + "\n",
                          capture_output=True, text=True, env=env, timeout=300)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    assert "could not be decoded" in lines[0] and "internal error" not in lines[0]
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr


def test_analyze_on_a_gapped_series_names_the_missing_instance(
        store: StoreFixture, tmp_path: Path, stored_without_test_decode: None) -> None:
    """One stored slice of six does not decode: analyze refuses by naming that instance and
    saying why the model needs it, never with the pipeline's NaN message."""
    written = _rle_series(tmp_path / "ct", bad=(2,), slices=6)
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, [tmp_path / "ct"]).imported == 6
    with pytest.raises(InvalidInput) as info:
        store.services.analysis.analyze(rad, written.study_uid, "ct-hyperdense-lesion-demo")
    text = str(info.value)
    number = dcmread(written.paths[2], stop_before_pixels=True).InstanceNumber
    assert f"instance {number} ({written.sop_uids[2]}, frame 1)" in text
    assert "1 of 6 slices could not be decoded" in text and "needs every slice" in text
    assert "NaN" not in text and "\n" not in text


# -- archives ---------------------------------------------------------------------------------
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2])
def test_one_corrupt_zip_member_is_skipped_and_the_rest_imports(
        store: StoreFixture, tmp_path: Path, method: int) -> None:
    """A damaged deflate/LZMA/bzip2 member is one skip with a reason; the other members import."""
    written = write_ct_series(tmp_path / "ct", slices=3, rows=32, cols=32, pixel_mm=1.0, seed=5)
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w", compression=method) as zf:
        for p in written.paths:
            zf.write(p, f"CT/{p.name}")
    corrupt_zip_member(archive, f"CT/{written.paths[1].name}")
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [archive])
    assert report.imported == 2
    (skip,) = report.skipped
    assert skip.path.endswith(f"!CT/{written.paths[1].name}")
    assert skip.reason.startswith("archive member cannot be read: ")
    assert "damaged" in skip.reason or "checksum" in skip.reason


def test_zip_duplicate_names_and_dicomdir_named_instances_are_imported(
        store: StoreFixture, tmp_path: Path) -> None:
    """Two members with one name both import; an instance named DICOMDIR imports (zip and folder)."""
    written = write_ct_series(tmp_path / "ct", slices=4, rows=32, cols=32, pixel_mm=1.0, seed=6)
    archive = tmp_path / "dup.zip"
    with zipfile.ZipFile(archive, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        zf.write(written.paths[0], "IM1")
        zf.write(written.paths[1], "IM1")
        zf.write(written.paths[2], "sub/DICOMDIR")
    folder = tmp_path / "media"
    folder.mkdir()
    shutil.copyfile(written.paths[3], folder / "DICOMDIR")
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [archive, folder])
    assert report.imported == 4, report.skipped
    assert report.skipped == ()


def test_a_real_dicomdir_inside_a_zip_is_reported_not_dropped(
        store: StoreFixture, tmp_path: Path) -> None:
    """pydicom's DICOMDIR zipped with its files: the index is listed as skipped with why."""
    media = dicomdir_tree(tmp_path / "media")
    archive = tmp_path / "media.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(media.rglob("*")):
            if p.is_file():
                zf.write(p, str(p.relative_to(media)))
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [archive])
    assert report.imported > 0
    assert any(s.path.endswith("!DICOMDIR") and "DICOMDIR index" in s.reason
               for s in report.skipped)


# -- byte order -------------------------------------------------------------------------------
needs_dcmtk = pytest.mark.skipif(shutil.which("dcmconv") is None, reason="DCMTK not installed")


def _twin(src: Path, dst: Path, tag: int) -> Path:
    """``src`` with new SOP/series UIDs, converted by DCMTK to Explicit VR Big Endian."""
    ds = dcmread(src)
    ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{tag}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.SeriesInstanceUID = f"{ds.SeriesInstanceUID}.{tag}"
    le = dst.with_suffix(".le.dcm")
    ds.save_as(le, enforce_file_format=True)
    subprocess.run(["dcmconv", "+tb", str(le), str(dst)], check=True, capture_output=True)
    le.unlink()
    assert dcmread(dst).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.2"
    return dst


def _volume(store: StoreFixture, rad: object, path: Path) -> object:
    series = dcmread(path, stop_before_pixels=True).SeriesInstanceUID
    return store.services.imaging.load_series_volume(rad, series)


def _lut_words(n: int) -> np.ndarray:
    # Both bytes of every entry differ and vary, so a swapped read cannot pass by chance.
    return ((np.arange(n, dtype=np.int64) * 4099 + 258) % 65000).astype(np.uint16)


def _with_luts(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    ds = dcmread(pydicom_file("CT_small.dcm"))
    del ds.RescaleSlope, ds.RescaleIntercept
    modality, voi = _lut_words(4096), _lut_words(2048)[::-1].copy()
    item = Dataset()
    item.LUTDescriptor = [4096, 0, 16]
    item.ModalityLUTType = "HU"
    item.add_new(0x00283006, "OW", modality.astype("<u2").tobytes())
    ds.ModalityLUTSequence = [item]
    vitem = Dataset()
    vitem.LUTDescriptor = [2048, 0, 16]
    vitem.add_new(0x00283006, "OW", voi.astype("<u2").tobytes())
    ds.VOILUTSequence = [vitem]
    path = tmp_path / "luts.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path, modality, voi


@needs_dcmtk
def test_big_endian_ow_modality_and_voi_luts_equal_their_little_endian_twin(
        store: StoreFixture, tmp_path: Path) -> None:
    """OW Modality/VOI LUT data in a dcmconv +tb twin gives the same HU and table as the original."""
    le, modality, voi = _with_luts(tmp_path)
    be = _twin(le, tmp_path / "luts_be.dcm", 7)
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [le, be])
    assert report.imported == 2, report.skipped
    v_le, v_be = _volume(store, rad, le), _volume(store, rad, be)
    raw = dcmread(le).pixel_array.astype(np.int64)
    expected = modality[np.clip(raw, 0, 4095)].astype(np.float32)  # the table by hand
    assert np.array_equal(v_le.voxels[0], expected)
    assert np.array_equal(v_be.voxels[0], v_le.voxels[0])
    (t_le,), (t_be,) = v_le.display.voi_tables, v_be.display.voi_tables
    assert np.array_equal(t_le.table, voi) and np.array_equal(t_be.table, voi)


@needs_dcmtk
def test_big_endian_palette_equals_its_little_endian_twin(store: StoreFixture,
                                                          tmp_path: Path) -> None:
    """examples_palette.dcm and its dcmconv +tb twin give identical RGB (pydicom's differs)."""
    (le,) = copy_pydicom_files(["examples_palette.dcm"], tmp_path)
    be = _twin(le, tmp_path / "pal_be.dcm", 8)
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, [le, be]).imported == 2
    v_le, v_be = _volume(store, rad, le), _volume(store, rad, be)
    assert v_le.is_color and np.array_equal(v_le.voxels, v_be.voxels)
    ds = dcmread(le)
    assert np.array_equal(v_le.voxels[0], (apply_color_lut(ds.pixel_array, ds) >> 8).astype(np.uint8))


# -- damaged vs intact copies -----------------------------------------------------------------
def _cut_before_rows(data: bytes) -> bytes:
    """The file cut just before (0028,0010) Rows: UIDs intact, no image description left."""
    cut = data.index(b"\x28\x00\x10\x00", 132)
    return data[:cut]


def test_truncated_image_is_refused_not_stored_as_a_non_image(store: StoreFixture,
                                                              tmp_path: Path) -> None:
    """A CT file cut before its image attributes is refused as damaged; its UID stays free."""
    good = pydicom_file("CT_small.dcm")
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(_cut_before_rows(good.read_bytes()))
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [cut])
    (skip,) = report.skipped
    assert report.imported == 0 and "truncated or damaged" in skip.reason
    assert "CT Image Storage" in skip.reason
    report = store.services.imaging.import_dicom(rad, [good])
    assert report.imported == 1 and report.skipped == ()


def test_intact_copy_replaces_a_damaged_copy_stored_earlier(store: StoreFixture,
                                                           tmp_path: Path) -> None:
    """A row an earlier version kept for a cut file (no pixels) is replaced, reported, audited."""
    from dataclasses import replace

    from clinic_app.core.imaging import index, index_writer
    from clinic_app.core.imaging.headers import parse_header
    from clinic_app.core.imaging.pixel_data import NO_PIXELS
    from clinic_app.core.security.audit import AuditFilter

    good = pydicom_file("CT_small.dcm")
    damaged = _cut_before_rows(good.read_bytes())
    rad = store.login("rad")
    db, blobs = rad.clinical, rad.blobs
    assert db is not None and blobs is not None
    # What the old importer stored for the cut file: same UIDs, no pixel data.
    old = replace(parse_header(good.read_bytes()), pixels=None, decodable=False, status=NO_PIXELS)
    with db.transaction():
        from clinic_app.core.imaging.importer import _Resolver

        series_id = _Resolver(db, "2026-01-01T00:00:00").series_row(old)
        old_blob = blobs.put(index.BLOB_KIND, damaged)
        index_writer.insert_instance(db, old, series_id, old_blob, len(damaged), "0" * 64, "x")
    report = store.services.imaging.import_dicom(rad, [good])
    assert report.imported == 1 and report.skipped == ()
    (rep,) = report.replaced
    assert rep.path == str(good) and "damaged copy" in rep.reason
    (row,) = db.query("SELECT rows, decodable, blob_id FROM dicom_instances")
    assert row["rows"] == 128 and row["decodable"] == 1 and row["blob_id"] != old_blob
    assert old_blob not in blobs.ids_on_disk()
    admin = store.login("admin")
    study = [e for e in store.services.audit.entries(admin, AuditFilter())
             if e.action == "dicom.import.study"][-1]
    assert study.detail["replaced_damaged"] == 1
    # Importing the damaged bytes again now is refused, and the intact copy stays.
    again = tmp_path / "cut.dcm"
    again.write_bytes(damaged)
    assert store.services.imaging.import_dicom(rad, [again]).imported == 0
    assert db.query("SELECT rows FROM dicom_instances")[0]["rows"] == 128


# -- optional values, plausibility, other modalities ------------------------------------------
def _patched(tmp_path: Path, name: str, **values: object) -> Path:
    ds = dcmread(pydicom_file("CT_small.dcm"))
    for keyword, value in values.items():
        if value is None:
            delattr(ds, keyword)
        else:
            setattr(ds, keyword, value)
    path = tmp_path / name
    ds.save_as(path, enforce_file_format=True)
    return path


def test_overflowing_optional_value_is_a_warning_not_a_refusal(store: StoreFixture,
                                                               tmp_path: Path) -> None:
    """AcquisitionNumber "1e400" (OverflowError inside pydicom) imports with a warning."""
    path = _patched(tmp_path, "acq.dcm", AcquisitionNumber=987654)
    path.write_bytes(path.read_bytes().replace(b"987654", b"1e400 ", 1))
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [path])
    assert report.imported == 1, report.skipped
    detail = store.services.imaging.show_study(rad, report.studies[0].study_uid)
    assert any("AcquisitionNumber" in w for w in detail.series[0].warnings)


def test_absurd_values_are_refused_or_warned_by_name_without_numpy_warnings(
        store: StoreFixture, tmp_path: Path) -> None:
    """PixelSpacing 1e308 → uncalibrated with a warning; RescaleSlope 1e38 → not decodable."""
    spacing = _patched(tmp_path, "sp.dcm", PixelSpacing=[1e308, 1e308], WindowWidth=-5, WindowCenter=40,
                       SliceThickness=1e300)
    slope = _patched(tmp_path, "sl.dcm", RescaleSlope=1e38, SOPInstanceUID="1.2.3.99",
                     SeriesInstanceUID="1.2.3.98")
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [spacing, slope])
    assert report.imported == 2, report.skipped
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would fail the test
        (first,) = store.services.imaging.show_study(rad, report.studies[0].study_uid).series[:1]
        notes = " ".join(first.warnings)
        assert "PixelSpacing 1e+308/1e+308 mm is outside" in notes
        assert "SliceThickness 1e+300 mm" in notes and "WindowCenter/WindowWidth" in notes
        vol = store.services.imaging.load_series_volume(rad, first.series_uid)
        assert not vol.calibrated and np.isfinite(vol.voxels).all()
        render(vol.voxels[0], vol.display.default)
        with pytest.raises(InvalidInput, match=r"RescaleSlope 1e\+38 is outside"):
            store.services.imaging.load_series_volume(rad, "1.2.3.98")


def test_rt_dose_is_in_gray(store: StoreFixture, tmp_path: Path) -> None:
    """rtdose.dcm (DoseUnits set to GY): DoseGridScaling applied, units Gy (one voxel by hand)."""
    from clinic_app.core.imaging.headers import parse_header

    (path,) = copy_pydicom_files(["rtdose.dcm"], tmp_path)
    assert parse_header(path.read_bytes()).rescale_type == "relative dose"  # as shipped
    ds = dcmread(path)
    ds.DoseUnits = "GY"
    ds.save_as(path, enforce_file_format=True)
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [path])
    vol = store.services.imaging.load_series_volume(rad, ds.SeriesInstanceUID)
    assert vol.units == "Gy"
    raw = int(ds.pixel_array[0, 5, 5])
    assert report.imported == 1
    assert vol.voxels[0, 5, 5] == pytest.approx(raw * float(ds.DoseGridScaling), rel=1e-6)


def test_rt_image_spacing_comes_from_image_plane_pixel_spacing(store: StoreFixture,
                                                               tmp_path: Path) -> None:
    """An RT Image without PixelSpacing takes ImagePlanePixelSpacing (3002,0011)."""
    path = _patched(tmp_path, "rti.dcm", PixelSpacing=None, Modality="RTIMAGE",
                    SOPClassUID="1.2.840.10008.5.1.4.1.1.481.1", ImagePositionPatient=None,
                    ImageOrientationPatient=None)
    ds = dcmread(path)
    ds.ImagePlanePixelSpacing = [0.4, 0.5]
    ds.save_as(path, enforce_file_format=True)
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, [path]).imported == 1
    vol = store.services.imaging.load_series_volume(rad, ds.SeriesInstanceUID)
    assert vol.spacing[1:] == (0.4, 0.5) and vol.calibrated


# -- crash: commit and audit ------------------------------------------------------------------
_KILL_AFTER_COMMIT = """
import os, signal, sys
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.services import Services
from clinic_app.services.imaging import ImagingService

# kill -9 in the window between the last batch's commit and the audit entries
ImagingService._study_totals = staticmethod(lambda db, uid: os.kill(os.getpid(), signal.SIGKILL))
services = Services(Settings(store_dir=Path(sys.argv[1]), log_dir=Path(sys.argv[1]).parent / "l"))
rad = services.auth.login("rad", sys.argv[2])
services.imaging.import_dicom(rad, [Path(sys.argv[3])])
"""


def _audited(store: StoreFixture) -> tuple[int, list]:
    from clinic_app.core.security.audit import AuditFilter

    entries = store.services.audit.entries(store.login("admin"), AuditFilter())
    studies = [e for e in entries if e.action == "dicom.import.study"]
    return sum(int(e.detail.get("imported", 0)) for e in studies), studies


def test_kill_9_between_commit_and_audit_is_audited_at_the_next_start(
        store: StoreFixture, tmp_path: Path) -> None:
    """A real SIGKILL after the instances commit: the next listing audits them (recovered)."""
    write_ct_series(tmp_path / "ct", slices=12, rows=16, cols=16, pixel_mm=1.0, seed=21)
    env = {**os.environ, "CLINIC_APP_SITE_CONFIG": os.devnull, "CLINIC_APP_USER_CONFIG": os.devnull}
    done = subprocess.run([sys.executable, "-c", _KILL_AFTER_COMMIT, str(store.root),
                           PASSWORDS["rad"], str(tmp_path / "ct")], env=env, capture_output=True,
                          timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == -9, done.stderr[-500:]
    fresh = type(store.services)(store.settings(), clock=store.clock)
    try:
        rad = fresh.auth.login("rad", PASSWORDS["rad"])
        assert rad.clinical is not None
        assert len(rad.clinical.query("SELECT id FROM dicom_instances")) == 12
        assert _audited(store)[0] == 0  # the crash left no audit entry behind
        fresh.imaging.list_studies(rad)  # the next start by the importing role recovers
        total, studies = _audited(store)
        assert total == 12 and studies[-1].detail["recovered"] is True
        assert rad.clinical.query("SELECT COUNT(*) AS n FROM dicom_import_journal")[0]["n"] == 0
    finally:
        fresh.close()


def _us_with_regions(path: Path, regions: list[tuple]) -> Path:
    from pydicom.sequence import Sequence as DicomSequence

    from clinic_app.synthetic.dicom_series import write_us_cine

    write_us_cine(path, frames=2, rows=120, cols=160)
    ds = dcmread(path)
    items = []
    for x0, y0, x1, y1, units, delta in regions:
        r = Dataset()
        r.RegionSpatialFormat, r.RegionDataType = 1, 1
        r.RegionLocationMinX0, r.RegionLocationMinY0 = x0, y0
        r.RegionLocationMaxX1, r.RegionLocationMaxY1 = x1, y1
        r.PhysicalUnitsXDirection, r.PhysicalUnitsYDirection = units
        r.PhysicalDeltaX, r.PhysicalDeltaY = delta
        items.append(r)
    ds.SequenceOfUltrasoundRegions = DicomSequence(items)
    ds.save_as(path, enforce_file_format=True)
    return path


def test_ultrasound_distances_only_inside_one_calibrated_region(store: StoreFixture,
                                                                tmp_path: Path) -> None:
    """B-mode region in cm + a Doppler strip (cm/s, s): mm inside the B-mode only, by hand."""
    path = _us_with_regions(tmp_path / "us.dcm", [
        (0, 0, 79, 99, (3, 3), (0.02, 0.05)),      # B-mode: 0.2 mm per column, 0.5 per row
        (80, 0, 159, 99, (4, 7), (0.01, 1.0)),     # Doppler strip: seconds × cm/s
    ])
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, [path]).imported == 1
    vol = store.services.imaging.load_series_volume(rad, dcmread(path).SeriesInstanceUID)
    assert len(vol.us_regions) == 2 and vol.us_regions[0].calibrated
    assert not vol.us_regions[1].calibrated
    assert vol.measure_mm((10, 10), (40, 50)) == pytest.approx(np.hypot(30 * 0.2, 40 * 0.5))
    with pytest.raises(InvalidInput, match="outside a calibrated ultrasound region"):
        vol.measure_mm((10, 10), (100, 10))  # into the Doppler strip
    with pytest.raises(InvalidInput, match="outside a calibrated ultrasound region"):
        vol.measure_mm((10, 110), (20, 110))  # below every region (text area)


def test_ultrasound_regions_with_different_scales_leave_the_image_uncalibrated(
        store: StoreFixture, tmp_path: Path) -> None:
    """Two cm regions at different scales: no whole-image spacing, a warning, per-region mm."""
    path = _us_with_regions(tmp_path / "us2.dcm", [
        (0, 0, 79, 119, (3, 3), (0.02, 0.02)), (80, 0, 159, 119, (3, 3), (0.05, 0.05))])
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [path])
    vol = store.services.imaging.load_series_volume(rad, dcmread(path).SeriesInstanceUID)
    assert not vol.calibrated
    detail = store.services.imaging.show_study(rad, report.studies[0].study_uid)
    assert any("different scales" in w for w in detail.series[0].warnings)
    assert vol.measure_mm((90, 0), (90, 10)) == pytest.approx(5.0)
    with pytest.raises(InvalidInput, match="different ultrasound regions"):
        vol.measure_mm((10, 10), (90, 10))


def test_damaged_luts_and_palettes_are_named_errors_or_warnings(store: StoreFixture,
                                                                tmp_path: Path) -> None:
    """No LUT data / no palette tables: a DecodeError naming the instance; a broken VOI LUT
    only a warning (the image still shows, with its window or its range)."""
    cases = {}
    for n, kind in enumerate(("modality", "voi", "palette"), start=1):
        d = dcmread(pydicom_file("CT_small.dcm"))
        d.SOPInstanceUID, d.SeriesInstanceUID = f"1.2.826.0.9.{n}", f"1.2.826.0.8.{n}"
        item = Dataset()
        item.add_new(0x00283002, "US", [4096, 0, 16])  # a descriptor, no LUT Data
        if kind == "modality":
            d.ModalityLUTSequence = [item]
        elif kind == "voi":
            d.VOILUTSequence = [item]
        else:
            d.PhotometricInterpretation = "PALETTE COLOR"
            d.PixelRepresentation = 0
        path = tmp_path / f"{kind}.dcm"
        d.save_as(path, enforce_file_format=True)
        cases[kind] = path
    rad = store.login("rad")
    assert store.services.imaging.import_dicom(rad, list(cases.values())).imported == 3
    imaging = store.services.imaging
    with pytest.raises(DecodeError, match=r"1\.2\.826\.0\.9\.1.*Modality LUT Sequence has a descriptor"):
        imaging.load_series_volume(rad, "1.2.826.0.8.1")
    with pytest.raises(DecodeError, match=r"1\.2\.826\.0\.9\.3.*palette colour table has no valid"):
        imaging.load_series_volume(rad, "1.2.826.0.8.3")
    vol = imaging.load_series_volume(rad, "1.2.826.0.8.2")
    assert vol.display.voi_tables == () and any("VOI LUT" in w for w in vol.warnings)
    assert render(vol.voxels[0], vol.display.default).any()  # shown with the image range
