"""The physician's workspace: find the patients at risk, see why, try a what-if, report.

Left: the patient list (search, sort by score, filter by category or "cannot compute").
Right, for the selected patient: Summary, Risk, Trends and What-if tabs. Toolbar: import
records, recompute all scores in the background (progress bar and Cancel inline, so the
list stays usable), export the risk report as a PDF.

Every call goes to the services on a worker thread; the widgets only show what comes
back. The services check the permission on every call (a radiologist or an admin who
somehow reached this widget would be refused there too).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.services import Services, Session
from clinic_app.services.analysis import AnalysisState
from clinic_app.services.records import PatientSummary, PatientView
from clinic_app.ui.physician import adapt, list_columns, site_units
from clinic_app.ui.physician.follow_up import FollowUpView
from clinic_app.ui.physician.patient_list import (
    ANY_CATEGORY,
    KEY_ROLE,
    PatientFilter,
    PatientTableModel,
    category_choices,
    category_label,
)
from clinic_app.ui.physician.patient_tabs import PatientTabsMixin
from clinic_app.ui.physician.risk_panel import RiskPanel
from clinic_app.ui.physician.summary import PatientSummaryView
from clinic_app.ui.physician.toolbar_actions import ToolbarActionsMixin
from clinic_app.ui.physician.trends import FACT_NAMES, TrendsView
from clinic_app.ui.physician.views import ScoreView
from clinic_app.ui.physician.what_if import WhatIfPanel
from clinic_app.ui.shell.registry import WorkspaceContext, WorkspaceSpec
from clinic_app.ui.workers import Task, WorkerPool


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class PhysicianWorkspace(ToolbarActionsMixin, PatientTabsMixin):
    def __init__(self, services: Services, session: Session, pool: WorkerPool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("physicianWorkspace")
        self.services = services
        self.session = session
        self.pool = pool
        site_units.use(services.settings.display_units)  # every physician screen's units
        self.patients: list[PatientSummary] = []
        self.current: PatientView | None = None
        self.current_scores: tuple[ScoreView, ...] = ()
        self.recompute_task: Task | None = None
        self.catalog = adapt.Catalog(())

        # -- toolbar ------------------------------------------------------------------------
        self.import_button = QPushButton(self.tr("Import records…"))
        self.import_button.setObjectName("importRecords")
        self.recompute_button = QPushButton(self.tr("Recompute all scores"))
        self.recompute_button.setObjectName("recomputeAll")
        self.export_button = QPushButton(self.tr("Export risk report (PDF)…"))
        self.export_button.setObjectName("exportReport")
        self.export_button.setEnabled(False)
        self.family_button = QPushButton(self.tr("Family history…"))
        self.family_button.setObjectName("recordFamilyHistory")
        self.family_button.setToolTip(self.tr("Record whether a parent or sibling had a heart "
                                              "attack or stroke (used by China-PAR)"))
        self.family_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("recomputeProgress")
        self.progress.setFormat(self.tr("Scoring %v of %m patients"))
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelRecompute")
        self.cancel_button.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("workspaceStatus")
        self.status.setProperty("hint", True)
        toolbar = QHBoxLayout()
        for w in (self.import_button, self.recompute_button, self.progress, self.cancel_button):
            toolbar.addWidget(w)
        toolbar.addWidget(self.status, 1)
        toolbar.addWidget(self.family_button)
        toolbar.addWidget(self.export_button)

        # -- patient list --------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText(self.tr("Search name, MRN or birth date (YYYY-MM-DD)"))
        self.search.setClearButtonEnabled(True)
        self.filter_model = QComboBox()
        self.filter_model.setObjectName("filterModel")
        self.filter_model.setAccessibleName(self.tr("Risk model to filter on"))
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("filterCategory")
        self.filter_category.setAccessibleName(self.tr("Risk category to show"))
        for choice in category_choices():  # the key is the data; the reader sees their language
            self.filter_category.addItem(category_label(choice), choice)
        # Parented, so Qt deletes them with the workspace on the GUI thread; unparented,
        # they died whenever Python's cycle collector reached them, on whichever thread.
        self.table_model = PatientTableModel(self.today(), self)
        self.proxy = PatientFilter(self)
        self.proxy.setSourceModel(self.table_model)
        self.table = QTableView()
        self.table.setObjectName("patientTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        list_columns.prepare(self.table, self.table_model)
        self.wide_button = QPushButton(self.tr("Wide list"))
        self.wide_button.setObjectName("wideList")
        self.wide_button.setCheckable(True)
        self.wide_button.setToolTip(self.tr("Give the whole window to the patient list (every "
                                            "score column in view); opening a patient ends it"))
        self.count_label = QLabel()
        self.count_label.setObjectName("patientCount")
        self.count_label.setProperty("hint", True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Show")))
        filters.addWidget(self.filter_category)
        filters.addWidget(QLabel(self.tr("for")))
        filters.addWidget(self.filter_model, 1)
        filters.addWidget(self.wide_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)

        # -- patient detail ------------------------------------------------------------------
        self.summary = PatientSummaryView()
        self.risk_panel = RiskPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patientTabs")
        self.tabs.addTab(_scroll(self.summary), self.tr("Summary"))
        self.follow_up = FollowUpView()
        risk_tab = QWidget()
        risk_layout = QVBoxLayout(risk_tab)
        risk_layout.setContentsMargins(0, 0, 0, 0)
        risk_layout.addWidget(self.risk_panel, 1)
        risk_layout.addWidget(self.follow_up)
        self.tabs.addTab(risk_tab, self.tr("Risk"))
        self.trends = TrendsView()
        self.tabs.addTab(_scroll(self.trends), self.tr("Trends"))
        self.what_if = WhatIfPanel()
        self.what_if_tab = _scroll(self.what_if)
        self.tabs.addTab(self.what_if_tab, self.tr("What-if"))
        self.placeholder = QLabel(self.tr("Select a patient on the left."))
        self.placeholder.setProperty("hint", True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.placeholder)
        right_layout.addWidget(self.tabs, 1)
        self.tabs.setVisible(False)
        right.setVisible(False)  # until a patient is open, the list has the whole width

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 720])
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._on_search)
        self.filter_category.currentIndexChanged.connect(self._on_filter)
        self.filter_model.currentIndexChanged.connect(self._on_filter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.recompute_button.clicked.connect(self.recompute_all)
        self.wide_button.toggled.connect(
            lambda wide: self.right.setVisible(not wide and self.current is not None))
        self.cancel_button.clicked.connect(self.cancel_recompute)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.export_report)
        self.family_button.clicked.connect(self.record_family_history)
        self.what_if.compute_requested.connect(self.run_what_if)
        self.what_if.therapy_requested.connect(self.run_therapy)
        self.what_if.save_entered.save_requested.connect(self.save_entered)
        self.trends.model.currentIndexChanged.connect(lambda _i: self.load_trend())
        self.risk_panel.model_selected.connect(self.what_if.select_model)
        self.risk_panel.detail.uncertain.confirm_requested.connect(self.confirm_input)
        self.risk_panel.model_selected.connect(lambda _m: self.follow_up.clear())
        self.follow_up.requested.connect(self.load_follow_up)
        self.risk_panel.enter_missing_requested.connect(self.enter_missing)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.recompute_all)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.refresh()

    # -- helpers ---------------------------------------------------------------------------
    def today(self) -> date:
        return self.services.clock().astimezone().date()

    def _submit(self, fn: Any, on_result: Any, name: str) -> Task:
        return self.pool.submit(fn, name=name, on_result=on_result, error_parent=self)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.table_model.rowCount()
        self.count_label.setText(self.tr("{shown} of {total} patients shown").format(shown=shown, total=total))

    # -- list ------------------------------------------------------------------------------
    def refresh(self) -> Task:
        """Reload the patient list and every patient's latest stored scores."""
        services, session = self.services, self.session

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[Any, ...]:
            patients = services.records.list_patients(session)
            cat = adapt.catalog(services, session)
            latest = adapt.latest_scores(services, session, cat)
            return patients, cat, latest

        return self._submit(work, self._on_loaded, self.tr("load patients"))

    def _on_loaded(self, loaded: tuple[list[PatientSummary], adapt.Catalog,
                                       dict[int, list[ScoreView]]]) -> None:
        patients, cat, latest = loaded
        models = cat.columns()
        selected = self.selected_key()
        self.patients = patients
        self.catalog = cat
        self.table_model.today = self.today()
        self.table_model.set_data(patients, latest, models)
        current_model = self.filter_model.currentData()
        self.filter_model.blockSignals(True)
        self.filter_model.clear()
        self.filter_model.addItem(self.tr("any model"), None)
        for m in models:
            self.filter_model.addItem(m.title, m.model_id)
        index = self.filter_model.findData(current_model)
        self.filter_model.setCurrentIndex(max(index, 0))
        self.filter_model.blockSignals(False)
        list_columns.fit_columns(self.table, self.table_model)
        self._update_count()
        if selected is not None:
            self.select_patient(selected)

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _on_filter(self) -> None:
        category = self.filter_category.currentData() or ANY_CATEGORY
        self.proxy.set_category(self.filter_model.currentData(), category)
        self._update_count()

    def selected_key(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return None if not rows else int(rows[0].data(KEY_ROLE))

    def select_patient(self, key: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(KEY_ROLE) == key:
                self.table.selectRow(row)
                return True
        return False

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        key = self.selected_key()
        if key is not None:
            self.open_patient(key)

    # -- one patient -----------------------------------------------------------------------
    def open_patient(self, key: int) -> Task:
        summary = next(p for p in self.patients if p.key == key)
        services, session, cat = self.services, self.session, self.catalog

        columns = [c.model_id for c in cat.columns()]
        trend_model = self.trends.model.currentData() or (columns[0] if columns else None)

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[Any, ...]:
            # One call: one audit entry, and viewing stores no results.
            return adapt.open_chart(services, session, summary, cat, trend_model, FACT_NAMES)

        return self._submit(work, self._on_patient, self.tr("open patient"))

    def _on_patient(self, loaded: tuple[PatientView, list[ScoreView], dict[str, str], Any]) -> None:
        view, scores, statuses, trend = loaded
        if self.selected_key() not in (None, view.patient.key):
            return  # the user moved on while this loaded
        order = [c.model_id for c in self.catalog.columns()]
        scores = adapt.in_panel_order(scores, order)
        self.current = view
        self.current_scores = tuple(scores)
        self.placeholder.setVisible(False)
        self.tabs.setVisible(True)
        self.wide_button.setChecked(False)
        self.right.setVisible(True)
        self.summary.show_view(view, self.today(), lambda uid: statuses.get(uid, AnalysisState.NOT_ANALYSED))
        self.risk_panel.detail.uncertain.set_items(view.uncertain)
        self.risk_panel.set_results(scores)
        self.export_button.setEnabled(bool(scores))
        self.family_button.setEnabled(True)
        self.what_if.set_patient(list(self.catalog.cards.values()), scores)
        self.what_if.select_model(self.risk_panel.current_model_id() or "")  # the one open
        self.trends.set_models([(c.model_id, c.title) for c in self.catalog.columns()],
                               self.risk_panel.current_model_id())
        if trend is not None and trend[0] == self.trends.model.currentData():
            self._on_trend((view.patient.key, trend[1], trend[2]))
        else:
            self.load_trend()

    def _current_summary(self) -> PatientSummary | None:
        if self.current is None:
            return None
        key = self.current.patient.key
        return next((p for p in self.patients if p.key == key), None)

    # -- shell hooks ---------------------------------------------------------------------------
    def session_locked(self) -> None:
        self.current = None
        self.current_scores = ()
        self.table_model.set_data([], {}, [])
        self.tabs.setVisible(False)
        self.right.setVisible(False)
        self.family_button.setEnabled(False)
        self.placeholder.setVisible(True)

    def session_unlocked(self) -> None:
        self.refresh()

    def shutdown(self) -> None:
        self.cancel_recompute()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Ctrl+F", self.tr("Search patients")), ("Ctrl+R", self.tr("Recompute all scores"))]


def _factory(ctx: WorkspaceContext) -> QWidget:
    return PhysicianWorkspace(ctx.services, ctx.session, ctx.pool)


WORKSPACE = WorkspaceSpec(
    key="physician",
    title=QT_TRANSLATE_NOOP("physician.workspace", "Patients and risk"),
    permission=Permission.RISK_VIEW,
    factory=_factory,
    patient_data=True,
    order=20,
    shortcuts=(
        ("Ctrl+F", QT_TRANSLATE_NOOP("physician.workspace", "Search patients")),
        ("Ctrl+R", QT_TRANSLATE_NOOP("physician.workspace", "Recompute all scores")),
    ),
)
