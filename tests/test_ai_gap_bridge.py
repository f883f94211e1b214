"""A lesion goes on through slices where the model's map is silent if the image shows it
(``gap_bridge``), and only then: lung between two lesions keeps them apart."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.findings import Geometry, segmentation_findings
from tests.ai_support import affine

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SPACING = (1.25, 0.8, 0.8)
LUNG_HU, NODULE_HU = -850.0, -70.0


def _radius(shape: tuple[int, int, int], centre: tuple[float, float, float],
            radii_mm: tuple[float, float, float], spacing: tuple[float, float, float]) -> np.ndarray:
    """Normalised ellipsoid radius of every voxel (1 on the surface)."""
    k, j, i = np.meshgrid(*(np.arange(n, dtype=np.float64) for n in shape), indexing="ij")
    return np.sqrt(sum(((g - c) * s / r) ** 2
                       for g, c, s, r in zip((k, j, i), centre, spacing, radii_mm, strict=True)))


def _nodules(shape: tuple[int, int, int], lesions: list[tuple[tuple[float, float, float],
                                                                tuple[float, float, float]]],
             spacing: tuple[float, float, float] = SPACING) -> tuple[np.ndarray, np.ndarray]:
    """Lung with solid nodules (0.5 mm margins, a little noise) and a map that is 1 inside."""
    rng = np.random.default_rng(11)
    image = np.full(shape, LUNG_HU) + rng.normal(0.0, 15.0, shape)
    prob = np.zeros(shape, np.float32)
    for centre, radii in lesions:
        r = _radius(shape, centre, radii, spacing)
        weight = 0.5 * (1.0 - np.tanh((r - 1.0) * min(radii) / 0.5))
        image += weight * (NODULE_HU - LUNG_HU)
        prob[r <= 1.0] = 1.0
    return image.astype(np.float32), prob


def _silence(prob: np.ndarray, k: int) -> None:
    prob[k] = 0.0


def _tail(prob: np.ndarray, k: int, row: int, col: int) -> None:
    """Only a 3×3 speck of the map left on slice ``k``, at ``(row, col)``."""
    prob[k] = 0.0
    prob[k, row - 1:row + 2, col - 1:col + 2] = 1.0


def _findings(image: np.ndarray, prob: np.ndarray, *, with_image: bool = True,
              spacing: tuple[float, float, float] = SPACING) -> list:
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), spacing[1], spacing[2], spacing[0]), prob.shape)
    return segmentation_findings(prob[None], ("x",), {"x": 0.5}, 0.4, 0.0, geo,
                                 image=image if with_image else None)


def test_a_silent_slice_through_a_large_nodule_is_bridged_by_the_image() -> None:
    """The held-out failure: a 24 mm lung nodule on 1.25 mm slices, the map 0 on its middle
    slice and only off-centre specks on the slices facing it. The image shows the nodule
    there, so it is one finding of its own size; on the map alone it would be two."""
    shape = (40, 72, 72)
    image, prob = _nodules(shape, [((20.0, 36.0, 36.0), (12.0, 12.0, 12.0))])
    _silence(prob, 20)
    _tail(prob, 19, 36, 44)
    _tail(prob, 21, 36, 28)
    assert len(_findings(image, prob, with_image=False)) == 2
    (finding,) = _findings(image, prob)
    assert finding.diameter_mm == pytest.approx(24.0, rel=0.15)
    assert finding.volume_ml == pytest.approx(math.pi / 6.0 * 24.0 ** 3 / 1000.0, rel=0.25)
    assert math.dist(finding.center_mm, (36 * 0.8, 36 * 0.8, 20 * 1.25)) <= 2.0


@pytest.mark.parametrize("lung_mm", [2.5, 5.0])
def test_lung_between_two_flat_nodules_keeps_them_two(lung_mm: float) -> None:
    """Two flat 20 mm nodules stacked along the slices, their widest sections close enough
    to be judged one lesion, with lung between them and a silent map there: the image
    does not reach their half-maximum in the gap, so they stay two."""
    half = 6.0  # mm, each nodule's half-height
    gap_k = (2.0 * half + lung_mm) / SPACING[0]
    shape = (44, 64, 64)
    first, second = 14.0, 14.0 + gap_k
    image, prob = _nodules(shape, [((first, 32.0, 32.0), (half, 10.0, 10.0)),
                                   ((second, 32.0, 32.0), (half, 10.0, 10.0))])
    top, bottom = math.floor(first + half / SPACING[0]), math.ceil(second - half / SPACING[0])
    _tail(prob, top, 32, 40)
    _tail(prob, bottom, 32, 24)
    found = _findings(image, prob)
    assert len(found) == 2
    assert all(f.diameter_mm < 20.0 for f in found)


@settings(max_examples=20, deadline=None)
@given(step=st.sampled_from([0.6, 1.0, 1.25, 2.5]), radius=st.floats(8.0, 15.0),
       squash=st.tuples(st.floats(0.85, 1.15), st.floats(0.85, 1.15)),
       offset=st.floats(-0.5, 0.5), silent_mm=st.floats(0.0, 2.5))
def test_any_nodule_with_a_silent_middle_is_one_finding_of_its_size(
        step: float, radius: float, squash: tuple[float, float], offset: float,
        silent_mm: float) -> None:
    """8-15 mm nodules on 0.6-2.5 mm slices, up to 2.5 mm of silent map through the middle
    and off-centre specks on the slices facing it: one finding, its size within the goal,
    as long as what the map lost (the silent slices and the two specks) is at most a third
    of the nodule. Beyond that (three of a 16 mm nodule's seven 2.5 mm slices) its two
    caps no longer pass the widest-section rule and it is reported as two findings, a limit
    stated in docs/imaging-ai.md."""
    gap = max(1, round(silent_mm / step))
    assume((gap + 2) * step <= 2.0 * radius / 3.0)
    spacing = (step, 0.8, 0.8)
    radii = (radius, radius * squash[0], radius * squash[1])
    slices = math.ceil(2 * radius / step) + 12
    centre = (slices / 2 + offset, 36.0, 36.0)
    image, prob = _nodules((slices, 72, 72), [(centre, radii)], spacing)
    first = round(centre[0]) - gap // 2
    for k in range(first, first + gap):
        _silence(prob, k)
    reach = round(0.6 * radius / 0.8)
    _tail(prob, first - 1, 36, 36 + reach)
    _tail(prob, first + gap, 36, 36 - reach)
    (finding,) = _findings(image, prob, spacing=spacing)
    truth = 2.0 * float(np.prod(radii)) ** (1.0 / 3.0)
    assert finding.diameter_mm == pytest.approx(truth, rel=0.15)
