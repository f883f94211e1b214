"""One viewport: a slice of a series on screen, with window/level, zoom/pan and overlays.

The canvas owns no pixels of its own beyond the 8-bit render of the current slice. It
renders lazily (on paint, once per change), so a burst of wheel events between two
frames costs one LUT pass, not one per event: that is what keeps scrolling at the
display's frame rate on 512² slices.

Mouse: wheel = slice, Ctrl+wheel = zoom, right-drag = window/level (horizontal: width,
vertical: level), middle-drag = pan, left = the current tool (pan, length, ROI, or the
MPR cursor). Keys are handled here for the focused viewport and listed in
:data:`SHORTCUTS` for the Help dialog.

Everything geometric (which way is left, where a point is in mm) comes from
:mod:`clinic_app.ui.radiology.planes`; this module only draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_app.core.imaging.lut import VoiTable, Window
from clinic_app.core.imaging.render import render
from clinic_app.ui.radiology.display import SeriesDisplay
from clinic_app.ui.radiology.findings_view import FindingOverlay
from clinic_app.ui.radiology.planes import (
    Plane,
    PlaneMap,
    RoiStats,
    acquisition_plane,
    available_planes,
    box_on_plane,
    heat_colors,
    length_mm,
    map_on_plane,
    nice_scale_length,
    plane_map,
    roi_stats,
)

#: Mime type of a series dragged from the thumbnail strip (payload: the series UID).
SERIES_MIME = "application/x-clinic-app-series"

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Wheel / ↑ ↓ / PgUp PgDn", "Previous / next slice (PgUp/PgDn: 10 slices)"),
    ("Home / End", "First / last slice"),
    ("Ctrl+Wheel / + −", "Zoom in / out"),
    ("Right-drag", "Window/level: left-right = width, up-down = level"),
    ("Middle-drag", "Pan"),
    ("1 … 8", "Window presets for the modality (CT: brain, subdural, stroke, lung, …)"),
    ("0", "The DICOM default window of the series"),
    ("I", "Invert grey scale"),
    ("F / R", "Fit to viewport / reset zoom, pan and window"),
    ("L / O / P / C", "Tool: length, ROI (ellipse), pan, MPR cursor"),
    ("Delete", "Remove the last measurement on this slice"),
    ("Space", "Start / stop cine"),
    ("A / S / D", "Show the axial / coronal / sagittal plane in this viewport"),
)

_ZOOM_MIN, _ZOOM_MAX = 0.1, 40.0


class Tool(StrEnum):
    PAN = "pan"
    LENGTH = "length"
    ROI = "roi"
    CURSOR = "cursor"


@dataclass(frozen=True)
class Measurement:
    kind: str  # "length" | "roi"
    plane: Plane
    slice_index: int
    start: tuple[float, float]
    end: tuple[float, float]
    length_mm: float | None = None
    stats: RoiStats | None = None

    def text(self, calibrated: bool, modality: str, units: str = "") -> str:
        unit = "mm" if calibrated else "px"
        if self.kind == "length" and self.length_mm is not None:
            return f"{self.length_mm:.1f} {unit}"
        if self.stats is None:
            return "no pixels"
        s = self.stats
        vunit = f" {units}" if units else " HU" if modality.upper() == "CT" else ""
        area = f"{s.area_mm2:.0f} {unit}²" if s.area_mm2 < 10_000 else f"{s.area_mm2 / 100:.1f} c{unit}²"
        return f"mean {s.mean:.1f}{vunit}  SD {s.sd:.1f}\n{area}"


class SliceCanvas(QWidget):
    """Shows one plane of one :class:`SeriesDisplay`. Signals arrive on the GUI thread."""

    slice_changed = Signal(int)
    window_changed = Signal()
    plane_changed = Signal()
    #: The user set the linked MPR cursor: a continuous voxel (i, j, k) as a numpy array.
    cursor_moved = Signal(object)
    measurements_changed = Signal()
    series_dropped = Signal(str)
    activated = Signal()
    cine_toggled = Signal()
    #: A frame with an image was painted (the benchmark's and tests' "on screen" moment).
    frame_painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sliceCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.display: SeriesDisplay | None = None
        self._pm: PlaneMap | None = None
        self._slice = 0
        self._window: Window | VoiTable | None = None
        self._inverted = False
        self.zoom = 1.0
        self.pan = QPointF(0, 0)
        self.tool = Tool.PAN
        self.active = False
        self.show_overlays = True
        self.overlay: FindingOverlay | None = None
        self.heat_opacity = 0.5
        self.cursor_ijk: np.ndarray | None = None
        self.measurements: list[Measurement] = []
        self.status_text = ""
        self._image: QImage | None = None
        self._image_buf: np.ndarray | None = None
        self._heat_cache: tuple[tuple[object, ...], QImage, QRectF] | None = None
        self._drag: tuple[Qt.MouseButton, QPointF, object] | None = None
        self._draft: tuple[str, tuple[float, float], tuple[float, float]] | None = None
        self.render_count = 0

    # -- content -------------------------------------------------------------------------
    def set_display(self, display: SeriesDisplay | None, *, plane: Plane | None = None,
                    keep_view: bool = False) -> None:
        """Show a series (or nothing). ``keep_view`` keeps slice position, window and zoom,
        used when a preview is replaced by the full volume of the same series."""
        previous = self.display
        same_series = (keep_view and previous is not None and display is not None
                       and previous.ref == display.ref)
        old_patient = None
        if same_series and self._pm is not None:
            old_patient = self._pm.patient_of(self._pm.width / 2, self._pm.height / 2, self._slice)
        self.display = display
        self._heat_cache = None
        if display is None:
            self._pm = None
            self._invalidate()
            return
        planes = available_planes(display)
        if plane is None or plane not in planes:
            plane = (self._pm.plane if same_series and self._pm is not None and self._pm.plane in planes
                     else acquisition_plane(display))
        self._pm = plane_map(display, plane)
        if not same_series:
            self._window = display.initial_window()
            self._inverted = False
            self.zoom = 1.0
            self.pan = QPointF(0, 0)
            self.measurements = []
            self.overlay = None
            self.cursor_ijk = None
            # The acquired plane opens on its first image (head end for an axial CT), as a
            # reader expects; a reformat opens through the middle of the volume.
            self._slice = 0 if self._pm.plane in (acquisition_plane(display), Plane.NATIVE) \
                else self._pm.depth // 2
        else:
            assert old_patient is not None
            self._slice = self._nearest_slice(old_patient)
        lo, hi = self.slice_limits()
        self._slice = min(max(self._slice, lo), hi)
        self._invalidate()
        self.plane_changed.emit()
        self.slice_changed.emit(self._slice)
        self.window_changed.emit()

    def _nearest_slice(self, patient: np.ndarray) -> int:
        """The slice of the current plane map closest to a patient position."""
        assert self._pm is not None and self.display is not None
        inv = np.linalg.inv(self._pm.affine)
        ijk = (inv @ np.append(patient, 1.0))[:3]
        _, _, s = self._pm.display_of(ijk)
        return int(min(max(round(s), 0), self._pm.depth - 1))

    @property
    def plane_map(self) -> PlaneMap | None:
        return self._pm

    @property
    def plane(self) -> Plane | None:
        return self._pm.plane if self._pm is not None else None

    def set_plane(self, plane: Plane) -> None:
        if self.display is None or plane not in available_planes(self.display):
            return
        centre = self._centre_ijk()
        self._pm = plane_map(self.display, plane)
        self._heat_cache = None
        if self.cursor_ijk is not None:
            centre = self.cursor_ijk
        if centre is not None:
            self._slice = int(min(max(round(self._pm.display_of(centre)[2]), 0), self._pm.depth - 1))
        else:
            self._slice = self._pm.depth // 2
        lo, hi = self.slice_limits()
        self._slice = min(max(self._slice, lo), hi)
        self.pan = QPointF(0, 0)
        self._invalidate()
        self.plane_changed.emit()
        self.slice_changed.emit(self._slice)

    def _centre_ijk(self) -> np.ndarray | None:
        if self._pm is None:
            return None
        return self._pm.voxel_of(self._pm.width / 2, self._pm.height / 2, self._slice)

    # -- slice ---------------------------------------------------------------------------
    @property
    def slice_index(self) -> int:
        return self._slice

    @property
    def slice_count(self) -> int:
        return self._pm.depth if self._pm is not None else 0

    def slice_limits(self) -> tuple[int, int]:
        """The display slices that may be shown: all of them, or while the volume loads
        only those already decoded (the rest of the array holds nothing yet)."""
        if self._pm is None:
            return 0, 0
        d = self.display
        if d is None or d.loaded is None:
            return 0, self._pm.depth - 1
        ends = [self._pm.display_of(np.array([0.0, 0.0, float(k)]))[2] for k in d.loaded]
        return round(min(ends)), round(max(ends))

    def set_slice(self, index: int) -> None:
        if self._pm is None:
            return
        lo, hi = self.slice_limits()
        index = int(min(max(index, lo), hi))
        if index == self._slice:
            return
        self._slice = index
        self._invalidate()
        self.slice_changed.emit(index)

    def step(self, delta: int) -> None:
        self.set_slice(self._slice + delta)

    # -- window --------------------------------------------------------------------------
    @property
    def window(self) -> Window | VoiTable | None:
        return self._window

    @property
    def inverted(self) -> bool:
        """The reader inverted the grey scale (relative to how the DICOM says to show it:
        a MONOCHROME1 radiograph shown with bones white is *not* inverted)."""
        return self._inverted

    def set_window(self, window: Window | VoiTable) -> None:
        self._window = window
        self._invalidate()
        self.window_changed.emit()

    def set_center_width(self, center: float, width: float) -> None:
        current = self._window
        function = current.function if isinstance(current, Window) else "LINEAR"
        minimum = 1.0 if function == "LINEAR" else 1e-3
        self.set_window(Window(float(center), max(float(width), minimum), function, "custom"))

    def linear_window(self) -> tuple[float, float]:
        """(centre, width) of the current window; a VOI LUT table reports its value range."""
        w = self._window
        if isinstance(w, Window):
            return w.center, w.width
        if isinstance(w, VoiTable):
            lo, hi = float(w.first_mapped), float(w.first_mapped + len(w.table) - 1)
            return (lo + hi) / 2, max(hi - lo, 1.0)
        return 0.0, 1.0

    def apply_preset(self, number: int) -> bool:
        """Number key: 0 = the DICOM default window, 1..n = the modality's presets."""
        if self.display is None:
            return False
        if number == 0:
            self.set_window(self.display.initial_window())
            self._inverted = False
            self._invalidate()
            return True
        presets = self.display.presets
        if 1 <= number <= len(presets):
            self.set_window(presets[number - 1])
            return True
        return False

    def set_inverted(self, inverted: bool) -> None:
        self._inverted = bool(inverted)
        self._invalidate()
        self.window_changed.emit()

    # -- view ----------------------------------------------------------------------------
    def fit(self) -> None:
        self.zoom = 1.0
        self.pan = QPointF(0, 0)
        self.update()

    def reset(self) -> None:
        self.fit()
        if self.display is not None:
            self._window = self.display.initial_window()
            self._inverted = False
            self._invalidate()
            self.window_changed.emit()

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        zoom = min(max(zoom, _ZOOM_MIN), _ZOOM_MAX)
        if anchor is not None and self._pm is not None:
            before = self.screen_to_image(anchor)
            self.zoom = zoom
            after = self.image_to_screen(before)
            self.pan += anchor - after
        else:
            self.zoom = zoom
        self.update()

    def _base_scale(self) -> float:
        """Screen pixels per mm at zoom 1 (fit)."""
        assert self._pm is not None
        sx, sy = self._pm.spacing
        w_mm, h_mm = self._pm.width * sx, self._pm.height * sy
        if w_mm <= 0 or h_mm <= 0:
            return 1.0
        return min(self.width() / w_mm, self.height() / h_mm)

    def transform(self) -> QTransform:
        """Display pixel (x, y) → widget coordinates."""
        if self._pm is None:
            return QTransform()
        sx, sy = self._pm.spacing
        s = self._base_scale() * self.zoom
        w, h = self._pm.width * sx * s, self._pm.height * sy * s
        ox = (self.width() - w) / 2 + self.pan.x()
        oy = (self.height() - h) / 2 + self.pan.y()
        return QTransform(sx * s, 0, 0, sy * s, ox, oy)

    def image_to_screen(self, p: QPointF) -> QPointF:
        return self.transform().map(p)

    def screen_to_image(self, p: QPointF) -> QPointF:
        inv, ok = self.transform().inverted()
        return inv.map(p) if ok else QPointF(p)

    def mm_per_screen_pixel(self) -> float:
        if self._pm is None:
            return 0.0
        return 1.0 / (self._base_scale() * self.zoom)

    # -- overlays ------------------------------------------------------------------------
    def set_overlay(self, overlay: FindingOverlay | None) -> None:
        self.overlay = overlay
        self._heat_cache = None
        self.update()

    def set_heat_opacity(self, opacity: float) -> None:
        self.heat_opacity = min(max(float(opacity), 0.0), 1.0)
        self.update()

    def go_to_voxel(self, ijk: np.ndarray | tuple[float, float, float]) -> None:
        """Move to the slice of this plane holding a stored-grid voxel (i, j, k)."""
        if self._pm is None:
            return
        _, _, s = self._pm.display_of(np.asarray(ijk, dtype=float))
        self.set_slice(round(s))

    def set_cursor(self, ijk: np.ndarray | None, *, follow: bool = True) -> None:
        """Show the linked cursor; with ``follow`` move to the slice that contains it."""
        self.cursor_ijk = None if ijk is None else np.asarray(ijk, dtype=float)
        if follow and self.cursor_ijk is not None:
            self.go_to_voxel(self.cursor_ijk)
        self.update()

    def clear_measurements(self) -> None:
        self.measurements = []
        self.measurements_changed.emit()
        self.update()

    def add_length(self, start: tuple[float, float], end: tuple[float, float]) -> Measurement:
        """Measure a line between two display points on the current slice."""
        assert self._pm is not None
        m = Measurement("length", self._pm.plane, self._slice, start, end,
                        length_mm=length_mm(self._pm, start, end, self._slice))
        self.measurements.append(m)
        self.measurements_changed.emit()
        self.update()
        return m

    def add_roi(self, start: tuple[float, float], end: tuple[float, float]) -> Measurement:
        """Mean/SD in modality units inside the ellipse inscribed in the box start-end."""
        assert self._pm is not None and self.display is not None
        stats = None
        if not self.display.is_color:
            pixels = self._pm.slice_array(self.display.voxels, self._slice)
            stats = roi_stats(self._pm, pixels, (start[0], start[1], end[0], end[1]))
        m = Measurement("roi", self._pm.plane, self._slice, start, end, stats=stats)
        self.measurements.append(m)
        self.measurements_changed.emit()
        self.update()
        return m

    def remove_last_measurement(self) -> None:
        here = [m for m in self.measurements if m.plane == self.plane and m.slice_index == self._slice]
        if here:
            self.measurements.remove(here[-1])
            self.measurements_changed.emit()
            self.update()

    # -- rendering -----------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._image = None
        self.update()

    def current_pixels(self) -> np.ndarray | None:
        """The displayed slice in modality units (a view of the volume)."""
        if self._pm is None or self.display is None:
            return None
        return self._pm.slice_array(self.display.voxels, self._slice)

    def rendered_image(self) -> QImage | None:
        """The 8-bit image of the current slice and window (before scaling to the screen)."""
        self._ensure_image()
        return self._image

    def rendered_array(self) -> np.ndarray | None:
        """A copy of the current 8-bit render as a numpy array (rows, cols[, 3])."""
        self._ensure_image()
        return None if self._image_buf is None else self._image_buf.copy()

    def _ensure_image(self) -> None:
        if self._image is not None or self.display is None or self._pm is None:
            return
        pixels = self._pm.slice_array(self.display.voxels, self._slice)
        out = render(pixels, self._window if not self.display.is_color else None,
                     invert=(self.display.inverted != self._inverted) and not self.display.is_color,
                     padding_value=self.display.padding_value)
        out = np.ascontiguousarray(out)
        h, w = out.shape[:2]
        if out.ndim == 3:
            image = QImage(out.data, w, h, out.strides[0], QImage.Format.Format_RGB888)
        else:
            image = QImage(out.data, w, h, out.strides[0], QImage.Format.Format_Grayscale8)
        self._image_buf = out  # QImage borrows this buffer; keep it alive with the image
        self._image = image
        self.render_count += 1

    def sizeHint(self) -> QSize:
        return QSize(512, 512)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0))
        if self.display is None or self._pm is None:
            self._paint_empty(p)
            self._paint_border(p)
            p.end()
            return
        self._ensure_image()
        t = self.transform()
        p.save()
        p.setTransform(t)
        # Smooth (bilinear) magnification reads better at normal zooms; at high zoom a
        # radiologist wants to see the real pixels, so switch to nearest neighbour.
        smooth = self._base_scale() * self.zoom * min(self._pm.spacing) < 4.0
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        if self._image is not None:
            p.drawImage(QRectF(0, 0, self._pm.width, self._pm.height), self._image)
        self._paint_heat(p)
        p.restore()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_finding(p, t)
        self._paint_measurements(p, t)
        self._paint_cursor(p, t)
        if self.show_overlays:
            self._paint_corner_text(p)
            self._paint_markers(p)
            self._paint_scale_bar(p)
        self._paint_border(p)
        p.end()
        self.frame_painted.emit()

    def _paint_empty(self, p: QPainter) -> None:
        p.setPen(QColor(140, 140, 140))
        text = self.status_text or "Drop a series here"
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_border(self, p: QPainter) -> None:
        if self.active:
            p.setPen(QPen(QColor(70, 130, 200), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.rect().adjusted(1, 1, -1, -1))

    def _paint_heat(self, p: QPainter) -> None:
        ov = self.overlay
        if ov is None or ov.heat is None or self._pm is None or self.heat_opacity <= 0:
            return
        key = (id(ov), self._pm.plane, self._slice)
        if self._heat_cache is None or self._heat_cache[0] != key:
            cut = map_on_plane(self._pm, self._slice, ov.heat, ov.heat_origin, ov.heat_extent)
            if cut is None:
                self._heat_cache = (key, QImage(), QRectF())
            else:
                plane, box = cut
                rgba = np.ascontiguousarray(heat_colors(plane))
                h, w = rgba.shape[:2]
                img = QImage(rgba.data, w, h, rgba.strides[0],
                             QImage.Format.Format_ARGB32_Premultiplied).copy()
                self._heat_cache = (key, img, QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0))
        _, img, rect = self._heat_cache
        if img.isNull():
            return
        p.save()
        p.setOpacity(self.heat_opacity)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.drawImage(rect, img)
        p.restore()

    def _finding_colour(self) -> QColor:
        return QColor(255, 170, 0) if self.overlay is not None and self.overlay.flagged else QColor(90, 200, 255)

    def _paint_finding(self, p: QPainter, t: QTransform) -> None:
        ov = self.overlay
        if ov is None or self._pm is None:
            return
        pen = QPen(self._finding_colour(), 1.5)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        drew_contour = False
        here = round(self._pm._axis_index(self._slice, self._pm.d_axis, self._pm.d_flip))
        if ov.contour and self._pm.d_axis == 2 and here == ov.slice_k:
            poly = QPolygonF()
            for col, row in ov.contour:
                x, y, _ = self._pm.display_of(np.array([col, row, ov.slice_k], dtype=float))
                poly.append(t.map(QPointF(x, y)))
            if len(poly) > 1:
                p.drawPolygon(poly)
                drew_contour = True
        if ov.box_lo is not None and ov.box_hi is not None:
            box = box_on_plane(self._pm, self._slice, ov.box_lo, ov.box_hi)
            if box is not None:
                rect = t.mapRect(QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0))
                margin = 6.0
                rect = rect.adjusted(-margin, -margin, margin, margin)
                if drew_contour:
                    pen.setStyle(Qt.PenStyle.DashLine)
                    p.setPen(pen)
                p.drawRect(rect)
                self._label(p, rect.topLeft() + QPointF(0, -4), ov.label, self._finding_colour())

    def _paint_measurements(self, p: QPainter, t: QTransform) -> None:
        if self._pm is None or self.display is None:
            return
        items = [m for m in self.measurements if m.plane == self._pm.plane and m.slice_index == self._slice]
        if self._draft is not None:
            kind, a, b = self._draft
            items.append(Measurement(kind, self._pm.plane, self._slice, a, b))
        colour = QColor(120, 230, 120)
        for m in items:
            a = t.map(QPointF(*m.start))
            b = t.map(QPointF(*m.end))
            p.setPen(QPen(colour, 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            if m.kind == "length":
                p.drawLine(a, b)
                for end in (a, b):
                    p.drawEllipse(end, 2.5, 2.5)
                if m.length_mm is not None:
                    self._label(p, b + QPointF(6, -6), m.text(self.display.calibrated,
                                                               self.display.modality,
                                                               self.display.units), colour)
            else:
                p.drawEllipse(QRectF(a, b).normalized())
                if m.stats is not None or m is not items[-1] or self._draft is None:
                    self._label(p, QRectF(a, b).normalized().bottomRight() + QPointF(4, 4),
                                m.text(self.display.calibrated, self.display.modality, self.display.units), colour)

    def _paint_cursor(self, p: QPainter, t: QTransform) -> None:
        if self.cursor_ijk is None or self._pm is None:
            return
        x, y, _ = self._pm.display_of(self.cursor_ijk)
        c = t.map(QPointF(x, y))
        pen = QPen(QColor(230, 200, 60, 200), 1)
        p.setPen(pen)
        gap = 8.0
        p.drawLine(QPointF(0, c.y()), QPointF(c.x() - gap, c.y()))
        p.drawLine(QPointF(c.x() + gap, c.y()), QPointF(self.width(), c.y()))
        p.drawLine(QPointF(c.x(), 0), QPointF(c.x(), c.y() - gap))
        p.drawLine(QPointF(c.x(), c.y() + gap), QPointF(c.x(), self.height()))

    def _overlay_font(self) -> QFont:
        f = QFont(self.font())
        f.setPointSizeF(max(8.0, min(10.5, self.height() / 60)))
        return f

    def _marker_font(self) -> QFont:
        f = self._overlay_font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.25)
        return f

    def _label(self, p: QPainter, at: QPointF, text: str, colour: QColor) -> None:
        p.save()
        p.setFont(self._overlay_font())
        fm = QFontMetricsF(p.font())
        lines = text.split("\n")
        y = at.y()
        x = min(max(at.x(), 2.0), self.width() - max(fm.horizontalAdvance(s) for s in lines) - 2)
        for line in lines:
            self._shadow_text(p, QPointF(x, y), line, colour)
            y += fm.height()
        p.restore()

    def _shadow_text(self, p: QPainter, at: QPointF, text: str, colour: QColor) -> None:
        path = QPainterPath()
        path.addText(at, p.font(), text)
        p.setPen(QPen(QColor(0, 0, 0, 200), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setPen(colour)
        p.drawText(at, text)

    def corner_lines(self) -> dict[str, list[str]]:
        """The text in each corner, as drawn (tests and screenshots read this)."""
        if self.display is None or self._pm is None:
            return {}
        d, pm = self.display, self._pm
        tl = list(d.corners.top_left)
        tr = list(d.corners.top_right)
        if d.series_label:
            tr.append(d.series_label)
        plane_name = "" if pm.plane is Plane.NATIVE else pm.plane.value.capitalize()
        bl = []
        total = pm.depth
        if d.loaded is not None:
            lo, hi = self.slice_limits()
            bl.append(f"Im {self._slice + 1}/{total}  (loading: Im {lo + 1}–{hi + 1} ready)")
        elif not d.complete:
            bl.append(f"Im {self._slice + 1}/{total}  (loading {d.slices}/{d.expected_slices})")
        else:
            bl.append(f"Im {self._slice + 1}/{total}" + (f"  {plane_name}" if plane_name else ""))
        if d.patient_frame and pm.depth > 1:
            bl.append(f"Loc {pm.slice_location(self._slice):.1f} mm  Thk {pm.slice_spacing:.2f} mm")
        bl.append(f"Zoom {self._base_scale() * self.zoom * min(pm.spacing):.2f}×")
        c, w = self.linear_window()
        name = getattr(self._window, "name", "")
        name = "" if name in ("", "custom") else f" ({name})"
        br = [f"W {w:.0f}  L {c:.0f}{name}" + ("  inverted" if self._inverted else "")]
        if self.status_text:
            br.insert(0, self.status_text)
        return {"top_left": tl, "top_right": tr, "bottom_left": bl, "bottom_right": br}

    def _paint_corner_text(self, p: QPainter) -> None:
        lines = self.corner_lines()
        if not lines:
            return
        p.save()
        p.setFont(self._overlay_font())
        fm = QFontMetricsF(p.font())
        lh = fm.height()
        pad = 6.0
        colour = QColor(215, 215, 215)
        # Each corner gets half the width minus the centred orientation marker, and long
        # texts are elided, so corners never overlap each other or the markers.
        marker = QFontMetricsF(self._marker_font()).horizontalAdvance("HFA")
        room = max(40.0, (self.width() - 2 * pad - marker) / 2 - 6)
        for corner, texts in lines.items():
            right = corner.endswith("right")
            bottom = corner.startswith("bottom")
            for n, text in enumerate(texts):
                text = fm.elidedText(text, Qt.TextElideMode.ElideRight, room)
                width = fm.horizontalAdvance(text)
                x = self.width() - pad - width if right else pad
                y = (self.height() - pad - (len(texts) - 1 - n) * lh - fm.descent() if bottom
                     else pad + fm.ascent() + n * lh)
                self._shadow_text(p, QPointF(x, y), text, colour)
        p.restore()

    def projection_codes(self) -> tuple[str, str] | None:
        """PatientOrientation of the projection image on screen (each image of a projection
        series has its own: a PA and a lateral may share one series)."""
        d = self.display
        if d is None or self._pm is None or not d.projection_orientations:
            return None
        k = round(float(self._pm.voxel_of(0.5, 0.5, self._slice)[2]))
        return d.projection_orientations[k] if 0 <= k < len(d.projection_orientations) else None

    def marker_texts(self) -> dict[str, str]:
        if self.display is None or self._pm is None:
            return {}
        if self.display.patient_frame:
            return self._pm.markers()
        codes = self.projection_codes()
        if codes is not None:
            row, col = codes
            opposite = str.maketrans("LRAPHF", "RLPAFH")
            return {"right": row, "left": row.translate(opposite),
                    "bottom": col, "top": col.translate(opposite)}
        return {}

    def _paint_markers(self, p: QPainter) -> None:
        markers = self.marker_texts()
        if not markers:
            return
        p.save()
        f = self._marker_font()
        p.setFont(f)
        fm = QFontMetricsF(f)
        colour = QColor(250, 220, 120)
        w, h = self.width(), self.height()
        for edge, text in markers.items():
            tw = fm.horizontalAdvance(text)
            if edge == "left":
                at = QPointF(6, h / 2 + fm.ascent() / 2)
            elif edge == "right":
                at = QPointF(w - 6 - tw, h / 2 + fm.ascent() / 2)
            elif edge == "top":
                at = QPointF(w / 2 - tw / 2, 6 + fm.ascent())
            else:
                at = QPointF(w / 2 - tw / 2, h - 6 - fm.descent())
            self._shadow_text(p, at, text, colour)
        p.restore()

    def _paint_scale_bar(self, p: QPainter) -> None:
        if self.display is None or self._pm is None:
            return
        mm_px = self.mm_per_screen_pixel()
        length = nice_scale_length(mm_px, self.width() * 0.25)
        if length <= 0:
            return
        px = length / mm_px
        p.save()
        p.setFont(self._overlay_font())
        fm = QFontMetricsF(p.font())
        right = self.width() - 10.0
        # Above the bottom-right text block.
        lines = len(self.corner_lines().get("bottom_right", []))
        y = self.height() - 8.0 - lines * fm.height() - 6
        colour = QColor(215, 215, 215)
        p.setPen(QPen(colour, 1.5))
        p.drawLine(QPointF(right - px, y), QPointF(right, y))
        for n in range(int(length) + 1 if length <= 10 else 11):
            frac = n / (length if length <= 10 else 10)
            tick = 5.0 if n in (0, (int(length) if length <= 10 else 10)) else 3.0
            x = right - px + px * frac
            p.drawLine(QPointF(x, y), QPointF(x, y - tick))
        unit = "mm" if self.display.calibrated else "px"
        label = f"{length:g} {unit}" if length < 10 or unit == "px" else f"{length / 10:g} cm"
        self._shadow_text(p, QPointF(right - px - fm.horizontalAdvance(label) - 6, y + fm.ascent() / 2 - 1),
                          label, colour)
        p.restore()

    # -- input ---------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        if self._pm is None:
            return
        dy = event.angleDelta().y()
        if dy == 0:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom * (1.15 if dy > 0 else 1 / 1.15), event.position())
        else:
            # One notch (120) = one slice; high-resolution wheels accumulate to notches.
            steps = -int(dy / 120) or (-1 if dy > 0 else 1)
            self.step(steps)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._pm is None:
            return
        pos = event.position()
        button = event.button()
        if button == Qt.MouseButton.RightButton:
            self._drag = (button, pos, self.linear_window())
        elif button == Qt.MouseButton.MiddleButton:
            self._drag = (button, pos, QPointF(self.pan))
        elif button == Qt.MouseButton.LeftButton:
            img = self.screen_to_image(pos)
            if self.tool is Tool.PAN and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._drag = (button, pos, QPointF(self.pan))
            elif self.tool is Tool.CURSOR or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._drag = (button, pos, "cursor")
                self._emit_cursor(img)
            else:
                self._drag = (button, pos, None)
                self._draft = (self.tool.value, (img.x(), img.y()), (img.x(), img.y()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        button, start, state = self._drag
        pos = event.position()
        delta = pos - start
        if button == Qt.MouseButton.RightButton:
            c0, w0 = state  # type: ignore[misc]
            # Sensitivity grows with the window so narrow brain windows stay fine-grained
            # and a bone window can still be opened in one sweep.
            k = max(w0 / 256.0, 0.5)
            self.set_center_width(c0 - delta.y() * k, max(w0 + delta.x() * k, 1.0))
        elif button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton
                                                       and isinstance(state, QPointF)):
            self.pan = state + delta  # type: ignore[operator]
            self.update()
        elif state == "cursor":
            self._emit_cursor(self.screen_to_image(pos))
        elif self._draft is not None:
            img = self.screen_to_image(pos)
            self._draft = (self._draft[0], self._draft[1], (img.x(), img.y()))
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and self._draft is not None:
            kind, a, b = self._draft
            self._draft = None
            if math.dist(self.image_to_screen(QPointF(*a)).toTuple(),
                         self.image_to_screen(QPointF(*b)).toTuple()) >= 3:
                if kind == Tool.LENGTH.value:
                    self.add_length(a, b)
                else:
                    self.add_roi(a, b)
            self.update()
        self._drag = None
        event.accept()

    def _emit_cursor(self, img: QPointF) -> None:
        assert self._pm is not None
        x = min(max(img.x(), 0.0), float(self._pm.width))
        y = min(max(img.y(), 0.0), float(self._pm.height))
        ijk = self._pm.voxel_of(x, y, self._slice)
        self.cursor_ijk = ijk
        self.update()
        self.cursor_moved.emit(ijk)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        k = Qt.Key
        if self._pm is None:
            super().keyPressEvent(event)
            return
        if key in (k.Key_Up, k.Key_Left):
            self.step(-1)
        elif key in (k.Key_Down, k.Key_Right):
            self.step(1)
        elif key == k.Key_PageUp:
            self.step(-10)
        elif key == k.Key_PageDown:
            self.step(10)
        elif key == k.Key_Home:
            self.set_slice(0)
        elif key == k.Key_End:
            self.set_slice(self.slice_count - 1)
        elif k.Key_0 <= key <= k.Key_9 and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.apply_preset(key - k.Key_0)
        elif key == k.Key_I:
            self.set_inverted(not self._inverted)
        elif key == k.Key_F:
            self.fit()
        elif key == k.Key_R:
            self.reset()
        elif key in (k.Key_Plus, k.Key_Equal):
            self.set_zoom(self.zoom * 1.25)
        elif key == k.Key_Minus:
            self.set_zoom(self.zoom / 1.25)
        elif key == k.Key_L:
            self.tool = Tool.LENGTH
        elif key == k.Key_O:
            self.tool = Tool.ROI
        elif key == k.Key_P:
            self.tool = Tool.PAN
        elif key == k.Key_C:
            self.tool = Tool.CURSOR
        elif key in (k.Key_Delete, k.Key_Backspace):
            self.remove_last_measurement()
        elif key == k.Key_Escape:
            self._draft = None
            self._drag = None
            self.update()
        elif key == k.Key_Space:
            self.cine_toggled.emit()
        elif key == k.Key_A:
            self.set_plane(Plane.AXIAL)
        elif key == k.Key_S:
            self.set_plane(Plane.CORONAL)
        elif key == k.Key_D:
            self.set_plane(Plane.SAGITTAL)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(SERIES_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        if data.hasFormat(SERIES_MIME):
            uid = bytes(data.data(SERIES_MIME).data()).decode("ascii", "replace")
            event.acceptProposedAction()
            self.activated.emit()
            self.series_dropped.emit(uid)


def series_mime(series_uid: str) -> QMimeData:
    """Drag payload for a series thumbnail."""
    data = QMimeData()
    data.setData(SERIES_MIME, series_uid.encode("ascii", "replace"))
    return data


def widget_point(canvas: SliceCanvas, x: float, y: float) -> QPoint:
    """The widget pixel over display pixel (x, y): tests and scripted screenshots use it."""
    return canvas.image_to_screen(QPointF(x, y)).toPoint()
