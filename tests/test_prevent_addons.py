# ruff: noqa: E501  (coefficient tables: one model row per line)
"""PREVENT add-on models (UACR, HbA1c, full) against a second transcription and an
independent implementation."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.risk import as_input_values
from clinic_app.errors import CannotCompute
from tests.test_risk_new_models import model, outputs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
import build_prevent_addons as addons

# Transcription B: a public Python port of the AHA's R package AHAprevent, typed here in
# its own order: constant, then the non-zero terms in equation order (CVD/ASCVD: age,
# non-HDL, HDL, SBP<110, SBP≥110, diabetes, smoking, eGFR<60, eGFR≥60, BP treatment, statin,
# BP-treatment×SBP, statin×non-HDL, age×non-HDL, age×HDL, age×SBP, age×diabetes,
# age×smoking, age×eGFR; heart failure: age, SBP<110, SBP≥110, diabetes, smoking, BMI<30,
# BMI≥30, eGFR<60, eGFR≥60, BP treatment, BP-treatment×SBP, age×SBP, age×diabetes,
# age×smoking, age×BMI, age×eGFR), then the add-on terms (UACR: ln UACR, missing;
# HbA1c: with diabetes, without, missing; full: SDI 4-6, SDI 7-10, SDI missing, ln UACR,
# UACR missing, HbA1c with diabetes, without, missing).
B = {
    ("uacr", "female", "total_cvd"): [-3.738341, 0.7969249, 0.0256635, -0.1588107, -0.2255701, 0.3396649, 0.8047515, 0.5285338, 0.4803511, 0.0434472, 0.2985207, -0.1497787, -0.0742889, 0.106756, -0.0778126, 0.0306768, -0.0907168, -0.2705122, -0.0830564, -0.1389249, 0.1793037, 0.0132073],
    ("uacr", "female", "ascvd"): [-4.174614, 0.7201999, 0.1135771, -0.1493506, -0.0726677, 0.3436259, 0.7773094, 0.4746662, 0.3824646, 0.0394178, 0.2125182, -0.0603046, -0.0466053, 0.0733118, -0.0534262, 0.0325689, -0.0999887, -0.2411762, -0.0826941, -0.1444737, 0.1501217, 0.0050257],
    ("uacr", "female", "heart_failure"): [-4.841506, 0.9145975, -0.4441346, 0.3260323, 0.9611365, 0.5755787, 0.0008831, 0.2988964, 0.5915291, 0.0556823, 0.3314097, -0.1078596, -0.0875231, -0.356859, -0.1220248, -0.0053637, -0.1610389, 0.2197281, 0.0326667],
    ("uacr", "male", "total_cvd"): [-3.510705, 0.7768655, 0.0659949, -0.0951111, -0.420667, 0.3120151, 0.698521, 0.4314669, 0.3841364, 0.009384, 0.2676494, -0.1390966, -0.0579315, 0.1383719, -0.0488332, 0.0200406, -0.102454, -0.2236355, -0.089485, -0.1321848, 0.1887974, 0.0916979],
    ("uacr", "male", "ascvd"): [-3.85146, 0.7141718, 0.1602194, -0.1139086, -0.2719456, 0.3058719, 0.6600631, 0.3884022, 0.2466316, 0.0151852, 0.186167, -0.0894395, -0.0411884, 0.1058212, -0.028089, 0.0240427, -0.0912325, -0.2004894, -0.096936, -0.1022867, 0.1510073, 0.0556],
    ("uacr", "male", "heart_failure"): [-4.556907, 0.9111795, -0.6693649, 0.3290082, 0.8377655, 0.4978917, -0.042749, 0.3624165, 0.5075796, 0.0137716, 0.2739963, -0.0645712, -0.1230039, -0.3013297, -0.1410318, 0.0021531, -0.1548018, 0.2306299, 0.1472194],
    ("hba1c", "female", "total_cvd"): [-3.306162, 0.7858178, 0.0194438, -0.1521964, -0.2296681, 0.3465777, 0.5366241, 0.5411682, 0.5931898, 0.0472458, 0.3158567, -0.1535174, -0.0687752, 0.1054746, -0.0761119, 0.0307469, -0.0905966, -0.2241857, -0.080186, -0.1667286, 0.1338348, 0.1622409, -0.0142496],
    ("hba1c", "female", "ascvd"): [-3.838746, 0.7111831, 0.106797, -0.1425745, -0.0736824, 0.3480844, 0.5112951, 0.4880292, 0.4754997, 0.0438132, 0.2259093, -0.0648872, -0.0437645, 0.0697082, -0.0506382, 0.0327475, -0.0996442, -0.1924338, -0.0803539, -0.1682586, 0.1339055, 0.1596461, 0.0015678],
    ("hba1c", "female", "heart_failure"): [-4.288225, 0.8997391, -0.4422749, 0.3378691, 0.681284, 0.5886005, -0.0148657, 0.2958374, 0.73447, 0.05926, 0.3543475, -0.1002139, -0.0878765, -0.303684, -0.1178943, -0.008345, -0.1912183, 0.1856442, 0.1833083, -0.0143112],
    ("hba1c", "male", "total_cvd"): [-3.040901, 0.7699177, 0.0605093, -0.0888525, -0.417713, 0.3288657, 0.4759471, 0.4385663, 0.5334616, 0.0206431, 0.2917524, -0.1383313, -0.0482622, 0.1393796, -0.0463501, 0.0205926, -0.1037717, -0.1737697, -0.0915839, -0.1637039, 0.13159, 0.1295185, -0.0128373],
    ("hba1c", "male", "ascvd"): [-3.51835, 0.7064146, 0.1532267, -0.1082166, -0.2675288, 0.3173809, 0.432604, 0.3958842, 0.3665014, 0.0250243, 0.2061158, -0.0899988, -0.0334959, 0.1034168, -0.0255406, 0.0247538, -0.0917441, -0.1499195, -0.098089, -0.1305231, 0.1157161, 0.1288303, -0.0010001],
    ("hba1c", "male", "heart_failure"): [-3.961954, 0.911787, -0.6568071, 0.3524645, 0.5849752, 0.5014014, -0.0512352, 0.365294, 0.6892219, 0.0292377, 0.3038296, -0.0515032, -0.1262343, -0.2449514, -0.1392217, 0.0009592, -0.1917105, 0.1652857, 0.1505859, -0.0113444],
    ("full", "female", "total_cvd"): [-3.860385, 0.7716794, 0.0062109, -0.1547756, -0.1933123, 0.3071217, 0.496753, 0.466605, 0.4780697, 0.0529077, 0.3034892, -0.1556524, -0.0667026, 0.1061825, -0.0742271, 0.0288245, -0.0875188, -0.2267102, -0.0676125, -0.1493231, 0.1361989, 0.2261596, 0.1804508, 0.1645922, 0.0198413, 0.1298513, 0.1412555, -0.0031658],
    ("full", "female", "ascvd"): [-4.291503, 0.7023067, 0.0898765, -0.1407316, -0.0256648, 0.314511, 0.4799217, 0.4062049, 0.3847744, 0.0495174, 0.2133861, -0.0678552, -0.0451416, 0.0788187, -0.0535985, 0.0291762, -0.0961839, -0.2001466, -0.0586472, -0.1537791, 0.1413965, 0.228136, 0.1588908, 0.1371824, 0.0061613, 0.123192, 0.1410572, 0.005866],
    ("full", "female", "heart_failure"): [-4.896524, 0.884209, -0.421474, 0.3002919, 0.6170359, 0.5380269, -0.0191335, 0.2764302, 0.5975847, 0.0654197, 0.3313614, -0.1002304, -0.0845363, -0.2989062, -0.1111354, 0.0008104, -0.1666635, 0.1213034, 0.2314147, 0.1819138, 0.1948135, 0.0395368, 0.176668, 0.1614911, -0.0010583],
    ("full", "male", "total_cvd"): [-3.631387, 0.7847578, 0.0534485, -0.0911282, -0.4921973, 0.2972415, 0.4527054, 0.3726641, 0.3886854, 0.0081661, 0.2508052, -0.1538484, -0.0474695, 0.1415382, -0.0436455, 0.0199549, -0.1022686, -0.1762507, -0.0715873, -0.1428668, 0.0802431, 0.275073, 0.144759, 0.1772853, 0.1095674, 0.1165698, 0.1048297, -0.0230072],
    ("full", "male", "ascvd"): [-3.969788, 0.7128741, 0.1465201, -0.1125794, -0.3387216, 0.2980252, 0.399583, 0.3379111, 0.2582604, 0.0147769, 0.1686621, -0.1073619, -0.0381038, 0.1034169, -0.0228755, 0.0267453, -0.0897449, -0.1497464, -0.077206, -0.1198368, 0.0651121, 0.2676683, 0.1388492, 0.1375837, 0.0652944, 0.101282, 0.1092726, -0.0112852],
    ("full", "male", "heart_failure"): [-4.663513, 0.9095703, -0.6765184, 0.3111651, 0.5535052, 0.4326811, -0.0854286, 0.3551736, 0.5102245, 0.015472, 0.2570964, -0.0591177, -0.1219056, -0.2437577, -0.105363, 0.0037907, -0.1660207, 0.1106372, 0.3371204, 0.1694628, 0.2164607, 0.1702805, 0.148297, 0.1234088, -0.0234637],
}
CVD_TERMS = ["age", "nonhdl", "hdl", "sbp_lo", "sbp_hi", "dm", "smk", "egfr_lo", "egfr_hi",
             "bptx", "statin", "bptx_sbp", "statin_nonhdl", "age_nonhdl", "age_hdl", "age_sbp",
             "age_dm", "age_smk", "age_egfr"]
HF_TERMS = ["age", "sbp_lo", "sbp_hi", "dm", "smk", "bmi_lo", "bmi_hi", "egfr_lo", "egfr_hi",
            "bptx", "bptx_sbp", "age_sbp", "age_dm", "age_smk", "age_bmi", "age_egfr"]
EXTRA = {"uacr": ["ln_uacr", "uacr_missing"],
         "hba1c": ["a1c_dm", "a1c_nodm", "a1c_missing"],
         "full": ["sdi_mid", "sdi_high", "sdi_missing", "ln_uacr", "uacr_missing", "a1c_dm",
                  "a1c_nodm", "a1c_missing"]}


def b_row(variant: str, sex: str, outcome: str) -> dict[str, float]:
    names = ["c", *(HF_TERMS if outcome == "heart_failure" else CVD_TERMS), *EXTRA[variant]]
    row = B[variant, sex, outcome]
    assert len(row) == len(names), (variant, sex, outcome)
    return dict(zip(names, row, strict=True))


def oracle(variant: str, outcome: str, p: dict) -> float:
    """Plain-Python PREVENT add-on risk from transcription B (SDI missing; UACR and HbA1c
    given where the model uses them)."""
    c = b_row(variant, p["sex"], outcome)
    age = (p["age"] - 55) / 10
    nonhdl = (p["total_cholesterol"] - p["hdl_cholesterol"]) * 0.02586 - 3.5
    hdl = (p["hdl_cholesterol"] * 0.02586 - 1.3) / 0.3
    sbp_lo = (min(p["systolic_bp"], 110) - 110) / 20
    sbp_hi = (max(p["systolic_bp"], 110) - 130) / 20
    bmi_lo = (min(p["bmi"], 30) - 25) / 5
    bmi_hi = (max(p["bmi"], 30) - 30) / 5
    egfr_lo = (min(p["egfr"], 60) - 60) / -15
    egfr_hi = (max(p["egfr"], 60) - 90) / -15
    dm, smk = float(p["diabetes"]), float(p["smoker"])
    bptx, statin = float(p["bp_treated"]), float(p["statin"])
    x = {"age": age, "nonhdl": nonhdl, "hdl": hdl, "sbp_lo": sbp_lo, "sbp_hi": sbp_hi,
         "dm": dm, "smk": smk, "bmi_lo": bmi_lo, "bmi_hi": bmi_hi, "egfr_lo": egfr_lo,
         "egfr_hi": egfr_hi, "bptx": bptx, "statin": statin, "bptx_sbp": bptx * sbp_hi,
         "statin_nonhdl": statin * nonhdl, "age_nonhdl": age * nonhdl, "age_hdl": age * hdl,
         "age_sbp": age * sbp_hi, "age_dm": age * dm, "age_smk": age * smk,
         "age_bmi": age * bmi_hi, "age_egfr": age * egfr_lo,
         "sdi_mid": 0.0, "sdi_high": 0.0, "sdi_missing": 1.0, "uacr_missing": 0.0,
         "a1c_missing": 0.0}
    if "uacr" in p:
        x["ln_uacr"] = math.log(p["uacr"])
    if "hba1c" in p:
        x["a1c_dm"] = (p["hba1c"] - 5.3) * dm
        x["a1c_nodm"] = (p["hba1c"] - 5.3) * (1 - dm)
    lp = c["c"] + sum(v * x[k] for k, v in c.items() if k != "c")
    return 1 / (1 + math.exp(-lp))


EXAMPLE = {"age": 50, "sex": "female", "total_cholesterol": 200, "hdl_cholesterol": 45,
           "systolic_bp": 160, "bp_treated": True, "statin": False, "smoker": False,
           "diabetes": True, "egfr": 90, "bmi": 35, "known_cvd": False}
VARIANTS = ("uacr", "hba1c", "full")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize("outcome", ["total_cvd", "ascvd", "heart_failure"])
def test_coefficients_agree_with_a_second_transcription(variant, sex, outcome):
    """Every coefficient of transcription A (the build script) equals transcription B."""
    a = addons.coefficients(variant, sex, outcome)
    a_nonzero = [a["constant"]] + [v for k, v in a.items() if k != "constant" and v != 0]
    assert a_nonzero == B[variant, sex, outcome]


@pytest.mark.parametrize("variant", VARIANTS)
def test_shipped_worked_example_matches_the_oracle(variant):
    """The manifest's expected values are what transcription B's equations give."""
    extra = {c: addons.EXAMPLE_EXTRA[c] for c in addons.EXTRA_COLUMNS[variant]}
    got = outputs(f"prevent-{variant}-10y", **EXAMPLE, **extra)
    for outcome, expected in addons.EXPECTED[variant].items():
        assert oracle(variant, outcome, {**EXAMPLE, **extra}) == pytest.approx(expected,
                                                                               abs=5e-6)
        assert got[outcome] == pytest.approx(expected, abs=5e-6)


patients = st.fixed_dictionaries({
    "age": st.integers(30, 79), "sex": st.sampled_from(["female", "male"]),
    "total_cholesterol": st.integers(130, 320), "hdl_cholesterol": st.integers(20, 100),
    "systolic_bp": st.integers(90, 200), "bp_treated": st.booleans(), "statin": st.booleans(),
    "smoker": st.booleans(), "diabetes": st.booleans(),
    "egfr": st.floats(15, 140), "bmi": st.floats(18.5, 39.9),
    "uacr": st.floats(0.1, 25000), "hba1c": st.floats(4.5, 15)})


@settings(max_examples=150, deadline=None)
@given(patients, st.sampled_from(VARIANTS))
def test_graph_equals_the_independent_implementation(p, variant):
    """On random patients, every outcome of the graph equals the plain-Python oracle."""
    p = {k: v for k, v in p.items()
         if k not in ("uacr", "hba1c") or k in addons.EXTRA_COLUMNS[variant]}
    got = outputs(f"prevent-{variant}-10y", **p, known_cvd=False)
    for outcome in ("total_cvd", "ascvd", "heart_failure"):
        assert got[outcome] == pytest.approx(oracle(variant, outcome, p), rel=1e-9, abs=1e-12)


def test_a_variant_without_its_extra_input_cannot_compute():
    """No UACR, no UACR model: a missing input is never defaulted (or taken as 'missing')."""
    with pytest.raises(CannotCompute, match=r"(?i)albumin"):
        model("prevent-uacr-10y").score(as_input_values(EXAMPLE))


def test_full_model_card_says_sdi_is_counted_missing():
    """The full model's card tells the reader SDI is not available and counted missing."""
    text = model("prevent-full-10y").manifest.raw["description"]
    assert "Social Deprivation Index" in text and "missing" in text


def test_uacr_outside_the_model_range_is_refused():
    """A UACR below 0.1 mg/g is outside the derivation range: refused, not clamped."""
    with pytest.raises(CannotCompute):
        model("prevent-uacr-10y").score(as_input_values({**EXAMPLE, "uacr": 0.05}))
