"""The GUI entry point: QApplication, HiDPI, theme, the last-resort error hook, the shell.

``clinic-app`` with no command calls :func:`run_gui`. Anything that escapes a slot lands
in :func:`install_excepthook`'s hook: it is logged without its message (see
``logging_setup.log_unexpected``) and the user gets a dialog that names only the error's
type and where the log is, never patient data or a traceback.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from clinic_app import __version__
from clinic_app.config import Settings
from clinic_app.errors import UsageError
from clinic_app.i18n.choice import chosen_language
from clinic_app.logging_setup import log_unexpected
from clinic_app.services import Services
from clinic_app.ui.dialogs import show_error
from clinic_app.ui.theme import apply_theme
from clinic_app.ui.translators import install_language

_in_hook = threading.local()


def create_application(argv: list[str] | None = None, *, theme: str = "dark",
                       language: str = "en") -> QApplication:
    """The QApplication (created once), HiDPI-correct, with the theme and language applied."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # Fractional scale factors (125 %, 150 %) are passed through, not rounded, so text
        # and images are neither blurry nor oversized on HiDPI screens.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("clinic-app")
    app.setApplicationDisplayName("clinic-app")
    app.setOrganizationName("clinic-app")
    app.setApplicationVersion(__version__)
    apply_theme(app, theme)
    install_language(app, language)
    return app


def _hook(kind: type[BaseException], exc: BaseException,
          tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        app = QApplication.instance()
        if app is not None:
            app.quit()
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    if getattr(_in_hook, "active", False):  # an error while showing an error: log only
        log_unexpected(exc)
        return
    _in_hook.active = True
    try:
        show_error(QApplication.activeWindow(), exc)
    finally:
        _in_hook.active = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        log_unexpected(args.exc_value)


def install_excepthook() -> None:
    """Route uncaught exceptions (GUI thread: dialog + log; other threads: log)."""
    sys.excepthook = _hook
    threading.excepthook = _thread_hook


def check_display() -> None:
    """Refuse clearly where Qt would abort the process: Linux with no display to draw on."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UsageError(
            QCoreApplication.translate(
                "app",
                "There is no display to open the desktop app on (DISPLAY and WAYLAND_DISPLAY are "
                "unset). Start it from a desktop session, or use the command-line commands "
                "('clinic-app --help'); 'clinic-app --self-test' checks an installation.",
            )
        )


def run_gui(settings: Settings, language: str | None = None) -> int:
    """Open the desktop app on ``settings.store_dir``; returns the process exit code.

    ``language`` is what the command line chose (``--lang``); by default the settings'.
    """
    from clinic_app.ui.shell.flow import ShellFlow

    check_display()
    app = create_application(theme=settings.theme,
                             language=language or chosen_language(settings.language).value)
    install_excepthook()
    app.setQuitOnLastWindowClosed(False)  # sign-out closes the window before the next sign-in
    services = Services(settings)
    try:
        flow = ShellFlow(services)
        flow.finished.connect(app.quit)
        if not flow.start():
            return 0
        return int(app.exec())
    finally:
        services.close()
