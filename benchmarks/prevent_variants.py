"""PREVENT add-on models beside the base PREVENT: what one more PREVENT costs, in one run.

    .venv/bin/python benchmarks/prevent_variants.py [--patients 20000] [--repeat 3]

A patient with a urine albumin result (and/or an HbA1c) gets a PREVENT add-on model scored
beside the base one; the full model (UACR + HbA1c, 25 terms) is the largest. Measured on
the same synthetic patients, base 10-year PREVENT (23 terms) as the baseline:

1. the bare batched ONNX run (checked session run);
2. the full batch path ``score_many(reference=True)`` (what ``score_all`` runs);
3. single-patient ``RiskModel.score`` with its explanation (what opening a patient pays
   per model), median of 300 runs.

Patients without the extra inputs pay only the one or two record look-ups that find them
missing (``RiskService._lacks_variant_inputs``); that is not measured here. Ratios are
full model / base. The 1-minute load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from china_par import measure  # benchmarks/china_par.py, beside this script

from clinic_app.core.inference.registry import ModelRegistry
from clinic_app.core.inference.risk import RiskModel
from clinic_app.core.inference.runtime import RuntimeOptions, create_session


def rows(n: int, rng: np.random.Generator) -> list[dict[str, object]]:
    return [{"age": int(rng.integers(30, 80)), "sex": ("female", "male")[i % 2],
             "total_cholesterol": float(rng.uniform(130, 320)),
             "hdl_cholesterol": float(rng.uniform(20, 100)),
             "systolic_bp": float(rng.uniform(90, 200)), "bp_treated": bool(i % 3 == 0),
             "statin": bool(i % 4 == 0), "smoker": bool(i % 5 == 0),
             "diabetes": bool(i % 7 == 0), "egfr": float(rng.uniform(15, 140)),
             "bmi": float(rng.uniform(18.5, 39.9)), "uacr": float(np.exp(rng.uniform(0, 7))),
             "hba1c": float(rng.uniform(4.5, 12)), "known_cvd": False} for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    registry = ModelRegistry.default(None)
    options = RuntimeOptions(gpu_preference="cpu")
    base = RiskModel(create_session(registry.load("prevent-10y"), options))
    full = RiskModel(create_session(registry.load("prevent-full-10y"), options))
    data = rows(args.patients, np.random.default_rng(7))
    base_data = [{k: v for k, v in r.items() if k not in ("uacr", "hba1c")} for r in data]
    measure(base, base_data[:500], 1)  # warm both sessions before timing
    measure(full, data[:500], 1)
    a = measure(base, base_data, args.repeat)
    b = measure(full, data, args.repeat)
    print(f"{args.patients:,} synthetic patients, CPU, best of {args.repeat}:")
    print(f"{'':34}{'PREVENT':>12}{'full model':>12}{'ratio':>8}")
    print(f"{'bare batched ONNX run':34}{a['bare'] * 1e3:10.1f}ms{b['bare'] * 1e3:10.1f}ms"
          f"{b['bare'] / a['bare']:7.2f}x")
    print(f"{'score_many(reference=True)':34}{a['full'] * 1e3:10.0f}ms{b['full'] * 1e3:10.0f}ms"
          f"{b['full'] / a['full']:7.2f}x")
    print(f"{'single RiskModel.score (median)':34}{a['one'] * 1e6:10.0f}us{b['one'] * 1e6:10.0f}us"
          f"{b['one'] / a['one']:7.2f}x")
    print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
