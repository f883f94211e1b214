"""Explanations on the risk scale: reference risk and exact Shapley shares, against oracles."""

from __future__ import annotations

import itertools
import math
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session

OPTIMAL = {"total_cholesterol": 170, "hdl_cholesterol": 50, "systolic_bp": 110,
           "bp_treated": False, "smoker": False, "diabetes": False}
FACTORS = {"total_cholesterol": ("total_cholesterol",), "hdl_cholesterol": ("hdl_cholesterol",),
           "blood_pressure": ("systolic_bp", "bp_treated"), "smoking": ("smoker",),
           "diabetes": ("diabetes",)}


@cache
def model(pid: str) -> RiskModel:
    registry = ModelRegistry.default(None)
    return RiskModel(create_session(registry.load(pid), RuntimeOptions(gpu_preference="cpu")))


def risk(pid: str, inputs: dict) -> float:
    return model(pid).score(as_input_values(inputs)).value


def with_factors(patient: dict, on: set[str]) -> dict:
    """The patient with the factors in ``on`` as recorded and the others optimal."""
    out = dict(patient)
    for factor, names in FACTORS.items():
        if factor not in on:
            out.update({n: OPTIMAL[n] for n in names})
    return out


def shapley_by_orderings(pid: str, patient: dict) -> dict[str, float]:
    """Oracle: the average marginal contribution over all k! orderings of the factors."""
    k = list(FACTORS)
    cache_: dict[frozenset[str], float] = {}

    def v(s: frozenset[str]) -> float:
        if s not in cache_:
            cache_[s] = risk(pid, with_factors(patient, set(s)))
        return cache_[s]

    total = dict.fromkeys(k, 0.0)
    orders = list(itertools.permutations(k))
    for order in orders:
        seen: frozenset[str] = frozenset()
        for f in order:
            total[f] += v(seen | {f}) - v(seen)
            seen = seen | {f}
    return {f: t / len(orders) for f, t in total.items()}


MAN = {"age": 65, "sex": "male", "race": "white", "total_cholesterol": 200,
       "hdl_cholesterol": 35, "systolic_bp": 150, "bp_treated": False, "smoker": True,
       "diabetes": True}


def test_two_factor_case_matches_the_hand_formula():
    """Only smoking and blood pressure differ from optimal: each gets ½ of both marginal paths."""
    patient = {**MAN, "total_cholesterol": 170, "hdl_cholesterol": 50, "diabetes": False}
    e = model("pce-ascvd-10y").score(as_input_values(patient)).explanation
    v0 = risk("pce-ascvd-10y", with_factors(patient, set()))
    vs = risk("pce-ascvd-10y", with_factors(patient, {"smoking"}))
    vb = risk("pce-ascvd-10y", with_factors(patient, {"blood_pressure"}))
    vsb = risk("pce-ascvd-10y", patient)
    shares = {s.name: s.amount for s in e.shares}
    assert shares["smoking"] == pytest.approx(((vs - v0) + (vsb - vb)) / 2, abs=1e-12)
    assert shares["blood_pressure"] == pytest.approx(((vb - v0) + (vsb - vs)) / 2, abs=1e-12)
    assert shares["total_cholesterol"] == shares["hdl_cholesterol"] == shares["diabetes"] == 0.0
    assert e.reference_risk == pytest.approx(v0, abs=1e-12)


@pytest.mark.parametrize("pid", ["pce-ascvd-10y", "framingham-cvd-10y", "prevent-10y"])
def test_shares_equal_the_ordering_oracle(pid):
    """The 2^k weighted formula gives the k!-orderings average, factor by factor."""
    patient = dict(MAN)
    if pid != "pce-ascvd-10y":
        patient.pop("race")
    if pid == "prevent-10y":
        patient.update(statin=False, egfr=75, bmi=31)
    e = model(pid).score(as_input_values(patient)).explanation
    oracle = shapley_by_orderings(pid, patient)
    assert {s.name: s.amount for s in e.shares} == pytest.approx(oracle, abs=1e-12)
    assert e.evaluations == 32


def test_reference_keeps_age_sex_race_and_sets_the_estimator_plus_optimum():
    """The reference risk is the model's risk at TC 170, HDL 50, SBP 110 untreated, no smoking or diabetes."""
    e = model("pce-ascvd-10y").score(as_input_values(MAN)).explanation
    assert e.reference_risk == pytest.approx(risk("pce-ascvd-10y", {**MAN, **OPTIMAL}), abs=1e-12)
    assert "age, sex and race" in e.reference


def test_hdl_35_adds_risk_and_the_ranking_is_clinical():
    """Low HDL is a positive share (it was shown as protective); diabetes and BP outrank cholesterol."""
    e = model("pce-ascvd-10y").score(as_input_values(MAN)).explanation
    shares = {s.name: s.amount for s in e.shares}
    assert shares["hdl_cholesterol"] > 0
    ranked = [s.name for s in e.ranked()]
    assert ranked.index("total_cholesterol") > ranked.index("blood_pressure")
    assert ranked.index("total_cholesterol") > ranked.index("diabetes")


patients = st.fixed_dictionaries({
    "age": st.integers(40, 79), "sex": st.sampled_from(["female", "male"]),
    "race": st.sampled_from(["white", "african_american"]),
    "total_cholesterol": st.floats(130, 320), "hdl_cholesterol": st.floats(20, 100),
    "systolic_bp": st.floats(90, 200), "bp_treated": st.booleans(), "smoker": st.booleans(),
    "diabetes": st.booleans()})


@settings(max_examples=60, deadline=None)
@given(patients)
def test_shares_add_up_to_risk_minus_reference(patient):
    """Efficiency: the shares sum to the risk minus the reference risk, for any patient."""
    result = model("pce-ascvd-10y").score(as_input_values(patient))
    e = result.explanation
    assert e.risk == pytest.approx(result.value, abs=1e-12)
    assert math.fsum(s.amount for s in e.shares) == pytest.approx(e.excess, abs=1e-12)


def test_batch_explanations_equal_one_patient_explanations():
    """score_many(reference=True) explains each row as score() does."""
    rows = [as_input_values(MAN), as_input_values({**MAN, "sex": "female", "smoker": False})]
    batch = model("pce-ascvd-10y").score_many(rows, reference=True)
    for row, got in zip(rows, batch, strict=True):
        one = model("pce-ascvd-10y").score(row).explanation
        assert [s.amount for s in got.explanation.shares] == pytest.approx(
            [s.amount for s in one.shares], abs=1e-12)


def test_point_scores_have_no_reference_explanation():
    """CHA2DS2-VASc keeps its points table and has no reference explanation."""
    r = model("cha2ds2-vasc").score(as_input_values(
        {"age": 70, "sex": "female", "chf": False, "hypertension": True, "diabetes": False,
         "stroke_tia": False, "vascular_disease": False, "atrial_fibrillation": True}))
    assert r.explanation is None and r.contributions


def test_optimal_risk_matches_the_estimator_plus_output():
    """ACC Estimator Plus, man 55 white, TC 200, HDL 50, SBP 130 untreated: 5.7 %, optimal 3.6 %."""
    r = model("pce-ascvd-10y").score(as_input_values(
        {"age": 55, "sex": "male", "race": "white", "total_cholesterol": 200,
         "hdl_cholesterol": 50, "systolic_bp": 130, "bp_treated": False, "smoker": False,
         "diabetes": False}))
    assert round(r.value * 100, 1) == 5.7
    assert round(r.explanation.reference_risk * 100, 1) == 3.6
