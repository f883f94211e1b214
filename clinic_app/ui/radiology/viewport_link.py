"""Linked viewports: scroll one, the others follow by patient position; window optionally.

Reading today's CT beside the prior, the reader scrolls one and expects the other to show
the same anatomy. The arithmetic is :mod:`clinic_app.core.imaging.scroll_link` (Qt-free,
tested against hand values); this object watches the viewer's canvases and applies it.

Each viewport keeps an offset (mm along its slice direction). Viewports that share a
frame of reference link with offset 0; for others, linking keeps the alignment the
reader made by eye, and the offset of the active viewport can be adjusted. Only
viewports showing the same plane of a patient-frame series are linked (MPR panes have
their own cursor link; a radiograph has no position to link by).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from clinic_app.core.imaging.scroll_link import linked_slice, offset_between
from clinic_app.ui.radiology.canvas import SliceCanvas
from clinic_app.ui.radiology.viewer import ViewerPanel
from clinic_app.ui.radiology.viewer_toolbar import Layout


class ViewportLink(QObject):
    """Keeps the viewer's visible viewports on the same anatomy (and window, if asked)."""

    #: Scroll link, window link or an offset changed (the controls show it).
    changed = Signal()

    def __init__(self, viewer: ViewerPanel, frame_of: Callable[[str], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        self.frame_of = frame_of
        self.scroll_linked = False
        self.window_linked = False
        self.offsets: dict[int, float] = {}
        self._busy = False
        self._shown: dict[int, object] = {}  # viewport -> the stack its offset was set for
        for vp in viewer.viewports:
            vp.canvas.plane_changed.connect(lambda n=vp.index: self._joined(n))
            vp.canvas.plane_changed.connect(lambda n=vp.index: self._adopt_window(n))
            vp.canvas.slice_changed.connect(lambda _s, n=vp.index: self._scrolled(n))
            vp.canvas.window_changed.connect(lambda n=vp.index: self._windowed(n))

    # -- which viewports take part -------------------------------------------------------
    def _linkable(self, index: int) -> SliceCanvas | None:
        if self.viewer.layout_mode is Layout.MPR:
            return None
        if index >= len(self.viewer.visible_viewports()):
            return None
        canvas = self.viewer.viewports[index].canvas
        d = canvas.display
        if d is None or not d.patient_frame or canvas.plane_map is None or canvas.slice_count < 2:
            return None
        return canvas

    def _partners(self, source: int) -> list[tuple[int, SliceCanvas]]:
        src = self._linkable(source)
        if src is None:
            return []
        out = []
        for vp in self.viewer.visible_viewports():
            canvas = self._linkable(vp.index)
            if vp.index != source and canvas is not None and canvas.plane is src.plane:
                out.append((vp.index, canvas))
        return out

    def _same_frame(self, a: SliceCanvas, b: SliceCanvas) -> bool:
        assert a.display is not None and b.display is not None
        fa, fb = self.frame_of(a.display.series_uid), self.frame_of(b.display.series_uid)
        return bool(fa) and fa == fb

    # -- switches ------------------------------------------------------------------------
    def set_scroll_linked(self, on: bool) -> None:
        """Link scrolling from now on: the active viewport is the reference, the others
        keep their current alignment to it (or none, when they share its frame)."""
        self.scroll_linked = bool(on)
        self.offsets.clear()
        self._shown.clear()
        if on:
            active = self.viewer.active_index
            self._joined(active)
            for index, _canvas in self._partners(active):
                self._joined(index)
        self.changed.emit()

    def _joined(self, index: int) -> None:
        """A viewport got a (new) series or plane while linked: it joins keeping what it
        shows now against the others (offset 0 when it shares their frame), so a prior
        arriving never moves today's image."""
        canvas = self._linkable(index)
        if not self.scroll_linked or canvas is None or canvas.plane_map is None:
            return
        key = (canvas.display.ref if canvas.display is not None else None, canvas.plane)
        if self._shown.get(index) == key and index in self.offsets:
            return
        self._shown[index] = key
        ref = next(((n, c) for n, c in self._partners(index) if n in self.offsets), None)
        if ref is None:
            self.offsets[index] = 0.0
        else:
            n, c = ref
            assert c.plane_map is not None
            self.offsets[index] = self.offsets[n] + (0.0 if self._same_frame(c, canvas) else offset_between(
                c.plane_map, c.slice_index, canvas.plane_map, canvas.slice_index))
        self.changed.emit()

    def set_window_linked(self, on: bool) -> None:
        self.window_linked = bool(on)
        if on:
            self._windowed(self.viewer.active_index)
        self.changed.emit()

    def offset(self, index: int) -> float:
        return self.offsets.get(index, 0.0)

    def set_offset(self, index: int, mm: float) -> None:
        """Move one viewport's alignment: it re-links to the first other linked viewport."""
        self.offsets[index] = float(mm)
        partners = self._partners(index)
        if self.scroll_linked and partners:
            self._scrolled(partners[0][0])
        self.changed.emit()

    # -- following -----------------------------------------------------------------------
    def _scrolled(self, source: int) -> None:
        if not self.scroll_linked or self._busy:
            return
        src = self._linkable(source)
        if src is None or src.plane_map is None:
            return
        self._busy = True
        try:
            for index, canvas in self._partners(source):
                assert canvas.plane_map is not None
                target = linked_slice(src.plane_map, src.slice_index, canvas.plane_map,
                                      self.offset(index) - self.offset(source))
                if target is not None:
                    canvas.set_slice(target)
        finally:
            self._busy = False

    def _adopt_window(self, index: int) -> None:
        """A series (or plane) arrived in a viewport that follows the active one's window:
        it takes that window rather than keeping its own first one."""
        active = self.viewer.active_index
        if index == active or self._busy:
            return
        self._busy = True  # set_display's own window_changed must not lead
        try:
            self._copy_window(active, only=index)
        finally:
            self._busy = False

    def _windowed(self, source: int) -> None:
        """Copy the source's window: to every viewport of its modality when linked, and
        always to the other MPR panes of the same series (three cuts of one volume)."""
        # Only the reader's viewport leads: a series arriving elsewhere (a prior, an MPR
        # pane being laid out) sets its own first window and must not overwrite theirs.
        if self._busy or source != self.viewer.active_index:
            return
        self._busy = True
        try:
            self._copy_window(source)
        finally:
            self._busy = False

    def _copy_window(self, source: int, only: int | None = None) -> None:
        mpr = self.viewer.layout_mode is Layout.MPR
        if not (self.window_linked or mpr):
            return
        src = self.viewer.viewports[source].canvas
        if src.display is None or src.voi_window is None or src.display.is_color:
            return
        for vp in self.viewer.visible_viewports():
            c = vp.canvas
            if vp.index == source or (only is not None and vp.index != only) or c.display is None:
                continue
            wanted = (c.display.ref == src.display.ref if mpr and not self.window_linked
                      else c.display.modality == src.display.modality)
            if wanted and not c.display.is_color:
                c.set_window(src.voi_window)
                if c.inverted != src.inverted:
                    c.set_inverted(src.inverted)
