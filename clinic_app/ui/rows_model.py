"""A read-only table model over a list of frozen dataclass rows, with declared columns.

Screens list service results (users, audit entries, studies); each declares its columns
once as ``Column(header, text_of_row)`` and hands the model the rows. The model sorts
itself by each column's ``sort_key`` (the raw value, so dates and numbers sort as such):
one key per row computed in Python and a C sort, instead of a proxy model calling back
into Python for every comparison (a 20,000-entry audit log sorted through a proxy held
the GUI thread for most of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget

from clinic_app.i18n import translate_any
from clinic_app.ui.theme import compact_rows

T = TypeVar("T")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    tooltip: Callable[[T], str] | None = None
    #: A colour name ("error", "warn") for rows that need attention in this column.
    alert: Callable[[T], str | None] | None = None


#: Text colours for cells that need attention, readable on the dark and the light theme.
ALERT_COLOURS = {
    "dark": {"error": QColor("#ff7b72"), "warn": QColor("#e3b341"), "ok": QColor("#56d364")},
    "light": {"error": QColor("#b42318"), "warn": QColor("#8a6100"), "ok": QColor("#1a7f37")},
}


def _alert_colour(kind: str) -> QColor | None:
    app = QApplication.instance()
    dark = not isinstance(app, QApplication) or app.palette().window().color().lightness() < 128
    return ALERT_COLOURS["dark" if dark else "light"].get(kind)


class RowsModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sorted_by is not None:
            self._sort_rows(*self._sorted_by)
        self.endResetModel()

    def _key(self, column: int) -> Callable[[T], Any]:
        col = self.columns[column]
        return col.sort_key or col.text

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self.rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        previous = list(self.rows)
        self._sort_rows(column, order)
        position = {id(row): i for i, row in enumerate(self.rows)}
        old = self.persistentIndexList()  # the selection follows its rows
        new = [self.index(position[id(previous[i.row()])], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def row(self, index: int) -> T:
        return self.rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate_any(self.columns[section].header)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.alert is not None:
            kind = column.alert(row)
            colour = _alert_colour(kind) if kind else None
            return QBrush(colour) if colour is not None else None
        return None


class RowsTable(QTableView, Generic[T]):
    """A sortable, read-only, row-selecting table over a :class:`RowsModel`.

    ``rows_model`` holds (and sorts) the rows; ``index.data(ROW_ROLE)`` gives a row back.
    """

    def __init__(self, columns: Sequence[Column[T]], name: str, accessible_name: str,
                 parent: QWidget | None = None, *, sort_column: int = 0,
                 order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
                 single: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.rows_model: RowsModel[T] = RowsModel(columns, self)
        self.setModel(self.rows_model)
        self.setSortingEnabled(True)
        self.sortByColumn(sort_column, order)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        if single:
            self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        compact_rows(self)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(200)  # size columns from the first rows, not all
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def row_of(self, match: Callable[[T], bool]) -> int | None:
        """The display row of the first row object ``match`` accepts."""
        return next((i for i, row in enumerate(self.rows_model.rows) if match(row)), None)

    def selected_row(self) -> T | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None
