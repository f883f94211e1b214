"""Where a viewport looks: zoom, pan, the display→screen transform and the MPR cursor.

A mixin of :class:`~clinic_app.ui.radiology.canvas.SliceCanvas`, kept apart so the
canvas module stays the widget glue. All state it reads (plane map, slice, zoom, pan) is
the canvas's own; the zoom limits come from :mod:`clinic_app.core.imaging.viewport`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, SignalInstance
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QWidget

from clinic_app.core.imaging import viewport as vs
from clinic_app.core.imaging.viewport import Magnification

if TYPE_CHECKING:
    from clinic_app.core.imaging.lut import VoiTable, Window
    from clinic_app.core.imaging.planes import PlaneMap
    from clinic_app.ui.radiology.display import SeriesDisplay

class NavigationMixin(QWidget):
    """Zoom, pan and cursor of a slice canvas (a base of it; the state is the canvas's)."""

    _pm: PlaneMap | None
    _slice: int
    _inverted: bool
    zoom: float
    pan: QPointF
    magnification: Magnification
    cursor_ijk: np.ndarray | None
    display: SeriesDisplay | None
    cursor_moved: SignalInstance
    magnification_changed: SignalInstance

    if TYPE_CHECKING:
        def set_slice(self, index: int) -> None: ...
        def set_window(self, window: Window | VoiTable) -> None: ...

    def fit(self) -> None:
        self.zoom = 1.0
        self.pan = QPointF(0, 0)
        self.update()

    def reset(self) -> None:
        self.fit()
        if self.display is not None:
            self._inverted = False
            self.set_window(self.display.initial_window())

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        zoom = vs.clamp_zoom(zoom)
        if anchor is not None and self._pm is not None:
            before = self.screen_to_image(anchor)
            self.zoom = zoom
            self.pan += anchor - self.image_to_screen(before)
        else:
            self.zoom = zoom
        self.update()

    def set_magnification(self, mode: Magnification) -> None:
        """Smooth (bilinear) or nearest-neighbour scaling of the image's pixels."""
        if mode is not self.magnification:
            self.magnification = mode
            self.update()
            self.magnification_changed.emit(mode)

    def base_scale(self) -> float:
        """Screen pixels per mm at zoom 1 (fit)."""
        assert self._pm is not None
        return vs.fit_scale(self._pm, self.width(), self.height())

    def transform(self) -> QTransform:
        """Display pixel (x, y) → widget coordinates."""
        if self._pm is None:
            return QTransform()
        sx, sy = self._pm.spacing
        s = self.base_scale() * self.zoom
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
        return 1.0 / (self.base_scale() * self.zoom)

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

    def emit_cursor(self, img: QPointF) -> None:
        """The reader put the MPR cursor at display point ``img`` of this slice."""
        assert self._pm is not None
        x = min(max(img.x(), 0.0), float(self._pm.width))
        y = min(max(img.y(), 0.0), float(self._pm.height))
        ijk = self._pm.voxel_of(x, y, self._slice)
        self.cursor_ijk = ijk
        self.update()
        self.cursor_moved.emit(ijk)

