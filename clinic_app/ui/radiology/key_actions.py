"""What each keyboard action of the key-binding table does in a viewport.

The table (:mod:`clinic_app.ui.radiology.keymap`) says which key means which action; this
says what the action does to a canvas. A test checks that every action with keys is
handled here or by the AI review (:data:`~clinic_app.ui.radiology.keymap.REVIEW_ACTIONS`),
so Help never lists a key that does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import Magnification
from clinic_app.ui.radiology.keymap import Action
from clinic_app.ui.radiology.tools import Tool

if TYPE_CHECKING:
    from clinic_app.ui.radiology.canvas import SliceCanvas


def canvas_key_handlers(canvas: SliceCanvas) -> dict[Action, Callable[[str], object]]:
    """What each keyboard action of the table does in a viewport (the key text is
    passed on: the preset action needs its digit)."""
    pl = canvas.set_plane

    def t(tool: Tool) -> None:
        canvas.tool = tool

    return {
        Action.SLICE_PREVIOUS: lambda _k: canvas.step(-1), Action.SLICE_NEXT: lambda _k: canvas.step(1),
        Action.SLICE_BACK_10: lambda _k: canvas.step(-10), Action.SLICE_FORWARD_10: lambda _k: canvas.step(10),
        Action.SLICE_FIRST: lambda _k: canvas.set_slice(0),
        Action.SLICE_LAST: lambda _k: canvas.set_slice(canvas.slice_count - 1),
        Action.ZOOM_IN: lambda _k: canvas.set_zoom(canvas.zoom * 1.25),
        Action.ZOOM_OUT: lambda _k: canvas.set_zoom(canvas.zoom / 1.25),
        Action.PRESET: lambda k: canvas.apply_preset(int(k)) if k.isdigit() else None,
        Action.DEFAULT_WINDOW: lambda _k: canvas.apply_preset(0),
        Action.INVERT: lambda _k: canvas.set_inverted(not canvas.inverted),
        Action.FIT: lambda _k: canvas.fit(), Action.RESET: lambda _k: canvas.reset(),
        Action.MAGNIFICATION: lambda _k: canvas.set_magnification(
            Magnification.NEAREST if canvas.magnification is Magnification.SMOOTH else Magnification.SMOOTH),
        Action.TOOL_LENGTH: lambda _k: t(Tool.LENGTH), Action.TOOL_ROI: lambda _k: t(Tool.ROI),
        Action.TOOL_ANGLE: lambda _k: t(Tool.ANGLE), Action.TOOL_ARROW: lambda _k: t(Tool.ARROW),
        Action.TOOL_PAN: lambda _k: t(Tool.PAN), Action.TOOL_CURSOR: lambda _k: t(Tool.CURSOR),
        Action.REMOVE_MEASUREMENT: lambda _k: canvas.remove_last_measurement(),
        Action.CANCEL: lambda _k: canvas.tools.cancel(),
        Action.CINE: lambda _k: canvas.cine_toggled.emit(),
        Action.PLANE_AXIAL: lambda _k: pl(Plane.AXIAL), Action.PLANE_CORONAL: lambda _k: pl(Plane.CORONAL),
        Action.PLANE_SAGITTAL: lambda _k: pl(Plane.SAGITTAL),
    }
