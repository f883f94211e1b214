"""Build the shipped risk-equation packages from their published coefficients.

    .venv/bin/python models/build_risk_models.py        # writes models/<id>/ and the pins

Each package is an ONNX graph written with the onnx helper API plus a manifest carrying
the coefficients' sources, valid ranges and the published test vectors. This script
holds the Pooled Cohort Equations and Framingham and builds every family:
build_points.py (CHA2DS2-VASc, CHA2DS2-VA), build_liver.py (MELD, MELD-Na, MELD 3.0),
build_prevent.py (AHA PREVENT), build_china_par.py (China-PAR). tests/test_risk_models_build.py rebuilds everything in a
temporary folder and checks the committed files are byte-identical, so a coefficient
cannot change without these scripts (and their review) changing too. Sources and checks:
/work/shared/reference/risk-equations.md and docs/models.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_china_par import CHINA_PAR_BUILDERS
from build_liver import LIVER_BUILDERS
from build_points import POINT_BUILDERS
from build_prevent import PREVENT_BUILDERS
from build_prevent_addons import ADDON_BUILDERS
from graph_builder import Graph
from risk_parts import (
    BP_TREATED,
    DIABETES,
    EXPLAINED,
    KNOWN_CVD,
    PCE_SOURCE,
    SEX,
    SMOKER,
    _base,
    _cox_model,
    _cox_outputs,
    _number,
    _primary_prevention_only,
    _test_vector,
    _x,
    optimal_reference,
)

EXPLANATION_RELEASE = ("1.1.0", EXPLAINED,
                       "Explanation on the risk scale: the risk of the same patient with optimal "
                       "risk factors (ACC Estimator Plus) and each modifiable factor's exact "
                       "Shapley share of the difference. Coefficients unchanged.")

# -- ACC/AHA Pooled Cohort Equations -------------------------------------------------------
# Goff DC Jr et al., Circulation 2014;129(suppl 2):S49-S73, Table A. Columns: white female,
# African-American female, white male, African-American male.
PCE_TERMS = [
    ("ln_age", "ln age", ["age"], [-29.799, 17.114, 12.344, 2.469]),
    ("ln_age_sq", "(ln age)²", ["age"], [4.884, 0.0, 0.0, 0.0]),
    ("ln_tc", "ln total cholesterol", ["total_cholesterol"], [13.540, 0.940, 11.853, 0.302]),
    ("ln_age_x_ln_tc", "ln age × ln total cholesterol", ["age", "total_cholesterol"],
     [-3.114, 0.0, -2.664, 0.0]),
    ("ln_hdl", "ln HDL", ["hdl_cholesterol"], [-13.578, -18.920, -7.990, -0.307]),
    ("ln_age_x_ln_hdl", "ln age × ln HDL", ["age", "hdl_cholesterol"], [3.149, 4.475, 1.769, 0.0]),
    ("ln_sbp_treated", "ln treated SBP", ["systolic_bp"], [2.019, 29.291, 1.797, 1.916]),
    ("ln_age_x_ln_sbp_treated", "ln age × ln treated SBP", ["age", "systolic_bp"],
     [0.0, -6.432, 0.0, 0.0]),
    ("ln_sbp_untreated", "ln untreated SBP", ["systolic_bp"], [1.957, 27.820, 1.764, 1.809]),
    ("ln_age_x_ln_sbp_untreated", "ln age × ln untreated SBP", ["age", "systolic_bp"],
     [0.0, -6.087, 0.0, 0.0]),
    ("smoker", "current smoker", ["smoker"], [7.574, 0.691, 7.837, 0.549]),
    ("ln_age_x_smoker", "ln age × smoker", ["age", "smoker"], [-1.665, 0.0, -1.795, 0.0]),
    ("diabetes", "diabetes", ["diabetes"], [0.661, 0.874, 0.658, 0.645]),
]
PCE_MEAN = [-29.18, 86.61, 61.18, 19.54]
PCE_S0 = [0.9665, 0.9533, 0.9144, 0.8954]
PCE_COLUMNS = ["age", "sex", "race", "total_cholesterol", "hdl_cholesterol", "systolic_bp",
               "bp_treated", "smoker", "diabetes"]


def pce_graph() -> bytes:
    g = Graph("pce_ascvd_10y", PCE_COLUMNS)
    la = g.log(g.col("age"))
    lt = g.log(g.col("total_cholesterol"))
    lh = g.log(g.col("hdl_cholesterol"))
    ls = g.log(g.col("systolic_bp"))
    trt = g.col("bp_treated")
    untr = g.one_minus(trt)
    smk = g.col("smoker")
    ls_t = g.mul(ls, trt)
    ls_u = g.mul(ls, untr)
    values = [la, g.mul(la, la), lt, g.mul(la, lt), lh, g.mul(la, lh), ls_t, g.mul(la, ls_t),
              ls_u, g.mul(la, ls_u), smk, g.mul(la, smk), g.col("diabetes")]
    t = g.stack(values, hint="term_values")
    fem = g.col("sex")
    aa = g.col("race")
    group = g.stack([g.mul(fem, g.one_minus(aa)), g.mul(fem, aa),
                     g.mul(g.one_minus(fem), g.one_minus(aa)), g.mul(g.one_minus(fem), aa)],
                    hint="group_onehot")
    return _cox_model(g, t, group, PCE_TERMS, PCE_MEAN, PCE_S0,
                      "ACC/AHA Pooled Cohort Equations, 10-year hard ASCVD risk (Goff 2013).")


def pce_manifest() -> dict[str, Any]:
    ref = ("Goff DC Jr, Lloyd-Jones DM, Bennett G, et al. 2013 ACC/AHA Guideline on the "
           "Assessment of Cardiovascular Risk. Circulation 2014;129(suppl 2):S49-S73, Table A "
           "and worked example.")
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins, _ in PCE_TERMS]
    doc = _base("pce-ascvd-10y", "ACC/AHA Pooled Cohort Equations (10-year ASCVD risk)",
                "10-year risk of a first hard ASCVD event (coronary death, non-fatal MI, fatal or "
                "non-fatal stroke) for adults 40-79 without ASCVD, from the four sex- and "
                "race-specific Pooled Cohort Equations.",
                {"population": "Adults 40-79 years without clinical ASCVD, LDL < 190 mg/dL, not "
                               "on statin therapy for secondary prevention.",
                 "age_range": [40, 79],
                 "contraindications": ["known ASCVD (secondary prevention)",
                                       "LDL-C ≥ 190 mg/dL (treat without estimating risk)"],
                 "references": [{"citation": ref, "doi": "10.1161/01.cir.0000437741.48606.98"},
                                {"citation": "Arnett DK et al. 2019 ACC/AHA Guideline on the Primary "
                                             "Prevention of Cardiovascular Disease (risk categories).",
                                 "doi": "10.1161/CIR.0000000000000678"}]},
                later=(EXPLANATION_RELEASE,))
    features = [
        _number("age", "Age", "a", [40, 79], "refuse", PCE_SOURCE),
        SEX,
        {"name": "race", "label": "Race", "kind": "category", "unit": "1",
         "categories": {"white": 0.0, "african_american": 1.0, "other": 0.0},
         "category_flags": {"other": "race 'other': the white equations were used, as the "
                                     "guideline directs; they may over- or underestimate risk"},
         "description": "'white', 'african_american' or 'other' (other races use the white "
                        "equations, flagged)."},
        _number("total_cholesterol", "Total cholesterol", "mg/dL", [130, 320], "refuse", PCE_SOURCE),
        _number("hdl_cholesterol", "HDL cholesterol", "mg/dL", [20, 100], "refuse", PCE_SOURCE),
        _number("systolic_bp", "Systolic blood pressure", "mm[Hg]", [90, 200], "refuse", PCE_SOURCE),
        BP_TREATED, SMOKER, DIABETES, KNOWN_CVD,
    ]
    doc.update({
        "inputs": {"tensors": [_x(PCE_COLUMNS)], "features": features},
        "outputs": _cox_outputs(
            "10-year ASCVD risk, probability 0-1",
            "Σ coefficient × term (before subtracting the mean)", terms,
            {"source": "2018/2019 ACC/AHA primary prevention guideline",
             "bands": [{"label": "low", "below": 0.05}, {"label": "borderline", "below": 0.075},
                       {"label": "intermediate", "below": 0.20}, {"label": "high"}]}),
        "applicability": _primary_prevention_only("the Pooled Cohort Equations"),
        "explanation": {"method": "linear-terms", "output": "terms", "terms": terms,
                        "note": "Terms add up to the linear predictor; risk = 1 − S0^exp(LP − mean). "
                                "An interaction term is shared equally among its inputs; treatment status "
                                "selects which SBP coefficient applies.",
                        "reference": optimal_reference("age, sex and race")},
    })
    src = "Goff 2013 guideline worked example (age 55, TC 213, HDL 50, untreated SBP 120, non-smoker, no diabetes)"
    example = {"age": 55, "total_cholesterol": 213, "hdl_cholesterol": 50, "systolic_bp": 120,
               "bp_treated": False, "smoker": False, "diabetes": False}
    vectors = []
    for label, sex, race, lp, risk, note in (
            ("white female", "female", "white", -29.68, 0.021, ""),
            ("African-American female", "female", "african_american", 86.17, 0.030, ""),
            ("white male", "male", "white", 60.70, 0.054,
             "; the guideline prints 5.3% from rounded intermediates"),
            ("African-American male", "male", "african_american", 18.97, 0.061, "")):
        inputs = {**example, "sex": sex, "race": race}
        vectors.append(_test_vector(f"{label}: risk", inputs, {"risk": risk}, 0.0005, src + note))
        vectors.append(_test_vector(f"{label}: linear predictor", inputs,
                                    {"linear_predictor": lp}, 0.005, src))
    vectors.append(_test_vector(
        "other race uses the white female equation", {**example, "sex": "female", "race": "other"},
        {"risk": 0.021}, 0.0005, src + "; guideline: other races use the white equations"))
    doc["test_vectors"] = vectors
    return doc


# -- Framingham general CVD (D'Agostino 2008) ---------------------------------------------
# Circulation 2008;117:743-753, Table 2; same values on the Framingham Heart Study's
# "Cardiovascular Disease (10-year risk)" page. Columns: female, male.
FRS_TERMS = [
    ("ln_age", "ln age", ["age"], [2.32888, 3.06117]),
    ("ln_tc", "ln total cholesterol", ["total_cholesterol"], [1.20904, 1.12370]),
    ("ln_hdl", "ln HDL", ["hdl_cholesterol"], [-0.70833, -0.93263]),
    ("ln_sbp_untreated", "ln untreated SBP", ["systolic_bp"], [2.76157, 1.93303]),
    ("ln_sbp_treated", "ln treated SBP", ["systolic_bp"], [2.82263, 1.99881]),
    ("smoker", "current smoker", ["smoker"], [0.52873, 0.65451]),
    ("diabetes", "diabetes", ["diabetes"], [0.69154, 0.57367]),
]
FRS_MEAN = [26.1931, 23.9802]
FRS_S0 = [0.95012, 0.88936]
FRS_COLUMNS = ["age", "sex", "total_cholesterol", "hdl_cholesterol", "systolic_bp",
               "bp_treated", "smoker", "diabetes"]


def framingham_graph() -> bytes:
    g = Graph("framingham_cvd_10y", FRS_COLUMNS)
    ls = g.log(g.col("systolic_bp"))
    trt = g.col("bp_treated")
    values = [g.log(g.col("age")), g.log(g.col("total_cholesterol")),
              g.log(g.col("hdl_cholesterol")), g.mul(ls, g.one_minus(trt)), g.mul(ls, trt),
              g.col("smoker"), g.col("diabetes")]
    t = g.stack(values, hint="term_values")
    fem = g.col("sex")
    group = g.stack([fem, g.one_minus(fem)], hint="group_onehot")
    return _cox_model(g, t, group, FRS_TERMS, FRS_MEAN, FRS_S0,
                      "Framingham general CVD 10-year risk (D'Agostino 2008).")


def framingham_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins, _ in FRS_TERMS]
    app_bound = ("app-defined plausibility bound (the paper gives no range); values outside are "
                 "computed but flagged as extrapolated")
    doc = _base("framingham-cvd-10y", "Framingham general cardiovascular disease (10-year risk)",
                "10-year risk of a first cardiovascular event (coronary, cerebrovascular, "
                "peripheral artery disease, heart failure) from the sex-specific 2008 Framingham "
                "general CVD equations.",
                {"population": "Adults 30-74 years free of cardiovascular disease (derivation: "
                               "Framingham original and offspring cohorts, predominantly white).",
                 "age_range": [30, 74],
                 "contraindications": ["known cardiovascular disease"],
                 "references": [{"citation": "D'Agostino RB Sr, Vasan RS, Pencina MJ, et al. General "
                                             "cardiovascular risk profile for use in primary care: "
                                             "the Framingham Heart Study. Circulation 2008;117:743-753.",
                                 "doi": "10.1161/CIRCULATIONAHA.107.699579"},
                                {"citation": "Anderson TJ et al. 2016 Canadian Cardiovascular Society "
                                             "guidelines for the management of dyslipidemia "
                                             "(FRS risk categories).",
                                 "doi": "10.1016/j.cjca.2016.07.510"}]},
                later=(EXPLANATION_RELEASE,))
    features = [
        _number("age", "Age", "a", [30, 74], "refuse",
                "D'Agostino 2008: derived in participants 30-74 years"),
        SEX,
        _number("total_cholesterol", "Total cholesterol", "mg/dL", [100, 405], "flag", app_bound),
        _number("hdl_cholesterol", "HDL cholesterol", "mg/dL", [10, 100], "flag", app_bound),
        _number("systolic_bp", "Systolic blood pressure", "mm[Hg]", [90, 200], "flag", app_bound),
        BP_TREATED, SMOKER, DIABETES, KNOWN_CVD,
    ]
    doc.update({
        "inputs": {"tensors": [_x(FRS_COLUMNS)], "features": features},
        "outputs": _cox_outputs(
            "10-year CVD risk, probability 0-1", "Σ β·x (before subtracting the mean)", terms,
            {"source": "Canadian Cardiovascular Society 2016 (FRS)",
             "bands": [{"label": "low", "below": 0.10}, {"label": "intermediate", "below": 0.20},
                       {"label": "high"}]}),
        "applicability": _primary_prevention_only("the Framingham general CVD score"),
        "explanation": {"method": "linear-terms", "output": "terms", "terms": terms,
                        "note": "Terms add up to Σβx; risk = 1 − S0^exp(Σβx − mean).",
                        "reference": optimal_reference("age and sex")},
    })
    woman = {"age": 61, "sex": "female", "total_cholesterol": 180, "hdl_cholesterol": 47,
             "systolic_bp": 124, "bp_treated": False, "smoker": True, "diabetes": False}
    man = {"age": 55, "sex": "male", "total_cholesterol": 213, "hdl_cholesterol": 50,
           "systolic_bp": 140, "bp_treated": False, "smoker": False, "diabetes": False}
    doc["test_vectors"] = [
        _test_vector("woman aged 61, smoker", woman, {"risk": 0.1048}, 0.00005,
                     "D'Agostino 2008 worked example of the risk function (61-year-old woman, "
                     "TC 180, HDL 47, untreated SBP 124, smoker, no diabetes): 10.48%"),
        _test_vector("man aged 55, untreated SBP 140", man, {"risk": 0.1353}, 0.00005,
                     "CVrisk R package documentation example for ascvd_10y_frs (independent "
                     "implementation of D'Agostino 2008): 13.53%"),
    ]
    return doc



BUILDERS = {
    "pce-ascvd-10y": (pce_manifest, pce_graph),
    "framingham-cvd-10y": (framingham_manifest, framingham_graph),
    **POINT_BUILDERS, **LIVER_BUILDERS, **PREVENT_BUILDERS, **CHINA_PAR_BUILDERS,
    **ADDON_BUILDERS,
}


def build(out_dir: Path) -> list[Any]:
    """Write every risk-equation package under ``out_dir``; returns their manifests."""
    from clinic_app.core.inference.packaging import write_package

    manifests = []
    for pid, (make_manifest, make_graph) in BUILDERS.items():
        manifests.append(write_package(out_dir / pid, make_manifest(),
                                       {"model.onnx": (make_graph(), "model")}))
    return manifests


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for m in build(here):
        print(f"built {m.id} {m.version}  manifest sha256 {m.sha256}")
    print("now run: .venv/bin/python models/pin_shipped.py")
