"""How a volume is shown on screen: plane reformats, orientation letters, mm geometry.

Qt-free on purpose: everything a radiologist trusts in the viewer (which way is left,
which slice a point lies on, how long a line is in mm) is computed here from the
volume's affine and tested without a display.

Conventions (voxel index order is the DICOM core's: ``voxels[k, j, i]``, affine maps
``(i, j, k, 1)`` to patient LPS mm):

* A 3D volume is shown in the *radiological* canonical orientation for each plane:
  axial with the patient's left on screen right and anterior at the top; coronal with
  left on the right and head at the top; sagittal with anterior on the left and head at
  the top. The voxel axes are only permuted and flipped (no resampling), choosing for
  each screen direction the voxel axis best aligned with it, so pixels stay exact and
  the orientation letters (computed from the true direction cosines) stay truthful for
  oblique acquisitions too.
* A single image (one slice, e.g. a radiograph) is shown as stored: there is nothing to
  reformat, and a projection image's geometry is not a patient-space plane.
* Display slice 0 is the most superior (axial), anterior (coronal) or right (sagittal)
  slice, so scrolling forward moves head→feet, front→back, right→left.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np


class VolumeLike(Protocol):
    """What the viewer needs from the DICOM core's ``Volume``."""

    @property
    def voxels(self) -> np.ndarray: ...

    @property
    def affine(self) -> np.ndarray: ...


class Plane(StrEnum):
    AXIAL = "axial"
    CORONAL = "coronal"
    SAGITTAL = "sagittal"
    NATIVE = "native"


#: Screen right, screen down, and "next slice" directions in LPS for each plane.
_CANONICAL: dict[Plane, tuple[tuple[float, float, float], ...]] = {
    Plane.AXIAL: ((1, 0, 0), (0, 1, 0), (0, 0, -1)),
    Plane.CORONAL: ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    Plane.SAGITTAL: ((0, 1, 0), (0, 0, -1), (1, 0, 0)),
}

#: Letters for +x, +y, +z in LPS and their opposites (DICOM PS3.3 C.7.6.1.1.1).
_LETTERS = (("L", "R"), ("P", "A"), ("H", "F"))


def orientation_letters(direction: np.ndarray, *, threshold: float = 0.25) -> str:
    """Letters for an LPS direction, most dominant first ("L", "LP", "HFA"-style obliques).

    Components smaller than ``threshold`` of the unit vector are left out, as most viewers
    do, so a slight tilt does not clutter the marker.
    """
    v = np.asarray(direction, dtype=float)
    norm = float(np.linalg.norm(v))
    if norm == 0 or not math.isfinite(norm):
        return ""
    v = v / norm
    order = np.argsort(-np.abs(v))
    return "".join(_LETTERS[a][0 if v[a] > 0 else 1] for a in order if abs(v[a]) >= threshold)


@dataclass(frozen=True)
class PlaneMap:
    """Which voxel axis runs along screen x, screen y and through the slices, and flips.

    Axes are numbered as in the affine: 0 = i (columns), 1 = j (rows), 2 = k (slices).
    """

    plane: Plane
    h_axis: int
    v_axis: int
    d_axis: int
    h_flip: bool
    v_flip: bool
    d_flip: bool
    shape_ijk: tuple[int, int, int]
    affine: np.ndarray

    # -- sizes -------------------------------------------------------------------------
    @property
    def width(self) -> int:
        return self.shape_ijk[self.h_axis]

    @property
    def height(self) -> int:
        return self.shape_ijk[self.v_axis]

    @property
    def depth(self) -> int:
        return self.shape_ijk[self.d_axis]

    def _column(self, axis: int) -> np.ndarray:
        return np.asarray(self.affine[:3, axis], dtype=float)

    @property
    def spacing(self) -> tuple[float, float]:
        """Size of one displayed pixel in mm: (horizontal, vertical)."""
        return (float(np.linalg.norm(self._column(self.h_axis))),
                float(np.linalg.norm(self._column(self.v_axis))))

    @property
    def slice_spacing(self) -> float:
        return float(np.linalg.norm(self._column(self.d_axis)))

    # -- directions --------------------------------------------------------------------
    def screen_right(self) -> np.ndarray:
        """Patient (LPS) direction of screen right."""
        return self._column(self.h_axis) * (-1 if self.h_flip else 1)

    def screen_down(self) -> np.ndarray:
        return self._column(self.v_axis) * (-1 if self.v_flip else 1)

    def slice_forward(self) -> np.ndarray:
        return self._column(self.d_axis) * (-1 if self.d_flip else 1)

    def markers(self) -> dict[str, str]:
        """Orientation letters for the four screen edges: left, right, top, bottom."""
        right = orientation_letters(self.screen_right())
        down = orientation_letters(self.screen_down())
        return {"right": right, "left": orientation_letters(-self.screen_right()),
                "bottom": down, "top": orientation_letters(-self.screen_down())}

    # -- index mapping -----------------------------------------------------------------
    def _axis_index(self, value: float, axis: int, flip: bool) -> float:
        return (self.shape_ijk[axis] - 1) - value if flip else value

    def voxel_of(self, x: float, y: float, slice_index: float) -> np.ndarray:
        """Continuous voxel (i, j, k) of a display point.

        ``x``, ``y`` are display pixel coordinates where pixel (u, v) covers [u, u+1) x
        [v, v+1), so its centre is at (u + 0.5, v + 0.5).
        """
        ijk = np.zeros(3)
        ijk[self.h_axis] = self._axis_index(x - 0.5, self.h_axis, self.h_flip)
        ijk[self.v_axis] = self._axis_index(y - 0.5, self.v_axis, self.v_flip)
        ijk[self.d_axis] = self._axis_index(slice_index, self.d_axis, self.d_flip)
        return ijk

    def display_of(self, ijk: np.ndarray) -> tuple[float, float, float]:
        """Display (x, y, slice index) of a continuous voxel position; inverse of voxel_of."""
        x = self._axis_index(float(ijk[self.h_axis]), self.h_axis, self.h_flip) + 0.5
        y = self._axis_index(float(ijk[self.v_axis]), self.v_axis, self.v_flip) + 0.5
        s = self._axis_index(float(ijk[self.d_axis]), self.d_axis, self.d_flip)
        return x, y, s

    def patient_of(self, x: float, y: float, slice_index: float) -> np.ndarray:
        """Patient LPS position (mm) of a display point."""
        ijk = self.voxel_of(x, y, slice_index)
        return (self.affine @ np.append(ijk, 1.0))[:3]

    def slice_location(self, slice_index: int) -> float:
        """Signed position of a slice along the plane normal in mm (like SliceLocation).

        Measured along +x (sagittal), +y (coronal) or +z (axial) so the number matches
        what scanners print; the native plane uses its own slice direction.
        """
        centre = self.patient_of(self.width / 2, self.height / 2, slice_index)
        if self.plane is Plane.NATIVE:
            normal = self._column(self.d_axis)
            norm = np.linalg.norm(normal)
            return float(centre @ normal / norm) if norm else 0.0
        axis = {Plane.SAGITTAL: 0, Plane.CORONAL: 1, Plane.AXIAL: 2}[self.plane]
        return float(centre[axis])

    # -- pixels ------------------------------------------------------------------------
    def slice_array(self, voxels: np.ndarray, slice_index: int) -> np.ndarray:
        """The displayed 2D array (rows = screen y) of one slice: a view, never a copy."""
        if not 0 <= slice_index < self.depth:
            raise IndexError(f"slice {slice_index} outside 0..{self.depth - 1}")
        return self.cut(voxels, int(self._axis_index(slice_index, self.d_axis, self.d_flip)))

    def cut(self, array: np.ndarray, stored_index: int) -> np.ndarray:
        """Plane ``stored_index`` along the depth axis of any ``(k, j, i)`` array (the
        volume, or a map over part of it), oriented like the display: a view."""
        # numpy axis of voxel axis n is 2 - n (array[k, j, i]).
        index: list[slice | int] = [slice(None)] * 3
        index[2 - self.d_axis] = stored_index
        plane = array[tuple(index)]
        # Remaining numpy axes are in decreasing voxel-axis order; put v first, h second.
        remaining = [a for a in (2, 1, 0) if a != self.d_axis]
        if remaining != [self.v_axis, self.h_axis]:
            plane = plane.T
        if self.v_flip:
            plane = plane[::-1, :]
        if self.h_flip:
            plane = plane[:, ::-1]
        return plane

    def pixel_area_mm2(self) -> float:
        return float(np.linalg.norm(np.cross(self._column(self.h_axis), self._column(self.v_axis))))


def shape_ijk(voxels: np.ndarray) -> tuple[int, int, int]:
    k, j, i = voxels.shape[:3]
    return int(i), int(j), int(k)


def native_map(volume: VolumeLike) -> PlaneMap:
    """The volume as stored: columns right, rows down, slices in storage order."""
    return PlaneMap(Plane.NATIVE, 0, 1, 2, False, False, False, shape_ijk(volume.voxels),
                    np.asarray(volume.affine, dtype=float))


def plane_map(volume: VolumeLike, plane: Plane) -> PlaneMap:
    """The permutation and flips of the voxel axes that show ``plane`` canonically."""
    if plane is Plane.NATIVE:
        return native_map(volume)
    affine = np.asarray(volume.affine, dtype=float)
    cols = [affine[:3, n] / (np.linalg.norm(affine[:3, n]) or 1.0) for n in range(3)]
    targets = [np.asarray(t, dtype=float) for t in _CANONICAL[plane]]
    best: tuple[float, tuple[int, ...]] | None = None
    for perm in itertools.permutations(range(3)):
        score = sum(abs(float(cols[perm[s]] @ targets[s])) for s in range(3))
        if best is None or score > best[0] + 1e-9:
            best = (score, perm)
    assert best is not None
    h, v, d = best[1]
    flips = [float(cols[axis] @ targets[s]) < 0 for s, axis in enumerate((h, v, d))]
    return PlaneMap(plane, h, v, d, flips[0], flips[1], flips[2], shape_ijk(volume.voxels), affine)


def is_volumetric(volume: VolumeLike) -> bool:
    """A real 3D stack: two or more slices placed in patient space (not a cine loop or
    a set of projection images, whose third axis is time or instance order)."""
    return volume.voxels.shape[0] >= 2 and getattr(volume, "kind", "volume") == "volume"


def acquisition_plane(volume: VolumeLike) -> Plane:
    """The canonical plane closest to the slices as acquired (NATIVE for one image)."""
    if not is_volumetric(volume):
        return Plane.NATIVE
    normal = np.asarray(volume.affine, dtype=float)[:3, 2]
    axis = int(np.argmax(np.abs(normal)))
    return (Plane.SAGITTAL, Plane.CORONAL, Plane.AXIAL)[axis]


def available_planes(volume: VolumeLike) -> list[Plane]:
    """Planes that make sense for this volume: MPR needs a 3D stack of two or more slices,
    all of them decoded (a volume still loading is shown in its acquired plane only: a
    reformat would cut through slices that hold nothing yet)."""
    if not is_volumetric(volume):
        return [Plane.NATIVE]
    if getattr(volume, "loaded", None) is not None:
        return [acquisition_plane(volume)]
    return [Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL]


def length_mm(pm: PlaneMap, a: tuple[float, float], b: tuple[float, float], slice_index: int) -> float:
    """Distance in patient space between two display points on one slice."""
    pa = pm.patient_of(a[0], a[1], slice_index)
    pb = pm.patient_of(b[0], b[1], slice_index)
    return float(np.linalg.norm(pb - pa))


@dataclass(frozen=True)
class RoiStats:
    mean: float
    sd: float
    minimum: float
    maximum: float
    pixels: int
    area_mm2: float


def ellipse_mask(shape: tuple[int, int], x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """Pixels whose centres lie inside the ellipse inscribed in the display box (x0,y0)-(x1,y1)."""
    rows, cols = shape
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = abs(x1 - x0) / 2, abs(y1 - y0) / 2
    if rx <= 0 or ry <= 0:
        return np.zeros(shape, dtype=bool)
    ys = (np.arange(rows) + 0.5 - cy) / ry
    xs = (np.arange(cols) + 0.5 - cx) / rx
    return (ys[:, None] ** 2 + xs[None, :] ** 2) <= 1.0


def roi_stats(pm: PlaneMap, pixels: np.ndarray, box: tuple[float, float, float, float]) -> RoiStats | None:
    """Mean, SD (population), min, max in modality units inside an elliptical ROI.

    ``pixels`` is the displayed slice (``slice_array``) in modality units (HU for CT).
    Returns None when the ROI holds no pixel centre.
    """
    x0, y0, x1, y1 = box
    # Only the bounding rows/cols are evaluated, so a small ROI on a big slice is cheap.
    r0 = max(math.floor(min(y0, y1)), 0)
    r1 = min(math.ceil(max(y0, y1)), pixels.shape[0])
    c0 = max(math.floor(min(x0, x1)), 0)
    c1 = min(math.ceil(max(x0, x1)), pixels.shape[1])
    if r1 <= r0 or c1 <= c0:
        return None
    mask = ellipse_mask((r1 - r0, c1 - c0), x0 - c0, y0 - r0, x1 - c0, y1 - r0)
    values = np.asarray(pixels[r0:r1, c0:c1], dtype=np.float64)[mask]
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    return RoiStats(float(values.mean()), float(values.std()), float(values.min()),
                    float(values.max()), int(values.size), float(values.size * pm.pixel_area_mm2()))


def nice_scale_length(mm_per_screen_px: float, max_screen_px: float) -> float:
    """The longest of 1, 2, 5 × 10^n mm whose bar fits in ``max_screen_px`` screen pixels."""
    if mm_per_screen_px <= 0 or not math.isfinite(mm_per_screen_px):
        return 0.0
    limit = mm_per_screen_px * max_screen_px
    if limit <= 0:
        return 0.0
    exponent = math.floor(math.log10(limit))
    for step in (5, 2, 1):
        value = step * 10 ** exponent
        if value <= limit:
            return float(value)
    return float(10 ** (exponent - 1) * 5)
