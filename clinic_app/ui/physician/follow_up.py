"""The follow-up box under the risk panel: previous score, what changed, lifetime risk.

Text only, plain text (patient-derived values are never rich text), in clinical words and
units; the numbers come from :func:`clinic_app.services.risk_follow_up.follow_up`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_app.services.risk_follow_up import FollowUp
from clinic_app.services.score_outcome import ScoreOutcome
from clinic_app.ui.physician.presentation import display_unit


def _delta(before: float, after: float, unit: str) -> str:
    if unit == "probability":
        return QCoreApplication.translate("physician.follow_up", "{delta:+.1f} percentage points").format(
            delta=(after - before) * 100
        )
    return f"{after - before:+g}"


def _value(value: Any) -> str:
    if value is None:
        return QCoreApplication.translate("physician.follow_up", "not used")
    if isinstance(value, bool):
        return (QCoreApplication.translate("FollowUpView", "yes") if value
                else QCoreApplication.translate("FollowUpView", "no"))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _stored(s: ScoreOutcome) -> str:
    return QCoreApplication.translate("physician.follow_up", "{score} on {day}").format(
        score=s.value_text, day=s.as_of.date().isoformat()
    )


def follow_up_text(f: FollowUp) -> str:
    """The box's text for one model (several lines)."""
    lines = []
    if f.current is None:
        lines.append(QCoreApplication.translate("physician.follow_up", "No stored score for this model yet."))
    elif f.previous is None or f.change is None:
        lines.append(QCoreApplication.translate("physician.follow_up", "Now: {now}. No earlier score is "
                                                                           "stored to compare with.").format(
            now=_stored(f.current)))
    else:
        c = f.change
        lines.append(QCoreApplication.translate("physician.follow_up", "Previous: {before}. Now: {now} "
                                                                           "({delta}).").format(
            before=_stored(f.previous), now=_stored(f.current),
            delta=_delta(c.before, c.after, c.unit)))
        if c.version_changed:
            lines.append(QCoreApplication.translate("physician.follow_up", "The model was updated: version {old} "
                                                                               "then, {new} now.").format(
                old=c.version_before, new=c.version_after))
        if c.inputs:
            lines.append(QCoreApplication.translate("physician.follow_up", "What changed in the record:"))
        for i in c.inputs:
            unit = f" {display_unit(i.unit)}" if display_unit(i.unit) else ""
            when = QCoreApplication.translate("physician.follow_up", " (measured {old} and {new})").format(
                old=i.before_date.isoformat() if i.before_date else "-",
                new=i.after_date.isoformat() if i.after_date else "-") \
                if i.before_date != i.after_date else ""
            lines.append(QCoreApplication.translate("physician.follow_up", "  {label}: {old}{unit} then, "
                                                                               "{new}{unit} now{when}").format(
                label=i.label, old=_value(i.before), new=_value(i.after), unit=unit, when=when))
        if not c.inputs and not c.version_changed:
            lines.append(QCoreApplication.translate("physician.follow_up", "The inputs are the same; only the "
                                                                               "date of the calculation differs."))
        moved = [s for s in c.shares if abs(s.after - s.before) >= 0.0005]
        if moved:
            lines.append(QCoreApplication.translate("physician.follow_up", "Each factor's share of the risk above "
                                                                               "optimal:"))
        for s in moved:
            lines.append(QCoreApplication.translate("physician.follow_up", "  {label}: {old:+.1f} then, "
                                                                               "{new:+.1f} now (percentage points)")
                             .format(label=s.label, old=s.before * 100, new=s.after * 100))
    if f.lifetime is not None:
        life = f.lifetime
        lines.append(
            QCoreApplication.translate(
                    "physician.follow_up",
                    "Lifetime risk of heart attack or stroke (to age 95): {risk:.0f} % "
                    "({stratum}); with all risk factors optimal {optimal:.0f} %.",
                ).format(risk=life.risk * 100, stratum=life.stratum.value, optimal=life.optimal * 100)
        )
        if life.note:
            lines.append(f"  {life.note}")
    elif f.lifetime_note:
        lines.append(f.lifetime_note)
    return "\n".join(lines)


class FollowUpView(QFrame):
    """Below the risk panel: the selected model's follow-up, on request.

    Loading it reads the stored results and the record (an audited action of its own), so
    it is a button, not a side effect of opening the patient (which is one audit entry).
    """

    requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUp")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self.tr("Follow-up"))
        self.title.setProperty("heading", True)
        self.button = QPushButton(self.tr("Compare with the previous score"))
        self.button.setToolTip(self.tr("The previous stored score of the selected model, what "
                                       "changed since, and the lifetime risk (ages 20-59)"))
        self.button.clicked.connect(self.requested)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setVisible(False)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.text)

    def show_follow_up(self, follow: FollowUp) -> None:
        self.text.setText(follow_up_text(follow))
        self.text.setToolTip(self.tr("Lifetime risk: {source}.").format(source=follow.lifetime.source)
                             if follow.lifetime else "")
        self.text.setVisible(True)

    def clear(self) -> None:
        """A different model or patient: the shown comparison no longer applies."""
        self.text.clear()
        self.text.setToolTip("")
        self.text.setVisible(False)
