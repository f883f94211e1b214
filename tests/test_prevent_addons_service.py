"""PREVENT add-on models from records: UACR and HbA1c read by LOINC code with their units,
each variant shown beside the base PREVENT only when its extra inputs are present."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pytest

from clinic_app.core.records import codes
from clinic_app.core.records.inputs import check_input
from clinic_app.errors import ImpossibleValue
from tests.test_risk_service import _obs, _patient_entries


def _entries(pid: str, mrn: str, extra: list[dict]) -> list[dict]:
    return [*_patient_entries(pid, mrn, "female", "1970-03-01"),
            _obs(f"{pid}-cr", pid, "2160-0", 0.8, "mg/dL", "2025-11-01"),
            _obs(f"{pid}-bmi", pid, "39156-5", 27, "kg/m2", "2025-12-01"), *extra]


@pytest.fixture
def prevent_clinic(store, tmp_path):
    """Three women: no UACR/HbA1c, UACR in mg/mmol only, UACR (mg/g) and IFCC HbA1c."""
    entries = (_entries("q1", "P-BASE", [])
               + _entries("q2", "P-UACR", [_obs("q2-acr", "q2", "32294-1", 3.4, "mg/mmol",
                                                "2025-10-01")])
               + _entries("q3", "P-FULL", [_obs("q3-acr", "q3", "9318-7", 30, "mg/g",
                                                "2025-10-01"),
                                           _obs("q3-a1c", "q3", "59261-8", 40, "mmol/mol",
                                                "2025-10-01")]))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in entries]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [bundle])
    assert report.ok, report.as_json()
    return store, phys


def _ids(scores) -> set[str]:
    return {r.model_id for r in scores.results} | {n.model_id for n in scores.not_computed}


def test_variants_are_hidden_without_their_inputs(prevent_clinic):
    """No UACR and no HbA1c: only the base PREVENT, no 'cannot compute' variant rows."""
    store, phys = prevent_clinic
    scores = store.services.risk.score_patient(phys, "P-BASE", store=False)
    assert "prevent-10y" in {r.model_id for r in scores.results}
    assert not {f"prevent-{v}-{h}" for v in ("uacr", "hba1c", "full") for h in ("10y", "30y")
                } & _ids(scores)


def test_uacr_in_mg_per_mmol_is_converted_and_scores_the_uacr_variant(prevent_clinic):
    """UACR 3.4 mg/mmol (LOINC 32294-1) reads as 30.06 mg/g; the UACR variant is shown."""
    store, phys = prevent_clinic
    scores = store.services.risk.score_patient(phys, "P-UACR", store=False)
    by_id = {r.model_id: r for r in scores.results}
    assert "prevent-10y" in by_id and "prevent-uacr-10y" in by_id
    assert by_id["prevent-uacr-10y"].inputs["uacr"].value == pytest.approx(3.4 * 8.84)
    assert "prevent-uacr-30y" in by_id  # aged 55: the 30-year model applies too
    assert not {"prevent-hba1c-10y", "prevent-full-10y", "prevent-full-30y"} & _ids(scores)


def test_both_inputs_show_the_full_model_only(prevent_clinic):
    """UACR and HbA1c (IFCC 40 mmol/mol = 5.81 %): the full model replaces the single ones."""
    store, phys = prevent_clinic
    scores = store.services.risk.score_patient(phys, "P-FULL", store=False)
    by_id = {r.model_id: r for r in scores.results}
    assert "prevent-full-10y" in by_id and "prevent-10y" in by_id
    assert by_id["prevent-full-10y"].inputs["hba1c"].value == pytest.approx(
        0.09148 * 40 + 2.152)
    assert "prevent-full-30y" in by_id
    assert not {"prevent-uacr-10y", "prevent-hba1c-10y", "prevent-uacr-30y",
                "prevent-hba1c-30y"} & _ids(scores)


def test_a_variant_named_explicitly_says_what_is_missing(prevent_clinic):
    """Asked for by name, the UACR variant is never hidden: 'missing urine albumin ...'."""
    store, phys = prevent_clinic
    scores = store.services.risk.score_patient(phys, "P-BASE", store=False,
                                               model_ids=["prevent-uacr-10y"])
    (failed,) = scores.not_computed
    assert [m.name for m in failed.missing] == ["uacr"]
    assert "albumin" in failed.reason.lower()


def test_uacr_codes_and_units_are_in_the_terminology():
    """The three UACR LOINC codes map to one fact in mg/g; mg/mmol converts by 8.84."""
    for code in ("9318-7", "14959-1", "32294-1"):
        spec = codes.OBSERVATIONS[code]
        assert spec.name == codes.UACR and spec.unit == "mg/g"
    assert codes.OBSERVATIONS["32294-1"].units["mg/mmol"].apply(3.0) == pytest.approx(26.52)
    assert math.isclose(check_input("uacr", 3.0, "mg/mmol").value, 26.52)


def test_impossible_uacr_is_refused_with_the_likely_unit():
    """UACR 40000 'mg/g' is impossible; 0.004 mg/g too (and mg/mmol would not save it)."""
    with pytest.raises(ImpossibleValue):
        check_input("uacr", 40000)
    with pytest.raises(ImpossibleValue):
        check_input("uacr", 0.001)


def test_batch_scoring_hides_variants_like_one_patient_scoring(prevent_clinic):
    """score_all stores the same PREVENT models per patient as score_patient shows."""
    store, phys = prevent_clinic
    risk = store.services.risk
    report = risk.score_all(phys)
    assert report.by_model["prevent-full-10y"] == {"scored": 1, "not_computed": 0}
    assert report.by_model["prevent-uacr-10y"] == {"scored": 1, "not_computed": 0}
    assert "prevent-hba1c-10y" not in report.by_model  # hidden for every patient
    for mrn in ("P-BASE", "P-UACR", "P-FULL"):
        shown = {o.model_id for o in risk.score_patient(phys, mrn, store=False).outcomes()}
        stored = {o.model_id for o in risk.stored(phys, mrn)}
        variants = {m for m in shown | stored if m.startswith("prevent-") and m.count("-") == 2}
        assert {m for m in shown if m in variants} == {m for m in stored if m in variants}
