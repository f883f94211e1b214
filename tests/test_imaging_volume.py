"""Loading volumes and slices: pixel values, order, geometry and display, end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.pixels import apply_color_lut, apply_modality_lut, pixel_array

from clinic_app.core.imaging import importer
from clinic_app.core.imaging.decode_order import decode_order
from clinic_app.core.imaging.geometry import plan_series
from clinic_app.core.imaging.header_types import FrameGeometry, PixelLayout
from clinic_app.core.imaging.lut import Window
from clinic_app.core.imaging.phantoms import ct_body_slice
from clinic_app.core.imaging.render import render
from clinic_app.core.store import blobs, chunked
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import Cancelled, InvalidInput
from clinic_app.synthetic.dicom_series import (
    write_cr,
    write_ct_series,
    write_enhanced,
    write_us_cine,
)
from tests.conftest import StoreFixture
from tests.imaging_support import AXIAL, copy_pydicom_files, instance, radiograph_pair, stack_at

#: Bundled files spanning every decodable encoding and image kind (one store each: several
#: of them share UIDs, as pydicom's variants of one image do).
BUNDLED = [
    "CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm",
    "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_RLE.dcm",
    "JPEG2000.dcm", "JPGExtended.dcm", "image_dfl.dcm", "rtdose.dcm", "693_J2KI.dcm",
    "J2K_pixelrep_mismatch.dcm", "SC_rgb_rle_2frame.dcm", "SC_rgb_rle_16bit.dcm",
    "examples_ybr_color.dcm", "examples_palette.dcm", "examples_jpeg2k.dcm",
    "SC_rgb_small_odd_big_endian.dcm", "SC_ybr_full_422_uncompressed.dcm", "SC_rgb_jpeg_gdcm.dcm",
]


def _reference(path: Path, frame: int) -> np.ndarray:
    """pydicom's own answer: modality values for grey, 8-bit RGB for colour."""
    ds = dcmread(path)
    arr = pixel_array(ds, index=frame)
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        rgb = apply_color_lut(arr, ds)
        return (rgb.astype(np.uint32) >> (8 if rgb.dtype.itemsize > 1 else 0)).astype(np.uint8)
    if ds.SamplesPerPixel == 3:
        shift = max(int(ds.BitsStored) - 8, 0)
        return (arr.astype(np.uint32) >> shift).astype(np.uint8)
    if ds.Modality == "RTDOSE" and "DoseGridScaling" in ds:  # dose in Gy (PS3.3 C.8.8.3)
        scale = np.float64(np.float32(ds.DoseGridScaling))
        return (arr.astype(np.float64) * scale).astype(np.float32)
    return apply_modality_lut(arr, ds).astype(np.float32)


def _import(store: StoreFixture, paths: list[Path]) -> tuple:
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, paths)
    return rad, report


@pytest.fixture(params=["one-message", "chunked"])
def blob_layout(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Store blobs as one AES-GCM message, or (as large instances are) in the chunked layout
    with 1000-byte chunks, so every frame's bytes straddle chunk edges when read."""
    if request.param == "chunked":
        monkeypatch.setattr(blobs, "STREAM_BYTES", 1)
        monkeypatch.setattr(chunked, "CHUNK2_BYTES", 1000)
    return str(request.param)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_files_decode_like_pydicom(store: StoreFixture, tmp_path: Path, name: str,
                                           blob_layout: str) -> None:
    """Every slice of every bundled encoding equals pydicom's decoded, rescaled pixels, with
    the blob in either layout (frames read from a chunked blob by their own bytes)."""
    (path,) = copy_pydicom_files([name], tmp_path)
    rad, report = _import(store, [path])
    assert report.imported == 1, report.skipped
    detail = store.services.imaging.show_study(rad, report.studies[0].study_uid)
    (series,) = detail.series
    vol = store.services.imaging.load_series_volume(rad, series.series_uid)
    assert len(vol.slice_refs) == vol.voxels.shape[0]
    for k, (_sop, frame_number) in enumerate(vol.slice_refs):
        expected = _reference(path, frame_number - 1)
        assert vol.voxels[k].shape == expected.shape
        assert np.array_equal(vol.voxels[k], expected), f"slice {k} differs"


def test_undecodable_bundled_file_fails_clearly(store: StoreFixture, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """JPEG-lossy.dcm (12-bit extended, no codec decodes it) is refused at import with a
    plain reason; stored by an older version, loading it fails with one too."""
    (path,) = copy_pydicom_files(["JPEG-lossy.dcm"], tmp_path)
    rad, report = _import(store, [path])
    (skip,) = report.skipped
    assert report.imported == 0 and "could not be decoded" in skip.reason
    monkeypatch.setattr(importer, "TEST_DECODE", False)
    rad, report = _import(store, [path])
    series = store.services.imaging.show_study(rad, report.studies[0].study_uid).series[0]
    with pytest.raises(InvalidInput, match="could not be decoded"):
        store.services.imaging.load_series_volume(rad, series.series_uid)


@pytest.fixture(scope="module")
def ct_data(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    root = tmp_path_factory.mktemp("ctdata")
    plain = write_ct_series(root / "plain", slices=10, rows=48, cols=48, pixel_mm=8.0)
    jls = write_ct_series(root / "jls", slices=10, rows=48, cols=48, pixel_mm=8.0,
                          compression="jpegls", series_uid="1.2.826.0.1.3680043.10.1541.8.1")
    j2k = write_ct_series(root / "j2k", slices=10, rows=48, cols=48, pixel_mm=8.0,
                          compression="j2k", series_uid="1.2.826.0.1.3680043.10.1541.8.2")
    return root, plain, jls, j2k


def test_synthetic_ct_volume_is_exact(store: StoreFixture, ct_data: tuple) -> None:
    """HU voxels equal the phantom slice by slice, ordered by position; affine hits each IPP."""
    root, plain, jls, j2k = ct_data
    rad, report = _import(store, [root])
    assert report.imported == 30
    vol = store.services.imaging.load_series_volume(rad, plain.series_uid)
    assert vol.voxels.shape == (10, 48, 48) and vol.voxels.dtype == np.float32
    assert vol.units == "HU" and vol.kind == "volume" and vol.regular and vol.warnings == ()
    for k in range(10):
        hu = ct_body_slice(k * 1.25, 48, 48, 8.0, z_extent_mm=12.5, seed=0)
        assert np.array_equal(vol.voxels[k], hu.astype(np.float32))
    assert vol.spacing == pytest.approx((1.25, 8.0, 8.0))
    by_uid = {dcmread(p).SOPInstanceUID: p for p in plain.paths}
    for k, (sop, _frame) in enumerate(vol.slice_refs):
        ipp = [float(v) for v in dcmread(by_uid[sop]).ImagePositionPatient]
        assert np.allclose((vol.affine @ [0, 0, k, 1])[:3], ipp)
    assert [w.name for w in vol.display.windows] == ["SOFT TISSUE", "LUNG"]
    for compressed in (jls, j2k):
        other = store.services.imaging.load_series_volume(rad, compressed.series_uid)
        assert np.array_equal(other.voxels, vol.voxels)


def test_first_slice_matches_the_volume(store: StoreFixture, ct_data: tuple) -> None:
    """first_slice decodes slice k alone, identical to the volume's slice k."""
    root, plain, _jls, _j2k = ct_data
    rad, _ = _import(store, [root / "plain"])
    vol = store.services.imaging.load_series_volume(rad, plain.series_uid)
    first = store.services.imaging.first_slice(rad, plain.series_uid)
    mid = store.services.imaging.first_slice(rad, plain.series_uid, index_in_stack=5)
    assert (first.index, first.count, mid.index) == (0, 10, 5)
    assert np.array_equal(first.pixels, vol.voxels[0]) and np.array_equal(mid.pixels, vol.voxels[5])
    assert first.position == pytest.approx(tuple(vol.positions[0]))
    with pytest.raises(InvalidInput, match="10 slices"):
        store.services.imaging.first_slice(rad, plain.series_uid, index_in_stack=10)


def test_volume_is_read_only(store: StoreFixture, ct_data: tuple) -> None:
    """Voxels cannot be changed in place by a consumer; copy first."""
    root, plain, _jls, _j2k = ct_data
    rad, _ = _import(store, [root / "plain"])
    vol = store.services.imaging.load_series_volume(rad, plain.series_uid)
    with pytest.raises(ValueError, match="read-only"):
        vol.voxels[0, 0, 0] = 1


def test_cancel_during_load(store: StoreFixture, ct_data: tuple) -> None:
    """Cancelling a volume load raises Cancelled; nothing is returned half-filled."""
    root, plain, _jls, _j2k = ct_data
    rad, _ = _import(store, [root / "plain"])
    cancel = CancelToken()

    def progress(done: int, total: int, message: str = "") -> None:
        if done == 3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        store.services.imaging.load_series_volume(rad, plain.series_uid, progress=progress,
                                                  cancel=cancel)


def test_tilted_series_with_missing_slice(store: StoreFixture, tmp_path: Path) -> None:
    """A 12° tilted series with one slice missing: both reported, affine follows positions."""
    written = write_ct_series(tmp_path, slices=8, rows=16, cols=16, pixel_mm=20.0, tilt_deg=12.0,
                              missing=(4,))
    rad, _ = _import(store, [tmp_path])
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    assert vol.tilt_deg == pytest.approx(12.0, abs=0.01) and not vol.regular
    assert any(w.startswith("missing slices: 1") for w in vol.warnings)
    assert any(w.startswith("gantry tilt of 12.00°") for w in vol.warnings)
    assert np.allclose((vol.affine @ [0, 0, 3, 1])[:3], vol.positions[3], atol=1e-3)


def test_padding_voxels_are_marked_and_render_black(store: StoreFixture, tmp_path: Path) -> None:
    """PixelPaddingValue -2000 (stored) becomes -3024 HU, is exposed, and renders black."""
    written = write_ct_series(tmp_path, slices=2, rows=32, cols=32, pixel_mm=12.0, padding=True)
    rad, _ = _import(store, [tmp_path])
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    assert vol.display.padding_value == -3024.0
    mask = vol.padding_mask(0)
    assert mask is not None and mask[0, 0] and not mask[16, 16]
    shown = render(vol.voxels[0], Window(-600, 1500), padding_value=vol.display.padding_value)
    assert shown[0, 0] == 0 and shown[16, 16] > 0


def test_enhanced_multiframe_two_stacks(store: StoreFixture, tmp_path: Path) -> None:
    """Enhanced CT (frames stored in reverse, two stacks): each stack ordered and exact."""
    written = write_enhanced(tmp_path / "enh.dcm", frames=12, stacks=2)
    rad, _ = _import(store, [tmp_path / "enh.dcm"])
    axial = store.services.imaging.load_series_volume(rad, written.series_uid, stack=0)
    sagittal = store.services.imaging.load_series_volume(rad, written.series_uid, stack=1)
    assert axial.stack_count == 2 and axial.voxels.shape == (6, 64, 64)
    assert axial.label == "stack 1 of 2 (axial)" and sagittal.label == "stack 2 of 2 (sagittal)"
    for k in range(6):
        hu = ct_body_slice(100 + k * 3.0 * 8, 64, 64, 6.0, seed=1)
        assert np.array_equal(axial.voxels[k], hu.astype(np.float32))
    assert axial.positions[:, 2].tolist() == [0.0, 3.0, 6.0, 9.0, 12.0, 15.0]
    assert axial.spacing == pytest.approx((3.0, 6.0, 6.0))
    assert axial.display.windows[0].center == 40.0


def test_cr_monochrome1_displays_like_monochrome2(store: StoreFixture, tmp_path: Path) -> None:
    """The same radiograph as MONOCHROME1 and MONOCHROME2 displays the same, lungs dark."""
    m1 = write_cr(tmp_path / "m1.dcm", photometric="MONOCHROME1")
    m2 = write_cr(tmp_path / "m2.dcm", photometric="MONOCHROME2", seed=2,
                  study_uid="1.2.826.0.1.3680043.10.1541.9.9")
    rad, _ = _import(store, [tmp_path])
    v1 = store.services.imaging.load_series_volume(rad, m1.series_uid)
    v2 = store.services.imaging.load_series_volume(rad, m2.series_uid)
    assert v1.kind == "projection" and v1.display.invert and not v2.display.invert
    img1 = render(v1.voxels[0], v1.display.default, invert=v1.display.invert)
    img2 = render(v2.voxels[0], v2.display.default, invert=v2.display.invert)
    diff = np.abs(img1.astype(int) - img2.astype(int))
    assert diff.max() <= 1 and (diff == 0).mean() > 0.999
    # By hand: stored 3276 in MONOCHROME1 (lung-like), window 2048/4096 LINEAR:
    # ((3276 - 2047.5)/4095 + 0.5)·255 = 204 → inverted 255 - 204 = 51 (dark).
    one = render(np.array([[3276.0]], dtype=np.float32), v1.display.default, invert=True)
    assert one[0, 0] == 51


def test_ultrasound_cine_rgb(store: StoreFixture, tmp_path: Path) -> None:
    """A colour US cine loads as (frames, rows, cols, 3) uint8, frames in order."""
    written = write_us_cine(tmp_path / "us.dcm", frames=6)
    rad, _ = _import(store, [tmp_path / "us.dcm"])
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    assert vol.is_color and vol.kind == "cine" and vol.voxels.shape == (6, 120, 160, 3)
    assert np.array_equal(vol.voxels, written.extra["frames"])
    assert vol.spacing[1:] == pytest.approx((0.2, 0.2))


def _with_luts(src: Path, dest: Path, *, modality_lut: bool = False, voi_lut: bool = False,
               shape: str | None = None) -> Path:
    """A copy of a CR with LUT sequences added (and its windows removed)."""
    from pydicom.dataset import Dataset

    ds = dcmread(src)
    del ds.WindowCenter, ds.WindowWidth
    if modality_lut:
        item = Dataset()
        item.LUTDescriptor = [4096, 0, 16]
        item.ModalityLUTType = "US"
        # an inverting table, easy by hand; LUT Data is written as 16-bit words (OW)
        item.LUTData = (4095 - np.arange(4096)).astype("<u2").tobytes()
        ds.ModalityLUTSequence = [item]
    if voi_lut:
        item = Dataset()
        item.LUTDescriptor = [4096, 0, 8]
        item.LUTData = (np.arange(4096) // 16).astype("<u2").tobytes()
        item.LUTExplanation = "LINEAR TABLE"
        ds.VOILUTSequence = [item]
    if shape:
        ds.PresentationLUTShape = shape
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".1"
    ds.SeriesInstanceUID = ds.SeriesInstanceUID + ".1"
    ds.save_as(dest, enforce_file_format=True)
    return dest


def test_modality_and_voi_lut_sequences(store: StoreFixture, tmp_path: Path) -> None:
    """Modality LUT Sequence maps stored values by table; VOI LUT Sequence becomes the default."""
    cr = write_cr(tmp_path / "src.dcm", photometric="MONOCHROME2")
    path = _with_luts(cr.paths[0], tmp_path / "luts.dcm", modality_lut=True, voi_lut=True)
    rad, _report = _import(store, [path])
    uid = dcmread(path).SeriesInstanceUID
    vol = store.services.imaging.load_series_volume(rad, uid)
    stored = pixel_array(dcmread(path)).astype(np.float32)
    assert np.array_equal(vol.voxels[0], 4095 - stored)  # table[v] = 4095 - v, by hand
    (table,) = vol.display.voi_tables
    assert vol.display.windows == () and vol.display.default is table
    # by hand: modality value 1600 → table entry 1600 // 16 = 100 (8-bit output)
    assert render(np.array([[1600.0]], dtype=np.float32), table)[0, 0] == 100


def test_presentation_lut_inverse_on_monochrome2(store: StoreFixture, tmp_path: Path) -> None:
    """PresentationLUTShape INVERSE inverts a MONOCHROME2 image (no double inversion on M1)."""
    cr = write_cr(tmp_path / "m2.dcm", photometric="MONOCHROME2", presentation_lut_shape="INVERSE")
    m1 = write_cr(tmp_path / "m1.dcm", photometric="MONOCHROME1", presentation_lut_shape="INVERSE",
                  seed=7, study_uid=cr.study_uid)
    rad, _ = _import(store, [tmp_path])
    assert store.services.imaging.load_series_volume(rad, cr.series_uid).display.invert
    assert store.services.imaging.load_series_volume(rad, m1.series_uid).display.invert


def test_enhanced_mr_without_rescale(store: StoreFixture, tmp_path: Path) -> None:
    """An enhanced MR (no rescale) loads its stored values in position order."""
    written = write_enhanced(tmp_path / "mr.dcm", modality="MR", frames=5)
    rad, _ = _import(store, [tmp_path / "mr.dcm"])
    vol = store.services.imaging.load_series_volume(rad, written.series_uid)
    assert vol.units == "" and vol.voxels.shape == (5, 64, 64)
    for k in range(5):
        hu = ct_body_slice(100 + k * 3.0 * 8, 64, 64, 6.0, seed=1)
        expected = np.clip(hu.astype(np.int32) + 1000, 0, 4000).astype(np.float32)
        assert np.array_equal(vol.voxels[k], expected)
    assert vol.display.windows[0].center == 600.0


def test_big_endian_mr_matches_little_endian_from_import_to_render(store: StoreFixture, tmp_path: Path) -> None:
    """MR_small_bigendian.dcm (pydicom decodes it to >i2) imports, decodes, loads and renders
    to exactly the values of MR_small.dcm, and every array handed on is native-endian."""
    big, little = copy_pydicom_files(["MR_small_bigendian.dcm", "MR_small.dcm"], tmp_path)
    assert pixel_array(dcmread(big)).dtype.str == ">i2"  # what pydicom hands over
    # One image in two encodings shares its UIDs; the little-endian copy gets its own.
    ds = dcmread(little)
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        setattr(ds, keyword, str(getattr(ds, keyword)) + ".1")
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(little, enforce_file_format=True)
    rad, report = _import(store, [big, little])
    assert report.imported == 2, report.skipped
    svc = store.services.imaging
    series = {}
    for study in report.studies:
        (s,) = svc.show_study(rad, study.study_uid).series
        series["big" if (s.transfer_syntaxes == ("Explicit VR Big Endian",)) else "little"] = s.series_uid
    assert set(series) == {"big", "little"}
    vols = {k: svc.load_series_volume(rad, uid) for k, uid in series.items()}
    slices = {k: svc.first_slice(rad, uid) for k, uid in series.items()}
    for arrays in (vols["big"].voxels, slices["big"].pixels):
        assert arrays.dtype == np.float32 and arrays.dtype.isnative
    assert np.array_equal(vols["big"].voxels, vols["little"].voxels)
    assert np.array_equal(slices["big"].pixels, slices["little"].pixels)
    assert np.array_equal(vols["big"].voxels[0], _reference(little, 0))
    window = vols["little"].display.default
    shown = {k: render(v.voxels[0], window) for k, v in vols.items()}
    assert shown["big"].dtype == np.uint8 and shown["big"].dtype.isnative
    assert np.array_equal(shown["big"], shown["little"])
    # The decoder itself hands on native stored values, equal to the little-endian file's.
    from clinic_app.core.imaging import index
    from clinic_app.core.imaging.decode import decode_frame

    assert rad.clinical is not None and rad.blobs is not None
    raws = {}
    for k, uid in series.items():
        (inst,) = index.series_instances(rad.clinical, uid)
        raws[k] = decode_frame(rad.blobs.get(index.BLOB_KIND, inst.blob_id), inst, 0)
    assert raws["big"].dtype == np.dtype(np.int16) and raws["big"].dtype.isnative
    assert np.array_equal(raws["big"], raws["little"])
    # render() takes a big-endian array too, with the same result.
    swapped = vols["little"].voxels[0].astype(">f4")
    assert np.array_equal(render(swapped, window), shown["little"])


def test_radiograph_patient_orientation_is_indexed_per_image(store: StoreFixture, tmp_path: Path) -> None:
    """PatientOrientation of each projection image is indexed and reaches the volume and
    the first slice, image by image (a PA and a lateral may share a series)."""
    _study, series = radiograph_pair(tmp_path / "cr")
    rad, report = _import(store, [tmp_path / "cr"])
    assert report.imported == 2
    vol = store.services.imaging.load_series_volume(rad, series)
    assert vol.kind == "projection" and vol.voxels.shape[0] == 2
    assert vol.patient_orientations == (("L", "F"), ("A", "F"))
    assert store.services.imaging.first_slice(rad, series, index_in_stack=1).patient_orientation == ("A", "F")
    assert rad.clinical is not None
    rows = rad.clinical.query("SELECT patient_orientation FROM dicom_instances ORDER BY instance_number")
    assert [r["patient_orientation"] for r in rows] == ["L\\F", "A\\F"]


def test_volumes_without_projection_orientation_have_none(store: StoreFixture, ct_data: tuple) -> None:
    """Cross-sectional stacks take their orientation from the affine, not PatientOrientation."""
    root, plain, _jls, _j2k = ct_data
    rad, _ = _import(store, [root / "plain"])
    vol = store.services.imaging.load_series_volume(rad, plain.series_uid)
    assert vol.kind == "volume" and vol.patient_orientations == ()


def test_a_volume_loads_outward_from_its_first_image_and_names_only_final_slices(
        store: StoreFixture, ct_data: tuple) -> None:
    """With first=7 slices decode 7, 8, 6, 9, 5, …; every range handed out while loading is
    contiguous around 7, grows, and holds exactly the final values of its slices."""
    root, plain, _jls, _j2k = ct_data
    rad, _ = _import(store, [root / "plain"])
    seen: list[tuple[int, int, np.ndarray]] = []

    def ready(volume, lo: int, hi: int) -> None:
        assert not volume.voxels.flags.writeable
        seen.append((lo, hi, volume.voxels[lo:hi + 1].copy()))

    vol = store.services.imaging.load_series_volume(rad, plain.series_uid, first=7, on_slices=ready)
    assert [(lo, hi) for lo, hi, _ in seen] == [(7, 7), (7, 8), (6, 8), (6, 9), (5, 9), (4, 9),
                                               (3, 9), (2, 9), (1, 9), (0, 9)]
    for lo, hi, values in seen:
        assert np.array_equal(values, vol.voxels[lo:hi + 1])
    reference = store.services.imaging.load_series_volume(rad, plain.series_uid)
    assert np.array_equal(vol.voxels, reference.voxels)
    with pytest.raises(InvalidInput, match="10 slices"):
        store.services.imaging.load_series_volume(rad, plain.series_uid, first=10)


def test_frames_of_several_multiframe_instances_stay_grouped() -> None:
    """Outward order is for one frame per instance (or one instance); frames spread over
    several multi-frame instances are decoded instance by instance (one blob read each)."""
    (single,) = plan_series(stack_at([0, 1, 2, 3, 4]), "CT")
    assert decode_order(single, 2) == [2, 3, 1, 4, 0]
    assert decode_order(single, 0) == [0, 1, 2, 3, 4]
    px = PixelLayout(4, 6, 3, 1, 16, 16, 1, "MONOCHROME2", 0, False, 0, 144)

    def enhanced(n: int, zs: tuple[float, ...]) -> object:
        return instance(n, pixels=px, position=None, frame_geometry=tuple(
            FrameGeometry(position=(0.0, 0.0, z), orientation=AXIAL, pixel_spacing=(1.0, 1.0))
            for z in zs))

    (mixed,) = plan_series([enhanced(1, (0.0, 6.0, 12.0)), enhanced(2, (3.0, 9.0, 15.0))], "CT")
    assert [(fr.instance.id, fr.frame) for fr in mixed.frames] == [(1, 0), (2, 0), (1, 1), (2, 1),
                                                                   (1, 2), (2, 2)]
    assert decode_order(mixed, 3) == [0, 2, 4, 1, 3, 5]
