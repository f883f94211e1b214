"""Start-up cost: CPU seconds of fresh processes, against ``python -c pass``.

    .venv/bin/python benchmarks/startup.py [--repeat 5] [--store DIR]

Each case runs in a new interpreter (what a user pays), best of ``--repeat``, CPU time
(user + system of the child, from ``resource.getrusage``) because the development machine
is shared and wall time there says more about the neighbours than about us:

* ``python -c pass``: the interpreter alone (the baseline);
* ``clinic-app --version``: target <= 150 ms;
* a calculator call, ``clinic-app score --model pce-ascvd-10y --inputs FILE.json``: target
  <= 400 ms; also printed: the same with ``-X importtime`` summed by top-level package, so
  what dominates is visible;
* GUI launch to the sign-in window (``--store`` an existing store; offscreen Qt):
  QApplication, the service facade and the LoginDialog shown, then exit.

Wall time is printed beside CPU time, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PCE = {"age": 55, "sex": "male", "race": "white", "total_cholesterol": 213,
       "hdl_cholesterol": 50, "systolic_bp": 120, "bp_treated": False, "smoker": False,
       "diabetes": False}
SIGN_IN = """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from clinic_app.config import load_settings
from clinic_app.ui.app import create_application
from clinic_app.services import Services
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.workers import WorkerPool
settings = load_settings(Path(sys.argv[1]))
app = create_application()
services = Services(settings)
dialog = LoginDialog(services, WorkerPool())
dialog.show()
app.processEvents()
assert dialog.isVisible()
services.close()
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # In the tree's root: ``-m`` puts the working folder first on sys.path.
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False,
                          cwd=env.get("PYTHONPATH", str(ROOT)))
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed: {done.stderr.strip()[-400:]}")
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


def best(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd, env) for _ in range(repeat)]
    return min(c for c, _ in runs), min(w for _, w in runs)


def import_profile(cmd: list[str], env: dict[str, str]) -> list[tuple[str, float]]:
    """Self import time (s) per top-level package, largest first."""
    done = subprocess.run([PY, "-X", "importtime", *cmd[1:]], env=env, capture_output=True,
                          text=True, check=False)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            self_us = int(parts[0].split(":")[1])
        except ValueError:
            continue
        top = parts[2].strip().split(".")[0]
        totals[top] = totals.get(top, 0.0) + self_us / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])[:8]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--store", type=Path, help="an existing store, for the sign-in case")
    ap.add_argument("--baseline-tree", type=Path,
                    help="another checkout (e.g. main) whose calculator call is measured in the "
                         "same rounds, for a before/after ratio on a shared machine")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.json"
        inputs.write_text(json.dumps(PCE))
        env["CLINIC_APP_STORE"] = str(Path(tmp) / "store")
        calc = [PY, "-m", "clinic_app", "score", "--model", "pce-ascvd-10y", "--inputs",
                str(inputs)]
        cases = {"python -c pass": [PY, "-c", "pass"],
                 "clinic-app --version": [PY, "-m", "clinic_app", "--version"],
                 "calculator (score --inputs)": calc}
        if args.store:
            cases["GUI to the sign-in window"] = [PY, "-c", SIGN_IN, str(args.store)]
        envs = {name: env for name in cases}
        if args.baseline_tree:
            name = f"calculator, {args.baseline_tree}"
            cases[name] = calc
            envs[name] = {**env, "PYTHONPATH": str(args.baseline_tree.resolve())}
        # Rounds over all cases (not case after case): the load drifts on a shared machine.
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, cmd in cases.items():
                runs[name].append(run(cmd, envs[name]))
        results = {name: (min(c for c, _ in r), min(w for _, w in r)) for name, r in runs.items()}
        profile = import_profile(calc, env)
    base = results["python -c pass"][0]
    print(f"best of {args.repeat}, CPU = user + system of the child process:")
    for name, (cpu, wall) in results.items():
        print(f"  {name:30s} CPU {cpu * 1000:7.0f} ms  ({cpu / base:5.1f}x python -c pass)  "
              f"wall {wall * 1000:7.0f} ms")
    print("calculator call: self import time by package (s):")
    for top, seconds in profile:
        print(f"  {top:24s} {seconds:6.3f}")
    print(f"load average (1 min) before/after: {load:.1f} / {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
