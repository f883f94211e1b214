"""Linked scrolling between viewports: the same anatomy, by patient position, not index.

A prior CT of the same patient seldom has the same slice count, spacing or start as
today's: slice 40 of one is not slice 40 of the other. The link therefore goes through
patient coordinates (LPS mm): the centre of the source slice is a patient point; the
target shows the slice through that point, moved by an offset (mm along the target's
slice direction).

When both series share a frame of reference their coordinates are the same space and
the offset is 0. Studies from different visits usually have different frames (the
patient lay elsewhere on the table), so the reader first brings the two to the same
anatomy and then links them: :func:`offset_between` keeps that alignment as the offset,
which the reader can still adjust. Series without a patient frame (projection images)
are never linked: there is no position to link by.
"""

from __future__ import annotations

import numpy as np

from clinic_app.core.imaging.planes import PlaneMap


def slice_centre(pm: PlaneMap, slice_index: int) -> np.ndarray:
    """The patient position (LPS mm) of the centre of a displayed slice."""
    return pm.patient_of(pm.width / 2, pm.height / 2, slice_index)


def _forward_unit(pm: PlaneMap) -> np.ndarray:
    forward = pm.slice_forward()
    norm = float(np.linalg.norm(forward))
    if norm == 0.0:
        raise ValueError("a plane map with no slice direction")
    return forward / norm


def _slice_of(pm: PlaneMap, point: np.ndarray) -> float:
    """The continuous display slice index of the plane through a patient point."""
    ijk = (np.linalg.inv(pm.affine) @ np.append(point, 1.0))[:3]
    return pm.display_of(ijk)[2]


def linked_slice(source: PlaneMap, source_slice: int, target: PlaneMap, offset_mm: float = 0.0
                 ) -> int | None:
    """The target slice showing the source slice's anatomy (plus ``offset_mm`` along the
    target's slice direction), or None when that lies outside the target's slices by
    more than half a slice: the prior does not cover this level."""
    point = slice_centre(source, source_slice) + offset_mm * _forward_unit(target)
    s = _slice_of(target, point)
    nearest = round(s)
    if nearest < 0 or nearest > target.depth - 1:
        return None
    return int(nearest)


def offset_between(source: PlaneMap, source_slice: int, target: PlaneMap, target_slice: int) -> float:
    """The offset (mm along the target's slice direction) that links these two slices:
    what the reader lined up by eye before linking."""
    delta = slice_centre(target, target_slice) - slice_centre(source, source_slice)
    return float(delta @ _forward_unit(target))
