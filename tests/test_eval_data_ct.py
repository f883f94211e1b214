"""The synthetic CT evaluation sets: a lung-only set holds lung nodules, of the sizes asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from clinic_app.core.inference.eval_data import index_folder, load_series, read_truth
from clinic_app.core.inference.imaging_pipeline import geometry_of
from tests.eval_data_support import MODELS, make_eval_data


def test_lung_only_set_puts_each_nodule_in_lung_within_the_diameters(tmp_path: Path) -> None:
    """Each truth lesion is a dense centre in lung, 5-8 mm across (radii vary by ±15 %)."""
    truth = make_eval_data().ct_synthetic(tmp_path, 3, 20260001, diameter_mm=(5.0, 8.0),
                                           lung_only=True)
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert "lung nodules of 5-8 mm" in truth["description"]
    series, _ = index_folder(tmp_path)
    lesions = 0
    for uid, found in read_truth(tmp_path / "truth.json").scans.items():
        volume = load_series(series[uid])
        to_voxel = np.linalg.inv(geometry_of(volume).affine)
        for lesion in found:
            assert 5.0 * 0.85 <= lesion.diameter_mm <= 8.0 * 1.15
            i, j, k, _ = (to_voxel @ np.array([*lesion.centre_mm, 1.0])).round().astype(int)
            plane = volume.voxels[k].astype(float)
            assert -300.0 < plane[j, i] < 150.0  # nodule density, not lung or bone
            # 16 points on a circle 4 mm outside the nodule: lung, bar the odd vessel.
            angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
            reach = (lesion.diameter_mm / 2.0 + 4.0) / volume.spacing[1]
            around = plane[(j + reach * np.sin(angles)).round().astype(int),
                           (i + reach * np.cos(angles)).round().astype(int)]
            assert (around < -600.0).mean() >= 0.75
            lesions += 1
    assert lesions >= 3


def test_an_impossible_diameter_range_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """MIN above MAX would silently draw sizes outside the asked range; it is refused."""
    out = tmp_path / "set"
    done = subprocess.run([sys.executable, str(MODELS / "make_eval_data.py"), "ct-synthetic",
                           str(out), "--diameter", "30", "5"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert "--diameter needs 0 < MIN <= MAX (mm), not 30 5" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def _offsets(folder: Path) -> list[tuple[float, float]]:
    """Per lesion: slice spacing, and truth centre minus the nearest slice (mm along the
    slice normal, from the written ImagePositionPatient)."""
    series, _ = index_folder(folder)
    out = []
    for uid, found in read_truth(folder / "truth.json").scans.items():
        volume = load_series(series[uid])
        to_voxel = np.linalg.inv(geometry_of(volume).affine)
        for lesion in found:
            k = (to_voxel @ np.array([*lesion.centre_mm, 1.0]))[2]
            step = float(volume.spacing[0])
            out.append((step, (k - round(k)) * step))
    return out


def test_lesion_centres_lie_anywhere_between_slices_unless_asked_on_them(tmp_path: Path) -> None:
    """A real lesion does not centre on a slice; the sets made before 2026-12-07 (every
    centre on one) showed small lesions at their widest on 5 mm slices, which favoured
    sizes that assume so. ``on_slice`` writes those sets again."""
    make = make_eval_data().ct_synthetic
    for on_slice in (False, True):
        folder = tmp_path / str(on_slice)
        truth = make(folder, 6, 20260002, diameter_mm=(8.0, 12.0), on_slice=on_slice)
        (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
        found = _offsets(folder)
        assert len(found) >= 6
        assert ("centres on a slice" in truth["description"]) is on_slice
        if on_slice:
            assert all(abs(dz) < 1e-3 for _step, dz in found)
        else:
            assert all(abs(dz) <= step / 2 + 1e-3 for step, dz in found)
            assert max(abs(dz) / step for step, dz in found) > 0.2
