"""review modified / add-finding / export results from the command line, on the shipped demo model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pydicom
import pytest

from clinic_app.synthetic.dicom_series import write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from tests.conftest import StoreFixture
from tests.results_support import dciodvfy_errors
from tests.test_ai_cli import run

LIVER = CtLesion((5.0, 150.0, 100.0), (6.0, 6.0, 6.0), 210.0)


@pytest.fixture
def analysed_cli(store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, dict]:
    """A phantom CT with a liver lesion, imported and analysed by the demo CT model via the CLI."""
    written = write_ct_series(tmp_path / "ct", slices=12, rows=320, cols=320, pixel_mm=1.0,
                              spacing_mm=2.5, seed=3)
    plant_ct_lesions(written.paths, [LIVER], np.random.default_rng(0), vessels=0)
    frame_of_reference = pydicom.uid.generate_uid()
    for path in written.paths:  # one frame of reference, as a scanner writes
        ds = pydicom.dcmread(path)
        ds.FrameOfReferenceUID = frame_of_reference
        ds.save_as(path, enforce_file_format=True)
    s = ["--store", str(store.root)]
    code, _out, err = run([*s, "import", "dicom", str(tmp_path / "ct")], monkeypatch)
    assert code == 0, err
    code, out, err = run([*s, "analyze", written.study_uid, "--model",
                          "ct-hyperdense-lesion-demo", "--json"], monkeypatch)
    assert code == 0, err
    flagged = [f for f in json.loads(out)["runs"][0]["findings"] if f["flagged"]]
    assert flagged
    return written.study_uid, written.series_uid, flagged[0]


def test_modify_add_and_export_from_the_cli(store: StoreFixture, analysed_cli, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch):
    """review modified --bbox, add-finding and export results --json write valid SEG/SR/KO."""
    study, series, finding = analysed_cli
    s = ["--store", str(store.root)]
    code, out, err = run([*s, "review", str(finding["id"]), "modified", "--bbox",
                          "90,140,110,160", "--comment", "tighter", "--json"], monkeypatch)
    assert code == 0, err
    assert json.loads(out)["review"]["revised"]["bbox_px"]["col"] == [90, 110]
    code, out, err = run([*s, "add-finding", study, "--series", series, "--slice", "2",
                          "--bbox", "10,10,20,20", "--label", "pulmonary nodule", "--json"],
                         monkeypatch)
    assert code == 0, err
    assert json.loads(out)["review_status"] == "added"
    code, out, err = run([*s, "export", "results", study, "--to", str(tmp_path / "out"),
                          "--json"], monkeypatch)
    assert code == 0, err
    files = json.loads(out)["files"]
    assert {f["kind"] for f in files} == {"SEG", "SR", "KO"}
    by_kind = {f["kind"]: f for f in files}
    assert by_kind["SR"]["sop_class"] == "Comprehensive 3D SR Storage"
    assert by_kind["SEG"]["sop_class"] == "Segmentation Storage"
    for f in files:
        assert Path(f["path"]).is_file() and dciodvfy_errors(Path(f["path"])) == []


def test_cli_usage_errors_for_review_boxes(store: StoreFixture, monkeypatch: pytest.MonkeyPatch):
    """'modified' without --bbox, or a malformed box, is a usage error (exit 2) with a reason."""
    s = ["--store", str(store.root)]
    code, _out, err = run([*s, "review", "1", "modified"], monkeypatch)
    assert code == 2 and "--bbox" in err
    code, _out, err = run([*s, "review", "1", "modified", "--bbox", "1,2,3"], monkeypatch)
    assert code == 2 and "four whole numbers" in err
    code, _out, err = run([*s, "review", "1", "accepted", "--bbox", "1,2,3,4"], monkeypatch)
    assert code == 2
