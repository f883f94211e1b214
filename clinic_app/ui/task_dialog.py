"""A form dialog whose OK runs one service call in a worker, with errors shown inline.

Account dialogs (change password, new user, reset, recovery code) all follow the same
shape: check the form locally for instant feedback, run the service call off the GUI
thread (Argon2id takes a few tenths of a second), keep the dialog open with the
service's own message if it refuses, and close with the result if it succeeds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicAppError
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import TaskFn, WorkerPool


class TaskDialog(QDialog):
    """Subclasses fill ``self.form``, then implement :meth:`problem` and :meth:`task`."""

    def __init__(self, pool: WorkerPool, title: str, intro: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pool = pool
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.setVisible(False)
        layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("okButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    # -- for subclasses ------------------------------------------------------------------
    def problem(self) -> str | None:
        """What is wrong with the form as typed, or None."""
        return None

    def task(self) -> TaskFn:
        raise NotImplementedError

    def failed(self, exc: ClinicAppError) -> None:
        """After the service refused: e.g. clear password fields."""

    # -- flow ----------------------------------------------------------------------------
    def say(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        set_banner(self.message, kind)
        self.message.setVisible(True)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setEnabled(not busy)

    def submit(self) -> None:
        if self.busy.isVisible():
            return
        problem = self.problem()
        if problem:
            self.say(problem)
            return
        self.message.setVisible(False)
        self.set_busy(True)
        self.pool.submit(self.task(), name=self.windowTitle(), on_result=self._done,
                         on_error=self._failed)

    def reject(self) -> None:
        if self.busy.isVisible():
            return  # the call is running; it cannot be taken back halfway
        super().reject()

    def _done(self, result: object) -> None:
        self.set_busy(False)
        self.result_value = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, ClinicAppError):
            self.say(str(exc))
            self.failed(exc)
        else:
            show_error(self, exc)
