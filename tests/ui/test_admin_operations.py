"""Admin Operations tab: backup now and its nightly schedule, leftovers, rotation requests."""

from __future__ import annotations

import pytest

from clinic_app.core.store import backup as store_backup
from clinic_app.ui.admin.workspace import AdminWorkspace
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.shell.window import MainWindow
from tests.ui.conftest import settle


@pytest.fixture
def ops(qtbot, store):
    session = store.login("admin")
    win = MainWindow(store.services, session, load_specs())
    qtbot.addWidget(win)
    win.show()
    settle(qtbot, win.pool)
    ws = win.workspaces[0]
    assert isinstance(ws, AdminWorkspace)
    ws.tabs.setCurrentWidget(ws.operations)
    yield ws.operations
    win.shutdown(wait_ms=10_000)


def test_backup_now_writes_a_verified_set_and_reports_it(qtbot, ops, tmp_path):
    """Back up now runs off the GUI thread and says which set it wrote; the set verifies."""
    ops.backup_folder.setText(str(tmp_path / "backup"))
    ops.backup_button.click()
    qtbot.waitUntil(lambda: "written" in ops.backup_message.text(), timeout=60_000)
    name, _manifest = store_backup.verify(tmp_path / "backup")
    assert name in ops.backup_message.text()
    assert ops.backup_button.isEnabled()


def test_schedule_shows_units_without_the_password_and_refuses_a_relative_folder(qtbot, ops):
    """The nightly schedule is a systemd timer reading the password from a root-only credential."""
    ops.backup_folder.setText("relative/folder")
    ops.schedule_button.click()
    assert "absolute folder" in ops.backup_message.text() and not ops.schedule_text.isVisible()
    ops.backup_folder.setText("/srv/backup/clinic-app")
    ops.schedule_button.click()
    text = ops.schedule_text.toPlainText()
    assert "OnCalendar=*-*-* 02:00:00" in text and "LoadCredential=admin-password:" in text
    assert "--password-stdin" in text and "admin-password-123" not in text


def test_rotation_request_needs_a_reason_and_then_shows_it(qtbot, ops):
    """IT asks for a rotation with a reason; the tab shows the request for the key holders."""
    ops.refresh()
    assert "IT cannot rotate the key" in ops.rotation_message.text()
    ops.rotation_button.click()
    assert "Say why" in ops.rotation_message.text()
    ops.rotation_reason.setText("dr.x left")
    ops.rotation_button.click()
    assert "Rotation requested" in ops.rotation_message.text() and "dr.x left" in ops.rotation_message.text()


def test_leftover_check_reports_counts_and_says_clinicians_find_orphans(qtbot, ops):
    """The check counts stored files and leftovers, and says what only a clinician can find."""
    ops.gc_check.click()
    qtbot.waitUntil(lambda: "stored files" in ops.gc_message.text(), timeout=30_000)
    assert "clinician" in ops.gc_message.text()


def test_operations_tab_says_when_audit_entries_are_queued_and_why(qtbot, store, tmp_path):
    """With the collector unreachable, the Operations tab shows how many entries wait and why."""
    from clinic_app.services import Services
    from tests.syslog_support import free_port, make_ca

    ca, _, _ = make_ca(tmp_path / "pki", "nobody")
    services = Services(store.settings(audit_syslog_host="127.0.0.1", audit_syslog_port=free_port(),
                                       audit_syslog_ca=ca), clock=store.clock)
    session = services.auth.login("admin", "admin-password-123")
    state = services.audit_forwarding.live_state(session, wait_s=20)
    assert state is not None and "cannot be reached" in state.last_error
    win = MainWindow(services, session, load_specs())
    qtbot.addWidget(win)
    win.show()
    settle(qtbot, win.pool)
    ws = win.workspaces[0]
    ws.tabs.setCurrentWidget(ws.operations)
    text = ws.operations.forward_message.text()
    assert "queued, not yet at the collector" in text and "cannot be reached" in text
    win.shutdown(wait_ms=10_000)
    services.close()
