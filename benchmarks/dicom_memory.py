"""Peak memory and time of importing and loading one large DICOM instance, before and now.

    PYTHONPATH=. python benchmarks/dicom_memory.py --mib 256 [--before REV]

Writes one uncompressed 16-bit multi-frame instance of about ``--mib`` MiB, then in fresh
processes measures the peak resident memory *added* by (a) ``import dicom`` of that file
and (b) ``load_series_volume`` of it, and the seconds each takes. The baseline is the
code at git revision ``--before`` (default: the commit before the chunked blob layout),
exported with ``git archive`` and run on its own store in the same run: there the blob
was one AES-GCM message, decrypted whole before decoding. Ratios: import against the file's
size (target <= 1.3x); load against the float32 volume it builds (the volume is 2x the
16-bit pixel data by design; target about 1x: nothing else held whole).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: The commit before blobs of 8 MiB or more were written in the chunked CAB2 layout.
BEFORE = "d277c91"

_CHILD = r"""
import json, sys, time
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.services import Services
from tests.fuzz.runner import PASSWORD
store, path, what = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
services = Services(Settings(store_dir=store, log_dir=store.parent / "logs"))
rad = services.auth.login("rad", PASSWORD)
import numpy, pydicom.pixels  # noqa: imported before the baseline is taken
def status_mib(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
# Login ran Argon2id (memory-hard): reset the high-water mark so only the work is measured.
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
base = status_mib("VmRSS:")
start = time.perf_counter()
if what == "import":
    report = services.imaging.import_dicom(rad, [path])
    assert report.imported == 1, report.skipped
    extra = {}
else:
    from pydicom import dcmread
    uid = dcmread(path, stop_before_pixels=True).SeriesInstanceUID
    vol = services.imaging.load_series_volume(rad, uid)
    extra = {"volume_mib": vol.voxels.nbytes / 2**20}
seconds = time.perf_counter() - start
peak = status_mib("VmHWM:")
print(json.dumps({"base_mib": base, "peak_mib": peak, "seconds": seconds, **extra}))
"""


def export_tree(rev: str, target: Path) -> Path:
    """The repository at ``rev`` (clinic_app and tests only), for the baseline runs."""
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(["git", "archive", rev, "clinic_app", "tests"], cwd=repo,
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(out)) as tar:
        tar.extractall(target, filter="data")
    return target


def run_child(tree: Path, store: Path, big: Path, what: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(store), str(big), what],
                         capture_output=True, text=True, check=True, cwd=tree, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_instance(path: Path, mib: int) -> int:
    import numpy as np
    from pydicom.dataset import FileMetaDataset

    from clinic_app.synthetic.dicom_series import write_ct_series

    seed = write_ct_series(path.parent / "seed", slices=1, rows=64, cols=64).paths[0]
    from pydicom import dcmread

    ds = dcmread(seed)
    side = 4096
    frames = max(1, mib * 2**20 // (side * side * 2))
    ds.Rows = ds.Columns = side
    ds.NumberOfFrames = frames
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"  # secondary capture: a plain multi-frame
    ds.file_meta = FileMetaDataset(ds.file_meta)
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.Modality = "OT"
    ds.PixelData = np.random.default_rng(0).integers(0, 4000, (frames, side, side),
                                                      dtype=np.uint16).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=256)
    ap.add_argument("--before", default=BEFORE, help="git revision of the baseline")
    args = ap.parse_args()
    from tests.fuzz.runner import make_template

    now_tree = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = make_template(root)
        before_tree = export_tree(args.before, root / "before")
        big = root / "big.dcm"
        size = write_instance(big, args.mib) / 2**20
        print(f"instance: {size:.0f} MiB; before = {args.before}, now = this tree")
        print(f"{'step':<8}{'code':<8}{'peak MiB':>9}{'added':>8}{'x size':>8}{'seconds':>9}")
        ratios: dict[tuple[str, str], float] = {}
        times: dict[tuple[str, str], float] = {}
        for code, tree in (("before", before_tree), ("now", now_tree)):
            target = root / f"store-{code}"
            shutil.copytree(store, target)
            for what in ("import", "load"):
                r = run_child(tree, target, big, what)
                added = r["peak_mib"] - r["base_mib"]
                baseline = size if what == "import" else r["volume_mib"]
                ratios[(what, code)] = added / baseline
                times[(what, code)] = r["seconds"]
                print(f"{what:<8}{code:<8}{r['peak_mib']:>9.0f}{added:>8.0f}"
                      f"{added / baseline:>8.2f}{r['seconds']:>9.2f}")
        for what in ("import", "load"):
            print(f"{what}: memory {ratios[(what, 'before')]:.2f}x -> {ratios[(what, 'now')]:.2f}x "
                  f"the {'file' if what == 'import' else 'float32 volume'}; time now/before "
                  f"{times[(what, 'now')] / times[(what, 'before')]:.2f}")
    return 0 if ratios[("import", "now")] <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
