"""Estimator Plus therapy impact: the Lloyd-Jones 2017 relative risks, by hand."""

from __future__ import annotations

import pytest

from clinic_app.core.inference.therapy import Therapy, therapy_impact
from clinic_app.services.risk_therapy import estimator_plus
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)


def effects(impact):
    return {e.therapies: e for e in impact.effects}


def test_single_therapies_use_the_published_relative_risks():
    """Statin by LDL lowering (0.75 per mmol/L), SBP (0.65 per 10 mmHg), smoking 0.73, aspirin 0.90."""
    impact = therapy_impact(0.20, ldl=154.68, sbp=150, smoker=True)
    e = effects(impact)
    # moderate: 30 % of 154.68 mg/dL = 46.404 mg/dL = 1.2 mmol/L -> 0.75 ** 1.2
    assert e[(Therapy.MODERATE_STATIN,)].risk == pytest.approx(0.20 * 0.75 ** 1.2)
    assert e[(Therapy.HIGH_STATIN,)].risk == pytest.approx(0.20 * 0.75 ** 2.0)
    assert e[(Therapy.SBP_TO_TARGET,)].risk == pytest.approx(0.20 * 0.65 ** 2.0)  # 150 -> 130
    assert e[(Therapy.STOP_SMOKING,)].risk == pytest.approx(0.20 * 0.73)
    assert e[(Therapy.ASPIRIN,)].risk == pytest.approx(0.18)
    assert "bleeding" in e[(Therapy.ASPIRIN,)].note


def test_combined_therapies_multiply():
    """High-intensity statin + SBP to target + stopping smoking multiply their RRs."""
    e = effects(therapy_impact(0.20, ldl=154.68, sbp=150, smoker=True))
    combo = e[(Therapy.HIGH_STATIN, Therapy.SBP_TO_TARGET, Therapy.STOP_SMOKING)]
    assert combo.risk == pytest.approx(0.20 * 0.75 ** 2 * 0.65 ** 2 * 0.73)


def test_therapies_that_do_not_apply_say_why():
    """No statin without an LDL or on a statin; no SBP step at target; no smoking step for non-smokers."""
    impact = therapy_impact(0.10, ldl=None, sbp=125, smoker=False)
    assert set(effects(impact)) == {(Therapy.ASPIRIN,)}
    assert impact.not_offered[Therapy.HIGH_STATIN] == "needs an LDL cholesterol result"
    assert "already at or below" in impact.not_offered[Therapy.SBP_TO_TARGET]
    on = therapy_impact(0.10, ldl=130, sbp=140, smoker=None, on_statin=True)
    assert on.not_offered[Therapy.MODERATE_STATIN] == "already on a statin"
    assert on.not_offered[Therapy.STOP_SMOKING] == "smoking status not recorded"


def test_estimator_plus_for_a_patient(clinic):  # noqa: F811
    """The service gives the PCE risk, the optimal risk below it, and the therapy table."""
    from clinic_app.core.records.facts import PatientRecord  # noqa: F401
    store, phys = clinic
    # MRN-1 has no race in the record: the PCE cannot be computed, and says why
    from clinic_app.errors import CannotCompute
    with pytest.raises(CannotCompute, match="race"):
        estimator_plus(store.services.risk, phys, "MRN-1")


def test_ckd_epi_2021_by_hand():
    """eGFR 2021: a woman of 50 with creatinine 0.7 mg/dL (Scr/κ = 1): 142 × 0.9938^50 × 1.012."""
    from clinic_app.core.inference.derived_inputs import ckd_epi_2021
    assert ckd_epi_2021(0.7, 50, True) == pytest.approx(142 * 0.9938 ** 50 * 1.012)
    assert ckd_epi_2021(0.7, 50, True) == pytest.approx(105.3, abs=0.05)
    # a man of 60 with creatinine 1.8: 142 × (1.8/0.9)^-1.2 × 0.9938^60
    assert ckd_epi_2021(1.8, 60, False) == pytest.approx(142 * 2 ** -1.2 * 0.9938 ** 60)


def test_lifetime_risk_strata_and_the_estimator_plus_example():
    """ACC Estimator Plus: man 55, TC 200, BP 130/80 untreated, non-smoker -> lifetime 46 %."""
    from clinic_app.core.inference.lifetime import Stratum, lifetime_risk

    man = dict(age=55, sex="male", total_cholesterol=200, systolic_bp=130, bp_treated=False,
               smoker=False, diabetes=False)
    got = lifetime_risk(**man, diastolic_bp=80)
    assert got is not None and got.stratum is Stratum.ELEVATED and got.risk == 0.46
    # Lloyd-Jones 2006 abstract: optimal 5.2 % men / 8.2 % women; >= 2 major 68.9 % / 50.2 %
    best = dict(man, total_cholesterol=170, systolic_bp=110)
    assert lifetime_risk(**best).risk == 0.05
    assert lifetime_risk(**dict(best, sex="female")).risk == 0.08
    worst = dict(man, smoker=True, diabetes=True)
    assert lifetime_risk(**worst).risk == 0.69
    assert lifetime_risk(**dict(worst, sex="female")).risk == 0.50
    assert lifetime_risk(**dict(man, bp_treated=True)).stratum is Stratum.ONE_MAJOR
    assert lifetime_risk(**dict(best, systolic_bp=125)).stratum is Stratum.NOT_OPTIMAL
    assert lifetime_risk(**dict(best), diastolic_bp=92).stratum is Stratum.ELEVATED
    assert lifetime_risk(**dict(man, age=60)) is None and lifetime_risk(**dict(man, age=19)) is None
