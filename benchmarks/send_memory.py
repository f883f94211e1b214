"""Peak memory of sending a stored study to a PACS and of de-identified export, beside the old path.

Cases, each run in its own child process over the same generated study (a synthetic CT of
``--slices`` 512x512 slices, ~0.5 MB each, imported into a fresh encrypted store):

  send    ``services.pacs.send_study`` by C-STORE to an Orthanc on loopback
  deid    ``services.deid.export_study`` into an empty folder

Each case is measured twice in one run: with this tree (instances read from the store one
at a time as they are sent or written) and with the baseline tree, ``--baseline`` (default:
the commit before that change, which read and parsed every instance of the study first).
The baseline tree is taken from git (``git archive``) into a temporary folder. Peak is
Python's traced heap during the call (tracemalloc: bytes, pydicom values, numpy arrays);
seconds are a separate untraced call. Ratios are ours / baseline.

Run:  .venv/bin/python benchmarks/send_memory.py [--slices 120] [--baseline REV]
Needs: orthanc (Debian), git.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The last commit whose send and de-identification paths read the whole study first.
BASELINE = "cfdae6f"
PASSWORD = "benchmark-rad-pw-12"


def _measure(call) -> tuple[float, float]:
    """(peak MiB traced during ``call``, seconds of a second, untraced ``call``)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    call(0)
    peak = tracemalloc.get_traced_memory()[1] / 1024**2
    tracemalloc.stop()
    start = time.perf_counter()
    call(1)
    return peak, time.perf_counter() - start


def child(slices: int, work: Path) -> dict[str, float]:
    """Build the store, then measure both cases with whichever clinic_app is importable."""
    from clinic_app.config import Settings
    from clinic_app.core.net.nodes import dimse_node
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.synthetic.dicom_series import write_ct_series
    from tests.pacs.orthanc import start_orthanc

    try:
        from clinic_app.services.store_init import NewAccount
    except ImportError:  # the baseline tree kept NewAccount in services.auth
        from clinic_app.services.auth import NewAccount  # type: ignore[no-redef]

    services = Services(Settings(store_dir=work / "store"))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                             [NewAccount("rad", Role.RADIOLOGIST, PASSWORD)])
    session = services.auth.login("rad", PASSWORD)
    services.auth.change_password(session, PASSWORD, PASSWORD + "x")
    session = services.auth.login("rad", PASSWORD + "x")
    written = write_ct_series(work / "ct", slices=slices, rows=512, cols=512, seed=1)
    services.imaging.import_dicom(session, [work / "ct"])
    orthanc = start_orthanc(work / "orthanc")
    try:
        admin = services.auth.login("admin", "benchmark-admin-pw")
        services.pacs.add_node(admin, dimse_node("pacs", orthanc.aet, "127.0.0.1",
                                                 orthanc.dicom_port, retrieve="get"))

        def send(_n: int) -> None:
            report = services.pacs.send_study(session, "pacs", written.study_uid)
            assert report.sent == slices, report

        def deid(n: int) -> None:
            done = services.deid.export_study(session, written.study_uid, work / f"deid{n}")
            assert len(done.files) == slices

        out: dict[str, float] = {}
        for name, call in (("send", send), ("deid", deid)):
            out[f"{name}_peak_mib"], out[f"{name}_s"] = _measure(call)
        return out
    finally:
        orthanc.stop()
        services.close()


def _run(tree: Path, slices: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT}",
           "CLINIC_APP_SITE_CONFIG": os.devnull, "CLINIC_APP_USER_CONFIG": os.devnull}
    with tempfile.TemporaryDirectory(prefix="send-mem-") as work:
        done = subprocess.run([sys.executable, __file__, "--child", work, "--slices", str(slices)],
                              env=env, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child for {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slices", type=int, default=120)
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.slices, args.child)))
        return
    with tempfile.TemporaryDirectory(prefix="send-mem-base-") as base:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "clinic_app"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", base], input=archive, check=True)
        baseline = _run(Path(base), args.slices)
    ours = _run(ROOT, args.slices)
    mib = args.slices * 512 * 512 * 2 / 1024**2
    print(f"study: {args.slices} slices of 512x512 16-bit (~{mib:.0f} MiB of pixels); "
          f"baseline {args.baseline}")
    print(f"{'case':<6} {'baseline peak':>14} {'ours peak':>10} {'ratio':>6} "
          f"{'baseline s':>11} {'ours s':>7} {'ratio':>6}")
    for case in ("send", "deid"):
        bp, op = baseline[f"{case}_peak_mib"], ours[f"{case}_peak_mib"]
        bs, os_ = baseline[f"{case}_s"], ours[f"{case}_s"]
        print(f"{case:<6} {bp:>11.1f} MiB {op:>6.1f} MiB {op / bp:>6.2f} "
              f"{bs:>11.2f} {os_:>7.2f} {os_ / bs:>6.2f}")


if __name__ == "__main__":
    main()
