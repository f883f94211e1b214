"""What converting every header element ahead of validation costs the header parse.

    PYTHONPATH=. python benchmarks/header_parse.py [--files 300] [--rounds 5]

``header_damage.settle_damage`` converts each top-level element before the header is
validated, so damage is tied to its tag (refusal naming a required tag, warning for an
optional one). Baseline in the same run: the same parse with that step skipped (the
behaviour before it: pydicom converts lazily, only the elements we read). Files: one
generated CT slice (~70 elements) and pydicom's bundled MR_small and CT_small, parsed
from memory; rounds interleaved; prints CPU µs per file (median of rounds) and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_app.core.imaging import header_damage
from clinic_app.core.imaging.headers import parse_header
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.imaging_support import pydicom_file


def per_file_us(files: list[bytes], n: int) -> float:
    start = time.process_time()  # CPU time: steadier than wall time on a shared machine
    for k in range(n):
        parse_header(files[k % len(files)])
    return (time.process_time() - start) / n * 1e6


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ct = write_ct_series(Path(tmp), slices=1, rows=512, cols=512).paths[0].read_bytes()
    samples = {"synthetic CT 512²": [ct], "CT_small + MR_small": [
        pydicom_file("CT_small.dcm").read_bytes(), pydicom_file("MR_small.dcm").read_bytes()]}
    settle = header_damage.settle_damage
    print(f"{'files':<22}{'lazy (µs)':>10}{'settled (µs)':>14}{'ratio':>8}")
    for name, files in samples.items():
        lazy, settled = [], []
        for _ in range(args.rounds):
            header_damage.settle_damage = lambda ds, skip, warns: None  # type: ignore[assignment]
            lazy.append(per_file_us(files, args.files))
            header_damage.settle_damage = settle
            settled.append(per_file_us(files, args.files))
        a, b = statistics.median(lazy), statistics.median(settled)
        print(f"{name:<22}{a:>10.0f}{b:>14.0f}{b / a:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
