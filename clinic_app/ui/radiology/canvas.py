"""One viewport: a slice of a series on screen, with window/level, zoom/pan and overlays.

The canvas owns no pixels of its own beyond the 8-bit render of the current slice. It
renders lazily (on paint, once per change), so a burst of wheel events between two
frames costs one LUT pass, not one per event: that is what keeps scrolling at the
display's frame rate on 512² slices.

This module is the widget glue. What it holds lives next to it: measurements, window
and slice arithmetic in :mod:`clinic_app.core.imaging.viewport` (Qt-free), the mouse
tools in :mod:`~clinic_app.ui.radiology.tools`, the painters in
:mod:`~clinic_app.ui.radiology.overlays`, and the keys in
:mod:`~clinic_app.ui.radiology.keymap`, whose table also writes Help.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_app.core.imaging import viewport as vs
from clinic_app.core.imaging.lut import VoiTable, Window
from clinic_app.core.imaging.planes import Plane, PlaneMap, acquisition_plane, available_planes, plane_map
from clinic_app.core.imaging.render import render
from clinic_app.core.imaging.viewport import Magnification, Measurement
from clinic_app.ui.radiology import overlays
from clinic_app.ui.radiology.corner_text import corner_lines, marker_texts
from clinic_app.ui.radiology.display import SeriesDisplay
from clinic_app.ui.radiology.findings_view import FindingOverlay
from clinic_app.ui.radiology.key_actions import canvas_key_handlers
from clinic_app.ui.radiology.keymap import REVIEW_ACTIONS, KeyMap
from clinic_app.ui.radiology.navigation import NavigationMixin
from clinic_app.ui.radiology.series_drag import SERIES_MIME
from clinic_app.ui.radiology.tools import MeasuringMixin, Tool, ToolController

__all__ = ["Measurement", "SliceCanvas", "Tool", "widget_point"]

class SliceCanvas(MeasuringMixin, NavigationMixin):
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
    #: The reader chose a tool with a key here (the viewer gives it to every viewport).
    tool_changed = Signal(object)
    #: Smooth or nearest-neighbour magnification was toggled here.
    magnification_changed = Signal(object)
    #: A review key was pressed here (an :class:`Action` of the findings panel).
    review_requested = Signal(object)
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
        self.tools = ToolController(self)
        self.keymap = KeyMap()
        self.magnification = Magnification.SMOOTH
        self.active = False
        self.show_overlays = True
        self.overlay: FindingOverlay | None = None
        self.heat_opacity = 0.5
        self.heat_cache: tuple[tuple[object, ...], QImage, QRectF] | None = None
        self.cursor_ijk: np.ndarray | None = None
        self.measurements: list[Measurement] = []
        self.status_text = ""
        self._image: QImage | None = None
        self._image_buf: np.ndarray | None = None
        self.render_count = 0

    # -- content -------------------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        return self.tools.tool

    @tool.setter
    def tool(self, tool: Tool) -> None:
        if tool is not self.tools.tool:
            self.tools.set_tool(tool)
            self.tool_changed.emit(tool)

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
        self.heat_cache = None
        if display is None:
            self._pm = None
            self.tools.cancel()
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
            self.tools.cancel()
            # The acquired plane opens on its first image (head end for an axial CT), as a
            # reader expects; a reformat opens through the middle of the volume.
            self._slice = 0 if self._pm.plane in (acquisition_plane(display), Plane.NATIVE) \
                else self._pm.depth // 2
        else:
            assert old_patient is not None
            self._slice = vs.nearest_slice(self._pm, old_patient)
        lo, hi = self.slice_limits()
        self._slice = min(max(self._slice, lo), hi)
        self._invalidate()
        self.plane_changed.emit()
        self.slice_changed.emit(self._slice)
        self.window_changed.emit()

    @property
    def plane_map(self) -> PlaneMap | None:
        return self._pm

    @property
    def plane(self) -> Plane | None:
        return self._pm.plane if self._pm is not None else None

    def set_plane(self, plane: Plane) -> None:
        if self.display is None or plane not in available_planes(self.display):
            return
        centre = self.cursor_ijk if self.cursor_ijk is not None else self._centre_ijk()
        self._pm = plane_map(self.display, plane)
        self.heat_cache = None
        self.tools.cancel()
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
        """The display slices that may be shown (only decoded ones while loading)."""
        if self._pm is None:
            return 0, 0
        return vs.slice_limits(self._pm, self.display.loaded if self.display is not None else None)

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
    def voi_window(self) -> Window | VoiTable | None:
        """The grey-scale window in use (not ``window``: that is QWidget's top-level window)."""
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
        self.set_window(vs.custom_window(self._window, center, width))

    def linear_window(self) -> tuple[float, float]:
        """(centre, width) of the current window; a VOI LUT table reports its value range."""
        return vs.linear_window(self._window)

    def apply_preset(self, number: int) -> bool:
        """Number key: 0 = the DICOM default window, 1..n = the modality's presets."""
        if self.display is None:
            return False
        if number == 0:
            self._inverted = False
            self.set_window(self.display.initial_window())
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

    # -- overlays and measurements ---------------------------------------------------------
    def set_overlay(self, overlay: FindingOverlay | None) -> None:
        self.overlay = overlay
        self.heat_cache = None
        self.update()

    def set_heat_opacity(self, opacity: float) -> None:
        self.heat_opacity = min(max(float(opacity), 0.0), 1.0)
        self.update()

    # -- texts (tests and screenshots read what is drawn) ----------------------------------
    def corner_lines(self) -> dict[str, list[str]]:
        return corner_lines(self)

    def marker_texts(self) -> dict[str, str]:
        return marker_texts(self)

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
        pixels = self.current_pixels()
        if self._image is not None or pixels is None or self.display is None:
            return
        d = self.display
        out = np.ascontiguousarray(render(pixels, self._window if not d.is_color else None,
                                          invert=(d.inverted != self._inverted) and not d.is_color,
                                          padding_value=d.padding_value))
        h, w = out.shape[:2]
        fmt = QImage.Format.Format_RGB888 if out.ndim == 3 else QImage.Format.Format_Grayscale8
        self._image_buf = out  # QImage borrows this buffer; keep it alive with the image
        self._image = QImage(out.data, w, h, out.strides[0], fmt)
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
            overlays.paint_empty(self, p)
            overlays.paint_border(self, p)
            p.end()
            return
        self._ensure_image()
        t = self.transform()
        p.save()
        p.setTransform(t)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform,
                        self.magnification is Magnification.SMOOTH)
        if self._image is not None:
            p.drawImage(QRectF(0, 0, self._pm.width, self._pm.height), self._image)
        overlays.paint_heat(self, p)
        p.restore()
        overlays.paint_all(self, p, t)
        p.end()
        self.frame_painted.emit()

    # -- input ---------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        dy = event.angleDelta().y()
        if self._pm is None or dy == 0:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom * (1.15 if dy > 0 else 1 / 1.15), event.position())
        else:
            # One notch (120) = one slice; high-resolution wheels accumulate to notches.
            self.step(-int(dy / 120) or (-1 if dy > 0 else 1))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._pm is not None:
            self.tools.press(event)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.tools.move(event)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.tools.release()
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        found = self.keymap.lookup(event)
        if found is not None and found[0] in REVIEW_ACTIONS:
            self.review_requested.emit(found[0])
        elif found is not None and self._pm is not None:
            canvas_key_handlers(self)[found[0]](found[1])
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


def widget_point(canvas: SliceCanvas, x: float, y: float) -> QPoint:
    """The widget pixel over display pixel (x, y): tests and scripted screenshots use it."""
    return canvas.image_to_screen(QPointF(x, y)).toPoint()
