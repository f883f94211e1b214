"""The viewport's mouse tools: pan, length, ROI, angle, arrow and the MPR cursor.

Right-drag is always window/level and middle-drag always pan; the left button does what
the current :class:`Tool` says. A measurement is drawn as a *draft* while the button is
down and becomes a :class:`Measurement` on release (if it spans at least 3 screen
pixels: a click is not a measurement). An angle takes two gestures: drag the first arm
from its end to the vertex, then press where the second arm ends (drag to adjust).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, SignalInstance
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from clinic_app.core.imaging import viewport as vs
from clinic_app.core.imaging.planes import available_planes, plane_map
from clinic_app.core.imaging.viewport import MeasureKind, Measurement, Point

if TYPE_CHECKING:
    from clinic_app.core.imaging.planes import Plane, PlaneMap
    from clinic_app.ui.radiology.canvas import SliceCanvas
    from clinic_app.ui.radiology.display import SeriesDisplay

#: A gesture shorter than this (screen pixels) is a click, not a measurement.
MIN_DRAG_PX = 3.0


class Tool(StrEnum):
    PAN = "pan"
    LENGTH = "length"
    ROI = "roi"
    ANGLE = "angle"
    ARROW = "arrow"
    CURSOR = "cursor"


_MEASURING = {Tool.LENGTH: MeasureKind.LENGTH, Tool.ROI: MeasureKind.ROI,
              Tool.ANGLE: MeasureKind.ANGLE, Tool.ARROW: MeasureKind.ARROW}


@dataclass(frozen=True)
class Draft:
    """A measurement being drawn: ``points`` in display pixels, the last one following the mouse."""

    kind: MeasureKind
    points: tuple[Point, ...]


class ToolController:
    """Turns the canvas's mouse events into pan, window/level, cursor moves and measurements."""

    def __init__(self, canvas: SliceCanvas) -> None:
        self.canvas = canvas
        self.tool = Tool.PAN
        self.draft: Draft | None = None
        self._drag: tuple[Qt.MouseButton, QPointF, object] | None = None

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        self.cancel()

    def cancel(self) -> None:
        self.draft = None
        self._drag = None
        self.canvas.update()

    def draft_measurement(self) -> Measurement | None:
        """The draft as a measurement without values, for drawing."""
        pm, d = self.canvas.plane_map, self.draft
        if pm is None or d is None:
            return None
        here = self.canvas.slice_index
        if d.kind is MeasureKind.ANGLE and len(d.points) == 3:
            return Measurement(d.kind, pm.plane, here, d.points[0], d.points[2], vertex=d.points[1])
        return Measurement(d.kind, pm.plane, here, d.points[0], d.points[-1])

    def press(self, event: QMouseEvent) -> None:
        canvas = self.canvas
        pos = event.position()
        button = event.button()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if button == Qt.MouseButton.RightButton:
            self._drag = (button, pos, canvas.linear_window())
        elif button == Qt.MouseButton.MiddleButton:
            self._drag = (button, pos, QPointF(canvas.pan))
        elif button == Qt.MouseButton.LeftButton:
            img = canvas.screen_to_image(pos)
            xy = (img.x(), img.y())
            if self.tool is Tool.PAN and not shift:
                self._drag = (button, pos, QPointF(canvas.pan))
            elif self.tool is Tool.CURSOR or shift:
                self._drag = (button, pos, "cursor")
                canvas.emit_cursor(img)
            elif (self.draft is not None and self.draft.kind is MeasureKind.ANGLE
                  and len(self.draft.points) == 2):
                self._drag = (button, pos, None)
                self.draft = Draft(MeasureKind.ANGLE, (*self.draft.points, xy))
            else:
                self._drag = (button, pos, None)
                self.draft = Draft(_MEASURING[self.tool], (xy, xy))

    def move(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        canvas = self.canvas
        button, start, state = self._drag
        pos = event.position()
        delta = pos - start
        if button == Qt.MouseButton.RightButton:
            assert isinstance(state, tuple)
            c0, w0 = float(state[0]), float(state[1])
            # Sensitivity grows with the window so narrow brain windows stay fine-grained
            # and a bone window can still be opened in one sweep.
            k = max(w0 / 256.0, 0.5)
            canvas.set_center_width(c0 - delta.y() * k, max(w0 + delta.x() * k, 1.0))
        elif isinstance(state, QPointF):
            canvas.pan = state + delta
            canvas.update()
        elif state == "cursor":
            canvas.emit_cursor(canvas.screen_to_image(pos))
        elif self.draft is not None:
            img = canvas.screen_to_image(pos)
            self.draft = Draft(self.draft.kind, (*self.draft.points[:-1], (img.x(), img.y())))
            canvas.update()

    def release(self) -> None:
        if self._drag is not None and self.draft is not None:
            self._finish(self.draft)
            self.canvas.update()
        self._drag = None

    def _spans(self, a: Point, b: Point) -> bool:
        c = self.canvas
        return math.dist(c.image_to_screen(QPointF(*a)).toTuple(),
                         c.image_to_screen(QPointF(*b)).toTuple()) >= MIN_DRAG_PX

    def _finish(self, d: Draft) -> None:
        canvas = self.canvas
        a, b = d.points[0], d.points[-1]
        self.draft = None
        if d.kind is MeasureKind.ANGLE:
            if len(d.points) == 2:
                # First arm drawn: keep it and wait for the second arm's end.
                self.draft = d if self._spans(a, b) else None
            elif self._spans(d.points[1], b):
                canvas.add_angle(a, d.points[1], b)
        elif self._spans(a, b):
            {MeasureKind.LENGTH: canvas.add_length, MeasureKind.ROI: canvas.add_roi,
             MeasureKind.ARROW: canvas.add_arrow}[d.kind](a, b)


class MeasuringMixin(QWidget):
    """The canvas's measurements: made by the tools above, listed, removed, restored
    (a base of the canvas; the state is the canvas's)."""

    _pm: PlaneMap | None
    _slice: int
    display: SeriesDisplay | None
    measurements: list[Measurement]
    measurements_changed: SignalInstance

    if TYPE_CHECKING:
        @property
        def plane(self) -> Plane | None: ...

    def measurements_here(self) -> list[Measurement]:
        """The measurements on the plane and slice on screen."""
        return [m for m in self.measurements if m.plane == self.plane and m.slice_index == self._slice]

    def _add(self, m: Measurement) -> Measurement:
        self.measurements.append(m)
        self.measurements_changed.emit()
        self.update()
        return m

    def set_measurements(self, items: list[Measurement]) -> None:
        """Show measurements saved earlier (no change signal: nothing new to save)."""
        self.measurements = list(items)
        self.update()

    def restore_measurements(self, saved: list[Measurement]) -> None:
        """Show saved measurements with their values measured again on this display's pixels."""
        d = self.display
        if d is None:
            return
        maps = {p: plane_map(d, p) for p in available_planes(d)}
        out = [r for m in saved if m.plane in maps
               and (r := vs.remeasure(maps[m.plane], m, d.voxels, color=d.is_color)) is not None]
        self.set_measurements(out)

    def clear_measurements(self) -> None:
        self.measurements = []
        self.measurements_changed.emit()
        self.update()

    def add_length(self, start: vs.Point, end: vs.Point) -> Measurement:
        """Measure a line between two display points on the current slice."""
        assert self._pm is not None
        return self._add(vs.measure_length(self._pm, self._slice, start, end))

    def add_roi(self, start: vs.Point, end: vs.Point) -> Measurement:
        """Mean/SD in modality units inside the ellipse inscribed in the box start-end."""
        assert self._pm is not None and self.display is not None
        pixels = None if self.display.is_color else self._pm.slice_array(self.display.voxels, self._slice)
        return self._add(vs.measure_roi(self._pm, self._slice, start, end, pixels))

    def add_angle(self, a: vs.Point, vertex: vs.Point, c: vs.Point) -> Measurement:
        """The angle at ``vertex`` between the arms to ``a`` and ``c``, in patient space."""
        assert self._pm is not None
        return self._add(vs.measure_angle(self._pm, self._slice, a, vertex, c))

    def add_arrow(self, tail: vs.Point, head: vs.Point) -> Measurement:
        assert self._pm is not None
        return self._add(vs.arrow(self._pm, self._slice, tail, head))

    def remove_last_measurement(self) -> None:
        here = self.measurements_here()
        if here:
            self.measurements.remove(here[-1])
            self.measurements_changed.emit()
            self.update()

