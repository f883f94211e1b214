"""models evaluate: lesion matching, FROC, calibration and the command on real DICOM files."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest

from clinic_app.core.inference.eval_data import TRUTH_FORMAT, read_truth
from clinic_app.core.inference.evaluation import Lesion, ScanResult, froc, lesion_rows, summary
from clinic_app.core.inference.findings import Finding
from clinic_app.errors import InvalidInput
from clinic_app.synthetic.dicom_series import write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from tests.conftest import StoreFixture
from tests.test_ai_cli import run

MODELS = Path(__file__).resolve().parents[1] / "models"


def _finding(centre: tuple[float, float, float], score: float, diameter: float = 10.0,
             volume: float | None = None) -> Finding:
    return Finding(label="x", score=score, flagged=score >= 0.5, threshold=0.5, slice_index=0,
                   slice_range=(0, 0), bbox_px={}, bbox_mm={}, center_px=[], center_mm=list(centre),
                   contour_px=[], contour_mm=[], volume_ml=volume, diameter_mm=diameter,
                   frame="LPS", location_method="segmentation")


def test_froc_and_per_lesion_rows_match_hand_counts():
    """Two scans, three lesions, a split lesion and false positives: counts worked out by hand."""
    a = Lesion("A", (0.0, 0.0, 0.0), 10.0, math.pi / 6 * 1.0)
    b = Lesion("B", (50.0, 0.0, 0.0), 20.0)
    c = Lesion("C", (0.0, 0.0, 0.0), 8.0)
    scans = [
        ScanResult("s1", (a, b), (_finding((0.5, 0, 0), 0.9, 10.5, math.pi / 6 * 1.1),  # A
                                  _finding((52, 0, 0), 0.7, 14.0),  # B, too small
                                  _finding((48, 0, 0), 0.6, 19.0),  # B again: split
                                  _finding((100, 0, 0), 0.8))),  # FP at 0.8
        ScanResult("s2", (c,), (_finding((0, 30, 0), 0.95), _finding((1, 0, 0), 0.3))),
    ]
    rows = {r.lesion_id: r for r in lesion_rows(scans)}
    assert rows["A"].findings == 1 and rows["A"].meets_goal
    assert rows["A"].diameter_error == pytest.approx(0.05)
    assert rows["B"].findings == 2 and not rows["B"].meets_goal
    assert rows["B"].score == 0.7 and rows["B"].diameter_error == pytest.approx(-0.3)
    assert rows["C"].findings == 0  # only an unflagged hit
    # Cuts (2 scans): 0.95 FP 0.5/scan, sens 0 | 0.9 A: 1/3 | 0.8 FP 1/scan | 0.7 B: 2/3 |
    # 0.6 duplicate of B (neither) | 0.3 C: 3/3 at 1 FP/scan.
    assert froc(scans) == {"0.5": 0.333, "1": 1.0, "2": 1.0, "4": 1.0}
    m = summary(scans, list(rows.values()))
    assert m["sensitivity"] == 0.667 and m["false_positives_per_scan"] == 1.0
    assert m["one_finding_per_lesion"] == 0.5
    # By diameter: C (8 mm) missed; A (10 mm) found and right; B (20 mm) found, split.
    assert m["by_diameter"] == [
        {"diameter_mm": [6.0, 10.0], "lesions": 1, "found": 0, "meets_size_goal": 0},
        {"diameter_mm": [10.0, 20.0], "lesions": 1, "found": 1, "meets_size_goal": 1},
        {"diameter_mm": [20.0, None], "lesions": 1, "found": 1, "meets_size_goal": 0}]


@pytest.mark.parametrize(("doc", "message"), [
    ({"format": "other", "scans": []}, '"format"'),
    ({"format": TRUTH_FORMAT, "scans": []}, '"scans"'),
    ({"format": TRUTH_FORMAT, "scans": [{"lesions": []}]}, "series_uid"),
    ({"format": TRUTH_FORMAT, "scans": [{"series_uid": "1.2", "lesions": [
        {"centre_mm": [0, 0, "x"], "diameter_mm": 5}]}]}, "centre_mm"),
    ({"format": TRUTH_FORMAT, "scans": [{"series_uid": "1.2", "lesions": [
        {"centre_mm": [0, 0, 0], "diameter_mm": -5}]}]}, "diameter_mm"),
])
def test_bad_truth_files_are_refused_naming_the_field(tmp_path: Path, doc: dict, message: str):
    """Each malformed truth file is refused with the field named, never a traceback."""
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidInput, match=message):
        read_truth(path)


def _dataset(folder: Path) -> list:
    """Two 2.5 mm phantom CTs: one with a 20 mm hyperdense liver lesion, one without."""
    truth, written_all = [], []
    for n, lesions in enumerate(([CtLesion((12.0, 150.0, 100.0), (10.0, 10.0, 10.0), 220.0,
                                           "hyperdense")], [])):
        written = write_ct_series(folder / f"s{n}", slices=24, rows=320, cols=320, pixel_mm=1.0,
                                  spacing_mm=2.5, seed=3, series_number=n + 1)
        plant_ct_lesions(written.paths, lesions, np.random.default_rng(n))
        written_all.append(written)
        truth.append({"series_uid": written.series_uid, "lesions": [
            {"id": "L1", "centre_mm": [-179.0 + 100.0, -179.0 + 150.0, -400.0 + 12 * 2.5],
             "diameter_mm": 20.0, "volume_ml": round(math.pi / 6 * 8.0, 4)}] if lesions else []})
    (folder / "truth.json").write_text(json.dumps(
        {"format": TRUTH_FORMAT, "description": "test set", "scans": truth}))
    return written_all


def test_models_evaluate_measures_the_shipped_ct_model_and_writes_its_manifest(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """One 20 mm lesion, one empty scan: one finding of the right size, metrics into a package copy."""
    _dataset(tmp_path / "data")
    package = tmp_path / "pkg"
    shutil.copytree(MODELS / "ct-hyperdense-lesion-demo", package)
    s = ["--store", str(store.root)]
    code, out, err = run([*s, "models", "evaluate", "ct-hyperdense-lesion-demo", "--data",
                          str(tmp_path / "data"), "--json", "--write-manifest", str(package)],
                         monkeypatch)
    assert code == 0, err
    report = json.loads(out)
    (row,) = report["lesions"]
    assert row["findings"] == 1 and row["meets_goal"], row
    m = report["metrics"]
    assert m["sensitivity"] == 1.0 and m["false_positives_per_scan_without_lesion"] == 0.0
    assert set(m["froc_sensitivity"]) == {"0.5", "1", "2", "4"}
    assert m["provider"] == "CPUExecutionProvider" and report["data"] == "test set"
    written = json.loads((package / "manifest.json").read_text())
    assert written["evaluation"]["metrics"] == m
    assert written["evaluation"]["command"].startswith("clinic-app models evaluate")
    code, out, _err = run([*s, "models", "evaluate", "ct-hyperdense-lesion-demo", "--data",
                           str(tmp_path / "data")], monkeypatch, user="admin")
    assert code == 0 and "FROC sensitivity" in out and "DEMO MODEL" in out
    assert "By lesion diameter:\n  20 mm and over: found 1 of 1, size goal met by 1\n" in out


def test_models_evaluate_refuses_a_physician_and_a_missing_truth(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Physicians may not evaluate (exit 4); a folder without truth is a one-line refusal."""
    s = ["--store", str(store.root)]
    (tmp_path / "empty").mkdir()
    code, _out, err = run([*s, "models", "evaluate", "ct-hyperdense-lesion-demo", "--data",
                           str(tmp_path / "empty")], monkeypatch, user="phys")
    assert code == 4 and "models.evaluate" in err
    code, _out, err = run([*s, "models", "evaluate", "ct-hyperdense-lesion-demo", "--data",
                           str(tmp_path / "empty")], monkeypatch)
    assert code == 1 and "No truth file" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_real_chest_radiograph_without_pixel_spacing_never_shows_mm(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """pydicom-data's RG1 chest CR (PixelSpacing 0\\0): any finding says size unknown, no mm;
    and since 1.1.0 (real-background training) this real chest without a nodule is not flagged."""
    from pydicom.data import get_testdata_file

    (tmp_path / "cr").mkdir()
    shutil.copy(get_testdata_file("RG1_UNCR.dcm"), tmp_path / "cr" / "RG1.dcm")
    s = ["--store", str(store.root)]
    code, out, err = run([*s, "import", "dicom", str(tmp_path / "cr")], monkeypatch)
    assert code == 0, err
    study = pydicom.dcmread(tmp_path / "cr" / "RG1.dcm", stop_before_pixels=True).StudyInstanceUID
    code, out, err = run([*s, "analyze", study, "--model", "cr-nodule-demo", "--json"], monkeypatch)
    assert code == 0, err
    (run_,) = json.loads(out)["runs"]
    (finding,) = run_["findings"]
    assert finding["frame"] == "uncalibrated"
    assert finding["diameter_mm"] is None and finding["volume_ml"] is None
    assert not finding["flagged"], finding["score"]
    code, out, err = run([*s, "findings", study], monkeypatch)
    assert code == 0, err
    assert "size unknown (no pixel spacing)" in out and " mm" not in out.split("SIZE", 1)[1]
