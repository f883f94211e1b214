"""How a finding's review state shows in the findings list: an icon and a colour.

Accepted, rejected and not-yet-reviewed findings used to look the same in the list; a
reader working down it with the keyboard must see at a glance which are done. The mark
is drawn (no icon files to ship) and is also spelled out in the item's tooltip and
accessible text, so colour is never the only cue.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidgetItem

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.ui.radiology.findings_view import FindingView


class ReviewState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MODIFIED = "modified"  # accepted with the radiologist's corrected box


COLOURS = {ReviewState.ACCEPTED: QColor(90, 190, 100), ReviewState.REJECTED: QColor(225, 95, 85),
           ReviewState.MODIFIED: QColor(80, 160, 220), ReviewState.PENDING: QColor(160, 160, 160)}
# English; translated where a mark is drawn, in the signed-in account's language.
WORDS = {
    ReviewState.ACCEPTED: QT_TRANSLATE_NOOP("radiology.review_marks", "Accepted"),
    ReviewState.REJECTED: QT_TRANSLATE_NOOP("radiology.review_marks", "Rejected"),
    ReviewState.MODIFIED: QT_TRANSLATE_NOOP("radiology.review_marks", "Accepted with a corrected box"),
    ReviewState.PENDING: QT_TRANSLATE_NOOP("radiology.review_marks", "Not reviewed yet"),
}
_ICON_PX = 16


def review_state(finding: FindingView) -> ReviewState:
    return ReviewState.PENDING if finding.review is None else ReviewState(finding.review.decision)


def review_icon(state: ReviewState) -> QIcon:
    """A tick in a green disc (blue when the box was corrected), a cross in a red disc, or a
    hollow grey ring."""
    pm = QPixmap(_ICON_PX, _ICON_PX)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    colour = COLOURS[state]
    disc = QRectF(1.5, 1.5, _ICON_PX - 3, _ICON_PX - 3)
    if state is ReviewState.PENDING:
        p.setPen(QPen(colour, 1.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(disc)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(disc)
        p.setPen(QPen(QColor(255, 255, 255), 2.0))
        if state in (ReviewState.ACCEPTED, ReviewState.MODIFIED):
            p.drawPolyline([QPointF(4.5, 8.5), QPointF(7, 11), QPointF(11.5, 5)])
        else:
            p.drawLine(QPointF(5, 5), QPointF(11, 11))
            p.drawLine(QPointF(11, 5), QPointF(5, 11))
    p.end()
    return QIcon(pm)


def mark_review(item: QListWidgetItem, finding: FindingView) -> None:
    """Give a findings-list line its review icon and colour (a decision overrides the
    flagged colour: once decided, the decision is what the reader needs to see)."""
    state = review_state(finding)
    item.setIcon(review_icon(state))
    item.setData(Qt.ItemDataRole.UserRole + 2, state.value)
    if state is not ReviewState.PENDING:
        item.setForeground(COLOURS[state])
    words = translate("radiology.review_marks", WORDS[state])
    item.setToolTip(f"{words}. {item.toolTip()}")
    item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{words}: {item.text()}")
