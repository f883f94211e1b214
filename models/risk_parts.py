"""Pieces shared by the risk-equation build scripts (features, manifest skeleton, Cox graph).

Build time only; imported by build_risk_models.py and the per-family builders beside it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from graph_builder import OPSET, Graph

CHANGED = "2026-11-28"
EXPLAINED = "2026-12-06"  # release adding explanations against optimal risk factors
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


def _base(pid: str, name: str, description: str, intended: dict[str, Any],
          later: tuple[tuple[str, str, str], ...] = ()) -> dict[str, Any]:
    """The manifest skeleton; ``later`` adds (version, date, changes) releases after 1.0.0."""
    changelog = [{"version": "1.0.0", "date": CHANGED,
                  "changes": "First release, built from the published coefficients."}]
    changelog += [{"version": v, "date": d, "changes": c} for v, d, c in later]
    return {
        "manifest_version": 1, "id": pid, "name": name, "version": changelog[-1]["version"],
        "task": "risk-score", "description": description, "authors": AUTHORS,
        "license": LICENSE, "changelog": changelog,
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



# -- explanation against optimal risk factors ---------------------------------------------
ESTIMATOR_PLUS = ("ACC ASCVD Risk Estimator Plus: optimal risk factors are total cholesterol "
                  "170 mg/dL, HDL 50 mg/dL, systolic blood pressure 110 mmHg untreated, "
                  "non-smoker, no diabetes")
OPTIMAL_VALUES: dict[str, Any] = {"total_cholesterol": 170, "hdl_cholesterol": 50,
                                  "systolic_bp": 110, "bp_treated": False, "smoker": False,
                                  "diabetes": False}
MODIFIABLE = [
    {"name": "total_cholesterol", "label": "Total cholesterol", "inputs": ["total_cholesterol"]},
    {"name": "hdl_cholesterol", "label": "HDL cholesterol", "inputs": ["hdl_cholesterol"]},
    {"name": "blood_pressure", "label": "Blood pressure",
     "inputs": ["systolic_bp", "bp_treated"]},
    {"name": "smoking", "label": "Smoking", "inputs": ["smoker"]},
    {"name": "diabetes", "label": "Diabetes", "inputs": ["diabetes"]},
]


def optimal_reference(kept: str) -> dict[str, Any]:
    """The explanation's reference patient: same ``kept`` inputs, optimal modifiable ones."""
    return {"name": f"same {kept}, optimal risk factors", "source": ESTIMATOR_PLUS,
            "values": dict(OPTIMAL_VALUES), "players": [dict(p) for p in MODIFIABLE]}
