"""Risk scoring: batched ONNX vs. a straightforward per-patient Python implementation.

    .venv/bin/python benchmarks/risk.py [--patients 100000] [--repeat 3]

Measures, for the Pooled Cohort Equations (the largest shipped graph):

1. batch scoring of N synthetic patients: one checked, batched session run beside a
   per-patient pure-Python loop of the same equation (math.log/exp, dict of coefficients);
2. the full batch path ``RiskModel.score_many`` (what ``RiskService.score_all`` runs:
   column-wise input checks, encoding, flags and explanations with numpy, one session
   run) over all N, beside the one-row path it must equal (``prepare`` + ``_result`` per
   patient around one batched run, ``score_one_by_one``: what ``score_many`` did before it
   was vectorised) on all N (or ``--sample`` of them, extrapolated), with the cyclic
   garbage collector on (as before) and paused (as ``score_many`` now runs), so the two
   effects are told apart;
   and ``score_many`` on record-style inputs (canonical units: inputs reused as given);
   plus ``to_json`` of every result (what ``score_all`` stores);
3. single-patient latency through ``RiskModel.score`` (what ``score --inputs`` and the
   physician's what-if pay per call), median of many runs, split into the plain score and
   the exact Shapley explanation against the optimal-risk reference (2^5 = 32 model rows);
   and the batch path with explanations (``score_many(reference=True)``, what
   ``score_all`` runs) against the bare ONNX run;
   and the columnar path (``risk_columns.score_columns``: columns in, value/category
   columns out, a patient's full result built only when opened), alone, with every
   explanation (``explanations()``, an export), and the cost of opening one patient;
4. agreement: max |ONNX - Python| over all patients (~1e-14: both float64), and whether
   the vectorised results equal the one-row path's on the sample (must be exactly).

The 1-minute load average is printed before and after: the dev machine is shared.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from build_risk_models import PCE_COLUMNS, PCE_MEAN, PCE_S0, PCE_TERMS

from clinic_app.core.inference.reference import explain_rows
from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import InputValue, RiskModel, as_input_values
from clinic_app.core.inference.risk_columns import score_columns
from clinic_app.core.inference.runtime import RuntimeOptions, create_session
from clinic_app.core.records.files import gc_paused

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


def columnar(model: RiskModel, x: np.ndarray, onnx_risk: np.ndarray, repeat: int) -> None:
    """score_columns against the bare run in the same rounds; explanations; one patient."""
    n = len(x)
    columns = {name: x[:, k] for k, name in enumerate(PCE_COLUMNS)}
    columns["sex"] = np.where(x[:, 1] == 1, "female", "male").tolist()
    columns["race"] = np.where(x[:, 2] == 1, "african_american", "white").tolist()
    for k, name in enumerate(PCE_COLUMNS):
        if name in ("bp_treated", "smoker", "diabetes"):
            columns[name] = x[:, k] == 1
    # Interleaved with the bare run it is compared with (the load drifts between phases).
    pair: dict[str, list[float]] = {"onnx": [], "columns": []}
    for _ in range(max(repeat, 5)):
        pair["onnx"].append(best(lambda: model.session.run_batched({"x": x}), 1))
        pair["columns"].append(best(lambda: score_columns(model, columns), 1))
    columnar_s, onnx_pair_s = min(pair["columns"]), min(pair["onnx"])
    scored = score_columns(model, columns)
    columnar_same = bool(np.allclose(scored.values, onnx_risk, rtol=0, atol=1e-12))
    explain_all_s = best(scored.explanations, 1)
    opened = []
    for i in range(200):
        t0 = time.perf_counter()
        scored.result(i)
        opened.append(time.perf_counter() - t0)
    print("columnar (score_columns: value and category columns; detail built when opened):")
    print(f"  score_columns                   {columnar_s * 1000:9.0f} ms  "
          f"{n / columnar_s:12,.0f} patients/s  ({columnar_s / onnx_pair_s:.1f}x the bare ONNX run "
          f"of the same rounds, {onnx_pair_s * 1000:.0f} ms; values equal: {columnar_same})")
    print(f"  + explanations() for all        {(columnar_s + explain_all_s) * 1000:9.0f} ms  "
          f"({(columnar_s + explain_all_s) / onnx_pair_s:.0f}x the bare ONNX run; 2^5 rows each)")
    print(f"  opening one patient (result(i): one-row path + explanation, median of 200) "
          f"{statistics.median(opened) * 1e6:.0f} us")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--columnar-only", action="store_true",
                    help="only the bare run and the columnar path (skips the slow per-row paths)")
    ap.add_argument("--sample", type=int, default=0,
                    help="run the (slow) one-row path on this many patients only and "
                         "extrapolate (default: all of them; extrapolating hides the cost of "
                         "the garbage collector walking a growing heap)")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    registry = ModelRegistry.default(None)
    model = RiskModel(create_session(registry.load("pce-ascvd-10y"),
                                     RuntimeOptions(gpu_preference="auto")))
    x = synthetic(args.patients)
    print(f"provider: {model.session.provider} (requested {model.session.requested[0]})")

    onnx_s = best(lambda: model.session.run_batched({"x": x}), args.repeat)
    rows = x.tolist()
    py_s = best(lambda: [python_pce(*r) for r in rows], args.repeat)
    onnx_risk = model.session.run_batched({"x": x})["risk"]
    if args.columnar_only:
        columnar(model, x, onnx_risk, args.repeat)
        print(f"load average (1 min) before/after: {load_before:.1f} / "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return
    py_risk = np.array([python_pce(*r) for r in rows])
    agree = float(np.max(np.abs(onnx_risk - py_risk)))

    named = [dict(zip(PCE_COLUMNS, r, strict=True)) for r in rows]
    for s in named:
        s["sex"] = "female" if s["sex"] else "male"
        s["race"] = "african_american" if s["race"] else "white"
        for k in ("bp_treated", "smoker", "diabetes"):
            s[k] = bool(s[k])
    full_rows = [as_input_values(s) for s in named]
    units = {f.name: "" if f.unit == "1" else f.unit for f in model.manifest.features}
    when = datetime(2025, 6, 1, tzinfo=UTC)
    record_rows = [{k: InputValue(k, v, units[k], when, "bundle.json Observation/1")
                    for k, v in s.items()} for s in named]
    sample = full_rows[:args.sample] if args.sample else full_rows
    scale = args.patients / len(sample)

    def one_by_one_paused() -> None:
        with gc_paused():
            model.score_one_by_one(sample)

    # Interleaved rounds, best of each: on a shared machine the load drifts between
    # phases, and measuring one path after the other would charge the drift to one of them.
    cases = {"vector": lambda: model.score_many(full_rows),
             "record": lambda: model.score_many(record_rows),
             "one_by_one": lambda: model.score_one_by_one(sample),
             "paused": one_by_one_paused}
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.repeat):
        for key, fn in cases.items():
            times[key].append(best(fn, 1))
    vector_s, record_s = min(times["vector"]), min(times["record"])
    per_row_s, paused_s = min(times["one_by_one"]) * scale, min(times["paused"]) * scale
    results = model.score_many(full_rows)
    json_s = best(lambda: [r.to_json() for r in results], args.repeat)
    same = model.score_many(sample) == model.score_one_by_one(sample)

    explained_s = best(lambda: model.score_many(full_rows, reference=True), 1)
    single = sample[0]
    prepared = model.prepare(single)
    plain, shap = [], []
    for _ in range(300):
        t0 = time.perf_counter()
        p = model.prepare(single)
        model._result(p, model.session.run({"x": p.row[None, :]}), 0, None)
        t1 = time.perf_counter()
        explain_rows(model.session, prepared.row[None, :])
        t2 = time.perf_counter()
        plain.append(t1 - t0)
        shap.append(t2 - t1)
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
    print(f"batch of {n:,} patients (best of {args.repeat}, full-path cases interleaved):")
    print(f"  ONNX batched run (checked)      {onnx_s * 1000:9.1f} ms  {n / onnx_s:12,.0f} patients/s")
    print(f"  Python per-patient loop         {py_s * 1000:9.1f} ms  {n / py_s:12,.0f} patients/s")
    print(f"  ratio Python / ONNX             {py_s / onnx_s:9.1f}x")
    print("full path: checks, encoding, flags, explanation, one session run:")
    print(f"  score_many, vectorised (all {n:,})  {vector_s * 1000:9.0f} ms  "
          f"{n / vector_s:12,.0f} patients/s")
    print(f"  score_many, record-style inputs  {record_s * 1000:9.0f} ms  "
          f"{n / record_s:12,.0f} patients/s  (canonical units, dated: inputs reused as given)")
    how = f"extrapolated from {len(sample):,}" if len(sample) < n else f"all {n:,}"
    print(f"  one-row path ({how}) {per_row_s * 1000:9.0f} ms  {n / per_row_s:12,.0f} patients/s")
    print(f"  one-row path, cyclic GC paused   {paused_s * 1000:9.0f} ms  {n / paused_s:12,.0f} patients/s")
    print(f"  ratio one-row / vectorised      {per_row_s / vector_s:9.1f}x  "
          f"(GC paused alone: {per_row_s / paused_s:.1f}x)")
    print(f"  to_json of every result (stored by score_all) {json_s * 1000:.0f} ms")
    print(f"  vectorised == one-row path ({len(sample):,} patients, every field): {same}")
    print(f"  max |ONNX - Python| risk        {agree:.1e}")
    print("single patient (median of 300):")
    print(f"  RiskModel.score (checks + run + explanation) {statistics.median(lat) * 1e6:8.0f} us")
    print(f"  Python equation alone                        {statistics.median(py_lat) * 1e6:8.1f} us")
    print(f"  plain score (checks + run + result)          {statistics.median(plain) * 1e6:8.0f} us")
    print(f"  Shapley explanation (32 rows, one run)       {statistics.median(shap) * 1e6:8.0f} us  "
          f"({statistics.median(shap) / statistics.median(plain):.1f}x the plain score)")
    print("batch with explanations (what score_all runs):")
    print(f"  score_many(reference=True)      {explained_s * 1000:9.0f} ms  "
          f"{n / explained_s:12,.0f} patients/s  ({explained_s / onnx_s:.0f}x the bare ONNX run)")
    columnar(model, x, onnx_risk, args.repeat)
    print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
