"""Findings panel actions beyond accept/reject: modify a box, add a missed finding, export.

The box is entered as first/last pixel column and row on one slice (the canvas drawing
and the reading-room keys come later); the dialog opens on the selected finding's box,
so a correction is a few clicks. Every action runs on a worker and goes through the
services (stored, audited); errors are shown, never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyDetail
from clinic_app.ui.radiology.findings_view import FindingView

Submit = Callable[..., Any]


@dataclass(frozen=True)
class BoxInput:
    series_uid: str
    stack: int
    slice_index: int
    cols: tuple[int, int]
    rows: tuple[int, int]
    label: str
    comment: str


class BoxDialog(QDialog):
    """Series/stack, slice, box and (for an added finding) what it is."""

    def __init__(self, parent: QWidget | None, title: str, study: StudyDetail, *,
                 finding: FindingView | None, ask_label: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("boxDialog")
        self.stacks: list[tuple[str, int, tuple[int, int, int]]] = []
        self.series = QComboBox(self)
        self.series.setObjectName("boxSeries")
        for s in study.series:
            for st in s.stacks:
                name = self.tr("Series {value} {description}").format(
                           value=s.number if s.number is not None else '?', description=s.description)
                self.series.addItem((name + (f" ({st.label})" if st.label else "")).strip())
                self.stacks.append((s.series_uid, st.index, st.dimensions))
        self.slice = QSpinBox(self)
        self.slice.setObjectName("boxSlice")
        self.spins = [QSpinBox(self) for _ in range(4)]  # col first, col last, row first, row last
        for spin, name in zip(self.spins, ("boxCol1", "boxCol2", "boxRow1", "boxRow2"), strict=True):
            spin.setObjectName(name)
        self.label = QLineEdit(self)
        self.label.setObjectName("boxLabel")
        self.label.setPlaceholderText(self.tr("e.g. pulmonary nodule"))
        self.comment = QLineEdit(self)
        self.comment.setObjectName("boxComment")
        self.comment.setPlaceholderText(self.tr("Comment (optional)"))
        form = QFormLayout(self)
        if finding is None:
            form.addRow(self.tr("Series"), self.series)
        form.addRow(self.tr("Image (slice from 0)"), self.slice)
        cols, rows = QHBoxLayout(), QHBoxLayout()
        cols.addWidget(self.spins[0])
        cols.addWidget(self.spins[1])
        rows.addWidget(self.spins[2])
        rows.addWidget(self.spins[3])
        form.addRow(self.tr("Columns (first, last pixel)"), cols)
        form.addRow(self.tr("Rows (first, last pixel)"), rows)
        if ask_label:
            form.addRow(self.tr("Finding"), self.label)
        form.addRow(self.tr("Comment"), self.comment)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.series.currentIndexChanged.connect(self._limits)
        if finding is not None:
            here = next((n for n, (uid, st, _d) in enumerate(self.stacks)
                         if uid == finding.series_uid and st == finding.stack_index), 0)
            self.series.setCurrentIndex(here)
        self._limits()
        if finding is not None:
            box = finding.bbox_px
            self.slice.setValue(finding.slice_index)
            for spin, value in zip(self.spins, [*box.get("col", [0, 0]), *box.get("row", [0, 0])],
                                   strict=False):
                spin.setValue(int(value))

    def _limits(self) -> None:
        if not self.stacks:
            return
        slices, rows, cols = self.stacks[max(0, self.series.currentIndex())][2]
        self.slice.setRange(0, max(0, slices - 1))
        for n, spin in enumerate(self.spins):
            spin.setRange(0, max(0, (cols if n < 2 else rows) - 1))

    def values(self) -> BoxInput:
        uid, stack, _dims = self.stacks[max(0, self.series.currentIndex())]
        c1, c2, r1, r2 = (s.value() for s in self.spins)
        return BoxInput(uid, stack, self.slice.value(), (c1, c2), (r1, r2),
                        self.label.text().strip(), self.comment.text().strip())


class ResultsActions(QWidget):
    """Three buttons under the review buttons; ``changed`` asks the panel to reload."""

    changed = Signal()
    exported = Signal(str)  # a one-line summary for the panel's message

    def __init__(self, services: Services, session: Session, submit: Submit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.session, self.submit = services, session, submit
        self.study: StudyDetail | None = None
        self.finding: FindingView | None = None
        self.modify_button = QPushButton(self.tr("Modify…"), self)
        self.modify_button.setObjectName("modifyFinding")
        self.modify_button.setToolTip(self.tr("Correct where this finding is (signed with your name)"))
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setObjectName("addFinding")
        self.add_button.setToolTip(self.tr("Draw a finding the AI missed (signed with your name)"))
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportResults")
        self.export_button.setToolTip(self.tr("Write the findings and your review as DICOM (SEG, SR, "
                                      "key images) to a folder"))
        self.send_button = QPushButton(self.tr("Send…"), self)
        self.send_button.setObjectName("sendResults")
        self.send_button.setToolTip(self.tr("Send the findings and your review as DICOM (SEG, SR, key "
                                    "images) to a PACS"))
        self.deid_button = QPushButton(self.tr("Anonymise…"), self)
        self.deid_button.setObjectName("exportDeidentified")
        self.deid_button.setToolTip(self.tr("Write a de-identified copy of this study for research or "
                                    "teaching (names, IDs and dates replaced)"))
        self.modify_button.clicked.connect(lambda: self.modify())
        self.add_button.clicked.connect(lambda: self.add())
        self.export_button.clicked.connect(lambda: self.export_results())
        self.send_button.clicked.connect(lambda: self.send_results())
        self.deid_button.clicked.connect(lambda: self.export_deidentified())
        # Two rows, so every label stays whole in the side panel at 1280x800: the review
        # corrections, then where the results go.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addWidget(self.modify_button, 0, 0)
        grid.addWidget(self.add_button, 0, 1)
        for column, button in enumerate((self.export_button, self.send_button, self.deid_button)):
            grid.addWidget(button, 1, column)
        self.set_context(None, None)

    def set_context(self, study: StudyDetail | None, finding: FindingView | None) -> None:
        self.study, self.finding = study, finding
        located = finding is not None and bool(finding.bbox_px)
        self.modify_button.setEnabled(study is not None and located)
        self.add_button.setEnabled(study is not None)
        self.export_button.setEnabled(study is not None)
        self.send_button.setEnabled(study is not None)
        self.deid_button.setEnabled(study is not None)

    def _dialog(self, title: str, finding: FindingView | None, ask_label: bool) -> BoxInput | None:
        assert self.study is not None
        dialog = BoxDialog(self, title, self.study, finding=finding, ask_label=ask_label)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def modify(self, values: BoxInput | None = None) -> Any:
        f = self.finding
        if f is None or self.study is None:
            return None
        values = values or self._dialog(self.tr("Modify: {label}").format(label=f.label), f, False)
        if values is None:
            return None
        services, session, fid = self.services, self.session, f.finding_id

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return services.review_edits.modify(session, fid, values.cols, values.rows,
                                                slice_index=values.slice_index,
                                                comment=values.comment)

        return self.submit(run, name="modify", on_result=lambda _r: self.changed.emit())

    def add(self, values: BoxInput | None = None) -> Any:
        if self.study is None:
            return None
        values = values or self._dialog(self.tr("Add a missed finding"), None, True)
        if values is None:
            return None
        services, session, uid = self.services, self.session, self.study.study.study_uid

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return services.review_edits.add_finding(
                session, uid, values.series_uid, values.label, values.slice_index, values.cols,
                values.rows, stack=values.stack, comment=values.comment)

        return self.submit(run, name="add finding", on_result=lambda _r: self.changed.emit())

    def _folder(self, title: str, folder: Path | None) -> Path | None:
        if folder is not None:
            return folder
        chosen = QFileDialog.getExistingDirectory(self, title)
        return Path(chosen) if chosen else None

    def export_deidentified(self, folder: Path | None = None) -> Any:
        """De-identified copy of the study (burned-in risk refused with its reason)."""
        if self.study is None:
            return None
        folder = self._folder(self.tr("Export de-identified copy to folder"), folder)
        if folder is None:
            return None
        services, session, uid = self.services, self.session, self.study.study.study_uid

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return services.deid.export_study(session, uid, folder)

        def done(report: Any) -> None:
            self.exported.emit(self.tr("De-identified copy ({len} images, as {pseudonym}) written to "
                                       "{folder}.").format(
                                   len=len(report.files), pseudonym=report.pseudonym, folder=folder))

        return self.submit(run, name="export de-identified", on_result=done)

    def export_results(self, folder: Path | None = None) -> Any:
        if self.study is None:
            return None
        folder = self._folder(self.tr("Export results to folder"), folder)
        if folder is None:
            return None
        services, session, uid = self.services, self.session, self.study.study.study_uid

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return services.results.export(session, uid, folder)

        def done(report: Any) -> None:
            kinds = ", ".join(f.kind for f in report.files)
            self.exported.emit(self.tr("Results written to {folder}: {kinds}.").format(
                                   folder=folder, kinds=kinds))

        return self.submit(run, name="export results", on_result=done)

    def send_results(self, node: str | None = None) -> Any:
        """Send the results to a PACS node (chosen from the configured ones when not given)."""
        if self.study is None:
            return None
        services, session, uid = self.services, self.session, self.study.study.study_uid
        if node is None:
            try:
                names = [n.name for n in services.pacs.list_nodes(session)]
            except ClinicAppError as exc:
                self.exported.emit(str(exc))
                return None
            if not names:
                self.exported.emit(self.tr("No PACS is configured; IT adds one in the admin workspace."))
                return None
            chosen, ok = QInputDialog.getItem(self, self.tr("Send results"), self.tr("Send to:"), names, 0, False)
            if not ok:
                return None
            node = chosen

        def run(progress: ProgressCallback, cancel: CancelToken) -> object:
            return services.pacs.send_results(session, node, uid)

        def done(report: Any) -> None:
            failed = self.tr(", {failed} refused").format(failed=report.failed) if report.failed else ""
            self.exported.emit(self.tr("Results sent to {node}: {sent} objects{failed}.").format(
                                   node=report.node, sent=report.sent, failed=failed))

        return self.submit(run, name="send results", on_result=done)
