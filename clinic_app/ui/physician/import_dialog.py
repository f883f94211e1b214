"""Record import: FHIR JSON (bundles or single resources), NDJSON, CSV, and Bulk Data
export folders (read by their manifest.json, NDJSON streamed, .gz too).

The import runs on a worker with a progress bar (which file of how many, and items read
so far within it) and Cancel; the dialog stays open
afterwards with one line per file (imported or not, and the counts) and every problem
the service reported, item by item. A file with any error is imported not at all (the
service's all-or-nothing rule), and the report says so beside the file name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.i18n import translate
from clinic_app.services import Services, Session
from clinic_app.services.records import ImportReport
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.physician.presentation import fill_table, read_only_table
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import Task, WorkerPool


def file_filter() -> str:
    """The file dialog's filter, translated when the dialog opens (not at import)."""
    return translate(
        "physician.import_dialog",
        "Records (*.json *.ndjson *.jsonl *.ndjson.gz *.csv);;FHIR JSON (*.json);;"
        "NDJSON (*.ndjson *.jsonl *.ndjson.gz);;CSV (*.csv)",
    )


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import patient records"))
        self.services = services
        self.session = session
        self.pool = pool
        self.task: Task | None = None
        self.report: ImportReport | None = None
        self.resize(820, 560)
        intro = QLabel(self.tr("Choose FHIR R4 files (bundles, single resources or NDJSON), CSV files "
                       "in the documented templates, or a Bulk Data export folder (read by its "
                       "manifest). Each file is imported completely or not at all; invalid "
                       "items are listed as errors, usable-but-unclassified ones as flags."))
        intro.setWordWrap(True)
        self.files = QListWidget()
        self.files.setObjectName("importFiles")
        self.files.setMaximumHeight(70)
        self.add_button = QPushButton(self.tr("Add files…"))
        self.add_button.setObjectName("addFiles")
        self.folder_button = QPushButton(self.tr("Add export folder…"))
        self.folder_button.setObjectName("addFolder")
        self.clear_button = QPushButton(self.tr("Clear"))
        self.start_button = QPushButton(self.tr("Import"))
        self.start_button.setObjectName("startImport")
        self.start_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.setVisible(False)
        row = QHBoxLayout()
        for b in (self.add_button, self.folder_button, self.clear_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)
        self.outcome = QLabel()
        self.outcome.setObjectName("importOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setVisible(False)
        self.per_file = read_only_table(
            [
                self.tr("File"),
                self.tr("Type"),
                self.tr("Result"),
                self.tr("Patients"),
                self.tr("Observations"),
                self.tr("Conditions"),
                self.tr("Medications"),
                self.tr("Other"),
                self.tr("Flagged"),
                self.tr("Invalid"),
            ]
        )
        self.per_file.setObjectName("importFilesReport")
        self.problems = read_only_table([self.tr("File"), self.tr("Kind"), self.tr("Item"), self.tr("Problem")])
        self.problems.setObjectName("importProblems")
        report_box = QGroupBox(self.tr("Report"))
        report_layout = QVBoxLayout(report_box)
        problems_box = QWidget()
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(QLabel(self.tr(
            "Problems: a refused (invalid) item stops its file; kept-but-flagged items are "
            "stored and the flag is shown on the value.")))
        problems_layout.addWidget(self.problems, 1)
        # A splitter: an export of 25 files must not squeeze the problem list to nothing.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.per_file)
        split.addWidget(problems_box)
        split.setChildrenCollapsible(False)
        split.setSizes([300, 300])
        report_layout.addWidget(split)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.files)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(report_box, 1)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(self._choose)
        self.folder_button.clicked.connect(self._choose_folder)
        self.clear_button.clicked.connect(self._clear)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.files.addItem(str(path))
        self.start_button.setEnabled(self.files.count() > 0)

    def _choose(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose records files"), str(Path.home()), file_filter())
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if dialog.exec():
            self.add_paths([Path(p) for p in dialog.selectedFiles()])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a Bulk Data export folder"), str(Path.home()),
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly)
        if folder:
            self.add_paths([Path(folder)])

    def _clear(self) -> None:
        self.files.clear()
        self.start_button.setEnabled(False)

    def start(self) -> Task:
        paths = self.paths()
        services, session = self.services, self.session

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportReport:
            return services.records.import_files(session, paths, progress=progress, cancel=cancel)

        self._busy(True)
        task = self.pool.create(work, name="import records", on_result=self._done,
                                on_error=self._failed, on_cancelled=self._cancelled,
                                on_progress=self._progress)
        self.task = task
        self.pool.start(task)
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.cancel_button.setEnabled(False)
            self.task.cancel()

    def reject(self) -> None:
        if self.task is not None:  # closing while importing cancels first
            self.cancel()
            return
        super().reject()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        for w in (self.add_button, self.folder_button, self.clear_button, self.start_button):
            w.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    def _progress(self, done: int, total: int, message: str) -> None:
        # "file 2 of 7: Observation.ndjson.gz" when a file starts, then "file 2 of 7 —
        # Observation.ndjson.gz: 12,000 items" within it (the bar: bytes of that file)
        if message:
            self.progress.setFormat(f"{message} — %p%")
        if total > 0:  # after the text, so what shows with the new value is its own text
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _done(self, report: ImportReport) -> None:
        self.task = None
        self._busy(False)
        self.show_report(report)
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._busy(False)
        show_error(self, exc)

    def _cancelled(self) -> None:
        self.task = None
        self._busy(False)
        self.outcome.setText(self.tr("Import cancelled; the file being imported was rolled back "
                             "(nothing of it was stored)."))
        set_banner(self.outcome, "warn")
        self.outcome.setVisible(True)

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        done = [f for f in report.files if f.imported]
        counts = {"files": len(done), "total": len(report.files),
                  "failed": len(report.files) - len(done),
                  "flagged": sum(f.flag_count for f in done),
                  "invalid": sum(f.error_count for f in report.files)}
        counts.update({k: report.total(k) for k in (
            "patients", "observations", "conditions", "medications",
            "medications_unclassified", "other_resources")})
        shown = {k: f"{v:,}" for k, v in counts.items()}
        if report.ok:
            text = self.tr("Imported {files} of {total} files: {patients} patients, "
                           "{observations} observations, {conditions} conditions, "
                           "{medications} medications ({medications_unclassified} "
                           "unclassified), {other_resources} other resources kept as received."
                           "\nKept but flagged: {flagged}. Refused (invalid): none.")
            kind = "ok"
        else:
            text = self.tr("{failed} of {total} files were refused: {invalid} invalid items "
                           "are listed below; nothing of those files was stored. The other "
                           "files were imported (kept but flagged: {flagged}).")
            if report.cancelled:
                text = self.tr("Import cancelled: {failed} of {total} files were not imported "
                               "(the file in progress was rolled back; nothing of it was "
                               "stored). The files before it were imported (kept but "
                               "flagged: {flagged}).")
            kind = "error"
        self.outcome.setText(text.format(**shown))
        set_banner(self.outcome, kind)
        self.outcome.setVisible(True)
        types = report.resource_types
        fill_table(self.per_file, [
            [f.file, (types[i] if i < len(types) else "") or f.format,
             self.tr("imported") if f.imported else (f.note or self.tr("refused")),
             str(f.counts.get("patients", 0)), str(f.counts.get("observations", 0)),
             str(f.counts.get("conditions", 0)),
             str(f.counts.get("medications", 0)) + (
                 self.tr(" ({n} unclassified)").format(n=f.counts["medications_unclassified"])
                 if f.counts.get("medications_unclassified") else ""),
             str(sum(f.counts.get(k, 0) for k in ("allergies", "encounters", "reports",
                                                 "other_resources"))),
             str(f.flag_count), str(f.error_count)]
            for i, f in enumerate(report.files)], fit=len(report.files) <= 8)
        fill_table(self.problems, self._problem_rows(report) or [["", "", "", self.tr(
            "no problems")]], fit=False)

    def _problem_rows(self, report: ImportReport) -> list[list[str]]:
        """Invalid items one by one (each must be fixed at the source); flags with the
        same reason in one file as one row with their count, so a reason repeated
        thousands of times (types kept as received) does not bury the others."""
        invalid, flag = self.tr("refused (invalid)"), self.tr("kept, flagged")
        rows: list[list[str]] = []
        for f in report.files:
            rows += [[f.file, invalid, p.item, p.reason] for p in f.errors]
            if f.error_count > len(f.errors):
                rows.append([f.file, invalid, "…", self.tr("{n} more invalid items").format(
                    n=f.error_count - len(f.errors))])
            groups: dict[str, list[str]] = {}
            for p in f.flagged:
                groups.setdefault(p.reason, []).append(p.item)
            for reason, items in groups.items():
                where = items[0] if len(items) == 1 else self.tr(
                    "{first} and {n} more").format(first=items[0], n=len(items) - 1)
                rows.append([f.file, flag, where, reason])
            if f.flag_count > len(f.flagged):
                rows.append([f.file, flag, "…", self.tr("{n} more flags not listed").format(
                    n=f.flag_count - len(f.flagged))])
            rows += [[f.file, self.tr("skipped"), str(s.get("kind", "")),
                      f"{s.get('reason', '')} ({s.get('count', 1)})"] for s in f.skipped]
        return rows
