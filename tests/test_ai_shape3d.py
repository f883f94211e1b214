"""Vessels are not lesions: elongation of a 3D finding from its second moments in mm."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clinic_app.core.inference.findings import Geometry, segmentation_findings
from clinic_app.core.inference.shape3d import elongation
from tests.ai_support import affine

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _grid(shape: tuple[int, int, int], spacing: tuple[float, float, float]) -> tuple[np.ndarray, ...]:
    k, j, i = np.meshgrid(*(np.arange(n) * s for n, s in zip(shape, spacing, strict=True)),
                          indexing="ij")
    return k, j, i


def _findings(mask: np.ndarray, spacing: tuple[float, float, float],
              max_elongation: float | None) -> list:
    geo = Geometry(affine(AXIAL, (0.0, 0.0, 0.0), spacing[1], spacing[2], spacing[0]),
                   mask.shape)
    return segmentation_findings(mask.astype(np.float32)[None], ("x",), {"x": 0.5}, 0.4, 0.0,
                                 geo, None, max_elongation)


def test_elongation_of_a_tube_matches_the_hand_value():
    """A tube L long and d wide: variances L²/12 and d²/16, so √ratio = 2L/(d√3)."""
    cov = np.diag([40.0 ** 2 / 12.0, 8.0 ** 2 / 16.0, 8.0 ** 2 / 16.0])
    assert elongation(cov, np.array([0.0, 0.0, 1.0]), 0.0) == pytest.approx(
        2 * 40.0 / (8.0 * math.sqrt(3.0)))


def test_slice_sampling_allowance_is_removed_only_along_the_normal():
    """Two 5 mm slices through a small lesion (σz = 2.5 mm) do not make it a tube; in-plane spread stays."""
    cov = np.diag([1.0, 1.0, 2.5 ** 2])
    assert elongation(cov, np.array([0.0, 0.0, 1.0]), 5.0) == pytest.approx(1.0)
    assert elongation(cov, np.array([0.0, 0.0, 1.0]), 0.0) == pytest.approx(2.5)
    assert elongation(np.diag([9.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0]), 5.0) == pytest.approx(3.0)


def test_a_vessel_along_the_slice_axis_is_dropped_and_a_sphere_kept():
    """A 6 mm vessel through 60 mm of 2.5 mm slices is dropped; a 12 mm sphere beside it is kept."""
    spacing = (2.5, 0.7, 0.7)
    k, j, i = _grid((24, 100, 100), spacing)
    vessel = (j - 20.0) ** 2 + (i - 20.0) ** 2 <= 3.0 ** 2
    sphere = (k - 30.0) ** 2 + (j - 45.0) ** 2 + (i - 45.0) ** 2 <= 6.0 ** 2
    kept = _findings(vessel | sphere, spacing, 2.5)
    assert len(_findings(vessel | sphere, spacing, None)) == 2
    assert len(kept) == 1
    assert kept[0].center_mm == pytest.approx([45.0, 45.0, 30.0], abs=1.0)


def test_an_in_plane_vessel_is_dropped_on_thick_slices():
    """A vessel running 40 mm within the slice plane is a tube too, whatever the slice step."""
    spacing = (5.0, 0.7, 0.7)
    k, j, i = _grid((8, 100, 100), spacing)
    vessel = ((k - 17.5) ** 2 + (j - 35.0) ** 2 <= 3.5 ** 2) & (i > 10.0) & (i < 50.0)
    assert _findings(vessel, spacing, None)
    assert _findings(vessel, spacing, 2.5) == []


@pytest.mark.parametrize(("diameter", "step"), [(5.0, 5.0), (6.0, 3.0), (8.0, 0.6), (30.0, 5.0)])
def test_lesions_of_every_size_and_slice_step_pass(diameter: float, step: float):
    """Slightly ellipsoidal lesions of 5–30 mm on 0.6–5 mm slices stay under the CT model's 2.5."""
    spacing = (step, 0.7, 0.7)
    n = int(60.0 / step)
    k, j, i = _grid((n, 80, 80), spacing)
    r = diameter / 2.0
    lesion = (((k - 30.3) / (1.15 * r)) ** 2 + ((j - 28.0) / (0.85 * r)) ** 2
              + ((i - 28.0) / r) ** 2) <= 1.0
    assert len(_findings(lesion, spacing, 2.5)) == 1
