# ruff: noqa: S310 - every URL here is http://127.0.0.1 built by this module
"""A real Orthanc on loopback for tests and benchmarks: free ports, temp config, stopped after.

Follows /work/shared/reference/interop.md: the Debian package's binary and DICOMweb
plugin, never the packaged service. ``modalities`` registers C-MOVE destinations
(name -> (AE title, host, port)), which Orthanc needs before it will move to us.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ORTHANC = "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def available() -> bool:
    return Path(ORTHANC).exists() and Path(DICOMWEB_PLUGIN).exists()


@dataclass
class Orthanc:
    folder: Path
    http_port: int
    dicom_port: int
    aet: str = "ORTHANC"
    process: subprocess.Popen[bytes] | None = None
    #: More configuration keys (e.g. DICOM TLS), merged over the defaults.
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def dicomweb(self) -> str:
        return f"{self.url}/dicom-web"

    def start(self, modalities: dict[str, tuple[str, str, int]] | None = None) -> Orthanc:
        config = {
            "Name": "test", "StorageDirectory": str(self.folder / "db"),
            "IndexDirectory": str(self.folder / "db"), "HttpPort": self.http_port,
            "DicomPort": self.dicom_port, "DicomAet": self.aet, "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False, "HttpBindAddress": "127.0.0.1",
            "DicomCheckCalledAet": True, "DicomAlwaysAllowEcho": True,
            "DicomAlwaysAllowStore": True, "DicomAlwaysAllowFind": True,
            "DicomAlwaysAllowGet": True, "DicomAlwaysAllowMove": True,
            "DicomModalities": {k: list(v) for k, v in (modalities or {}).items()},
            "Plugins": [DICOMWEB_PLUGIN], "StableAge": 1,
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
            **self.extra,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "orthanc.json"
        path.write_text(json.dumps(config))
        log = open(self.folder / "orthanc.log", "wb")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen([ORTHANC, str(path)], stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Orthanc exited at start: " +
                                   (self.folder / "orthanc.log").read_text()[-2000:])
            try:
                urllib.request.urlopen(f"{self.url}/system", timeout=1).read()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("Orthanc did not answer within 20 s")

    def stop(self, *, kill: bool = False) -> None:
        """Stop Orthanc (SIGTERM, a graceful ~3 s shutdown; ``kill``: at once)."""
        if self.process is not None and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def restart(self) -> None:
        self.stop()
        config = json.loads((self.folder / "orthanc.json").read_text())
        self.start({k: tuple(v) for k, v in config["DicomModalities"].items()})

    def upload(self, files: Iterable[Path | bytes]) -> int:
        """POST each file to /instances (REST); the number Orthanc accepted."""
        count = 0
        for item in files:
            body = item if isinstance(item, bytes) else Path(item).read_bytes()
            req = urllib.request.Request(f"{self.url}/instances", data=body, method="POST",
                                         headers={"Content-Type": "application/dicom"})
            with urllib.request.urlopen(req, timeout=30) as rsp:
                count += rsp.status == 200
        return count

    def get_json(self, path: str) -> object:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as rsp:
            return json.loads(rsp.read())

    def delete_all(self) -> None:
        for pid in self.get_json("/patients"):  # type: ignore[attr-defined]
            req = urllib.request.Request(f"{self.url}/patients/{pid}", method="DELETE")
            urllib.request.urlopen(req, timeout=30).read()

    def cleanup(self) -> None:
        self.stop(kill=True)  # its data is thrown away: no need to wait for a clean shutdown
        shutil.rmtree(self.folder, ignore_errors=True)


def start_orthanc(folder: Path, modalities: dict[str, tuple[str, str, int]] | None = None,
                  ) -> Orthanc:
    return Orthanc(folder, free_port(), free_port()).start(modalities)


def add_modality(orthanc: Orthanc, name: str, aet: str, host: str, port: int) -> None:
    """Register a C-MOVE destination at run time (REST PUT /modalities/NAME)."""
    body = json.dumps({"AET": aet, "Host": host, "Port": port}).encode()
    req = urllib.request.Request(f"{orthanc.url}/modalities/{name}", data=body, method="PUT")
    urllib.request.urlopen(req, timeout=30).read()
