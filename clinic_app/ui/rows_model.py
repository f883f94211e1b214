"""A read-only table model over a list of frozen dataclass rows, with declared columns.

Screens list service results (users, audit entries, studies); each declares its columns
once as ``Column(header, text_of_row)`` and hands the model the rows. The model is
sortable through a QSortFilterProxyModel using the ``SORT_ROLE`` value (the raw value,
so dates and numbers sort as such, not as text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

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

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> T:
        return self.rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.alert is not None:
            kind = column.alert(row)
            colour = _alert_colour(kind) if kind else None
            return QBrush(colour) if colour is not None else None
        return None
