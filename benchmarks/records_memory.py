"""Peak memory of one huge NDJSON Observation file streamed into the encrypted store.

The issue's bar: peak memory under 400 MB whatever the file size. A file of N small
Observation lines (heart rate, 200 patients, every id distinct, plus one identical repeat
of the first line at the end so the duplicate-id check is exercised across the whole file)
is generated on the fly as gzip NDJSON, then imported with the service call behind
`import records`. Prints one JSON line: observations stored, seconds, peak RSS (MiB, this
process's VmHWM, which also covers the generating).

Why VmHWM and not ru_maxrss: Linux keeps ru_maxrss across exec, so a run started from a
large parent (the test suite) reported the parent's peak (1,088 MiB for a 164 MiB run);
VmHWM belongs to the process's own address space.

Run:  .venv/bin/python benchmarks/records_memory.py [--observations 2000000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("CLINIC_TREE") or str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PATIENTS = 200


def write_files(folder: Path, observations: int) -> list[Path]:
    """Patient.ndjson and Observation.ndjson.gz, written line by line (flat memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    patients = folder / "Patient.ndjson"
    with patients.open("w", encoding="utf-8") as out:
        for p in range(PATIENTS):
            out.write(json.dumps({
                "resourceType": "Patient", "id": f"p{p}", "gender": "female",
                "birthDate": "1960-01-01",
                "identifier": [{"system": "urn:mem", "value": f"M{p:05d}"}]}) + "\n")
    obs = folder / "Observation.ndjson.gz"
    first = ""
    with gzip.open(obs, "wt", encoding="utf-8", compresslevel=1) as out:
        for i in range(observations):
            minute = i // PATIENTS
            line = json.dumps({
                "resourceType": "Observation", "id": f"o{i}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                "subject": {"reference": f"Patient/p{i % PATIENTS}"},
                "effectiveDateTime": _when(minute),
                "valueQuantity": {"value": 60 + i % 40, "unit": "/min"}},
                separators=(",", ":"))
            first = first or line
            out.write(line + "\n")
        out.write(first + "\n")  # an identical repeat: skipped, not stored twice
    return [patients, obs]


def _when(minute: int) -> str:
    """A distinct minute per observation of a patient, from 2000 on."""
    day, rest = divmod(minute, 1440)
    year, doy = divmod(day, 12 * 28)
    month, mday = divmod(doy, 28)
    return f"{2000 + year:04d}-{month + 1:02d}-{mday + 1:02d}T{rest // 60:02d}:{rest % 60:02d}:00Z"


def main() -> int:
    from records_import import _services

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--observations", type=int, default=2_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_files(Path(tmp) / "export", args.observations)
        size = files[1].stat().st_size
        services, session = _services(Path(tmp))
        t0 = time.perf_counter()
        report = services.records.import_files(session, files)
        elapsed = time.perf_counter() - t0
        skipped = sum(s["count"] for f in report.files for s in f.skipped
                      if s["reason"] == "duplicate entry (identical)")
        result = {"ok": report.ok, "observations": report.total("observations"),
                  "identical_repeats_skipped": skipped, "gzip_mib": round(size / 2**20, 1),
                  "seconds": round(elapsed, 1),
                  "max_rss_mib": _peak_rss_mib()}
    print(json.dumps(result))
    return 0


def _peak_rss_mib() -> float:
    """This address space's peak resident size; ru_maxrss where /proc is absent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    raise SystemExit(main())
