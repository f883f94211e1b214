"""How the patient list's columns fit a 1280x800 screen without hiding a model.

Every model keeps its column (a physician must see that a score exists before asking
for it). The columns are made narrow instead: a score cell is short lines (the value over
its category, or "cannot compute" over why), a header wraps onto two lines
and its tooltip names the model in full, and no score column is wider than
``SCORE_WIDTH``; the cell's tooltip holds anything elided. A physician who never uses
a model can still take its column away (right-click a header); that is their choice,
for this window only, and "Show all score columns" puts every one back.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from clinic_app.ui.physician.patient_list import PatientTableModel, compact_score

#: The widest a score column gets (px): "intermediate" fits on a line.
SCORE_WIDTH = 86
#: The widest the Flags column gets (px); one flag a line, the tooltip has them all.
FLAGS_WIDTH = 110
#: Room around a cell's text (px): the style's margins, the grid line, and in a header
#: the sort arrow's share (the sorted column's header may elide a letter or two).
CELL_MARGIN = 12
#: Lines of text in a row: "cannot" / "compute" / why.
ROW_LINES = 3
def fit_columns(table: QTableView, model: PatientTableModel) -> None:
    """Size every column to its text; a score column to its header and the lines that
    must be read whole (value and category, or "cannot" / "compute"), at most
    ``SCORE_WIDTH``: the reason under "cannot compute" is elided into its tooltip."""
    table.resizeColumnsToContents()
    metrics = table.fontMetrics()
    for section in range(model.columnCount()):
        column = model.model_at(section)
        if column is None:
            continue
        lines = [line for row in model.rows if (r := row.results.get(column.model_id))
                 for line in compact_score(r).split("\n")[:2]]
        title = str(model.headerData(section, Qt.Orientation.Horizontal))
        widest = max((metrics.horizontalAdvance(line) for line in [*lines, *title.split("\n")]),
                     default=0)
        table.setColumnWidth(section, min(SCORE_WIDTH, widest + CELL_MARGIN))
    flags = model.columnCount() - 1
    if model.columnCount() and table.columnWidth(flags) > FLAGS_WIDTH:
        table.setColumnWidth(flags, FLAGS_WIDTH)


def prepare(table: QTableView, model: PatientTableModel) -> None:
    """Two-line headers and cells, elided text, and the header's column chooser."""
    table.setWordWrap(False)  # the model breaks the lines; each line is elided on its own
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter
                               | Qt.TextFlag.TextWordWrap)
    header.setHighlightSections(False)  # bold headers would wrap onto a third line
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.setToolTip(QCoreApplication.translate("PatientList",
                                                 "Right-click to choose which score columns to show"))
    header.customContextMenuRequested.connect(
        lambda pos: chooser_menu(table, model).exec(header.mapToGlobal(QPoint(pos))))
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().lineSpacing() * ROW_LINES + 8)


def chooser_menu(table: QTableView, model: PatientTableModel) -> QMenu:
    """One checkable entry per model column, and "Show all score columns"."""
    menu = QMenu(table)
    menu.setObjectName("scoreColumnChooser")
    for section in range(model.columnCount()):
        column = model.model_at(section)
        if column is None:
            continue
        action = menu.addAction(column.name or column.title)
        action.setCheckable(True)
        action.setChecked(not table.isColumnHidden(section))
        action.toggled.connect(lambda on, s=section: table.setColumnHidden(s, not on))
    menu.addSeparator()
    show_all = menu.addAction(QCoreApplication.translate("PatientList", "Show all score columns"))
    show_all.triggered.connect(lambda: show_all_columns(table, model))
    return menu


def show_all_columns(table: QTableView, model: PatientTableModel) -> None:
    for section in range(model.columnCount()):
        table.setColumnHidden(section, False)

