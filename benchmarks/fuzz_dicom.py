"""Fuzz the DICOM pipeline: N mutated cases through import → volume → render → analyze.

    PYTHONPATH=. python benchmarks/fuzz_dicom.py --cases 10000 --seed 3

Prints the counts by outcome (refused with reason, imported, decode gap, crash, hang), per
mutator, and every crash/hang with its (seed, index) so it can be regenerated with
``tests.fuzz.mutate.cases(samples.load(), 1, seed=SEED, start=INDEX)``. Baseline for the
timing: the same cases' import alone is not separated; the number to watch is crashes and
hangs (goal: zero).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz import mutate, samples
from tests.fuzz.runner import make_template, run_cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=500, help="cases generated at a time")
    ap.add_argument("--json", type=Path, help="write the tally here")
    args = ap.parse_args()
    seeds = samples.load()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = make_template(work / "t")
        total = None
        for start in range(0, args.cases, args.chunk):
            count = min(args.chunk, args.cases - start)
            tally = run_cases(mutate.cases(seeds, count, seed=args.seed, start=start),
                              work / "run", template=template)
            if total is None:
                total = tally
            else:
                total.counts.update(tally.counts)
                for k, v in tally.by_mutator.items():
                    total.by_mutator.setdefault(k, type(v)()).update(v)
                total.failures.extend(tally.failures)
                total.seconds += tally.seconds
            print(f"after {start + count}: {total.summary()}", flush=True)
    assert total is not None
    print(total.summary())
    for name, counts in sorted(total.by_mutator.items()):
        print(f"  {name:18s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for f in total.failures:
        print(f"  FAIL seed {args.seed} index {f['index']} {f['mutator']} on {f['sample']}: "
              f"{f['outcome']} {f['detail']}")
    if args.json:
        args.json.write_text(json.dumps({"summary": dict(total.counts), "seconds": total.seconds,
                                         "failures": total.failures}, indent=1))
    return 1 if total.counts["crash"] or total.counts["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
