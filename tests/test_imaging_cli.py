"""The imaging CLI: import dicom / studies list / studies show, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.synthetic.dicom_series import write_ct_series, write_enhanced
from tests.conftest import PASSWORDS, StoreFixture
from tests.test_cli import run


def _as(store: StoreFixture, user: str, *args: str) -> list[str]:
    return ["--store", str(store.root), *args, "--user", user, "--password-stdin"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, object]:
    root = tmp_path_factory.mktemp("cli")
    ct = write_ct_series(root / "ct", slices=6, rows=16, cols=16, pixel_mm=20.0, tilt_deg=10.0,
                         missing=(2,))
    enh = write_enhanced(root / "enh.dcm", frames=8, stacks=2, study_uid=ct.study_uid)
    (root / "readme.txt").write_text("not dicom")
    return root, ct, enh


def test_import_json_has_the_documented_shape(store: StoreFixture, data: tuple,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """import dicom --json prints one object with imported/duplicates/studies/skipped; exit 0."""
    root, ct, _enh = data
    code, out, err = run(_as(store, "rad", "import", "dicom", str(root), "--json"),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 0, err
    doc = json.loads(out)
    assert {"imported", "duplicates", "studies", "skipped"} <= set(doc)
    assert doc["imported"] == 6 and doc["duplicates"] == 0
    (study,) = doc["studies"]
    assert {k: study[k] for k in ("study_uid", "patient_id", "modalities", "series", "instances")} \
        == {"study_uid": ct.study_uid, "patient_id": "SYN0001", "modalities": ["CT"],
            "series": 2, "instances": 6}
    assert doc["skipped"] == [{"path": str(root / "readme.txt"),
                               "reason": "not a DICOM file (too short to hold a DICOM header)"}]
    code, out, _ = run(_as(store, "rad", "import", "dicom", str(root), "--json"),
                       PASSWORDS["rad"], monkeypatch)
    assert code == 0 and json.loads(out)["duplicates"] == 6


def test_import_of_nothing_usable_exits_1(store: StoreFixture, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Only non-DICOM files (or missing paths): nothing processed, exit 1 with the reasons."""
    (tmp_path / "a.txt").write_text("x" * 500)
    code, out, err = run(_as(store, "rad", "import", "dicom", str(tmp_path), str(tmp_path / "no")),
                         PASSWORDS["rad"], monkeypatch)
    assert code == 1
    assert "a.txt: not a DICOM file" in out and "no such file or folder" in out
    assert "nothing could be imported" in err


def test_import_is_refused_for_physicians(store: StoreFixture, data: tuple,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A physician running import dicom gets the permission exit code (4)."""
    root, _ct, _enh = data
    code, _out, err = run(_as(store, "phys", "import", "dicom", str(root)), PASSWORDS["phys"],
                          monkeypatch)
    assert code == 4 and "dicom.import" in err


def test_studies_list_and_show(store: StoreFixture, data: tuple,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """studies list shows the study; show prints series, geometry and every warning."""
    root, ct, _enh = data
    run(_as(store, "rad", "import", "dicom", str(root)), PASSWORDS["rad"], monkeypatch)
    code, out, _ = run(_as(store, "phys", "studies", "list", "--json"), PASSWORDS["phys"],
                       monkeypatch)
    assert code == 0
    (row,) = json.loads(out)
    assert row["study_uid"] == ct.study_uid and row["modalities"] == ["CT"] and row["series"] == 2
    code, out, _ = run(_as(store, "rad", "studies", "show", ct.study_uid), PASSWORDS["rad"],
                       monkeypatch)
    assert code == 0
    assert "decodable: 5/5" in out
    assert "stack: volume, 5 × 16 × 16 (slices × rows × cols), spacing 1.25 × 20 × 20 mm, axial" in out
    assert "WARNING: missing slices: 1 slice(s) absent" in out
    assert "WARNING: gantry tilt of 10.00°" in out
    assert "stack 1 of 2 (axial): volume, 4 × 64 × 64" in out
    assert "stack 2 of 2 (sagittal)" in out and "WARNING: mixed stacks" in out
    code, out, _ = run(_as(store, "rad", "studies", "show", ct.study_uid, "--json"),
                       PASSWORDS["rad"], monkeypatch)
    doc = json.loads(out)
    assert doc["study"]["study_uid"] == ct.study_uid
    assert {s["stacks"][0]["kind"] for s in doc["series"]} == {"volume"}


def test_show_unknown_study_exits_1(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """studies show with an unknown UID is one line on stderr and exit 1, no traceback."""
    code, _out, err = run(_as(store, "rad", "studies", "show", "1.2.3"), PASSWORDS["rad"],
                          monkeypatch)
    assert code == 1 and err.startswith("clinic-app: No study with this UID")
    assert "Traceback" not in err
