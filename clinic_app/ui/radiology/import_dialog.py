"""DICOM import: folders, DICOMDIR media and zip archives, with progress, cancel and a report.

The import runs on a worker (``ImagingService.import_dicom``) while the dialog shows a
progress bar and a Cancel button inline; the rest of the application stays usable. When
it ends, the dialog stays open with the totals, the studies touched and one row per
file that was not imported, with the reason the core gave. Cancel keeps only whole
instances (the service's rule) and the report says the import was cancelled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.imaging.import_wording import shown_reason
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.i18n import translate
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import ImportReport
from clinic_app.ui.dialogs import choose_open_path, show_error
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import Task, WorkerPool


def file_filter() -> str:
    """The file dialog's filter, translated when the dialog opens (not at import)."""
    return translate("radiology.import_dialog", "DICOM media (DICOMDIR *.zip *.dcm *.DCM);;All files (*)")


def report_summary(report: ImportReport) -> str:
    studies = len(report.studies)
    parts = [QCoreApplication.translate("radiology.import_dialog", "{imported} image(s) imported into "
                                                                   "{studies} stud{value}").format(
                 imported=report.imported, studies=studies, value='y' if studies == 1 else 'ies')]
    if report.duplicates:
        parts.append(QCoreApplication.translate("radiology.import_dialog", "{duplicates} already in the store").format(
                         duplicates=report.duplicates))
    if report.skipped:
        parts.append(QCoreApplication.translate("radiology.import_dialog", "{len} file(s) not imported (listed "
                                                                           "below)").format(
                         len=len(report.skipped)))
    # Chinese separates and ends these clauses with full-width punctuation ("；", "。")
    text = QCoreApplication.translate("radiology.import_dialog", "{clauses}.").format(
        clauses=QCoreApplication.translate("radiology.import_dialog", "; ").join(parts))
    if report.cancelled:
        text = QCoreApplication.translate("radiology.import_dialog", "Cancelled: only whole images imported "
                                                                     "before Cancel were kept. ") + text
    return text


class DicomImportDialog(QDialog):
    """Choose sources, import them in the background, then read the per-file report."""

    imported = Signal(object)  # ImportReport

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dicomImportDialog")
        self.setWindowTitle(self.tr("Import DICOM"))
        self.services = services
        self.session = session
        self.pool = pool
        self.task: Task | None = None
        self.report: ImportReport | None = None
        self.sources: list[Path] = []
        self.resize(820, 560)

        intro = QLabel(self.tr("Add folders (searched recursively), DICOMDIR files from a CD or USB "
                       "stick, zip archives or single files. Images are encrypted into the "
                       "store; files that cannot be imported are listed with the reason."), self)
        intro.setWordWrap(True)
        self.source_list = QListWidget(self)
        self.source_list.setObjectName("importSources")
        self.source_list.setAccessibleName(self.tr("Sources to import"))
        self.source_list.setMaximumHeight(110)
        self.add_folder = QPushButton(self.tr("Add folder…"), self)
        self.add_folder.setObjectName("addFolder")
        self.add_file = QPushButton(self.tr("Add DICOMDIR, zip or file…"), self)
        self.add_file.setObjectName("addFile")
        self.add_folder.clicked.connect(lambda: self._choose(folder=True))
        self.add_file.clicked.connect(lambda: self._choose(folder=False))
        self.start_button = QPushButton(self.tr("Import"), self)
        self.start_button.setObjectName("startImport")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel import"), self)
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v / %m files"))
        self.status = QLabel("", self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.errors = QTableWidget(0, 2, self)
        self.errors.setObjectName("importErrors")
        self.errors.setAccessibleName(self.tr("Files not imported"))
        self.errors.setHorizontalHeaderLabels([self.tr("File"), self.tr("Why it was not imported")])
        self.errors.verticalHeader().setVisible(False)
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors.setWordWrap(False)
        self.errors.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.errors.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.errors.setColumnWidth(0, 320)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        adds = QHBoxLayout()
        adds.addWidget(self.add_folder)
        adds.addWidget(self.add_file)
        adds.addStretch(1)
        adds.addWidget(self.start_button)
        run = QHBoxLayout()
        run.addWidget(self.progress, 1)
        run.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.source_list)
        layout.addLayout(adds)
        layout.addLayout(run)
        layout.addWidget(self.status)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.buttons)

    # -- sources -------------------------------------------------------------------------
    def _choose(self, *, folder: bool) -> None:
        start = self.sources[-1].parent if self.sources else Path.home()
        path = choose_open_path(self, self.tr("Choose a folder to import") if folder else self.tr("Choose DICOM media"),
                                start, "" if folder else file_filter(), folder=folder)
        if path is not None:
            self.add_source(path)

    def add_source(self, path: Path) -> None:
        if path in self.sources:
            return
        self.sources.append(path)
        self.source_list.addItem(str(path))
        self.start_button.setEnabled(self.task is None)

    # -- running -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        if not self.sources or self.task is not None:
            return
        services, session, paths = self.services, self.session, list(self.sources)

        def run(progress: ProgressCallback, cancel: CancelToken) -> ImportReport:
            return services.imaging.import_dicom(session, paths, progress=progress, cancel=cancel)

        self.report = None
        self.errors.setRowCount(0)
        set_banner(self.status, None)
        self.status.setText(self.tr("Reading files…"))
        self.progress.setRange(0, 0)  # busy until the file count is known
        for w in (self.add_folder, self.add_file, self.start_button):
            w.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.task = self.pool.submit(run, name="DICOM import", on_result=self._done,
                                     on_error=self._failed, on_progress=self._progress,
                                     on_cancelled=self._cancelled,
                                     error_parent=self)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling after the current image…"))

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if message:
            self.status.setText(message)

    def _finish(self) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)
        for w in (self.add_folder, self.add_file):
            w.setEnabled(True)
        self.start_button.setEnabled(bool(self.sources))

    def _done(self, report: ImportReport) -> None:
        self._finish()
        self.report = report
        total = max(report.files, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(total if not report.cancelled else min(report.imported + report.duplicates, total))
        self.status.setText(report_summary(report))
        set_banner(self.status, "warn" if report.skipped or report.cancelled else "ok")
        self.errors.setRowCount(len(report.skipped))
        for row, skipped in enumerate(report.skipped):
            for col, text in enumerate((skipped.path, shown_reason(skipped.reason))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.errors.setItem(row, col, item)
        self.imported.emit(report)

    def _cancelled(self) -> None:
        self._finish()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(self.tr("Cancelled before any image was imported."))
        set_banner(self.status, "warn")

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(self.tr("The import failed; nothing partial was kept."))
        set_banner(self.status, "error")
        show_error(self, exc)

    def reject(self) -> None:
        """Closing while importing cancels first (the worker stops at a whole image)."""
        if self.task is not None:
            self.cancel()
        super().reject()
