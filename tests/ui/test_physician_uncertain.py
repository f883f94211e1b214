"""The risk panel's uncertain inputs: an unclassified drug, confirmed by the physician."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import AuditFilter
from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.test_records_inputs import _bundle as records_bundle
from tests.test_records_inputs import _drug as records_drug
from tests.test_records_inputs import _facts as records_facts
from tests.ui.conftest import settle

MRN = "IN-1"


def _bundle() -> dict:
    """A PCE-complete patient whose only drug is one no terminology classifies."""
    return records_bundle(*records_facts(), records_drug("m1", "99999901",
                                                         "zanolol 5 MG Oral Tablet"))


@pytest.fixture
def opened(store: StoreFixture, qtbot, pool, tmp_path: Path) -> PhysicianWorkspace:
    session = store.login("phys")
    path = tmp_path / "uncertain.json"
    path.write_text(json.dumps(_bundle()), encoding="utf-8")
    assert store.services.records.import_files(session, [path]).ok
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    key = next(p.key for p in w.patients if p.mrn == MRN)
    assert w.select_patient(key)
    settle(qtbot, pool)
    w.risk_panel.select_model("pce-ascvd-10y")
    settle(qtbot, pool)  # the follow-up box loads on a worker when a model is selected
    return w


def _pce(w: PhysicianWorkspace):
    return next(s for s in w.current_scores if s.model_id == "pce-ascvd-10y")


def test_uncertain_drug_is_shown_with_its_reason_and_a_confirm_button(opened) -> None:
    """The PCE detail names the unclassified drug as why treatment is uncertain, with Confirm…."""
    box = opened.risk_panel.detail.uncertain
    assert not box.isHidden()
    text, button = box.rows["bp_treated"]
    assert "zanolol 5 MG Oral Tablet — drug class not recognised" in text.text()
    assert "uncertain" in text.text()
    assert button.text() == "Confirm…" and button.isEnabled()
    opened.risk_panel.select_model("cha2ds2-vasc")  # a model that does not read treatment
    assert box.isHidden()


def test_confirming_records_an_audited_statement_and_rescores(opened, store, qtbot, pool) -> None:
    """Confirm… with yes and a reason is recorded apart from the facts, audited once, and
    the score recomputed on a worker now counts the treatment, shown as the physician's."""
    w = opened
    before = _pce(w).value
    box = w.risk_panel.detail.uncertain
    box.rows["bp_treated"][1].click()
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.yes.setChecked(True)
    assert not ok.isEnabled()  # no reason yet: nothing can be recorded
    dialog.reason.setText("takes it for hypertension, per the patient")
    assert ok.isEnabled()
    with qtbot.waitSignal(box.confirm_requested, timeout=5_000) as sent:
        ok.click()
    assert sent.args[:2] == ["bp_treated", True]
    assert not box.rows["bp_treated"][1].isEnabled()  # until the rescored patient is back
    settle(qtbot, pool)

    after = _pce(w)
    assert after.value is not None and before is not None and after.value > before
    treated = next(i for i in after.inputs if i.name == "bp_treated")
    assert treated.value is True
    assert "confirmed by phys" in treated.source and "not a record fact" in treated.source
    text, button = w.risk_panel.detail.uncertain.rows["bp_treated"]
    assert "confirmed by phys on" in text.text() and "not a record fact" in text.text()
    assert "takes it for hypertension" in text.text()
    assert button.text() == "Change…"
    repo = RecordRepository(w.session.clinical)
    assert all(m.classes == () for m in repo.all_medications(w.current.patient.key))
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "records.confirm_input"]
    assert len(entries) == 1


def test_cancelling_the_dialog_records_nothing(opened, store) -> None:
    """Cancel leaves the input uncertain and writes no confirmation."""
    box = opened.risk_panel.detail.uncertain
    box.rows["bp_treated"][1].click()
    assert box.dialog is not None
    box.dialog.yes.setChecked(True)
    box.dialog.reason.setText("a reason")
    box.dialog.reject()
    repo = RecordRepository(opened.session.clinical)
    assert repo.confirmation(opened.current.patient.key, "bp_treated",
                             "zanolol 5 MG Oral Tablet", store.clock()) is None
    assert box.rows["bp_treated"][1].isEnabled()
