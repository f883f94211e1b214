"""How long `clinic-app --self-test` takes, beside the cost of just starting the app.

    .venv/bin/python benchmarks/selftest.py [--repeat 5] [--bundle packaging/out/cpu/dist/clinic-app]

Baseline: `clinic-app --version` (process start, imports, argument parsing), so the ratio is
the self-test's own work. Measured for the source install and, when given (or found under
packaging/out/), for PyInstaller bundles. Each run uses a fresh temporary store path and
log folder and the built-in defaults (site and user config disabled). Prints medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, dict | None]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    report = None
    if "--json" in argv:
        report = json.loads(done.stdout)
    return seconds, done.returncode, report


def measure(name: str, command: list[str], repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CLINIC_APP_SITE_CONFIG=os.devnull, CLINIC_APP_USER_CONFIG=os.devnull,
                   QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(Path(tmp) / "state"))
        env.pop("CLINIC_APP_STORE", None)
        store = ["--store", str(Path(tmp) / "store")]
        timed([*command, "--version"], env)  # warm the page cache once for both
        version, selftest, failed, items = [], [], set(), 0
        for _ in range(repeat):  # interleaved, so load changes hit both alike
            version.append(timed([*command, "--version"], env)[0])
            seconds, _code, report = timed([*command, *store, "--self-test", "--json"], env)
            selftest.append(seconds)
            items = len(report["items"])
            failed |= {i["name"] for i in report["items"] if i["status"] == "FAIL"}
    v, s = statistics.median(version), statistics.median(selftest)
    print(f"{name:32s} --version {v:6.2f} s   --self-test {s:6.2f} s ({items} items)   "
          f"ratio {s / v:5.1f}x" + (f"   FAIL: {', '.join(sorted(failed))}" if failed else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bundle", type=Path, action="append", default=[])
    args = parser.parse_args()
    bundles = args.bundle or sorted((REPO / "packaging" / "out").glob("*/dist/clinic-app"))
    print(f"median of {args.repeat} runs (wall clock, including process start)")
    measure("source install", [sys.executable, "-m", "clinic_app"], args.repeat)
    for bundle in bundles:
        measure(f"bundle {bundle.parent.parent.name}", [str(bundle / "clinic-app")], args.repeat)


if __name__ == "__main__":
    main()
