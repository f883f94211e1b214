"""The risk panel lists a PREVENT add-on model right after the base PREVENT, says SDI is
counted missing, and gives the add-on models no patient-list column."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.test_prevent_addons_service import _entries
from tests.test_risk_service import _obs
from tests.ui.conftest import settle


@pytest.fixture
def workspace(store: StoreFixture, qtbot, pool, tmp_path: Path):
    """One woman with a UACR (mg/g) and an HbA1c (%) on record."""
    bundle = tmp_path / "b.json"
    entries = _entries("w1", "W-1", [_obs("w1-acr", "w1", "9318-7", 48, "mg/g", "2025-12-01"),
                                     _obs("w1-a1c", "w1", "4548-4", 6.1, "%", "2025-12-01")])
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in entries]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    session = store.login("phys")
    assert store.services.records.import_files(session, [bundle]).ok
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    return w


def test_full_model_sits_beside_base_prevent_with_the_sdi_note(workspace, qtbot, pool):
    """Order: base PREVENT then the full model; its detail says SDI is counted missing."""
    w = workspace
    assert w.select_patient(w.patients[0].key)
    settle(qtbot, pool)
    ids = [s.model_id for s in w.current_scores]
    assert ids.index("prevent-full-10y") == ids.index("prevent-10y") + 1
    assert ids.index("prevent-full-30y") == ids.index("prevent-30y") + 1
    assert "prevent-uacr-10y" not in ids and "prevent-hba1c-10y" not in ids
    w.risk_panel.select_model("prevent-full-10y")
    assert "Social Deprivation Index" in w.risk_panel.detail.flags.text()
    w.risk_panel.select_model("prevent-10y")
    assert "Social Deprivation Index" not in w.risk_panel.detail.flags.text()
    assert not {c.model_id for c in w.catalog.columns()} & {
        f"prevent-{v}-{h}" for v in ("uacr", "hba1c", "full") for h in ("10y", "30y")}
