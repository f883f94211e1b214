"""Overlays drawn from the stored voxel grid on a displayed plane: AI boxes and heatmaps.

Kept apart from :mod:`clinic_app.core.imaging.planes` (which maps the volume to the
screen) because these only read a :class:`PlaneMap`: where a voxel box or a coarser map
cuts a displayed slice, and the colour ramp a heatmap is drawn with. Qt-free like it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clinic_app.core.imaging.planes import PlaneMap


@dataclass(frozen=True)
class PlaneBox:
    """A box of the volume's voxel grid cut by one displayed slice, in display pixels."""

    x0: float
    y0: float
    x1: float
    y1: float


def box_on_plane(pm: PlaneMap, slice_index: int, lo_ijk: tuple[int, int, int],
                 hi_ijk: tuple[int, int, int]) -> PlaneBox | None:
    """Where the inclusive voxel box ``lo..hi`` (i, j, k) lies on a displayed slice, if at all.

    The box's outer pixel edges are returned, so a one-voxel box is one pixel wide.
    """
    d = int(pm._axis_index(slice_index, pm.d_axis, pm.d_flip))
    if not lo_ijk[pm.d_axis] <= d <= hi_ijk[pm.d_axis]:
        return None

    def span(axis: int, flip: bool) -> tuple[float, float]:
        lo, hi = lo_ijk[axis], hi_ijk[axis]
        if flip:
            n = pm.shape_ijk[axis]
            return float(n - 1 - hi), float(n - lo)
        return float(lo), float(hi + 1)

    x0, x1 = span(pm.h_axis, pm.h_flip)
    y0, y1 = span(pm.v_axis, pm.v_flip)
    return PlaneBox(x0, y0, x1, y1)


def map_on_plane(pm: PlaneMap, slice_index: int, data: np.ndarray, origin_kji: tuple[int, int, int],
                 extent_kji: tuple[int, int, int]) -> tuple[np.ndarray, PlaneBox] | None:
    """The 2D part of a (possibly coarser) map over a voxel box on one displayed slice.

    ``data`` is ``(slices, rows, cols)`` covering ``extent`` voxels from ``origin`` (both in
    the volume's k, j, i order), as the AI core stores heatmaps. Returns the map's plane,
    oriented like the display (rows = screen y), and the display box it must be drawn in;
    None if this slice does not cut the box.
    """
    k0, j0, i0 = origin_kji
    ek, ej, ei = extent_kji
    if min(ek, ej, ei) <= 0 or data.ndim != 3 or 0 in data.shape:
        return None
    lo = (i0, j0, k0)
    hi = (i0 + ei - 1, j0 + ej - 1, k0 + ek - 1)
    box = box_on_plane(pm, slice_index, lo, hi)
    if box is None:
        return None
    d = int(pm._axis_index(slice_index, pm.d_axis, pm.d_flip))
    # voxel axis -> (numpy axis in data, extent, origin)
    extent_of = {0: ei, 1: ej, 2: ek}
    origin_of = {0: i0, 1: j0, 2: k0}
    n_data = data.shape[2 - pm.d_axis]
    index = min(int((d - origin_of[pm.d_axis]) * n_data / extent_of[pm.d_axis]), n_data - 1)
    return np.ascontiguousarray(pm.cut(data, index)), box


def heat_colors(values: np.ndarray, *, floor: int = 26) -> np.ndarray:
    """uint8 map values → premultiplied BGRA pixels (Qt's ARGB32 byte order on little endian).

    A red → orange → yellow ramp whose alpha rises with the value. It never reaches white,
    so the map stays visible over a bright lesion on a soft-tissue window; values below
    ``floor`` (≈0.1) are fully transparent so the map never veils the anatomy where the
    model saw nothing.
    """
    t = np.arange(256, dtype=np.float32) / 255.0
    r = np.clip(0.55 + t * 1.35, 0, 1)
    g = np.clip((t - 0.3) * 1.4, 0, 0.95)
    b = np.zeros_like(t)
    a = np.where(np.arange(256) < floor, 0.0, 0.3 + 0.7 * t)
    lut = np.stack([b * a, g * a, r * a, a], axis=1) * 255.0
    lut = np.rint(lut).astype(np.uint8)
    return lut[np.asarray(values, dtype=np.uint8)]
