"""China-PAR (Yang 2016) against published vectors and an independent oracle."""

from __future__ import annotations

import math
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.errors import CannotCompute

PID = "china-par-ascvd-10y"


@cache
def model() -> RiskModel:
    registry = ModelRegistry.default(None)
    return RiskModel(create_session(registry.load(PID), RuntimeOptions(gpu_preference="cpu")))


# The paper's equations written out once more, in scalars, for this oracle (not imported
# from models/build_china_par.py): (men, women). Three-decimal coefficients of T/JPMA
# 024-2024; the paper's Supplemental Table 1 prints them to two decimals.
MEN = dict(age=31.967, sbp_t=27.388, sbp_u=26.148, tc=0.621, hdl=-0.695, waist=-0.712,
           smoke=3.955, dm=0.357, north=0.475, urban=-0.164, fh=6.221, age_sbp_t=-6.018,
           age_sbp_u=-5.731, age_smoke=-0.939, age_fh=-1.534, mean=140.68, s10=0.9707)
WOMEN = dict(age=24.874, sbp_t=20.709, sbp_u=19.982, tc=0.058, hdl=-0.217, waist=1.475,
             smoke=0.495, dm=0.567, north=0.544, sbp_x=0.0, age_sbp_t=-4.528, age_sbp_u=-4.360,
             mean=117.26, s10=0.9851)


def oracle(p: dict) -> tuple[float, float]:
    """(individual sum, 10-year risk) by the paper's recipe: ln-transform, multiply, add."""
    men = p["sex"] == "male"
    b = MEN if men else WOMEN
    ln_age, ln_sbp = math.log(p["age"]), math.log(p["systolic_bp"])
    treated = p["bp_treated"]
    total = b["age"] * ln_age
    total += (b["sbp_t"] if treated else b["sbp_u"]) * ln_sbp
    total += (b["age_sbp_t"] if treated else b["age_sbp_u"]) * ln_age * ln_sbp
    total += b["tc"] * math.log(p["total_cholesterol"]) + b["hdl"] * math.log(p["hdl_cholesterol"])
    total += b["waist"] * math.log(p["waist_circumference"])
    total += b["smoke"] * p["smoker"] + b["dm"] * p["diabetes"]
    total += b["north"] * (p["region"] == "north")
    if men:  # the women's equation has none of these terms
        total += b["urban"] * (p["urbanisation"] == "urban")
        total += b["fh"] * p["family_history_ascvd"]
        total += b["age_smoke"] * ln_age * p["smoker"]
        total += b["age_fh"] * ln_age * p["family_history_ascvd"]
    return total, 1 - b["s10"] ** math.exp(total - b["mean"])


EXAMPLE = {"age": 60, "total_cholesterol": 210, "hdl_cholesterol": 55, "systolic_bp": 130,
           "bp_treated": False, "smoker": False, "diabetes": True, "waist_circumference": 80,
           "region": "north", "urbanisation": "urban", "family_history_ascvd": False}


def score(**p):
    return model().score(as_input_values(p))


def test_worked_example_sums_match_the_paper():
    """Supplemental Table 1: individual sum 142.04 (men) and 119.22 (women)."""
    men = score(**EXAMPLE, sex="male").outputs
    women = score(**EXAMPLE, sex="female").outputs
    assert men["linear_predictor"] == pytest.approx(142.04, abs=0.02)
    assert women["linear_predictor"] == pytest.approx(119.22, abs=0.02)


@pytest.mark.parametrize("sex,age,published", [
    ("male", 40, 2.2), ("male", 50, 5.4), ("male", 60, 11.0), ("male", 70, 19.6),
    ("female", 40, 2.4), ("female", 50, 5.4), ("female", 60, 10.1), ("female", 70, 17.1)])
def test_table2_risks_within_three_tenths_of_a_point(sex, age, published):
    """Yang 2016 Table 2: the worked example's 10-year risk by age, in percent."""
    risk = score(**{**EXAMPLE, "age": age}, sex=sex).value * 100
    assert abs(risk - published) <= 0.3


def test_guideline_example_matches_the_official_calculator():
    """2019 Chinese guideline appendix 1: the official calculator gives 4.7 %."""
    result = score(age=40, sex="male", total_cholesterol=5.2 / 0.0259,
                   hdl_cholesterol=1.3 / 0.0259, systolic_bp=145, bp_treated=False,
                   smoker=False, diabetes=False, waist_circumference=80, region="north",
                   urbanisation="urban", family_history_ascvd=True)
    assert round(result.value * 100, 1) == 4.7
    assert result.category == "low"


def test_three_decimal_coefficients_round_to_the_printed_table():
    """Each shipped coefficient rounds to the paper's two-decimal print (second source)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
    import build_china_par as b

    for name, _label, _inputs, (female, male) in b.TERMS:
        printed_f, printed_m = b.PRINTED[name]
        assert abs(female - printed_f) <= 0.0051, name
        assert abs(male - printed_m) <= 0.0051, name
    # the men's "coefficient x value" column of the worked example, divided back
    assert 130.88 / math.log(60) == pytest.approx(MEN["age"], abs=0.002)
    assert -114.21 / (math.log(60) * math.log(130)) == pytest.approx(MEN["age_sbp_u"], abs=0.002)


people = st.fixed_dictionaries({
    "age": st.integers(35, 74), "sex": st.sampled_from(["female", "male"]),
    "total_cholesterol": st.floats(100, 400), "hdl_cholesterol": st.floats(20, 110),
    "systolic_bp": st.floats(90, 200), "bp_treated": st.booleans(), "smoker": st.booleans(),
    "diabetes": st.booleans(), "waist_circumference": st.floats(55, 140),
    "region": st.sampled_from(["north", "south"]),
    "urbanisation": st.sampled_from(["urban", "rural"]), "family_history_ascvd": st.booleans()})


@settings(max_examples=200, deadline=None)
@given(people)
def test_graph_equals_independent_oracle(p):
    """The ONNX graph and the scalar oracle agree for any patient in range."""
    lp, risk = oracle(p)
    out = score(**p)
    assert out.outputs["linear_predictor"] == pytest.approx(lp, abs=1e-9)
    assert out.value == pytest.approx(risk, abs=1e-12)


def test_women_equation_ignores_residence_and_family_history():
    """Urbanisation and family history have no term for women; they do for men."""
    base = {**EXAMPLE, "sex": "female"}
    a = score(**base).value
    b = score(**{**base, "urbanisation": "rural", "family_history_ascvd": True}).value
    assert a == b
    men = {**EXAMPLE, "sex": "male", "age": 45}
    assert score(**{**men, "family_history_ascvd": True}).value > score(**men).value


def test_mens_family_history_and_smoking_terms_fade_with_age():
    """Published property (model card): the men's family-history and smoking effects are
    6.221 - 1.534 ln age and 3.955 - 0.939 ln age, which reach zero near 58 and 67."""
    men = {**EXAMPLE, "sex": "male"}
    fh_58 = math.exp(6.221 / 1.534)
    assert 57 < fh_58 < 58.5
    assert score(**{**men, "age": 70, "family_history_ascvd": True}).value < score(
        **{**men, "age": 70}).value
    assert 67 < math.exp(3.955 / 0.939) < 68


def test_missing_waist_is_cannot_compute_never_a_default():
    """No waist circumference: cannot compute, naming it."""
    p = {**EXAMPLE, "sex": "male"}
    del p["waist_circumference"]
    with pytest.raises(CannotCompute, match="Waist circumference"):
        model().score(as_input_values(p))
    assert [m.name for m in model().missing(as_input_values(p))] == ["waist_circumference"]


def test_missing_region_is_cannot_compute():
    """No region (no site setting, calculator without it): cannot compute."""
    p = {**EXAMPLE, "sex": "male"}
    del p["region"]
    with pytest.raises(CannotCompute, match="Region of China"):
        model().score(as_input_values(p))


@pytest.mark.parametrize("age", [34, 75, 80])
def test_age_outside_35_74_refused(age):
    """The equations were derived in adults 35-74; other ages are refused."""
    with pytest.raises(CannotCompute, match="outside the valid range 35–74"):
        score(**{**EXAMPLE, "age": age}, sex="male")


def test_waist_outside_plausible_bound_is_flagged():
    """A waist outside 50-150 cm is computed but flagged as extrapolated."""
    out = score(**{**EXAMPLE, "waist_circumference": 160}, sex="male")
    assert any("extrapolated" in f and "waist_circumference" in f for f in out.flags)


def test_unknown_region_word_refused():
    """'east' is not a region of the equations: refused with the allowed words."""
    with pytest.raises(CannotCompute, match="'north', 'south'"):
        score(**{**EXAMPLE, "region": "east"}, sex="male")


def test_known_cvd_flags_primary_prevention_only():
    """A patient with known ASCVD gets the primary-prevention flag."""
    out = score(**EXAMPLE, sex="male", known_cvd=True)
    assert any("primary" in f for f in out.flags)


def test_batch_path_equals_one_row_path():
    """score_many gives the same values as score for the Table 2 rows."""
    rows = [as_input_values({**EXAMPLE, "age": a, "sex": s})
            for a in (40, 50, 60, 70) for s in ("female", "male")]
    batch = model().score_many(rows)
    for row, got in zip(rows, batch, strict=True):
        assert got.value == pytest.approx(model().score(row).value, abs=1e-12)
