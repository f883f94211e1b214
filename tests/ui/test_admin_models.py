"""Admin Models tab: list with trust and provider, add (bad hash / unsigned), approve, revoke, verify."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from clinic_app.ui.admin.models_view import AddModelDialog
from clinic_app.ui.admin.workspace import AdminWorkspace
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.shell.window import MainWindow
from tests.conftest import PASSWORDS
from tests.model_support import copy_shipped, make_imaging_package
from tests.ui.conftest import on_modal, settle


@pytest.fixture
def models_tab(qtbot, services_with, tmp_path):
    services = services_with(models_dir=tmp_path / "site-models")
    session = services.auth.login("admin", PASSWORDS["admin"])
    win = MainWindow(services, session, load_specs(["clinic_app.ui.admin.workspace"]))
    qtbot.addWidget(win)
    win.show()
    ws = win.workspaces[0]
    assert isinstance(ws, AdminWorkspace)
    settle(qtbot, win.pool)
    ws.tabs.setCurrentWidget(ws.models)
    settle(qtbot, win.pool, timeout=120_000)
    yield ws
    win.shutdown(wait_ms=30_000)


def _rows(ws):
    return {m.id: m for m in ws.models.model.rows}


def _accept(box: QMessageBox) -> None:
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()


def _add(qtbot, ws, path, *, approve_reason: str = ""):
    dialog = AddModelDialog(ws.ctx.services, ws.ctx.session, ws.ctx.pool, path.parent)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    if approve_reason:
        dialog.approve.setChecked(True)
        dialog.reason.setText(approve_reason)
    with qtbot.waitSignal(ws.ctx.pool.all_finished, timeout=60_000):
        dialog.submit()
    return dialog


def test_shipped_models_are_listed_verified_pinned_with_their_provider(qtbot, models_tab):
    """Every shipped package is verified, hash-pinned, runs on a named provider; demos say so."""
    rows = _rows(models_tab)
    assert "pce-ascvd-10y" in rows
    pce = rows["pce-ascvd-10y"]
    assert pce.status == "ok" and "pinned" in pce.trust and pce.provider.endswith("Provider")
    assert rows["pima-diabetes-demo"].demo
    status = models_tab.ctx.window.provider_label.text()
    assert status.startswith("Inference: ") and "no models" not in status
    trust = models_tab.models.trust_tree
    assert trust.topLevelItem(1).childCount() == len(models_tab.models.trust.pinned) > 0


def test_a_package_with_a_bad_hash_is_refused(qtbot, models_tab, tmp_path):
    """A tampered model file is refused in the dialog, nothing is installed, and it is audited."""
    package = copy_shipped(tmp_path / "incoming", "pce-ascvd-10y")
    model = package / "model.onnx"
    data = bytearray(model.read_bytes())
    data[-1] ^= 0xFF
    model.write_bytes(bytes(data))
    dialog = _add(qtbot, models_tab, package)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert "hash" in dialog.message.text().lower() or "sha" in dialog.message.text().lower()
    assert not (tmp_path / "site-models" / "pce-ascvd-10y").exists()
    services, session = models_tab.ctx.services, models_tab.ctx.session
    refused = [e for e in services.audit.entries(session) if e.action == "models.add"]
    assert refused and refused[-1].outcome == 8


def test_unsigned_package_needs_an_approval_which_can_be_revoked(qtbot, models_tab, tmp_path):
    """Unsigned: refused, then added with a reason, listed as approved, refused after revoking."""
    package = make_imaging_package(tmp_path / "incoming", "toy-scale")
    dialog = _add(qtbot, models_tab, package)
    assert "unsigned" in dialog.message.text()
    dialog = _add(qtbot, models_tab, package, approve_reason="validated on site test set")
    assert dialog.result() == QDialog.DialogCode.Accepted
    panel = models_tab.models
    panel.refresh()
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    row = _rows(models_tab)["toy-scale"]
    assert row.status == "ok" and row.trust.startswith("unsigned, approved")
    approvals = panel.trust.approvals
    assert [a.reason for a in approvals] == ["validated on site test set"]

    panel.table.selectRow(panel.table.row_of(lambda m: m.id == "toy-scale"))
    assert panel.revoke_button.isEnabled()

    on_modal(QMessageBox, _accept)
    panel.revoke()
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    assert _rows(models_tab)["toy-scale"].status == "refused"
    actions = [e.action for e in models_tab.ctx.services.audit.entries(models_tab.ctx.session)]
    assert "models.approval_revoked" in actions


def test_running_test_vectors_reports_each_package(qtbot, models_tab):
    """Run test vectors: every shipped package passes and the report dialog lists them."""
    panel = models_tab.models
    on_modal(QDialog, lambda d: d.accept(), name="verifyDialog", deadline_s=300.0)
    panel.verify()
    settle(qtbot, models_tab.ctx.pool, timeout=300_000)
    reports = {r.id: r for r in panel.last_reports}
    assert "pce-ascvd-10y" in reports and all(r.ok for r in reports.values())
    assert reports["pce-ascvd-10y"].checks


def test_disable_and_enable_a_model_from_the_models_tab(qtbot, models_tab):
    """Disable (with a reason) shows 'disabled by admin at …' and the button turns to Enable;
    enabling restores the row; both are audited."""
    from clinic_app.ui.admin.models_view import DisableModelDialog

    panel = models_tab.models
    panel.table.selectRow(panel.table.row_of(lambda m: m.id == "meld-unos"))
    assert panel.toggle_button.isEnabled() and panel.toggle_button.text() == "&Disable…"

    def disable(dialog: QDialog) -> None:
        if isinstance(dialog, DisableModelDialog):
            dialog.reason.setText("local validation pending")
            dialog.submit()
    on_modal(QDialog, disable)
    panel.toggle_enabled()
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    row = _rows(models_tab)["meld-unos"]
    assert row.status == "disabled" and row.disabled.startswith("disabled by admin at ")
    column = [c.header for c in panel.model.columns].index("State")
    index = panel.model.index(panel.table.row_of(lambda m: m.id == "meld-unos"), column)
    assert panel.model.data(index).startswith("disabled by admin at ")
    panel.table.selectRow(panel.table.row_of(lambda m: m.id == "meld-unos"))
    assert panel.toggle_button.text() == "&Enable…"

    on_modal(QMessageBox, _accept)
    panel.toggle_enabled()
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    settle(qtbot, models_tab.ctx.pool, timeout=60_000)
    assert _rows(models_tab)["meld-unos"].status == "ok"
    actions = [e.action for e in models_tab.ctx.services.audit.entries(models_tab.ctx.session)]
    assert "models.disable" in actions and "models.enable" in actions
