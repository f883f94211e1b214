"""Records import: CPU seconds per phase (parse, store, executemany), beside a baseline tree.

Wall time on the shared 2-core machine swings by 2x with the other sessions' tests;
CPU time of this process swings far less, so this script says where an import's own
work goes: ``parse`` (files._parse_bytes: JSON, checks, items), ``store``
(store_parsed, including ``executemany``: the SQLCipher insert) and ``total``
(the whole service call, audit included). Each (tree, case) runs in its own process,
alternating trees, and the minimum over ``--runs`` is kept.

Run:  .venv/bin/python benchmarks/records_cpu_phases.py --before REV [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, os.environ.get("CLINIC_TREE") or str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parent))


def _measure(data: Path) -> dict[str, float]:
    """CPU seconds per phase of one service import of ``data`` (in this process)."""
    import records_import as ri

    from clinic_app.core.records import files
    from clinic_app.core.records.repository import RecordRepository
    from clinic_app.services import records as svc

    acc: dict[str, float] = {}

    def timed(owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*a: object, **k: object) -> object:
            t0 = time.process_time()
            try:
                return inner(*a, **k)
            finally:
                acc[label] = acc.get(label, 0.0) + time.process_time() - t0
        setattr(owner, name, wrapper)

    timed(files, "_parse_bytes", "parse")
    timed(svc, "store_parsed", "store")
    timed(RecordRepository, "insert_observations", "executemany")
    with tempfile.TemporaryDirectory() as work:
        services, session = ri._services(Path(work))
        t0, w0 = time.process_time(), time.perf_counter()
        report = services.records.import_files(session, [data])
        acc["total"] = time.process_time() - t0
        acc["wall"] = time.perf_counter() - w0
    if not report.ok:
        raise SystemExit("import failed")
    return acc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="git revision measured as 'today'")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.data:
        print(json.dumps(_measure(args.data)))
        return 0
    import records_import as ri

    from clinic_app.synthetic.cohort import generate_cohort

    repo = Path(__file__).resolve().parents[1]
    best: dict[tuple[str, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        generate_cohort(args.patients, seed=0, as_of=datetime(2025, 12, 31, tzinfo=UTC),
                        observations_per_patient=50).write_bundle(data / "bundle.json")
        ri.write_mixed(data / "bundle.json", data / "mixed.json")
        (data / "today").mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", args.before, "clinic_app",
                                  "resources"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(data / "today")], input=archive, check=True)
        print(f"machine load (1 min) at start: {os.getloadavg()[0]:.2f}")
        for _ in range(args.runs):
            for case in ("mixed", "bundle"):
                for tree in ("today", "new"):
                    root = str(data / "today") if tree == "today" else str(repo)
                    out = subprocess.run([sys.executable, __file__, "--before", args.before,
                                          "--data", str(data / f"{case}.json")],
                                         capture_output=True, text=True, check=True,
                                         env={**os.environ, "CLINIC_TREE": root})
                    got = json.loads(out.stdout.strip().splitlines()[-1])
                    mins = best.setdefault((case, tree), got)
                    for k, v in got.items():
                        mins[k] = min(mins[k], v)
    print(f"'today' = {args.before}; CPU seconds, min of {args.runs} runs "
          f"({args.patients * 50:,} observations per case)")
    print(f"{'case':7} {'tree':6} {'parse':>6} {'store':>6} {'execmany':>8} {'store-py':>8} "
          f"{'total':>6} {'wall':>6} {'new/today total':>16}")
    for (case, tree), r in sorted(best.items(), key=lambda kv: (kv[0][0], kv[0][1] != "today")):
        ratio = ""
        if tree == "new":
            ratio = f"{r['total'] / best[(case, 'today')]['total']:.2f}x"
        print(f"{case:7} {tree:6} {r['parse']:>6.2f} {r['store']:>6.2f} {r['executemany']:>8.2f}"
              f" {r['store'] - r['executemany']:>8.2f} {r['total']:>6.2f} {r['wall']:>6.2f}"
              f" {ratio:>16}")
    print(f"load (1 min) at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
