"""The second look for small lesions: the blob test on shapes built by hand, the merge
rules, the manifest field, and the shipped CT model on a nodule its first pass misses."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference import second_look
from clinic_app.core.inference.findings import Finding, Geometry
from clinic_app.core.inference.imaging_spec import SecondLookSpec, parse_imaging_spec
from clinic_app.core.inference.manifest import parse_manifest
from clinic_app.errors import ModelError
from tests.ai_support import affine, shipped_ct_runner, small_lung_nodule_phantom

MODELS = Path(__file__).resolve().parents[1] / "models"
AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
LOOK = SecondLookSpec(scale=2.0, max_slice_mm=3.0, max_diameter_mm=9.0, max_elongation=1.5)
LUNG, SOLID = -850.0, 40.0


def _grid(shape: tuple[int, int, int], spacing: tuple[float, float, float]) -> tuple[np.ndarray, ...]:
    """Voxel-centre coordinates in mm, ``(z, y, x)``."""
    return tuple(np.arange(n, dtype=np.float64)[tuple(slice(None) if a == axis else None
                                                      for a in range(3))] * s
                 for axis, (n, s) in enumerate(zip(shape, spacing, strict=True)))


def _soft(distance_inside_mm: np.ndarray) -> np.ndarray:
    """Occupancy with a 1 mm partial-volume edge: 1 inside, 0 outside, ½ on the surface."""
    return np.clip(distance_inside_mm + 0.5, 0.0, 1.0)


def _image(shape: tuple[int, int, int], spacing: tuple[float, float, float],
           *objects: np.ndarray) -> np.ndarray:
    occupancy = np.zeros(shape)
    for obj in objects:
        occupancy = np.maximum(occupancy, obj)
    noise = np.random.default_rng(3).normal(0.0, 6.0, shape)
    return (LUNG + (SOLID - LUNG) * occupancy + noise).astype(np.float32)


def _sphere(grid: tuple[np.ndarray, ...], centre: tuple[float, float, float],
            radius: float) -> np.ndarray:
    z, y, x = grid
    return _soft(radius - np.sqrt((z - centre[0]) ** 2 + (y - centre[1]) ** 2
                                  + (x - centre[2]) ** 2))


def _tube_along_x(grid: tuple[np.ndarray, ...], z0: float, y0: float, radius: float) -> np.ndarray:
    z, y, x = grid
    return _soft(radius - np.sqrt((z - z0) ** 2 + (y - y0) ** 2)) + 0.0 * x


SPACING = (1.25, 0.7, 0.7)
SHAPE = (40, 72, 72)
CENTRE = (25.0, 25.2, 25.2)  # mm, (z, y, x)


def _centre_px(centre_mm: tuple[float, float, float]) -> tuple[float, float, float]:
    return (centre_mm[2] / SPACING[2], centre_mm[1] / SPACING[1], centre_mm[0] / SPACING[0])


def _shape_of(image: np.ndarray, diameter_mm: float) -> second_look.BlobShape | None:
    return second_look.blob_shape(image, SPACING, _centre_px(CENTRE), diameter_mm)


def test_an_isolated_5_mm_nodule_is_a_compact_enclosed_blob_of_its_own_size():
    grid = _grid(SHAPE, SPACING)
    shape = _shape_of(_image(SHAPE, SPACING, _sphere(grid, CENTRE, 2.5)), 5.0)
    assert shape is not None and shape.enclosed
    assert shape.diameter_mm == pytest.approx(5.0, rel=0.1)
    assert shape.elongation < 1.3
    assert shape.passes(LOOK, 4.0)


def test_a_vessel_seen_as_a_small_nodule_runs_out_of_the_cube():
    """A 3 mm vessel the magnified network called a 5 mm nodule: the opening (a 1 mm ball)
    leaves it whole, and it reaches the cube's faces."""
    grid = _grid(SHAPE, SPACING)
    shape = _shape_of(_image(SHAPE, SPACING, _tube_along_x(grid, CENTRE[0], CENTRE[1], 1.5)), 5.0)
    assert shape is not None and not shape.enclosed
    assert not shape.passes(LOOK, 4.0)


def test_a_thin_vessel_running_into_a_nodule_is_cut_off():
    """A 6 mm nodule on a 1.4 mm vessel: a 1.5 mm ball takes the vessel, not the nodule."""
    grid = _grid(SHAPE, SPACING)
    image = _image(SHAPE, SPACING, _sphere(grid, CENTRE, 3.0),
                   _tube_along_x(grid, CENTRE[0], CENTRE[1], 0.7))
    shape = _shape_of(image, 6.0)
    assert shape is not None and shape.enclosed and shape.passes(LOOK, 4.0)
    assert shape.diameter_mm == pytest.approx(6.0, rel=0.12)


def test_a_nodule_against_the_chest_wall_is_left_to_the_first_pass():
    grid = _grid(SHAPE, SPACING)
    z, y, x = grid
    wall = _soft(x - (CENTRE[2] + 2.5)) + 0.0 * y + 0.0 * z  # solid from the nodule's edge on
    shape = _shape_of(_image(SHAPE, SPACING, _sphere(grid, CENTRE, 3.0), wall), 6.0)
    assert shape is not None and not shape.enclosed


def test_a_flat_plate_fails_on_its_axis_ratio():
    """10 × 10 × 4 mm: enclosed and big enough, but not round (axis ratio 2.5)."""
    grid = _grid(SHAPE, SPACING)
    z, y, x = grid
    r = np.sqrt(((z - CENTRE[0]) / 2.0) ** 2 + ((y - CENTRE[1]) / 5.0) ** 2
                + ((x - CENTRE[2]) / 5.0) ** 2)
    shape = _shape_of(_image(SHAPE, SPACING, _soft((1.0 - r) * 2.0)), 5.0)
    assert shape is not None and shape.enclosed
    assert shape.elongation > 2.0 and not shape.passes(LOOK, 4.0)


def test_nothing_brighter_than_the_lung_is_no_blob():
    assert _shape_of(_image(SHAPE, SPACING), 5.0) is None


def _finding(centre_mm: tuple[float, float, float], diameter: float, score: float,
             threshold: float = 0.5) -> Finding:
    px = [c / s for c, s in zip(centre_mm, (SPACING[2], SPACING[1], SPACING[0]), strict=True)]
    return Finding(label="lesion", score=score, flagged=score >= threshold, threshold=threshold,
                   slice_index=round(px[2]), slice_range=(round(px[2]), round(px[2])),
                   bbox_px={}, bbox_mm={}, center_px=px, center_mm=list(centre_mm),
                   contour_px=[], contour_mm=[], volume_ml=None, diameter_mm=diameter,
                   frame="LPS", location_method="segmentation")


def _geometry() -> Geometry:
    return Geometry(affine(AXIAL, (0.0, 0.0, 0.0), SPACING[1], SPACING[2], SPACING[0]), SHAPE)


def test_combine_adds_only_new_small_isolated_findings_and_keeps_one_per_lesion():
    grid = _grid(SHAPE, SPACING)
    other = (10.0, 45.0, 12.0)
    image = _image(SHAPE, SPACING, _sphere(grid, CENTRE, 2.5), _sphere(grid, other, 4.5))
    xyz = (CENTRE[2], CENTRE[1], CENTRE[0])
    big = (other[2], other[1], other[0])
    faint = _finding(xyz, 5.0, 0.2)              # the first pass saw it, below threshold
    first = [_finding(big, 9.0, 0.95), faint]
    second = [_finding(xyz, 5.1, 0.99),          # the small nodule: added, faint one dropped
              _finding(big, 9.0, 1.0),           # the first pass's own lesion: not again
              _finding((40.0, 40.0, 40.0), 4.5, 0.3)]  # unflagged: never added
    combined = second_look.combine(first, second, image, _geometry(), LOOK, 4.0)
    assert [(f.score, f.diameter_mm) for f in combined] == [(0.99, 5.1), (0.95, 9.0)]
    # Too large for the second look: the first pass's lesions are the first pass's.
    too_big = second_look.combine([], [_finding(xyz, 9.5, 0.99)], image, _geometry(), LOOK, 4.0)
    assert too_big == []
    # Under the model's minimum size: the blob is measured, not the finding's claim.
    assert second_look.combine([], second[:1], image, _geometry(), LOOK, 6.0) == []


def _ct_doc() -> dict:
    return json.loads((MODELS / "ct-hyperdense-lesion-demo" / "manifest.json").read_text())


def _spec(doc: dict):
    return parse_imaging_spec(parse_manifest(json.dumps(doc).encode()))


def test_the_manifest_field_is_read_and_refused_where_it_cannot_work():
    doc = _ct_doc()
    doc["outputs"]["second_look"] = {"scale": 2, "max_slice_mm": 3, "max_diameter_mm": 9,
                                     "max_elongation": 1.5}
    assert _spec(doc).output.second_look == LOOK
    magnified = second_look.magnified(_spec(doc))
    assert magnified.preprocess.target_spacing_mm == (0.5, 0.5)
    assert magnified.preprocess.neighbour_mm == 2.0
    assert magnified.inference.batch_size == _spec(doc).inference.batch_size // 4
    without_halfmax = copy.deepcopy(doc)
    without_halfmax["outputs"]["size_method"] = "map"
    without_halfmax["outputs"].pop("max_continuation")
    with pytest.raises(ModelError, match="second_look"):
        _spec(without_halfmax)
    shrinking = copy.deepcopy(doc)
    shrinking["outputs"]["second_look"]["scale"] = 1.0
    with pytest.raises(ModelError, match="scale"):
        _spec(shrinking)


@pytest.mark.parametrize(("step", "frame", "expected"),
                         [(0.6, "LPS", True), (3.0, "LPS", True), (5.0, "LPS", False),
                          (1.0, "uncalibrated", False)])
def test_only_calibrated_series_with_slices_up_to_the_limit_get_a_second_look(
        step: float, frame: str, expected: bool):
    doc = _ct_doc()
    doc["outputs"]["second_look"] = {"scale": 2, "max_slice_mm": 3, "max_diameter_mm": 9,
                                     "max_elongation": 1.5}
    geometry = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), 0.7, 0.7, step), (30, 64, 64), frame)
    assert second_look.applies(_spec(doc), geometry) is expected
    plain = _ct_doc()
    plain["outputs"].pop("second_look", None)
    assert second_look.applies(_spec(plain), geometry) is False


def test_distances_use_the_holders_radius_for_large_lesions():
    """A second-look response 8 mm from a 25 mm lesion's centre is inside that lesion."""
    holder = _finding((20.0, 20.0, 20.0), 25.0, 0.99)
    inside = _finding((28.0, 20.0, 20.0), 5.0, 0.99)
    assert second_look._holds(holder, inside)
    assert not second_look._holds(replace(holder, diameter_mm=6.0), inside)
    assert math.dist(holder.center_mm, inside.center_mm) == pytest.approx(8.0)


def test_the_shipped_ct_model_finds_a_5_mm_nodule_on_its_second_look_only():
    """A 5.0 mm nodule alone in phantom lung, 1.25 mm slices: the first pass scores it
    under the flag (as the evaluation's misses under 6 mm); with the second look it is one
    finding of the right size, and nothing else is flagged."""
    from clinic_app.core.inference.imaging_pipeline import analyse
    from clinic_app.core.tasks import NEVER_CANCELLED

    spec, runner = shipped_ct_runner()
    assert spec.output.second_look is not None
    hu, (step, px, _), nodule = small_lung_nodule_phantom()
    k, j, i = nodule.centre
    truth = (i * px, j * px, k * step)
    geometry = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), px, px, step), hu.shape)
    reports: list[tuple[int, int]] = []
    both = analyse(hu, geometry, spec, runner, lambda done, total, message="": reports.append(
        (done, total)), NEVER_CANCELLED)
    first = analyse(hu, geometry, replace(spec, output=replace(spec.output, second_look=None)),
                    runner, lambda *_: None, NEVER_CANCELLED)
    assert [f for f in first.findings if f.flagged] == []
    (found,) = [f for f in both.findings if f.flagged]
    assert math.dist(found.center_mm, truth) < 1.0
    assert found.diameter_mm == pytest.approx(nodule.diameter_mm, rel=0.15)
    # Two passes, one bar: it never goes back and ends full.
    assert [d / t for d, t in reports] == sorted(d / t for d, t in reports)
    assert reports[-1][0] == reports[-1][1] and reports[0][0] < reports[0][1] / 2


@settings(max_examples=150, deadline=None)
@given(slices=st.integers(1, 9), rows=st.integers(1, 40), cols=st.integers(1, 40),
       step=st.floats(0.5, 3.0), pixel=st.floats(0.3, 1.5), diameter=st.floats(0.5, 9.0),
       where=st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0), st.floats(-2.0, 2.0)),
       seed=st.integers(0, 2 ** 16), constant=st.booleans())
def test_the_blob_test_answers_on_any_stack_without_raising(
        slices: int, rows: int, cols: int, step: float, pixel: float, diameter: float,
        where: tuple[float, float, float], seed: int, constant: bool):
    """Tiny stacks, centres at or past the edges, flat images: an answer, never an error."""
    rng = np.random.default_rng(seed)
    image = (np.full((slices, rows, cols), -850.0, dtype=np.float32) if constant
             else rng.normal(-500.0, 300.0, (slices, rows, cols)).astype(np.float32))
    centre = [w * (n - 1) / 2 + (n - 1) / 2
              for w, n in zip(where, (cols, rows, slices), strict=True)]
    shape = second_look.blob_shape(image, (step, pixel, pixel), centre, diameter)
    if constant:
        assert shape is None
    if shape is not None:
        assert shape.diameter_mm > 0 and shape.elongation >= 1.0
