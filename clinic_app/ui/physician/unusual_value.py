"""The what-if's "did you mean µmol/L?" row, kept apart from the form it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from clinic_app.core.records.inputs import unit_word
from clinic_app.errors import UnusualValue
from clinic_app.ui.theme import set_banner


class UnusualValueBox(QWidget):
    """"Did you mean µmol/L?" with a way out: a possible but unusual value (bilirubin 34
    mg/dL) is sent again with its unit, which skips only that plausibility check; the
    service still refuses anything outside the hard bounds."""

    def __init__(self, parent: QWidget, compute: Callable[[str, dict[str, Any]], None]) -> None:
        super().__init__(parent)
        self.compute = compute  # the what-if panel's request: (model id, overrides)
        self.pending: tuple[str, dict[str, Any]] | None = None
        self.message = QLabel()
        self.message.setObjectName("whatIfUnusual")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        set_banner(self.message, "warn")
        self.use = QPushButton()
        self.use.setObjectName("whatIfUseAsEntered")
        self.use.clicked.connect(self._use)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.use)
        self.setVisible(False)

    def offer(self, model_id: str, overrides: dict[str, Any], error: UnusualValue) -> None:
        shown = f"{error.value:g} {unit_word(error.unit)}"
        self.message.setText(str(error))
        self.use.setText(self.tr("Use {value} as entered").format(value=shown))
        self.use.setAccessibleName(self.use.text())
        confirmed = dict(overrides)
        confirmed[error.feature] = {"value": error.value, "unit": error.unit}
        self.pending = (model_id, confirmed)
        self.setVisible(True)

    def _use(self) -> None:
        if self.pending is not None:
            model_id, confirmed = self.pending
            self.pending = None
            self.setVisible(False)
            self.compute(model_id, confirmed)
