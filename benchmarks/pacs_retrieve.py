"""Retrieving a CT from a real Orthanc into the encrypted store, beside dcmtk's getscu.

Data: a generated 300-slice 512² CT (clinic_app.synthetic, uncompressed, ~157 MB) loaded
into an Orthanc started on loopback (free ports, temp folder; tests/pacs/orthanc.py).

Measured in one run, interleaved round by round so machine load is shared fairly:
  * ours, C-GET: ``services.pacs.retrieve`` over pynetdicom into a fresh encrypted store
    (header parse, AES-GCM blobs, SQLCipher index, fsync per batch, audit);
  * ours, WADO-RS: the same by DICOMweb (multipart stream, raw parts);
  * baseline: dcmtk ``getscu`` of the same study into plain files in a folder;
  * second baseline: Orthanc's REST ZIP archive of the study, written to one plain file.

Goal (issue 18): ours ≤ 1.5× getscu. Best of ``--rounds`` per method.

Run:  .venv/bin/python benchmarks/pacs_retrieve.py [--slices 300] [--rounds 3]
Needs: orthanc, orthanc-dicomweb, dcmtk (Debian).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("CLINIC_APP_SITE_CONFIG", os.devnull)
os.environ.setdefault("CLINIC_APP_USER_CONFIG", os.devnull)

from clinic_app.config import Settings
from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.core.security.roles import Role
from clinic_app.services import Services
from clinic_app.services.store_init import NewAccount
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.pacs.orthanc import start_orthanc

ADMIN_PW = "benchmark-admin-pw-1"
RAD_PW = "benchmark-rad-pw-1"


def make_store(root: Path) -> None:
    services = Services(Settings(store_dir=root))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, ADMIN_PW),
                             [NewAccount("rad", Role.RADIOLOGIST, RAD_PW)])
    sess = services.auth.login("rad", RAD_PW)
    services.auth.change_password(sess, RAD_PW, RAD_PW + "x")
    services.auth.logout(sess)
    services.close()


def ours(template: Path, work: Path, orthanc, study_uid: str, method: str) -> float:
    root = work / f"store-{method}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(template, root)
    services = Services(Settings(store_dir=root))
    admin = services.auth.login("admin", ADMIN_PW)
    node = (web_node("pacs", orthanc.dicomweb) if method == "wado" else
            dimse_node("pacs", orthanc.aet, "127.0.0.1", orthanc.dicom_port, retrieve="get"))
    services.pacs.add_node(admin, node)
    services.auth.logout(admin)
    sess = services.auth.login("rad", RAD_PW + "x")
    start = time.perf_counter()
    report = services.pacs.retrieve(sess, "pacs", study_uid)
    elapsed = time.perf_counter() - start
    assert report.state.value == "complete" and report.imported > 0, report
    services.auth.logout(sess)
    services.close()
    shutil.rmtree(root)
    return elapsed


def network_only(orthanc, study_uid: str, method: str) -> float:
    """Our transfer with each instance dropped on arrival: where the time goes."""
    from clinic_app.core.net import dimse, web
    from clinic_app.core.net.receive import InstanceQueue, Transfer

    queue = InstanceQueue()
    start = time.perf_counter()
    if method == "wado":
        job = web.WebRetrieval(web_node("pacs", orthanc.dicomweb), "", 60.0, study_uid)
    else:
        node = dimse_node("pacs", orthanc.aet, "127.0.0.1", orthanc.dicom_port, retrieve="get")
        job = dimse.Retrieval(node, dimse.Caller("BENCH", 60.0), study_uid,
                              sop_classes=["1.2.840.10008.5.1.4.1.1.2"])
    transfer = Transfer(job.run, queue).start()
    count = 0
    while (batch := queue.take(1000, 1 << 40, 0.1)) is not None:
        count += len(batch)
    transfer.result()
    assert count > 0
    return time.perf_counter() - start


def getscu_then_import(template: Path, work: Path, orthanc, study_uid: str) -> float:
    """What a user without PACS support does: getscu to a folder, then 'import dicom'."""
    out = work / "getscu-import"
    root = work / "store-files"
    for p in (out, root):
        shutil.rmtree(p, ignore_errors=True)
    out.mkdir()
    shutil.copytree(template, root)
    services = Services(Settings(store_dir=root))
    sess = services.auth.login("rad", RAD_PW + "x")
    start = time.perf_counter()
    subprocess.run(["getscu", "-aet", "GETSCU", "-aec", orthanc.aet, "-S",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={study_uid}",
                    "-od", str(out), "127.0.0.1", str(orthanc.dicom_port)],
                   check=True, capture_output=True, env={**os.environ, "TCP_NODELAY": "1"})
    report = services.imaging.import_dicom(sess, [out])
    elapsed = time.perf_counter() - start
    assert report.imported > 0
    services.auth.logout(sess)
    services.close()
    shutil.rmtree(out)
    shutil.rmtree(root)
    return elapsed


def getscu(work: Path, orthanc, study_uid: str, nodelay: bool = True) -> float:
    """dcmtk getscu; ``nodelay`` sets DCMTK's TCP_NODELAY switch (off by default in 3.6.7,
    where Nagle's algorithm makes each instance wait ~40 ms for a delayed ACK)."""
    out = work / "getscu"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    subprocess.run(["getscu", "-aet", "GETSCU", "-aec", orthanc.aet, "-S",
                    "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={study_uid}",
                    "-od", str(out), "127.0.0.1", str(orthanc.dicom_port)],
                   check=True, capture_output=True,
                   env={**os.environ, "TCP_NODELAY": "1" if nodelay else "0"})
    elapsed = time.perf_counter() - start
    count = len(list(out.iterdir()))
    shutil.rmtree(out)
    assert count > 0
    return elapsed


def archive(work: Path, orthanc, study_uid: str) -> float:
    found = urllib.request.urlopen(urllib.request.Request(
        f"{orthanc.url}/tools/lookup", data=study_uid.encode(), method="POST")).read()
    import json

    orthanc_id = json.loads(found)[0]["ID"]
    target = work / "archive.zip"
    start = time.perf_counter()
    with urllib.request.urlopen(f"{orthanc.url}/studies/{orthanc_id}/archive") as rsp, \
            open(target, "wb") as fh:
        shutil.copyfileobj(rsp, fh, 1 << 20)
        fh.flush()
        os.fsync(fh.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slices", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pacs-bench-"))
    orthanc = None
    try:
        t0 = time.perf_counter()
        series = write_ct_series(work / "ct", slices=args.slices)
        size = sum(p.stat().st_size for p in series.paths)
        orthanc = start_orthanc(work / "orthanc")
        orthanc.upload(series.paths)
        shutil.rmtree(work / "ct")
        make_store(work / "template")
        print(f"setup {time.perf_counter() - t0:.1f} s: {args.slices} slices, "
              f"{size / 1e6:.0f} MB in Orthanc {orthanc.get_json('/system')['Version']}")
        getscu(work, orthanc, series.study_uid)  # warm Orthanc's caches for everyone
        times: dict[str, list[float]] = {k: [] for k in
                                         ("getscu", "getscu-nagle", "archive", "get", "wado",
                                          "getscu+import", "get-net", "wado-net")}
        for r in range(args.rounds):
            times["getscu"].append(getscu(work, orthanc, series.study_uid))
            times["getscu-nagle"].append(getscu(work, orthanc, series.study_uid, nodelay=False))
            times["get"].append(ours(work / "template", work, orthanc, series.study_uid, "get"))
            times["archive"].append(archive(work, orthanc, series.study_uid))
            times["wado"].append(ours(work / "template", work, orthanc, series.study_uid, "wado"))
            times["getscu+import"].append(getscu_then_import(work / "template", work, orthanc,
                                                             series.study_uid))
            times["get-net"].append(network_only(orthanc, series.study_uid, "get"))
            times["wado-net"].append(network_only(orthanc, series.study_uid, "wado"))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
        best = {k: min(v) for k, v in times.items()}
        base = best["getscu"]
        print()
        print(f"{'method':56} {'best s':>7} {'MB/s':>7} {'vs getscu':>10}")
        rows = [("baseline: dcmtk getscu (TCP_NODELAY=1) -> plain files", "getscu"),
                ("dcmtk getscu as shipped (Nagle on) -> plain files", "getscu-nagle"),
                ("baseline: Orthanc REST ZIP archive -> one plain file", "archive"),
                ("ours: C-GET -> encrypted store (pynetdicom)", "get"),
                ("ours: WADO-RS -> encrypted store (dicomweb-client)", "wado"),
                ("getscu (NODELAY) + 'import dicom' of its files", "getscu+import"),
                ("ours: C-GET network only (instances dropped)", "get-net"),
                ("ours: WADO-RS network only (instances dropped)", "wado-net")]
        for label, key in rows:
            print(f"{label:56} {best[key]:7.2f} {size / 1e6 / best[key]:7.0f} "
                  f"{best[key] / base:9.2f}x")
        for key in ("get", "wado"):
            print(f"{key} vs getscu + import dicom: {best[key] / best['getscu+import']:.2f}x")
        for key in ("get", "wado"):
            ratio = best[key] / base
            print(f"goal {key}: <= 1.5x getscu -> {ratio:.2f}x {'MET' if ratio <= 1.5 else 'NOT MET'}")
    finally:
        if orthanc is not None:
            orthanc.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
