"""The main window: the signed-in user's workspaces, the status bar, and the lock.

One window exists per session; switching user builds a new one, so no widget, cache or
pixel of the first user's work survives into the second user's window.

Locking (idle, Ctrl+L, or "Switch user") in this order:

1. every other top-level window is closed (dialogs rejected, even those in ``exec()``)
   or hidden (non-dialog windows, restored on unlock), and the status message cleared;
2. the workspaces are replaced by the lock screen and every action is disabled, so no
   shortcut reaches a workspace behind it;
3. background tasks are cancelled, and once they have stopped (at most
   ``LOCK_GRACE_MS``) the session's keys are dropped through ``auth.lock``, so a task is
   never cut off mid-transaction by its database closing under it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services import Services, Session
from clinic_app.ui.dialogs import user_message
from clinic_app.ui.formatting import role_title
from clinic_app.ui.login.password_change import ChangePasswordDialog
from clinic_app.ui.shell.idle import IdleWatcher
from clinic_app.ui.shell.info import about_dialog, help_dialog
from clinic_app.ui.shell.language_menu import LanguageMenu
from clinic_app.ui.shell.lock import LockScreen
from clinic_app.ui.shell.registry import WorkspaceContext, WorkspaceSpec, workspaces_for
from clinic_app.ui.shell.status import inference_text, store_text, user_text
from clinic_app.ui.theme import apply_theme, current_theme
from clinic_app.ui.workers import WorkerPool

#: Window kinds hidden by the lock and shown again on unlock (popups and tooltips are not).
_RESTORABLE = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Tool)

#: How long the lock waits for cancelled tasks before dropping the keys regardless.
LOCK_GRACE_MS = 10_000

SHELL_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+L", QT_TRANSLATE_NOOP("shell.window", "Lock the screen now")),
    ("Ctrl+Shift+L", QT_TRANSLATE_NOOP("shell.window", "Switch user (locks, then another user signs in)")),
    ("Ctrl+1 … Ctrl+9", QT_TRANSLATE_NOOP("shell.window", "Show workspace 1 … 9")),
    ("F1", QT_TRANSLATE_NOOP("shell.window", "Keyboard shortcuts (this list)")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("shell.window", "Quit (signs out)")),
)


def _placeholder(text: str, name: str) -> QWidget:
    page = QWidget()
    page.setObjectName(name)
    layout = QVBoxLayout(page)
    label = QLabel(text, page)
    label.setWordWrap(True)
    label.setProperty("banner", "info")
    layout.addWidget(label)
    layout.addStretch(1)
    return page


PENDING_ACCESS = QT_TRANSLATE_NOOP(
    "shell.window",
    "Your account does not hold the key to patient data yet. A colleague who "
    "has access grants it automatically the next time they sign in (or IT "
    "uses the recovery code). Sign out, and sign in again after that.",
)
NO_WORKSPACE = QT_TRANSLATE_NOOP("shell.window", "No workspace is available for your role in this version of "
                                                 "clinic-app.")


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    quit_requested = Signal()
    #: Another user signed in on the lock screen; carries their Session.
    user_switched = Signal(object)

    def __init__(self, services: Services, session: Session,
                 specs: list[WorkspaceSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        self.session = session
        self.is_locked = False
        self._closing = False
        self._lock_reason = "manual"
        self._hidden_windows: list[QWidget] = []
        self._disabled_actions: list[QAction] = []
        self.pool = WorkerPool(self)
        self.pool.all_finished.connect(self._drop_keys)
        self.setWindowTitle(self.tr("clinic-app — {username} ({role_title})").format(
                                username=session.username, role_title=role_title(session.role.value)))

        self.stack = QStackedWidget(self)
        self.tabs = QTabWidget(self.stack)
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)
        self.lock_screen = LockScreen(services, session, self.stack)
        self.lock_screen.before_unlock = self._drop_keys
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        self.specs = workspaces_for(session, specs)
        self.workspaces: list[QWidget] = []
        ctx = WorkspaceContext(services, session, self.pool, self)
        for spec in self.specs:
            widget = (self._build(spec, ctx) if spec.usable_by(session)
                      else _placeholder(translate_any(PENDING_ACCESS), "pendingAccessPage"))
            widget.setProperty("workspaceKey", spec.key)
            self.workspaces.append(widget)
            self.tabs.addTab(widget, translate_any(spec.title))
        if not self.specs:
            self.tabs.addTab(_placeholder(translate_any(NO_WORKSPACE), "noWorkspacePage"), self.tr("Welcome"))

        self._build_menus()
        self._build_status_bar()
        self.lock_screen.unlocked.connect(self._on_unlocked)
        self.lock_screen.other_user_signed_in.connect(self.user_switched)
        self.lock_screen.quit_requested.connect(self.quit_requested)

        self.idle = IdleWatcher(services, session, self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self.idle.start()
        self._initial_size()

    def _initial_size(self) -> None:
        """1280×800, or 90 % of the screen where that is smaller (HiDPI laptops at 150 %)."""
        width, height = 1280, 800
        screen = self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            width = min(width, int(area.width() * 0.9))
            height = min(height, int(area.height() * 0.9))
        self.resize(width, height)

    @staticmethod
    def _build(spec: WorkspaceSpec, ctx: WorkspaceContext) -> QWidget:
        """The workspace, or a page saying why it could not open (the others still work)."""
        try:
            return spec.factory(ctx)
        except Exception as exc:  # shown on the page, never a crash of the whole window
            return _placeholder(QCoreApplication.translate("MainWindow", "The {title} workspace could not open: "
                                                                         "{user_message}").format(
                                    title=translate_any(spec.title), user_message=user_message(exc)),
                                "workspaceErrorPage")

    # -- menus and status ----------------------------------------------------------------
    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None,
                slot: object, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.lock_action = self._action(self.tr("&Lock screen"), "Ctrl+L", lambda: self.lock("manual"),
                                        "lockAction")
        self.switch_action = self._action(self.tr("S&witch user…"), "Ctrl+Shift+L",
                                          lambda: self.lock("switch user"), "switchUserAction")
        self.password_action = self._action(self.tr("Change &password…"), None, self.change_password,
                                            "changePasswordAction")
        self.sign_out_action = self._action(self.tr("Sign &out"), None, self.sign_out_requested,
                                            "signOutAction")
        self.quit_action = self._action(self.tr("&Quit"), "Ctrl+Q", self.quit_requested, "quitAction")
        for a in (self.lock_action, self.switch_action, self.password_action,
                  self.sign_out_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu(self.tr("&View"))
        self.light_action = self._action(self.tr("&Light theme"), None, self._toggle_theme, "lightTheme")
        self.light_action.setCheckable(True)
        app = QApplication.instance()
        self.light_action.setChecked(isinstance(app, QApplication) and current_theme(app) == "light")
        view_menu.addAction(self.light_action)
        view_menu.addMenu(LanguageMenu(self))
        if self.tabs.count() > 1:
            view_menu.addSeparator()
            for i in range(min(self.tabs.count(), 9)):
                act = self._action(self.tabs.tabText(i), f"Ctrl+{i + 1}",
                                   lambda _=False, n=i: self.tabs.setCurrentIndex(n),
                                   f"showWorkspace{i + 1}")
                view_menu.addAction(act)

        help_menu = bar.addMenu(self.tr("&Help"))
        self.help_action = self._action(self.tr("&Keyboard shortcuts"), "F1", self.show_help, "helpAction")
        self.about_action = self._action(self.tr("&About clinic-app"), None, self.show_about, "aboutAction")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(self)
        self.user_label.setObjectName("statusUser")
        self.provider_label = QLabel(self)
        self.provider_label.setObjectName("statusProvider")
        self.store_label = QLabel(self)
        self.store_label.setObjectName("statusStore")
        for label in (self.user_label, self.provider_label, self.store_label):
            bar.addPermanentWidget(label)
        self.refresh_status()

    def refresh_status(self) -> None:
        """Re-read user, provider and store state (workspaces call this after loading models)."""
        self.user_label.setText(user_text(self.session))
        self.provider_label.setText(inference_text(self.services))
        self.store_label.setText(self.tr("Store: locked") if self.is_locked else store_text(self.session))

    def _toggle_theme(self, light: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, "light" if light else "dark")

    # -- help ----------------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        rows = [(self.tr("Everywhere"), keys, translate_any(what)) for keys, what in SHELL_SHORTCUTS]
        for spec, widget in zip(self.specs, self.workspaces, strict=False):
            pairs = list(spec.shortcuts)
            extra = getattr(widget, "shortcuts", None)
            if callable(extra):
                pairs += list(extra())
            rows += [(translate_any(spec.title), translate_any(keys), translate_any(what)) for keys, what in pairs]
        return rows

    def show_help(self) -> None:
        help_dialog(self, self.shortcut_rows()).exec()

    def show_about(self) -> None:
        about_dialog(self, self.services).exec()

    def change_password(self) -> None:
        dialog = ChangePasswordDialog(self.services, self.session, self.pool, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(self.tr("Password changed."), 5_000)

    # -- lock ----------------------------------------------------------------------------
    def lock(self, reason: str = "manual") -> None:
        """Hide everything behind the lock screen; the keys follow once tasks have stopped."""
        if self.is_locked:
            if reason == "switch user":
                self.lock_screen.show_other_user(True)
            return
        self.is_locked = True
        self._lock_reason = reason
        self.idle.paused = True
        self._close_other_windows()
        self.statusBar().clearMessage()
        self._disable_actions()
        self.stack.setCurrentWidget(self.lock_screen)
        for widget in self.workspaces:
            hook = getattr(widget, "session_locked", None)
            if callable(hook):
                hook()
        text = {
            "idle": self.tr("The screen locked after {minutes:g} minutes without activity.").format(
                minutes=self.services.settings.idle_timeout_minutes),
            "switch user": self.tr("Another user may sign in below; this session ends when they do."),
        }.get(reason, self.tr("The screen is locked."))
        self.lock_screen.reset(text)
        if reason == "switch user":
            self.lock_screen.show_other_user(True)
        self.refresh_status()
        self.pool.cancel_all()
        if self.pool.active_count == 0:
            self._drop_keys()
        else:  # all_finished calls _drop_keys; this is the deadline
            QTimer.singleShot(LOCK_GRACE_MS, self._drop_keys)

    def session_lost(self) -> bool:
        """Called on a sign-in error: lock the screen if the service layer locked the session."""
        if self.session.locked and not self.is_locked:
            self.lock("idle")
        return self.is_locked

    def _drop_keys(self) -> None:
        """Lock the session's keys away, if the window is (still) locked."""
        if self.is_locked and not self.session.locked:
            self.services.auth.lock(self.session, reason=self._lock_reason)

    def _close_other_windows(self) -> None:
        """Close every dialog (even one in exec()) and hide every other window and popup."""
        self._hidden_windows = []
        for _ in range(3):  # a closing dialog may open another (a confirmation)
            visible = [w for w in QApplication.topLevelWidgets()
                       if w is not self and w.isVisible()]
            if not visible:
                return
            for w in visible:
                if isinstance(w, QDialog):
                    w.reject()
                    if w.isVisible():
                        w.hide()
                else:
                    if w.windowType() in _RESTORABLE:
                        self._hidden_windows.append(w)
                    w.hide()

    def _disable_actions(self) -> None:
        keep = {self.quit_action}
        self._disabled_actions = [a for a in self.findChildren(QAction)
                                  if a.isEnabled() and a not in keep]
        for a in self._disabled_actions:
            a.setEnabled(False)
        self.menuBar().setEnabled(False)

    def _on_unlocked(self) -> None:
        self.is_locked = False
        for a in self._disabled_actions:
            a.setEnabled(True)
        self._disabled_actions = []
        self.menuBar().setEnabled(True)
        self.stack.setCurrentWidget(self.tabs)
        for w in self._hidden_windows:
            w.show()
        self._hidden_windows = []
        for widget in self.workspaces:
            hook = getattr(widget, "session_unlocked", None)
            if callable(hook):
                hook()
        self.idle.paused = False
        self.refresh_status()

    # -- teardown ------------------------------------------------------------------------
    def shutdown(self, wait_ms: int = 5_000) -> None:
        """Stop the idle watcher and every task, let workspaces clean up, then close."""
        self.idle.stop()
        self.pool.cancel_all()
        self.lock_screen.pool.cancel_all()
        self.pool.wait(wait_ms)
        self.lock_screen.pool.wait(wait_ms)
        for widget in self.workspaces:
            hook = getattr(widget, "shutdown", None)
            if callable(hook):
                hook()
        self._closing = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
            return
        event.ignore()
        self.quit_requested.emit()
