"""The follow-up box on the Risk tab: previous vs current, lifetime risk (offscreen)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.ui.conftest import settle


@pytest.fixture
def workspace(store: StoreFixture, qtbot, pool, tmp_path: Path):
    """Eight synthetic patients scored twice: as of 2025-06-01 and today."""
    session = store.login("phys")
    bundle = generate_cohort(8, seed=3).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(session, [bundle]).ok
    store.services.risk.score_all(session, as_of=datetime(2025, 6, 1, 12, tzinfo=UTC))
    store.services.risk.score_all(session)
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    return w


def test_selecting_a_model_shows_its_previous_score_and_lifetime_risk(workspace, qtbot, pool):
    """On request, the PCE's previous score with its date, and the lifetime line or why not."""
    w = workspace
    scored = sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                     if r.model_id == "pce-ascvd-10y" and r.computed})
    assert w.select_patient(scored[0])
    settle(qtbot, pool)
    w.risk_panel.select_model("pce-ascvd-10y")
    settle(qtbot, pool)
    assert w.follow_up.text.isHidden()  # opening the patient does not load it (one audit entry)
    w.follow_up.button.click()
    qtbot.waitUntil(lambda: not w.follow_up.text.isHidden(), timeout=60_000)
    text = w.follow_up.text.text()
    assert "Previous:" in text and "2025-06-01" in text and "Now:" in text
    assert "Lifetime risk" in text  # either the risk (ages 20-59) or why there is none
    assert "mm[Hg]" not in text and "_" not in text  # clinical words, no codes or names
    shots = os.environ.get("CLINIC_APP_SHOTS")
    if shots:  # screenshots for review: CLINIC_APP_SHOTS=DIR
        w.tabs.setCurrentIndex(1)
        for width, height in ((1280, 800), (1920, 1080)):
            w.resize(width, height)
            w.show()
            qtbot.waitExposed(w)
            w.grab().save(str(Path(shots) / f"follow-up-{width}x{height}.png"))
    w.risk_panel.select_model("framingham-cvd-10y")
    assert w.follow_up.text.isHidden()  # another model: the comparison shown no longer applies
