"""What the import-time test decode costs: import with it against import without it.

    PYTHONPATH=. python benchmarks/import_test_decode.py [--slices 60] [--size 512] [--rounds 3]

Writes one generated CT series per compression (uncompressed, RLE, JPEG-LS lossless,
JPEG 2000 lossless) and imports each into a fresh store twice per round, once as before
(``importer.TEST_DECODE = False``: the baseline) and once with every compressed frame
decoded before it is stored. The two are interleaved so load drift on a shared machine
falls on both. Prints the median import time of each and the ratio. Uncompressed data is
the control: it is not decoded, so its ratio should be ~1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("CLINIC_APP_SITE_CONFIG", os.devnull)
os.environ.setdefault("CLINIC_APP_USER_CONFIG", os.devnull)

from clinic_app.config import Settings
from clinic_app.core.imaging import importer
from clinic_app.services import Services
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.fuzz.runner import PASSWORD, make_template

COMPRESSIONS: dict[str, str | None] = {"uncompressed": None, "rle": "rle", "jpegls": "jpegls",
                                       "j2k": "j2k"}


def import_seconds(template: Path, work: Path, series: Path, *, test_decode: bool) -> float:
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(template, store)
    services = Services(Settings(store_dir=store, log_dir=work / "logs"))
    try:
        rad = services.auth.login("rad", PASSWORD)
        importer.TEST_DECODE = test_decode
        start = time.perf_counter()
        report = services.imaging.import_dicom(rad, [series])
        seconds = time.perf_counter() - start
        assert report.imported > 0 and not report.skipped, report.skipped
        return seconds
    finally:
        importer.TEST_DECODE = True
        services.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=60)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        template = make_template(root)
        print(f"{args.slices} slices of {args.size}², median of {args.rounds} rounds")
        print(f"{'data':<14}{'without (s)':>12}{'with (s)':>10}{'ratio':>8}")
        for name, compression in COMPRESSIONS.items():
            series = root / name
            write_ct_series(series, slices=args.slices, rows=args.size, cols=args.size,
                            compression=compression, seed=7)
            off, on = [], []
            for _ in range(args.rounds):
                off.append(import_seconds(template, root / "w", series, test_decode=False))
                on.append(import_seconds(template, root / "w", series, test_decode=True))
            a, b = statistics.median(off), statistics.median(on)
            print(f"{name:<14}{a:>12.2f}{b:>10.2f}{b / a:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
