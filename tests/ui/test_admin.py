"""Admin workspace: user management, audit viewer (filter, verify, export), settings, system."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from clinic_app.config import read_config_file
from clinic_app.core.security.roles import Role
from clinic_app.errors import AuthenticationError
from clinic_app.ui.admin.account_dialogs import (
    NewUserDialog,
    RecoveryGrantDialog,
    ResetPasswordDialog,
    temporary_password,
)
from clinic_app.ui.admin.workspace import AdminWorkspace
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.shell.window import MainWindow
from tests.conftest import PASSWORDS
from tests.ui.conftest import on_modal, settle


@pytest.fixture
def admin_ws(qtbot, store):
    session = store.login("admin")
    win = MainWindow(store.services, session, load_specs())
    qtbot.addWidget(win)
    win.show()
    settle(qtbot, win.pool)
    ws = win.workspaces[0]
    assert isinstance(ws, AdminWorkspace)
    yield ws
    win.shutdown(wait_ms=10_000)


def _rows(panel) -> dict[str, object]:
    return {u.username: u for u in panel.model.rows}


def _click_ok(box: QMessageBox) -> None:
    for button in box.buttons():
        if box.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
            button.click()
            return
    box.accept()


def _run(qtbot, ws, action) -> None:
    """Run a panel action and wait for every task it starts (including the reload)."""
    action()
    settle(qtbot, ws.ctx.pool)
    settle(qtbot, ws.ctx.pool)


# -- users ----------------------------------------------------------------------------------
def test_users_tab_lists_accounts_with_roles_and_last_sign_in(qtbot, admin_ws):
    """The three accounts appear with their role, key state and last sign-in."""
    rows = _rows(admin_ws.users)
    assert set(rows) == {"admin", "rad", "phys"}
    assert rows["rad"].role == "radiologist" and rows["rad"].clinical_key == "held"
    assert rows["admin"].clinical_key == "none (admin)"
    assert rows["admin"].last_login_at is not None


def test_creating_a_clinician_shows_it_awaiting_first_sign_in(qtbot, admin_ws):
    """A new radiologist appears awaiting first sign-in (no keys made by IT)."""
    panel = admin_ws.users

    def fill(d: NewUserDialog) -> None:
        d.name.setText("newrad")
        d.role.setCurrentIndex(d.role.findData(Role.RADIOLOGIST))
        d.generate.click()
        d.submit()
    on_modal(NewUserDialog, fill)
    on_modal(QMessageBox, _click_ok)  # "User created"
    _run(qtbot, admin_ws, panel.new_user)
    row = _rows(panel)["newrad"]
    assert row.clinical_key == "awaiting first sign-in" and row.must_change_password
    assert panel.selected() is not None and panel.selected().username == "newrad"


def test_a_duplicate_name_is_refused_in_the_dialog(qtbot, admin_ws, pool):
    """The service's refusal is shown in the dialog, which stays open."""
    ws = admin_ws
    dialog = NewUserDialog(ws.ctx.services, ws.ctx.session, pool)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("rad")
    dialog.password.edit.setText("temporary-pass-12")
    dialog.repeat.edit.setText("temporary-pass-12")
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        dialog.submit()
    assert "already exists" in dialog.message.text() and dialog.isVisible()


def test_disable_then_enable_an_account(qtbot, store, admin_ws):
    """A disabled account cannot sign in; enabling it lets it in again."""
    panel = admin_ws.users
    panel.select("phys")
    on_modal(QMessageBox, _click_ok)  # confirm disable
    _run(qtbot, admin_ws, panel.toggle_enabled)
    assert _rows(panel)["phys"].status == "disabled"
    assert panel.enable_button.text() == "&Enable"
    with pytest.raises(AuthenticationError, match="disabled"):
        store.services.auth.login("phys", PASSWORDS["phys"])
    _run(qtbot, admin_ws, panel.toggle_enabled)
    assert _rows(panel)["phys"].status == "active"


def test_admin_cannot_disable_or_change_the_role_of_their_own_account(qtbot, admin_ws):
    """Buttons for self-lockout are disabled (the service refuses it too)."""
    panel = admin_ws.users
    panel.select("admin")
    assert not panel.enable_button.isEnabled() and not panel.role_button.isEnabled()
    assert panel.reset_button.isEnabled()


def test_reset_password_forces_a_change_at_next_sign_in(qtbot, store, admin_ws):
    """After a reset the user signs in with the temporary password and must change it."""
    panel = admin_ws.users
    panel.select("rad")

    def fill(d: ResetPasswordDialog) -> None:
        d.password.edit.setText("temporary-pass-34")
        d.repeat.edit.setText("temporary-pass-34")
        d.submit()
    on_modal(ResetPasswordDialog, fill)
    _run(qtbot, admin_ws, panel.reset_password)
    assert _rows(panel)["rad"].must_change_password
    assert store.services.auth.login("rad", "temporary-pass-34").must_change_password


def test_change_role_needs_a_new_role_and_applies_it(qtbot, admin_ws, pool):
    """Keeping the same role is refused locally; a new role is applied by the service."""
    ws = admin_ws
    rad = _rows(ws.users)["rad"]
    dialog = ResetPasswordDialog(ws.ctx.services, ws.ctx.session, pool, rad, change_role=True)
    qtbot.addWidget(dialog)
    dialog.password.edit.setText("temporary-pass-56")
    dialog.repeat.edit.setText("temporary-pass-56")
    dialog.submit()
    assert "already has that role" in dialog.message.text() and pool.active_count == 0
    dialog.role.setCurrentIndex(dialog.role.findData(Role.PHYSICIAN))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    assert dialog.result_value.role == "physician"


def test_locked_out_user_is_shown_and_can_be_unlocked(qtbot, store, admin_ws, services_with):
    """A lockout shows in the table; Unlock clears it and the right password works again."""
    strict = services_with(lockout_threshold=2)
    for attempt in ("wrong-password-1", "wrong-password-2"):
        with pytest.raises(AuthenticationError):
            strict.auth.login("rad", attempt)
    panel = admin_ws.users
    _run(qtbot, admin_ws, lambda: panel.refresh(select="rad"))
    assert _rows(panel)["rad"].locked_until is not None
    assert panel.unlock_button.isEnabled()
    _run(qtbot, admin_ws, panel.unlock)
    assert _rows(panel)["rad"].locked_until is None
    assert not strict.auth.login("rad", PASSWORDS["rad"]).locked


def test_recovery_shares_complete_pending_grants(qtbot, store, admin_ws):
    """With two custodians' shares the pending clinician gets the key and the banner goes."""
    services, session = admin_ws.ctx.services, admin_ws.ctx.session
    rad = store.login("rad")
    shares = services.grants.setup_recovery(rad, ["privacy-officer", "clinical-lead"], 2)
    services.accounts.add(session, "newphys", Role.PHYSICIAN, "temporary-pass-12")
    new = services.auth.login("newphys", "temporary-pass-12")
    services.auth.change_password(new, "temporary-pass-12", "newphys-own-pass-1")
    panel = admin_ws.users
    _run(qtbot, admin_ws, panel.refresh)
    assert panel.grant_button.isEnabled() and "newphys" in panel.banner.text()

    def fill(d: RecoveryGrantDialog) -> None:
        d.code.setPlainText("\n".join(s.words for s in shares))
        d.submit()
    on_modal(RecoveryGrantDialog, fill)
    on_modal(QMessageBox, _click_ok)  # "Access granted"
    _run(qtbot, admin_ws, panel.grant_with_recovery)
    assert _rows(panel)["newphys"].clinical_key == "held"
    assert not panel.banner.isVisible()


def test_temporary_passwords_meet_the_policy_and_differ():
    """Generated temporary passwords are long enough and not repeated."""
    made = {temporary_password() for _ in range(50)}
    assert len(made) == 50 and all(len(p) >= 12 for p in made)


# -- audit ----------------------------------------------------------------------------------
def _show_audit(qtbot, ws) -> None:
    ws.tabs.setCurrentWidget(ws.audit)
    settle(qtbot, ws.ctx.pool)


def test_audit_filter_by_user_event_outcome_and_date(qtbot, store, admin_ws):
    """Each filter narrows the rows to matching entries only."""
    with pytest.raises(AuthenticationError):
        store.services.auth.login("rad", "wrong-password-1")
    store.services.auth.logout(store.login("rad"))  # flushes the queued failure into the log
    ws = admin_ws
    _show_audit(qtbot, ws)
    audit = ws.audit
    assert audit.model.rowCount() > 5
    audit.user.setText("rad")
    _run(qtbot, ws, audit.refresh)
    assert audit.model.rows and {e.user for e in audit.model.rows} == {"rad"}
    audit.user.clear()
    audit.outcome.setCurrentIndex(audit.outcome.findData(4))
    _run(qtbot, ws, audit.refresh)
    assert {e.outcome for e in audit.model.rows} == {4}
    assert any(e.action == "login.failure" for e in audit.model.rows)
    audit.outcome.setCurrentIndex(0)
    audit.event_code.setCurrentIndex(audit.event_code.findData("110114"))
    _run(qtbot, ws, audit.refresh)
    assert {e.event_code for e in audit.model.rows} == {"110114"}
    audit.use_from.setChecked(True)
    audit.date_from.setDate(audit.date_from.date().addYears(50))
    _run(qtbot, ws, audit.refresh)
    assert audit.model.rowCount() == 0 and audit.count.text() == "0 entries"


def test_verify_reports_an_intact_chain(qtbot, admin_ws):
    """Verify on an untouched log shows a green result with the number of entries."""
    ws = admin_ws
    _show_audit(qtbot, ws)
    _run(qtbot, ws, ws.audit.verify)
    assert ws.audit.last_verification.ok
    assert ws.audit.verdict.property("banner") == "ok"
    assert "intact" in ws.audit.verdict.text()


def test_verify_names_the_first_tampered_entry(qtbot, admin_ws):
    """An edited entry turns the result red, names the entry and selects it."""
    ws = admin_ws
    _show_audit(qtbot, ws)
    ws.ctx.session.system.execute("UPDATE audit SET user = 'someone-else' WHERE seq = 3")
    _run(qtbot, ws, ws.audit.refresh)
    _run(qtbot, ws, ws.audit.verify)
    result = ws.audit.last_verification
    assert not result.ok and result.first_bad_seq == 3
    assert ws.audit.verdict.property("banner") == "error"
    assert "BROKEN at entry 3" in ws.audit.verdict.text()
    selected = ws.audit.table.selectionModel().selectedRows()
    assert selected and selected[0].data() == "3"


def _save_as(path: Path):
    def answer(d: QFileDialog) -> None:
        d.selectFile(str(path))
        d.accept()
    return answer


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_writes_the_filtered_entries(qtbot, admin_ws, tmp_path, fmt):
    """Export writes the current filter's rows to the chosen file."""
    ws = admin_ws
    _show_audit(qtbot, ws)
    ws.audit.user.setText("admin")
    target = tmp_path / f"audit.{fmt}"
    on_modal(QFileDialog, _save_as(target))
    _run(qtbot, ws, lambda: ws.audit.export(fmt))
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert data["verification"]["ok"] and {e["user"] for e in data["entries"]} == {"admin"}
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and {r["user"] for r in rows} == {"admin"}


# -- settings and system --------------------------------------------------------------------
def test_settings_are_saved_to_a_site_file_and_audited(qtbot, store, admin_ws, tmp_path):
    """Saving writes a valid site TOML with the edited policy and records who did it."""
    ws = admin_ws
    ws.tabs.setCurrentWidget(ws.settings)
    ws.settings.idle.setValue(5)
    ws.settings.gpu.setCurrentIndex(ws.settings.gpu.findData("cpu"))
    target = tmp_path / "site" / "config.toml"
    target.parent.mkdir()
    on_modal(QFileDialog, _save_as(target))
    on_modal(QMessageBox, _click_ok)  # "saved"
    _run(qtbot, ws, ws.settings.save)
    values = read_config_file(target, site=True)
    assert values["idle_timeout_minutes"] == 5.0 and values["gpu_preference"] == "cpu"
    assert "store_dir" not in values  # not edited: this user's default is not imposed on all
    actions = [e.action for e in store.services.audit.entries(ws.ctx.session)]
    assert "settings.write" in actions


def test_a_relative_models_folder_is_refused_with_a_clear_message(qtbot, admin_ws, tmp_path,
                                                                  error_dialogs):
    """Typing a relative folder gives an error naming the key; no file is written."""
    ws = admin_ws
    ws.tabs.setCurrentWidget(ws.settings)
    ws.settings.models_dir.edit.setText("site-models")
    ws.settings.models_dir.edit.setModified(True)
    target = tmp_path / "config.toml"
    on_modal(QFileDialog, _save_as(target))
    _run(qtbot, ws, ws.settings.save)
    qtbot.waitUntil(lambda: bool(error_dialogs))
    assert "models_dir must be an absolute folder path" in error_dialogs[0]
    error_dialogs.clear()
    assert not target.exists()


def test_system_tab_reports_a_working_cpu_provider_and_versions(qtbot, admin_ws):
    """The checks list the CPU provider as working and the library versions."""
    ws = admin_ws
    ws.tabs.setCurrentWidget(ws.system)
    settle(qtbot, ws.ctx.pool, timeout=60_000)
    report = ws.system.report
    assert report is not None
    assert any(p.provider == "CPUExecutionProvider" and p.works for p in report.providers)
    sections = [ws.system.tree.topLevelItem(i).text(0)
                for i in range(ws.system.tree.topLevelItemCount())]
    assert sections[0].startswith("Execution providers") and "Versions" in sections
    assert report.store.total_bytes > 0
