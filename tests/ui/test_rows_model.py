"""RowsTable: sorting by raw keys, the selection following its row, and row lookup."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from clinic_app.ui.rows_model import Column, RowsTable


@dataclass(frozen=True)
class Item:
    name: str
    size: int


COLUMNS = [Column("Name", lambda i: i.name), Column("Size", lambda i: str(i.size),
                                                    sort_key=lambda i: i.size)]


def test_numbers_sort_as_numbers_and_the_selection_follows(qtbot):
    """Sorting by a numeric key puts 9 before 10, and the selected row stays selected."""
    table = RowsTable(COLUMNS, "t", "Items")
    qtbot.addWidget(table)
    table.rows_model.set_rows([Item("b", 10), Item("a", 9), Item("c", 100)])
    assert [i.name for i in table.rows_model.rows] == ["a", "b", "c"]  # default: column 0
    table.selectRow(table.row_of(lambda i: i.name == "c"))
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [i.size for i in table.rows_model.rows] == [100, 10, 9]
    assert table.selected_row() == Item("c", 100)
    table.rows_model.set_rows([Item("x", 1), Item("y", 2)])  # new rows keep the sort order
    assert [i.size for i in table.rows_model.rows] == [2, 1]
