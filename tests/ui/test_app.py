"""GUI entry: the last-resort error hook, the theme, and run_gui's start-up path."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication, QWizard

from clinic_app.config import Settings
from clinic_app.logging_setup import LOG_FILE, configure
from clinic_app.ui import app as gui_app
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.setup.wizard import SetupWizard
from clinic_app.ui.theme import apply_theme, current_theme
from tests.ui.conftest import on_modal


@pytest.fixture(autouse=True)
def keep_hooks():
    """run_gui installs process-wide hooks; put pytest-qt's back afterwards."""
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


def test_uncaught_exception_shows_its_type_and_logs_no_message(qtbot, tmp_path, error_dialogs):
    """The hook's dialog names the error type only; the log has the frames, not the text."""
    configure(tmp_path)
    patient = {"mrn": "1234567", "name": "DOE^JANE"}
    try:
        raise ValueError(f"MRN {patient['mrn']} {patient['name']}")
    except ValueError:
        gui_app._hook(*sys.exc_info())
    assert len(error_dialogs) == 1
    assert "ValueError" in error_dialogs[0] and "DOE" not in error_dialogs[0]
    assert "Traceback" not in error_dialogs[0]
    log = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "ValueError" in log and "DOE" not in log and "1234567" not in log
    error_dialogs.clear()


def test_themes_switch_the_palette(qtbot):
    """Dark and light themes apply and report themselves; dark has a dark window colour."""
    app = QApplication.instance()
    apply_theme(app, "light")
    assert current_theme(app) == "light" and app.palette().window().color().lightness() > 200
    apply_theme(app, "dark")
    assert current_theme(app) == "dark" and app.palette().window().color().lightness() < 60


def test_run_gui_offers_setup_when_there_is_no_store(qtbot, tmp_path):
    """With no store, run_gui opens the setup wizard; cancelling it exits cleanly with 0."""
    settings = Settings(store_dir=tmp_path / "none", log_dir=tmp_path / "logs")
    on_modal(SetupWizard, lambda w: w.reject())
    assert gui_app.run_gui(settings) == 0
    assert not (tmp_path / "none").exists()
    assert QWizard is not None


def test_run_gui_asks_for_sign_in_on_an_existing_store(qtbot, store):
    """With a store, run_gui opens the sign-in dialog; quitting it exits with 0."""
    on_modal(LoginDialog, lambda d: d.reject())
    assert gui_app.run_gui(store.settings()) == 0


def test_an_exception_escaping_a_slot_reaches_the_error_dialog(qtbot, error_dialogs):
    """With the app's hook installed, a bug in a slot becomes a type-only error dialog."""
    from PySide6.QtCore import QTimer

    gui_app.install_excepthook()

    def broken_slot() -> None:
        raise ZeroDivisionError("patient DOE")
    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=5_000)
    assert "ZeroDivisionError" in error_dialogs[0] and "DOE" not in error_dialogs[0]
    error_dialogs.clear()


def test_no_display_is_a_clear_usage_error(monkeypatch, tmp_path):
    """On Linux without a display, run_gui refuses with a message instead of Qt aborting."""
    from clinic_app.errors import UsageError

    monkeypatch.setattr(gui_app.sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(UsageError, match="no display"):
        gui_app.run_gui(Settings(store_dir=tmp_path / "s"))
