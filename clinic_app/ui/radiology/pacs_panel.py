"""Query/Retrieve: search a PACS, retrieve a study with progress and cancel, open it.

Every network call runs on the worker pool (``services.pacs``); this widget only gathers
the search fields, shows results as plain text and reacts to the task's signals. A
retrieve can be cancelled; the study then stays flagged as incomplete in the worklist
and a second Retrieve fetches only what is missing. The lower list shows the priors of
the study open in the viewer (the same patient's other studies on the PACS), fetched in
the background on request.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.net.query import QueryFilter, QueryMatch, parse_date_range
from clinic_app.core.security.roles import Permission, allowed
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.services import Services, Session
from clinic_app.services.pacs_types import RetrieveReport
from clinic_app.ui.radiology.display import person_name
from clinic_app.ui.workers import Task, WorkerPool

# Column titles and the "Any" modality in English, translated when the panel is built.
COLUMNS = (
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Patient"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Patient ID"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Born"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Study date"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Modalities"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Description"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Images"),
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Accession"),
)
MODALITIES = (
    QT_TRANSLATE_NOOP("radiology.pacs_panel", "Any"),
    "CT",
    "MR",
    "CR",
    "DX",
    "US",
    "MG",
    "PT",
    "NM",
    "XA",
    "SR",
    "SEG",
)


def _row(match: QueryMatch) -> list[str]:
    return [person_name(match.patient_name), match.patient_id, match.birth_date,
            match.study_date, ", ".join(match.modalities), match.description,
            "" if match.instances is None else str(match.instances), match.accession]


class _Results(QTableWidget):
    """Matches as plain-text cells (patient-derived text is never rich text)."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels([translate("radiology.pacs_panel", c) for c in COLUMNS])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # COLUMNS[5], the description
        self.matches: list[QueryMatch] = []

    def show_matches(self, matches: list[QueryMatch]) -> None:
        self.matches = list(matches)
        self.setRowCount(len(matches))
        for r, match in enumerate(matches):
            for c, text in enumerate(_row(match)):
                self.setItem(r, c, QTableWidgetItem(text))
        if matches:
            self.selectRow(0)

    def selected(self) -> QueryMatch | None:
        rows = self.selectionModel().selectedRows()
        return self.matches[rows[0].row()] if rows else None


class PacsPanel(QWidget):
    #: A retrieve finished complete and "Open when retrieved" is ticked: the study's UID.
    open_requested = Signal(str)
    #: Results (or priors) were shown: the number of rows.
    results_shown = Signal(int)
    priors_shown = Signal(int)
    #: A retrieve ended (complete, incomplete or failed): the report, or None on error.
    retrieve_finished = Signal(object)
    #: The first images of a retrieve are stored: the study is in the worklist (flagged
    #: "retrieving") and can be refreshed there while the rest arrives.
    study_arriving = Signal()

    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pacsPanel")
        self.services = services
        self.session = session
        self.pool = pool
        self._retrieving: Task | None = None
        self._arrived = False
        self._priors_for = ""

        self.node = QComboBox(self)
        self.node.setObjectName("pacsNode")
        self.node.setAccessibleName(self.tr("PACS"))
        self.name = QLineEdit(self)
        self.name.setObjectName("pacsName")
        self.name.setPlaceholderText(self.tr("Family name, or the start of it"))
        self.patient_id = QLineEdit(self)
        self.patient_id.setObjectName("pacsPatientId")
        self.accession = QLineEdit(self)
        self.accession.setObjectName("pacsAccession")
        self.modality = QComboBox(self)
        self.modality.setObjectName("pacsModality")
        self.modality.addItems([translate("radiology.pacs_panel", MODALITIES[0]), *MODALITIES[1:]])
        self.dates = QLineEdit(self)
        self.dates.setObjectName("pacsDates")
        self.dates.setPlaceholderText(self.tr("e.g. 2025-01-01..2025-06-30 (either end may be empty)"))
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setObjectName("pacsSearch")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        for field in (self.name, self.patient_id, self.accession, self.dates):
            field.returnPressed.connect(self.search)
        form = QFormLayout()
        form.addRow(self.tr("PACS"), self.node)
        form.addRow(self.tr("Patient name"), self.name)
        form.addRow(self.tr("Patient ID"), self.patient_id)
        form.addRow(self.tr("Accession"), self.accession)
        form.addRow(self.tr("Modality"), self.modality)
        form.addRow(self.tr("Study dates"), self.dates)
        form.addRow("", self.search_button)
        search_box = QGroupBox(self.tr("Search the PACS"), self)
        search_box.setLayout(form)
        search_box.setMaximumWidth(420)

        self.results = _Results("pacsResults", self)
        self.results.doubleClicked.connect(lambda _i: self.retrieve())
        self.retrieve_button = QPushButton(self.tr("&Retrieve"), self)
        self.retrieve_button.setObjectName("pacsRetrieve")
        self.retrieve_button.clicked.connect(self.retrieve)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("pacsCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_on_arrival = QCheckBox(self.tr("Open when retrieved"), self)
        self.open_on_arrival.setObjectName("pacsOpenOnArrival")
        self.open_on_arrival.setChecked(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("pacsProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)  # no "0%" while idle
        self.status = QLabel(self.tr("Choose a PACS and search."), self)
        self.status.setObjectName("pacsStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.retrieve_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.open_on_arrival)
        actions.addWidget(self.progress, 1)

        self.priors = _Results("pacsPriors", self)
        self.priors.setMaximumHeight(170)
        self.fetch_prior_button = QPushButton(self.tr("Fetch prior in background"), self)
        self.fetch_prior_button.setObjectName("pacsFetchPrior")
        self.fetch_prior_button.clicked.connect(self.fetch_prior)
        self.priors_label = QLabel(self.tr("Open a study to list its patient's priors on the PACS."), self)
        self.priors_label.setObjectName("pacsPriorsLabel")
        priors_box = QGroupBox(self.tr("Priors of the open patient"), self)
        pl = QVBoxLayout(priors_box)
        pl.addWidget(self.priors_label)
        pl.addWidget(self.priors)
        pl.addWidget(self.fetch_prior_button)

        right = QVBoxLayout()
        right.addWidget(self.results, 1)
        right.addLayout(actions)
        right.addWidget(self.status)
        right.addWidget(priors_box)
        layout = QHBoxLayout(self)
        layout.addWidget(search_box, 0)
        layout.addLayout(right, 1)
        self.load_nodes()

    # -- nodes --------------------------------------------------------------------------------
    def load_nodes(self) -> None:
        if not allowed(self.session.role, Permission.PACS_QUERY):
            # Not asked of the service: a refused call is audited as a security alert.
            self.status.setText(self.tr("Your role cannot search the PACS."))
            self.search_button.setEnabled(False)
            return
        try:
            found = self.services.pacs.list_nodes(self.session)
        except ClinicAppError as exc:
            self.status.setText(str(exc))
            found = []
        self.node.clear()
        for n in found:
            self.node.addItem(n.describe(), n.name)
        if not found:
            self.status.setText(self.tr("No PACS is configured yet: IT adds one in the admin workspace "
                                "or with 'clinic-app pacs nodes add'."))
        self.search_button.setEnabled(bool(found))

    @property
    def node_name(self) -> str:
        return str(self.node.currentData() or "")

    # -- search -------------------------------------------------------------------------------
    def search(self) -> Task | None:
        try:
            date_from, date_to = parse_date_range(self.dates.text()) if self.dates.text().strip() \
                else ("", "")
            modality = self.modality.currentText()
            flt = QueryFilter(patient_name=self.name.text().strip(),
                              patient_id=self.patient_id.text().strip(),
                              accession=self.accession.text().strip(),
                              modality="" if modality == translate("radiology.pacs_panel", MODALITIES[0]) else modality,
                              date_from=date_from, date_to=date_to)
        except ClinicAppError as exc:
            self.status.setText(str(exc))
            return None
        services, session, node = self.services, self.session, self.node_name
        self.status.setText(self.tr("Searching {node}…").format(node=node))
        self.search_button.setEnabled(False)

        def run(progress: ProgressCallback, cancel: CancelToken) -> list[QueryMatch]:
            return services.pacs.find(session, node, flt)

        return self.pool.submit(run, name="pacs search", on_result=self._found,
                                on_error=self._failed)

    def _found(self, matches: list[QueryMatch]) -> None:
        self.search_button.setEnabled(True)
        self.results.show_matches(sorted(matches, key=lambda m: m.study_date, reverse=True))
        self.status.setText(self.tr("{len} stud{value} found.").format(
                                len=len(matches), value='y' if len(matches) == 1 else 'ies'))
        self.results_shown.emit(len(matches))

    def _failed(self, exc: BaseException) -> None:
        self.search_button.setEnabled(True)
        self.status.setText(str(exc) if isinstance(exc, ClinicAppError)
                            else self.tr("The search failed ({name__}).").format(name__=type(exc).__name__))
        self.results_shown.emit(-1)

    # -- retrieve -----------------------------------------------------------------------------
    def retrieve(self, match: QueryMatch | None = None, *, background: bool = False) -> Task | None:
        match = match or self.results.selected()
        if match is None:
            self.status.setText(self.tr("Select a study to retrieve."))
            return None
        if self._retrieving is not None and not background:
            self.status.setText(self.tr("A retrieve is already running; cancel it or wait."))
            return None
        services, session, node = self.services, self.session, self.node_name
        uid = match.study_uid

        def run(progress: ProgressCallback, cancel: CancelToken) -> RetrieveReport:
            return services.pacs.retrieve(session, node, uid, cancel=cancel,
                                          progress=lambda d, t, m="": progress(d, t, m))

        task = self.pool.create(run, name="pacs retrieve",
                                on_result=lambda r: self._retrieved(r, background),
                                on_error=lambda e: self._retrieve_failed(e, background),
                                on_progress=None if background else self._progress)
        if not background:
            self._retrieving = task
            self._arrived = False
            self.cancel_button.setEnabled(True)
            self.retrieve_button.setEnabled(False)
            self.progress.setRange(0, 0)
            self.progress.setTextVisible(True)
            self.status.setText(self.tr("Retrieving from {node}…").format(node=node))
            task.finished.connect(self._retrieve_ended)
        self.pool.start(task)
        return task

    def cancel(self) -> None:
        if self._retrieving is not None:
            self._retrieving.cancel()
            self.status.setText(self.tr("Cancelling… the study stays marked incomplete."))

    def _progress(self, done: int, total: int, message: str) -> None:
        if done > 0 and not self._arrived:
            self._arrived = True
            self.study_arriving.emit()
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.status.setText(
            self.tr("{message}: {done} of {total} images").format(message=message, done=done, total=total)
            if total else self.tr("{message}: {done} images").format(message=message, done=done))

    def _retrieved(self, report: RetrieveReport, background: bool) -> None:
        done = report.state.value == "complete"
        text = (self.tr("{received} image(s) from {node}: {imported} new, {duplicates} already here, {len} "
                        "not imported. ").format(
                    received=report.received, node=report.node, imported=report.imported,
                    duplicates=report.duplicates, len=len(report.skipped)))
        text += self.tr("The study is complete.") if done else \
            self.tr("Cancelled: the study is marked incomplete; Retrieve again to finish it.")
        (self.priors_label if background else self.status).setText(
            (self.tr("Prior fetched: ") if background else "") + text)
        self.retrieve_finished.emit(report)
        if done and self.open_on_arrival.isChecked() and not background:
            self.open_requested.emit(report.study_uid)

    def _retrieve_failed(self, exc: BaseException, background: bool) -> None:
        (self.priors_label if background else self.status).setText(
            (str(exc) if isinstance(exc, ClinicAppError)
             else self.tr("The retrieve failed ({name__}).").format(name__=type(exc).__name__))
            + self.tr(" The study is marked incomplete; Retrieve again to retry."))
        self.retrieve_finished.emit(None)

    def _retrieve_ended(self) -> None:
        self._retrieving = None
        self.cancel_button.setEnabled(False)
        self.retrieve_button.setEnabled(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setTextVisible(False)

    # -- priors -------------------------------------------------------------------------------
    def show_priors(self, patient_id: str, current_study: str) -> Task | None:
        """List the patient's other studies on the PACS (background)."""
        if not self.node_name or not patient_id:
            return None
        services, session, node = self.services, self.session, self.node_name
        self._priors_for = current_study
        self.priors_label.setText(self.tr("Looking for priors…"))

        def run(progress: ProgressCallback, cancel: CancelToken) -> list[QueryMatch]:
            return [m for m in services.pacs.priors(session, node, patient_id)
                    if m.study_uid != current_study]

        def shown(matches: list[QueryMatch]) -> None:
            self.priors.show_matches(matches)
            self.priors_label.setText(self.tr("{len} prior stud{value} on {node}.").format(
                                          len=len(matches), value='y' if len(matches) == 1 else 'ies',
                                          node=node))
            self.priors_shown.emit(len(matches))

        def failed(exc: BaseException) -> None:
            self.priors_label.setText(str(exc) if isinstance(exc, ClinicAppError)
                                      else self.tr("Priors could not be listed ({name__}).").format(
                                               name__=type(exc).__name__))
            self.priors_shown.emit(-1)

        return self.pool.submit(run, name="pacs priors", on_result=shown, on_error=failed)

    def fetch_prior(self) -> Task | None:
        match = self.priors.selected()
        if match is None:
            self.priors_label.setText(self.tr("Select a prior to fetch."))
            return None
        self.priors_label.setText(self.tr("Fetching the prior in the background…"))
        return self.retrieve(match, background=True)
