""""Save to the record…" for a value entered for a missing input (offscreen, real store)."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialogButtonBox, QDoubleSpinBox

from clinic_app.core.security.audit import AuditFilter
from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.test_records_inputs import _bundle, _obs
from tests.ui.conftest import settle


def _smoking() -> dict:
    return {"resourceType": "Observation", "id": "sm", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
            "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-11-01",
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                 "code": "266919005"}]}}


def _workspace(store, qtbot, pool, tmp_path):
    """A physician's workspace with one patient whose record lacks HDL cholesterol."""
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(_obs("tc", "14647-2", 5.5, "mmol/L"),
                                       _obs("sbp", "8480-6", 138, "mm[Hg]"), _smoking())))
    assert store.services.records.import_files(phys, [path]).ok
    w = PhysicianWorkspace(store.services, phys, pool)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    settle(qtbot, pool)
    key = w.patients[0].key
    assert w.select_patient(key)
    settle(qtbot, pool)
    w.risk_panel.select_model("pce-ascvd-10y")
    return w


def _hdl_row(w) -> tuple[str, str] | None:
    table = w.risk_panel.detail.inputs
    for r in range(table.rowCount()):
        if table.item(r, 0).text().startswith("HDL"):
            return table.item(r, 1).text(), table.item(r, 3).text()
    return None


def test_an_entered_value_is_saved_on_confirmation_and_shown_as_entered(store, qtbot, pool, tmp_path):
    """HDL typed for the PCE, saved with a reason: one audit entry, and the risk panel then
    uses it with the source "entered by phys on <today>"."""
    w = _workspace(store, qtbot, pool, tmp_path)
    assert _hdl_row(w) is None
    w.risk_panel.detail.enter_missing.click()
    hdl = w.what_if.controls["hdl_cholesterol"]
    assert isinstance(hdl, QDoubleSpinBox)
    hdl.setValue(50)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        w.what_if.compute_button.click()
    box = w.what_if.save_entered
    assert box.isVisible()
    assert box.note.text() == "Used for this calculation only, not saved: HDL cholesterol → 50 mg/dL."
    box.button.click()
    dialog = box.dialog
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no reason, no save
    dialog.reason.setText("measured in clinic today")
    assert ok.isEnabled()
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        ok.click()
    settle(qtbot, pool)
    w.risk_panel.select_model("pce-ascvd-10y")
    row = _hdl_row(w)
    assert row is not None
    value, source = row
    assert value.startswith("50")
    assert source == f"entered by phys on {w.services.ctx.clock().date().isoformat()}"
    admin = store.login("admin")
    assert len([e for e in store.services.audit.entries(admin, AuditFilter())
                if e.action == "records.enter_value"]) == 1


def test_cancel_stores_nothing(store, qtbot, pool, tmp_path):
    """Cancelling the confirmation leaves the record without the value."""
    w = _workspace(store, qtbot, pool, tmp_path)
    w.risk_panel.detail.enter_missing.click()
    w.what_if.controls["hdl_cholesterol"].setValue(50)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        w.what_if.compute_button.click()
    w.what_if.save_entered.button.click()
    w.what_if.save_entered.dialog.reject()
    settle(qtbot, pool)
    assert pool.active_count == 0
    admin = store.login("admin")
    assert not [e for e in store.services.audit.entries(admin, AuditFilter())
                if e.action == "records.enter_value"]


def test_a_score_that_cannot_compute_shows_what_the_record_gave(store, qtbot, pool, tmp_path):
    """PCE lacking HDL: the risk panel lists the values found (cholesterol from mmol/L,
    SBP), and the what-if opened to enter HDL starts from those values, not "as recorded"."""
    w = _workspace(store, qtbot, pool, tmp_path)
    detail = w.risk_panel.detail
    assert detail.inputs_box.title() == "Inputs found in the record"
    table = detail.inputs
    found = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert found["Total cholesterol"].startswith("213")  # 5.5 mmol/L × 38.67
    assert found["Systolic blood pressure"] == "138 mmHg"
    detail.enter_missing.click()
    tc = w.what_if.controls["total_cholesterol"]
    sbp = w.what_if.controls["systolic_bp"]
    assert isinstance(tc, QDoubleSpinBox) and isinstance(sbp, QDoubleSpinBox)
    assert round(tc.value()) == 213 and sbp.value() == 138
    assert "as recorded" not in tc.text() and "as recorded" not in sbp.text()
    assert "total_cholesterol" not in w.what_if.overrides()  # a recorded value is not a change
