"""AHA PREVENT base model: 10- and 30-year total CVD, ASCVD and heart failure.

Build time only (see build_risk_models.py). Source of the coefficients: Khan SS et al.,
Development and Validation of the American Heart Association's PREVENT Equations,
Circulation 2024;149:430-449, Supplemental Tables S12A-S12F (base model), as transcribed
in the Stata module ``prevent`` (Linden 2024, SSC: prevent10i.ado, prevent30i.ado) and
checked term by term against a second public transcription of Table S12A. The test
vectors are the worked example documented by the R package preventr (Mayer 2024) and by
the Stata module's help file (same patient); tests/test_prevent_oracle.py recomputes every
output with an independent implementation.

Each outcome is a logistic model: risk = 1 / (1 + exp(-Σ β·x)), with
age (per 10 years from 55), non-HDL cholesterol (mmol/L, from 3.5), HDL (per 0.3 mmol/L
from 1.3), SBP as a spline at 110 mmHg, BMI at 30 kg/m² (heart failure only), eGFR at
60 mL/min/1.73 m², treatment terms and age interactions. The 30-year models add age².
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from graph_builder import Graph
from risk_parts import (
    BP_TREATED,
    DIABETES,
    KNOWN_CVD,
    SEX,
    SMOKER,
    _base,
    _bool,
    _mat,
    _number,
    _primary_prevention_only,
    _test_vector,
    _vec,
    _x,
    optimal_reference,
)

MG_DL_TO_MMOL_L = 0.02586  # cholesterol, as the PREVENT equations' published form uses
COLUMNS = ["age", "sex", "total_cholesterol", "hdl_cholesterol", "systolic_bp", "bp_treated",
           "statin", "smoker", "diabetes", "egfr", "bmi"]
# (name, plain label, inputs it uses)
TERMS = [
    ("age", "age", ["age"]),
    ("age_squared", "age (squared)", ["age"]),
    ("non_hdl", "non-HDL cholesterol", ["total_cholesterol", "hdl_cholesterol"]),
    ("hdl", "HDL cholesterol", ["hdl_cholesterol"]),
    ("sbp_below_110", "systolic blood pressure below 110", ["systolic_bp"]),
    ("sbp_from_110", "systolic blood pressure from 110", ["systolic_bp"]),
    ("diabetes", "diabetes", ["diabetes"]),
    ("smoker", "current smoking", ["smoker"]),
    ("bmi_below_30", "body-mass index below 30", ["bmi"]),
    ("bmi_from_30", "body-mass index from 30", ["bmi"]),
    ("egfr_below_60", "kidney function (eGFR) below 60", ["egfr"]),
    ("egfr_from_60", "kidney function (eGFR) from 60", ["egfr"]),
    ("bp_treated", "blood-pressure medication", ["bp_treated"]),
    ("statin", "statin", ["statin"]),
    ("bp_treated_x_sbp", "blood-pressure medication with systolic pressure",
     ["bp_treated", "systolic_bp"]),
    ("statin_x_non_hdl", "statin with non-HDL cholesterol",
     ["statin", "total_cholesterol", "hdl_cholesterol"]),
    ("age_x_non_hdl", "age with non-HDL cholesterol", ["age", "total_cholesterol",
                                                        "hdl_cholesterol"]),
    ("age_x_hdl", "age with HDL cholesterol", ["age", "hdl_cholesterol"]),
    ("age_x_sbp", "age with systolic pressure", ["age", "systolic_bp"]),
    ("age_x_diabetes", "age with diabetes", ["age", "diabetes"]),
    ("age_x_smoker", "age with smoking", ["age", "smoker"]),
    ("age_x_bmi", "age with body-mass index", ["age", "bmi"]),
    ("age_x_egfr", "age with kidney function", ["age", "egfr"]),
]
_ORDER = [name for name, _, _ in TERMS]

# Coefficients (female, male) per term, Khan 2024 Supplemental Tables S12 (base model).
# Terms an outcome does not use are absent (0).
COEFFICIENTS: dict[str, dict[str, dict[str, tuple[float, float]]]] = {
    "10y": {
        "total_cvd": {
            "age": (0.7939329, 0.7688528), "non_hdl": (0.0305239, 0.0736174),
            "hdl": (-0.1606857, -0.0954431), "sbp_below_110": (-0.2394003, -0.4347345),
            "sbp_from_110": (0.3600781, 0.3362658), "diabetes": (0.8667604, 0.7692857),
            "smoker": (0.5360739, 0.4386871), "egfr_below_60": (0.6045917, 0.5378979),
            "egfr_from_60": (0.0433769, 0.0164827), "bp_treated": (0.3151672, 0.288879),
            "statin": (-0.1477655, -0.1337349), "bp_treated_x_sbp": (-0.0663612, -0.0475924),
            "statin_x_non_hdl": (0.1197879, 0.150273), "age_x_non_hdl": (-0.0819715, -0.0517874),
            "age_x_hdl": (0.0306769, 0.0191169), "age_x_sbp": (-0.0946348, -0.1049477),
            "age_x_diabetes": (-0.27057, -0.2251948), "age_x_smoker": (-0.078715, -0.0895067),
            "age_x_egfr": (-0.1637806, -0.1543702), "constant": (-3.307728, -3.031168)},
        "ascvd": {
            "age": (0.719883, 0.7099847), "non_hdl": (0.1176967, 0.1658663),
            "hdl": (-0.151185, -0.1144285), "sbp_below_110": (-0.0835358, -0.2837212),
            "sbp_from_110": (0.3592852, 0.3239977), "diabetes": (0.8348585, 0.7189597),
            "smoker": (0.4831078, 0.3956973), "egfr_below_60": (0.4864619, 0.3690075),
            "egfr_from_60": (0.0397779, 0.0203619), "bp_treated": (0.2265309, 0.2036522),
            "statin": (-0.0592374, -0.0865581), "bp_treated_x_sbp": (-0.0395762, -0.0322916),
            "statin_x_non_hdl": (0.0844423, 0.114563), "age_x_non_hdl": (-0.0567839, -0.0300005),
            "age_x_hdl": (0.0325692, 0.0232747), "age_x_sbp": (-0.1035985, -0.0927024),
            "age_x_diabetes": (-0.2417542, -0.2018525), "age_x_smoker": (-0.0791142, -0.0970527),
            "age_x_egfr": (-0.1671492, -0.1217081), "constant": (-3.819975, -3.500655)},
        "heart_failure": {
            "age": (0.8998235, 0.8972642), "sbp_below_110": (-0.4559771, -0.6811466),
            "sbp_from_110": (0.3576505, 0.3634461), "diabetes": (1.038346, 0.923776),
            "smoker": (0.583916, 0.5023736), "bmi_below_30": (-0.0072294, -0.0485841),
            "bmi_from_30": (0.2997706, 0.3726929), "egfr_below_60": (0.7451638, 0.6926917),
            "egfr_from_60": (0.0557087, 0.0251827), "bp_treated": (0.3534442, 0.2980922),
            "bp_treated_x_sbp": (-0.0981511, -0.0497731), "age_x_sbp": (-0.0946663, -0.1289201),
            "age_x_diabetes": (-0.3581041, -0.3040924), "age_x_smoker": (-0.1159453, -0.1401688),
            "age_x_bmi": (-0.003878, 0.0068126), "age_x_egfr": (-0.1884289, -0.1797778),
            "constant": (-4.310409, -3.946391)},
    },
    "30y": {
        "total_cvd": {
            "age": (0.5503079, 0.4627309), "age_squared": (-0.0928369, -0.0984281),
            "non_hdl": (0.0409794, 0.0836088), "hdl": (-0.1663306, -0.1029824),
            "sbp_below_110": (-0.1628654, -0.2140352), "sbp_from_110": (0.3299505, 0.2904325),
            "diabetes": (0.6793894, 0.5331276), "smoker": (0.3196112, 0.2141914),
            "egfr_below_60": (0.1857101, 0.1155556), "egfr_from_60": (0.0553528, 0.0603775),
            "bp_treated": (0.2894, 0.232714), "statin": (-0.075688, -0.0272112),
            "bp_treated_x_sbp": (-0.056367, -0.0384488),
            "statin_x_non_hdl": (0.1071019, 0.134192), "age_x_non_hdl": (-0.0751438, -0.0511759),
            "age_x_hdl": (0.0301786, 0.0165865), "age_x_sbp": (-0.0998776, -0.1101437),
            "age_x_diabetes": (-0.3206166, -0.2585943), "age_x_smoker": (-0.1607862, -0.1566406),
            "age_x_egfr": (-0.1450788, -0.1166776), "constant": (-1.318827, -1.148204)},
        "ascvd": {
            "age": (0.4669202, 0.3994099), "age_squared": (-0.0893118, -0.0937484),
            "non_hdl": (0.1256901, 0.1744643), "hdl": (-0.1542255, -0.120203),
            "sbp_below_110": (-0.0018093, -0.0665117), "sbp_from_110": (0.322949, 0.2753037),
            "diabetes": (0.6296707, 0.4790257), "smoker": (0.268292, 0.1782635),
            "egfr_below_60": (0.100106, -0.0218789), "egfr_from_60": (0.0499663, 0.0602553),
            "bp_treated": (0.1875292, 0.1421182), "statin": (0.0152476, 0.0135996),
            "bp_treated_x_sbp": (-0.0276123, -0.0218265),
            "statin_x_non_hdl": (0.0736147, 0.1013148), "age_x_non_hdl": (-0.0521962, -0.0312619),
            "age_x_hdl": (0.0316918, 0.020673), "age_x_sbp": (-0.1046101, -0.0920935),
            "age_x_diabetes": (-0.2727793, -0.2159947), "age_x_smoker": (-0.1530907, -0.1548811),
            "age_x_egfr": (-0.1299149, -0.0712547), "constant": (-1.974074, -1.736444)},
        "heart_failure": {
            "age": (0.6254374, 0.5681541), "age_squared": (-0.0983038, -0.1048388),
            "sbp_below_110": (-0.3919241, -0.4761564), "sbp_from_110": (0.3142295, 0.30324),
            "diabetes": (0.8330787, 0.6840338), "smoker": (0.3438651, 0.2656273),
            "bmi_below_30": (0.0594874, 0.0833107), "bmi_from_30": (0.2525536, 0.26999),
            "egfr_below_60": (0.2981642, 0.2541805), "egfr_from_60": (0.0667159, 0.0638923),
            "bp_treated": (0.333921, 0.2583631), "bp_treated_x_sbp": (-0.0893177, -0.0391938),
            "age_x_sbp": (-0.0974299, -0.1269124), "age_x_diabetes": (-0.404855, -0.3273572),
            "age_x_smoker": (-0.1982991, -0.2043019), "age_x_bmi": (-0.0035619, -0.0182831),
            "age_x_egfr": (-0.1564215, -0.1342618), "constant": (-2.205379, -1.95751)},
    },
}
OUTCOMES = ("total_cvd", "ascvd", "heart_failure")
OUTCOME_TEXT = {"total_cvd": "total cardiovascular disease (ASCVD or heart failure)",
                "ascvd": "atherosclerotic cardiovascular disease (coronary heart disease or "
                         "stroke)",
                "heart_failure": "heart failure"}


def _coefficient_matrix(horizon: str, outcome: str) -> tuple[np.ndarray, np.ndarray]:
    """([2 (female, male), K terms], [2] constants)."""
    table = COEFFICIENTS[horizon][outcome]
    unknown = set(table) - {*_ORDER, "constant"}
    if unknown:
        raise ValueError(f"unknown PREVENT terms {sorted(unknown)}")
    matrix = np.array([[table.get(name, (0.0, 0.0))[s] for name in _ORDER] for s in (0, 1)])
    return matrix, np.array(table["constant"])


def base_term_values(g: Graph) -> dict[str, str]:
    """The base model's centred and splined term values, by term name (shared with the
    add-on models in build_prevent_addons.py, so both read inputs the same way)."""
    age = g.op("Div", g.sub(g.col("age"), g.const(55.0)), g.const(10.0))
    mmol = g.const(MG_DL_TO_MMOL_L)
    tc, hdl_mg = g.col("total_cholesterol"), g.col("hdl_cholesterol")
    non_hdl = g.sub(g.mul(g.sub(tc, hdl_mg), mmol), g.const(3.5))
    hdl = g.op("Div", g.sub(g.mul(hdl_mg, mmol), g.const(1.3)), g.const(0.3))
    sbp = g.col("systolic_bp")
    sbp_lo = g.op("Div", g.sub(g.op("Min", sbp, g.const(110.0)), g.const(110.0)), g.const(20.0))
    sbp_hi = g.op("Div", g.sub(g.op("Max", sbp, g.const(110.0)), g.const(130.0)), g.const(20.0))
    bmi = g.col("bmi")
    bmi_lo = g.op("Div", g.sub(g.op("Min", bmi, g.const(30.0)), g.const(25.0)), g.const(5.0))
    bmi_hi = g.op("Div", g.sub(g.op("Max", bmi, g.const(30.0)), g.const(30.0)), g.const(5.0))
    egfr = g.col("egfr")
    egfr_lo = g.op("Div", g.sub(g.op("Min", egfr, g.const(60.0)), g.const(60.0)), g.const(-15.0))
    egfr_hi = g.op("Div", g.sub(g.op("Max", egfr, g.const(60.0)), g.const(90.0)), g.const(-15.0))
    dm, smk = g.col("diabetes"), g.col("smoker")
    bptx, statin = g.col("bp_treated"), g.col("statin")
    return {
        "age": age, "age_squared": g.mul(age, age), "non_hdl": non_hdl, "hdl": hdl,
        "sbp_below_110": sbp_lo, "sbp_from_110": sbp_hi, "diabetes": dm, "smoker": smk,
        "bmi_below_30": bmi_lo, "bmi_from_30": bmi_hi, "egfr_below_60": egfr_lo,
        "egfr_from_60": egfr_hi, "bp_treated": bptx, "statin": statin,
        "bp_treated_x_sbp": g.mul(bptx, sbp_hi), "statin_x_non_hdl": g.mul(statin, non_hdl),
        "age_x_non_hdl": g.mul(age, non_hdl), "age_x_hdl": g.mul(age, hdl),
        "age_x_sbp": g.mul(age, sbp_hi), "age_x_diabetes": g.mul(age, dm),
        "age_x_smoker": g.mul(age, smk), "age_x_bmi": g.mul(age, bmi_hi),
        "age_x_egfr": g.mul(age, egfr_lo)}


def logistic_outputs(g: Graph, values: dict[str, str], names: list[str],
                     matrices: Callable[[str], tuple[np.ndarray, np.ndarray]]) -> None:
    """Per outcome: sex-specific coefficients × term values, sigmoid of their sum plus the
    constant; the total-CVD terms are an output too (for the explanation)."""
    t = g.stack([values[name] for name in names], hint="term_values")
    female = g.col("sex")
    group = g.stack([female, g.one_minus(female)], hint="sex_onehot")
    for outcome in OUTCOMES:
        matrix, constants = matrices(outcome)
        terms = g.mul(t, g.op("MatMul", group, g.const(matrix, hint=f"coefficients_{outcome}")))
        log_odds = g.add(g.row_sum(terms),
                         g.op("MatMul", group, g.const(constants, hint=f"constant_{outcome}")))
        g.output(g.op("Sigmoid", log_odds), outcome, ["N"])
        if outcome == "total_cvd":
            g.output(terms, "terms", ["N", len(names)])


def prevent_graph(horizon: str) -> bytes:
    g = Graph(f"prevent_base_{horizon}", COLUMNS)
    logistic_outputs(g, base_term_values(g), _ORDER,
                     lambda outcome: _coefficient_matrix(horizon, outcome))
    return g.model(f"AHA PREVENT base model, {horizon} total CVD, ASCVD and heart failure "
                   "(Khan 2024).")


def prevent_manifest(horizon: str) -> dict[str, Any]:
    years = horizon[:-1]
    ages = [30, 79] if horizon == "10y" else [30, 59]
    khan = ("Khan SS, Matsushita K, Sang Y, et al. Development and Validation of the American "
            "Heart Association's PREVENT Equations. Circulation 2024;149:430-449, Supplemental "
            "Tables S12 (base model coefficients).")
    ranges = "Khan 2024 (PREVENT derivation ranges, as implemented in preventr 0.10)"
    doc = _base(f"prevent-{horizon}", f"AHA PREVENT ({years}-year cardiovascular risk)",
                f"{years}-year risk of total cardiovascular disease (primary output), "
                "atherosclerotic cardiovascular disease and heart failure for adults "
                f"{ages[0]}-{ages[1]} without cardiovascular disease, from the sex-specific AHA "
                "PREVENT base equations (no race term).",
                {"population": f"Adults {ages[0]}-{ages[1]} years without known cardiovascular "
                               "disease (primary prevention).",
                 "age_range": ages,
                 "contraindications": ["known cardiovascular disease (secondary prevention)"],
                 "references": [{"citation": khan, "doi": "10.1161/CIRCULATIONAHA.123.067626"},
                                {"citation": "Linden A. PREVENT: Stata module for computing AHA "
                                             "10-year and 30-year risk of cardiovascular disease. "
                                             "SSC, 2024 (coefficient transcription checked)."},
                                {"citation": "Mayer MG. preventr: an implementation of the AHA "
                                             "PREVENT equations, R package, 2024 (worked example "
                                             "used as test vector)."}]})
    features = [
        _number("age", "Age", "a", ages, "refuse", ranges),
        SEX,
        _number("total_cholesterol", "Total cholesterol", "mg/dL", [130, 320], "refuse", ranges),
        _number("hdl_cholesterol", "HDL cholesterol", "mg/dL", [20, 100], "refuse", ranges),
        _number("systolic_bp", "Systolic blood pressure", "mm[Hg]", [90, 200], "refuse", ranges),
        BP_TREATED,
        _bool("statin", "On a statin", "Currently taking a statin (lipid-lowering therapy)."),
        SMOKER, DIABETES,
        _number("egfr", "Kidney function (eGFR)", "mL/min/{1.73_m2}", [15, 140], "refuse", ranges,
                "Estimated glomerular filtration rate (CKD-EPI 2021, without race)."),
        _number("bmi", "Body-mass index", "kg/m2", [18.5, 39.9], "refuse", ranges),
        KNOWN_CVD,
    ]
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins in TERMS]
    doc.update({
        "inputs": {"tensors": [_x(COLUMNS)], "features": features},
        "outputs": {
            "tensors": [_vec(o, f"{years}-year risk of {OUTCOME_TEXT[o]}, probability 0-1")
                        for o in OUTCOMES]
            + [_mat("terms", terms, "per-term contribution to the log-odds of total CVD "
                                    "(the sex-specific constant is separate)")],
            "primary": "total_cvd", "unit": "probability", "decimals": 3,
            "horizon": f"{years} years"},
        "applicability": _primary_prevention_only("PREVENT"),
        "explanation": {
            "method": "linear-terms", "output": "terms",
            "terms": terms,
            "note": "Terms plus the sex-specific constant add up to the log-odds of total CVD; "
                    "risk = 1 / (1 + exp(-log-odds)).",
            "reference": optimal_reference("age, sex, kidney function, body-mass index and "
                                           "statin use")},
    })
    example = {"age": 50, "sex": "female", "total_cholesterol": 200, "hdl_cholesterol": 45,
               "systolic_bp": 160, "bp_treated": True, "statin": False, "smoker": False,
               "diabetes": True, "egfr": 90, "bmi": 35}
    expected = ({"total_cvd": 0.147, "ascvd": 0.092, "heart_failure": 0.081} if horizon == "10y"
                else {"total_cvd": 0.530, "ascvd": 0.354, "heart_failure": 0.390})
    src = ("preventr README and the Stata prevent help file, same worked example (woman aged 50, "
           "TC 200, HDL 45, treated SBP 160, diabetes, non-smoker, eGFR 90, BMI 35, no statin); "
           "printed to 3 decimals")
    doc["test_vectors"] = [_test_vector(f"worked example: {o}", example, {o: v}, 0.0005, src)
                           for o, v in expected.items()]
    return doc


PREVENT_BUILDERS = {
    f"prevent-{h}": ((lambda h=h: prevent_manifest(h)), (lambda h=h: prevent_graph(h)))
    for h in ("10y", "30y")
}
