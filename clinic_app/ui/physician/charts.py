"""Charts for the physician's workspace: dated time series and contribution bars.

Why pyqtgraph and not QtCharts: QtCharts ships only in PySide6-Addons (~150 MB more in
every install and in the packaged binary), while pyqtgraph is pure Python over numpy,
which we already ship, and is a few MB. It draws with QPainter inside a QGraphicsView,
so ``widget.grab()`` works offscreen for screenshots and tests, and its DateAxisItem
labels a time axis with calendar dates at every zoom level.

Every chart here states its units on the value axis and dates on the time axis, takes
its colours from the application palette (so it is readable in the dark and the light
theme), and re-colours itself when the palette changes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from clinic_app.i18n import QT_TRANSLATE_NOOP

#: Series colours chosen to stay distinguishable on near-black and on white backgrounds
#: and for the common colour-vision deficiencies (Okabe–Ito palette).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
POSITIVE = "#D55E00"  # raises risk
NEGATIVE = "#0072B2"  # lowers risk
_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
#: The month names pyqtgraph writes, for lupdate (context "TimeChart").
_MONTHS = (
    QT_TRANSLATE_NOOP("TimeChart", "Jan"),
    QT_TRANSLATE_NOOP("TimeChart", "Feb"),
    QT_TRANSLATE_NOOP("TimeChart", "Mar"),
    QT_TRANSLATE_NOOP("TimeChart", "Apr"),
    QT_TRANSLATE_NOOP("TimeChart", "May"),
    QT_TRANSLATE_NOOP("TimeChart", "Jun"),
    QT_TRANSLATE_NOOP("TimeChart", "Jul"),
    QT_TRANSLATE_NOOP("TimeChart", "Aug"),
    QT_TRANSLATE_NOOP("TimeChart", "Sep"),
    QT_TRANSLATE_NOOP("TimeChart", "Oct"),
    QT_TRANSLATE_NOOP("TimeChart", "Nov"),
    QT_TRANSLATE_NOOP("TimeChart", "Dec"),
)


class _DateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis writes month names with the C locale ("Sep"); a reader of
    another language gets the month in their own words ("9月"), from the catalogue."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().tickStrings(values, scale, spacing)
        return [_MONTH.sub(lambda m: QCoreApplication.translate("TimeChart", m[1]), s) for s in strings]


#: The narrowest time span a chart shows (so a single point gets a readable date axis).
MIN_SPAN_S = 180 * 86400


@dataclass(frozen=True)
class Series:
    """One line of a time chart: dated points with a legend name."""

    name: str
    times: tuple[datetime, ...]
    values: tuple[float, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal threshold line (e.g. a category boundary), with its label."""

    value: float
    label: str


def _palette_colours(widget: QWidget) -> tuple[QColor, QColor, QColor]:
    pal = widget.palette()
    return (pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text),
            pal.color(QPalette.ColorRole.PlaceholderText))


class _ThemedPlot(QWidget):
    """A PlotWidget that follows the application palette."""

    def __init__(self, parent: QWidget | None, axis_items: dict[str, pg.AxisItem] | None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(self, axisItems=axis_items or {})
        self.plot.setMenuEnabled(False)
        self.plot.getPlotItem().hideButtons()
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self._apply_palette()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()
            self.redraw()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        base, text, _muted = _palette_colours(self)
        self.plot.setBackground(base)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        item.titleLabel.setAttr("color", text.name())
        item.titleLabel.setText(item.titleLabel.text)

    @property
    def text_colour(self) -> QColor:
        return _palette_colours(self)[1]

    @property
    def muted_colour(self) -> QColor:
        return _palette_colours(self)[2]

    def redraw(self) -> None:
        """Draw the current data again (after a palette change)."""


class TimeChart(_ThemedPlot):
    """Values over time: calendar dates on the x axis, the value's unit on the y axis.

    Points are always marked (a line alone hides how sparse the measurements are), and
    each point's tooltip gives its date and value with the unit.
    """

    def __init__(self, title: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, {"bottom": _DateAxis(orientation="bottom")})
        self.setObjectName("timeChart")
        self.title = title
        self.unit = unit
        self.series: tuple[Series, ...] = ()
        self.bands: tuple[Band, ...] = ()
        self.setMinimumHeight(200)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.redraw()

    def set_data(self, series: Sequence[Series], bands: Sequence[Band] = ()) -> None:
        self.series = tuple(series)
        self.bands = tuple(bands)
        self.redraw()

    @property
    def point_count(self) -> int:
        return sum(len(s.values) for s in self.series)

    def redraw(self) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        text = self.text_colour
        # The series key sits in the title, coloured like its line: a legend box inside the
        # plot covered the newest points, which are the ones a physician looks at first.
        key = " · ".join(f"<span style='color:{SERIES_COLOURS[i % len(SERIES_COLOURS)]}'>"
                         f"&#9679; {html.escape(s.name)}</span>" for i, s in enumerate(self.series))
        title = html.escape(self.title) + (self.tr("<br><span style='font-size:9pt'>{key}</span>").format(
                                               key=key)
                                           if len(self.series) > 1 else "")
        item.setTitle(title, color=text.name(), size="11pt")
        item.setLabel("left", self.unit, color=text.name())
        item.setLabel("bottom", self.tr("date"), color=text.name())
        item.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)" on points or mmHg
        for band in self.bands:
            line = pg.InfiniteLine(pos=band.value, angle=0,
                                   pen=pg.mkPen(self.muted_colour, style=Qt.PenStyle.DotLine),
                                   label=band.label,
                                   labelOpts={"position": 0.02, "color": self.muted_colour,
                                              "anchors": [(0, 1), (0, 1)]})
            item.addItem(line)
        for i, s in enumerate(self.series):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            xs = [t.timestamp() for t in s.times]
            style = Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine
            curve = item.plot(xs, list(s.values), name=s.name,
                              pen=pg.mkPen(colour, width=2, style=style),
                              symbol="o", symbolSize=7, symbolBrush=colour, symbolPen=colour)
            tips = [f"{s.name}: {v:g} {self.unit}\n{t.astimezone():%Y-%m-%d}"
                    for t, v in zip(s.times, s.values, strict=True)]
            scatter = curve.scatter
            scatter.setData(xs, list(s.values), data=tips, hoverable=True,
                            tip=lambda x, y, data: data, symbol="o", size=7,
                            brush=colour, pen=colour)
        for side in ("bottom", "left"):  # an empty chart has no scale to label
            item.getAxis(side).setStyle(showValues=bool(self.series))
        if not self.series:
            empty = pg.TextItem(self.tr("No values recorded"), color=self.muted_colour, anchor=(0.5, 0.5))
            item.addItem(empty)
            empty.setPos(0.5, 0.5)
            item.getViewBox().setRange(xRange=(0, 1), yRange=(0, 1))
        else:
            xs = [t.timestamp() for s in self.series for t in s.times]
            lo, hi = min(xs), max(xs)
            if hi - lo < MIN_SPAN_S:  # one measurement: show a quarter either side, not seconds
                mid = (lo + hi) / 2
                lo, hi = mid - MIN_SPAN_S / 2, mid + MIN_SPAN_S / 2
            item.enableAutoRange(axis="y")
            item.getViewBox().setXRange(lo, hi, padding=0.05)


@dataclass(frozen=True)
class Bar:
    label: str  # "SBP 142 mmHg (2025-03-01)"
    value: float


class ContributionChart(_ThemedPlot):
    """Horizontal bars: how much each input moved the score, largest at the top.

    For the equation models a bar is the input's term in the linear predictor relative to
    the population mean (so bars right of zero raise the risk); for point scores a bar
    is the points the item adds. The axis title says which, with its unit.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, None)
        self.setObjectName("contributionChart")
        self.bars: tuple[Bar, ...] = ()
        self.axis_title = ""
        self.setMinimumHeight(160)
        self.plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.redraw()

    def set_data(self, bars: Sequence[Bar], axis_title: str) -> None:
        self.bars = tuple(sorted(bars, key=lambda b: abs(b.value)))
        self.axis_title = axis_title
        self.setMinimumHeight(max(160, 34 * len(self.bars) + 70))
        self.redraw()

    def redraw(self) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        text = self.text_colour
        item.setLabel("bottom", self.axis_title, color=text.name())
        item.getAxis("bottom").enableAutoSIPrefix(False)
        if not self.bars:
            item.getAxis("left").setTicks([[]])
            return
        ys = list(range(len(self.bars)))
        values = [b.value for b in self.bars]
        brushes = [pg.mkBrush(POSITIVE if v >= 0 else NEGATIVE) for v in values]
        item.addItem(pg.BarGraphItem(x0=[min(v, 0.0) for v in values],
                                     width=[abs(v) for v in values], y=ys, height=0.6,
                                     brushes=brushes, pens=[pg.mkPen(None)] * len(values)))
        item.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(self.muted_colour)))
        left = item.getAxis("left")
        left.setTicks([[(y, b.label) for y, b in zip(ys, self.bars, strict=True)]])
        metrics = QFontMetrics(self.plot.font())
        left.setWidth(max(metrics.horizontalAdvance(b.label) for b in self.bars) + 16)
        span = max(abs(v) for v in values) or 1.0
        item.getViewBox().setRange(xRange=(min(0.0, min(values)) - 0.05 * span,
                                           max(0.0, max(values)) + 0.05 * span),
                                   yRange=(-0.6, len(values) - 0.4), padding=0)
