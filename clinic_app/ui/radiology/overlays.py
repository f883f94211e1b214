"""What a viewport draws over the image: finding, heat map, measurements, cursor, corner text.

Painters are plain functions of the canvas and a QPainter, called once per paint in a
fixed order by :meth:`SliceCanvas.paintEvent`; they read the canvas and never change it
(except the heat-map cache, which is the canvas's own memo). The texts (corner lines,
orientation markers) are computed by :mod:`clinic_app.ui.radiology.corner_text` so tests
can read exactly what is drawn.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF, QTransform

from clinic_app.core.imaging.plane_overlays import box_on_plane, heat_colors, map_on_plane
from clinic_app.core.imaging.planes import nice_scale_length
from clinic_app.core.imaging.viewport import MeasureKind, Measurement
from clinic_app.ui.radiology.corner_text import corner_lines, marker_texts

if TYPE_CHECKING:
    from clinic_app.ui.radiology.canvas import SliceCanvas

MEASURE_COLOUR = QColor(120, 230, 120)
TEXT_COLOUR = QColor(215, 215, 215)
MARKER_COLOUR = QColor(250, 220, 120)
CURSOR_COLOUR = QColor(230, 200, 60, 200)
ACTIVE_BORDER = QColor(70, 130, 200)


def overlay_font(canvas: SliceCanvas) -> QFont:
    f = QFont(canvas.font())
    f.setPointSizeF(max(8.0, min(10.5, canvas.height() / 60)))
    return f


def marker_font(canvas: SliceCanvas) -> QFont:
    f = overlay_font(canvas)
    f.setBold(True)
    f.setPointSizeF(f.pointSizeF() * 1.25)
    return f


#: Where the dark copies of a text go: one pixel off diagonally, a halo on every side.
_HALO = tuple(QPointF(dx, dy) for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1)))
_HALO_COLOUR = QColor(0, 0, 0, 220)


def shadow_text(p: QPainter, at: QPointF, text: str, colour: QColor) -> None:
    """Text with a dark outline, readable on any grey of the image under it.

    The outline is the text drawn dark one pixel off on every side, not a stroked
    QPainterPath: glyphs come from Qt's cache, while stroking the path of every corner
    line made the overlay text most of a scroll frame's cost and of the GUI thread's
    work while a study opened (benchmarks/RESULTS.md, issue 20)."""
    p.setPen(_HALO_COLOUR)
    for d in _HALO:
        p.drawText(at + d, text)
    p.setPen(colour)
    p.drawText(at, text)


def label(canvas: SliceCanvas, p: QPainter, at: QPointF, text: str, colour: QColor) -> None:
    """Multi-line text at a point, kept inside the viewport's width."""
    if not text:
        return
    p.save()
    p.setFont(overlay_font(canvas))
    fm = QFontMetricsF(p.font())
    lines = text.split("\n")
    y = at.y()
    x = min(max(at.x(), 2.0), canvas.width() - max(fm.horizontalAdvance(s) for s in lines) - 2)
    for line in lines:
        shadow_text(p, QPointF(x, y), line, colour)
        y += fm.height()
    p.restore()


def paint_empty(canvas: SliceCanvas, p: QPainter) -> None:
    p.setPen(QColor(140, 140, 140))
    p.drawText(
        canvas.rect(),
        Qt.AlignmentFlag.AlignCenter,
        canvas.status_text or QCoreApplication.translate("radiology.overlays", "Drop a series here"),
    )


def paint_border(canvas: SliceCanvas, p: QPainter) -> None:
    if canvas.active:
        p.setPen(QPen(ACTIVE_BORDER, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(canvas.rect().adjusted(1, 1, -1, -1))


def paint_heat(canvas: SliceCanvas, p: QPainter) -> None:
    ov, pm = canvas.overlay, canvas.plane_map
    if ov is None or ov.heat is None or pm is None or canvas.heat_opacity <= 0:
        return
    key = (id(ov), pm.plane, canvas.slice_index)
    if canvas.heat_cache is None or canvas.heat_cache[0] != key:
        cut = map_on_plane(pm, canvas.slice_index, ov.heat, ov.heat_origin, ov.heat_extent)
        if cut is None:
            canvas.heat_cache = (key, QImage(), QRectF())
        else:
            plane, box = cut
            rgba = np.ascontiguousarray(heat_colors(plane))
            h, w = rgba.shape[:2]
            img = QImage(rgba.data, w, h, rgba.strides[0], QImage.Format.Format_ARGB32_Premultiplied).copy()
            canvas.heat_cache = (key, img, QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0))
    _, img, rect = canvas.heat_cache
    if img.isNull():
        return
    p.save()
    p.setOpacity(canvas.heat_opacity)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    p.drawImage(rect, img)
    p.restore()


def finding_colour(canvas: SliceCanvas) -> QColor:
    flagged = canvas.overlay is not None and canvas.overlay.flagged
    return QColor(255, 170, 0) if flagged else QColor(90, 200, 255)


def paint_finding(canvas: SliceCanvas, p: QPainter, t: QTransform) -> None:
    ov, pm = canvas.overlay, canvas.plane_map
    if ov is None or pm is None:
        return
    colour = finding_colour(canvas)
    pen = QPen(colour, 1.5)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    drew_contour = False
    here = round(pm._axis_index(canvas.slice_index, pm.d_axis, pm.d_flip))
    if ov.contour and pm.d_axis == 2 and here == ov.slice_k:
        poly = QPolygonF()
        for col, row in ov.contour:
            x, y, _ = pm.display_of(np.array([col, row, ov.slice_k], dtype=float))
            poly.append(t.map(QPointF(x, y)))
        if poly.size() > 1:
            p.drawPolygon(poly)
            drew_contour = True
    if ov.box_lo is not None and ov.box_hi is not None:
        box = box_on_plane(pm, canvas.slice_index, ov.box_lo, ov.box_hi)
        if box is not None:
            rect = t.mapRect(QRectF(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0))
            margin = 6.0
            rect = rect.adjusted(-margin, -margin, margin, margin)
            if drew_contour:
                pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
            p.drawRect(rect)
            label(canvas, p, rect.topLeft() + QPointF(0, -4), ov.label, colour)


def _arrow_head(p: QPainter, tail: QPointF, head: QPointF) -> None:
    angle = math.atan2(head.y() - tail.y(), head.x() - tail.x())
    size = 10.0
    wings = [QPointF(head.x() - size * math.cos(angle + d), head.y() - size * math.sin(angle + d))
             for d in (math.radians(25), -math.radians(25))]
    p.save()
    p.setBrush(p.pen().color())
    p.drawPolygon(QPolygonF([head, *wings]))
    p.restore()


def _paint_one(canvas: SliceCanvas, p: QPainter, t: QTransform, m: Measurement, drafting: bool) -> None:
    display = canvas.display
    assert display is not None
    text = m.text(display.calibrated, display.modality, display.units)
    pts = [t.map(QPointF(*xy)) for xy in m.points()]
    if m.kind is MeasureKind.ROI:
        rect = QRectF(pts[0], pts[-1]).normalized()
        p.drawEllipse(rect)
        if not drafting:
            label(canvas, p, rect.bottomRight() + QPointF(4, 4), text, MEASURE_COLOUR)
        return
    for a, b in itertools.pairwise(pts):
        p.drawLine(a, b)
    if m.kind is MeasureKind.ARROW:
        _arrow_head(p, pts[0], pts[-1])
        return
    for end in (pts[0], pts[-1]):
        p.drawEllipse(end, 2.5, 2.5)
    at = pts[1] + QPointF(8, -8) if m.kind is MeasureKind.ANGLE else pts[-1] + QPointF(6, -6)
    label(canvas, p, at, text, MEASURE_COLOUR)


def paint_measurements(canvas: SliceCanvas, p: QPainter, t: QTransform) -> None:
    if canvas.plane_map is None or canvas.display is None:
        return
    p.setPen(QPen(MEASURE_COLOUR, 1.5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for m in canvas.measurements_here():
        _paint_one(canvas, p, t, m, drafting=False)
    draft = canvas.tools.draft_measurement()
    if draft is not None:
        _paint_one(canvas, p, t, draft, drafting=True)


def paint_all(canvas: SliceCanvas, p: QPainter, t: QTransform) -> None:
    """Everything drawn over the image (in screen coordinates), in stacking order."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    paint_finding(canvas, p, t)
    paint_measurements(canvas, p, t)
    paint_cursor(canvas, p, t)
    if canvas.show_overlays:
        paint_corner_text(canvas, p)
        paint_markers(canvas, p)
        paint_scale_bar(canvas, p)
    paint_border(canvas, p)


def paint_cursor(canvas: SliceCanvas, p: QPainter, t: QTransform) -> None:
    pm = canvas.plane_map
    if canvas.cursor_ijk is None or pm is None:
        return
    x, y, _ = pm.display_of(canvas.cursor_ijk)
    c = t.map(QPointF(x, y))
    p.setPen(QPen(CURSOR_COLOUR, 1))
    gap = 8.0
    p.drawLine(QPointF(0, c.y()), QPointF(c.x() - gap, c.y()))
    p.drawLine(QPointF(c.x() + gap, c.y()), QPointF(canvas.width(), c.y()))
    p.drawLine(QPointF(c.x(), 0), QPointF(c.x(), c.y() - gap))
    p.drawLine(QPointF(c.x(), c.y() + gap), QPointF(c.x(), canvas.height()))


def paint_corner_text(canvas: SliceCanvas, p: QPainter) -> None:
    lines = corner_lines(canvas)
    if not lines:
        return
    p.save()
    p.setFont(overlay_font(canvas))
    fm = QFontMetricsF(p.font())
    lh = fm.height()
    pad = 6.0
    # Each corner gets half the width minus the centred orientation marker, and long
    # texts are elided, so corners never overlap each other or the markers.
    marker = QFontMetricsF(marker_font(canvas)).horizontalAdvance("HFA")
    room = max(40.0, (canvas.width() - 2 * pad - marker) / 2 - 6)
    for corner, texts in lines.items():
        right = corner.endswith("right")
        bottom = corner.startswith("bottom")
        for n, text in enumerate(texts):
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, room)
            width = fm.horizontalAdvance(text)
            x = canvas.width() - pad - width if right else pad
            y = (canvas.height() - pad - (len(texts) - 1 - n) * lh - fm.descent() if bottom
                 else pad + fm.ascent() + n * lh)
            shadow_text(p, QPointF(x, y), text, TEXT_COLOUR)
    p.restore()


def paint_markers(canvas: SliceCanvas, p: QPainter) -> None:
    markers = marker_texts(canvas)
    if not markers:
        return
    p.save()
    f = marker_font(canvas)
    p.setFont(f)
    fm = QFontMetricsF(f)
    w, h = canvas.width(), canvas.height()
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
        shadow_text(p, at, text, MARKER_COLOUR)
    p.restore()


def paint_scale_bar(canvas: SliceCanvas, p: QPainter) -> None:
    if canvas.display is None or canvas.plane_map is None:
        return
    mm_px = canvas.mm_per_screen_pixel()
    length = nice_scale_length(mm_px, canvas.width() * 0.25)
    if length <= 0:
        return
    px = length / mm_px
    p.save()
    p.setFont(overlay_font(canvas))
    fm = QFontMetricsF(p.font())
    right = canvas.width() - 10.0
    # Above the bottom-right text block.
    lines = len(corner_lines(canvas).get("bottom_right", []))
    y = canvas.height() - 8.0 - lines * fm.height() - 6
    p.setPen(QPen(TEXT_COLOUR, 1.5))
    p.drawLine(QPointF(right - px, y), QPointF(right, y))
    for n in range(int(length) + 1 if length <= 10 else 11):
        frac = n / (length if length <= 10 else 10)
        tick = 5.0 if n in (0, (int(length) if length <= 10 else 10)) else 3.0
        x = right - px + px * frac
        p.drawLine(QPointF(x, y), QPointF(x, y - tick))
    unit = "mm" if canvas.display.calibrated else "px"
    text = (
        f"{length:g} {unit}"
        if length < 10 or unit == "px"
        else QCoreApplication.translate("radiology.overlays", "{value:g} cm").format(value=length / 10)
    )
    shadow_text(p, QPointF(right - px - fm.horizontalAdvance(text) - 6, y + fm.ascent() / 2 - 1),
                text, TEXT_COLOUR)
    p.restore()
