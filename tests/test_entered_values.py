"""Saving a value entered for a missing input: confirmed with a reason, stored as a
physician-entered fact with its provenance, audited once, refused out of bounds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clinic_app.core.inference.features import InputStatus, Lookbacks, record_inputs
from clinic_app.core.records import codes
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.reports.wording import plain_source
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import ImpossibleValue, InvalidInput, PermissionDenied
from clinic_app.services.entered_values import ENTERED_FORMAT, entered_by, entered_source_text, saveable
from tests.test_records_inputs import _bundle, _obs


@pytest.fixture
def no_hdl(store, tmp_path):
    """A patient whose record has total cholesterol and blood pressure but no HDL."""
    phys = store.login("phys")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_bundle(_obs("tc", "14647-2", 5.5, "mmol/L"),
                                       _obs("sbp", "8480-6", 138, "mm[Hg]"))))
    assert store.services.records.import_files(phys, [path]).ok
    repo = RecordRepository(phys.clinical)
    return phys, repo, repo.patient_by_mrn("IN-1")


def _hdl_state(store, phys, repo, patient):
    model = store.services.risk.risk_models(phys, ["pce-ascvd-10y"])[0]
    return record_inputs(repo, patient, model.manifest.features, datetime.now(UTC), Lookbacks())


def test_a_confirmed_value_becomes_a_fact_marked_as_entered(store, no_hdl):
    """HDL 50 mg/dL saved with a reason feeds the score, with "entered by phys on <day>"."""
    phys, repo, patient = no_hdl
    assert _hdl_state(store, phys, repo, patient).states["hdl_cholesterol"].status is InputStatus.MISSING
    saved = store.services.entered_values.save(phys, patient.key, {"hdl_cholesterol": 50.0},
                                               reason="measured in clinic today")
    assert [(f.feature, f.value, f.unit, f.entered_by) for f in saved] == \
        [("hdl_cholesterol", 50.0, "mg/dL", "phys")]
    rec = _hdl_state(store, phys, repo, patient)
    assert rec.states["hdl_cholesterol"].status is InputStatus.PRESENT
    assert rec.values["hdl_cholesterol"].value == 50.0
    day = saved[0].entered_at.date().isoformat()
    assert plain_source(rec.values["hdl_cholesterol"].source) == f"entered by phys on {day}"
    obs = repo.latest(patient.key, codes.HDL_CHOLESTEROL, datetime.now(UTC), 24)
    assert obs is not None and entered_by(obs.provenance) == ("phys", day)
    assert entered_source_text(obs.provenance) == f"entered by phys on {day}"
    # never indistinguishable from an import: its own import row, not a file
    assert [e.format for e in repo.imports()].count(ENTERED_FORMAT) == 1
    imported = repo.latest(patient.key, codes.TOTAL_CHOLESTEROL, datetime.now(UTC), 24)
    assert imported is not None and entered_by(imported.provenance) is None
    kept = repo.confirmation(patient.key, "entered:hdl_cholesterol", obs.provenance.resource_id,
                             datetime.now(UTC))
    assert kept is not None and kept.reason == "measured in clinic today" and kept.confirmed_by == "phys"
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "records.enter_value"]
    assert len(entries) == 1
    assert "IN-1" not in json.dumps(entries[0].as_json()) and "50" not in json.dumps(entries[0].detail)


@pytest.mark.parametrize(("values", "reason", "error", "match"), [
    ({"hdl_cholesterol": 50.0}, "  ", InvalidInput, "reason"),
    ({"hdl_cholesterol": 900.0}, "typed", ImpossibleValue, "not physiologically possible"),
    ({"systolic_bp": 20.0}, "typed", ImpossibleValue, "not physiologically possible"),
    ({"diabetes": True}, "typed", InvalidInput, "not a measured value"),
    ({}, "typed", InvalidInput, "No value"),
])
def test_refused_values_store_nothing(store, no_hdl, values, reason, error, match):
    """No reason, an impossible value or a yes/no answer: refused, nothing stored or audited."""
    phys, repo, patient = no_hdl
    before = len(repo.imports())
    with pytest.raises(error, match=match):
        store.services.entered_values.save(phys, patient.key, values, reason=reason)
    assert len(repo.imports()) == before
    assert repo.latest(patient.key, codes.HDL_CHOLESTEROL, datetime.now(UTC), 24) is None


def test_a_value_with_its_unit_is_converted_to_the_records_unit(store, no_hdl):
    """HDL 1.3 mmol/L is stored as 50.3 mg/dL, the unit every HDL in the record has."""
    phys, repo, patient = no_hdl
    saved = store.services.entered_values.save(phys, patient.key,
                                               {"hdl_cholesterol": {"value": 1.3, "unit": "mmol/L"}},
                                               reason="lab slip from another clinic")
    assert saved[0].unit == "mg/dL" and saved[0].value == pytest.approx(1.3 * 38.67, abs=0.01)
    obs = repo.latest(patient.key, codes.HDL_CHOLESTEROL, datetime.now(UTC), 24)
    assert obs is not None and (obs.original_value, obs.original_unit) == ("1.3", "mmol/L")  # as typed


def test_only_a_physician_may_save_a_value(store, no_hdl):
    """The radiologist is refused by the service whatever a screen offers."""
    _, _, patient = no_hdl
    with pytest.raises(PermissionDenied):
        store.services.entered_values.save(store.login("rad"), patient.key, {"hdl_cholesterol": 50.0},
                                           reason="x")


def test_measured_inputs_are_saveable_and_answers_are_not():
    """Labs and vital signs can be saved; yes/no answers cannot."""
    assert saveable("hdl_cholesterol") and saveable("systolic_bp")
    assert not saveable("diabetes") and not saveable("smoker") and not saveable("age")


def test_cli_patients_enter_saves_with_a_reason_and_refuses_impossible_values(store, no_hdl, monkeypatch):
    """`patients enter IN-1 hdl_cholesterol 1.3 --unit mmol/L --reason …` stores 50.3 mg/dL
    as entered by phys; 900 mg/dL is refused with a message, not a traceback."""
    from tests.conftest import PASSWORDS
    from tests.test_records_cli import _as, run

    _phys, repo, patient = no_hdl
    code, out, err = run(_as(store, "phys", "patients", "enter", "IN-1", "hdl_cholesterol", "1.3",
                             "--unit", "mmol/L", "--reason", "lab slip"), PASSWORDS["phys"], monkeypatch)
    assert code == 0, err
    assert "Saved: hdl_cholesterol 50.271 mg/dL, entered by phys on" in out
    code, _, err = run(_as(store, "phys", "patients", "enter", "IN-1", "hdl_cholesterol", "900",
                           "--reason", "typo"), PASSWORDS["phys"], monkeypatch)
    assert code != 0 and "not physiologically possible" in err and "Traceback" not in err
    obs = repo.latest(patient.key, codes.HDL_CHOLESTEROL, datetime.now(UTC), 24)
    assert obs is not None and obs.value == pytest.approx(50.271)
