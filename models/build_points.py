"""Point scores for stroke risk in atrial fibrillation: CHA2DS2-VASc and CHA2DS2-VA.

Build time only (see build_risk_models.py). Both apply to patients with atrial
fibrillation; their manifests say so twice: an applicability flag when AF is not recorded,
and an ``advice`` block that replaces the category (the treatment advice) with
"not applicable: no AF recorded".
"""

from __future__ import annotations

from typing import Any

from graph_builder import Graph
from risk_parts import SEX, _base, _bool, _mat, _number, _test_vector, _vec, _x

ADVICE_RELEASE = ("1.1.0", "2026-12-06",
                  "Anticoagulation advice only where atrial fibrillation is recorded "
                  "(otherwise 'not applicable: no AF recorded'); superseded in the ESC 2024 "
                  "guideline by CHA2DS2-VA (sex category removed). Points unchanged.")
AF_ONLY = {"requires": ["atrial_fibrillation"], "not_applicable": "not applicable: no AF recorded"}
AF_BANDS = [{"label": "low (anticoagulation not indicated)", "below": 1},
            {"label": "intermediate (consider anticoagulation)", "below": 2},
            {"label": "high (anticoagulation recommended)"}]
NO_ITEMS = {"chf": False, "hypertension": False, "diabetes": False, "stroke_tia": False,
            "vascular_disease": False, "atrial_fibrillation": True}


def _af_only(score: str) -> list[dict[str, Any]]:
    return [{"feature": "atrial_fibrillation", "equals": True,
             "otherwise": f"no atrial fibrillation recorded: {score} applies only to patients "
                          "with AF",
             "when_missing": f"atrial fibrillation status not given: {score} applies only to "
                             "patients with AF"}]


AF_FEATURE = {**_bool("atrial_fibrillation", "Atrial fibrillation",
                      "The patient has atrial fibrillation (the score applies only then)."),
              "role": "context"}


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
                                 "doi": "10.1093/eurheartj/ehaa612"}]},
                later=(ADVICE_RELEASE,))
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
        AF_FEATURE,
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
                           "bands": AF_BANDS}},
        "explanation": {"method": "points", "output": "points", "terms": terms},
        "advice": AF_ONLY,
        "applicability": _af_only("CHA2DS2-VASc"),
    })
    none = NO_ITEMS
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


# -- CHA2DS2-VA (ESC 2024) -----------------------------------------------------------------
# Van Gelder IC, Rienstra M, Bunting KV, et al. 2024 ESC Guidelines for the management of
# atrial fibrillation. Eur Heart J 2024;45:3314-3414: CHA2DS2-VASc without the sex category.
VA_COLUMNS = ["age", "chf", "hypertension", "diabetes", "stroke_tia", "vascular_disease"]
VA_TERMS = [t for t in CHA_TERMS if t[0] != "female"]


def cha2ds2va_graph() -> bytes:
    g = Graph("cha2ds2_va", VA_COLUMNS)
    age = g.col("age")
    ge75 = g.op("Cast", g.op("GreaterOrEqual", age, g.const(75.0)), to=11)
    age65_74 = g.op("Cast", g.op("And", g.op("GreaterOrEqual", age, g.const(65.0)),
                                 g.op("Less", age, g.const(75.0))), to=11)
    two = g.const(2.0)
    points = [g.col("chf"), g.col("hypertension"), g.mul(ge75, two), g.col("diabetes"),
              g.mul(g.col("stroke_tia"), two), g.col("vascular_disease"), age65_74]
    terms = g.stack(points, hint="points")
    g.output(g.row_sum(terms), "score", ["N"])
    g.output(terms, "points", ["N", len(VA_TERMS)])
    return g.model("CHA2DS2-VA stroke risk score in atrial fibrillation (ESC 2024).")


def cha2ds2va_manifest() -> dict[str, Any]:
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins in VA_TERMS]
    esc = ("Van Gelder IC, Rienstra M, Bunting KV, et al. 2024 ESC Guidelines for the management "
           "of atrial fibrillation. Eur Heart J 2024;45:3314-3414 (CHA2DS2-VA: oral "
           "anticoagulation recommended at 2 or more, to be considered at 1).")
    doc = _base("cha2ds2-va", "CHA2DS2-VA (stroke risk in atrial fibrillation, ESC 2024)",
                "Point score (0-8) for stroke and thromboembolism risk in atrial fibrillation: "
                "CHA2DS2-VASc without the sex category, as the 2024 ESC guideline uses it to "
                "decide on oral anticoagulation.",
                {"population": "Adults with atrial fibrillation (not with a mechanical valve or "
                               "moderate-severe mitral stenosis).",
                 "contraindications": ["no atrial fibrillation (the score is not validated "
                                       "outside AF)", "mechanical heart valve or moderate-severe "
                                       "mitral stenosis"],
                 "references": [{"citation": esc, "doi": "10.1093/eurheartj/ehae176"},
                                {"citation": "Lip GYH et al. Chest 2010;137:263-272 (the point "
                                             "items and their weights).",
                                 "doi": "10.1378/chest.09-1584"}]})
    features = [
        _number("age", "Age", "a", [18, 120], "refuse",
                "adults (ESC 2024 AF guideline); upper bound app-defined"),
        _bool("chf", "Heart failure / LV dysfunction", "Heart failure, or LV systolic dysfunction."),
        _bool("hypertension", "Hypertension", "Hypertension (diagnosis or treatment)."),
        _bool("diabetes", "Diabetes", "Diabetes mellitus."),
        _bool("stroke_tia", "Prior stroke/TIA/thromboembolism",
              "Previous stroke, TIA or thromboembolism."),
        _bool("vascular_disease", "Vascular disease",
              "Prior myocardial infarction, peripheral artery disease or aortic plaque."),
        AF_FEATURE,
    ]
    doc.update({
        "inputs": {"tensors": [_x(VA_COLUMNS)], "features": features},
        "outputs": {
            "tensors": [_vec("score", "CHA2DS2-VA points 0-8"),
                        _mat("points", terms, "points per item")],
            "primary": "score", "unit": "points", "decimals": 0,
            "categories": {"source": "2024 ESC AF guideline",
                           "bands": AF_BANDS}},
        "explanation": {"method": "points", "output": "points", "terms": terms},
        "advice": AF_ONLY,
        "applicability": _af_only("CHA2DS2-VA"),
    })
    none = NO_ITEMS
    src = "ESC 2024 AF guideline, CHA2DS2-VA point table"
    doc["test_vectors"] = [
        _test_vector("aged 50, no risk factors", {**none, "age": 50}, {"score": 0}, 0, src),
        _test_vector("aged 78 with hypertension", {**none, "age": 78, "hypertension": True},
                     {"score": 3}, 0, src + ": age >= 75 (2) + hypertension (1); sex adds nothing"),
        _test_vector("aged 70 with diabetes", {**none, "age": 70, "diabetes": True},
                     {"score": 2}, 0, src + ": age 65-74 (1) + diabetes (1)"),
        _test_vector("aged 80 with every item", {"age": 80, "chf": True, "hypertension": True,
                                                 "diabetes": True, "stroke_tia": True,
                                                 "vascular_disease": True,
                                                 "atrial_fibrillation": True},
                     {"score": 8}, 0, src + ": the maximum is 8"),
        _test_vector("age 65 counts 1", {**none, "age": 65}, {"score": 1}, 0,
                     src + ": age 65-74 scores 1"),
    ]
    return doc


POINT_BUILDERS = {
    "cha2ds2-vasc": (cha2ds2vasc_manifest, cha2ds2vasc_graph),
    "cha2ds2-va": (cha2ds2va_manifest, cha2ds2va_graph),
}
