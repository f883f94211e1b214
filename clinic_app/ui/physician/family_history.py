"""Recording a family history of heart attack or stroke the record does not hold.

China-PAR asks it of men, and exports rarely carry it (FHIR FamilyMemberHistory is not
imported; ICD-10 Z82.3/Z82.4 on the problem list is read when present). The answer is never
assumed: the physician asks the patient and records it here. The service keeps it apart
from the imported facts, with who and when, and audits it
(``RecordsService.record_family_history``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


class FamilyHistoryDialog(QDialog):
    """Yes or no (nothing preselected), and how it was established."""

    def __init__(self, patient_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("familyHistoryDialog")
        self.setWindowTitle(self.tr("Family history of heart attack or stroke"))
        question = QLabel(self.tr("Has a parent or sibling of {name} had a heart attack "
                                  "(myocardial infarction) or a stroke?").format(
            name=patient_name))
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)
        note = QLabel(self.tr("China-PAR uses this for men. The answer is recorded with your "
                              "name and the time, apart from the imported record; record it "
                              "again to change it."))
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setProperty("hint", True)
        self.yes = QRadioButton(self.tr("Yes"))
        self.no = QRadioButton(self.tr("No"))
        self.choice = QButtonGroup(self)
        for button in (self.yes, self.no):
            self.choice.addButton(button)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("How it was established, e.g. asked at today's "
                                               "visit"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._ok().setEnabled(False)
        # Like every physician's confirmation, an answer is recorded with how it was known.
        self.choice.buttonToggled.connect(lambda *_: self._update_ok())
        self.reason.textChanged.connect(lambda _t: self._update_ok())
        layout = QVBoxLayout(self)
        for widget in (question, self.yes, self.no, self.reason, note, self.buttons):
            layout.addWidget(widget)
        self.resize(520, self.sizeHint().height())

    def _update_ok(self) -> None:
        self._ok().setEnabled(self.choice.checkedButton() is not None
                              and bool(self.reason.text().strip()))

    def _ok(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def answer(self) -> tuple[bool, str]:
        """(parent or sibling affected, how it was established)."""
        return self.yes.isChecked(), self.reason.text().strip()


def ask_and_record(parent: QWidget, name: str, submit: Callable[[bool, str], Any]) -> Any:
    """Show the dialog; on OK hand the answer to ``submit`` (which runs the service call
    on a worker and reloads the patient). Returns what ``submit`` returns, else None."""
    dialog = FamilyHistoryDialog(name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return submit(*dialog.answer())
