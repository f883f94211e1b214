"""The audit log viewer: filter, verify the HMAC chain, export JSON or CSV.

Patients appear only as keyed pseudonyms (``p-…``): the admin holds no clinical key, so
it can neither see nor compute a patient id. A clinician can give IT the pseudonym of
a patient to search for. Reading, verifying and exporting are each audited by the
service, so the log also records who looked at it.

Times are entered and shown in local time; filters are sent to the service as UTC.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services.audit_log import AuditEntry, AuditFilter, ChainVerification, EventCode
from clinic_app.ui.dialogs import choose_save_path, show_error
from clinic_app.ui.formatting import local_day_bounds_utc, local_time
from clinic_app.ui.rows_model import Column, RowsTable
from clinic_app.ui.shell.registry import WorkspaceContext
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import run_with_progress

OUTCOMES = (
    (None, QT_TRANSLATE_NOOP("admin.audit_viewer", "Any outcome")),
    (0, QT_TRANSLATE_NOOP("admin.audit_viewer", "Success")),
    (4, QT_TRANSLATE_NOOP("admin.audit_viewer", "Minor failure")),
    (8, QT_TRANSLATE_NOOP("admin.audit_viewer", "Serious failure")),
    (12, QT_TRANSLATE_NOOP("admin.audit_viewer", "Major failure")),
)
OUTCOME_NAMES = {value: name for value, name in OUTCOMES if value is not None}


def _outcome_alert(e: AuditEntry) -> str | None:
    return None if e.outcome == 0 else ("warn" if e.outcome == 4 else "error")


AUDIT_COLUMNS: list[Column[AuditEntry]] = [
    Column("#", lambda e: str(e.seq), sort_key=lambda e: e.seq),
    Column(
        QT_TRANSLATE_NOOP("admin.audit_viewer", "Time (local)"),
        lambda e: local_time(e.ts, seconds=True),
        sort_key=lambda e: e.ts,
    ),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Event"), lambda e: EventCode.NAMES.get(e.event_code, e.event_code)),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Action"), lambda e: e.action),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "User"), lambda e: e.user),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Role"), lambda e: e.role),
    Column(
        QT_TRANSLATE_NOOP("admin.audit_viewer", "Outcome"),
        lambda e: translate_any(OUTCOME_NAMES.get(e.outcome, str(e.outcome))),
        sort_key=lambda e: e.outcome,
        alert=_outcome_alert,
    ),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Object"), lambda e: e.object),
    Column(
        QT_TRANSLATE_NOOP("admin.audit_viewer", "Detail"),
        lambda e: json.dumps(e.detail, sort_keys=True, ensure_ascii=False),
        tooltip=lambda e: json.dumps(e.detail, sort_keys=True, indent=1, ensure_ascii=False),
    ),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Patient"), lambda e: e.patient),
    Column(QT_TRANSLATE_NOOP("admin.audit_viewer", "Study"), lambda e: e.study),
]
_DETAIL = 8


class AuditPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPanel")
        self.ctx = ctx
        self.last_verification: ChainVerification | None = None

        # -- filters ---------------------------------------------------------------------
        self.user = QLineEdit(self)
        self.user.setObjectName("auditUser")
        self.user.setAccessibleName(self.tr("Filter by user"))
        self.user.setPlaceholderText(self.tr("any user"))
        self.patient = QLineEdit(self)
        self.patient.setObjectName("auditPatient")
        self.patient.setAccessibleName(self.tr("Filter by patient pseudonym"))
        self.patient.setPlaceholderText(self.tr("p-… pseudonym"))
        self.event_code = QComboBox(self)
        self.event_code.setObjectName("auditEvent")
        self.event_code.setAccessibleName(self.tr("Filter by event type"))
        self.event_code.addItem(self.tr("Any event"), None)
        for code, name in sorted(EventCode.NAMES.items(), key=lambda kv: kv[1]):
            self.event_code.addItem(f"{name} ({code})", code)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("auditOutcome")
        self.outcome.setAccessibleName(self.tr("Filter by outcome"))
        for value, name in OUTCOMES:
            self.outcome.addItem(translate_any(name), value)
        today = QDate.currentDate()
        self.use_from = QCheckBox(self.tr("&From"), self)
        self.use_from.setObjectName("auditUseFrom")
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.date_from.setObjectName("auditFrom")
        self.date_from.setAccessibleName(self.tr("From date"))
        self.use_to = QCheckBox(self.tr("&To"), self)
        self.use_to.setObjectName("auditUseTo")
        self.date_to = QDateEdit(today, self)
        self.date_to.setObjectName("auditTo")
        self.date_to.setAccessibleName(self.tr("To date"))
        for edit, box in ((self.date_from, self.use_from), (self.date_to, self.use_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)
        self.apply_button = QPushButton(self.tr("&Apply filter"), self)
        self.apply_button.setObjectName("auditApply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.refresh)
        clear = QPushButton(self.tr("C&lear"), self)
        clear.setObjectName("auditClear")
        clear.clicked.connect(self.clear_filter)
        for line in (self.user, self.patient):
            line.returnPressed.connect(self.refresh)

        grid = QGridLayout()
        grid.addWidget(_label(self.tr("&User:"), self.user), 0, 0)
        grid.addWidget(self.user, 0, 1)
        grid.addWidget(_label(self.tr("&Patient:"), self.patient), 0, 2)
        grid.addWidget(self.patient, 0, 3)
        grid.addWidget(_label("E&vent:", self.event_code), 0, 4)
        grid.addWidget(self.event_code, 0, 5)
        grid.addWidget(_label(self.tr("Out&come:"), self.outcome), 1, 0)
        grid.addWidget(self.outcome, 1, 1)
        dates = QHBoxLayout()
        for w in (self.use_from, self.date_from, self.use_to, self.date_to):
            dates.addWidget(w)
        dates.addStretch(1)
        grid.addLayout(dates, 1, 2, 1, 2)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(clear)
        actions.addWidget(self.apply_button)
        grid.addLayout(actions, 1, 4, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)

        # -- chain and export --------------------------------------------------------------
        self.verify_button = QPushButton(self.tr("&Verify chain"), self)
        self.verify_button.setObjectName("verifyChainButton")
        self.verify_button.clicked.connect(self.verify)
        self.export_json = QPushButton(self.tr("Export &JSON…"), self)
        self.export_json.setObjectName("exportJsonButton")
        self.export_json.clicked.connect(lambda: self.export("json"))
        self.export_csv = QPushButton(self.tr("Export C&SV…"), self)
        self.export_csv.setObjectName("exportCsvButton")
        self.export_csv.clicked.connect(lambda: self.export("csv"))
        self.count = QLabel("", self)
        self.count.setObjectName("auditCount")
        self.verdict = QLabel("", self)
        self.verdict.setObjectName("chainVerdict")
        self.verdict.setAccessibleName(self.tr("Audit chain verification result"))
        self.verdict.setWordWrap(True)
        self.verdict.setVisible(False)
        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addStretch(1)
        for button in (self.verify_button, self.export_json, self.export_csv):
            bar.addWidget(button)

        self.table: RowsTable[AuditEntry] = RowsTable(
            AUDIT_COLUMNS, "auditTable", self.tr("Audit entries"), self,
            order=Qt.SortOrder.DescendingOrder, single=False)
        self.model = self.table.rows_model
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(bar)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence("F5"), self, self.refresh)

    # -- filter --------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        since = until = None
        if self.use_from.isChecked():
            since = local_day_bounds_utc(_day(self.date_from), end=False)
        if self.use_to.isChecked():
            until = local_day_bounds_utc(_day(self.date_to), end=True)
        return AuditFilter(user=self.user.text().strip() or None,
                           patient=self.patient.text().strip() or None,
                           event_code=self.event_code.currentData(), outcome=self.outcome.currentData(),
                           since=since, until=until)

    def clear_filter(self) -> None:
        self.user.clear()
        self.patient.clear()
        self.event_code.setCurrentIndex(0)
        self.outcome.setCurrentIndex(0)
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        self.refresh()

    def refresh(self) -> None:
        audit, session, flt = self.ctx.services.audit, self.ctx.session, self.current_filter()
        self.apply_button.setEnabled(False)
        self.ctx.pool.submit(lambda _p, _c: audit.entries(session, flt), name="read audit log",
                             on_result=self._loaded, on_error=self._read_failed)

    def _loaded(self, entries: list[AuditEntry]) -> None:
        self.apply_button.setEnabled(True)
        self.model.set_rows(entries)
        self.count.setText(
            self.tr("{len} entries").format(len=len(entries)) if len(entries) != 1 else self.tr("1 entry")
        )
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for col in range(header.count() - 1):  # keep every column in view
            cap = 420 if col == _DETAIL else 200
            header.resizeSection(col, min(header.sectionSize(col), cap))

    def _read_failed(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        show_error(self, exc)

    # -- verify --------------------------------------------------------------------------
    def verify(self) -> None:
        audit, session = self.ctx.services.audit, self.ctx.session
        run_with_progress(self.ctx.pool, self, self.tr("Verifying the audit chain"),
                          lambda _p, _c: audit.verify(session), on_result=self._verified,
                          label=self.tr("Checking every entry's MAC against the one before…"),
                          cancellable=False)

    def _verified(self, result: ChainVerification) -> None:
        self.last_verification = result
        if result.ok:
            self.verdict.setText(f"✔ {result.describe()}")
            set_banner(self.verdict, "ok")
        else:
            self.verdict.setText(
                self.tr("✖ {rstrip}. Do not delete anything: preserve the store folder as it is and tell the "
                        "privacy officer.").format(rstrip=result.describe().rstrip('.')))
            set_banner(self.verdict, "error")
            self._show_entry(result.first_bad_seq)
        self.verdict.setVisible(True)

    def _show_entry(self, seq: int | None) -> None:
        if seq is None:
            return
        row = self.table.row_of(lambda e: e.seq == seq)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # -- export --------------------------------------------------------------------------
    def export(self, fmt: str) -> None:
        suggested = Path.home() / f"clinic-app-audit.{fmt}"
        name_filter = self.tr("JSON (*.json)") if fmt == "json" else self.tr("CSV (*.csv)")
        path = choose_save_path(
            self, self.tr("Export audit log as {upper}").format(upper=fmt.upper()), suggested, name_filter
        )
        if path is None:
            return
        audit, session, flt = self.ctx.services.audit, self.ctx.session, self.current_filter()

        def work(_p: object, _c: object) -> Path:
            text = audit.export(session, fmt, flt)
            try:
                path.write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                raise InvalidInput(self.tr("Cannot write {path}: {strerror}. Choose another folder.").format(
                                       path=path, strerror=exc.strerror)) from exc
            return path
        run_with_progress(self.ctx.pool, self, self.tr("Exporting the audit log"), work,
                          on_result=self._exported, cancellable=False)

    def _exported(self, path: Path) -> None:
        self.ctx.window.statusBar().showMessage(self.tr("Audit log exported to {path}").format(path=path), 10_000)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A field label whose mnemonic (the ``&`` letter) moves the focus to ``buddy``."""
    label = QLabel(text, buddy.parentWidget())
    label.setBuddy(buddy)
    return label


def _day(edit: QDateEdit) -> date:
    """The edit's calendar day as a ``date`` (QDate.toPython is typed as returning object)."""
    day = edit.date()
    return date(day.year(), day.month(), day.day())
