""""Save to the record…" for values the physician entered for missing inputs.

Why a step of its own: a what-if with a value the record lacks stays hypothetical
("entered by you; not in the record"). Saving it needs the physician's confirmation and
where the value comes from; the workspace then stores it through the entered-values
service (audited, shown afterwards as "entered by <user> on <date>") and reopens the
patient so every score uses it. Only measured values (labs, vital signs) are offered:
a yes/no answer belongs in the problem list or an uncertain-input confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services.entered_values import saveable


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class SaveEnteredDialog(QDialog):
    """The values to be saved and why; nothing is stored on Cancel."""

    def __init__(self, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveEnteredDialog")
        self.setWindowTitle(self.tr("Save entered values to the record"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(self.tr("Save these values to the patient's record?")))
        for line in lines:
            layout.addWidget(_plain(f"• {line}"))
        self.reason = QLineEdit()
        self.reason.setObjectName("saveEnteredReason")
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("Where the value comes from (for example: measured "
                                               "in clinic today)"))
        layout.addWidget(self.reason)
        layout.addWidget(_plain(self.tr(
            "They are stored with your name, today's date and this reason, shown as entered by "
            "you (never as an imported result), and used by every later score.")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save to the record"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))


class SaveEnteredBox(QWidget):
    """Under a what-if result: the entered values that can be saved, and "Save to the record…"."""

    #: ({input name: value}, reason): the workspace saves them on a worker.
    save_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveEnteredBox")
        self.values: dict[str, Any] = {}
        self.lines: list[str] = []
        self.dialog: SaveEnteredDialog | None = None
        self.note = _plain("")
        self.note.setProperty("hint", True)
        self.button = QPushButton(self.tr("Save to the record…"))
        self.button.setObjectName("saveEnteredButton")
        self.button.setToolTip(self.tr("Store the values you entered as facts of the record, "
                                       "with your name and a reason"))
        self.button.clicked.connect(self.ask)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.note, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)

    def offer(self, entered: Mapping[str, Any], lines: Mapping[str, str]) -> None:
        """``entered``: the values typed for inputs the record lacks; ``lines``: each in
        words ("HDL cholesterol → 50 mg/dL"). Shown only when one of them can be saved."""
        self.values = {k: v for k, v in entered.items() if saveable(k)}
        self.lines = [lines[k] for k in self.values if k in lines]
        self.note.setText(self.tr("Used for this calculation only, not saved: {values}.").format(
            values="; ".join(self.lines)))
        self.button.setEnabled(True)
        self.setVisible(bool(self.values))

    def ask(self) -> None:
        self.dialog = SaveEnteredDialog(self.lines, self)
        self.dialog.accepted.connect(self._confirmed)
        self.dialog.open()

    def _confirmed(self) -> None:
        if self.dialog is None or not self.values:
            return
        self.button.setEnabled(False)  # until the reopened patient comes back
        self.save_requested.emit(dict(self.values), self.dialog.reason.text().strip())

    def enable(self) -> None:
        """Button back on (after an error: nothing was stored)."""
        self.button.setEnabled(True)
