"""Message, confirmation and file dialogs shared by every screen.

Errors reach the user in one way only: :func:`show_error`. A ``ClinicAppError`` carries a
message written for the person at the keyboard and is shown as it is; anything else is
a bug, so the user sees its type and where the log is, never its text or a traceback
(third-party messages can quote file paths or header values that identify a patient),
and the log gets the type and stack frames through ``log_unexpected``, also without
the text.

All dialogs here are Qt's own, not the platform's native ones: the idle lock must be
able to close every open window before it hides the screen, and a native file dialog
is out of Qt's reach.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from clinic_app.errors import (
    AuthenticationError,
    Cancelled,
    ClinicAppError,
    IntegrityError,
    PermissionDenied,
)
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.logging_setup import log_unexpected

UNEXPECTED = (QT_TRANSLATE_NOOP("dialogs", "Something went wrong inside clinic-app ({kind}). The details, "
                                            "without patient "
              "data, were written to the application log (Help → About shows where). "
              "Please tell IT what you were doing when it happened."))


def error_title(exc: BaseException) -> str:
    if isinstance(exc, AuthenticationError):
        return QCoreApplication.translate("dialogs", "Sign-in needed")
    if isinstance(exc, PermissionDenied):
        return QCoreApplication.translate("dialogs", "Not allowed")
    if isinstance(exc, IntegrityError):
        return QCoreApplication.translate("dialogs", "Integrity check failed")
    if isinstance(exc, Cancelled):
        return QCoreApplication.translate("dialogs", "Cancelled")
    if isinstance(exc, ClinicAppError):
        return QCoreApplication.translate("dialogs", "Cannot continue")
    return QCoreApplication.translate("dialogs", "Unexpected error")


def user_message(exc: BaseException) -> str:
    """The text a user may see for ``exc``: ours verbatim, anything else only by type.

    For anything not ours this also logs it (type and frames, no text), so a caller that
    shows the message inline instead of in :func:`show_error` does not lose the bug.
    """
    if isinstance(exc, ClinicAppError):
        return str(exc)
    log_unexpected(exc)
    return translate_any(UNEXPECTED).format(kind=type(exc).__name__)


def _handled_by_lock(parent: QWidget | None, exc: BaseException) -> bool:
    """A sign-in error inside a main window is the lock screen's business, not a dialog's.

    Either the window is already locked (the lock screen says so), or a service call found
    the session idle before the window's own timer did: the window locks now.
    """
    if not isinstance(exc, AuthenticationError) or parent is None:
        return False
    window = parent.window()
    if getattr(window, "is_locked", False):
        return True
    session_lost = getattr(window, "session_lost", None)
    return bool(callable(session_lost) and session_lost())


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the user (``user_message`` logs it if it is not one of ours)."""
    if _handled_by_lock(parent, exc):
        return  # the lock screen says it, and it must stay on top
    text = user_message(exc)
    box = QMessageBox(QMessageBox.Icon.Critical if not isinstance(exc, Cancelled)
                      else QMessageBox.Icon.Information,
                      error_title(exc), text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.setAccessibleName(error_title(exc))
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, ok_text: str = "OK") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.exec()


def choose_save_path(parent: QWidget | None, caption: str, suggested: Path,
                     name_filter: str) -> Path | None:
    """Ask where to save; ``None`` if the user cancelled."""
    dialog = QFileDialog(parent, caption, str(suggested.parent), name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(suggested.name)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_open_path(parent: QWidget | None, caption: str, start: Path, name_filter: str = "",
                     *, folder: bool = False) -> Path | None:
    """Ask for an existing file (or folder); ``None`` if the user cancelled."""
    dialog = QFileDialog(parent, caption, str(start), name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.Directory if folder else QFileDialog.FileMode.ExistingFile)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
