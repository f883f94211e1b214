"""Shipped risk models reproduce their publications, through `clinic-app score --inputs`."""

from __future__ import annotations

import io
import json
import math
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main
from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.errors import CannotCompute

PCE_EXAMPLE = {"age": 55, "total_cholesterol": 213, "hdl_cholesterol": 50, "systolic_bp": 120,
               "bp_treated": False, "smoker": False, "diabetes": False}


def score_cli(tmp_path, model: str, inputs: dict) -> tuple[int, dict | None, str]:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(inputs))
    out, err = io.StringIO(), io.StringIO()
    code = main(["score", "--model", model, "--inputs", str(path), "--json"], out, err)
    return code, (json.loads(out.getvalue()) if code == 0 else None), err.getvalue()


@cache
def model(pid: str) -> RiskModel:
    registry = ModelRegistry.default(None)
    return RiskModel(create_session(registry.load(pid), RuntimeOptions(gpu_preference="cpu")))


def score(pid: str, **inputs) -> float:
    return model(pid).score(as_input_values(inputs)).value


@pytest.mark.parametrize(("sex", "race", "risk", "lp"), [
    ("female", "white", 0.021, -29.68),
    ("female", "african_american", 0.030, 86.17),
    ("male", "white", 0.054, 60.70),
    ("male", "african_american", 0.061, 18.97),
])
def test_pce_reproduces_the_guideline_worked_example(tmp_path, sex, race, risk, lp):
    """Goff 2013 worked example (55 y, TC 213, HDL 50, SBP 120 untreated): 2.1/3.0/5.4/6.1%."""
    code, result, _ = score_cli(tmp_path, "pce-ascvd-10y", {**PCE_EXAMPLE, "sex": sex, "race": race})
    assert code == 0
    assert round(result["value"] * 100, 1) == pytest.approx(risk * 100)
    assert result["outputs"]["linear_predictor"] == pytest.approx(lp, abs=0.005)
    assert result["unit"] == "probability"
    assert result["provider"].endswith("ExecutionProvider")
    assert sum(result["terms"].values()) == pytest.approx(result["outputs"]["linear_predictor"])


def test_pce_other_race_uses_white_equation_and_is_flagged(tmp_path):
    """'other' race gives the white result and a flag saying so."""
    _, white, _ = score_cli(tmp_path, "pce-ascvd-10y", {**PCE_EXAMPLE, "sex": "male", "race": "white"})
    _, other, _ = score_cli(tmp_path, "pce-ascvd-10y", {**PCE_EXAMPLE, "sex": "male", "race": "other"})
    assert other["value"] == white["value"]
    assert any("white equations" in f for f in other["flags"]) and not white["flags"]


def test_pce_categories_follow_the_guideline_bands():
    """<5% low, 5–7.5% borderline, 7.5–20% intermediate, ≥20% high."""
    low = model("pce-ascvd-10y").score(as_input_values({**PCE_EXAMPLE, "sex": "female", "race": "white"}))
    assert low.category == "low"
    high = model("pce-ascvd-10y").score(as_input_values(
        {**PCE_EXAMPLE, "age": 70, "sex": "male", "race": "white", "smoker": True, "diabetes": True,
         "systolic_bp": 170, "bp_treated": True}))
    assert high.category == "high" and high.value >= 0.20


@pytest.mark.parametrize(("field", "value", "valid"), [
    ("age", 39, "40–79 a"), ("age", 80, "40–79 a"), ("total_cholesterol", 129, "130–320 mg/dL"),
    ("hdl_cholesterol", 101, "20–100 mg/dL"), ("systolic_bp", 201, "90–200 mm[Hg]"),
])
def test_pce_out_of_range_exits_1_naming_input_and_range(tmp_path, field, value, valid):
    """Values outside the published ranges are refused: exit 1, input and range named."""
    code, _, err = score_cli(tmp_path, "pce-ascvd-10y",
                             {**PCE_EXAMPLE, "sex": "male", "race": "white", field: value})
    assert code == 1
    assert field in err and valid in err


def test_missing_input_exits_1_naming_it_and_its_range(tmp_path):
    """A missing input is never defaulted: exit 1 with its name and valid range."""
    inputs = {**PCE_EXAMPLE, "sex": "male", "race": "white"}
    del inputs["hdl_cholesterol"]
    code, _, err = score_cli(tmp_path, "pce-ascvd-10y", inputs)
    assert code == 1
    assert "missing hdl_cholesterol" in err and "20–100 mg/dL" in err


@pytest.mark.parametrize("bad", [{"race": "asian"}, {"smoker": "yes"}, {"age": "55"},
                                 {"age": True}, {"sex": "unknown"}])
def test_wrongly_typed_or_unknown_category_values_are_refused(bad):
    """Category values not in the manifest and values of the wrong type are refused."""
    with pytest.raises(CannotCompute):
        model("pce-ascvd-10y").score(as_input_values({**PCE_EXAMPLE, "sex": "male", "race": "white",
                                                      **bad}))


def test_framingham_reproduces_the_published_example(tmp_path):
    """D'Agostino 2008 worked example: woman 61, TC 180, HDL 47, SBP 124 untreated, smoker: 10.48%."""
    code, result, _ = score_cli(tmp_path, "framingham-cvd-10y", {
        "age": 61, "sex": "female", "total_cholesterol": 180, "hdl_cholesterol": 47,
        "systolic_bp": 124, "bp_treated": False, "smoker": True, "diabetes": False})
    assert code == 0
    assert result["value"] == pytest.approx(0.1048, abs=0.00005)


def test_framingham_flags_extrapolated_labs_but_refuses_age(tmp_path):
    """Labs outside the plausibility bounds are flagged 'extrapolated'; age outside 30–74 refused."""
    base = {"age": 50, "sex": "male", "total_cholesterol": 200, "hdl_cholesterol": 45,
            "systolic_bp": 130, "bp_treated": False, "smoker": False, "diabetes": False}
    _, result, _ = score_cli(tmp_path, "framingham-cvd-10y", {**base, "total_cholesterol": 450})
    assert any(f.startswith("extrapolated: total_cholesterol 450") for f in result["flags"])
    code, _, err = score_cli(tmp_path, "framingham-cvd-10y", {**base, "age": 75})
    assert code == 1 and "30–74" in err


def test_cha2ds2vasc_points_and_af_applicability(tmp_path):
    """Points per item sum to the score; without AF the result says the score does not apply."""
    inputs = {"age": 78, "sex": "female", "chf": False, "hypertension": True, "diabetes": False,
              "stroke_tia": True, "vascular_disease": False, "atrial_fibrillation": True}
    _, result, _ = score_cli(tmp_path, "cha2ds2-vasc", inputs)
    assert result["value"] == 6 and result["unit"] == "points"
    assert result["contributions"] == {"age": 2, "sex": 1, "chf": 0, "hypertension": 1,
                                       "diabetes": 0, "stroke_tia": 2, "vascular_disease": 0}
    assert result["category"].startswith("high")
    _, no_af, _ = score_cli(tmp_path, "cha2ds2-vasc", {**inputs, "atrial_fibrillation": False})
    assert any("applies only to patients with AF" in f for f in no_af["flags"])
    del inputs["atrial_fibrillation"]
    _, unknown, _ = score_cli(tmp_path, "cha2ds2-vasc", inputs)
    assert any("status not given" in f for f in unknown["flags"])


def test_cha2ds2vasc_sex_alone_is_low_risk():
    """A woman whose only point is her sex is 'low', as ESC 2020 reads the score."""
    result = model("cha2ds2-vasc").score(as_input_values({
        "age": 50, "sex": "female", "chf": False, "hypertension": False, "diabetes": False,
        "stroke_tia": False, "vascular_disease": False, "atrial_fibrillation": True}))
    assert result.value == 1 and result.category.startswith("low")


@pytest.mark.parametrize(("inputs", "meld", "flag"), [
    ({"creatinine": 1.9, "bilirubin": 4.2, "inr": 1.7, "dialysis": False}, 24, None),
    ({"creatinine": 0.6, "bilirubin": 0.4, "inr": 0.9, "dialysis": False}, 6, "counted as 1"),
    ({"creatinine": 1.2, "bilirubin": 1.0, "inr": 1.0, "dialysis": True}, 20, "dialysis"),
    ({"creatinine": 6.0, "bilirubin": 1.0, "inr": 1.0, "dialysis": False}, 20, "counted as 4"),
    ({"creatinine": 3.9, "bilirubin": {"value": 35, "unit": "mg/dL"}, "inr": 6,
      "dialysis": False}, 40, "bounded to 6-40"),  # unusual value: its unit given explicitly
])
def test_meld_applies_unos_rules_and_flags_them(tmp_path, inputs, meld, flag):
    """UNOS rules (floor 1.0, creatinine cap 4.0, dialysis, bounds 6–40) apply, each flagged."""
    code, result, _ = score_cli(tmp_path, "meld-unos", inputs)
    assert code == 0 and result["value"] == meld
    if flag:
        assert any(flag in f for f in result["flags"])


def test_demo_model_is_flagged_not_for_clinical_use(tmp_path):
    """The Pima model's results say 'not for clinical use' first."""
    code, result, _ = score_cli(tmp_path, "pima-diabetes-demo",
                                {"npreg": 2, "glu": 120, "bmi": 30.0, "ped": 0.4, "age": 35})
    assert code == 0 and result["demo"] is True
    assert "not for clinical use" in result["flags"][0]


# -- properties ---------------------------------------------------------------------------
pce_inputs = st.fixed_dictionaries({
    "age": st.integers(40, 79), "sex": st.sampled_from(["female", "male"]),
    "race": st.sampled_from(["white", "african_american", "other"]),
    "total_cholesterol": st.floats(130, 320), "hdl_cholesterol": st.floats(20, 100),
    "systolic_bp": st.floats(90, 199), "bp_treated": st.booleans(), "smoker": st.booleans(),
    "diabetes": st.booleans()})


@settings(max_examples=150, deadline=None)
@given(pce_inputs)
def test_pce_risk_is_a_probability_and_rises_with_sbp(inputs):
    """Across the valid ranges PCE risk lies in [0, 1] and never falls as SBP rises (all 4 equations)."""
    r1 = score("pce-ascvd-10y", **inputs)
    r2 = score("pce-ascvd-10y", **{**inputs, "systolic_bp": inputs["systolic_bp"] + 1})
    assert 0.0 <= r1 <= 1.0 and r2 >= r1


@settings(max_examples=100, deadline=None)
@given(pce_inputs.filter(lambda d: d["sex"] == "male"))
def test_pce_male_risk_rises_with_age(inputs):
    """The male equations are monotone in age (the female ones are not everywhere: see docs)."""
    older = {**inputs, "age": min(inputs["age"] + 1, 79)}
    assert score("pce-ascvd-10y", **older) >= score("pce-ascvd-10y", **inputs)


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({
    "age": st.integers(30, 73), "sex": st.sampled_from(["female", "male"]),
    "total_cholesterol": st.floats(100, 405), "hdl_cholesterol": st.floats(10, 100),
    "systolic_bp": st.floats(90, 199), "bp_treated": st.booleans(), "smoker": st.booleans(),
    "diabetes": st.booleans()}))
def test_framingham_is_bounded_and_monotone_in_age_and_sbp(inputs):
    """Framingham risk is in [0, 1] and rises with age and with SBP (all coefficients positive)."""
    base = score("framingham-cvd-10y", **inputs)
    assert 0.0 <= base <= 1.0
    assert score("framingham-cvd-10y", **{**inputs, "age": inputs["age"] + 1}) > base
    assert score("framingham-cvd-10y", **{**inputs, "systolic_bp": inputs["systolic_bp"] + 1}) > base


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 25), st.floats(0.1, 80), st.floats(0.5, 15), st.booleans())
def test_meld_is_an_integer_between_6_and_40(cr, bili, inr, dialysis):
    """MELD is always a whole number within its UNOS bounds."""
    value = score("meld-unos", creatinine=cr, bilirubin=bili, inr=inr, dialysis=dialysis)
    assert 6 <= value <= 40 and value == math.floor(value)
