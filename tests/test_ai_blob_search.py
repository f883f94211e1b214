"""Where the second look reads: the blob search and the crops around what it finds.

The shapes are built by hand (tests/test_ai_second_look.py's phantoms): a nodule must be a
candidate on thin and thick slices, in lung and in soft tissue; a vessel, flat tissue and
noise must not. The crops must give the network's own answer at a nodule.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference import blob_search, second_look
from clinic_app.core.inference.second_look_crops import CONTEXT_MM, INNER_MM, Box, boxes
from tests.ai_support import shipped_ct_runner, small_lung_nodule_phantom
from tests.test_ai_second_look import _grid, _image, _sphere, _tube_along_x


def _mm(centres: np.ndarray, spacing: tuple[float, float, float]) -> np.ndarray:
    return centres * np.asarray(spacing)


@pytest.mark.parametrize("step", [0.6, 1.25, 3.0])
@pytest.mark.parametrize("diameter", [4.5, 6.0, 9.0])
def test_a_small_nodule_in_lung_is_a_candidate_and_a_vessel_beside_it_is_not(
        step: float, diameter: float):
    spacing = (step, 0.7, 0.7)
    shape = (round(40.0 / step), 80, 80)
    grid = _grid(shape, spacing)
    nodule = (20.0, 18.2, 20.3)
    image = _image(shape, spacing, _sphere(grid, nodule, diameter / 2.0),
                   _tube_along_x(grid, 20.0, 40.0, 1.5))
    found = _mm(blob_search.blob_centres(image, spacing), spacing)
    near = [p for p in found if math.dist(p, nodule) <= 2.0]
    assert len(near) == 1
    on_vessel = [p for p in found if abs(p[0] - 20.0) < 3.0 and abs(p[1] - 40.0) < 3.0]
    assert on_vessel == []


def test_a_hyperdense_lesion_in_soft_tissue_is_a_candidate():
    """80 HU above liver-like tissue: the contrast the sizes and the blob test accept."""
    spacing = (1.25, 0.7, 0.7)
    shape = (32, 80, 80)
    grid = _grid(shape, spacing)
    centre = (20.0, 28.0, 28.0)
    lesion = _sphere(grid, centre, 3.5)
    noise = np.random.default_rng(5).normal(0.0, 6.0, shape)
    image = (40.0 + 80.0 * lesion + noise).astype(np.float32)
    found = _mm(blob_search.blob_centres(image, spacing), spacing)
    assert [p for p in found if math.dist(p, centre) <= 2.0] != []


@pytest.mark.parametrize("background", [-850.0, 40.0])
def test_flat_tissue_with_noise_has_no_candidate(background: float):
    noise = np.random.default_rng(7).normal(0.0, 6.0, (30, 64, 64))
    image = (background + noise).astype(np.float32)
    assert len(blob_search.blob_centres(image, (1.25, 0.7, 0.7))) == 0


def _cylinder_extreme(volume: np.ndarray, disc: np.ndarray, steps: int,
                      pick: np.ufunc, outside: float) -> np.ndarray:
    """Oracle: each voxel's ``pick`` over a ``disc`` in-plane and ``steps`` slices either
    side, voxels beyond the volume ignored; by shifting a padded copy, not by OpenCV."""
    half = disc.shape[0] // 2
    padded = np.pad(volume.astype(np.float64), ((steps, steps), (half, half), (half, half)),
                    constant_values=outside)
    out = np.full(volume.shape, outside)
    n, rows, cols = volume.shape
    for dz in range(2 * steps + 1):
        for dr, dc in zip(*np.nonzero(disc), strict=True):
            pick(out, padded[dz:dz + n, dr:dr + rows, dc:dc + cols], out=out)
    return out


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 16), step=st.sampled_from([0.6, 1.25, 3.0, 5.0]),
       pixel=st.sampled_from([0.7, 1.0]))
def test_peaks_and_surround_match_a_brute_force_reading_of_their_definition(
        seed: int, step: float, pixel: float):
    """Lumpy noise with a flat field (a field of view's padding) in one corner: the peaks
    are exactly the interior voxels that are the brightest within PEAK_MM and have a lower
    neighbour in their slice, and each one's surround is the darkest within SURROUND_MM."""
    import cv2

    rng = np.random.default_rng(seed)
    volume = rng.normal(0.0, 50.0, (9, 30, 34)).astype(np.float32)
    volume = (np.round(volume / 25.0) * 25.0).astype(np.float32)  # ties, as smoothing can leave on real data
    volume[:, :10, :12] = -2000.0
    grid = (step, pixel, pixel)
    disc = blob_search._disc(blob_search.PEAK_MM, grid)
    brightest = _cylinder_extreme(volume, disc, blob_search._steps(blob_search.PEAK_MM, grid),
                                  np.maximum, -np.inf)
    lowest_near = _cylinder_extreme(volume, np.ones((3, 3), np.uint8), 0, np.minimum, np.inf)
    expected = (volume >= brightest) & (volume > lowest_near)
    expected[[0, -1]] = False
    expected[:, [0, -1]] = False
    expected[:, :, [0, -1]] = False
    points = blob_search._peaks(volume, grid)
    assert np.array_equal(points, np.argwhere(expected))
    assert not expected[:, 1:9, 1:11].any()  # the flat field gives none
    disc = blob_search._disc(blob_search.SURROUND_MM, grid)
    assert cv2.countNonZero(disc) > 9
    darkest = _cylinder_extreme(volume, disc, blob_search._steps(blob_search.SURROUND_MM, grid),
                                np.minimum, np.inf)
    everywhere = np.argwhere(np.ones(volume.shape, bool))
    assert np.array_equal(blob_search._darkest(volume, everywhere, grid),
                          darkest[tuple(everywhere.T)].astype(np.float32))


def test_smoothing_along_the_slices_is_a_gaussian_with_the_end_slices_repeated():
    """Oracle: numpy's convolution of each pixel's column with the same weights, the
    series padded with copies of its end slices (the in-plane pass switched off by a
    one-pixel-wide image)."""
    rng = np.random.default_rng(3)
    column = rng.normal(0.0, 100.0, (17, 1, 1)).astype(np.float32)
    grid = (0.8, 1.0, 1.0)
    smoothed = blob_search._SmoothedSlices(column, (1, 1), grid).block(0, len(column))
    sigma = blob_search.SMOOTH_MM / grid[0]
    half = math.ceil(3.0 * sigma)
    weights = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    expected = np.convolve(np.pad(column[:, 0, 0].astype(np.float64), half, mode="edge"),
                           weights / weights.sum(), mode="valid")
    np.testing.assert_allclose(smoothed[:, 0, 0], expected, rtol=0, atol=1e-3)
    assert not np.allclose(smoothed, column)


@pytest.mark.parametrize("step", [0.6, 1.25, 3.0, 5.0])
def test_the_search_block_by_block_finds_what_it_finds_over_the_whole_series(
        step: float, monkeypatch: pytest.MonkeyPatch):
    """Blocks of slices, each with the slices its tests reach, give the same candidates,
    bit for bit, as one block holding the series: nothing is lost or doubled at a seam."""
    from clinic_app.synthetic.lesions import (
        add_lung_vessels,
        ct_volume,
        insert_ct_lesions,
        random_ct_lesions,
    )

    pixel = 1.0 if step == 3.0 else 0.8  # at 1 mm the grid is the series' own
    spacing = (step, pixel, pixel)
    rng = np.random.default_rng(round(step * 10))
    slices = max(12, round(60.0 / step))
    hu = ct_volume(slices, 160, 160, pixel_mm=pixel, spacing_mm=step, z0_mm=150.0, seed=4)
    add_lung_vessels(hu, spacing, rng, 20)
    insert_ct_lesions(hu, spacing, random_ct_lesions(hu, spacing, rng, 4,
                                                     diameter_mm=(4.0, 9.0)), rng)
    before = hu.copy()
    monkeypatch.setattr(blob_search, "CHUNK_SLICES", 3)  # a seam every third slice
    blocks = blob_search.blob_centres(hu, spacing)
    monkeypatch.setattr(blob_search, "CHUNK_SLICES", 10_000)
    whole = blob_search.blob_centres(hu, spacing)
    assert len(whole) > 0
    assert np.array_equal(blocks, whole)
    assert np.array_equal(hu, before)  # the caller's series is never smoothed in place


@pytest.mark.parametrize("step", [0.6, 1.25, 3.0])
def test_block_seams_change_nothing_where_candidates_are_everywhere(
        step: float, monkeypatch: pytest.MonkeyPatch):
    """Lumpy noise, so that blobs, and surrounds whose darkest point lies slices away,
    sit at every seam between blocks of three slices."""
    rng = np.random.default_rng(11)
    noise = rng.normal(0.0, 400.0, (max(12, round(30.0 / step)), 48, 48)).astype(np.float32)
    monkeypatch.setattr(blob_search, "CHUNK_SLICES", 3)
    blocks = blob_search.blob_centres(noise, (step, 1.4, 1.4))
    monkeypatch.setattr(blob_search, "CHUNK_SLICES", 10_000)
    whole = blob_search.blob_centres(noise, (step, 1.4, 1.4))
    assert len(whole) >= 5
    assert np.array_equal(blocks, whole)


@pytest.mark.parametrize("step", [0.6, 6.0])
def test_the_smoothed_series_keeps_only_the_slices_its_smoothing_still_reaches(step: float):
    """Thin slices are smoothed along the series, thick ones (over 5 mm) in-plane only: either
    way, making blocks in order leaves no more in-plane slices held than the smoothing
    reaches, never the whole series."""
    image = np.random.default_rng(2).normal(0.0, 100.0, (60, 40, 40)).astype(np.float32)
    series = blob_search._SmoothedSlices(image, (40, 40), (step, 1.0, 1.0))
    for lo in range(0, 60, 10):
        series.block(lo, min(60, lo + 12))
    assert len(series._inplane) <= 2 * series._half + 1


def test_boxes_keep_inside_what_they_read_and_merge_when_they_overlap():
    spacing = (1.25, 0.7, 0.7)
    shape = (100, 512, 512)
    alone = boxes(np.array([[50.0, 100.0, 100.0]]), shape, spacing, 2.0)
    (box,) = alone
    (s0, s1), (r0, r1), (c0, c1) = box.read
    (k0, k1), (i0, i1), (j0, j1) = box.keep
    assert s0 <= k0 < k1 <= s1 and r0 <= i0 < i1 <= r1 and c0 <= j0 < j1 <= c1
    # Kept: INNER_MM each way; read: the context in-plane, the neighbours plus one slice.
    assert (i1 - i0) * spacing[1] == pytest.approx(2 * INNER_MM, abs=3 * spacing[1])
    assert (i0 - r0) * spacing[1] == pytest.approx(CONTEXT_MM, abs=spacing[1] + 0.01)
    assert k0 - s0 in (math.floor(2.0 / 1.25 + 1.0), math.ceil(2.0 / 1.25 + 1.0))
    # Two candidates 10 mm apart are read once; one far away on its own; edges clipped.
    near_far = boxes(np.array([[50.0, 100.0, 100.0], [50.0, 100.0, 114.0],
                               [50.0, 450.0, 450.0], [1.0, 2.0, 510.0]]), shape, spacing, 2.0)
    assert len(near_far) == 3
    for b in near_far:
        for (lo, hi), n in zip(b.read, shape, strict=True):
            assert 0 <= lo < hi <= n
    merged = max(near_far, key=lambda b: math.prod(hi - lo for lo, hi in b.read))
    assert merged.keep[2][0] <= 100 - INNER_MM / 0.7 + 1 and merged.keep[2][1] >= 114


def test_a_box_union_holds_both():
    a = Box(((0, 10), (0, 10), (0, 10)), ((2, 8), (2, 8), (2, 8)))
    b = Box(((5, 20), (5, 20), (5, 20)), ((7, 18), (7, 18), (7, 18)))
    u = a.union(b)
    assert u.read == ((0, 20),) * 3 and u.keep == ((2, 18),) * 3
    assert a.overlaps(b) and not a.overlaps(Box(((10, 12),) * 3, ((10, 12),) * 3))


@settings(max_examples=100, deadline=None)
@given(slices=st.integers(1, 12), rows=st.integers(1, 48), cols=st.integers(1, 48),
       step=st.floats(0.5, 5.0), pixel=st.floats(0.3, 1.5), seed=st.integers(0, 2 ** 16),
       constant=st.booleans())
def test_the_blob_search_answers_on_any_stack_inside_it(
        slices: int, rows: int, cols: int, step: float, pixel: float, seed: int,
        constant: bool):
    rng = np.random.default_rng(seed)
    image = (np.full((slices, rows, cols), -850.0, dtype=np.float32) if constant
             else rng.normal(-500.0, 300.0, (slices, rows, cols)).astype(np.float32))
    found = blob_search.blob_centres(image, (step, pixel, pixel))
    assert found.shape[1] == 3
    if constant:
        assert len(found) == 0
    for point in found:
        assert all(-0.5 <= x <= n - 0.5 for x, n in zip(point, image.shape, strict=True))


def test_the_crops_give_the_networks_own_answer_at_a_small_nodule():
    """The shipped model magnified, over the whole series and over the crops: at the
    nodule the two maps agree (the crops' in-plane resampling is aligned to the crop, so
    single pixels at a map's edge may differ, not the lesion)."""
    from clinic_app.core.inference.imaging_run import StageTimes, run_slices
    from clinic_app.core.inference.second_look_crops import run_boxes
    from clinic_app.core.tasks import NEVER_CANCELLED

    spec, runner = shipped_ct_runner(second_look.magnified)
    hu, spacing, nodule = small_lung_nodule_phantom()
    step, px, _ = spacing
    centres = blob_search.blob_centres(hu, spacing)
    k, j, i = nodule.centre
    assert min(math.dist(c * np.asarray(spacing), (k * step, j * px, i * px))
               for c in centres) <= 2.0
    found = boxes(centres, hu.shape, spacing, spec.preprocess.neighbour_mm)
    crops = run_boxes(hu, spacing, spec, runner, StageTimes(), lambda *_: None,
                      NEVER_CANCELLED, found)[0]
    whole = run_slices(hu, spacing, spec, runner, StageTimes(), lambda *_: None,
                       NEVER_CANCELLED)[0]
    at = tuple(slice(max(0, round(c) - r), round(c) + r + 1)
               for c, r in zip((k, j, i), (2, 3, 3), strict=True))
    assert whole[at].max() >= 128  # flagged magnified
    assert abs(int(crops[at].max()) - int(whole[at].max())) <= 26
    assert (crops[at] >= 128).sum() >= 0.8 * (whole[at] >= 128).sum()
    # Outside the boxes' kept parts nothing was read.
    kept = np.zeros(hu.shape, bool)
    for box in found:
        kept[tuple(slice(*r) for r in box.keep)] = True
    assert not crops[~kept].any()
    assert kept.sum() < 0.5 * kept.size
