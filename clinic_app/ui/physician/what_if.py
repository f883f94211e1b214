"""What-if: change an input the physician can act on and see the new risk beside the current.

The form offers the model's modifiable inputs (SBP, smoking, blood-pressure treatment,
lipids, a statin where the model takes one) and any input the record lacks (race for the
Pooled Cohort Equations), each starting "as recorded". The risk service recomputes with
the changes and stores nothing; the result is shown under a HYPOTHETICAL banner, next
to the current score, and disappears when the patient or the form changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.records.inputs import unit_word
from clinic_app.core.reports.wording import percent_text
from clinic_app.errors import UnusualValue
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.services.risk_overview import InputSpec, ModelCardData
from clinic_app.services.risk_therapy import PCE, EstimatorPlus
from clinic_app.ui.physician import site_units
from clinic_app.ui.physician.presentation import banner_for, display_unit, score_summary, value_text
from clinic_app.ui.physician.save_entered import SaveEnteredBox
from clinic_app.ui.physician.unusual_value import UnusualValueBox
from clinic_app.ui.physician.views import ScoreView
from clinic_app.ui.theme import set_banner


def as_recorded() -> str:
    """The "as recorded" choice, translated when a control is built (not at import)."""
    return translate("physician.what_if", "as recorded")


#: Models whose therapy impact is projected by relative risks (no statin input needed).
THERAPY_MODELS = (PCE,)


def hypothetical() -> str:
    """The banner over a what-if result, in the language of whoever is signed in now."""
    return translate(
        "physician.what_if",
        "HYPOTHETICAL — not saved and not part of the record. This shows what the "
        "model would estimate if the changed inputs were true.",
    )


class WhatIfPanel(QWidget):
    #: (model id, overrides) — the workspace runs the service call on a worker.
    compute_requested = Signal(str, object)
    #: model id — the Estimator Plus therapy impact (models that project therapies by RR)
    therapy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whatIfPanel")
        self.cards: dict[str, ModelCardData] = {}
        self.current: dict[str, ScoreView] = {}
        self.controls: dict[str, QWidget] = {}
        self.missing: set[str] = set()  # inputs the record lacks: entered, they are marked so
        self.model = QComboBox()
        self.model.setObjectName("whatIfModel")
        self.model.setAccessibleName(self.tr("Risk model for the what-if"))
        self.form_box = QGroupBox(self.tr("Change inputs"))
        self.form = QFormLayout(self.form_box)
        self.quick = QHBoxLayout()
        self.sbp_button = QPushButton(self.tr("SBP to 120 mmHg"))
        self.smoking_button = QPushButton(self.tr("Stop smoking"))
        self.statin_button = QPushButton(self.tr("Start a statin"))
        for b in (self.sbp_button, self.smoking_button, self.statin_button):
            self.quick.addWidget(b)
        self.quick.addStretch(1)
        self.compute_button = QPushButton(self.tr("Compute what-if"))
        self.compute_button.setObjectName("computeWhatIf")
        self.reset_button = QPushButton(self.tr("Reset to recorded"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        self.banner = QLabel(hypothetical())
        self.banner.setObjectName("hypotheticalBanner")
        self.banner.setWordWrap(True)
        set_banner(self.banner, "info")
        self.current_label = QLabel()
        self.current_label.setObjectName("whatIfCurrent")
        self.new_label = QLabel()
        self.new_label.setObjectName("whatIfNew")
        for label in (self.current_label, self.new_label):
            label.setWordWrap(True)
            label.setStyleSheet("font-size: 14pt;")
        self.changes = QLabel()
        self.changes.setObjectName("whatIfChanges")
        self.changes.setWordWrap(True)
        self.changes.setProperty("hint", True)
        compare = QHBoxLayout()
        compare.addWidget(self.current_label, 1)
        compare.addWidget(self.new_label, 1)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Model:")))
        top.addWidget(self.model, 1)
        layout.addLayout(top)
        layout.addLayout(self.quick)
        layout.addWidget(self.form_box)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addLayout(compare)
        layout.addWidget(self.changes)
        self.save_entered = SaveEnteredBox(self)  # "Save to the record…" for entered values
        layout.addWidget(self.save_entered)
        self.therapy = QLabel()
        self.therapy.setObjectName("therapyImpact")
        self.therapy.setWordWrap(True)
        self.therapy.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.therapy)
        self.unusual = UnusualValueBox(self, self.compute_requested.emit)
        layout.addWidget(self.unusual)
        layout.addStretch(1)
        self.model.currentIndexChanged.connect(self._build_form)
        self.compute_button.clicked.connect(self._request)
        self.reset_button.clicked.connect(self._build_form)
        self.sbp_button.clicked.connect(lambda: self._set_number("systolic_bp", 120.0))
        self.smoking_button.clicked.connect(lambda: self._set_choice("smoker", "no"))
        self.statin_button.clicked.connect(self._statin)
        self.clear_result()

    # -- model and form ---------------------------------------------------------------------
    def set_patient(self, cards: Sequence[ModelCardData], current: Sequence[ScoreView]) -> None:
        self.cards = {c.id: c for c in cards}
        self.current = {s.model_id: s for s in current}
        selected = self.model.currentData()
        self.model.blockSignals(True)
        self.model.clear()
        for card in cards:
            self.model.addItem(translate("model_terms", card.name), card.id)
        self.model.setCurrentIndex(max(self.model.findData(selected), 0))
        self.model.blockSignals(False)
        self._build_form()

    def select_model(self, model_id: str) -> None:
        index = self.model.findData(model_id)
        if index >= 0:
            self.model.setCurrentIndex(index)

    def _card(self) -> ModelCardData | None:
        return self.cards.get(self.model.currentData())

    def _build_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.controls = {}
        self.clear_result()
        card = self._card()
        if card is None:
            return
        score = self.current.get(card.id)
        missing = {m.name for m in score.missing} if score is not None else set()
        self.missing = missing
        recorded = {i.name: i.value for i in score.inputs} if score is not None else {}
        for spec in card.inputs:
            if not (spec.modifiable or spec.name in missing):
                continue
            control = self._control(spec, recorded.get(spec.name), spec.name in missing)
            self.controls[spec.name] = control
            label = translate("model_terms", spec.label) + (
                self.tr("  (missing in the record)") if spec.name in missing else "")
            self.form.addRow(label, control)
        self.sbp_button.setEnabled("systolic_bp" in self.controls)
        self.smoking_button.setEnabled("smoker" in self.controls)
        has_statin = "statin" in self.controls
        self.statin_button.setEnabled(has_statin or card.id in THERAPY_MODELS)
        self.statin_button.setToolTip(
            "" if has_statin else self.tr("Projects the risk with a moderate- or high-intensity statin "
            "and other therapies, by the relative risk reductions the ACC ASCVD Risk "
            "Estimator Plus uses (Lloyd-Jones 2017).") if card.id in THERAPY_MODELS else
            self.tr("{name} does not take statin therapy as an input.").format(
                name=translate("model_terms", card.name)))
        self.compute_button.setEnabled(bool(self.controls))

    def _control(self, spec: InputSpec, recorded: object, missing: bool) -> QWidget:
        if spec.kind == "number":
            box = QDoubleSpinBox()
            lo, hi = spec.valid_range or (0.0, 1000.0)
            box.setRange(lo, hi)
            box.setDecimals(0 if spec.unit in ("mm[Hg]", "mg/dL") else 1)
            box.setSuffix(f" {display_unit(spec.unit)}" if spec.unit not in ("", "1") else "")
            box.setSpecialValueText(as_recorded())
            box.setMinimum(lo - 1)  # the value below the range means "as recorded"
            box.setValue(float(recorded) if isinstance(recorded, int | float) and
                         not isinstance(recorded, bool) else lo - 1)
            box.setProperty("recorded", box.value())
            site_units.adapt_box(box, spec.name, spec.unit, recorded)
            return box
        combo = QComboBox()
        shown = value_text(recorded, "") if recorded is not None else (self.tr("missing") if missing else "")
        combo.addItem(f"{as_recorded()} ({shown})" if shown else as_recorded(), None)
        # Item data are strings: PySide6 mis-counts references to Python bools held in a
        # QVariant (a crash at exit), so booleans are decoded in overrides().
        combo.setProperty("boolean", "yes" if spec.kind == "boolean" else "")
        if spec.kind == "boolean":
            choices = [(self.tr("yes"), "yes"), (self.tr("no"), "no")]
        else:
            choices = [(translate("model_terms", c), c) for c in spec.categories]
        for shown_choice, value in choices:
            combo.addItem(shown_choice, value)
        return combo

    def focus_missing(self) -> None:
        """Put the keyboard on the first input the record lacks (from the risk panel)."""
        first = next((c for name, c in self.controls.items() if name in self.missing), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _statin(self) -> None:
        card = self._card()
        if card is None:
            return
        if "statin" in self.controls:
            self._set_choice("statin", "yes")
        elif card.id in THERAPY_MODELS:
            self.therapy.setText(self.tr("Computing the therapy impact…"))
            self.therapy.setVisible(True)
            self.therapy_requested.emit(card.id)

    def show_therapy(self, model_id: str, plus: EstimatorPlus) -> None:
        """The Estimator Plus table: current, optimal and previous risk, each therapy."""
        t = plus.therapy
        lines = [self.tr("Therapy impact on the 10-year risk (Estimator Plus method): now {percent_text}").format(
                     percent_text=percent_text(t.current))]
        if plus.optimal_risk is not None:
            lines.append(self.tr("With optimal risk factors: {percent_text}").format(
                             percent_text=percent_text(plus.optimal_risk)))
        if plus.lifetime is not None:
            life = plus.lifetime
            lines.append(self.tr("Lifetime risk (to age 95): {percent_text} ({value}; with all risk factors "
                                 "optimal {percent_text2})").format(
                             percent_text=percent_text(life.risk, 0), value=life.stratum.value,
                             percent_text2=percent_text(life.optimal, 0)))
        if plus.previous is not None:
            lines.append(self.tr("Previous: {percent_text} on {isoformat}").format(
                             percent_text=plus.previous.value_text,
                             isoformat=plus.previous.as_of.date().isoformat()))
        for e in t.effects:
            note = f" — {e.note}" if e.note else ""
            lines.append(self.tr("  {value}: {percent_text} ({value2:+.1f} percentage points){note}").format(
                             value=_capital(_therapy_words(e.therapies)), percent_text=percent_text(e.risk),
                             value2=(e.risk - t.current) * 100, note=note))
        for therapy, why in t.not_offered.items():
            lines.append(self.tr("  {value}: not shown ({why})").format(
                             value=_capital(_therapy_words((therapy,))), why=why))
        if plus.ldl is not None:
            lines.append(
                self.tr("Statin projections use LDL cholesterol {ldl:.0f} mg/dL").format(ldl=plus.ldl)
                + (
                    self.tr(" of {isoformat}").format(isoformat=plus.ldl_date.date().isoformat())
                    if plus.ldl_date
                    else ""
                )
                + "."
            )
        lines.append(self.tr("Relative risks: {source}.").format(source=t.source))
        del model_id
        self.therapy.setText("\n".join(lines))
        self.therapy.setVisible(True)

    def _set_number(self, name: str, value: float) -> None:
        box = self.controls.get(name)
        if isinstance(box, QDoubleSpinBox):
            box.setValue(value)

    def _set_choice(self, name: str, text: str) -> None:
        combo = self.controls.get(name)
        if isinstance(combo, QComboBox):
            combo.setCurrentIndex(combo.findText(text))

    def overrides(self) -> dict[str, Any]:
        """The inputs the physician changed (name → value in the canonical unit)."""
        out: dict[str, Any] = {}
        for name, control in self.controls.items():
            if isinstance(control, QDoubleSpinBox):
                if control.value() != control.minimum() and control.value() != control.property("recorded"):
                    out[name] = site_units.entered(control, name)
            elif isinstance(control, QComboBox) and control.currentData() is not None:
                data = str(control.currentData())
                out[name] = (data == "yes") if control.property("boolean") == "yes" else data
        return out

    def _request(self) -> None:
        card = self._card()
        if card is not None:
            self.compute_requested.emit(card.id, self.overrides())

    # -- result ----------------------------------------------------------------------------------
    def clear_result(self) -> None:
        for w in (self.banner, self.current_label, self.new_label, self.changes):
            w.setVisible(False)
        if hasattr(self, "save_entered"):
            self.save_entered.setVisible(False)
        if hasattr(self, "therapy"):
            self.therapy.setVisible(False)
        if hasattr(self, "unusual"):
            self.unusual.setVisible(False)

    def show_result(self, model_id: str, overrides: dict[str, Any],
                    result: ScoreView | UnusualValue) -> None:
        if isinstance(result, UnusualValue):
            self.clear_result()
            self.unusual.offer(model_id, overrides, result)
            return
        current = self.current.get(model_id)
        self.current_label.setText(self.tr("Current (as recorded)\n")
                                   + (score_summary(current) if current is not None else "—"))
        self.new_label.setText(self.tr("What-if (hypothetical)\n") + score_summary(result)
                               + ("" if result.value is not None else f"\n{result.reason}"))
        set_banner(self.current_label, banner_for(current.category) if current is not None
                   and current.value is not None else "error")
        set_banner(self.new_label, banner_for(result.category) if result.value is not None
                   else "error")
        card = self.cards.get(model_id)
        labels = dict(card.labels) if card is not None else {}
        entered = self.tr("{input} → {value} (entered by you; not in the record)")
        changed = self.tr("{input} → {value}")
        self.changes.setText(self.tr("Changed: {changes}").format(changes="; ".join(
            (entered if k in self.missing else changed).format(input=translate("model_terms", labels.get(k, k)),
                                                               value=_changed_text(v))
            for k, v in overrides.items()) or self.tr("nothing (the score as recorded)")))
        for w in (self.banner, self.current_label, self.new_label, self.changes):
            w.setVisible(True)
        typed = {k: v for k, v in overrides.items() if k in self.missing}
        units = {spec.name: display_unit(spec.unit) for spec in card.inputs} if card is not None else {}
        self.save_entered.offer(typed, {k: changed.format(input=labels.get(k, k), value=(
            f"{v:g} {units.get(k, '')}".strip() if isinstance(v, int | float) and not isinstance(v, bool)
            else _changed_text(v))) for k, v in typed.items()})


def _changed_text(value: Any) -> str:
    if isinstance(value, dict):  # a value the physician confirmed with its unit
        return QCoreApplication.translate("WhatIfPanel", "{value} {unit} (confirmed as "
                                          "entered)").format(value=f"{value['value']:g}",
                                                             unit=unit_word(value["unit"]))
    return value_text(value, "")


#: The therapies of the Estimator Plus table (core/inference/therapy.py), for lupdate.
THERAPY_WORDS = (
    QT_TRANSLATE_NOOP("physician.what_if", "moderate-intensity statin"),
    QT_TRANSLATE_NOOP("physician.what_if", "high-intensity statin"),
    QT_TRANSLATE_NOOP("physician.what_if", "systolic pressure to 130 mmHg"),
    QT_TRANSLATE_NOOP("physician.what_if", "stop smoking"),
    QT_TRANSLATE_NOOP("physician.what_if", "aspirin"),
)


def _therapy_words(therapies: Iterable[str]) -> str:
    """"moderate-intensity statin + stop smoking" in the reader's language (each therapy
    is a StrEnum, so str() is its English value)."""
    return translate("physician.what_if", " + ").join(
        translate("physician.what_if", str(t)) for t in therapies)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
