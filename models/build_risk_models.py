"""Build the shipped risk-equation packages from their published coefficients.

    .venv/bin/python models/build_risk_models.py        # writes models/<id>/ and the pins

Each package is an ONNX graph written with the onnx helper API plus a manifest carrying
the coefficients' sources, valid ranges and the published test vectors.
tests/test_risk_models_build.py rebuilds everything in a temporary folder and checks the
committed files are byte-identical, so a coefficient cannot change without this script
(and its review) changing too. Sources and checks: /work/shared/reference/risk-equations.md
and docs/models.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph_builder import OPSET, Graph

CHANGED = "2026-11-28"
AUTHORS = ["clinic-app model team (graph); equations by their cited authors"]
LICENSE = "Graph and manifest: proprietary (clinic-app). Equations: published facts, cited."


# -- shared feature definitions ------------------------------------------------------------
def _number(name: str, label: str, unit: str, rng: list[float] | None, policy: str | None,
            source: str, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "label": label, "kind": "number", "unit": unit}
    if rng is not None:
        out.update(valid_range=rng, out_of_range=policy, range_source=source)
    if description:
        out["description"] = description
    return out


def _bool(name: str, label: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "kind": "boolean", "unit": "1",
            "description": description, **extra}


SEX = {"name": "sex", "label": "Sex", "kind": "category", "unit": "1",
       "categories": {"female": 1.0, "male": 0.0},
       "description": "Sex the equations were derived for: 'female' or 'male'."}
BP_TREATED = _bool("bp_treated", "On blood-pressure medication",
                   "Currently treated for high blood pressure.")
SMOKER = _bool("smoker", "Current smoker", "Current cigarette smoker.")
DIABETES = _bool("diabetes", "Diabetes", "Diabetes mellitus (diagnosis, or HbA1c ≥ 6.5%).")

PCE_SOURCE = "Goff 2013 ACC/AHA guideline (valid ranges of the Pooled Cohort Equations)"
KNOWN_CVD = {**_bool("known_cvd", "Known cardiovascular disease",
                     "History of myocardial infarction, peripheral artery disease, aortic plaque, "
                     "stroke, TIA or thromboembolism (secondary prevention)."),
             "role": "context"}


def _primary_prevention_only(score: str) -> list[dict[str, Any]]:
    return [{"feature": "known_cvd", "equals": False,
             "otherwise": f"known cardiovascular disease in the record: {score} is for primary "
                          "prevention only and underestimates this patient's risk"}]


def _test_vector(name: str, inputs: dict[str, Any], expected: dict[str, Any], tolerance: float,
                 source: str) -> dict[str, Any]:
    return {"name": name, "inputs": inputs, "expected": expected, "tolerance": tolerance,
            "source": source}


def _base(pid: str, name: str, description: str, intended: dict[str, Any]) -> dict[str, Any]:
    return {
        "manifest_version": 1, "id": pid, "name": name, "version": "1.0.0",
        "task": "risk-score", "description": description, "authors": AUTHORS,
        "license": LICENSE,
        "changelog": [{"version": "1.0.0", "date": CHANGED,
                       "changes": "First release, built from the published coefficients."}],
        "demo": False, "intended_use": intended,
        "runtime": {"model_file": "model.onnx", "opset": OPSET, "fp16_allowed": False,
                    "max_batch": 65536},
    }


def _x(columns: list[str]) -> dict[str, Any]:
    return {"name": "x", "dtype": "float64", "shape": ["N", len(columns)], "columns": columns}


def _vec(name: str, semantics: str) -> dict[str, Any]:
    return {"name": name, "dtype": "float64", "shape": ["N"], "semantics": semantics}


def _mat(name: str, terms: list[dict[str, Any]], semantics: str) -> dict[str, Any]:
    return {"name": name, "dtype": "float64", "shape": ["N", len(terms)],
            "columns": [t["name"] for t in terms], "semantics": semantics}


def _cox_model(g: Graph, t: str, group: str, table: list[Any], mean_by_group: list[float],
               s0_by_group: list[float], doc: str) -> bytes:
    """Cox-form risk: per-row coefficients chosen by the one-hot ``group`` [N, G];
    terms = values × coefficients; risk = 1 − S0^exp(Σ terms − mean)."""
    coefs = np.array([c for *_, c in table]).T  # [G, K]
    terms = g.mul(t, g.op("MatMul", group, g.const(coefs, hint="coefficients")))
    lp = g.row_sum(terms)
    mean = g.op("MatMul", group, g.const(mean_by_group, hint="mean"))
    s0 = g.op("MatMul", group, g.const(s0_by_group, hint="s0"))
    risk = g.one_minus(g.op("Pow", s0, g.op("Exp", g.sub(lp, mean))))
    g.output(risk, "risk", ["N"])
    g.output(lp, "linear_predictor", ["N"])
    g.output(terms, "terms", ["N", len(table)])
    return g.model(doc)


def _cox_outputs(risk_semantics: str, lp_semantics: str, terms: list[dict[str, Any]],
                 categories: dict[str, Any]) -> dict[str, Any]:
    return {"tensors": [_vec("risk", risk_semantics), _vec("linear_predictor", lp_semantics),
                        _mat("terms", terms, "per-term contribution to the linear predictor")],
            "primary": "risk", "unit": "probability", "decimals": 3, "horizon": "10 years",
            "categories": categories}


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
                                 "doi": "10.1161/CIR.0000000000000678"}]})
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
                                "selects which SBP coefficient applies."},
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
                                 "doi": "10.1016/j.cjca.2016.07.510"}]})
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
                        "note": "Terms add up to Σβx; risk = 1 − S0^exp(Σβx − mean)."},
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


# -- CHA2DS2-VASc --------------------------------------------------------------------------
CHA_COLUMNS = ["age", "sex", "chf", "hypertension", "diabetes", "stroke_tia", "vascular_disease"]
CHA_TERMS = [
    ("chf", "congestive heart failure / LV dysfunction", ["chf"]),
    ("hypertension", "hypertension", ["hypertension"]),
    ("age_75_plus", "age ≥ 75", ["age"]),
    ("diabetes", "diabetes mellitus", ["diabetes"]),
    ("stroke_tia", "stroke, TIA or thromboembolism", ["stroke_tia"]),
    ("vascular_disease", "vascular disease", ["vascular_disease"]),
    ("age_65_74", "age 65-74", ["age"]),
    ("female", "sex category (female)", ["sex"]),
]


def cha2ds2vasc_graph() -> bytes:
    g = Graph("cha2ds2_vasc", CHA_COLUMNS)
    age = g.col("age")
    ge75 = g.op("Cast", g.op("GreaterOrEqual", age, g.const(75.0)), to=11)
    ge65 = g.op("GreaterOrEqual", age, g.const(65.0))
    lt75 = g.op("Less", age, g.const(75.0))
    age65_74 = g.op("Cast", g.op("And", ge65, lt75), to=11)
    two = g.const(2.0)
    female = g.col("sex")
    points = [g.col("chf"), g.col("hypertension"), g.mul(ge75, two), g.col("diabetes"),
              g.mul(g.col("stroke_tia"), two), g.col("vascular_disease"), age65_74, female]
    terms = g.stack(points, hint="points")
    score = g.row_sum(terms)
    g.output(score, "score", ["N"])
    g.output(g.sub(score, female), "score_without_sex", ["N"])
    g.output(terms, "points", ["N", len(CHA_TERMS)])
    return g.model("CHA2DS2-VASc stroke risk score in atrial fibrillation (Lip 2010).")


def cha2ds2vasc_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins in CHA_TERMS]

    def flag(name: str, label: str, description: str) -> dict[str, Any]:
        return _bool(name, label, description)

    doc = _base("cha2ds2-vasc", "CHA2DS2-VASc (stroke risk in atrial fibrillation)",
                "Point score (0-9) for stroke and thromboembolism risk in non-valvular atrial "
                "fibrillation, used to decide on oral anticoagulation.",
                {"population": "Adults with non-valvular atrial fibrillation.",
                 "contraindications": ["no atrial fibrillation (the score is not validated "
                                       "outside AF)", "mechanical heart valve or moderate-severe "
                                       "mitral stenosis"],
                 "references": [{"citation": "Lip GYH, Nieuwlaat R, Pisters R, Lane DA, Crijns HJGM. "
                                             "Refining clinical risk stratification for predicting "
                                             "stroke and thromboembolism in atrial fibrillation "
                                             "using a novel risk factor-based approach. Chest "
                                             "2010;137:263-272.",
                                 "doi": "10.1378/chest.09-1584"},
                                {"citation": "Hindricks G et al. 2020 ESC Guidelines for atrial "
                                             "fibrillation (categories: 0 men / 1 women low; "
                                             "≥2 men / ≥3 women anticoagulation recommended).",
                                 "doi": "10.1093/eurheartj/ehaa612"}]})
    features = [
        _number("age", "Age", "a", [18, 120], "refuse",
                "adults (Lip 2010 derivation: Euro Heart Survey); upper bound app-defined"),
        SEX,
        flag("chf", "Heart failure / LV dysfunction", "Congestive heart failure or moderate-severe "
                                                      "LV systolic dysfunction."),
        flag("hypertension", "Hypertension", "Hypertension (diagnosis or treatment)."),
        flag("diabetes", "Diabetes", "Diabetes mellitus."),
        flag("stroke_tia", "Prior stroke/TIA/thromboembolism", "Previous stroke, TIA or "
                                                               "thromboembolism."),
        flag("vascular_disease", "Vascular disease", "Prior myocardial infarction, peripheral "
                                                     "artery disease or aortic plaque."),
        {**_bool("atrial_fibrillation", "Atrial fibrillation", "The patient has atrial fibrillation "
                                                              "(the score applies only then)."),
         "role": "context"},
    ]
    doc.update({
        "inputs": {"tensors": [_x(CHA_COLUMNS)], "features": features},
        "outputs": {
            "tensors": [_vec("score", "CHA2DS2-VASc points 0-9"),
                        _vec("score_without_sex", "points other than the sex category"),
                        _mat("points", terms, "points per item")],
            "primary": "score", "unit": "points", "decimals": 0,
            "categories": {"output": "score_without_sex",
                           "source": "2020 ESC AF guideline (sex category is a risk modifier)",
                           "bands": [{"label": "low (anticoagulation not indicated)", "below": 1},
                                     {"label": "intermediate (consider anticoagulation)", "below": 2},
                                     {"label": "high (anticoagulation recommended)"}]}},
        "explanation": {"method": "points", "output": "points", "terms": terms},
        "applicability": [{"feature": "atrial_fibrillation", "equals": True,
                           "otherwise": "no atrial fibrillation recorded: CHA2DS2-VASc applies "
                                        "only to patients with AF",
                           "when_missing": "atrial fibrillation status not given: CHA2DS2-VASc "
                                           "applies only to patients with AF"}],
    })
    none = {"chf": False, "hypertension": False, "diabetes": False, "stroke_tia": False,
            "vascular_disease": False, "atrial_fibrillation": True}
    src = "Lip 2010 point table"
    doc["test_vectors"] = [
        _test_vector("man aged 50, no risk factors", {**none, "age": 50, "sex": "male"},
                     {"score": 0}, 0, src),
        _test_vector("woman aged 78 with hypertension", {**none, "age": 78, "sex": "female",
                                                         "hypertension": True},
                     {"score": 4}, 0, src + ": age ≥75 (2) + hypertension (1) + female (1)"),
        _test_vector("man aged 70 with diabetes", {**none, "age": 70, "sex": "male", "diabetes": True},
                     {"score": 2}, 0, src + ": age 65-74 (1) + diabetes (1)"),
        _test_vector("woman aged 80 with every item", {"age": 80, "sex": "female", "chf": True,
                                                       "hypertension": True, "diabetes": True,
                                                       "stroke_tia": True, "vascular_disease": True,
                                                       "atrial_fibrillation": True},
                     {"score": 9}, 0, src + ": the maximum is 9"),
        _test_vector("age 75 counts 2, not 1 + 2", {**none, "age": 75, "sex": "male"},
                     {"score": 2}, 0, src + ": age bands are exclusive"),
    ]
    return doc


# -- MELD (original UNOS form) -------------------------------------------------------------
MELD_COLUMNS = ["creatinine", "bilirubin", "inr", "dialysis"]
MELD_TERMS = [
    ("creatinine", "10 × 0.957 × ln creatinine", ["creatinine"], 9.57),
    ("bilirubin", "10 × 0.378 × ln bilirubin", ["bilirubin"], 3.78),
    ("inr", "10 × 1.120 × ln INR", ["inr"], 11.2),
]
MELD_CONSTANT = 6.43


def meld_graph() -> bytes:
    g = Graph("meld_unos", MELD_COLUMNS)
    one, four = g.const(1.0), g.const(4.0)
    cr = g.op("Min", g.op("Max", g.col("creatinine"), one), four)
    dialysis = g.op("Greater", g.col("dialysis"), g.const(0.5))
    cr = g.op("Where", dialysis, four, cr)
    bili = g.op("Max", g.col("bilirubin"), one)
    inr = g.op("Max", g.col("inr"), one)
    values = [g.log(cr), g.log(bili), g.log(inr)]
    weights = g.const([c for *_, c in MELD_TERMS], hint="weights")
    terms = g.mul(g.stack(values, hint="log_values"), weights)
    raw = g.add(g.row_sum(terms), g.const(MELD_CONSTANT))
    # UNOS: round to the nearest integer (half up, not ONNX Round's half-to-even), bound 6-40.
    rounded = g.op("Floor", g.add(raw, g.const(0.5)))
    meld = g.op("Max", g.op("Min", rounded, g.const(40.0)), g.const(6.0))
    g.output(meld, "meld", ["N"])
    g.output(raw, "meld_unrounded", ["N"])
    g.output(terms, "terms", ["N", len(MELD_TERMS)])
    return g.model("MELD, original UNOS form (Kamath 2001; UNOS rules).")


def meld_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins, _ in MELD_TERMS]
    bound = "app-defined physiological bound; values outside are almost always unit or entry errors"
    doc = _base("meld-unos", "MELD (original UNOS form)",
                "Model for End-Stage Liver Disease score (6-40) from creatinine, bilirubin and INR, "
                "with the UNOS implementation rules.",
                {"population": "Adults with chronic liver disease (transplant listing, prognosis).",
                 "contraindications": ["superseded for US allocation by MELD-Na (2016) and MELD 3.0 "
                                       "(2023)", "patients on anticoagulants (INR not liver-driven)"],
                 "references": [{"citation": "Kamath PS, Wiesner RH, Malinchoc M, et al. A model to "
                                             "predict survival in patients with end-stage liver "
                                             "disease. Hepatology 2001;33:464-470.",
                                 "doi": "10.1053/jhep.2001.22172"},
                                {"citation": "UNOS/OPTN MELD calculation rules: values < 1.0 set to "
                                             "1.0; creatinine capped at 4.0 (and set to 4.0 with "
                                             "dialysis twice in the past week or 24 h CVVHD); "
                                             "result rounded and bounded 6-40."}]})
    features = [
        {**_number("creatinine", "Serum creatinine", "mg/dL", [0.1, 25], "refuse", bound),
         "clamp": {"min": 1.0, "max": 4.0, "note": "UNOS rule: creatinine counted between 1.0 and "
                                                    "4.0 mg/dL"}},
        {**_number("bilirubin", "Total bilirubin", "mg/dL", [0.1, 80], "refuse", bound),
         "clamp": {"min": 1.0, "note": "UNOS rule: bilirubin below 1.0 counted as 1.0"}},
        {**_number("inr", "INR", "1", [0.5, 15], "refuse", bound),
         "clamp": {"min": 1.0, "note": "UNOS rule: INR below 1.0 counted as 1.0"}},
        {**_bool("dialysis", "Dialysis", "Dialysis at least twice in the past 7 days, or 24 hours "
                                         "of CVVHD in the past 7 days."),
         "category_flags": {"true": "dialysis: creatinine set to 4.0 mg/dL (UNOS rule)"}},
    ]
    doc.update({
        "inputs": {"tensors": [_x(MELD_COLUMNS)], "features": features},
        "outputs": {
            "tensors": [_vec("meld", "MELD score, integer 6-40"),
                        _vec("meld_unrounded", "10 × (linear score) before rounding and bounds"),
                        _mat("terms", terms, "per-input contribution (constant 6.43 separate)")],
            "primary": "meld", "unit": "score", "decimals": 0,
            "bounds": {"output": "meld_unrounded", "min": 6, "max": 40,
                       "note": "UNOS rule: MELD bounded to 6-40"}},
        "explanation": {"method": "linear-terms", "output": "terms", "terms": terms,
                        "baseline": MELD_CONSTANT},
    })
    src = "hand calculation from the Kamath 2001 formula with the UNOS rules"
    doc["test_vectors"] = [
        _test_vector("typical cirrhosis", {"creatinine": 1.9, "bilirubin": 4.2, "inr": 1.7,
                                           "dialysis": False},
                     {"meld": 24, "meld_unrounded": 23.940}, 0.001, src),
        _test_vector("all values at 1.0 give the floor", {"creatinine": 1.0, "bilirubin": 1.0,
                                                          "inr": 1.0, "dialysis": False},
                     {"meld": 6, "meld_unrounded": 6.43}, 0.001, src + ": 10 × 0.643 = 6.43 → 6"),
        _test_vector("values below 1.0 count as 1.0", {"creatinine": 0.6, "bilirubin": 0.4,
                                                       "inr": 0.9, "dialysis": False},
                     {"meld": 6}, 0, src),
        _test_vector("dialysis sets creatinine to 4.0", {"creatinine": 1.2, "bilirubin": 1.0,
                                                         "inr": 1.0, "dialysis": True},
                     {"meld": 20, "meld_unrounded": 19.697}, 0.001, src + ": 9.57 × ln 4 + 6.43"),
        _test_vector("result capped at 40", {"creatinine": 3.9, "bilirubin": 35, "inr": 6,
                                             "dialysis": False},
                     {"meld": 40}, 0, src + ": unbounded 52.96"),
    ]
    return doc


BUILDERS = {
    "pce-ascvd-10y": (pce_manifest, pce_graph),
    "framingham-cvd-10y": (framingham_manifest, framingham_graph),
    "cha2ds2-vasc": (cha2ds2vasc_manifest, cha2ds2vasc_graph),
    "meld-unos": (meld_manifest, meld_graph),
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
