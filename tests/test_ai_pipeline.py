"""The imaging pipeline core: geometry of findings, modes, heatmaps and refusals (no store)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from clinic_app.core.inference.findings import Geometry
from clinic_app.core.inference.heatmaps import Heatmap, decode_from_bundle, encode_bundle
from clinic_app.core.inference.imaging_pipeline import analyse
from clinic_app.core.inference.imaging_run import ModelRunner
from clinic_app.core.inference.preprocess import resample_slices_axis
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, no_progress
from clinic_app.errors import Cancelled, IntegrityError, InvalidInput, ModelError
from tests.ai_support import (
    affine,
    blob_stack,
    classifier_model,
    half_input_model,
    manifest,
    runner,
    threshold_model,
)

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
CORONAL = (1.0, 0.0, 0.0, 0.0, 0.0, -1.0)
OBLIQUE = (math.cos(0.3), math.sin(0.3), 0.0, 0.0, math.cos(0.4), -math.sin(0.4))


def _lps(orientation, position, spacing, kji):
    """Patient position of voxel (k, j, i) from the DICOM tags, written out long-hand."""
    row = np.array(orientation[:3])
    col = np.array(orientation[3:])
    normal = np.cross(row, col)
    k, j, i = kji
    return (np.array(position) + i * spacing[2] * row + j * spacing[1] * col
            + k * spacing[0] * normal)


@pytest.mark.parametrize("orientation", [AXIAL, CORONAL, OBLIQUE], ids=["axial", "coronal", "oblique"])
def test_segmentation_findings_land_on_the_right_slice_and_patient_position(tmp_path: Path, orientation):
    """Two spheres at known voxels are found on their slices, centred where the DICOM geometry puts them."""
    spacing = (2.5, 0.7, 0.8)  # slice, row, col: anisotropic, non-unit
    position = (-120.0, 35.5, 80.25)
    centres = [(6.0, 30.0, 40.0), (14.0, 70.0, 90.0)]
    vox = blob_stack((20, 100, 120), spacing, centres, radius_mm=5.0)
    geo = Geometry(affine(orientation, position, spacing[1], spacing[2], spacing[0]), vox.shape)
    spec, run = runner(tmp_path, threshold_model(), manifest())
    result = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED)
    assert len(result.findings) == 2
    for finding in result.findings:
        centre = min(centres, key=lambda c: abs(c[0] - finding.slice_index))
        assert finding.slice_index == centre[0]
        assert finding.flagged and finding.score > 0.9
        expected = _lps(orientation, position, spacing, centre)
        assert np.allclose(finding.center_mm, expected, atol=0.05)
        assert finding.bbox_px["slice"][0] <= centre[0] <= finding.bbox_px["slice"][1]
        assert finding.bbox_px["row"][0] < centre[1] < finding.bbox_px["row"][1]
        assert finding.bbox_px["col"][0] < centre[2] < finding.bbox_px["col"][1]
        lo, hi = np.array(finding.bbox_mm["min"]), np.array(finding.bbox_mm["max"])
        assert np.all(lo <= expected) and np.all(expected <= hi)
        sphere_ml = 4 / 3 * math.pi * 5.0 ** 3 / 1000
        assert finding.volume_ml == pytest.approx(sphere_ml, rel=0.35)
        # Contour points lie on the reported slice, about one radius from the centre.
        pts = np.array(finding.contour_mm)
        plane_centre = _lps(orientation, position, spacing, (finding.slice_index, centre[1], centre[2]))
        radii = np.linalg.norm(pts - plane_centre, axis=1)
        assert 3.0 < np.median(radii) < 6.5
        assert finding.heatmap is not None and finding.heatmap.kind == "segmentation-probability"
        assert finding.frame == "LPS"
    assert result.provider == "CPUExecutionProvider"


def _resampled_case(tmp_path: Path) -> tuple:
    """A 0.6 mm stack with one lesion at voxel (4, 52, 101) and a model that resamples to 1.5 mm."""
    spacing = (3.0, 0.6, 0.6)
    vox = blob_stack((9, 160, 160), spacing, [(4.0, 52.0, 101.0)], radius_mm=6.0)
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 0.6, 0.6, 3.0), vox.shape)
    doc = manifest(inputs__image__preprocessing__spacing_mm=[1.5, 1.5],
                   inputs__image__preprocessing__pad_to_multiple=8)
    spec, run = runner(tmp_path, threshold_model(), doc)
    return vox, geo, spec, run


def test_resampling_to_the_model_spacing_keeps_findings_in_place(tmp_path: Path):
    """With in-plane resampling to 1.5 mm, the finding is still centred on the lesion voxel."""
    vox, geo, spec, run = _resampled_case(tmp_path)
    (finding,) = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert finding.slice_index == 4
    assert finding.center_px[0] == pytest.approx(101.0, abs=0.8)
    assert finding.center_px[1] == pytest.approx(52.0, abs=0.8)


def test_sliding_window_3d_blends_patches_and_keeps_geometry(tmp_path: Path):
    """A 3D model on overlapping 16³ patches finds a lesion straddling patch borders."""
    spacing = (1.0, 1.0, 1.0)
    vox = blob_stack((30, 40, 40), spacing, [(15.0, 16.0, 24.0)], radius_mm=4.0)
    geo = Geometry(affine(CORONAL, (10.0, -5.0, 3.0), 1.0, 1.0, 1.0), vox.shape)
    doc = manifest(
        inputs__tensors=[{"name": "image", "dtype": "float32", "shape": ["N", 1, "D", "H", "W"]}],
        inputs__image__preprocessing__channel_layout="NCDHW",
        inputs__image__inference={"mode": "patch3d", "patch_size": [16, 16, 16], "overlap": 0.5},
        outputs__tensors=[{"name": "prob", "dtype": "float32", "shape": ["N", 1, "D", "H", "W"]}],
    )
    spec, run = runner(tmp_path, threshold_model(rank=5), doc)
    done: list[int] = []
    result = analyse(vox, geo, spec, run, lambda d, t, m="": done.append(d), NEVER_CANCELLED)
    (finding,) = result.findings
    assert finding.slice_index == 15
    assert np.allclose(finding.center_mm, _lps(CORONAL, (10.0, -5.0, 3.0), spacing, (15, 16, 24)),
                       atol=0.1)
    assert done and done[-1] == max(done)


def test_classifier_cam_locates_and_scores_the_image(tmp_path: Path):
    """A classifier's own activation map locates the finding; the score flags it."""
    img = np.full((1, 300, 200), 40.0, dtype=np.float32)
    img[0, 200:240, 50:90] = 500.0
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 0.5, 0.5, 1.0), img.shape, frame="image")
    doc = manifest(task="image-classification",
                   inputs__tensors=[{"name": "image", "dtype": "float32", "shape": ["N", 1, 64, 64]}],
                   inputs__image__series_selection={"modality": ["CR"]},
                   inputs__image__preprocessing__size=[64, 64],
                   outputs__tensors=[{"name": "prob", "dtype": "float32", "shape": ["N", 1]},
                                     {"name": "cam", "dtype": "float32", "shape": ["N", 1, 64, 64]}],
                   outputs__heatmap="cam", outputs__mask_threshold=None)
    spec, run = runner(tmp_path, classifier_model(), doc)
    (finding,) = analyse(img, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert finding.flagged and finding.location_method == "class-activation-map"
    assert finding.heatmap.data.shape == (1, 128, 85)  # stored on the ≤128 px map grid
    assert 190 <= finding.bbox_px["row"][0] <= 205 and 235 <= finding.bbox_px["row"][1] <= 250
    assert 40 <= finding.bbox_px["col"][0] <= 55 and 85 <= finding.bbox_px["col"][1] <= 100
    assert finding.volume_ml is None and finding.frame == "image"
    assert finding.heatmap.extent == (1, 300, 200)


def test_classifier_without_a_map_gets_labelled_occlusion_sensitivity(tmp_path: Path):
    """No heatmap output: occlusion sensitivity is computed, labelled, and points at the blob."""
    img = np.full((1, 128, 128), 40.0, dtype=np.float32)
    img[0, 24:34, 86:96] = 500.0  # smaller than one occluding patch
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 1.0, 1.0, 1.0), img.shape, frame="image")
    doc = manifest(task="image-classification",
                   inputs__tensors=[{"name": "image", "dtype": "float32", "shape": ["N", 1, 64, 64]}],
                   inputs__image__series_selection={"modality": ["CR"]},
                   inputs__image__preprocessing__size=[64, 64],
                   outputs__tensors=[{"name": "prob", "dtype": "float32", "shape": ["N", 1]}])
    spec, run = runner(tmp_path, classifier_model(cam=False), doc)
    (finding,) = analyse(img, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert finding.location_method == "occlusion-sensitivity"
    assert finding.heatmap.kind == "occlusion-sensitivity"
    r, c = finding.center_px[1], finding.center_px[0]
    assert 15 <= r <= 50 and 75 <= c <= 110


def test_output_shape_differing_from_the_manifest_is_refused(tmp_path: Path):
    """A model whose output is half the declared size is refused with the shapes named."""
    vox = blob_stack((2, 32, 32), (1.0, 1.0, 1.0), [(1.0, 16.0, 16.0)], radius_mm=3.0)
    geo = Geometry(np.eye(4), vox.shape)
    spec, run = runner(tmp_path, threshold_model(downsample=True), manifest())
    with pytest.raises(ModelError, match=r"output 'prob' of shape \[2, 1, 16, 16\]"):
        analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED)


def test_nan_outputs_and_nan_pixels_are_refused(tmp_path: Path):
    """NaN from the model, or NaN in the pixels, stops the analysis with a clear message."""
    vox = blob_stack((2, 32, 32), (1.0, 1.0, 1.0), [], radius_mm=3.0)
    geo = Geometry(np.eye(4), vox.shape)
    spec, run = runner(tmp_path / "a", threshold_model(nan=True), manifest())
    with pytest.raises(ModelError, match="NaN"):
        analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED)
    spec, run = runner(tmp_path / "b", threshold_model(), manifest())
    vox[1, 3, 4] = np.nan
    with pytest.raises(InvalidInput, match="NaN or infinite pixel values"):
        analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED)


def test_cancel_between_batches_raises_cancelled(tmp_path: Path):
    """Cancelling from the progress callback stops at the next batch boundary."""
    vox = blob_stack((40, 32, 32), (1.0, 1.0, 1.0), [], radius_mm=3.0)
    spec, run = runner(tmp_path, threshold_model(), manifest())
    token = CancelToken()
    seen: list[int] = []

    def progress(done: int, total: int, message: str = "") -> None:
        seen.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        analyse(vox, Geometry(np.eye(4), vox.shape), spec, run, progress, token)
    assert seen == [8]


def test_heatmap_round_trip_and_damage_detection():
    """Heatmaps survive encode/decode to 1/255; damaged bytes raise IntegrityError."""
    values = np.linspace(0, 1, 2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    hm = Heatmap.from_float(values, kind="segmentation-probability", label="x",
                            origin=(5, 6, 7), extent=(2, 3, 4))
    back = Heatmap.decode(hm.encode())
    assert back.origin == (5, 6, 7) and back.kind == hm.kind
    assert np.allclose(back.values(), values, atol=1 / 255)
    with pytest.raises(IntegrityError):
        Heatmap.decode(hm.encode()[:-3])
    with pytest.raises(IntegrityError):
        Heatmap.decode(b"garbage")
    other = Heatmap.from_float(values[:1], kind="class-activation-map", label="y",
                               origin=(0, 0, 0), extent=(1, 30, 40))
    bundle = encode_bundle([hm, other])
    assert decode_from_bundle(bundle, 1).label == "y" and decode_from_bundle(bundle, 0).label == "x"
    for damaged, position in ((bundle[:-1], 0), (bundle, 2), (b"CAHB1" + bundle[5:9], 0)):
        with pytest.raises(IntegrityError):
            decode_from_bundle(damaged, position)


def test_irregular_slice_positions_are_used_exactly(tmp_path: Path):
    """On a stack with uneven spacing, a finding's slice coordinate comes from its own IPP."""
    spacing = (2.0, 1.0, 1.0)
    vox = blob_stack((10, 40, 40), spacing, [(7.0, 20.0, 20.0)], radius_mm=1.5)
    zs = np.array([0, 2, 4, 6, 8, 10, 12, 17, 19, 21], dtype=float)  # a 5 mm gap before slice 7
    positions = np.column_stack([np.zeros(10), np.zeros(10), zs])
    mean_step = affine(AXIAL, (0.0, 0.0, 0.0), 1.0, 1.0, float(zs[-1] / 9))
    geo = Geometry(mean_step, vox.shape, positions=positions)
    spec, run = runner(tmp_path, threshold_model(), manifest())
    (finding,) = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert finding.slice_index == 7
    assert finding.center_mm[2] == pytest.approx(17.0, abs=0.01)


def test_io_binding_path_gives_the_plain_path_results(tmp_path: Path):
    """The device-buffer (IO binding) path, run with CPU buffers here, matches session.run."""
    vox = blob_stack((12, 48, 40), (2.0, 0.8, 0.8), [(5.0, 20.0, 20.0)], radius_mm=4.0)
    geo = Geometry(affine(AXIAL, (1.0, 2.0, 3.0), 0.8, 0.8, 2.0), vox.shape)
    spec, plain = runner(tmp_path / "a", threshold_model(), manifest())
    bound = ModelRunner(plain.session, spec, io_binding=True)
    assert bound.use_io_binding and bound.device == "cpu" and not plain.use_io_binding
    a = analyse(vox, geo, spec, plain, no_progress, NEVER_CANCELLED).findings
    b = analyse(vox, geo, spec, bound, no_progress, NEVER_CANCELLED).findings
    assert [f.as_dict() for f in a] == [f.as_dict() for f in b] and len(a) == 1


def test_float16_models_need_fp16_allowed_and_then_get_float16_input(tmp_path: Path):
    """A float16-input model is refused unless the manifest allows fp16; then it runs."""
    half = [{"name": "image", "dtype": "float16", "shape": ["N", 1, "H", "W"]}]
    with pytest.raises(ModelError, match="fp16_allowed is false"):
        runner(tmp_path / "a", half_input_model(), manifest(inputs__tensors=half))
    spec, run = runner(tmp_path / "b", half_input_model(),
                       manifest(inputs__tensors=half, runtime__fp16_allowed=True))
    vox = blob_stack((4, 32, 32), (1.0, 1.0, 1.0), [(2.0, 16.0, 16.0)], radius_mm=3.0)
    (finding,) = analyse(vox, Geometry(np.eye(4), vox.shape), spec, run, no_progress,
                         NEVER_CANCELLED).findings
    assert finding.slice_index == 2 and run.input_dtype == np.float16


@pytest.mark.parametrize("n_out", [3, 7, 11, 20])
def test_slice_resampling_matches_linear_interpolation_at_pixel_centres(n_out: int):
    """Resampling along slices equals np.interp at pixel-centre-aligned positions (float and uint8)."""
    stack = np.random.default_rng(n_out).random((7, 3, 4)).astype(np.float32)
    pos = np.clip((np.arange(n_out) + 0.5) * 7 / n_out - 0.5, 0, 6)
    expected = np.stack([[[np.interp(p, np.arange(7), stack[:, r, c]) for c in range(4)]
                          for r in range(3)] for p in pos])
    assert np.allclose(resample_slices_axis(stack, n_out), expected, atol=1e-6)
    q = (stack * 255).round().astype(np.uint8)
    got = resample_slices_axis(q, n_out).astype(float)
    assert np.abs(got - expected * 255).max() <= 1.0


def test_softmax_with_background_gives_foreground_probabilities():
    """softmax over channels, background dropped; the two-class shortcut agrees with it."""
    from clinic_app.core.inference.imaging_run import to_probabilities
    from clinic_app.core.inference.imaging_spec import OutputSpec, TensorSpec

    logits = np.random.default_rng(0).normal(size=(2, 3, 4, 5)).astype(np.float32)
    tensor = TensorSpec("y", "float32", ("N", 3, "H", "W"))
    three = OutputSpec("segmentation", tensor, ("a", "b"), {"a": 0.5, "b": 0.5},
                       activation="softmax", background_channel=True)
    e = np.exp(logits)
    assert np.allclose(to_probabilities(logits, three), (e / e.sum(1, keepdims=True))[:, 1:],
                       atol=1e-6)
    two = OutputSpec("segmentation", tensor, ("a",), {"a": 0.5}, activation="softmax",
                     background_channel=True)
    e2 = np.exp(logits[:, :2])
    assert np.allclose(to_probabilities(logits[:, :2].copy(), two),
                       (e2 / e2.sum(1, keepdims=True))[:, 1:], atol=1e-6)


def test_imaging_test_vectors_run_and_report_each_result(tmp_path: Path):
    """models verify's imaging vectors: described images, pass/fail with the numbers."""
    from clinic_app.core.inference.imaging_vectors import check_imaging_vectors

    vectors = [
        {"name": "soft tissue", "inputs": {"fill": 40, "rows": 32, "cols": 32},
         "expected": {"max_probability": 0.0}, "tolerance": 0.05, "source": "t"},
        {"name": "bright disc", "inputs": {"fill": 40, "rows": 32, "cols": 32,
                                           "disc": {"centre": [16, 16], "radius_mm": 4,
                                                    "value": 400}},
         "expected": {"max_probability": 1.0}, "tolerance": 0.05, "source": "t"},
        {"name": "wrong on purpose", "inputs": {"fill": 40, "rows": 32, "cols": 32},
         "expected": {"max_probability": 1.0}, "tolerance": 0.05, "source": "t"},
    ]
    _spec, run = runner(tmp_path, threshold_model(), manifest(test_vectors=vectors))
    checks = check_imaging_vectors(run.session)
    assert [c.ok for c in checks] == [True, True, False]
    assert "got 0.003" in checks[2].detail or "got 0" in checks[2].detail


def test_big_endian_voxels_give_the_same_findings(tmp_path: Path):
    """A big-endian voxel array (as pydicom returns for Explicit VR Big Endian) is analysed
    exactly like its native copy: OpenCV and onnxruntime never see swapped bytes."""
    vox, geo, spec, run = _resampled_case(tmp_path)
    swapped = vox.astype(vox.dtype.newbyteorder(">"))
    assert not swapped.dtype.isnative and np.array_equal(swapped, vox)
    expected = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    found = analyse(swapped, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert [f.as_dict() for f in found] == [f.as_dict() for f in expected] and len(found) == 1
