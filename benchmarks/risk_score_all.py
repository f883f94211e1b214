"""Where ``RiskService.score_all`` spends its time, on a real store; old tree vs new.

    .venv/bin/python benchmarks/risk_score_all.py [--patients 300] [--baseline-tree DIR]

Issue 16 asks for batch results to be columnar (``risk_columns.score_columns``) instead
of the per-row ``RiskModel.score_many``. ``benchmarks/risk.py`` measures the two model
paths alone; this script measures the whole service call (record look-ups, scoring,
storing, audit) on a real encrypted store with a synthetic cohort, so the share a switch
could save is known before the stored snapshot (which the patient list, follow-up, CLI
and report read back) is redesigned around it.

Phases, from one profiled ``score_all`` run (cProfile cumulative times; the profiler
inflates every phase, so shares, not milliseconds, are the figures):

* gathering inputs from the record (``RiskService._inputs``, ``_lacks_variant_inputs``);
* scoring (``RiskModel.score_many(reference=True)``: results with their explanations);
* storing (``ResultStore.save_many``, ``save_not_computed``) and the audit entries.

Also the CPU time of ``score_patient(store=False)`` (every model for one patient, what
opening a patient scores), mean over 30 patients.

Then, outside the profiler, the same complete input rows as ``score_all`` handed to
``score_many`` are scored again both ways in one run: ``score_many(reference=True)``
(today) and ``score_columns`` (values, categories, refusals only; detail built when a
patient is opened).

With ``--baseline-tree`` (a checkout of the code before a change, e.g. main), the same
figures are taken for that tree's ``clinic_app`` and for this one, each in its own child
process, one after the other in one run, and the ratio of ``score_all`` times is printed.
The 1-minute load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.inference.risk import InputValue, RiskModel
from clinic_app.core.inference.risk_columns import score_columns
from clinic_app.core.security.roles import Role
from clinic_app.services import Services
from clinic_app.services.store_init import NewAccount
from clinic_app.synthetic.cohort import generate_cohort

#: phase -> (file, function) pairs whose cumulative profiled time it is
PHASES = {
    "gather inputs (record look-ups)": (("services/risk.py", "_inputs"),
                                        ("services/risk.py", "_lacks_variant_inputs")),
    "score_many(reference=True)": (("core/inference/risk.py", "score_many"),),
    "store results + not-computed": (("core/inference/results.py", "save_many"),
                                     ("core/inference/results.py", "save_not_computed")),
    "audit entries": (("services/context.py", "audit"),),
}


def make_store(root: Path, n: int) -> tuple[Services, Any]:
    services = Services(Settings(store_dir=root / "store", log_dir=root / "logs"),
                        clock=ManualClock())
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "admin-password-123"),
                             [NewAccount("phys", Role.PHYSICIAN, "initial-phys-pass-1")])
    first = services.auth.login("phys", "initial-phys-pass-1")
    services.auth.change_password(first, "initial-phys-pass-1", "physician-pass-123")
    services.auth.logout(first)
    phys = services.auth.login("phys", "physician-pass-123")
    bundle = generate_cohort(n, seed=11).write_bundle(root / "cohort.json")
    assert services.records.import_files(phys, [bundle]).ok
    return services, phys


def measure(n: int) -> dict[str, Any]:
    """One tree's figures (the ``clinic_app`` on PYTHONPATH), on a fresh store."""
    root = Path(tempfile.mkdtemp(prefix="risk-score-all-"))
    try:
        services, phys = make_store(root, n)
        services.risk.score_all(phys)  # warm: sessions built, caches filled
        captured: list[tuple[RiskModel, list[Mapping[str, InputValue]]]] = []
        original = RiskModel.score_many

        def capturing(self: RiskModel, rows: Sequence[Mapping[str, InputValue]],
                      **kw: Any) -> Any:
            captured.append((self, list(rows)))
            return original(self, rows, **kw)

        RiskModel.score_many = capturing  # type: ignore[method-assign]
        t0, c0 = time.perf_counter(), time.process_time()
        services.risk.score_all(phys)
        plain, cpu = time.perf_counter() - t0, time.process_time() - c0
        RiskModel.score_many = original  # type: ignore[method-assign]
        t0, c0 = time.perf_counter(), time.process_time()
        services.risk.score_all(phys)
        plain, cpu = min(plain, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
        profiler = cProfile.Profile()
        profiler.enable()
        services.risk.score_all(phys)
        profiler.disable()
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        total = max(v[3] for v in stats.values())
        # SQL statements run: a count the machine's load does not change
        sql = sum(v[1] for (_, _, fn), v in stats.items()
                  if fn.startswith("<method 'execute") and "Connection" in fn)
        shares = {phase: sum(v[3] for (path, _, fn), v in stats.items()
                             if any(path.endswith(f) and fn == name for f, name in where))
                  / total for phase, where in PHASES.items()}
        many = columns = 0.0
        rows_total = 0
        for model, rows in captured:
            if not rows:
                continue
            rows_total += len(rows)
            t0 = time.perf_counter()
            model.score_many(rows, reference=True)
            many += time.perf_counter() - t0
            names = sorted({k for r in rows for k in r})
            cols = {k: [r[k].value if k in r else None for r in rows] for k in names}
            t0 = time.perf_counter()
            score_columns(model, cols, as_of=datetime.now(UTC))
            columns += time.perf_counter() - t0
        mrns = [q.mrn for q in services.records.list_patients(phys)][:30]
        c0 = time.process_time()
        for mrn in mrns:  # what opening a patient scores (every model, nothing stored)
            services.risk.score_patient(phys, mrn, store=False)
        one = (time.process_time() - c0) / len(mrns)
        services.close()
        return {"score_all": plain, "cpu": cpu, "score_patient": one, "shares": shares, "rows": rows_total, "sql": sql,
                "score_many": many, "score_columns": columns}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(name: str, m: dict[str, Any]) -> None:
    print(f"{name}: score_all {m['score_all'] * 1000:.0f} ms wall, {m['cpu'] * 1000:.0f} ms CPU "
          "(the round with the best wall time, unprofiled), "
          f"{m['sql']:,} SQL statements; score_patient {m['score_patient'] * 1000:.1f} ms CPU "
          "per patient (mean of 30)")
    for phase, share in m["shares"].items():
        print(f"  {phase:36} {share * 100:6.1f} % of the profiled call")
    print(f"  the same {m['rows']} complete rows, scoring only: score_many(reference=True) "
          f"{m['score_many'] * 1000:.1f} ms, score_columns {m['score_columns'] * 1000:.1f} ms; "
          f"a switch could save {(m['score_many'] - m['score_columns']) / m['score_all'] * 100:.1f}"
          " % of score_all")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=300)
    ap.add_argument("--baseline-tree", type=Path,
                    help="a checkout whose clinic_app is the baseline (e.g. main before the "
                         "change); measured in a child process, this tree in another")
    ap.add_argument("--rounds", type=int, default=2, help="trees measured alternately")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:
        print(json.dumps(measure(args.patients)))
        return
    load_before = os.getloadavg()[0]
    here = Path(__file__).resolve().parents[1]
    trees = {"this tree": here}
    if args.baseline_tree:
        trees = {"baseline": args.baseline_tree.resolve(), **trees}
    results: dict[str, dict[str, Any]] = {}
    cpus: dict[str, list[float]] = {}
    for _ in range(args.rounds):  # alternately, so a change in load hits both trees
        for name, tree in trees.items():  # each in its own process: one clinic_app each
            out = subprocess.run([sys.executable, __file__, "--json", "--patients",
                                  str(args.patients)], capture_output=True, text=True,
                                 check=True, env={**os.environ, "PYTHONPATH": str(tree)})
            m = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"  round: {name} score_all {m['score_all'] * 1000:.0f} ms wall, "
                  f"{m['cpu'] * 1000:.0f} ms CPU", flush=True)
            cpus.setdefault(name, []).append(m["cpu"])
            if name not in results or m["score_all"] < results[name]["score_all"]:
                results[name] = m
    print(f"{args.patients} synthetic patients, every offered risk model, real store:")
    for name, m in results.items():
        report(f"{name} ({trees[name]})", m)
    if "baseline" in results:
        new, old = results["this tree"], results["baseline"]
        print(f"score_all this tree / baseline: {new['score_all'] / old['score_all']:.2f}x "
              f"wall (best of each), CPU {min(cpus['this tree']) / min(cpus['baseline']):.2f}x "
              "(best), "
              f"{statistics.median(cpus['this tree']) / statistics.median(cpus['baseline']):.2f}x "
              f"(median); SQL statements {new['sql'] / old['sql']:.2f}x; score_patient CPU "
              f"{new['score_patient'] / old['score_patient']:.2f}x")
    print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
