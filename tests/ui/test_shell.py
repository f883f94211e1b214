"""The main window: idle lock (also over a modal), unlock, switch user, sign-out, roles."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from clinic_app.core.security.roles import Permission, Role
from clinic_app.errors import PermissionDenied
from clinic_app.services.auth import INVALID_LOGIN
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.shell.flow import ShellFlow
from clinic_app.ui.shell.registry import WorkspaceSpec, load_specs, workspaces_for
from clinic_app.ui.shell.window import MainWindow
from tests.conftest import PASSWORDS
from tests.ui.conftest import on_modal, settle


def _patient_view(ctx) -> QLabel:
    label = QLabel("patient: Jane Example, MRN 12345")
    label.setObjectName("fakePatientView")
    return label


FAKE_PATIENT_SPEC = WorkspaceSpec("fake-patients", "Patients", Permission.STUDIES_VIEW,
                                  _patient_view, patient_data=True, order=10,
                                  shortcuts=(("Ctrl+F", "Find a patient"),))


def shell_specs() -> list[WorkspaceSpec]:
    """The admin workspace plus a stand-in patient workspace: the shell's tests do not
    depend on (or wait for) the real clinical workspaces, which have their own tests."""
    return [FAKE_PATIENT_SPEC, *load_specs(["clinic_app.ui.admin.workspace"])]


@pytest.fixture
def window(qtbot, store):
    session = store.login("admin")
    win = MainWindow(store.services, session, shell_specs())
    qtbot.addWidget(win)
    win.show()
    settle(qtbot, win.pool)
    yield win
    win.shutdown(wait_ms=10_000)


@pytest.fixture
def flow(qtbot, store):
    f = ShellFlow(store.services, shell_specs())
    yield f
    f._close_window(ask=False)


def _idle_out(store, window) -> None:
    store.clock.advance(minutes=store.services.settings.idle_timeout_minutes + 1)
    assert window.idle.check_now()


def test_idle_lock_hides_the_workspaces_and_drops_the_keys(qtbot, store, window):
    """After the idle timeout the lock screen replaces everything and the keys are gone."""
    assert window.stack.currentWidget() is window.tabs
    _idle_out(store, window)
    assert window.is_locked and window.session.locked
    assert window.stack.currentWidget() is window.lock_screen
    assert not window.tabs.isVisible()
    assert not window.lock_action.isEnabled() and not window.menuBar().isEnabled()
    assert window.quit_action.isEnabled()
    assert "locked" in window.store_label.text().lower()
    entries = store.services.audit  # reading needs an unlocked session: check after unlock
    assert entries is not None


def test_user_input_postpones_the_idle_lock(qtbot, store, window):
    """Typing or clicking counts as activity; only real inactivity locks."""
    half = store.services.settings.idle_timeout_minutes * 0.6
    store.clock.advance(minutes=half)
    qtbot.keyClick(window.tabs, Qt.Key.Key_Shift)
    store.clock.advance(minutes=half)
    assert not window.idle.check_now() and not window.is_locked
    store.clock.advance(minutes=half * 2)
    assert window.idle.check_now() and window.is_locked


def test_unlock_needs_the_same_users_password(qtbot, store, window):
    """A wrong password keeps the lock with the generic message; the right one restores all."""
    _idle_out(store, window)
    lock = window.lock_screen
    lock.password.edit.setText("not-my-password-1")
    with qtbot.waitSignal(lock.pool.all_finished, timeout=20_000):
        lock.unlock()
    assert lock.message.text() == INVALID_LOGIN and window.is_locked
    lock.password.edit.setText(PASSWORDS["admin"])
    with qtbot.waitSignal(lock.unlocked, timeout=20_000):
        lock.unlock()
    assert not window.is_locked and not window.session.locked
    assert window.stack.currentWidget() is window.tabs and window.lock_action.isEnabled()
    actions = [e.action for e in store.services.audit.entries(window.session)]
    assert "session.lock" in actions


def test_idle_lock_fires_while_a_modal_dialog_is_open(qtbot, store, window):
    """The lock closes a dialog waiting in exec(), so nothing stays on top of the lock screen."""
    box = QMessageBox(QMessageBox.Icon.Information, "Patient detail", "Jane Example",
                      QMessageBox.StandardButton.Ok, window)
    QTimer.singleShot(0, lambda: _idle_out(store, window))
    box.exec()  # returns only because the lock rejected it
    assert window.is_locked and not box.isVisible()
    assert QMessageBox is not None and window.stack.currentWidget() is window.lock_screen


def test_idle_lock_closes_nested_dialogs_from_the_window_menus(qtbot, store, window):
    """The About box opened from the menu is closed by the lock too."""
    QTimer.singleShot(0, lambda: _idle_out(store, window))
    window.show_about()
    assert window.is_locked
    assert all(not w.isVisible() for w in window.findChildren(QMessageBox))


def test_lock_waits_for_running_work_before_dropping_keys(qtbot, store, window):
    """Cancelled tasks finish before the database closes under them."""
    started, release = threading.Event(), threading.Event()

    def work(progress, cancel):
        started.set()
        release.wait(10)
        cancel.raise_if_cancelled()
    task = window.pool.submit(work, name="slow")
    assert started.wait(10)
    window.lock("manual")
    assert window.is_locked and not window.session.locked and task.token.cancelled
    with qtbot.waitSignal(window.pool.all_finished, timeout=10_000):
        release.set()
    assert window.session.locked


def test_switch_user_action_locks_and_offers_another_sign_in(qtbot, store, window):
    """Ctrl+Shift+L locks and opens the other-user form."""
    window.switch_action.trigger()
    assert window.is_locked and window.lock_screen.other_box.isVisible()


def test_another_user_signing_in_on_the_lock_screen_ends_the_first_session(qtbot, store, flow):
    """The second user gets a new window; the first session is logged out and its window gone."""
    first = flow.open(store.login("admin"))
    first.lock("switch user")
    lock = first.lock_screen
    lock.other_name.setText("rad")
    lock.other_password.edit.setText(PASSWORDS["rad"])
    with qtbot.waitSignal(flow.window_opened, timeout=20_000) as opened:
        lock.sign_in_other()
    second = opened.args[0]
    assert second is flow.window and second.session.username == "rad"
    assert first.session.locked and first.session.system is None


def test_typing_the_locked_users_own_name_in_the_other_form_unlocks(qtbot, store, window):
    """The other-user form with the same user's name is just an unlock, not a new session."""
    window.lock("switch user")
    lock = window.lock_screen
    lock.other_name.setText("ADMIN")
    lock.other_password.edit.setText(PASSWORDS["admin"])
    with qtbot.waitSignal(lock.unlocked, timeout=20_000):
        lock.sign_in_other()
    assert not window.is_locked


def test_sign_out_returns_to_sign_in_and_a_new_user_gets_their_window(qtbot, store, flow):
    """Sign out logs the session out, then the sign-in dialog opens the next user's window."""
    first = flow.open(store.login("admin"))
    settle(qtbot, first.pool)
    first_session = first.session

    def sign_in(dialog: LoginDialog) -> None:
        dialog.username.setText("phys")
        dialog.password.edit.setText(PASSWORDS["phys"])
        dialog.submit()
    on_modal(LoginDialog, sign_in)
    with qtbot.waitSignal(flow.window_opened, timeout=20_000) as opened:
        first.sign_out_action.trigger()
    assert first_session.locked
    assert opened.args[0].session.username == "phys"


def test_quit_ends_the_session(qtbot, store, flow):
    """Quit (also closing the window) logs out and tells the application to exit."""
    win = flow.open(store.login("rad"))
    settle(qtbot, win.pool)
    with qtbot.waitSignal(flow.finished, timeout=10_000):
        win.close()
    assert win.session.locked and flow.window is None


# -- roles --------------------------------------------------------------------------------
def test_admin_gets_the_admin_workspace_and_never_a_patient_view(qtbot, store):
    """Even with a patient workspace registered, the admin's window holds none."""
    session = store.login("admin")
    win = MainWindow(store.services, session, [FAKE_PATIENT_SPEC, *load_specs()])
    qtbot.addWidget(win)
    keys = [w.property("workspaceKey") for w in win.workspaces]
    assert keys == ["admin"]
    assert win.findChildren(QLabel, "fakePatientView") == []
    assert not session.has_clinical_key
    with pytest.raises(PermissionDenied):
        store.services.imaging.list_studies(session)
    with pytest.raises(PermissionDenied):
        store.services.records.list_patients(session)
    win.shutdown()


def test_clinician_gets_patient_workspaces_but_not_the_admin_one(qtbot, store):
    """A radiologist sees the patient workspace and no administration; its shortcuts are listed."""
    session = store.login("rad")
    specs = shell_specs()
    assert [s.key for s in workspaces_for(session, specs)] == ["fake-patients"]
    win = MainWindow(store.services, session, specs)
    qtbot.addWidget(win)
    assert win.findChildren(QLabel, "fakePatientView")
    assert ("Patients", "Ctrl+F", "Find a patient") in win.shortcut_rows()
    win.shutdown()


def test_clinician_waiting_for_a_grant_gets_an_explanation_not_patient_data(qtbot, store):
    """Without the clinical key a clinician's patient workspace is replaced by the reason."""
    admin = store.login("admin")
    store.services.accounts.add(admin, "newrad", Role.RADIOLOGIST, "temporary-pass-12")
    store.services.auth.logout(admin)
    session = store.services.auth.login("newrad", "temporary-pass-12")
    store.services.auth.change_password(session, "temporary-pass-12", "my-own-passphrase-1")
    assert not session.has_clinical_key
    win = MainWindow(store.services, session, [FAKE_PATIENT_SPEC])
    qtbot.addWidget(win)
    assert win.findChildren(QLabel, "fakePatientView") == []
    assert win.tabs.widget(0).objectName() == "pendingAccessPage"
    assert "pending" in win.store_label.text()
    win.shutdown()


def test_status_bar_shows_user_role_provider_and_store(qtbot, store, window):
    """The status bar names the user and role, the inference provider and the store state."""
    assert window.user_label.text() == "admin · IT administrator"
    assert window.provider_label.text().startswith("Inference: ")
    assert window.store_label.text() == "Store: encrypted · system data only"


def test_help_lists_shell_and_workspace_shortcuts(qtbot, store, window):
    """F1's dialog lists the lock shortcut and the admin workspace's own."""
    rows = window.shortcut_rows()
    assert ("Everywhere", "Ctrl+L", "Lock the screen now") in rows
    assert any(where == "Administration" and keys == "Ctrl+N" for where, keys, _ in rows)


def test_a_workspace_that_fails_to_open_gets_a_page_saying_why(qtbot, store):
    """A factory that raises does not take the window down; its tab explains."""
    def broken(ctx):
        raise PermissionDenied("Your role does not allow this workspace.")
    spec = WorkspaceSpec("broken", "Broken", Permission.STUDIES_VIEW, broken)
    win = MainWindow(store.services, store.login("rad"), [spec, FAKE_PATIENT_SPEC])
    qtbot.addWidget(win)
    pages = [win.tabs.widget(i).objectName() for i in range(win.tabs.count())]
    assert "workspaceErrorPage" in pages and win.findChildren(QLabel, "fakePatientView")
    win.shutdown()


def test_a_service_call_that_finds_the_session_idle_locks_the_window(qtbot, store, window):
    """If a call notices the timeout before the window's timer, the window locks; no dialog."""
    store.clock.advance(minutes=store.services.settings.idle_timeout_minutes + 1)
    users = window.workspaces[0].users
    users.refresh()
    settle(qtbot, window.pool)
    assert window.session.locked and window.is_locked
    assert window.stack.currentWidget() is window.lock_screen


def test_users_change_their_own_password_from_the_file_menu(qtbot, store, window):
    """File → Change password asks for the current one and the new one twice."""
    from clinic_app.ui.login.password_change import ChangePasswordDialog

    def fill(d: ChangePasswordDialog) -> None:
        d.current_field.edit.setText(PASSWORDS["admin"])
        d.new_field.edit.setText("a-brand-new-passphrase")
        d.repeat_field.edit.setText("a-brand-new-passphrase")
        d.submit()
    on_modal(ChangePasswordDialog, fill)
    window.password_action.trigger()
    settle(qtbot, window.pool)
    assert not store.services.auth.login("admin", "a-brand-new-passphrase").locked
