"""Risk scoring: batched ONNX vs. a straightforward per-patient Python implementation.

    .venv/bin/python benchmarks/risk.py [--patients 100000] [--repeat 3]

Measures, for the Pooled Cohort Equations (the largest shipped graph):

1. batch scoring of N synthetic patients: one checked, batched session run (the path
   ``RiskService.score_all`` uses) beside a per-patient pure-Python loop of the same
   equation (math.log/exp, dict of coefficients), and beside the full per-patient
   path (input checks + encoding + explanation, ``RiskModel.score``) on a sample;
2. single-patient latency through ``RiskModel.score`` (what ``score --inputs`` and the
   physician's what-if pay per call), median of many runs;
3. agreement: max |ONNX - Python| over all patients (must be ~1e-15: both float64).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from build_risk_models import PCE_COLUMNS, PCE_MEAN, PCE_S0, PCE_TERMS

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session

GROUPS = [("female", 0.0), ("female", 1.0), ("male", 0.0), ("male", 1.0)]


def synthetic(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.empty((n, len(PCE_COLUMNS)))
    x[:, 0] = rng.integers(40, 80, n)
    x[:, 1] = rng.integers(0, 2, n)  # female
    x[:, 2] = rng.integers(0, 2, n)  # african american
    x[:, 3] = rng.uniform(130, 320, n)
    x[:, 4] = rng.uniform(20, 100, n)
    x[:, 5] = rng.uniform(90, 200, n)
    x[:, 6:9] = rng.integers(0, 2, (n, 3))
    return x


def python_pce(age, female, aa, tc, hdl, sbp, treated, smoker, diabetes) -> float:
    """The equation as a clinician's spreadsheet would write it, one patient at a time."""
    g = (0 if aa == 0 else 1) + (0 if female == 1 else 2)
    la, lt, lh, ls = math.log(age), math.log(tc), math.log(hdl), math.log(sbp)
    values = [la, la * la, lt, la * lt, lh, la * lh, ls * treated, la * ls * treated,
              ls * (1 - treated), la * ls * (1 - treated), smoker, la * smoker, diabetes]
    s = sum(v * coefs[g] for v, (_, _, _, coefs) in zip(values, PCE_TERMS, strict=True))
    return 1 - PCE_S0[g] ** math.exp(s - PCE_MEAN[g])


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    registry = ModelRegistry.default(None)
    model = RiskModel(create_session(registry.load("pce-ascvd-10y"),
                                     RuntimeOptions(gpu_preference="auto")))
    x = synthetic(args.patients)
    print(f"provider: {model.session.provider} (requested {model.session.requested[0]})")

    onnx_s = best(lambda: model.session.run_batched({"x": x}), args.repeat)
    rows = x.tolist()
    py_s = best(lambda: [python_pce(*r) for r in rows], args.repeat)
    onnx_risk = model.session.run_batched({"x": x})["risk"]
    py_risk = np.array([python_pce(*r) for r in rows])
    agree = float(np.max(np.abs(onnx_risk - py_risk)))

    sample = [dict(zip(PCE_COLUMNS, r, strict=True)) for r in rows[:2000]]
    for s in sample:
        s["sex"] = "female" if s["sex"] else "male"
        s["race"] = "african_american" if s["race"] else "white"
        for k in ("bp_treated", "smoker", "diabetes"):
            s[k] = bool(s[k])
    full_rows = [as_input_values(s) for s in sample]
    full_s = best(lambda: model.score_many(full_rows), args.repeat) * args.patients / len(sample)

    single = as_input_values(sample[0])
    lat = []
    for _ in range(300):
        t0 = time.perf_counter()
        model.score(single)
        lat.append(time.perf_counter() - t0)
    py_lat = []
    for _ in range(300):
        t0 = time.perf_counter()
        python_pce(*rows[0])
        py_lat.append(time.perf_counter() - t0)

    n = args.patients
    print(f"batch of {n:,} patients (best of {args.repeat}):")
    print(f"  ONNX batched run (checked)      {onnx_s * 1000:9.1f} ms  {n / onnx_s:12,.0f} patients/s")
    print(f"  Python per-patient loop         {py_s * 1000:9.1f} ms  {n / py_s:12,.0f} patients/s")
    print(f"  ratio Python / ONNX             {py_s / onnx_s:9.1f}x")
    print(f"  full path incl. checks, encoding and explanation (score_many, extrapolated from "
          f"{len(sample)}): {full_s * 1000:.0f} ms ({n / full_s:,.0f} patients/s)")
    print(f"  max |ONNX - Python| risk        {agree:.1e}")
    print("single patient (median of 300):")
    print(f"  RiskModel.score (checks + run + explanation) {statistics.median(lat) * 1e6:8.0f} us")
    print(f"  Python equation alone                        {statistics.median(py_lat) * 1e6:8.1f} us")


if __name__ == "__main__":
    main()
