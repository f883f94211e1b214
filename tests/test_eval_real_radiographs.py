"""The real-radiograph evaluation set: which real images it holds and what its truth says."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pydicom
import pytest

from tests.eval_data_support import models_script


@pytest.mark.slow
def test_cr_real_holds_three_real_radiographs_with_nodules_where_there_is_lung(tmp_path: Path) -> None:
    """RG1 and the cat thorax without and with two nodules, RG3 without: truth in mm only
    where the file has a pixel spacing, and the nodules really are in the written pixels."""
    pytest.importorskip("deid_data")
    med = models_script("eval_radiographs")
    truth = med.cr_real(tmp_path, 20261206)
    (tmp_path / "truth.json").write_text(json.dumps(truth))
    scans = truth["scans"]
    assert [(s["background"], len(s["lesions"])) for s in scans] == [
        ("RG1", 0), ("RG1", 2), ("cat", 0), ("cat", 2), ("RG3", 0)]
    clean = pydicom.dcmread(tmp_path / "cr-cat-0" / "CR.dcm")
    nodules = pydicom.dcmread(tmp_path / "cr-cat-N" / "CR.dcm")
    assert clean.Modality == "DX" and float(clean.PixelSpacing[0]) == pytest.approx(0.14)
    for lesion in scans[3]["lesions"]:
        col, row = (v / 0.14 for v in lesion["centre_mm"])  # image-plane mm -> pixels
        r, c = round(row), round(col)
        added = (nodules.pixel_array[r - 2:r + 3, c - 2:c + 3].astype(np.int32)
                 - clean.pixel_array[r - 2:r + 3, c - 2:c + 3].astype(np.int32))
        assert added.mean() > 50, lesion  # brighter (MONOCHROME2) at the stated centre
        assert 6.0 <= lesion["diameter_mm"] <= 12.0
    (n1, _n2) = scans[1]["lesions"]
    assert n1["id"] == "N1" and n1["diameter_mm"] > 60  # RG1: pixels, no spacing


@pytest.mark.slow
def test_cr_real_single_has_one_nodule_per_image_inside_the_lung_sites(tmp_path: Path) -> None:
    """Each chest and cat image carries one nodule, at its listed site, and each background
    is also written without one (false positives on real anatomy)."""
    pytest.importorskip("deid_data")
    med = models_script("eval_radiographs")
    truth = med.cr_real_single(tmp_path, 20261208)
    scans = truth["scans"]
    assert [len(s["lesions"]) for s in scans] == [0] + [1] * 8 + [0] + [1] * 6
    cat = pydicom.dcmread(tmp_path / "cat-0" / "CR.dcm")
    for k, scan in enumerate(scans[10:]):
        (lesion,) = scan["lesions"]
        fr, fc = med.SINGLE_SITES["cat"][k]
        col, row = (v / 0.14 for v in lesion["centre_mm"])
        assert row == pytest.approx(fr * cat.Rows, abs=1) and col == pytest.approx(fc * cat.Columns, abs=1)
        written = pydicom.dcmread(tmp_path / f"cat-{k + 1}" / "CR.dcm")
        r, c = round(row), round(col)
        assert (written.pixel_array[r, c].astype(int) - cat.pixel_array[r, c].astype(int)) > 50
