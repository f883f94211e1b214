"""Our storage listener against dcmtk's storescu as an independent peer, plus the queue."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pydicom
import pytest

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.net.nodes import dimse_node
from clinic_app.core.net.receive import InstanceQueue
from clinic_app.core.security.audit import EventCode
from clinic_app.core.tasks import CancelToken
from clinic_app.services import Services
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.conftest import PASSWORDS, StoreFixture
from tests.pacs.orthanc import Orthanc
from tests.pacs.support import audit_actions, rad, workstation

pytestmark = pytest.mark.skipif(shutil.which("storescu") is None, reason="dcmtk not installed")


def _listener_services(store: StoreFixture, port: int) -> Services:
    services = Services(Settings(store_dir=store.root, log_dir=store.root.parent / "logs",
                                 pacs_port=port), clock=ManualClock())
    admin = services.auth.login("admin", PASSWORDS["admin"])
    services.pacs.add_node(admin, dimse_node("modality", "CT_SCANNER", "127.0.0.1", 104))
    services.pacs.add_node(admin, dimse_node("remote", "FARAWAY", "127.0.0.2", 104))
    services.auth.logout(admin)
    return services


def _storescu(aet: str, port: int, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["storescu", "-aet", aet, "-aec", "CLINICAPP", "127.0.0.1", str(port),
                           *map(str, files)], capture_output=True, text=True, timeout=60)


def _listen_while(services: Services, action):  # type: ignore[no-untyped-def]
    """Run ``action`` on a thread while the service listens; stop listening when it ends."""
    sess = rad(services)
    services.pacs.start_listener(sess)
    cancel = CancelToken()
    out: dict[str, object] = {}

    def peer() -> None:
        try:
            out["result"] = action()
        finally:
            cancel.cancel()

    thread = threading.Thread(target=peer)
    thread.start()
    tally = services.pacs.listen(sess, cancel=cancel)
    thread.join(60)
    return sess, tally, out["result"]


def test_storescu_from_configured_peer_is_imported(store: StoreFixture, listen_port: int,
                                                   tmp_path: Path) -> None:
    """dcmtk storescu, calling as a configured AE from its host, lands in the encrypted store."""
    series = write_ct_series(tmp_path / "ct", slices=4, rows=32, cols=32)
    services = _listener_services(store, listen_port)
    sess, tally, result = _listen_while(
        services, lambda: _storescu("CT_SCANNER", listen_port, list(series.paths)))
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    assert tally.imported == 4
    assert services.imaging.list_studies(sess)[0].instances == 4
    services.close()


def test_unknown_calling_ae_refused_and_audited(store: StoreFixture, listen_port: int,
                                                tmp_path: Path) -> None:
    """An AE title that is no configured node is rejected at association and audited."""
    series = write_ct_series(tmp_path / "ct", slices=1, rows=32, cols=32)
    services = _listener_services(store, listen_port)
    sess, tally, result = _listen_while(
        services, lambda: _storescu("STRANGER", listen_port, list(series.paths)))
    assert result.returncode != 0  # type: ignore[attr-defined]
    assert "Rejected" in result.stderr or "rejected" in result.stderr  # type: ignore[attr-defined]
    assert tally.files == 0 and services.imaging.list_studies(sess) == []
    assert (EventCode.SECURITY_ALERT, "pacs.association.refused", "STRANGER", 4) in \
        audit_actions(services)
    services.close()


def test_known_ae_from_wrong_host_aborted_and_audited(store: StoreFixture, listen_port: int,
                                                      tmp_path: Path) -> None:
    """A configured AE title calling from another host than its node's is cut off."""
    series = write_ct_series(tmp_path / "ct", slices=1, rows=32, cols=32)
    services = _listener_services(store, listen_port)
    sess, tally, result = _listen_while(
        services, lambda: _storescu("FARAWAY", listen_port, list(series.paths)))
    assert result.returncode != 0  # type: ignore[attr-defined]
    assert tally.files == 0 and services.imaging.list_studies(sess) == []
    assert (EventCode.SECURITY_ALERT, "pacs.association.refused", "FARAWAY", 4) in \
        audit_actions(services)
    services.close()


def test_malformed_instance_from_pacs_skipped_like_import(
        store: StoreFixture, orthanc: Orthanc, listen_port: int, tmp_path: Path) -> None:
    """An instance the importer refuses is reported with the importer's reason; the rest land."""
    series = write_ct_series(tmp_path / "ct", slices=3, rows=32, cols=32)
    bad = pydicom.dcmread(series.paths[0])
    del bad.Modality
    bad.SOPInstanceUID = bad.file_meta.MediaStorageSOPInstanceUID = series.sop_uids[0] + ".7"
    bad.save_as(tmp_path / "bad.dcm")
    assert orthanc.upload([*series.paths, tmp_path / "bad.dcm"]) == 4
    services = workstation(store, orthanc, listen_port)
    report = services.pacs.retrieve(rad(services), "get", series.study_uid)
    assert (report.received, report.imported) == (4, 3)
    assert [reason for _, reason in report.skipped] == ["missing required tag Modality (0008,0060)"]
    services.close()


def test_queue_bounds_memory() -> None:
    """A producer waits while the queue holds its byte limit; taking frees room."""
    queue = InstanceQueue(max_bytes=10)
    assert queue.put("a", b"x" * 8)
    second = threading.Thread(target=queue.put, args=("b", b"y" * 8))
    second.start()
    second.join(0.3)
    assert second.is_alive() and queue.received == 1  # blocked: 16 bytes would exceed 10
    first = queue.take(1, 100, 1.0)
    assert first is not None and first[0].label == "a"
    second.join(5)
    assert not second.is_alive() and queue.received == 2
    queue.abort()
    assert queue.put("c", b"z") is False and queue.take(1, 100, 0.1) is None
