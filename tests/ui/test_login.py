"""Sign-in dialog: success, failure messages, lockout, Caps Lock, forced password change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clinic_app.core.security.roles import Role
from clinic_app.services.auth import INVALID_LOGIN
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.login.grant_requests import GrantRequestsDialog
from clinic_app.ui.login.password_change import ChangePasswordDialog
from tests.conftest import PASSWORDS
from tests.ui.conftest import on_modal


def _dialog(qtbot, services, pool) -> LoginDialog:
    dialog = LoginDialog(services, pool)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _attempt(qtbot, dialog: LoginDialog, pool, name: str, password: str) -> None:
    dialog.username.setText(name)
    dialog.password.edit.setText(password)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_sign_in_gives_a_usable_session(qtbot, store, pool):
    """The right password accepts the dialog with the user's session."""
    dialog = _dialog(qtbot, store.services, pool)
    dialog.username.setText("admin")
    dialog.password.edit.setText(PASSWORDS["admin"])
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(dialog.password.edit, Qt.Key.Key_Return)
    assert dialog.session is not None and dialog.session.username == "admin"
    assert not dialog.session.locked
    store.services.auth.logout(dialog.session)


def test_wrong_password_and_unknown_user_get_the_same_message(qtbot, store, pool):
    """A wrong password and an unknown user read identically, and the password is cleared."""
    dialog = _dialog(qtbot, store.services, pool)
    _attempt(qtbot, dialog, pool, "admin", "not-the-password-1")
    wrong = dialog.message.text()
    assert dialog.password.text() == ""
    _attempt(qtbot, dialog, pool, "nobody-here", "not-the-password-1")
    assert wrong == dialog.message.text() == INVALID_LOGIN
    assert dialog.message.isVisible() and dialog.result() == 0


def test_lockout_is_announced_and_holds_even_for_the_right_password(qtbot, store, pool,
                                                                      services_with):
    """After the threshold the dialog says sign-in is locked, then refuses the right password."""
    services = services_with(lockout_threshold=2)
    dialog = _dialog(qtbot, services, pool)
    _attempt(qtbot, dialog, pool, "rad", "wrong-password-1")
    _attempt(qtbot, dialog, pool, "rad", "wrong-password-2")
    assert "locked" in dialog.message.text()
    _attempt(qtbot, dialog, pool, "rad", PASSWORDS["rad"])
    assert "locked" in dialog.message.text() and dialog.session is None


def test_empty_fields_are_refused_without_a_sign_in(qtbot, store, pool):
    """Empty user name or password get a message and start no work."""
    dialog = _dialog(qtbot, store.services, pool)
    dialog.submit()
    assert dialog.message.text() == "Type your user name."
    dialog.username.setText("admin")
    dialog.submit()
    assert dialog.message.text() == "Type your password."
    assert pool.active_count == 0


def test_caps_lock_warning_follows_what_is_typed(qtbot, store, pool):
    """An upper-case letter typed without Shift shows the warning; a normal letter hides it."""
    dialog = _dialog(qtbot, store.services, pool)
    warning = dialog.password.caps_warning
    qtbot.keyClick(dialog.password.edit, "A")
    assert warning.isVisible()
    qtbot.keyClick(dialog.password.edit, "b")
    assert not warning.isVisible()
    qtbot.keyClick(dialog.password.edit, "c", Qt.KeyboardModifier.ShiftModifier)  # 'c' + Shift
    assert warning.isVisible()


def test_forced_password_change_follows_sign_in(qtbot, store, pool):
    """A user with a temporary password must change it before the dialog accepts."""
    admin = store.login("admin")
    store.services.accounts.add(admin, "newrad", Role.RADIOLOGIST, "temporary-pass-12")
    store.services.auth.logout(admin)
    dialog = _dialog(qtbot, store.services, pool)

    def change(d: ChangePasswordDialog) -> None:
        assert d.current_field is None  # the sign-in password is reused
        d.new_field.edit.setText("my-own-passphrase-1")
        d.repeat_field.edit.setText("my-own-passphrase-1")
        d.submit()
    on_modal(ChangePasswordDialog, change)
    notices: list[str] = []

    def own_key(box: QMessageBox) -> None:
        notices.append(box.text())
        box.accept()
    on_modal(QMessageBox, own_key)
    dialog.username.setText("newrad")
    dialog.password.edit.setText("temporary-pass-12")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.submit()
    assert dialog.session is not None and not dialog.session.must_change_password
    assert notices and dialog.session.fingerprint in notices[0]  # to read to the approver
    store.services.auth.logout(dialog.session)
    again = store.services.auth.login("newrad", "my-own-passphrase-1")
    assert not again.must_change_password and not again.has_clinical_key


def test_key_holder_decides_open_requests_at_sign_in(qtbot, store, pool):
    """A key holder signing in is asked about each open request; Approve grants it, and
    nothing is granted without that press."""
    admin = store.login("admin")
    store.services.accounts.add(admin, "newrad", Role.RADIOLOGIST, "temporary-pass-12")
    new = store.services.auth.login("newrad", "temporary-pass-12")
    store.services.auth.change_password(new, "temporary-pass-12", "my-own-passphrase-1")
    dialog = _dialog(qtbot, store.services, pool)
    shown: list[str] = []

    def approve(d: GrantRequestsDialog) -> None:
        shown.append(d.rows["newrad"][2].text())
        d.rows["newrad"][0].click()
    on_modal(GrantRequestsDialog, approve)
    dialog.username.setText("rad")
    dialog.password.edit.setText(PASSWORDS["rad"])
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.submit()
    assert new.fingerprint in shown[0] and "admin" in shown[0]
    assert store.services.auth.login("newrad", "my-own-passphrase-1").has_clinical_key


def test_declining_the_forced_change_ends_the_session(qtbot, store, pool):
    """Cancelling the forced change leaves the dialog open with a message, not signed in."""
    admin = store.login("admin")
    store.services.accounts.add(admin, "newphys", Role.PHYSICIAN, "temporary-pass-12")
    store.services.auth.logout(admin)
    dialog = _dialog(qtbot, store.services, pool)
    on_modal(ChangePasswordDialog, lambda d: d.reject())
    _attempt(qtbot, dialog, pool, "newphys", "temporary-pass-12")
    assert dialog.session is None
    assert "new password" in dialog.message.text()


def test_mismatched_new_passwords_are_caught_before_the_service(qtbot, store, pool):
    """Two different new passwords get a message and no service call."""
    session = store.login("rad")
    dialog = ChangePasswordDialog(store.services, session, pool)
    qtbot.addWidget(dialog)
    dialog.current_field.edit.setText(PASSWORDS["rad"])
    dialog.new_field.edit.setText("first-new-password")
    dialog.repeat_field.edit.setText("second-new-password")
    dialog.submit()
    assert "different" in dialog.message.text() and pool.active_count == 0


def test_a_too_short_new_password_shows_the_policy_message(qtbot, store, pool):
    """The service's policy refusal appears in the dialog, which stays open."""
    session = store.login("rad")
    dialog = ChangePasswordDialog(store.services, session, pool)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.current_field.edit.setText(PASSWORDS["rad"])
    dialog.new_field.edit.setText("short")
    dialog.repeat_field.edit.setText("short")
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        dialog.submit()
    assert "at least 12 characters" in dialog.message.text()
    assert dialog.isVisible()
