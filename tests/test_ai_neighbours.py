"""2.5D input: neighbouring slices at a fixed distance in mm as extra channels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from clinic_app.core.inference.findings import Geometry
from clinic_app.core.inference.imaging_pipeline import analyse
from clinic_app.core.inference.imaging_spec import PreprocessSpec
from clinic_app.core.inference.preprocess import prepare_slice_batch, prepare_slices, slices_at
from clinic_app.core.tasks import NEVER_CANCELLED, no_progress
from clinic_app.errors import InvalidInput, ModelError
from tests.ai_support import _model, affine, blob_stack, manifest, runner, threshold_model

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _three_channel_doc(neighbour_mm: float | None = 5.0, channels: int = 3) -> dict:
    return manifest(
        inputs__tensors=[{"name": "image", "dtype": "float32", "shape": ["N", channels, "H", "W"]}],
        inputs__image__preprocessing__channels=channels,
        inputs__image__preprocessing__neighbour_slices_mm=neighbour_mm)


def _channel_model(reduce: str) -> bytes:
    """prob = sigmoid((c - 0.5) * 40) with c = channel 0 ("below") or the channel minimum."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, "H", "W"])
    y = helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 1, "H", "W"])
    first = (helper.make_node("Gather", ["image", "idx"], ["c"], axis=1) if reduce == "below"
             else helper.make_node("ReduceMin", ["image"], ["c"], axes=[1], keepdims=1))
    nodes = [first, helper.make_node("Sub", ["c", "level"], ["d"]),
             helper.make_node("Mul", ["d", "gain"], ["z"]),
             helper.make_node("Sigmoid", ["z"], ["prob"])]
    inits = [numpy_helper.from_array(np.array([0], dtype=np.int64), "idx"),
             numpy_helper.from_array(np.array(0.5, dtype=np.float32), "level"),
             numpy_helper.from_array(np.array(40.0, dtype=np.float32), "gain")]
    return _model(nodes, [x], [y], inits)


def test_slices_at_interpolates_linearly_and_holds_the_end_slices():
    """Fractional positions are hand-checked blends; positions past either end give the end slice."""
    stack = np.stack([np.full((2, 3), v, dtype=np.float32) for v in (0.0, 10.0, 40.0)])
    got = slices_at(stack, np.array([-1.5, 0.0, 0.25, 1.5, 2.0, 3.7]))
    assert got[:, 0, 0] == pytest.approx([0.0, 0.0, 2.5, 25.0, 40.0, 40.0])
    assert got.dtype == np.float32 and got.shape == (6, 2, 3)


def test_neighbour_channels_are_the_images_a_fixed_distance_below_and_above():
    """Channels 0/1/2 are the image 2.5 mm below, at and above each slice, whatever the step."""
    spec = PreprocessSpec(window=(0.0, 100.0), channels=3, neighbour_mm=2.5)
    depth = np.arange(12, dtype=np.float32) * 2.0  # value = slice position in mm at 2 mm steps
    vox = np.repeat(depth[:, None, None], 16, axis=1).repeat(16, axis=2)
    batch, shape = prepare_slice_batch(vox, 4, 7, (2.0, 1.0, 1.0), spec)
    assert batch.shape == (3, 3, 16, 16) and shape == (16, 16)
    for n, k in enumerate(range(4, 7)):
        z = 2.0 * k
        assert batch[n, :, 5, 5] * 100 == pytest.approx([z - 2.5, z, z + 2.5], abs=1e-4)


def test_without_neighbours_the_batch_is_the_per_slice_input():
    """A package that does not declare neighbour_slices_mm gets exactly the input it always got."""
    spec = PreprocessSpec(window=(-100.0, 300.0), channels=1, pad_to_multiple=8)
    vox = np.random.default_rng(3).normal(50, 40, (6, 30, 27)).astype(np.float32)
    batch, shape = prepare_slice_batch(vox, 1, 5, (3.0, 0.8, 0.8), spec)
    same, same_shape = prepare_slices(vox[1:5], (0.8, 0.8), spec)
    assert shape == same_shape and np.array_equal(batch, same)


@pytest.mark.parametrize("step_mm", [1.25, 2.5])
def test_the_pipeline_feeds_the_slice_below_as_channel_zero(tmp_path: Path, step_mm: float):
    """A model reading only channel 0 finds a sphere 5 mm further up: the channel is 5 mm below."""
    n = round(40 / step_mm)
    centre = n // 2
    vox = blob_stack((n, 60, 60), (step_mm, 1.0, 1.0), [(float(centre), 30.0, 30.0)],
                     radius_mm=1.2)
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 1.0, 1.0, step_mm), vox.shape)
    spec, run = runner(tmp_path, _channel_model("below"), _three_channel_doc(5.0))
    (finding,) = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert finding.slice_index == centre + round(5.0 / step_mm)


def test_a_structure_that_ends_within_the_distance_gives_no_input_on_all_channels(tmp_path: Path):
    """Through the pipeline, a 6 mm sphere never fills all three channels at 5 mm; a tube does."""
    spacing = (2.5, 1.0, 1.0)
    vox = blob_stack((16, 60, 60), spacing, [(8.0, 20.0, 20.0)], radius_mm=3.0)
    vox[:, 38:44, 38:44] = 400.0  # a tube along the slice axis
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 1.0, 1.0, 2.5), vox.shape)
    spec, run = runner(tmp_path, _channel_model("min"), _three_channel_doc(5.0))
    findings = analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED).findings
    assert findings and all(f.center_px[0] > 35 and f.center_px[1] > 35 for f in findings)


def test_neighbours_need_three_channels(tmp_path: Path):
    """A package declaring 2.5D input on a one-channel network is refused, naming the field."""
    with pytest.raises(ModelError, match="neighbour_slices_mm"):
        runner(tmp_path, threshold_model(), _three_channel_doc(5.0, channels=1))


@pytest.mark.parametrize("step_mm", [0.0, -1.25, float("nan")])
def test_an_unknown_slice_spacing_is_refused_not_assumed(step_mm: float):
    """Neighbours at a fixed distance need the slice spacing; none is ever assumed."""
    spec = PreprocessSpec(window=(0.0, 100.0), channels=3, neighbour_mm=2.5)
    vox = np.zeros((6, 16, 16), dtype=np.float32)
    with pytest.raises(InvalidInput, match="slice spacing is unknown"):
        prepare_slice_batch(vox, 0, 6, (step_mm, 1.0, 1.0), spec)


def test_the_pipeline_refuses_a_stack_without_slice_spacing(tmp_path: Path):
    """Through analyse: slices stacked at one position are refused with the reason, no findings."""
    vox = blob_stack((8, 60, 60), (2.5, 1.0, 1.0), [(4.0, 30.0, 30.0)], radius_mm=3.0)
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 1.0, 1.0, 0.0), vox.shape)
    spec, run = runner(tmp_path, _channel_model("below"), _three_channel_doc(2.5))
    with pytest.raises(InvalidInput, match=r"2\.5 mm above and below"):
        analyse(vox, geo, spec, run, no_progress, NEVER_CANCELLED)


def test_a_vector_ball_is_a_sphere_on_the_middle_slice_and_a_disc_a_tube():
    """Hand-checked profile: full value at the centre, half at the radius, none a slice beyond."""
    from clinic_app.core.inference.imaging_vectors import vector_image

    shape = {"centre": [20, 20], "radius_mm": 3.0, "value": 100.0, "edge_mm": 0.0}
    ball, pixel_mm, slice_mm = vector_image({"rows": 41, "cols": 41, "slices": 9,
                                             "slice_mm": 1.0, "ball": shape})
    assert ball.shape == (9, 41, 41) and pixel_mm == 1.0 and slice_mm == 1.0
    assert ball[4, 20, 20] == pytest.approx(100.0)
    assert ball[4, 20, 22] == pytest.approx(100.0) and ball[4, 20, 24] == pytest.approx(0.0)
    assert ball[1, 20, 20] == pytest.approx(50.0)  # 3 mm from the centre: on the boundary
    assert ball[0, 20, 20] == pytest.approx(0.0) and ball[8].max() == pytest.approx(0.0)
    tube, _, _ = vector_image({"rows": 41, "cols": 41, "slices": 9, "slice_mm": 1.0, "disc": shape})
    assert np.array_equal(tube[0], tube[4]) and tube[0, 20, 20] == pytest.approx(100.0)
    with pytest.raises(ValueError, match="odd"):
        vector_image({"slices": 4})


def test_vectors_of_a_2_5d_model_run_on_the_slices_they_describe(tmp_path: Path):
    """models verify on a 2.5D model: a tube fills all three channels, a short ball does not."""
    from clinic_app.core.inference.imaging_vectors import check_imaging_vectors

    def vector(name: str, key: str, want: float) -> dict:
        return {"name": name, "expected": {"max_probability": want}, "tolerance": 0.1,
                "source": "t",
                "inputs": {"fill": 0.0, "rows": 40, "cols": 40, "slices": 9, "slice_mm": 1.0,
                           key: {"centre": [20, 20], "radius_mm": 3.0, "value": 400.0}}}

    # 12 mm across on slices 2 mm apart: the images 5 mm away still cut it (only if the
    # vector's slice spacing reaches the run; at 1 mm they would be 10 mm away).
    big = vector("12 mm ball, 2 mm slices", "ball", 1.0)
    big["inputs"].update(slice_mm=2.0, ball={"centre": [20, 20], "radius_mm": 6.0, "value": 400.0})
    doc = _three_channel_doc(5.0)
    doc["test_vectors"] = [vector("tube", "disc", 1.0), vector("ball", "ball", 0.0),
                           vector("ball, wrong on purpose", "ball", 1.0), big]
    _spec, run = runner(tmp_path, _channel_model("min"), doc)
    assert [c.ok for c in check_imaging_vectors(run.session)] == [True, True, False, True]


def _ct_neighbours():
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "models" / "ct_neighbours.py"
    spec = importlib.util.spec_from_file_location("ct_neighbours", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("step_mm", "pixel_mm", "k0", "k1"),
                         [(0.6, 0.7, 0, 9), (1.25, 0.83, 3, 11), (3.0, 0.65, 5, 14),
                          (5.0, 1.2, 0, 14), (2.5, 1.0, 7, 8)])
def test_the_app_s_fast_route_matches_training_s_plain_route(step_mm, pixel_mm, k0, k1):
    """Resize-once-then-interpolate (app) = interpolate-then-resize (training), to rounding:
    the oracle is the plain route, on noisy CT-like stacks at both ends and in the middle."""
    spec = PreprocessSpec(window=(-1000.0, 600.0), channels=3, neighbour_mm=4.0,
                          target_spacing_mm=(1.0, 1.0), pad_to_multiple=8)
    vox = np.random.default_rng(int(step_mm * 100)).normal(-300, 400, (14, 70, 61))
    vox = vox.astype(np.float32)
    spacing = (step_mm, pixel_mm, pixel_mm)
    fast, shape = prepare_slice_batch(vox, k0, k1, spacing, spec)
    plain, plain_shape = _ct_neighbours().reference_batch(vox, spacing, spec)
    assert shape == plain_shape and fast.shape == plain[k0:k1].shape
    assert np.abs(fast - plain[k0:k1]).max() < 1e-5
