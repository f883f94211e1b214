"""Trends: each score recomputed at past dates, and the measurements behind it over time.

The score chart asks the risk service to recompute the model as the record stood on
each date a measurement was taken (nothing is stored); the charts below plot every
recorded value of blood pressure, lipids, HbA1c, BMI and creatinine with its date. A
date where the score could not be computed (an input missing then) is listed, not
drawn as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.core.records.facts import Observation
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.ui.physician import site_units
from clinic_app.ui.physician.charts import Series, TimeChart
from clinic_app.ui.physician.presentation import display_unit, shown_refusal_detail
from clinic_app.ui.physician.views import ScoreView

# Titles and legends stay English here (the title also names the chart) and are translated
# when a chart is built, so a second account signed in to the same app reads its own language.
#: (chart title, unit, [(fact name, legend)]) for the measurement charts.
FACT_CHARTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("physician.trends", "Blood pressure"),
        "mmHg",
        (("systolic_bp", QT_TRANSLATE_NOOP("physician.trends", "systolic")),
         ("diastolic_bp", QT_TRANSLATE_NOOP("physician.trends", "diastolic"))),
    ),
    (
        QT_TRANSLATE_NOOP("physician.trends", "Lipids"),
        "mg/dL",
        (
            ("total_cholesterol", QT_TRANSLATE_NOOP("physician.trends", "total cholesterol")),
            ("hdl_cholesterol", "HDL"),
            ("ldl_cholesterol", "LDL"),
            ("triglycerides", QT_TRANSLATE_NOOP("physician.trends", "triglycerides")),
        ),
    ),
    (QT_TRANSLATE_NOOP("physician.trends", "HbA1c"), "%", (("hba1c", QT_TRANSLATE_NOOP("physician.trends", "HbA1c")),)),
    (QT_TRANSLATE_NOOP("physician.trends", "Body mass index"), "kg/m²", (("bmi", "BMI"),)),
    (QT_TRANSLATE_NOOP("physician.trends", "Creatinine"), "mg/dL",
     (("creatinine", QT_TRANSLATE_NOOP("physician.trends", "creatinine")),)),
)
FACT_NAMES = tuple(name for _t, _u, facts in FACT_CHARTS for name, _l in facts)
@dataclass(frozen=True)
class TrendData:
    model_id: str
    scores: tuple[ScoreView, ...]
    history: Mapping[str, Sequence[Observation]]


class TrendsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendsView")
        self.model = QComboBox()
        self.model.setObjectName("trendModel")
        self.model.setAccessibleName(self.tr("Risk model to recompute over time"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Score over time:")))
        top.addWidget(self.model, 1)
        self.score_chart = TimeChart(self.tr("Score recomputed as the record stood on each date"), "")
        self.score_chart.setObjectName("scoreTrend")
        self.gaps = QLabel()
        self.gaps.setObjectName("trendGaps")
        self.gaps.setWordWrap(True)
        self.gaps.setProperty("hint", True)
        self.fact_charts: dict[str, TimeChart] = {}
        grid = QGridLayout()
        for i, (title, unit, _facts) in enumerate(FACT_CHARTS):
            chart = TimeChart(translate("physician.trends", title), unit)
            chart.setObjectName(f"trend_{title.split()[0].lower()}")
            self.fact_charts[title] = chart
            grid.addWidget(chart, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.score_chart)
        layout.addWidget(self.gaps)
        layout.addLayout(grid)

    def set_models(self, models: Sequence[tuple[str, str]], current: str | None) -> None:
        self.model.blockSignals(True)
        self.model.clear()
        for model_id, title in models:
            self.model.addItem(title, model_id)
        index = self.model.findData(current)
        self.model.setCurrentIndex(max(index, 0))
        self.model.blockSignals(False)

    def show_history(self, history: Mapping[str, Sequence[Observation]]) -> None:
        for title, unit, facts in FACT_CHARTS:
            series = []
            for name, legend in facts:
                obs = [o for o in history.get(name, ()) if o.value is not None]
                if obs:
                    series.append(Series(translate("physician.trends", legend), tuple(o.effective for o in obs),
                                         tuple(site_units.plotted(name, float(o.value), o.unit)
                                               for o in obs if o.value is not None)))
            chart = self.fact_charts[title]
            chart.unit = display_unit(site_units.shown_unit(facts[0][0], unit))
            chart.set_data(series)

    def show_scores(self, scores: Sequence[ScoreView]) -> None:
        computed = [s for s in scores if s.value is not None]
        missing = [s for s in scores if s.value is None]
        probability = any(s.value_text.endswith("%") for s in computed)
        scale = 100.0 if probability else 1.0
        unit = self.tr("% (10-year risk)") if probability else self.tr("points / score")
        name = translate("model_terms", scores[0].card.name) if scores else ""
        self.score_chart.title = name or self.tr("Score over time")
        self.score_chart.unit = unit
        self.score_chart.set_data(
            [Series(name, tuple(s.as_of for s in computed),
                    tuple(float(s.value) * scale for s in computed if s.value is not None))]
            if computed else [])
        if missing:
            days = ", ".join(m.as_of.astimezone().strftime("%Y-%m-%d") for m in missing[:8])
            more = self.tr(" and {value} more").format(value=len(missing) - 8) if len(missing) > 8 else ""
            self.gaps.setText(self.tr("Could not be computed on {days}{more}: {reason}").format(
                                  days=days, more=more, reason=shown_refusal_detail(missing[-1])))
        else:
            self.gaps.setText("")
        self.gaps.setVisible(bool(missing))
