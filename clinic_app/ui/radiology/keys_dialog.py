"""Where a reader's key bindings live, and going back to the shipped keys.

Rebinding is done by editing a small JSON file (the format is in docs/radiology.md);
this dialog names that file so the reader can find it, says whether it is in use, and
resets it. Help lists the keys themselves, from the same table that handles them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.ui.radiology.reader_files import ReaderFiles


def key_file_text(files: ReaderFiles) -> str:
    """Plain text naming the key file and whether it is in use."""
    state = (
        QCoreApplication.translate("radiology.keys_dialog", "in use")
        if files.keys_path.exists()
        else QCoreApplication.translate("radiology.keys_dialog", "not there yet: the shipped keys apply")
    )
    return QCoreApplication.translate(
            "radiology.keys_dialog",
            "Your key bindings are kept in\n{path}\n({state}).\n\nEdit it to rebind keys "
            "(a JSON object of action → list of keys); Help lists the keys in use. Your own "
            "hanging protocols are in\n{protocols}",
        ).format(path=files.keys_path, state=state, protocols=files.protocols_path)


def show_key_file(parent: QWidget, files: ReaderFiles, reset: Callable[[], None]) -> QMessageBox:
    """A dialog with the file's path and a Reset button; ``reset`` runs after removing it."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("radiology.keys_dialog", "Your keys"),
        key_file_text(files),
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("keysDialog")
    box.setTextFormat(box.textFormat().PlainText)
    reset_button = box.addButton(
        QCoreApplication.translate("radiology.keys_dialog", "Reset to the shipped keys"),
        QMessageBox.ButtonRole.ResetRole,
    )
    reset_button.setObjectName("resetKeys")
    reset_button.setEnabled(files.keys_path.exists())

    def clicked(button: object) -> None:
        if button is reset_button:
            files.reset_keys()
            reset()

    box.buttonClicked.connect(clicked)
    box.open()
    return box
