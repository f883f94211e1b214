"""China-PAR beside PCE: what scoring one more ASCVD model costs, measured in one run.

    .venv/bin/python benchmarks/china_par.py [--patients 20000] [--repeat 3]

China-PAR (15 terms, 2 groups, 12 inputs) is scored at a Chinese site in addition to the
Pooled Cohort Equations (13 terms, 4 groups, 9 inputs), so its cost is measured against
PCE's on the same machine in the same run, each on the same number of synthetic patients:

1. the bare batched ONNX run (checked session run);
2. the full batch path ``score_many(reference=True)`` (checks, encoding, flags, the exact
   Shapley explanation: what ``RiskService.score_all`` runs);
3. single-patient ``RiskModel.score`` (what the risk panel and what-if pay per call),
   median of 300 runs.

Ratios are China-PAR / PCE. The 1-minute load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from risk import best  # benchmarks/risk.py, beside this script

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.runtime import RuntimeOptions, create_session


def pce_rows(n: int, rng: np.random.Generator) -> list[dict[str, object]]:
    return [{"age": int(rng.integers(40, 80)), "sex": ("female", "male")[i % 2],
             "race": ("white", "african_american")[(i // 2) % 2],
             "total_cholesterol": float(rng.uniform(130, 320)),
             "hdl_cholesterol": float(rng.uniform(20, 100)),
             "systolic_bp": float(rng.uniform(90, 200)), "bp_treated": bool(i % 3 == 0),
             "smoker": bool(i % 5 == 0), "diabetes": bool(i % 7 == 0)} for i in range(n)]


def china_rows(n: int, rng: np.random.Generator) -> list[dict[str, object]]:
    return [{"age": int(rng.integers(35, 75)), "sex": ("female", "male")[i % 2],
             "total_cholesterol": float(rng.uniform(130, 320)),
             "hdl_cholesterol": float(rng.uniform(20, 100)),
             "systolic_bp": float(rng.uniform(90, 200)), "bp_treated": bool(i % 3 == 0),
             "smoker": bool(i % 5 == 0), "diabetes": bool(i % 7 == 0),
             "waist_circumference": float(rng.uniform(60, 120)),
             "region": ("north", "south")[(i // 2) % 2],
             "urbanisation": ("urban", "rural")[(i // 3) % 2],
             "family_history_ascvd": bool(i % 4 == 0)} for i in range(n)]


def measure(model: RiskModel, rows: list[dict[str, object]], repeat: int) -> dict[str, float]:
    values = [as_input_values(r) for r in rows]
    x = np.array([model.prepare(v).row for v in values])
    bare = best(lambda: model.session.run_batched({"x": x}), repeat)
    full = best(lambda: model.score_many(values, reference=True), repeat)
    lat = []
    for v in values[:300]:
        t0 = time.perf_counter()
        model.score(v)
        lat.append(time.perf_counter() - t0)
    return {"bare": bare, "full": full, "one": statistics.median(lat)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    registry = ModelRegistry.default(None)
    options = RuntimeOptions(gpu_preference="cpu")
    pce = RiskModel(create_session(registry.load("pce-ascvd-10y"), options))
    cpar = RiskModel(create_session(registry.load("china-par-ascvd-10y"), options))
    rng = np.random.default_rng(7)
    pce_data, cpar_data = pce_rows(args.patients, rng), china_rows(args.patients, rng)
    measure(pce, pce_data[:500], 1)  # warm both sessions before timing
    measure(cpar, cpar_data[:500], 1)
    a = measure(pce, pce_data, args.repeat)
    b = measure(cpar, cpar_data, args.repeat)
    n = args.patients
    print(f"{n:,} synthetic patients each, CPU, best of {args.repeat}:")
    print(f"{'':34}{'PCE':>12}{'China-PAR':>12}{'ratio':>8}")
    print(f"{'bare batched ONNX run':34}{a['bare'] * 1e3:10.1f}ms{b['bare'] * 1e3:10.1f}ms"
          f"{b['bare'] / a['bare']:7.2f}x")
    print(f"{'score_many(reference=True)':34}{a['full'] * 1e3:10.0f}ms{b['full'] * 1e3:10.0f}ms"
          f"{b['full'] / a['full']:7.2f}x")
    print(f"{'single RiskModel.score (median)':34}{a['one'] * 1e6:10.0f}us{b['one'] * 1e6:10.0f}us"
          f"{b['one'] / a['one']:7.2f}x")
    print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
