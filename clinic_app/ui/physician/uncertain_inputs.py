"""Inputs the record leaves uncertain, shown in the risk panel with a Confirm… action.

Why a box of its own: an unclassified drug ("zanolol 5 mg — drug class not recognised")
must not read as "not on blood-pressure medication" without the physician seeing it.
Each uncertain input of the selected model is listed with its reason; Confirm… asks for
the answer and a reason, and the workspace records it through the records service
(audited, kept apart from the facts) and rescores on a worker. A confirmed input is shown
as the physician's statement ("confirmed by … on …"), never as something the record says.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services.uncertain_inputs import UncertainInput
from clinic_app.ui.physician.presentation import day
from clinic_app.ui.physician.views import ScoreView
from clinic_app.ui.theme import set_banner


def _plain(text: str) -> QLabel:
    """A word-wrapped label that never interprets patient-derived text as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConfirmInputDialog(QDialog):
    """Ask the physician for the input's value and why; nothing is recorded on Cancel."""

    def __init__(self, label: str, item: UncertainInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmInputDialog")
        self.setWindowTitle(self.tr("Confirm an uncertain input"))
        self.setMinimumWidth(460)
        self.item = item
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(self.tr("The record cannot settle “{label}”: {reason}.")
                                .format(label=label, reason=item.reason)))
        question = _plain(self.tr("{label}?").format(label=label))
        question.setProperty("heading", True)
        layout.addWidget(question)
        self.yes = QRadioButton(self.tr("Yes"))
        self.yes.setObjectName("confirmYes")
        self.no = QRadioButton(self.tr("No"))
        self.no.setObjectName("confirmNo")
        group = QButtonGroup(self)
        for button in (self.yes, self.no):
            group.addButton(button)
            layout.addWidget(button)
        self.reason = QLineEdit()
        self.reason.setObjectName("confirmReason")
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("Why (for example: takes it for hypertension, "
                                               "per the patient)"))
        layout.addWidget(self.reason)
        layout.addWidget(_plain(self.tr(
            "Your answer is recorded with your name and today's date and shown as your "
            "confirmation, never as a medication or other record fact. It applies while "
            "these same drugs are unclassified.")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirm"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for signal in (self.yes.toggled, self.no.toggled, self.reason.textChanged):
            signal.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        ready = (self.yes.isChecked() or self.no.isChecked()) and bool(self.reason.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def answer(self) -> tuple[bool, str]:
        return self.yes.isChecked(), self.reason.text().strip()


class UncertainInputsBox(QGroupBox):
    """The selected model's uncertain inputs, each with its reason and a Confirm… button."""

    #: (input name, value, subject, reason): the workspace records it on a worker.
    confirm_requested = Signal(str, bool, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uncertainInputs")
        self.setTitle(self.tr("Uncertain inputs"))
        self.items: tuple[UncertainInput, ...] = ()
        self.rows: dict[str, tuple[QLabel, QPushButton]] = {}
        self.dialog: ConfirmInputDialog | None = None
        self._layout = QVBoxLayout(self)
        self._rows: QWidget | None = None
        self._rows_layout = QVBoxLayout()
        self.setVisible(False)

    def set_items(self, items: Sequence[UncertainInput]) -> None:
        """The patient's uncertain inputs (from the records service); shown per model."""
        self.items = tuple(items)

    def show_for(self, result: ScoreView | None) -> None:
        """List the uncertain inputs ``result``'s model reads (hidden when there are none)."""
        if self._rows is not None:  # a fresh container: simpler than emptying nested layouts
            self._layout.removeWidget(self._rows)
            self._rows.deleteLater()
        self._rows = QWidget()
        self._rows_layout = QVBoxLayout(self._rows)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._rows)
        self.rows = {}
        labels = {} if result is None else {
            **{m.name: m.label for m in result.missing}, **{i.name: i.label for i in result.inputs}}
        shown = [item for item in self.items if item.feature in labels]
        for item in shown:
            self._add_row(labels[item.feature], item)
        self.setVisible(bool(shown))

    def _add_row(self, label: str, item: UncertainInput) -> None:
        done = item.confirmation
        if done is None:
            text = self.tr("{label}: uncertain. {reason}. Scored as “no” until you confirm "
                           "it.").format(label=label, reason=item.reason)
        else:
            text = self.tr("{label}: {answer}, confirmed by {user} on {date} (“{why}”). A "
                           "physician's statement, not a record fact: {reason}.").format(
                label=label, answer=self.tr("yes") if done.value == "true" else self.tr("no"),
                user=done.confirmed_by, date=day(done.confirmed_at), why=done.reason,
                reason=item.reason)
        text_label = _plain(text)
        text_label.setObjectName(f"uncertain_{item.feature}")
        set_banner(text_label, "warn" if done is None else "info")
        button = QPushButton(self.tr("Confirm…") if done is None else self.tr("Change…"))
        button.setObjectName(f"confirm_{item.feature}")
        button.setAccessibleName(self.tr("Confirm {label}").format(label=label))
        button.clicked.connect(lambda _checked=False, i=item, lab=label: self._ask(lab, i))
        row = QHBoxLayout()
        row.addWidget(text_label, 1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._rows_layout.addLayout(row)
        self.rows[item.feature] = (text_label, button)

    def _ask(self, label: str, item: UncertainInput) -> None:
        self.dialog = ConfirmInputDialog(label, item, self)
        self.dialog.accepted.connect(self._confirmed)
        self.dialog.open()

    def _confirmed(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        value, reason = dialog.answer()
        for _text, button in self.rows.values():
            button.setEnabled(False)  # until the rescored patient comes back
        self.confirm_requested.emit(dialog.item.feature, value, dialog.item.subject, reason)

    def enable(self) -> None:
        """Buttons back on (after an error: nothing was recorded)."""
        for _text, button in self.rows.values():
            button.setEnabled(True)

