"""China-PAR: 10-year ASCVD risk for Chinese adults (Yang X et al., Circulation 2016).

Build time only (see build_risk_models.py). Source: Yang X, Li J, Hu D, et al.
Predicting the 10-Year Risks of Atherosclerotic Cardiovascular Disease in Chinese
Population: The China-PAR Project. Circulation 2016;134:1430-1440, its Data Supplement
(Supplemental Table 1: coefficients, mean sum and baseline survival; worked example) and
Table 2 (the worked example's risk at ages 40-70).

How the numbers were checked (details in docs/risk-models.md):

* The coefficients below are the three-decimal ones of the Jiangsu Preventive Medicine
  Association group standard T/JPMA 024-2024 (appendix C/D), as transcribed in a public
  implementation. Each one rounds to the two-decimal value the paper's supplement prints
  (a second, independent public transcription of Supplemental Table 1; the same values are
  reprinted in BMC Cardiovasc Disord 2020, doi:10.1186/s12872-020-01425-0, and BMC Public
  Health 2020, doi:10.1186/s12889-020-09579-4). tests/test_china_par.py checks that.
* The men's continuous coefficients also agree with the paper's own "coefficient x value"
  column of the worked example divided by the example's values (e.g. 130.88 / ln 60 =
  31.966 against 31.967).
* Baseline survival: men 0.9707 (the worked formula of Supplemental Table 2). Women: the
  table prints 0.99, which is too coarse to reproduce the paper's own women's figures
  (6.9 % instead of 10.1 % for the worked example); 0.9851 is the value of T/JPMA 024-2024
  and the one that reproduces the women's worked example and Table 2 to 0.1 %.
* Published vectors reproduced: the worked example's individual sums (men 142.04, women
  119.22), Table 2 (men 2.2/5.4/11.0/19.6 %, women 2.4/5.4/10.1/17.1 % at 40/50/60/70),
  and the 2019 Chinese guideline's example run through the official calculator (4.7 %).

The women's equation has no urbanisation, family-history or age-interaction terms other
than ln age x ln SBP; those columns carry coefficient 0 for women.
"""

from __future__ import annotations

from typing import Any

from graph_builder import Graph
from risk_parts import (
    BP_TREATED,
    DIABETES,
    KNOWN_CVD,
    SEX,
    SMOKER,
    _base,
    _bool,
    _cox_model,
    _cox_outputs,
    _number,
    _primary_prevention_only,
    _test_vector,
    _x,
    optimal_reference,
)

PID = "china-par-ascvd-10y"
COLUMNS = ["age", "sex", "total_cholesterol", "hdl_cholesterol", "systolic_bp", "bp_treated",
           "smoker", "diabetes", "waist_circumference", "region", "urbanisation",
           "family_history_ascvd"]
# (name, label, inputs, [female, male]). Natural logs; cholesterol in mg/dL, SBP in mmHg,
# waist in cm; flags 0/1 (region: north = 1; urbanisation: urban = 1).
TERMS: list[tuple[str, str, list[str], list[float]]] = [
    ("ln_age", "ln age", ["age"], [24.874, 31.967]),
    ("ln_sbp_treated", "ln treated SBP", ["systolic_bp"], [20.709, 27.388]),
    ("ln_sbp_untreated", "ln untreated SBP", ["systolic_bp"], [19.982, 26.148]),
    ("ln_tc", "ln total cholesterol", ["total_cholesterol"], [0.058, 0.621]),
    ("ln_hdl", "ln HDL", ["hdl_cholesterol"], [-0.217, -0.695]),
    ("ln_waist", "ln waist circumference", ["waist_circumference"], [1.475, -0.712]),
    ("smoker", "current smoker", ["smoker"], [0.495, 3.955]),
    ("diabetes", "diabetes", ["diabetes"], [0.567, 0.357]),
    ("north", "northern China", ["region"], [0.544, 0.475]),
    ("urban", "urban residence", ["urbanisation"], [0.0, -0.164]),
    ("family_history", "family history of ASCVD", ["family_history_ascvd"], [0.0, 6.221]),
    ("ln_age_x_ln_sbp_treated", "ln age × ln treated SBP", ["age", "systolic_bp"],
     [-4.528, -6.018]),
    ("ln_age_x_ln_sbp_untreated", "ln age × ln untreated SBP", ["age", "systolic_bp"],
     [-4.360, -5.731]),
    ("ln_age_x_smoker", "ln age × smoker", ["age", "smoker"], [0.0, -0.939]),
    ("ln_age_x_family_history", "ln age × family history", ["age", "family_history_ascvd"],
     [0.0, -1.534]),
]
MEAN = [117.26, 140.68]  # [female, male]
S0 = [0.9851, 0.9707]
#: The paper's two-decimal print of the same coefficients (Supplemental Table 1), kept for
#: the rounding check in tests/test_china_par.py.
PRINTED = {
    "ln_age": (24.87, 31.97), "ln_sbp_treated": (20.71, 27.39), "ln_sbp_untreated": (19.98, 26.15),
    "ln_tc": (0.06, 0.62), "ln_hdl": (-0.22, -0.69), "ln_waist": (1.48, -0.71),
    "smoker": (0.49, 3.96), "diabetes": (0.57, 0.36), "north": (0.54, 0.48), "urban": (0.0, -0.16),
    "family_history": (0.0, 6.22), "ln_age_x_ln_sbp_treated": (-4.53, -6.02),
    "ln_age_x_ln_sbp_untreated": (-4.36, -5.73), "ln_age_x_smoker": (0.0, -0.94),
    "ln_age_x_family_history": (0.0, -1.53),
}
#: The inputs the women's equation does not use (coefficient 0 in every term naming them).
UNUSED_FOR_WOMEN = ("urbanisation", "family_history_ascvd")

PAPER = ("Yang X, Li J, Hu D, et al. Predicting the 10-Year Risks of Atherosclerotic "
         "Cardiovascular Disease in Chinese Population: The China-PAR Project. Circulation "
         "2016;134:1430-1440, Supplemental Table 1 (coefficients, mean, baseline survival), "
         "worked example and Table 2.")
STANDARD = ("Jiangsu Preventive Medicine Association group standard T/JPMA 024-2024, "
            "appendix C/D (China-PAR coefficients to three decimals; women's baseline "
            "survival 0.9851).")
GUIDELINE = ("Joint Committee. Guideline on the assessment and management of cardiovascular "
             "risk in China (中国心血管病风险评估和管理指南). Chin J Prev Med 2019;53(1):13-35 "
             "(risk categories; worked example with the official calculator).")
RANGE_NOTE = ("app-defined plausibility bound (the paper gives no range); values outside are "
              "computed but flagged as extrapolated")


def china_par_graph() -> bytes:
    g = Graph("china_par_ascvd_10y", COLUMNS)
    la = g.log(g.col("age"))
    ls = g.log(g.col("systolic_bp"))
    trt = g.col("bp_treated")
    ls_t = g.mul(ls, trt)
    ls_u = g.mul(ls, g.one_minus(trt))
    smk = g.col("smoker")
    fh = g.col("family_history_ascvd")
    values = [la, ls_t, ls_u, g.log(g.col("total_cholesterol")),
              g.log(g.col("hdl_cholesterol")), g.log(g.col("waist_circumference")), smk,
              g.col("diabetes"), g.col("region"), g.col("urbanisation"), fh,
              g.mul(la, ls_t), g.mul(la, ls_u), g.mul(la, smk), g.mul(la, fh)]
    t = g.stack(values, hint="term_values")
    fem = g.col("sex")
    group = g.stack([fem, g.one_minus(fem)], hint="group_onehot")
    return _cox_model(g, t, group, TERMS, MEAN, S0,
                      "China-PAR 10-year ASCVD risk for Chinese adults (Yang 2016).")


def china_par_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins, _ in TERMS]
    doc = _base(PID, "China-PAR (10-year ASCVD risk, Chinese adults)",
                "10-year risk of a first atherosclerotic cardiovascular event (non-fatal "
                "myocardial infarction, coronary death, fatal or non-fatal stroke) for Chinese "
                "adults 35-74 without ASCVD, from the sex-specific China-PAR equations. "
                "Limits: derived in cohorts enrolled in China from 1998-2001 and validated in "
                "Chinese cohorts only; region and residence are the site's, not the "
                "patient's own; in men the published age interactions make the smoking and "
                "family-history effects shrink with age and reverse after about 67 and 58 "
                "years; the women's equation has no residence or family-history term.",
                {"population": "Chinese adults 35-74 years without ASCVD (primary prevention). "
                               "Derived in 21,320 participants of the China MUCA (1998) and "
                               "InterASIA cohorts, followed 12.3 years (median); validated in "
                               "the CIMIC cohort (14,123) and the CHCN-BTH cohort (70,838). "
                               "Not validated outside Chinese populations.",
                 "age_range": [35, 74],
                 "contraindications": ["known ASCVD (secondary prevention)",
                                       "patients outside the Chinese population the equations "
                                       "were derived in"],
                 "references": [{"citation": PAPER, "doi": "10.1161/CIRCULATIONAHA.116.022367"},
                                {"citation": STANDARD},
                                {"citation": GUIDELINE,
                                 "doi": "10.3760/cma.j.issn.0253-9624.2019.01.004"}]})
    features = [
        _number("age", "Age", "a", [35, 74], "refuse",
                "Yang 2016: derived and validated in adults 35-74 years"),
        SEX,
        _number("total_cholesterol", "Total cholesterol", "mg/dL", [100, 405], "flag", RANGE_NOTE),
        _number("hdl_cholesterol", "HDL cholesterol", "mg/dL", [10, 120], "flag", RANGE_NOTE),
        _number("systolic_bp", "Systolic blood pressure", "mm[Hg]", [90, 200], "flag", RANGE_NOTE),
        BP_TREATED, SMOKER, DIABETES,
        _number("waist_circumference", "Waist circumference", "cm", [50, 150], "flag", RANGE_NOTE),
        {"name": "region", "label": "Region of China", "kind": "category", "unit": "1",
         "categories": {"north": 1.0, "south": 0.0},
         "description": "'north' or 'south' of the Yangtze River (the paper's boundary); a "
                        "site setting, shown as such."},
        {"name": "urbanisation", "label": "Residence", "kind": "category", "unit": "1",
         "categories": {"urban": 1.0, "rural": 0.0},
         "description": "'urban' or 'rural' residence; a site setting, shown as such. Not "
                        "used by the women's equation."},
        _bool("family_history_ascvd", "Family history of ASCVD",
              "A parent or sibling with myocardial infarction or stroke. Not used by the "
              "women's equation."),
        KNOWN_CVD,
    ]
    doc.update({
        "inputs": {"tensors": [_x(COLUMNS)], "features": features},
        "outputs": _cox_outputs(
            "10-year ASCVD risk, probability 0-1",
            "Σ coefficient × term (before subtracting the mean)", terms,
            {"source": "2019 Chinese guideline on cardiovascular risk assessment",
             "bands": [{"label": "low", "below": 0.05}, {"label": "intermediate", "below": 0.10},
                       {"label": "high"}]}),
        "applicability": _primary_prevention_only("China-PAR"),
        "explanation": {"method": "linear-terms", "output": "terms", "terms": terms,
                        "note": "Terms add up to the linear predictor; risk = 1 − S0^exp(LP − "
                                "mean). An interaction term is shared equally among its inputs.",
                        "reference": optimal_reference(
                            "age, sex, waist, region, residence and family history")},
    })
    doc["test_vectors"] = _vectors()
    return doc


def _vectors() -> list[dict[str, Any]]:
    example = {"age": 60, "total_cholesterol": 210, "hdl_cholesterol": 55, "systolic_bp": 130,
               "bp_treated": False, "smoker": False, "diabetes": True,
               "waist_circumference": 80, "region": "north", "urbanisation": "urban",
               "family_history_ascvd": False}
    src = ("Yang 2016 worked example (age 60, TC 210 mg/dL, HDL 55 mg/dL, untreated SBP 130, "
           "waist 80 cm, non-smoker, diabetes, urban northern China, no family history)")
    out = [
        _test_vector("man, worked example: individual sum", {**example, "sex": "male"},
                     {"linear_predictor": 142.04}, 0.02, src + ", Supplemental Table 1"),
        _test_vector("woman, worked example: individual sum", {**example, "sex": "female"},
                     {"linear_predictor": 119.22}, 0.02, src + ", Supplemental Table 1"),
    ]
    # Table 2 prints one decimal from unrounded coefficients; the three-decimal ones
    # reproduce it within 0.3 percentage points (0.004 leaves room for that, no more).
    for sex, table in (("male", {40: 0.022, 50: 0.054, 60: 0.110, 70: 0.196}),
                       ("female", {40: 0.024, 50: 0.054, 60: 0.101, 70: 0.171})):
        for age, risk in table.items():
            out.append(_test_vector(f"{sex}, worked example at age {age}",
                                    {**example, "sex": sex, "age": age}, {"risk": risk}, 0.004,
                                    src + f", Table 2 (age {age})"))
    out.append(_test_vector(
        "2019 guideline example (official calculator)",
        {"age": 40, "sex": "male", "total_cholesterol": 200.77, "hdl_cholesterol": 50.19,
         "systolic_bp": 145, "bp_treated": False, "smoker": False, "diabetes": False,
         "waist_circumference": 80, "region": "north", "urbanisation": "urban",
         "family_history_ascvd": True},
        {"risk": 0.047}, 0.0005,
        "2019 Chinese guideline, appendix 1: man aged 40, urban northern China, waist 80 cm, "
        "TC 5.2 mmol/L, HDL 1.3 mmol/L (÷ 0.0259 as the paper converts), BP 145/80 untreated, "
        "no diabetes, non-smoker, family history: 4.7 % (official calculator)"))
    return out


CHINA_PAR_BUILDERS = {PID: (china_par_manifest, china_par_graph)}
