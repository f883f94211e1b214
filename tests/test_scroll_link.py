"""Linked scrolling by patient position: hand-computed slices of two differently cut CTs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from clinic_app.core.imaging.planes import Plane, plane_map
from clinic_app.core.imaging.scroll_link import linked_slice, offset_between


def _ct(slices: int, spacing: float, z0: float, *, step_sign: float = 1.0) -> SimpleNamespace:
    """An axial stack of 4×4 slices whose stored slice k lies at z = z0 + sign·spacing·k."""
    affine = np.eye(4)
    affine[2, 2] = step_sign * spacing
    affine[:3, 3] = (-2.0, -2.0, z0)
    return SimpleNamespace(voxels=np.zeros((slices, 4, 4), np.float32), affine=affine)


# Today: 40 slices, 2.5 mm, stored from z = -100 upward. Axial display runs head to feet,
# so display slice s is stored slice 39 - s (z = -2.5 - 2.5 s).
TODAY = plane_map(_ct(40, 2.5, -100.0), Plane.AXIAL)
# Prior: 10 slices, 5 mm, z = -90 … -45; display slice s is stored 9 - s (z = -45 - 5 s).
PRIOR = plane_map(_ct(10, 5.0, -90.0), Plane.AXIAL)


def test_linked_slice_goes_by_position_not_index():
    """Slice 31 of today (z = -80 mm) is slice 7 of the prior (z = -80 mm), not slice 31."""
    assert linked_slice(TODAY, 31, PRIOR) == 7


def test_storage_order_does_not_change_the_linked_slice():
    """A prior stored feet-first shows the same anatomy at the same display slice."""
    reversed_prior = plane_map(_ct(10, 5.0, -45.0, step_sign=-1.0), Plane.AXIAL)
    assert linked_slice(TODAY, 31, reversed_prior) == 7


def test_offset_moves_along_the_target_slice_direction():
    """+5 mm along the prior's slice direction (towards the feet) is one 5 mm slice on."""
    assert linked_slice(TODAY, 31, PRIOR, 5.0) == 8
    assert linked_slice(TODAY, 31, PRIOR, -5.0) == 6


def test_a_level_the_prior_does_not_cover_links_to_nothing():
    """Today's top slice (z = -2.5 mm) is 42.5 mm above the prior's first: no slice."""
    assert linked_slice(TODAY, 0, PRIOR) is None


def test_offset_between_keeps_what_the_reader_lined_up():
    """Lining up today's z = -80 with the prior's z = -70 gives -10 mm, and links back."""
    offset = offset_between(TODAY, 31, PRIOR, 5)
    assert offset == -10.0
    assert linked_slice(TODAY, 31, PRIOR, offset) == 5
    assert linked_slice(TODAY, 27, PRIOR, offset) == 3  # 10 mm higher on both
