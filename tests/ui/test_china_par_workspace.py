"""A Chinese site's physician workspace: SI units, China-PAR, recording family history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from clinic_app.services import Services
from clinic_app.ui.physician import site_units
from clinic_app.ui.physician.family_history import FamilyHistoryDialog
from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.test_china_par_site import CHINA, _person
from tests.ui.conftest import on_modal, settle

CP = "china-par-ascvd-10y"


@pytest.fixture
def china(store: StoreFixture, qtbot, pool, tmp_path: Path):
    """A China site (SI, population, north, urban) with a man lacking family history."""
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": r} for r in _person("m2", "M-2", "male", family=False)]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    store.services.close()
    store.services = Services(store.settings(display_units="si", **CHINA), clock=store.clock)
    session = store.login("phys")
    assert store.services.records.import_files(session, [bundle]).ok
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    yield w
    site_units.use("us")


def _scores(w):
    return {s.model_id: s for s in w.current_scores}


def test_si_units_and_family_history_recorded_from_the_workspace(china, qtbot, pool):
    """Lipids read in mmol/L; China-PAR asks for family history; answering 'No' in the
    dialog records it and China-PAR is then computed with 'recorded by phys'."""
    w = china
    assert w.select_patient(w.patients[0].key)
    settle(qtbot, pool)
    cp = _scores(w)[CP]
    assert cp.value is None and [m.name for m in cp.missing] == ["family_history_ascvd"]
    tc = next(i for i in _scores(w)["framingham-cvd-10y"].inputs if i.name == "total_cholesterol")
    from clinic_app.ui.physician.presentation import value_text
    assert value_text(tc.value, tc.unit, tc.name) == "5.20 mmol/L"
    assert w.family_button.isEnabled()

    def answer(dialog: FamilyHistoryDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # nothing is preselected
        dialog.no.setChecked(True)
        assert not ok.isEnabled()  # how it was established is required too
        dialog.reason.setText("asked at the visit")
        ok.click()

    on_modal(FamilyHistoryDialog, answer)
    w.record_family_history()
    settle(qtbot, pool)
    settle(qtbot, pool)  # the reload the recording started
    cp = _scores(w)[CP]
    assert cp.value is not None
    given = next(i for i in cp.inputs if i.name == "family_history_ascvd")
    assert given.value is False and given.source.startswith("recorded by phys")
