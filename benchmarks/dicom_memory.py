"""Peak memory of importing (and loading) one large DICOM instance, against its size.

    PYTHONPATH=. python benchmarks/dicom_memory.py --mib 256

Writes one uncompressed 16-bit multi-frame instance of about ``--mib`` MiB, then in fresh
processes measures the peak resident memory *added* by (a) ``import dicom`` of that file
and (b) ``load_series_volume`` of it (float32 voxels: 2x the 16-bit pixel data by design,
the baseline for (b) is the volume's own size). Prints the ratios. Target for (a): <= 1.3.
Baseline in the same run: ``import-oneshot``, the blob encrypted in one AES-GCM call (the
behaviour before streaming), which holds the plaintext and the ciphertext at once.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_CHILD = r"""
import json, sys
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
if what == "import-oneshot":  # the baseline: the whole blob encrypted in one call (as before)
    import clinic_app.core.store.blobs as blobs
    blobs.STREAM_BYTES = 1 << 62
if what.startswith("import"):
    report = services.imaging.import_dicom(rad, [path])
    assert report.imported == 1, report.skipped
    extra = {}
else:
    from pydicom import dcmread
    uid = dcmread(path, stop_before_pixels=True).SeriesInstanceUID
    vol = services.imaging.load_series_volume(rad, uid)
    extra = {"volume_mib": vol.voxels.nbytes / 2**20}
peak = status_mib("VmHWM:")
print(json.dumps({"base_mib": base, "peak_mib": peak, **extra}))
"""


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
    args = ap.parse_args()
    from tests.fuzz.runner import make_template

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = make_template(root)
        big = root / "big.dcm"
        size = write_instance(big, args.mib) / 2**20
        print(f"instance: {size:.0f} MiB")
        results = {}
        imported = root / "imported"
        shutil.copytree(store, imported)
        for what in ("import-oneshot", "import", "load"):
            target = root / what if what == "import-oneshot" else imported
            if what == "import-oneshot":
                shutil.copytree(store, target)
            out = subprocess.run([sys.executable, "-c", _CHILD, str(target), str(big), what],
                                 capture_output=True, text=True, check=True,
                                 cwd=Path(__file__).resolve().parents[1])
            r = json.loads(out.stdout.strip().splitlines()[-1])
            added = r["peak_mib"] - r["base_mib"]
            baseline = size if what.startswith("import") else r["volume_mib"]
            results[what] = added / baseline
            print(f"{what}: peak {r['peak_mib']:.0f} MiB, {added:.0f} MiB above the process "
                  f"before it = {added / baseline:.2f}x the "
                  f"{'file' if what.startswith('import') else 'float32 volume'} "
                  f"({baseline:.0f} MiB)")
    return 0 if results["import"] <= 1.3 else 1


if __name__ == "__main__":
    del resource
    sys.exit(main())
