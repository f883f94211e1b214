"""Follow-up (issue 16): previous vs current score and why it moved; lifetime risk 20-59."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clinic_app.core.inference.lifetime import Stratum
from clinic_app.core.security.audit import AuditFilter
from clinic_app.services.risk_follow_up import follow_up
from tests.test_risk_service import _obs, _patient_entries


@pytest.fixture
def visits(store, tmp_path):
    """A man of 67 (two SBP readings a year apart), a woman of 29, a man of 30 with no lipids."""
    entries = (_patient_entries("p2", "MRN-2", "male", "1958-02-01")
               + _patient_entries("y1", "MRN-Y", "female", "1996-03-01", tc=185)
               + _patient_entries("n1", "MRN-N", "male", "1995-03-01")[:1])
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in entries]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [bundle]).ok
    return store, phys


def test_previous_and_current_say_which_input_moved_the_score(visits, tmp_path):
    """Two visits: SBP 124 then 146 is the change named, and the blood-pressure share grows."""
    store, phys = visits
    risk = store.services.risk
    risk.score_patient(phys, "MRN-2", model_ids=["framingham-cvd-10y"],
                       as_of=datetime(2025, 12, 15, 12, tzinfo=UTC))
    later = tmp_path / "later.json"
    later.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": _patient_entries("p2", "MRN-2", "male", "1958-02-01")[0]},
        {"resource": _obs("p2-sbp-new", "p2", "8480-6", 146, "mm[Hg]", "2026-01-02")}]}))
    assert store.services.records.import_files(phys, [later]).ok
    risk.score_patient(phys, "MRN-2", model_ids=["framingham-cvd-10y"])
    got = follow_up(risk, phys, "MRN-2", "framingham-cvd-10y")
    assert got.previous is not None and got.current is not None and got.change is not None
    assert got.previous.as_of.date().isoformat() == "2025-12-15"
    change = got.change
    assert change.before == got.previous.value and change.after == got.current.value
    assert change.delta > 0 and not change.version_changed
    [sbp] = [c for c in change.inputs if c.name == "systolic_bp"]
    assert (sbp.before, sbp.after) == (124, 146)
    assert sbp.label == "Systolic blood pressure" and sbp.unit == "mm[Hg]"
    assert str(sbp.before_date) == "2025-12-01" and str(sbp.after_date) == "2026-01-02"
    assert {c.name for c in change.inputs if c.value_changed} == {"systolic_bp"}
    bp = next(s for s in change.shares if "pressure" in s.label.lower())
    assert bp.after > bp.before


def test_one_stored_result_has_no_previous(visits):
    """A single visit: the current result, no previous one and no change."""
    store, phys = visits
    store.services.risk.score_patient(phys, "MRN-2", model_ids=["framingham-cvd-10y"])
    got = follow_up(store.services.risk, phys, "MRN-2", "framingham-cvd-10y")
    assert got.current is not None and got.previous is None and got.change is None


def test_lifetime_risk_for_a_woman_of_29_without_the_10_year_equations(visits):
    """Age 29 is below the PCE's 40, yet the lifetime risk (Lloyd-Jones 2006) is given."""
    store, phys = visits
    got = follow_up(store.services.risk, phys, "MRN-Y", "pce-ascvd-10y")
    assert got.current is None  # the PCE itself cannot be computed (age, race)
    # TC 185, SBP 124 and a daily smoker: one major risk factor, women 39 %; all optimal 8 %
    assert got.lifetime is not None and got.lifetime.stratum is Stratum.ONE_MAJOR
    assert (got.lifetime.risk, got.lifetime.optimal) == (0.39, 0.08)
    assert got.lifetime_note == ""


def test_lifetime_risk_outside_20_to_59_and_with_missing_inputs_says_why(visits):
    """Age 67: 'applies to ages 20-59'; no cholesterol recorded: 'cannot compute: missing'."""
    store, phys = visits
    old = follow_up(store.services.risk, phys, "MRN-2", "pce-ascvd-10y")
    assert old.lifetime is None and "applies to ages 20-59" in old.lifetime_note
    bare = follow_up(store.services.risk, phys, "MRN-N", "pce-ascvd-10y")
    assert bare.lifetime is None
    assert bare.lifetime_note.startswith("Lifetime risk: cannot compute: missing")
    assert "Total cholesterol" in bare.lifetime_note


def test_follow_up_is_audited_once(visits):
    """One audit entry per call, naming the model, without the patient's values."""
    store, phys = visits
    follow_up(store.services.risk, phys, "MRN-Y", "pce-ascvd-10y")
    entries = [e for e in store.services.audit.entries(store.login("admin"), AuditFilter())
               if e.action == "risk.follow_up"]
    assert len(entries) == 1 and entries[0].detail["model"] == "pce-ascvd-10y"
    assert "MRN-Y" not in json.dumps(entries[0].detail) and "185" not in json.dumps(entries[0].detail)
