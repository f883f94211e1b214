"""Help (keyboard shortcuts) and About (versions, models, where the log is) dialogs."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app import __version__
from clinic_app.services import Services
from clinic_app.ui.shell.status import loaded_models
from clinic_app.ui.theme import compact_rows


def _table(rows: Sequence[tuple[str, str]], headers: tuple[str, str], name: str,
           parent: QWidget) -> QTableWidget:
    table = QTableWidget(len(rows), 2, parent)
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    compact_rows(table)
    for r, (a, b) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(a))
        table.setItem(r, 1, QTableWidgetItem(b))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _dialog(parent: QWidget | None, title: str, name: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    return dialog, layout


def _close_button(dialog: QDialog, layout: QVBoxLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)


def help_dialog(parent: QWidget | None, shortcuts: Sequence[tuple[str, str, str]]) -> QDialog:
    """Shortcuts as (where, keys, what it does), grouped in the order given."""
    dialog, layout = _dialog(parent, QCoreApplication.translate("shell.info", "Keyboard shortcuts"), "helpDialog")
    intro = QLabel(
        QCoreApplication.translate(
            "shell.info",
            "Every action can be reached from the keyboard. Shortcuts that belong to "
            "a workspace work while that workspace is shown.",
        ),
        dialog,
    )
    intro.setWordWrap(True)
    layout.addWidget(intro)
    table = QTableWidget(len(shortcuts), 3, dialog)
    table.setObjectName("shortcutTable")
    table.setAccessibleName(QCoreApplication.translate("shell.info", "Keyboard shortcuts"))
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("shell.info", "Where"),
            QCoreApplication.translate("shell.info", "Keys"),
            QCoreApplication.translate("shell.info", "Action"),
        ]
    )
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    compact_rows(table)
    for r, row in enumerate(shortcuts):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    layout.addWidget(table)
    _close_button(dialog, layout)
    dialog.resize(620, 460)
    return dialog


def about_rows(services: Services) -> list[tuple[str, str]]:
    rows = [(v.name, v.version) for v in services.system.versions()]
    rows.insert(2, ("Qt", qVersion()))
    rows.insert(3, ("PySide6", pyside_version))
    return rows


def about_dialog(parent: QWidget | None, services: Services) -> QDialog:
    dialog, layout = _dialog(parent, QCoreApplication.translate("shell.info", "About clinic-app"), "aboutDialog")
    head = QLabel(QCoreApplication.translate("shell.info", "clinic-app {version__}").format(
                      version__=__version__), dialog)
    head.setProperty("heading", True)
    layout.addWidget(head)
    text = QLabel(
        QCoreApplication.translate("shell.info", "Desktop clinician assistant: DICOM review with AI "
                                                 "findings, explained risk scores, an encrypted local store, "
                                                 "role-based sign-in and a tamper-evident audit "
                                                 "log.<br><br><b>Store:</b> {escape}<br><b>Log folder:</b> "
                                                 "{escape2} (no patient data)").format(
            escape=html.escape(str(services.settings.store_dir)),
            escape2=html.escape(str(services.settings.effective_log_dir))), dialog)
    text.setWordWrap(True)
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(text)
    layout.addWidget(
        _table(
            about_rows(services),
            (
                QCoreApplication.translate("shell.info", "Component"),
                QCoreApplication.translate("shell.info", "Version"),
            ),
            "versionTable",
            dialog,
        ),
        3,
    )
    models = loaded_models(services)
    layout.addWidget(QLabel(QCoreApplication.translate("shell.info", "Loaded models:"), dialog))
    layout.addWidget(
        _table(
            models or [("—", QCoreApplication.translate("shell.info", "No models loaded"))],
            (
                QCoreApplication.translate("shell.info", "Model"),
                QCoreApplication.translate("shell.info", "Version · provider"),
            ),
            "modelTable",
            dialog,
        ),
        1,
    )
    _close_button(dialog, layout)
    dialog.resize(620, 600)
    return dialog
