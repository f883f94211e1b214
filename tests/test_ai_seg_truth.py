"""models evaluate with DICOM SEG ground truth: lesions read from real SEG files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest

from clinic_app.core.dicom_out.codes import ABNORMAL_STRUCTURE, LESION
from clinic_app.core.inference.eval_data import index_folder, load_series
from clinic_app.core.inference.seg_truth import seg_lesions, seg_truth
from clinic_app.errors import InvalidInput
from tests.conftest import StoreFixture
from tests.test_ai_cli import run
from tests.test_ai_evaluation import _dataset as json_truth_dataset

#: The planted lesion: slice 12, row 150, column 100, radius 10 mm; 1 mm pixels, 2.5 mm slices,
#: first pixel at (-179, -179, -400) LPS (the synthetic series' origin).
CENTRE_KRC, RADIUS = (12, 150, 100), 10.0
CENTRE_LPS = (-179.0 + 100.0, -179.0 + 150.0, -400.0 + 12 * 2.5)


def _sphere(shape: tuple[int, int, int], spacing: tuple[float, float, float]) -> np.ndarray:
    k, r, c = np.ogrid[:shape[0], :shape[1], :shape[2]]
    d2 = (((k - CENTRE_KRC[0]) * spacing[0]) ** 2 + ((r - CENTRE_KRC[1]) * spacing[1]) ** 2
          + ((c - CENTRE_KRC[2]) * spacing[2]) ** 2)
    return d2 <= RADIUS ** 2


def _write_seg(paths: list[Path], mask: np.ndarray, out: Path, *, second: bool = False) -> None:
    """A BINARY SEG (highdicom) of ``mask`` on the series in ``paths`` (one segment, or two
    with the second holding a far-away 6 mm blob)."""
    sources = [pydicom.dcmread(p) for p in paths]
    masks = mask[..., None].astype(bool)
    descriptions = [hd.seg.SegmentDescription(
        segment_number=1, segment_label="lesion", segmented_property_category=ABNORMAL_STRUCTURE,
        segmented_property_type=LESION, algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL)]
    if second:
        blob = np.zeros_like(mask)
        blob[4:6, 40:46, 240:246] = True
        masks = np.stack([mask, blob], axis=-1)
        descriptions.append(hd.seg.SegmentDescription(
            segment_number=2, segment_label="other", segmented_property_category=ABNORMAL_STRUCTURE,
            segmented_property_type=LESION, algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL))
    seg = hd.seg.Segmentation(
        source_images=sources, pixel_array=masks,
        segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
        segment_descriptions=descriptions, series_instance_uid=hd.UID(), series_number=99,
        sop_instance_uid=hd.UID(), instance_number=1, manufacturer="reader",
        manufacturer_model_name="manual", software_versions="1", device_serial_number="1")
    seg.save_as(out)


def _dataset(folder: Path, *, second: bool = False) -> list:
    """test_ai_evaluation's two phantom CTs, the lesion's truth as a SEG instead of JSON."""
    written = json_truth_dataset(folder)
    (folder / "truth.json").unlink()
    _write_seg(written[0].paths, _sphere((24, 320, 320), (2.5, 1.0, 1.0)), folder / "seg.dcm",
               second=second)
    return written


def test_seg_truth_gives_the_planted_lesion_in_lps_mm(tmp_path: Path) -> None:
    """The SEG's sphere is one lesion at the planted centre (LPS, within 0.5 mm), 20 mm
    across and 4.19 mL (voxel counting: within 5 %); the other series has no lesions."""
    written = _dataset(tmp_path, second=True)
    series, _skipped = index_folder(tmp_path)
    truth = seg_truth(series)
    assert truth is not None and set(truth.scans) == {w.series_uid for w in written}
    assert truth.scans[written[1].series_uid] == ()
    lesions = seg_lesions(load_series(series[written[0].series_uid]),
                          truth.scans[written[0].series_uid])
    big, small = sorted(lesions, key=lambda les: -les.diameter_mm)
    assert math.dist(big.centre_mm, CENTRE_LPS) < 0.5
    assert big.diameter_mm == pytest.approx(20.0, rel=0.05)
    assert big.volume_ml == pytest.approx(4 / 3 * math.pi * RADIUS ** 3 / 1000, rel=0.05)
    assert small.volume_ml == pytest.approx(2 * 6 * 6 * 2.5 / 1000)  # 2 slices of 6 x 6 px


def test_seg_on_a_series_not_in_the_folder_is_refused(tmp_path: Path) -> None:
    """A SEG whose annotated series is absent: refused naming the SEG file."""
    written = _dataset(tmp_path)
    for p in written[0].paths:
        p.unlink()
    series, _ = index_folder(tmp_path)
    with pytest.raises(InvalidInput, match=r"seg\.dcm annotates a series that is not in the folder"):
        seg_truth(series)


def test_models_evaluate_reads_seg_truth_like_the_json_truth(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI on a folder with a SEG and no truth.json: one lesion, found once, no false
    positives on the unannotated scan, and the data line says SEG."""
    _dataset(tmp_path / "data")
    code, out, err = run(["--store", str(store.root), "models", "evaluate",
                          "ct-hyperdense-lesion-demo", "--data", str(tmp_path / "data"), "--json"],
                         monkeypatch)
    assert code == 0, err
    report = json.loads(out)
    (row,) = report["lesions"]
    assert row["findings"] == 1 and row["meets_goal"], row
    assert report["metrics"]["sensitivity"] == 1.0
    assert report["metrics"]["false_positives_per_scan_without_lesion"] == 0.0
    assert report["data"].startswith("DICOM SEG ground truth: 1 segmentation(s) on 1 of 2 series")
    assert report["unlabelled_series"] == 0
