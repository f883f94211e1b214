"""The pacs CLI end to end against a real Orthanc: JSON shapes, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.synthetic.dicom_series import write_ct_series
from tests.conftest import PASSWORDS, StoreFixture
from tests.pacs.orthanc import Orthanc, add_modality
from tests.test_cli import run


def _as(store: StoreFixture, user: str, *args: str) -> list[str]:
    return ["--store", str(store.root), *args, "--user", user, "--password-stdin"]


@pytest.fixture
def site(tmp_path: Path, listen_port: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """A site file giving the listener a free port."""
    path = tmp_path / "site.toml"
    path.write_text(f"[clinic_app]\npacs_port = {listen_port}\n")
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(path))
    return listen_port


def test_nodes_find_retrieve_send(store: StoreFixture, orthanc: Orthanc, site: int,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """IT adds and verifies a node; a radiologist finds, retrieves by C-MOVE and sends back."""
    series = write_ct_series(tmp_path / "ct", slices=3, rows=32, cols=32)
    orthanc.upload(series.paths)
    add_modality(orthanc, "ws", "CLINICAPP", "127.0.0.1", site)
    code, out, err = run(_as(store, "admin", "pacs", "nodes", "add", "main", "--aet", "ORTHANC",
                             "--host", "127.0.0.1", "--port", str(orthanc.dicom_port), "--json"),
                         PASSWORDS["admin"], monkeypatch)
    assert code == 0, err
    assert json.loads(out)["retrieve"] == "move"
    code, out, err = run(_as(store, "admin", "pacs", "nodes", "add", "web", "--dicomweb",
                             orthanc.dicomweb, "--auth", "bearer", "--json"),
                         f"{PASSWORDS['admin']}\nsecret-token-1\nsecret-token-1\n", monkeypatch)
    assert code == 0, err
    code, out, err = run(_as(store, "admin", "pacs", "nodes", "list", "--json"),
                         PASSWORDS["admin"], monkeypatch)
    listed = {n["name"]: n for n in json.loads(out)}
    assert set(listed) == {"main", "web"} and listed["web"]["has_secret"] is True
    assert "secret-token-1" not in out
    code, out, err = run(_as(store, "admin", "pacs", "echo", "main", "--json"),
                         PASSWORDS["admin"], monkeypatch)
    assert code == 0 and json.loads(out)["ok"] is True, err
    code, out, err = run(_as(store, "rad", "pacs", "find", "main", "--name", "synth",
                             "--modality", "CT", "--date", "2025-01-01..2025-12-31", "--json"),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 0, err
    assert [m["study_uid"] for m in json.loads(out)] == [series.study_uid]
    code, out, err = run(_as(store, "rad", "pacs", "retrieve", "main", series.study_uid, "--json"),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 0, err
    assert json.loads(out) | {"skipped": []} == {
        "node": "main", "study_uid": series.study_uid, "method": "move", "received": 3,
        "imported": 3, "duplicates": 0, "state": "complete", "cancelled": False, "skipped": []}
    orthanc.delete_all()
    code, out, err = run(_as(store, "rad", "pacs", "send", "main", series.study_uid, "--json"),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 0 and json.loads(out) == {"node": "main", "sent": 3, "failed": 0}, err
    code, out, err = run(_as(store, "rad", "pacs", "send", "main", series.study_uid, "--results"),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 1 and "no flagged, reviewed or added findings" in err  # results come from the DICOM output writers


def test_down_pacs_and_usage_errors(store: StoreFixture, orthanc: Orthanc, site: int,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A stopped PACS is one clear line and exit 1; a half-given node is a usage error."""
    code, _, err = run(_as(store, "admin", "pacs", "nodes", "add", "main", "--aet", "ORTHANC"),
                       PASSWORDS["admin"], monkeypatch)
    assert code == 2 and "--host" in err
    run(_as(store, "admin", "pacs", "nodes", "add", "main", "--aet", "ORTHANC", "--host",
            "127.0.0.1", "--port", str(orthanc.dicom_port)), PASSWORDS["admin"], monkeypatch)
    orthanc.stop()
    code, _out, err = run(_as(store, "admin", "pacs", "echo", "main"), PASSWORDS["admin"],
                         monkeypatch)
    assert code == 1 and "did not answer" in err and "retry" in err.lower()
    assert "Traceback" not in err
    code, _, err = run(_as(store, "rad", "pacs", "nodes", "add", "x", "--aet", "A", "--host",
                           "h", "--port", "1"), PASSWORDS["rad"], monkeypatch)
    assert code == 4
