"""A lesion goes on through slices where the model's map is silent if the image shows it
(``gap_bridge``), and only then: lung between two lesions keeps them apart."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clinic_app.core.inference.findings import Geometry, segmentation_findings
from tests.ai_support import affine

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SPACING = (1.25, 0.8, 0.8)
LUNG_HU, NODULE_HU = -850.0, -70.0


def _radius(shape: tuple[int, int, int], centre: tuple[float, float, float],
            radii_mm: tuple[float, float, float]) -> np.ndarray:
    """Normalised ellipsoid radius of every voxel (1 on the surface)."""
    k, j, i = np.meshgrid(*(np.arange(n, dtype=np.float64) for n in shape), indexing="ij")
    return np.sqrt(sum(((g - c) * s / r) ** 2
                       for g, c, s, r in zip((k, j, i), centre, SPACING, radii_mm, strict=True)))


def _nodules(shape: tuple[int, int, int], lesions: list[tuple[tuple[float, float, float],
                                                                tuple[float, float, float]]],
             ) -> tuple[np.ndarray, np.ndarray]:
    """Lung with solid nodules (0.5 mm margins, a little noise) and a map that is 1 inside."""
    rng = np.random.default_rng(11)
    image = np.full(shape, LUNG_HU) + rng.normal(0.0, 15.0, shape)
    prob = np.zeros(shape, np.float32)
    for centre, radii in lesions:
        r = _radius(shape, centre, radii)
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


def _findings(image: np.ndarray, prob: np.ndarray, *, with_image: bool = True) -> list:
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), SPACING[1], SPACING[2], SPACING[0]), prob.shape)
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
