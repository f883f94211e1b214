"""The viewer: a grid of viewports (1×1, 1×2, 2×2, MPR), a toolbar, cine and a linked cursor.

The panel knows nothing about the store: it is given :class:`SeriesDisplay` snapshots
(``show_series``) and asks for series it does not have through ``series_requested``;
the workspace's loader answers. A viewport that shows a preview keeps its position when
the full volume arrives, so the first image can appear before the rest is decoded.

MPR puts the same series in three viewports (axial, coronal, sagittal). Setting the
cursor in one (cursor tool, or Shift+click) moves the other two to the slices through
that point and draws the cross-hair there: the link is a voxel position in the stored
grid, so it is exact whatever the planes' flips.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.imaging.planes import Plane, available_planes
from clinic_app.core.imaging.viewport import Magnification
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.ui.radiology.canvas import SliceCanvas, Tool
from clinic_app.ui.radiology.display import SeriesDisplay, StackRef
from clinic_app.ui.radiology.findings_view import FindingOverlay
from clinic_app.ui.radiology.keymap import KeyMap
from clinic_app.ui.radiology.viewer_toolbar import Layout, build_toolbar, refresh_tips
from clinic_app.ui.radiology.viewport_frame import CELLS, Viewport


class ViewerPanel(QWidget):
    """The image grid with its toolbar. Signals arrive on the GUI thread."""

    #: A viewport needs a stack it has no display for: (StackRef, viewport index).
    series_requested = Signal(object, int)
    active_changed = Signal(int)
    #: A review key (an :class:`Action` of the findings panel) was pressed in a viewport.
    review_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewerPanel")
        self.viewports = [Viewport(n, self) for n in range(4)]
        self.displays: dict[StackRef, SeriesDisplay] = {}
        self._assigned: dict[int, StackRef] = {}
        self.layout_mode = Layout.ONE
        self._active = 0
        self.overlay: FindingOverlay | None = None
        self.overlay_ref: StackRef | None = None
        self.heat_opacity = 0.5
        self.layout_actions: dict[Layout, QAction] = {}
        self.tool_actions: dict[Tool, QAction] = {}
        self.preset_box: QComboBox
        self.fps_box: QSpinBox
        self.invert_action: QAction
        self.fit_action: QAction
        self.reset_action: QAction
        self.smooth_action: QAction
        self.cine_action: QAction
        self._cine = QTimer(self)
        self._cine.timeout.connect(self._cine_step)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self.keymap = KeyMap()
        self.magnification = Magnification.SMOOTH
        self.toolbar = build_toolbar(self)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(2)
        root.addWidget(self.toolbar)
        grid_host = QWidget(self)
        grid_host.setLayout(self._grid)
        grid_host.setStyleSheet("background: #000;")
        root.addWidget(grid_host, 1)
        for vp in self.viewports:
            c = vp.canvas
            c.activated.connect(lambda n=vp.index: self.set_active(n))
            c.series_dropped.connect(lambda uid, n=vp.index: self.assign(n, uid))
            c.cursor_moved.connect(lambda ijk, n=vp.index: self._link_cursor(n, ijk))
            c.cine_toggled.connect(self.toggle_cine)
            c.window_changed.connect(lambda n=vp.index: self._window_changed(n))
            c.tool_changed.connect(self.set_tool)
            c.magnification_changed.connect(self.set_magnification)
            c.review_requested.connect(self.review_requested)
        self.set_layout(Layout.ONE)
        self.set_active(0)

    # -- layout --------------------------------------------------------------------------
    @property
    def active_canvas(self) -> SliceCanvas:
        return self.viewports[self._active].canvas

    @property
    def active_index(self) -> int:
        return self._active

    def visible_viewports(self) -> list[Viewport]:
        return self.viewports[:len(CELLS[self.layout_mode])]

    def set_layout(self, mode: Layout) -> None:
        """Re-arrange the grid. MPR shows the active series in three planes."""
        self.layout_mode = mode
        self.layout_actions[mode].setChecked(True)
        for vp in self.viewports:
            self._grid.removeWidget(vp)
            vp.hide()
        for rows in range(3):
            self._grid.setRowStretch(rows, 0)
            self._grid.setColumnStretch(rows, 0)
        for vp, (r, c) in zip(self.viewports, CELLS[mode], strict=False):
            self._grid.addWidget(vp, r, c)
            self._grid.setRowStretch(r, 1)
            self._grid.setColumnStretch(c, 1)
            vp.show()
        if mode is Layout.MPR:
            ref = self._assigned.get(self._active) or self._assigned.get(0)
            display = self.displays.get(ref) if ref else None
            if display is not None and len(available_planes(display)) == 3:
                for vp, plane in zip(self.viewports, (Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL), strict=False):
                    self._show_in(vp.index, display, plane, keep_view=True)
                self.set_tool(Tool.CURSOR)
                centre = self.viewports[0].canvas._centre_ijk()
                if centre is not None:
                    self._link_cursor(-1, centre)
        else:
            for vp in self.viewports:
                vp.canvas.set_cursor(None, follow=False)
            # Viewports beyond the first fill with the study's other series, in order.
            if self._assigned:
                pending = [r for r in self.displays if r not in self._assigned.values()]
                for vp in self.visible_viewports():
                    if vp.canvas.display is None and pending:
                        ref = pending.pop(0)
                        self.assign(vp.index, ref.series_uid, ref.stack)
        if self._active >= len(CELLS[mode]):
            self.set_active(0)

    def set_active(self, index: int) -> None:
        self._active = index
        for vp in self.viewports:
            vp.canvas.active = vp.index == index and len(self.visible_viewports()) > 1
            vp.canvas.update()
        self._refresh_presets()
        self.invert_action.setChecked(self.active_canvas.inverted)
        self.active_changed.emit(index)

    def set_tool(self, tool: Tool) -> None:
        self.tool_actions[tool].setChecked(True)
        for vp in self.viewports:
            vp.canvas.tool = tool

    def set_magnification(self, mode: Magnification) -> None:
        """Smooth or nearest-neighbour magnification, for every viewport at once."""
        self.magnification = mode
        self.smooth_action.setChecked(mode is Magnification.SMOOTH)
        for vp in self.viewports:
            vp.canvas.set_magnification(mode)

    def set_keymap(self, keymap: KeyMap) -> None:
        """Use a (user's) key-binding table in every viewport, and in the toolbar's tips."""
        self.keymap = keymap
        for vp in self.viewports:
            vp.canvas.keymap = keymap
        refresh_tips(self)

    # -- series --------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every series (study closed, or the screen locked)."""
        self.set_cine(False)
        self.displays.clear()
        self._assigned.clear()
        self.overlay = None
        self.overlay_ref = None
        for vp in self.viewports:
            vp.canvas.set_display(None)
            vp.canvas.status_text = ""
            vp._sync_range()
        self.set_layout(Layout.ONE)

    def assign(self, index: int, series_uid: str, stack: int = 0) -> None:
        """Put a stack of a series (the largest by default) in a viewport; ask for it if
        it is not loaded yet."""
        ref = StackRef(series_uid, stack)
        self._assigned[index] = ref
        display = self.displays.get(ref)
        if display is None:
            canvas = self.viewports[index].canvas
            canvas.set_display(None)
            canvas.status_text = self.tr("Loading…")
            canvas.update()
            self.series_requested.emit(ref, index)
            return
        plane = None
        if self.layout_mode is Layout.MPR and index < 3 and len(available_planes(display)) == 3:
            plane = (Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL)[index]
        self._show_in(index, display, plane)

    def show_series(self, display: SeriesDisplay) -> None:
        """A (preview or full) display arrived: update every viewport showing its stack."""
        ref = display.ref
        previous = self.displays.get(ref)
        if previous is not None and previous.complete and not display.complete:
            return  # a late preview never replaces the full volume
        self.displays[ref] = display
        for index, assigned in list(self._assigned.items()):
            if assigned == ref:
                canvas = self.viewports[index].canvas
                plane = canvas.plane if canvas.display is not None else None
                if plane is not None and plane not in available_planes(display):
                    plane = None
                self._show_in(index, display, plane, keep_view=True)
        # The MPR series' full volume arrived: lay its planes out (not for a series dropped
        # into the free fourth viewport).
        if self.layout_mode is Layout.MPR and display.complete and self._assigned.get(0) == ref:
            self.set_layout(Layout.MPR)

    def _show_in(self, index: int, display: SeriesDisplay, plane: Plane | None, *,
                 keep_view: bool = False) -> None:
        self._assigned[index] = display.ref
        canvas = self.viewports[index].canvas
        canvas.status_text = display.gap_note  # missing slices stay named while shown
        canvas.set_display(display, plane=plane, keep_view=keep_view)
        canvas.set_heat_opacity(self.heat_opacity)
        canvas.set_overlay(self.overlay if self.overlay_ref == display.ref else None)
        self.viewports[index]._sync_range()
        if index == self._active:
            self._refresh_presets()
            self.invert_action.setChecked(canvas.inverted)

    def series_in(self, index: int) -> str | None:
        """The series UID a viewport shows (or is loading)."""
        ref = self._assigned.get(index)
        return ref.series_uid if ref is not None else None

    def stack_in(self, index: int) -> StackRef | None:
        """The stack of a series a viewport shows (or is loading)."""
        return self._assigned.get(index)

    def loading_failed(self, ref: StackRef, message: str) -> None:
        for index, assigned in self._assigned.items():
            if assigned == ref and self.viewports[index].canvas.display is None:
                canvas = self.viewports[index].canvas
                canvas.status_text = message
                canvas.update()

    # -- findings ------------------------------------------------------------------------
    def show_finding(self, ref: StackRef, overlay: FindingOverlay | None) -> SliceCanvas | None:
        """Draw a finding over its stack and move a viewport showing it to its slice.

        Only viewports showing the finding's own stack get it: the slice index of a
        finding on stack 2 means nothing on stack 1 of the same series.
        """
        self.overlay = overlay
        self.overlay_ref = ref if overlay is not None else None
        target: SliceCanvas | None = None
        for index, assigned in self._assigned.items():
            canvas = self.viewports[index].canvas
            if assigned == ref and canvas.display is not None:
                canvas.set_overlay(overlay)
                if overlay is not None:
                    centre = self._overlay_centre(overlay)
                    canvas.go_to_voxel(centre)
                    if target is None or index == self._active:
                        target = canvas
            else:
                canvas.set_overlay(None)
        return target

    @staticmethod
    def _overlay_centre(ov: FindingOverlay) -> np.ndarray:
        if ov.box_lo is not None and ov.box_hi is not None:
            centre = (np.asarray(ov.box_lo, float) + np.asarray(ov.box_hi, float)) / 2
            centre[2] = ov.slice_k
            return centre
        return np.array([0.0, 0.0, float(ov.slice_k)])

    def set_heat_opacity(self, opacity: float) -> None:
        self.heat_opacity = opacity
        for vp in self.viewports:
            vp.canvas.set_heat_opacity(opacity)

    # -- window presets ------------------------------------------------------------------
    def _refresh_presets(self) -> None:
        box = self.preset_box
        box.blockSignals(True)
        box.clear()
        display = self.active_canvas.display
        box.addItem(self.tr("0  DICOM default"), 0)
        if display is not None:
            for n, w in enumerate(display.presets[:8], start=1):
                box.addItem(f"{n}  {translate('radiology.viewer', w.name)} ({w.width:.0f}/{w.center:.0f})", n)
        box.addItem(self.tr("Custom"), -1)
        self._window_changed(self._active)
        box.blockSignals(False)

    def _preset_chosen(self, row: int) -> None:
        number = self.preset_box.itemData(row)
        if isinstance(number, int) and number >= 0:
            self.active_canvas.apply_preset(number)
            self.active_canvas.setFocus()

    def _window_changed(self, index: int) -> None:
        if index != self._active:
            return
        canvas = self.active_canvas
        display = canvas.display
        row = self.preset_box.count() - 1
        if display is not None:
            if canvas.voi_window == display.initial_window():
                row = 0
            else:
                for n, w in enumerate(display.presets[:8], start=1):
                    if canvas.voi_window == w:
                        row = n
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(row)
        self.preset_box.blockSignals(False)
        self.invert_action.setChecked(canvas.inverted)

    # -- cine ----------------------------------------------------------------------------
    def toggle_cine(self) -> None:
        self.set_cine(not self._cine.isActive())

    def set_cine(self, on: bool) -> None:
        if on and self.active_canvas.slice_count > 1:
            self._cine.start(int(1000 / self.fps_box.value()))
        else:
            self._cine.stop()
        self.cine_action.setChecked(self._cine.isActive())

    @property
    def cine_running(self) -> bool:
        return self._cine.isActive()

    def _fps_changed(self, fps: int) -> None:
        if self._cine.isActive():
            self._cine.setInterval(int(1000 / fps))

    def _cine_step(self) -> None:
        canvas = self.active_canvas
        if canvas.slice_count <= 1:
            self.set_cine(False)
            return
        canvas.set_slice((canvas.slice_index + 1) % canvas.slice_count)

    # -- MPR cursor ----------------------------------------------------------------------
    def _link_cursor(self, source: int, ijk: np.ndarray) -> None:
        ref = self._assigned.get(source) if source >= 0 else self._assigned.get(0)
        for vp in self.visible_viewports():
            if self._assigned.get(vp.index) != ref:
                continue
            vp.canvas.set_cursor(ijk, follow=vp.index != source)


#: The shipped CT presets' names (core/imaging/presets.py), for lupdate; shown with
#: translate(). A site's own preset names are shown as the site wrote them.
PRESET_NAMES = (
    QT_TRANSLATE_NOOP("radiology.viewer", "brain"), QT_TRANSLATE_NOOP("radiology.viewer", "subdural"),
    QT_TRANSLATE_NOOP("radiology.viewer", "stroke"), QT_TRANSLATE_NOOP("radiology.viewer", "lung"),
    QT_TRANSLATE_NOOP("radiology.viewer", "mediastinum"), QT_TRANSLATE_NOOP("radiology.viewer", "abdomen"),
    QT_TRANSLATE_NOOP("radiology.viewer", "liver"), QT_TRANSLATE_NOOP("radiology.viewer", "bone"),
)
