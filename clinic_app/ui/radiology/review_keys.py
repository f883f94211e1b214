"""The AI review without the mouse: the findings panel's side of the review keys.

The viewport passes the review keys of the key map (next, previous, accept, reject,
modify, comment) to :class:`ReviewKeys`, which drives the findings panel through its
public controls; decisions still go through the panel's ``review`` (service, permission
check, audit). Enter in the comment field returns the keyboard to the image, so a
reader can type a comment and go on reading.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from clinic_app.ui.radiology.findings import FindingsPanel
from clinic_app.ui.radiology.keymap import REVIEW_ACTIONS, Action


class ReviewKeys:
    """Handles :data:`REVIEW_ACTIONS` for a findings panel; ``focus_back`` gets the image's widget."""

    def __init__(self, panel: FindingsPanel, focus_back: Callable[[], QWidget]) -> None:
        self.panel = panel
        self._focus_back = focus_back
        panel.comment.returnPressed.connect(lambda: self._focus_back().setFocus())
        self.handlers: dict[Action, Callable[[], object]] = {
            Action.FINDING_NEXT: lambda: self.step(1),
            Action.FINDING_PREVIOUS: lambda: self.step(-1),
            Action.FINDING_ACCEPT: lambda: self.decide("accepted"),
            Action.FINDING_REJECT: lambda: self.decide("rejected"),
            Action.FINDING_MODIFY: self.modify,
            Action.FINDING_COMMENT: self.comment,
        }
        assert set(self.handlers) == REVIEW_ACTIONS

    def handle(self, action: Action) -> None:
        handler = self.handlers.get(action)
        if handler is not None:
            handler()

    def step(self, delta: int) -> bool:
        """Select the next (or previous) finding; the viewer follows to its slice."""
        lst = self.panel.list
        if lst.count() == 0:
            self.panel.message.setText(QCoreApplication.translate("ReviewKeys", "This study has no AI findings to "
                                                                                "review."))
            return False
        row = lst.currentRow()
        row = (0 if delta > 0 else lst.count() - 1) if row < 0 else min(max(row + delta, 0), lst.count() - 1)
        lst.setCurrentRow(row)
        return True

    def decide(self, decision: str) -> None:
        if self.panel.current is None:
            self.panel.message.setText(QCoreApplication.translate("ReviewKeys", "Select a finding first (N: next "
                                                                                "finding)."))
            return
        self.panel.review(decision)

    def comment(self) -> None:
        """Put the keyboard in the comment field (Enter returns it to the image)."""
        if self.panel.current is None:
            self.panel.message.setText(QCoreApplication.translate("ReviewKeys", "Select a finding first (N: next "
                                                                                "finding)."))
            return
        self.panel.comment.setFocus()
        self.panel.comment.selectAll()

    def modify(self) -> None:
        """Correct the selected finding's box, where the panel offers it."""
        if self.panel.current is None:
            self.panel.message.setText(QCoreApplication.translate("ReviewKeys", "Select a finding first (N: next "
                                                                                "finding)."))
        else:
            self.panel.modify_finding()
