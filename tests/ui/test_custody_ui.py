"""An account changed by IT ends its open desktop session: the lock screen comes up and the
old session cannot be unlocked, with a message that says why."""

from __future__ import annotations

import pytest

from clinic_app.errors import AuthenticationError
from clinic_app.ui.shell.window import MainWindow
from tests.conftest import PASSWORDS
from tests.ui.conftest import settle
from tests.ui.test_shell import shell_specs


def test_disabled_clinicians_window_locks_and_cannot_be_unlocked(qtbot, store):
    """After IT disables the signed-in radiologist, their next action fails with the reason,
    the window shows the lock screen, and unlocking says the account is disabled."""
    window = MainWindow(store.services, store.login("rad"), shell_specs())
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, window.pool)
    store.services.accounts.set_enabled(store.login("admin"), "rad", False)
    with pytest.raises(AuthenticationError, match="disabled"):
        store.services.system.report(window.session, probe=False)
    assert window.idle.check_now() and window.stack.currentWidget() is window.lock_screen
    lock = window.lock_screen
    lock.password.edit.setText(PASSWORDS["rad"])
    with qtbot.waitSignal(lock.pool.all_finished, timeout=20_000):
        lock.unlock()
    assert "disabled" in lock.message.text() and window.is_locked
    window.shutdown(wait_ms=10_000)
