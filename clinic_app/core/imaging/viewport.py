"""What a viewport knows that is not pixels on a screen: measurements, zoom limits, magnification.

Kept free of Qt so the measurement text (units!) and the angle geometry can be checked
against hand values without a display, and so a stored measurement can be turned back
into what the reader saw. Points are *display* pixels of a :class:`PlaneMap` slice; every
distance and angle goes through the plane map's affine into patient millimetres, so an
anisotropic pixel never bends a measured angle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from clinic_app.core.imaging.lut import VoiTable, Window
from clinic_app.core.imaging.planes import Plane, PlaneMap, RoiStats, length_mm, roi_stats
from clinic_app.i18n import translate

#: Zoom relative to "fit the image to the viewport".
ZOOM_MIN, ZOOM_MAX = 0.1, 40.0

#: mm² from which an area reads better in cm² (1 cm² = 100 mm²).
CM2_FROM_MM2 = 10_000.0

Point = tuple[float, float]


class MeasureKind(StrEnum):
    LENGTH = "length"
    ROI = "roi"
    ANGLE = "angle"
    ARROW = "arrow"


class Magnification(StrEnum):
    """How image pixels are scaled up on screen."""

    SMOOTH = "smooth"  # bilinear: the default, reads like film
    NEAREST = "nearest"  # every stored pixel a visible square, for the reader who wants them


def clamp_zoom(zoom: float) -> float:
    return min(max(zoom, ZOOM_MIN), ZOOM_MAX)


def angle_deg(pm: PlaneMap, a: Point, vertex: Point, c: Point, slice_index: int) -> float | None:
    """The angle at ``vertex`` between the arms to ``a`` and ``c``, in patient space (degrees).

    None when an arm has no length (the angle is undefined, not zero)."""
    pv = pm.patient_of(vertex[0], vertex[1], slice_index)
    u = pm.patient_of(a[0], a[1], slice_index) - pv
    v = pm.patient_of(c[0], c[1], slice_index) - pv
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    if nu <= 0 or nv <= 0:
        return None
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(min(max(cos, -1.0), 1.0)))


def area_text(area_mm2: float, calibrated: bool) -> str:
    """An area with its unit: mm² (cm² when large) for calibrated pixels, px² otherwise."""
    if not calibrated:
        return f"{area_mm2:.0f} px²"
    if area_mm2 < CM2_FROM_MM2:
        return f"{area_mm2:.0f} mm²"
    return f"{area_mm2 / 100:.1f} cm²"


@dataclass(frozen=True)
class Measurement:
    """One measurement on one slice of one plane.

    ``start``/``end`` are the line's ends, the ROI's bounding box corners, the arrow's tail
    and head, or an angle's two arm ends (with ``vertex`` between them)."""

    kind: MeasureKind
    plane: Plane
    slice_index: int
    start: Point
    end: Point
    length_mm: float | None = None
    stats: RoiStats | None = None
    vertex: Point | None = None
    angle_deg: float | None = None

    def text(self, calibrated: bool, modality: str, units: str = "") -> str:
        """What is written beside the measurement on screen."""
        if self.kind is MeasureKind.LENGTH:
            if self.length_mm is None:
                return ""
            return f"{self.length_mm:.1f} {'mm' if calibrated else 'px'}"
        if self.kind is MeasureKind.ANGLE:
            return "" if self.angle_deg is None else f"{self.angle_deg:.1f}°"
        if self.kind is MeasureKind.ARROW:
            return ""
        if self.stats is None:
            return translate("viewport", "no pixels")
        s = self.stats
        vunit = f" {units}" if units else " HU" if modality.upper() == "CT" else ""
        return translate("viewport", "mean {mean}{unit}  SD {sd}\n{area}").format(
            mean=f"{s.mean:.1f}", unit=vunit, sd=f"{s.sd:.1f}", area=area_text(s.area_mm2, calibrated))

    def points(self) -> tuple[Point, ...]:
        """The measurement's defining points in drawing order."""
        if self.vertex is not None:
            return (self.start, self.vertex, self.end)
        return (self.start, self.end)


def measure_length(pm: PlaneMap, slice_index: int, a: Point, b: Point) -> Measurement:
    return Measurement(MeasureKind.LENGTH, pm.plane, slice_index, a, b,
                       length_mm=length_mm(pm, a, b, slice_index))


def measure_roi(pm: PlaneMap, slice_index: int, a: Point, b: Point, pixels: np.ndarray | None) -> Measurement:
    """Mean/SD in modality units inside the ellipse inscribed in the box a-b (no statistics
    for colour images, whose pixels have no modality unit)."""
    stats = None if pixels is None else roi_stats(pm, pixels, (a[0], a[1], b[0], b[1]))
    return Measurement(MeasureKind.ROI, pm.plane, slice_index, a, b, stats=stats)


def measure_angle(pm: PlaneMap, slice_index: int, a: Point, vertex: Point, c: Point) -> Measurement:
    return Measurement(MeasureKind.ANGLE, pm.plane, slice_index, a, c, vertex=vertex,
                       angle_deg=angle_deg(pm, a, vertex, c, slice_index))


def arrow(pm: PlaneMap, slice_index: int, tail: Point, head: Point) -> Measurement:
    return Measurement(MeasureKind.ARROW, pm.plane, slice_index, tail, head)


def linear_window(window: Window | VoiTable | None) -> tuple[float, float]:
    """(centre, width) of a window; a VOI LUT table reports its value range."""
    if isinstance(window, Window):
        return window.center, window.width
    if isinstance(window, VoiTable):
        lo, hi = float(window.first_mapped), float(window.first_mapped + len(window.table) - 1)
        return (lo + hi) / 2, max(hi - lo, 1.0)
    return 0.0, 1.0


def custom_window(current: Window | VoiTable | None, center: float, width: float) -> Window:
    """A reader-set window keeping the current VOI function (a sigmoid stays a sigmoid)."""
    function = current.function if isinstance(current, Window) else "LINEAR"
    minimum = 1.0 if function == "LINEAR" else 1e-3
    return Window(float(center), max(float(width), minimum), function, "custom")


def slice_limits(pm: PlaneMap, loaded: tuple[int, int] | None) -> tuple[int, int]:
    """The display slices that may be shown: all of them, or while the volume loads only
    those already decoded (the rest of the array holds nothing yet)."""
    if loaded is None:
        return 0, pm.depth - 1
    ends = [pm.display_of(np.array([0.0, 0.0, float(k)]))[2] for k in loaded]
    return round(min(ends)), round(max(ends))


def nearest_slice(pm: PlaneMap, patient: np.ndarray) -> int:
    """The slice of a plane map closest to a patient position (mm)."""
    ijk = (np.linalg.inv(pm.affine) @ np.append(patient, 1.0))[:3]
    _, _, s = pm.display_of(ijk)
    return int(min(max(round(s), 0), pm.depth - 1))


def fit_scale(pm: PlaneMap, width: float, height: float) -> float:
    """Screen pixels per mm when the whole slice fits a width × height viewport (zoom 1)."""
    sx, sy = pm.spacing
    w_mm, h_mm = pm.width * sx, pm.height * sy
    if w_mm <= 0 or h_mm <= 0:
        return 1.0
    return min(width / w_mm, height / h_mm)


def remeasure(pm: PlaneMap, m: Measurement, voxels: np.ndarray, *, color: bool) -> Measurement | None:
    """A saved measurement's values computed again from the pixels (None if its slice is gone)."""
    if m.plane is not pm.plane or not 0 <= m.slice_index < pm.depth:
        return None
    s = m.slice_index
    if m.kind is MeasureKind.LENGTH:
        return measure_length(pm, s, m.start, m.end)
    if m.kind is MeasureKind.ROI:
        return measure_roi(pm, s, m.start, m.end, None if color else pm.slice_array(voxels, s))
    if m.kind is MeasureKind.ANGLE and m.vertex is not None:
        return measure_angle(pm, s, m.start, m.vertex, m.end)
    if m.kind is MeasureKind.ARROW:
        return arrow(pm, s, m.start, m.end)
    return None
