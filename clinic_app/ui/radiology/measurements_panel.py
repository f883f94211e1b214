"""The study's measurements as a list (values with units) and their export as DICOM SR.

The list is this reader's saved measurements on the open study, values computed again
from the pixels by the measurement-report service (on a worker: it decodes the measured
series). It refreshes after each save. "Export SR…" asks for a file and writes one SR
TID 1500 through the same service (a worker; audited there). Double-clicking a row shows
that image in the active viewport.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.imaging.viewport import MeasureKind
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.services import Services, Session
from clinic_app.services.measurement_report import MeasurementRow
from clinic_app.services.results import WrittenFile


class MeasurementsPanel(QWidget):
    #: The list was (re)loaded: how many rows.
    listed = Signal(int)
    #: The SR was written (its path as text).
    exported = Signal(str)
    #: Show a measurement: (series UID, plane value, 0-based slice).
    show_requested = Signal(str, str, int)

    def __init__(self, services: Services, session: Session, submit: Callable[..., Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measurementsPanel")
        self.services, self.session, self._submit = services, session, submit
        self.study_uid: str | None = None
        self.rows: list[MeasurementRow] = []
        self._kinds = {MeasureKind.LENGTH: self.tr("Length"), MeasureKind.ROI: self.tr("Ellipse"),
                       MeasureKind.ANGLE: self.tr("Angle"), MeasureKind.ARROW: self.tr("Arrow")}
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("measurementsTable")
        self.table.setAccessibleName(self.tr("Measurements of this study"))
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("Value"), self.tr("Image")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._show_row)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export SR…"), self)
        self.export_button.setObjectName("exportMeasurementsSr")
        self.export_button.setToolTip(self.tr("Write these measurements as a DICOM structured report"))
        self.export_button.clicked.connect(self._ask_export)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setProperty("hint", "true")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.set_study(None)

    def set_study(self, study_uid: str | None) -> None:
        self.study_uid = study_uid
        self._fill([])
        self.status.setText("")
        self.setEnabled(study_uid is not None)
        if study_uid is not None:
            self.refresh()

    def refresh(self) -> None:
        uid = self.study_uid
        if uid is None:
            return
        services, session = self.services, self.session
        self.status.setText(self.tr("Measuring…"))

        def load(progress: ProgressCallback, cancel: CancelToken) -> list[MeasurementRow]:
            return services.measurement_report.rows(session, uid, cancel)

        self._submit(load, name="measurement list", on_result=lambda rows: self._listed(uid, rows),
                     on_error=self._failed)

    def _listed(self, study_uid: str, rows: list[MeasurementRow]) -> None:
        if study_uid != self.study_uid:
            return
        self._fill(rows)
        self.status.setText("" if rows else self.tr("No measurements on this study yet."))
        self.listed.emit(len(rows))

    def _fill(self, rows: list[MeasurementRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            value = self.tr("(arrow)") if row.kind is MeasureKind.ARROW else row.value
            cells = (f"{row.number}. {self._kinds[row.kind]}",
                     value.replace(", ", "\n") if row.kind is MeasureKind.ROI
                     else value, self.tr("Im {n}\n{plane}").format(
                         n=row.image, plane=translate("radiology.planes", row.plane)))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(row.series)  # which series: on hover, the column would not fit
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.export_button.setEnabled(any(r.item is not None for r in rows))

    def _show_row(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rows):
            m = self.rows[row]
            self.show_requested.emit(m.series_uid, m.plane, m.image - 1)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc) if isinstance(exc, ClinicAppError)
                            else self.tr("The measurements could not be listed ({kind}).")
                            .format(kind=type(exc).__name__))

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export measurements as DICOM SR"),
                                              str(Path.home() / "measurements.dcm"),
                                              self.tr("DICOM files (*.dcm)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the SR on a worker; the outcome is shown under the list."""
        uid = self.study_uid
        if uid is None:
            return
        services, session = self.services, self.session
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Writing the report…"))

        def run(progress: ProgressCallback, cancel: CancelToken) -> WrittenFile:
            return services.measurement_report.export_sr(session, uid, path, cancel)

        def done(written: WrittenFile) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Saved {path}").format(path=written.path))
            self.exported.emit(str(written.path))

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._failed(exc)

        self._submit(run, name="measurement report", on_result=done, on_error=failed)


#: The planes a measurement is made on (core/imaging/planes.py), for lupdate.
PLANE_NAMES = (QT_TRANSLATE_NOOP("radiology.planes", "axial"), QT_TRANSLATE_NOOP("radiology.planes", "coronal"),
               QT_TRANSLATE_NOOP("radiology.planes", "sagittal"), QT_TRANSLATE_NOOP("radiology.planes", "native"))
