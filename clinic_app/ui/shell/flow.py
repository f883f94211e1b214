"""The sign-in lifecycle: first-run setup, sign-in, sign-out, switch user, quit.

One object owns "who is signed in now" so that every path (the File menu, the lock
screen, closing the window) ends the previous session the same way: the window's tasks
are cancelled and drained, its workspaces are told, the window is destroyed, and only
then is the session logged out (audited) and its keys wiped.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtWidgets import QDialog

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services import Services, Session
from clinic_app.ui.dialogs import confirm
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.setup.wizard import SetupWizard
from clinic_app.ui.shell.account_language import AccountLanguage
from clinic_app.ui.shell.registry import WorkspaceSpec, load_specs
from clinic_app.ui.shell.window import MainWindow
from clinic_app.ui.workers import WorkerPool

RUNNING_TASKS = (QT_TRANSLATE_NOOP("shell.flow", "Background work is still running. It will be cancelled; anything not "
                 "finished is not kept. Continue?"))


class ShellFlow(QObject):
    #: Emitted when the application should exit (quit, or sign-in declined).
    finished = Signal()
    #: Emitted with each new main window (tests and the screenshot script use it).
    window_opened = Signal(object)

    def __init__(self, services: Services, specs: Sequence[WorkspaceSpec] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        # Workspace modules are imported at the first sign-in; they translate their text
        # when a screen is built, so each later account reads its own language.
        self._specs = list(specs) if specs is not None else None
        self.languages = AccountLanguage()
        self.pool = WorkerPool(self)
        self.window: MainWindow | None = None
        self._geometry: QByteArray | None = None

    @property
    def specs(self) -> list[WorkspaceSpec]:
        if self._specs is None:
            self._specs = load_specs()
        return self._specs

    # -- start ---------------------------------------------------------------------------
    def start(self) -> bool:
        """Setup (if there is no store), then sign-in; False if the user gave up."""
        username = ""
        if not self.services.auth.store_exists():
            wizard = SetupWizard(self.services, self.pool)
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return False
            username = wizard.admin_name
        session = self.ask_sign_in(username)
        if session is None:
            return False
        self.open(session)
        return True

    def ask_sign_in(self, username: str = "") -> Session | None:
        dialog = LoginDialog(self.services, self.pool, username=username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.session

    def open(self, session: Session) -> MainWindow:
        self.languages.signed_in(session.username)
        window = MainWindow(self.services, session, self.specs)
        if self._geometry is not None:
            window.restoreGeometry(self._geometry)
        window.sign_out_requested.connect(self.sign_out)
        window.quit_requested.connect(self.quit)
        window.user_switched.connect(self.switch_to)
        self.window = window
        window.show()
        self.window_opened.emit(window)
        return window

    # -- end a session -------------------------------------------------------------------
    def _close_window(self, *, ask: bool) -> bool:
        """Tear down the current window and log its session out; False if the user declined."""
        window = self.window
        if window is None:
            return True
        if ask and window.pool.active_count and not confirm(window, self.tr("Cancel running work?"),
                                                            translate_any(RUNNING_TASKS), self.tr("Cancel work")):
            return False
        self._geometry = window.saveGeometry()
        window.shutdown()
        self.services.auth.logout(window.session)
        window.deleteLater()
        self.window = None
        self.languages.signed_out()
        return True

    def sign_out(self) -> None:
        if not self._close_window(ask=True):
            return
        session = self.ask_sign_in()
        if session is None:
            self.finished.emit()
            return
        self.open(session)

    def switch_to(self, session: Session) -> None:
        """Another user signed in on the lock screen: end the first session, open theirs."""
        self._close_window(ask=False)
        self.open(session)

    def quit(self) -> None:
        if self._close_window(ask=True):
            self.finished.emit()
