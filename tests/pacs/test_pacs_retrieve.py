"""Query, retrieve and send against a real Orthanc on loopback, through the service layer."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path

import pydicom
import pytest

from clinic_app.core.net.query import QueryFilter, QueryLevel
from clinic_app.core.security.audit import EventCode
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import AssociationRejected, PacsError, PacsUnreachable
from clinic_app.synthetic.dicom_series import Demographics, write_ct_series
from tests.conftest import StoreFixture
from tests.pacs.orthanc import Orthanc, free_port
from tests.pacs.support import audit_actions, rad, workstation


def _ct(folder: Path, slices: int = 12, seed: int | None = None, **kw: object):  # type: ignore[no-untyped-def]
    return write_ct_series(folder, slices=slices, rows=32, cols=32, seed=seed, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["get", "move", "web"])
def test_retrieve_into_store(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                             tmp_path: Path, method: str) -> None:
    """A study found by name is retrieved whole, marked complete and audited with the node."""
    series = _ct(tmp_path / "ct")
    assert orthanc.upload(series.paths) == 12
    services = workstation(store, orthanc, listen_port)
    sess = rad(services)
    found = services.pacs.find(sess, method, QueryFilter(patient_name="synthetic", modality="CT"))
    assert [m.study_uid for m in found] == [series.study_uid]
    assert found[0].instances == 12 and found[0].patient_name == "SYNTHETIC^PATIENT"
    seen: list[tuple[int, int]] = []
    hooked: list[str] = []  # the import hooks (analysis on arrival) see the complete study
    services.imaging.after_import.append(
        lambda _s, rep, _p, _c: hooked.extend(st.study_uid for st in rep.studies))
    report = services.pacs.retrieve(sess, method, series.study_uid,
                                    progress=lambda d, t, m: seen.append((d, t)))
    assert hooked == [series.study_uid]
    assert (report.received, report.imported, report.state.value) == (12, 12, "complete")
    study = services.imaging.list_studies(sess)[0]
    assert study.study_uid == series.study_uid and study.instances == 12
    assert study.flags == ()
    assert seen and seen[-1][0] == 12
    actions = audit_actions(services)
    assert (EventCode.QUERY, "pacs.find", method, 0) in actions
    assert (EventCode.BEGIN_TRANSFERRING, "pacs.retrieve.begin", method, 0) in actions
    assert (EventCode.DICOM_INSTANCES_TRANSFERRED, "pacs.retrieve", method, 0) in actions
    services.close()


def test_find_levels_and_filters(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                 tmp_path: Path) -> None:
    """Patient, study and series level searches honour ID, accession and date filters."""
    a = _ct(tmp_path / "a", slices=2, seed=1, study_date="2024-03-01")
    b = _ct(tmp_path / "b", slices=2, seed=2, study_date="2025-03-01",
            demographics=Demographics(patient_id="OTHER1", name="OTHER^PERSON"))
    orthanc.upload([*a.paths, *b.paths])
    services = workstation(store, orthanc, listen_port)
    sess = rad(services)
    for node in ("get", "web"):
        by_date = services.pacs.find(sess, node, QueryFilter(date_from="2025-01-01"))
        assert [m.study_uid for m in by_date] == [b.study_uid]
        by_id = services.pacs.find(sess, node, QueryFilter(patient_id="SYN0001"))
        assert [m.study_uid for m in by_id] == [a.study_uid]
        accession = by_id[0].accession
        assert [m.study_uid for m in services.pacs.find(
            sess, node, QueryFilter(accession=accession))] == [a.study_uid]
        series = services.pacs.find(sess, node, QueryFilter(level=QueryLevel.SERIES,
                                                            study_uid=a.study_uid))
        assert [s.series_uid for s in series] == [a.series_uid]
    patients = services.pacs.find(sess, "get", QueryFilter(level=QueryLevel.PATIENT))
    assert sorted(p.patient_id for p in patients) == ["OTHER1", "SYN0001"]
    services.close()


def test_echo_down_and_rejected(store: StoreFixture, orthanc: Orthanc, listen_port: int) -> None:
    """Echo works; a stopped PACS and a wrong AE title give distinct, actionable errors."""
    services = workstation(store, orthanc, listen_port)
    admin = store.login("admin")
    assert services.pacs.echo(admin, "get") >= 0
    assert services.pacs.echo(admin, "web") >= 0
    from clinic_app.core.net.nodes import dimse_node

    services.pacs.add_node(admin, dimse_node("wrong", "NOT-ORTHANC", "127.0.0.1", orthanc.dicom_port))
    with pytest.raises(AssociationRejected, match="refused the association"):
        services.pacs.echo(admin, "wrong")
    orthanc.stop()
    with pytest.raises(PacsUnreachable, match="did not answer"):
        services.pacs.echo(admin, "get")
    with pytest.raises(PacsUnreachable, match="did not answer"):
        services.pacs.echo(admin, "web")
    orthanc.restart()
    assert services.pacs.echo(admin, "get") >= 0  # the retry works once it is back
    services.close()


def test_cancelled_retrieve_never_complete_and_retry_has_no_duplicates(
        store: StoreFixture, orthanc: Orthanc, listen_port: int, tmp_path: Path) -> None:
    """Cancel after the first batch: the study is flagged incomplete; a retry completes it."""
    series = _ct(tmp_path / "ct", slices=40)
    orthanc.upload(series.paths)
    services = workstation(store, orthanc, listen_port)
    sess = rad(services)
    cancel = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if done > 0:
            cancel.cancel()

    import clinic_app.services.pacs_intake as pacs_intake

    old = pacs_intake.BATCH_INSTANCES
    pacs_intake.BATCH_INSTANCES = 5
    try:
        report = services.pacs.retrieve(sess, "get", series.study_uid, progress=progress,
                                        cancel=cancel)
    finally:
        pacs_intake.BATCH_INSTANCES = old
    assert report.cancelled and report.state.value == "incomplete"
    first = services.imaging.list_studies(sess)[0]
    assert 0 < first.instances < 40 and "retrieve_incomplete" in first.flags
    again = services.pacs.retrieve(sess, "get", series.study_uid)
    assert again.state.value == "complete"
    assert again.imported == 40 - first.instances and again.duplicates == first.instances
    final = services.imaging.list_studies(sess)[0]
    assert final.instances == 40 and final.flags == ()
    services.close()


def test_network_drop_mid_retrieve(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                   tmp_path: Path) -> None:
    """The PACS dies mid-transfer: a clear error, the study incomplete; a retry completes it."""
    series = _ct(tmp_path / "ct", slices=60)
    orthanc.upload(series.paths)
    services = workstation(store, orthanc, listen_port)
    sess = rad(services)
    killed = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        if done > 0 and not killed.is_set():
            killed.set()
            assert orthanc.process is not None
            orthanc.process.kill()

    import clinic_app.services.pacs_intake as pacs_intake

    old = pacs_intake.BATCH_INSTANCES
    pacs_intake.BATCH_INSTANCES = 5
    try:
        with pytest.raises(PacsError):
            services.pacs.retrieve(sess, "get", series.study_uid, progress=progress)
    finally:
        pacs_intake.BATCH_INSTANCES = old
    partial = services.imaging.list_studies(sess)
    assert partial and partial[0].instances < 60 and "retrieve_incomplete" in partial[0].flags
    orthanc.process = None
    orthanc.restart()
    again = services.pacs.retrieve(sess, "get", series.study_uid)
    assert again.state.value == "complete" and again.duplicates == partial[0].instances
    assert services.imaging.list_studies(sess)[0].instances == 60
    actions = audit_actions(services)
    assert (EventCode.DICOM_INSTANCES_TRANSFERRED, "pacs.retrieve", "get", 8) in actions
    services.close()


def test_two_workstations_share_through_the_pacs(store: StoreFixture, orthanc: Orthanc,
                                                 tmp_path: Path) -> None:
    """What workstation A sends (a result series) workstation B, with its own store, retrieves."""
    series = _ct(tmp_path / "ct", slices=4)
    orthanc.upload(series.paths)
    a = workstation(store, orthanc, free_port(), aet="WS_A", copy_to=tmp_path / "a" / "store")
    b = workstation(store, orthanc, free_port(), aet="WS_B", copy_to=tmp_path / "b" / "store")
    sa, sb = rad(a), rad(b)
    a.pacs.retrieve(sa, "move", series.study_uid)
    result = pydicom.dcmread(series.paths[0])
    result.SeriesInstanceUID = series.series_uid + ".9"
    result.SOPInstanceUID = series.sop_uids[0] + ".9"
    result.file_meta.MediaStorageSOPInstanceUID = result.SOPInstanceUID
    result.SeriesDescription = "Result from A"
    report = a.pacs.send_datasets(sa, "get", [result])
    assert (report.sent, report.failed) == (1, 0)
    got = b.pacs.retrieve(sb, "web", series.study_uid)
    assert got.imported == 5
    detail = b.imaging.show_study(sb, series.study_uid)
    assert "Result from A" in [s.description for s in detail.series]
    assert (a.settings.store_dir != b.settings.store_dir)
    a.close()
    b.close()


def test_send_study_by_dimse_and_stow(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                      tmp_path: Path) -> None:
    """A stored study goes back by C-STORE and by STOW-RS; Orthanc holds every instance."""
    series = _ct(tmp_path / "ct", slices=3)
    services = workstation(store, orthanc, listen_port)
    sess = rad(services)
    services.imaging.import_dicom(sess, [tmp_path / "ct"])
    assert services.pacs.send_study(sess, "get", series.study_uid).sent == 3
    assert len(orthanc.get_json("/instances")) == 3  # type: ignore[arg-type]
    orthanc.delete_all()
    assert services.pacs.send_study(sess, "web", series.study_uid).sent == 3
    assert len(orthanc.get_json("/instances")) == 3  # type: ignore[arg-type]
    services.close()


@pytest.mark.skipif(shutil.which("findscu") is None, reason="dcmtk not installed")
def test_find_agrees_with_dcmtk_findscu(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                        tmp_path: Path) -> None:
    """Our C-FIND and dcmtk's findscu (an independent SCU) find the same studies and dates."""
    a = _ct(tmp_path / "a", slices=1, seed=1, study_date="2024-03-01")
    b = _ct(tmp_path / "b", slices=1, seed=2, study_date="2025-03-01")
    c = _ct(tmp_path / "c", slices=1, seed=3, study_date="2025-07-09",
            demographics=Demographics(patient_id="OTHER1", name="OTHER^PERSON"))
    orthanc.upload([*a.paths, *b.paths, *c.paths])
    services = workstation(store, orthanc, listen_port)
    ours = services.pacs.find(rad(services), "get",
                              QueryFilter(patient_name="SYN", date_from="2025-01-01"))
    result = subprocess.run(
        ["findscu", "-S", "-aet", "PEER", "-aec", orthanc.aet, "-k", "QueryRetrieveLevel=STUDY",
         "-k", "PatientName=SYN*", "-k", "StudyDate=20250101-", "-k", "StudyInstanceUID",
         "127.0.0.1", str(orthanc.dicom_port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr  # dcmtk logs the responses (I: lines)
    # An odd-length UID is padded to even length with a NUL byte (PS3.5 6.2), which dcmtk prints.
    theirs = set(re.findall(r"\(0020,000d\) UI \[([0-9.]+)[ \x00]*\]", output))
    dates = set(re.findall(r"\(0008,0020\) DA \[(\d{8})\]", output))
    assert {m.study_uid for m in ours} == theirs == {b.study_uid}, output[-3000:]
    assert {m.study_date.replace("-", "") for m in ours} == dates == {"20250301"}
    services.close()
