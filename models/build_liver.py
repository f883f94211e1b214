"""Liver scores: MELD (original UNOS form, kept and marked superseded), MELD-Na, MELD 3.0.

Build time only (see build_risk_models.py). Every rule OPTN applies (floors at 1.0, the
creatinine cap and the dialysis rule, sodium and albumin bounds, rounding, the 6-40
bounds) is in the graph, and every clamp is flagged on the result by the manifest.
"""

from __future__ import annotations

from typing import Any

from graph_builder import Graph
from risk_parts import SEX, _base, _bool, _mat, _number, _test_vector, _vec, _x

SUPERSEDED_RELEASE = ("1.1.0", "2026-12-06",
                      "Marked superseded by MELD-Na (2016) and MELD 3.0 (2023), which are now "
                      "shipped beside it. Formula unchanged.")
BOUND = "app-defined physiological bound; values outside are almost always unit or entry errors"
DIALYSIS_TEXT = ("Dialysis at least twice in the past 7 days, or 24 hours of CVVHD in the past "
                 "7 days.")


# -- MELD (original UNOS form) -------------------------------------------------------------
MELD_COLUMNS = ["creatinine", "bilirubin", "inr", "dialysis"]
MELD_TERMS = [
    ("creatinine", "creatinine", ["creatinine"], 9.57),
    ("bilirubin", "bilirubin", ["bilirubin"], 3.78),
    ("inr", "INR", ["inr"], 11.2),
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
    doc = _base("meld-unos", "MELD (original UNOS form, superseded)",
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
                                             "result rounded and bounded 6-40."}]},
                later=(SUPERSEDED_RELEASE,))
    doc["superseded_by"] = ["meld-3", "meld-na"]
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
        **_score_outputs("meld", "MELD score", "10 × (linear score) before rounding and bounds",
                         terms, "per-input contribution (constant 6.43 separate)", "UNOS rule",
                         MELD_CONSTANT),
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


def _score_outputs(primary: str, what: str, unrounded: str, terms: list[dict[str, Any]],
                   terms_text: str, rule: str, baseline: float | None) -> dict[str, Any]:
    """outputs + explanation of a MELD-family package (integer score 6-40 and its parts)."""
    explanation: dict[str, Any] = {"method": "linear-terms", "output": "terms", "terms": terms}
    if baseline is not None:
        explanation["baseline"] = baseline
    else:
        explanation["method"] = "points"
    return {
        "outputs": {
            "tensors": [_vec(primary, f"{what}, integer 6-40"),
                        _vec(f"{primary}_unrounded", unrounded),
                        _mat("terms", terms, terms_text)],
            "primary": primary, "unit": "score", "decimals": 0,
            "bounds": {"output": f"{primary}_unrounded", "min": 6, "max": 40,
                       "note": f"{rule}: {what.split(' score')[0]} bounded to 6-40"}},
        "explanation": explanation,
    }


def _round_half_up(g: Graph, x: str) -> str:
    """OPTN rounds half up (ONNX Round is half-to-even)."""
    return g.op("Floor", g.add(x, g.const(0.5)))


def _bounded_6_40(g: Graph, x: str) -> str:
    return g.op("Max", g.op("Min", x, g.const(40.0)), g.const(6.0))


def _sodium(note: str) -> dict[str, Any]:
    return {**_number("sodium", "Serum sodium", "mmol/L", [100, 180], "refuse", BOUND),
            "clamp": {"min": 125.0, "max": 137.0, "note": note}}


# -- MELD-Na (OPTN/UNOS policy 9.1.D, January 2016) ----------------------------------------
MELDNA_COLUMNS = ["creatinine", "bilirubin", "inr", "sodium", "dialysis"]
MELDNA_TERMS = [
    ("meld_i", "MELD before the sodium correction", ["creatinine", "bilirubin", "inr"]),
    ("sodium", "sodium correction", ["sodium"]),
]


def meldna_graph() -> bytes:
    g = Graph("meld_na", MELDNA_COLUMNS)
    one, four = g.const(1.0), g.const(4.0)
    cr = g.op("Min", g.op("Max", g.col("creatinine"), one), four)
    cr = g.op("Where", g.op("Greater", g.col("dialysis"), g.const(0.5)), four, cr)
    bili = g.op("Max", g.col("bilirubin"), one)
    inr = g.op("Max", g.col("inr"), one)
    linear = g.add(g.row_sum(g.mul(g.stack([g.log(cr), g.log(bili), g.log(inr)]),
                                   g.const([0.957, 0.378, 1.120], hint="weights"))),
                   g.const(0.643))
    # "rounded to the tenth decimal place and then multiplied by 10"
    meld_i = _round_half_up(g, g.mul(linear, g.const(10.0)))
    na = g.op("Min", g.op("Max", g.col("sodium"), g.const(125.0)), g.const(137.0))
    deficit = g.sub(g.const(137.0), na)
    correction = g.sub(g.mul(g.const(1.32), deficit),
                       g.mul(g.mul(g.const(0.033), meld_i), deficit))
    correction = g.op("Where", g.op("Greater", meld_i, g.const(11.0)), correction, g.const(0.0))
    raw = g.add(meld_i, correction)
    g.output(_bounded_6_40(g, _round_half_up(g, raw)), "meld_na", ["N"])
    g.output(raw, "meld_na_unrounded", ["N"])
    g.output(g.stack([meld_i, correction], hint="parts"), "terms", ["N", len(MELDNA_TERMS)])
    return g.model("MELD-Na, OPTN/UNOS policy 9.1.D (2016).")


def meldna_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins in MELDNA_TERMS]
    policy = ("OPTN/UNOS Policy 9.1.D MELD score (effective January 2016): MELD(i) = 0.957 ln "
              "creatinine + 0.378 ln bilirubin + 1.120 ln INR + 0.643, rounded to the tenth and "
              "multiplied by 10; if MELD(i) > 11, MELD = MELD(i) + 1.32 (137 - Na) - 0.033 "
              "MELD(i) (137 - Na); sodium bounded 125-137; values < 1.0 set to 1.0; creatinine "
              "capped at 4.0 and set to 4.0 with dialysis; maximum 40.")
    doc = _base("meld-na", "MELD-Na (OPTN/UNOS 2016)",
                "Model for End-Stage Liver Disease with serum sodium (6-40), as used for US liver "
                "allocation from 2016 to 2023.",
                {"population": "Adults with chronic liver disease (transplant listing, prognosis).",
                 "contraindications": ["superseded for US allocation by MELD 3.0 (2023)",
                                       "patients on anticoagulants (INR not liver-driven)"],
                 "references": [{"citation": policy},
                                {"citation": "Kim WR, Biggins SW, Kremers WK, et al. Hyponatremia "
                                             "and mortality among patients on the liver-transplant "
                                             "waiting list. N Engl J Med 2008;359:1018-1026.",
                                 "doi": "10.1056/NEJMoa0801209"}]})
    doc["superseded_by"] = ["meld-3"]
    features = [
        {**_number("creatinine", "Serum creatinine", "mg/dL", [0.1, 25], "refuse", BOUND),
         "clamp": {"min": 1.0, "max": 4.0, "note": "OPTN rule: creatinine counted between 1.0 "
                                                    "and 4.0 mg/dL"}},
        {**_number("bilirubin", "Total bilirubin", "mg/dL", [0.1, 80], "refuse", BOUND),
         "clamp": {"min": 1.0, "note": "OPTN rule: bilirubin below 1.0 counted as 1.0"}},
        {**_number("inr", "INR", "1", [0.5, 15], "refuse", BOUND),
         "clamp": {"min": 1.0, "note": "OPTN rule: INR below 1.0 counted as 1.0"}},
        _sodium("OPTN rule: sodium counted between 125 and 137 mmol/L"),
        {**_bool("dialysis", "Dialysis", DIALYSIS_TEXT),
         "category_flags": {"true": "dialysis: creatinine set to 4.0 mg/dL (OPTN rule)"}},
    ]
    doc.update({
        "inputs": {"tensors": [_x(MELDNA_COLUMNS)], "features": features},
        **_score_outputs("meld_na", "MELD-Na score", "MELD(i) plus the sodium correction, "
                         "before rounding and bounds", terms,
                         "MELD(i) and the sodium correction", "OPTN rule", None),
    })
    src = "hand calculation from OPTN/UNOS policy 9.1.D (2016)"
    base = {"creatinine": 1.9, "bilirubin": 4.2, "inr": 1.7, "dialysis": False}
    doc["test_vectors"] = [
        _test_vector("typical cirrhosis, sodium 130", {**base, "sodium": 130},
                     {"meld_na": 28, "meld_na_unrounded": 27.696}, 0.001,
                     src + ": MELD(i) 23.94 -> 24; 24 + 1.32 x 7 - 0.033 x 24 x 7 = 27.696"),
        _test_vector("sodium 137 adds nothing", {**base, "sodium": 137},
                     {"meld_na": 24}, 0, src),
        _test_vector("sodium below 125 counts as 125", {**base, "sodium": 120},
                     {"meld_na": 30, "meld_na_unrounded": 30.336}, 0.001,
                     src + ": 24 + 1.32 x 12 - 0.033 x 24 x 12 = 30.336"),
        _test_vector("no sodium correction at MELD(i) 11 or below",
                     {"creatinine": 1.0, "bilirubin": 1.5, "inr": 1.2, "sodium": 125,
                      "dialysis": False},
                     {"meld_na": 10}, 0,
                     src + ": MELD(i) = 10 x (0.378 ln 1.5 + 1.120 ln 1.2 + 0.643) = 10.005 -> 10"),
    ]
    return doc


# -- MELD 3.0 (Kim 2021; OPTN policy 9.1.D, July 2023) -------------------------------------
MELD3_COLUMNS = ["sex", "bilirubin", "sodium", "inr", "creatinine", "albumin", "dialysis"]
MELD3_TERMS = [
    ("female", "female sex", ["sex"], 1.33),
    ("ln_bilirubin", "bilirubin", ["bilirubin"], 4.56),
    ("sodium", "sodium", ["sodium"], 0.82),
    ("sodium_x_bilirubin", "sodium with bilirubin", ["sodium", "bilirubin"], -0.24),
    ("ln_inr", "INR", ["inr"], 9.09),
    ("ln_creatinine", "creatinine", ["creatinine"], 11.14),
    ("albumin", "albumin", ["albumin"], 1.85),
    ("albumin_x_creatinine", "albumin with creatinine", ["albumin", "creatinine"], -1.83),
]
MELD3_CONSTANT = 6.0


def meld3_graph() -> bytes:
    g = Graph("meld_3", MELD3_COLUMNS)
    one, three = g.const(1.0), g.const(3.0)
    bili = g.log(g.op("Max", g.col("bilirubin"), one))
    inr = g.log(g.op("Max", g.col("inr"), one))
    cr = g.op("Min", g.op("Max", g.col("creatinine"), one), three)
    cr = g.log(g.op("Where", g.op("Greater", g.col("dialysis"), g.const(0.5)), three, cr))
    na = g.sub(g.const(137.0),
               g.op("Min", g.op("Max", g.col("sodium"), g.const(125.0)), g.const(137.0)))
    alb = g.sub(g.const(3.5),
                g.op("Min", g.op("Max", g.col("albumin"), g.const(1.5)), g.const(3.5)))
    values = [g.col("sex"), bili, na, g.mul(na, bili), inr, cr, alb, g.mul(alb, cr)]
    terms = g.mul(g.stack(values, hint="term_values"),
                  g.const([c for *_, c in MELD3_TERMS], hint="coefficients"))
    raw = g.add(g.row_sum(terms), g.const(MELD3_CONSTANT))
    g.output(_bounded_6_40(g, _round_half_up(g, raw)), "meld_3", ["N"])
    g.output(raw, "meld_3_unrounded", ["N"])
    g.output(terms, "terms", ["N", len(MELD3_TERMS)])
    return g.model("MELD 3.0 (Kim 2021; OPTN policy 2023).")


def meld3_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins, _ in MELD3_TERMS]
    kim = ("Kim WR, Mannalithara A, Heimbach JK, et al. MELD 3.0: The Model for End-Stage Liver "
           "Disease Updated for the Modern Era. Gastroenterology 2021;161:1887-1895: MELD 3.0 = "
           "1.33 (female) + 4.56 ln bilirubin + 0.82 (137 - Na) - 0.24 (137 - Na) ln bilirubin + "
           "9.09 ln INR + 11.14 ln creatinine + 1.85 (3.5 - albumin) - 1.83 (3.5 - albumin) ln "
           "creatinine + 6.")
    optn = ("OPTN Policy 9.1.D (effective July 2023): values < 1.0 set to 1.0; creatinine capped "
            "at 3.0 and set to 3.0 with dialysis twice in the past week or 24 h CVVHD; sodium "
            "bounded 125-137 mmol/L; albumin bounded 1.5-3.5 g/dL; rounded to the nearest "
            "integer; maximum 40.")
    doc = _base("meld-3", "MELD 3.0 (OPTN 2023)",
                "Model for End-Stage Liver Disease 3.0 (6-40) from sex, bilirubin, sodium, INR, "
                "creatinine and albumin, as used for US liver allocation since July 2023 "
                "(adults; the paediatric-registration variant is not included).",
                {"population": "Adults (18 years or older) with chronic liver disease.",
                 "contraindications": ["patients on anticoagulants (INR not liver-driven)",
                                       "candidates registered before age 18 (a different "
                                       "constant applies; not included)"],
                 "references": [{"citation": kim, "doi": "10.1053/j.gastro.2021.08.050"},
                                {"citation": optn}]})
    features = [
        SEX,
        {**_number("bilirubin", "Total bilirubin", "mg/dL", [0.1, 80], "refuse", BOUND),
         "clamp": {"min": 1.0, "note": "OPTN rule: bilirubin below 1.0 counted as 1.0"}},
        _sodium("OPTN rule: sodium counted between 125 and 137 mmol/L"),
        {**_number("inr", "INR", "1", [0.5, 15], "refuse", BOUND),
         "clamp": {"min": 1.0, "note": "OPTN rule: INR below 1.0 counted as 1.0"}},
        {**_number("creatinine", "Serum creatinine", "mg/dL", [0.1, 25], "refuse", BOUND),
         "clamp": {"min": 1.0, "max": 3.0, "note": "OPTN rule: creatinine counted between 1.0 "
                                                    "and 3.0 mg/dL"}},
        {**_number("albumin", "Serum albumin", "g/dL", [0.5, 7], "refuse", BOUND),
         "clamp": {"min": 1.5, "max": 3.5, "note": "OPTN rule: albumin counted between 1.5 and "
                                                    "3.5 g/dL"}},
        {**_bool("dialysis", "Dialysis", DIALYSIS_TEXT),
         "category_flags": {"true": "dialysis: creatinine set to 3.0 mg/dL (OPTN rule)"}},
    ]
    doc.update({
        "inputs": {"tensors": [_x(MELD3_COLUMNS)], "features": features},
        **_score_outputs("meld_3", "MELD 3.0 score", "the formula before rounding and bounds",
                         terms, "per-term contribution (constant 6 separate)", "OPTN rule",
                         MELD3_CONSTANT),
    })
    src = "hand calculation from the Kim 2021 formula with the OPTN 2023 rules"
    base = {"bilirubin": 4.2, "sodium": 130, "inr": 1.7, "creatinine": 1.9, "albumin": 2.8,
            "dialysis": False}
    doc["test_vectors"] = [
        _test_vector("man, typical cirrhosis", {**base, "sex": "male"},
                     {"meld_3": 28, "meld_3_unrounded": 28.3195}, 0.001, src),
        _test_vector("woman, same values: 1.33 more", {**base, "sex": "female"},
                     {"meld_3": 30, "meld_3_unrounded": 29.6495}, 0.001, src),
        _test_vector("all at their floors and normal sodium and albumin",
                     {"sex": "male", "bilirubin": 0.5, "sodium": 140, "inr": 0.9,
                      "creatinine": 0.7, "albumin": 4.0, "dialysis": False},
                     {"meld_3": 6, "meld_3_unrounded": 6.0}, 0.001, src + ": only the constant"),
        _test_vector("dialysis sets creatinine to 3.0",
                     {"sex": "male", "bilirubin": 1.0, "sodium": 137, "inr": 1.0,
                      "creatinine": 1.2, "albumin": 3.5, "dialysis": True},
                     {"meld_3": 18, "meld_3_unrounded": 18.2385}, 0.001,
                     src + ": 11.14 ln 3 + 6"),
    ]
    return doc


LIVER_BUILDERS = {
    "meld-unos": (meld_manifest, meld_graph),
    "meld-na": (meldna_manifest, meldna_graph),
    "meld-3": (meld3_manifest, meld3_graph),
}
