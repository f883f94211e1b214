"""Our SEG, SR and KO through a real Orthanc (loopback): stored and returned byte-stable."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest

from tests.results_support import (
    Analysed,
    analysed_study,  # noqa: F401 - the "study" fixture
)
from tests.test_dicom_results import _review_all

ORTHANC = shutil.which("Orthanc") or "/usr/sbin/Orthanc"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(ORTHANC).exists(), reason="Orthanc is not installed")]


def _http(url: str, data: bytes | None = None, timeout: float = 30) -> bytes:
    """GET (or POST ``data``) on the test Orthanc: loopback http URLs built here only."""
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        return bytes(answer.read())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def orthanc(tmp_path: Path) -> Iterator[str]:
    """A throwaway Orthanc on loopback ports picked free; yields its REST base URL."""
    http, dicom = _free_port(), _free_port()
    config = {"Name": "test", "StorageDirectory": str(tmp_path / "db"),
              "IndexDirectory": str(tmp_path / "db"), "HttpPort": http, "DicomPort": dicom,
              "RemoteAccessAllowed": False, "AuthenticationEnabled": False,
              "HttpBindAddress": "127.0.0.1"}
    (tmp_path / "orthanc.json").write_text(json.dumps(config))
    proc = subprocess.Popen([ORTHANC, str(tmp_path / "orthanc.json")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _http(base + "/system", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("Orthanc did not start") from None
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def test_results_round_trip_through_orthanc(study: Analysed, orthanc: str, tmp_path: Path):
    """Each SEG/SR/KO POSTed to Orthanc comes back with identical bytes and the same content."""
    _review_all(study)
    report = study.services.results.export(study.login(), study.study_uid, tmp_path / "out")
    for f in report.files:
        sent = f.path.read_bytes()
        answer = json.loads(_http(orthanc + "/instances", sent))
        assert answer["Status"] == "Success", answer
        back = _http(f"{orthanc}/instances/{answer['ID']}/file")
        assert back == sent, f.kind
        ds = pydicom.dcmread(tmp_path / "out" / f.path.name)
        tags = json.loads(_http(f"{orthanc}/instances/{answer['ID']}/simplified-tags"))
        assert tags["SOPInstanceUID"] == ds.SOPInstanceUID
        assert tags["StudyInstanceUID"] == study.study_uid
