"""The worklist: every study in the store, filtered and sorted, with its AI status.

The table model holds plain rows (:class:`WorklistRow`); the proxy does the filtering
(text, date range, modality, AI status) and sorting on typed keys, so a date sorts as a
date and a series count as a number. Loading the rows is a service call made on a worker
by the workspace; this module never calls a service itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate, translate_any
from clinic_app.ui.radiology.display import person_name
from clinic_app.ui.radiology.status import STATUS_COLOUR, AiStatus, WorklistRow

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
UID_ROLE = Qt.ItemDataRole.UserRole + 2

# Column titles in English, translated in headerData so they follow the signed-in account.
COLUMNS = (
    QT_TRANSLATE_NOOP("radiology.worklist", "Patient"),
    "MRN",
    QT_TRANSLATE_NOOP("radiology.worklist", "Date"),
    QT_TRANSLATE_NOOP("radiology.worklist", "Modality"),
    QT_TRANSLATE_NOOP("radiology.worklist", "Description"),
    QT_TRANSLATE_NOOP("radiology.worklist", "Series"),
    QT_TRANSLATE_NOOP("radiology.worklist", "AI status"),
)


class StudiesModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[WorklistRow] = []

    def set_rows(self, rows: list[WorklistRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_status(self, study_uid: str, status: AiStatus, detail: str = "") -> None:
        for n, row in enumerate(self.rows):
            if row.uid == study_uid:
                self.rows[n] = replace(row, ai_status=status, ai_detail=detail or row.ai_detail)
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))

    def row_for(self, study_uid: str) -> WorklistRow | None:
        return next((r for r in self.rows if r.uid == study_uid), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("radiology.worklist", COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text(col)
        if role == SORT_ROLE:
            return row.sort_key(col)
        if role == UID_ROLE:
            return row.uid
        if role == Qt.ItemDataRole.ToolTipRole and col == 6 and row.ai_detail:
            return row.ai_detail
        if role == Qt.ItemDataRole.ForegroundRole and col == 6 and row.ai_status in STATUS_COLOUR:
            return QColor(STATUS_COLOUR[row.ai_status])
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


@dataclass(frozen=True)
class WorklistFilter:
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    modality: str = ""
    status: AiStatus | None = None

    def accepts(self, row: WorklistRow) -> bool:
        s = row.study
        if self.text:
            needle = self.text.casefold()
            hay = " ".join((s.patient_name, person_name(s.patient_name), s.patient_id,
                            s.description, s.accession)).casefold()
            if needle not in hay:
                return False
        if self.date_from or self.date_to:
            if not s.study_date:
                return False
            try:
                day = date.fromisoformat(s.study_date)
            except ValueError:
                return False
            if self.date_from and day < self.date_from:
                return False
            if self.date_to and day > self.date_to:
                return False
        if self.modality and self.modality not in s.modalities:
            return False
        return self.status is None or row.ai_status == self.status


class StudiesProxy(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criteria = WorklistFilter()
        self.setSortRole(SORT_ROLE)

    def set_criteria(self, criteria: WorklistFilter) -> None:
        self.beginFilterChange()
        self.criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, StudiesModel)
        return self.criteria.accepts(model.rows[source_row])

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class WorklistView(QWidget):
    """Filter bar + studies table. ``study_opened`` on double-click or Enter."""

    study_selected = Signal(str)
    study_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worklist")
        self.model = StudiesModel(self)
        self.proxy = StudiesProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setObjectName("worklistSearch")
        self.search.setPlaceholderText(self.tr("Search name, MRN, description, accession"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search studies"))
        self.from_check = QCheckBox(self.tr("From"), self)
        self.from_date = QDateEdit(self)
        self.to_check = QCheckBox(self.tr("to"), self)
        self.to_date = QDateEdit(self)
        today = QDate.currentDate()
        for check, edit, default, name in ((self.from_check, self.from_date, today.addYears(-1), "fromDate"),
                                           (self.to_check, self.to_date, today, "toDate")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(default)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._apply)
            edit.dateChanged.connect(self._apply)
        self.from_date.setAccessibleName(self.tr("Studies from date"))
        self.to_date.setAccessibleName(self.tr("Studies to date"))
        self.modality = QComboBox(self)
        self.modality.setObjectName("modalityFilter")
        self.modality.setAccessibleName(self.tr("Modality"))
        self.modality.addItem(self.tr("All modalities"), "")
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.setAccessibleName(self.tr("AI status"))
        self.status.addItem(self.tr("Any AI status"), "")
        for st in AiStatus:
            self.status.addItem(translate_any(st.value).capitalize(), st)
        self.count_label = QLabel(self)
        self.count_label.setProperty("hint", "true")
        self.search.textChanged.connect(self._apply)
        self.modality.currentIndexChanged.connect(self._apply)
        self.status.currentIndexChanged.connect(self._apply)

        self.table = QTableView(self)
        self.table.setObjectName("studiesTable")
        self.table.setAccessibleName(self.tr("Studies"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 190), (1, 100), (2, 96), (3, 80), (5, 60), (6, 110)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.from_check)
        bar.addWidget(self.from_date)
        bar.addWidget(self.to_check)
        bar.addWidget(self.to_date)
        bar.addWidget(self.modality)
        bar.addWidget(self.status)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    # -- data ----------------------------------------------------------------------------
    def set_rows(self, rows: list[WorklistRow]) -> None:
        current = self.current_uid()
        self.model.set_rows(rows)
        modalities = sorted({m for r in rows for m in r.study.modalities})
        chosen = self.modality.currentData()
        self.modality.blockSignals(True)
        self.modality.clear()
        self.modality.addItem(self.tr("All modalities"), "")
        for m in modalities:
            self.modality.addItem(m, m)
        self.modality.setCurrentIndex(max(self.modality.findData(chosen), 0))
        self.modality.blockSignals(False)
        self._apply()
        if current:
            self.select(current)

    def set_status(self, study_uid: str, status: AiStatus, detail: str = "") -> None:
        self.model.set_status(study_uid, status, detail)
        self._update_count()

    def criteria(self) -> WorklistFilter:
        return WorklistFilter(
            text=self.search.text().strip(),
            date_from=_day(self.from_date) if self.from_check.isChecked() else None,
            date_to=_day(self.to_date) if self.to_check.isChecked() else None,
            modality=self.modality.currentData() or "",
            # Qt stores the enum as its string value: convert it back.
            status=AiStatus(self.status.currentData()) if self.status.currentData() else None)

    def _apply(self) -> None:
        self.proxy.set_criteria(self.criteria())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            self.tr("{shown} of {total}").format(shown=shown, total=total)
            if shown != total
            else self.tr("{total} studies").format(total=total)
        )

    def visible_uids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(UID_ROLE) for r in range(self.proxy.rowCount())]

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(UID_ROLE) if index.isValid() else None

    def select(self, study_uid: str) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(UID_ROLE) == study_uid:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.study_selected.emit(current.data(UID_ROLE))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.study_opened.emit(index.data(UID_ROLE))


def _day(edit: QDateEdit) -> date:
    """The edit's calendar day (Qt's toPython is typed as returning object)."""
    d = edit.date()
    return date(d.year(), d.month(), d.day())
