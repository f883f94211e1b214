"""The risk panel: every applicable model's score for one patient, and why it is what it is.

Left, one row per model with its value and category (or "cannot compute"); right, the
selected model in full: value and category, flags, the inputs used with value, unit,
date and source (stale ones marked in words and colour), the missing inputs with what
would supply them and a button to enter them for this scoring (in the what-if, which
stores nothing), a contribution chart, and the model card with the demo banner.

Each input's share of the score is in the chart below the table, not in a table column:
at 1280x800 a fifth column pushed the dates and sources out of sight.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.inference.risk_variants import screen_notes
from clinic_app.core.reports.wording import percent_text, plain_source, translate_source
from clinic_app.i18n import translate
from clinic_app.services.risk_overview import STALE_AFTER_MONTHS
from clinic_app.ui.physician import site_units
from clinic_app.ui.physician.charts import Bar, ContributionChart
from clinic_app.ui.physician.presentation import (
    banner_for,
    day,
    fill_table,
    input_date,
    plain_flag,
    points_text,
    read_only_table,
    score_summary,
    shown_reason,
    value_text,
)
from clinic_app.ui.physician.uncertain_inputs import UncertainInputsBox
from clinic_app.ui.physician.views import ExplanationView, ScoreView
from clinic_app.ui.theme import set_banner

STALE_BACKGROUND = QColor(214, 160, 0, 90)  # translucent amber: readable on dark and light

def demo_text() -> str:
    """The demo-model warning, in the language of the account signed in when it is shown."""
    return translate(
        "physician.risk_panel",
        "DEMO MODEL — NOT FOR CLINICAL USE. This model was built for demonstration; "
        "do not base treatment decisions on it.",
    )


def _label(text: str = "", *, wrap: bool = True, hint: bool = False, heading: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if hint:
        label.setProperty("hint", True)
    if heading:
        label.setProperty("heading", True)
    return label


class ModelDetail(QWidget):
    """One model's result in full (what the right side of the panel shows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelDetail")
        self.result: ScoreView | None = None
        layout = QVBoxLayout(self)
        self.demo_banner = _label(demo_text())
        self.demo_banner.setObjectName("demoBanner")
        set_banner(self.demo_banner, "error")
        self.title = _label(heading=True)
        self.title.setObjectName("modelTitle")
        row = QHBoxLayout()
        self.value = _label(wrap=False)
        self.value.setObjectName("scoreValue")
        self.value.setStyleSheet("font-size: 22pt; font-weight: 600;")
        self.category = _label(wrap=False)
        self.category.setObjectName("scoreCategory")
        row.addWidget(self.value)
        row.addWidget(self.category)
        row.addStretch(1)
        self.also = _label()
        self.also.setObjectName("scoreAlso")
        self.as_of = _label(hint=True)
        self.as_of.setObjectName("scoreAsOf")
        self.cannot = _label()
        self.cannot.setObjectName("cannotCompute")
        set_banner(self.cannot, "error")
        self.flags = _label()
        self.flags.setObjectName("scoreFlags")
        set_banner(self.flags, "warn")
        self.uncertain = UncertainInputsBox()  # its own visibility: only with uncertain inputs

        self.inputs_box = QGroupBox(self.tr("Inputs used"))
        self.inputs = read_only_table([self.tr("Input"), self.tr("Value"), self.tr("Date"),
                                       self.tr("Source")])
        self.inputs.setObjectName("inputsTable")
        _fit_columns(self.inputs, stretch=SOURCE_COLUMN)
        box = QVBoxLayout(self.inputs_box)
        box.addWidget(self.inputs)
        self.stale_note = _label(self.tr("Highlighted rows (marked “stale”) were measured more than "
                                         "{STALE_AFTER_MONTHS} months before the scoring date: they still "
                                         "count, but consider repeating the measurement.").format(
                                     STALE_AFTER_MONTHS=STALE_AFTER_MONTHS),
                                 hint=True)
        box.addWidget(self.stale_note)

        self.missing_box = QGroupBox(self.tr("Missing inputs"))
        self.missing = read_only_table([self.tr("Input"), self.tr("What would supply it")])
        self.missing.setObjectName("missingTable")
        self.enter_missing = QPushButton(self.tr("Enter the missing values for this scoring…"))
        self.enter_missing.setObjectName("enterMissing")
        self.enter_missing.setToolTip(self.tr(
            "Opens the what-if on this model with the missing inputs to fill in. What you "
            "enter is used for that one calculation, marked as entered by you, and is not "
            "stored in the record."))
        missing_layout = QVBoxLayout(self.missing_box)
        missing_layout.addWidget(self.missing)
        missing_layout.addWidget(self.enter_missing, 0, Qt.AlignmentFlag.AlignLeft)

        self.chart_box = QGroupBox(self.tr("What drives this score"))
        self.reference = _label()
        self.reference.setObjectName("referenceRisk")
        self.chart = ContributionChart()
        self.chart_note = _label(hint=True)
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.addWidget(self.reference)
        chart_layout.addWidget(self.chart)
        chart_layout.addWidget(self.chart_note)

        self.card_box = QGroupBox(self.tr("Model card"))
        self.card = _label()
        self.card.setObjectName("modelCard")
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.setOpenExternalLinks(False)
        QVBoxLayout(self.card_box).addWidget(self.card)

        for heading in (self.demo_banner, self.title):
            layout.addWidget(heading)
        layout.addLayout(row)
        sections: tuple[QWidget, ...] = (self.also, self.as_of, self.cannot, self.flags, self.uncertain,
                                         self.inputs_box, self.missing_box,
                                         self.chart_box, self.card_box)
        for widget in sections:
            layout.addWidget(widget)
        self._sections: tuple[QWidget, ...] = (
            self.demo_banner, self.title, self.value, self.category, self.also, self.as_of,
            self.cannot,
            self.flags, self.inputs_box, self.missing_box, self.chart_box, self.card_box)
        layout.addStretch(1)
        self.show_result(None)

    def show_result(self, result: ScoreView | None) -> None:
        self.result = result
        self.uncertain.show_for(result)
        for widget in self._sections:
            widget.setVisible(result is not None)
        if result is None:
            return
        card = result.card
        self.demo_banner.setVisible(card.demo)
        self.title.setText(self.tr("{term}  (version {version})").format(
                               term=_term(card.name), version=card.version))
        if result.value is None:
            self.value.setText(self.tr("Cannot compute"))
            self.category.setText("")
            self.category.setVisible(False)
            reason = shown_reason(result)  # "Cannot compute <model>: …" already says so
            self.cannot.setText(reason if result.reason.startswith("Cannot compute ")
                                else self.tr("Cannot compute: {reason}").format(reason=reason))
        else:
            self.value.setText(result.value_text)
            self.category.setText(_term(result.category) if result.category else "")
            self.category.setVisible(bool(result.category))
            set_banner(self.category, banner_for(result.category))
            self.cannot.setVisible(False)
        self.as_of.setText(
            self.tr("Record as of {day}").format(day=day(result.as_of))
            + (
                self.tr("; computed with {provider}.").format(provider=result.provider)
                if result.value is not None and result.provider
                else "."
            )
        )
        labels = {i.name: i.label for i in result.inputs}
        notes = [f"ⓘ {n}" for n in screen_notes(card.id)]  # inputs a variant counts as missing
        self.flags.setText("\n".join([*(f"⚠ {plain_flag(f, labels)}" for f in result.flags),
                                      *notes]))
        self.flags.setVisible(bool(result.flags) or bool(notes))
        self.also.setText(self.tr("Also: ") + "; ".join(result.also) if result.also else "")
        self.also.setVisible(bool(result.also))

        explained = result.explanation
        rows = [[_term(i.label), value_text(i.value, i.unit, i.name), input_date(i),
                 plain_source(i.source)] for i in result.inputs]
        fill_table(self.inputs, rows)
        for r, item in enumerate(result.inputs):
            if item.stale:
                for c in range(self.inputs.columnCount()):
                    cell = self.inputs.item(r, c)
                    if cell is not None:
                        cell.setBackground(QBrush(STALE_BACKGROUND))
        self.inputs_box.setTitle(self.tr("Inputs used") if result.value is not None
                                 else self.tr("Inputs found in the record"))
        self.inputs_box.setVisible(bool(result.inputs))
        self.stale_note.setVisible(any(i.stale for i in result.inputs))

        fill_table(self.missing, [[_term(m.label), translate_source(m.supplied_by)] for m in result.missing])
        self.missing_box.setVisible(bool(result.missing))

        if explained is not None:
            self._show_explanation(result, explained)
            return
        self.reference.setVisible(False)
        bars = [Bar(f"{_term(i.label)}: {value_text(i.value, i.unit, i.name)}", i.contribution)
                for i in result.inputs if i.contribution is not None]
        self.chart.set_data(bars, result.contribution_unit)
        self.chart_box.setVisible(bool(bars))
        self.chart_note.setText(
            self.tr("Each bar is the points that item adds to the score.") if result.contribution_unit
            == "points" else "")
        self._show_card(result)

    def _show_explanation(self, result: ScoreView, e: ExplanationView) -> None:
        self.reference.setVisible(True)
        self.reference.setText(self.tr(
            "Not modifiable: a person with the {reference} would have a risk of {reference_risk}."
            "\nModifiable factors: this patient's risk is {risk}, {difference} from that.").format(
            reference=_term(e.reference).replace(", optimal", " and optimal"),
            reference_risk=percent_text(e.reference_points / 100),
            risk=percent_text(e.risk_points / 100),
            difference=points_text(e.risk_points - e.reference_points)))
        bars = [Bar(f"{_term(s.label)}: {s.value}" if s.value else _term(s.label), s.points)
                for s in e.shares]
        self.chart.set_data(bars, self.tr("percentage points of absolute risk"))
        self.chart_box.setVisible(True)
        self.chart_note.setText(
            self.tr("Each bar is how much that factor adds to the risk (right) or takes away (left), against "
                    "optimal values; the bars add up to the difference above. Each factor's share is "
                    "averaged over every order in which the factors could be improved (Shapley values). "
                    "Optimal values: {optimal_text}.").format(
                optimal_text=site_units.optimal_text(optimal_text()))
            + (self.tr("\nChina-PAR's publications give no optimal values of their own, so the "
                       "reference person is defined the US way above; China-PAR's own "
                       "coefficients compute both risks.") if result.model_id.startswith("china-par")
               else ""))
        self._show_card(result)

    def _show_card(self, result: ScoreView) -> None:
        card = result.card
        refs = "".join(f"<li>{_escape(r)}</li>" for r in card.references)
        ranges = "".join(f"<li>{_escape(r)}</li>" for r in card.valid_ranges)
        self.card.setText(
            self.tr("<b>{escape}</b>, version {escape2} (id {escape3})<p><b>Intended use:</b> "
                    "{escape4}</p><p><b>Valid input "
                    "ranges:</b></p><ul>{value}</ul><p><b>References:</b></p><ul>{value2}</ul>").format(
                escape=_escape(_term(card.name)), escape2=_escape(card.version), escape3=_escape(card.id),
                escape4=_escape(card.intended_use),
                value=ranges or f"<li>{self.tr('not stated')}</li>",
                value2=refs or f"<li>{self.tr('none')}</li>")
            + (self.tr("<p><b>Demo model: not for clinical use.</b></p>") if card.demo else ""))


def optimal_text() -> str:
    """The optimal-risk-factor profile, in the language of whoever is signed in now."""
    return translate(
        "physician.risk_panel",
        "total cholesterol 170 mg/dL, HDL cholesterol 50 mg/dL, systolic blood "
        "pressure 110 mmHg without treatment, not smoking, no diabetes (as the ACC "
        "ASCVD Risk Estimator Plus defines them)",
    )


SOURCE_COLUMN = 3


def _fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Short columns sized to their text and the ``stretch`` column taking what is left
    (elided; the full text is in each cell's tooltip), so no column hides off the right."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)


def _term(text: str) -> str:
    """A manifest text (model name, input label, category) in the reader's language."""
    return translate("model_terms", text)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


class RiskPanel(QWidget):
    """All models for one patient: a list to pick from and the selected model's detail."""

    model_selected = Signal(str)
    #: model id: the physician wants to enter that model's missing inputs for one scoring
    enter_missing_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskPanel")
        self.results: tuple[ScoreView, ...] = ()
        self.models = QListWidget()
        self.models.setObjectName("modelList")
        self.models.setAccessibleName(self.tr("Risk models"))
        self.models.setMinimumWidth(190)
        self.models.setWordWrap(True)
        self.models.setSpacing(2)
        self.models.currentRowChanged.connect(self._on_row)
        self.detail = ModelDetail()
        self.detail.enter_missing.clicked.connect(self._on_enter_missing)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        self.empty = _label(self.tr("No risk model applies to this patient yet, or scores have not "
                            "been computed: use “Recompute all scores”."), hint=True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.models)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 810])  # the list at its minimum: the inputs table needs the width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)

    def set_results(self, results: Sequence[ScoreView]) -> None:
        current = self.current_model_id()
        self.results = tuple(results)
        self.models.blockSignals(True)
        self.models.clear()
        for result in self.results:
            item = QListWidgetItem(f"{_term(result.card.name)}\n{score_summary(result)}")
            item.setData(Qt.ItemDataRole.UserRole, result.model_id)
            item.setToolTip(score_summary(result))
            self.models.addItem(item)
        self.models.blockSignals(False)
        self.empty.setVisible(not self.results)
        ids = [r.model_id for r in self.results]
        self.models.setCurrentRow(ids.index(current) if current in ids else (0 if ids else -1))
        if not ids:
            self.detail.show_result(None)

    def current_model_id(self) -> str | None:
        item = self.models.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select_model(self, model_id: str) -> None:
        for row in range(self.models.count()):
            if self.models.item(row).data(Qt.ItemDataRole.UserRole) == model_id:
                self.models.setCurrentRow(row)
                return

    def _on_row(self, row: int) -> None:
        result = self.results[row] if 0 <= row < len(self.results) else None
        self.detail.show_result(result)
        if result is not None:
            self.model_selected.emit(result.model_id)

    def _on_enter_missing(self) -> None:
        model_id = self.current_model_id()
        if model_id is not None:
            self.enter_missing_requested.emit(model_id)
