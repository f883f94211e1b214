"""PREVENT, MELD-Na, MELD 3.0 and CHA2DS2-VA against independent implementations."""

from __future__ import annotations

import math
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session


@cache
def model(pid: str) -> RiskModel:
    registry = ModelRegistry.default(None)
    return RiskModel(create_session(registry.load(pid), RuntimeOptions(gpu_preference="cpu")))


def outputs(pid: str, **inputs) -> dict[str, float]:
    return dict(model(pid).score(as_input_values(inputs)).outputs)


# Khan 2024, Supplemental Table S12A (10-year total CVD, base model), transcribed separately
# from models/build_prevent.py (a second public transcription of the table) for this oracle.
S12A = {
    "female": dict(c=-3.307728, age=0.7939329, nonhdl=0.0305239, hdl=-0.1606857,
                   sbp_lo=-0.2394003, sbp_hi=0.3600781, dm=0.8667604, smk=0.5360739,
                   egfr_lo=0.6045917, egfr_hi=0.0433769, bptx=0.3151672, statin=-0.1477655,
                   bptx_sbp=-0.0663612, statin_nonhdl=0.1197879, age_nonhdl=-0.0819715,
                   age_hdl=0.0306769, age_sbp=-0.0946348, age_dm=-0.27057, age_smk=-0.078715,
                   age_egfr=-0.1637806),
    "male": dict(c=-3.031168, age=0.7688528, nonhdl=0.0736174, hdl=-0.0954431,
                 sbp_lo=-0.4347345, sbp_hi=0.3362658, dm=0.7692857, smk=0.4386871,
                 egfr_lo=0.5378979, egfr_hi=0.0164827, bptx=0.288879, statin=-0.1337349,
                 bptx_sbp=-0.0475924, statin_nonhdl=0.150273, age_nonhdl=-0.0517874,
                 age_hdl=0.0191169, age_sbp=-0.1049477, age_dm=-0.2251948, age_smk=-0.0895067,
                 age_egfr=-0.1543702),
}


def prevent_cvd_10y(p: dict) -> float:
    """Oracle: PREVENT 10-year total CVD written out as the paper's equation, in scalars."""
    b = S12A[p["sex"]]
    a = (p["age"] - 55) / 10
    nonhdl = (p["total_cholesterol"] - p["hdl_cholesterol"]) * 0.02586 - 3.5
    hdl = (p["hdl_cholesterol"] * 0.02586 - 1.3) / 0.3
    lo = (min(p["systolic_bp"], 110) - 110) / 20
    hi = (max(p["systolic_bp"], 110) - 130) / 20
    elo = (min(p["egfr"], 60) - 60) / -15
    ehi = (max(p["egfr"], 60) - 90) / -15
    dm, smk, tx, st_ = (float(p[k]) for k in ("diabetes", "smoker", "bp_treated", "statin"))
    x = (b["c"] + b["age"] * a + b["nonhdl"] * nonhdl + b["hdl"] * hdl + b["sbp_lo"] * lo
         + b["sbp_hi"] * hi + b["dm"] * dm + b["smk"] * smk + b["egfr_lo"] * elo
         + b["egfr_hi"] * ehi + b["bptx"] * tx + b["statin"] * st_ + b["bptx_sbp"] * tx * hi
         + b["statin_nonhdl"] * st_ * nonhdl + b["age_nonhdl"] * a * nonhdl
         + b["age_hdl"] * a * hdl + b["age_sbp"] * a * hi + b["age_dm"] * a * dm
         + b["age_smk"] * a * smk + b["age_egfr"] * a * elo)
    return 1 / (1 + math.exp(-x))


EXAMPLE = {"age": 50, "sex": "female", "total_cholesterol": 200, "hdl_cholesterol": 45,
           "systolic_bp": 160, "bp_treated": True, "statin": False, "smoker": False,
           "diabetes": True, "egfr": 90, "bmi": 35}


def test_prevent_reproduces_the_documented_worked_example():
    """The preventr / Stata prevent example: 10-year 14.7/9.2/8.1%, 30-year 53.0/35.4/39.0%."""
    ten = outputs("prevent-10y", **EXAMPLE)
    thirty = outputs("prevent-30y", **EXAMPLE)
    assert round(ten["total_cvd"], 3) == 0.147 and round(ten["ascvd"], 3) == 0.092
    assert round(ten["heart_failure"], 3) == 0.081
    assert round(thirty["total_cvd"], 3) == 0.530 and round(thirty["ascvd"], 3) == 0.354
    assert round(thirty["heart_failure"], 3) == 0.390


prevent_patients = st.fixed_dictionaries({
    "age": st.integers(30, 79), "sex": st.sampled_from(["female", "male"]),
    "total_cholesterol": st.floats(130, 320), "hdl_cholesterol": st.floats(20, 100),
    "systolic_bp": st.floats(90, 200), "bp_treated": st.booleans(), "statin": st.booleans(),
    "smoker": st.booleans(), "diabetes": st.booleans(), "egfr": st.floats(15, 140),
    "bmi": st.floats(18.5, 39.9)})


@settings(max_examples=150, deadline=None)
@given(prevent_patients)
def test_prevent_total_cvd_equals_the_scalar_oracle(p):
    """The graph equals the written-out Table S12A equation for any valid patient."""
    assert outputs("prevent-10y", **p)["total_cvd"] == pytest.approx(prevent_cvd_10y(p),
                                                                      abs=1e-12)


def test_prevent_30_year_refuses_ages_over_59():
    """30-year PREVENT is derived for ages 30-59 only."""
    from clinic_app.errors import CannotCompute
    with pytest.raises(CannotCompute, match="age"):
        model("prevent-30y").score(as_input_values({**EXAMPLE, "age": 65}))


def meld_na_oracle(cr: float, bili: float, inr: float, na: float, dialysis: bool) -> int:
    """OPTN policy 9.1.D (2016) step by step."""
    cr = 4.0 if dialysis else min(max(cr, 1.0), 4.0)
    x = 0.957 * math.log(cr) + 0.378 * math.log(max(bili, 1.0)) + 1.120 * math.log(max(inr, 1.0))
    meld_i = math.floor((x + 0.643) * 10 + 0.5)
    if meld_i > 11:
        na = min(max(na, 125.0), 137.0)
        meld_i = meld_i + 1.32 * (137 - na) - 0.033 * meld_i * (137 - na)
    return int(min(max(math.floor(meld_i + 0.5), 6), 40))


def meld3_oracle(female: bool, bili: float, na: float, inr: float, cr: float, alb: float,
                 dialysis: bool) -> int:
    """Kim 2021 with the OPTN 2023 bounds."""
    b, i = math.log(max(bili, 1.0)), math.log(max(inr, 1.0))
    c = math.log(3.0 if dialysis else min(max(cr, 1.0), 3.0))
    n = 137 - min(max(na, 125.0), 137.0)
    a = 3.5 - min(max(alb, 1.5), 3.5)
    x = 1.33 * female + 4.56 * b + 0.82 * n - 0.24 * n * b + 9.09 * i + 11.14 * c + 1.85 * a \
        - 1.83 * a * c + 6
    return int(min(max(math.floor(x + 0.5), 6), 40))


labs = st.fixed_dictionaries({"creatinine": st.floats(0.1, 25), "bilirubin": st.floats(0.1, 80),
                              "inr": st.floats(0.5, 15), "sodium": st.floats(100, 180),
                              "dialysis": st.booleans()})


@settings(max_examples=150, deadline=None)
@given(labs)
def test_meld_na_equals_the_policy_oracle(p):
    """MELD-Na equals the OPTN 2016 policy computed step by step."""
    got = outputs("meld-na", **p)["meld_na"]
    assert got == meld_na_oracle(p["creatinine"], p["bilirubin"], p["inr"], p["sodium"],
                                 p["dialysis"])


@settings(max_examples=150, deadline=None)
@given(labs, st.floats(0.5, 7), st.sampled_from(["female", "male"]))
def test_meld3_equals_the_kim_2021_oracle(p, albumin, sex):
    """MELD 3.0 equals Kim 2021 with the OPTN bounds, for any valid labs."""
    got = outputs("meld-3", **p, albumin=albumin, sex=sex)["meld_3"]
    assert got == meld3_oracle(sex == "female", p["bilirubin"], p["sodium"], p["inr"],
                               p["creatinine"], albumin, p["dialysis"])


def test_meld_original_is_marked_superseded():
    """The original MELD stays, names its successors and says so in its name."""
    m = model("meld-unos").manifest
    assert list(m.raw["superseded_by"]) == ["meld-3", "meld-na"] and "superseded" in m.name


ITEMS = ("chf", "hypertension", "diabetes", "stroke_tia", "vascular_disease")


@settings(max_examples=100, deadline=None)
@given(st.integers(18, 120), st.sampled_from(["female", "male"]),
       st.tuples(*[st.booleans()] * len(ITEMS)))
def test_cha2ds2_va_is_vasc_without_the_sex_point(age, sex, flags):
    """CHA2DS2-VA = CHA2DS2-VASc minus the female point (ESC 2024), for every patient."""
    items = dict(zip(ITEMS, flags, strict=True))
    va = outputs("cha2ds2-va", age=age, atrial_fibrillation=True, **items)["score"]
    vasc = outputs("cha2ds2-vasc", age=age, sex=sex, atrial_fibrillation=True, **items)["score"]
    hand = (2 * (age >= 75) + (65 <= age < 75) + 2 * items["stroke_tia"]
            + sum(items[k] for k in ("chf", "hypertension", "diabetes", "vascular_disease")))
    assert va == hand == vasc - (sex == "female")
