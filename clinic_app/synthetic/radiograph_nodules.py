"""Round opacities added to the radiograph phantoms, with what makes them hard to see.

Radiographs are attenuation in [0, 1], 1 = most attenuating, as
``phantoms.chest_radiograph``: a nodule adds the projected thickness of a sphere; lung
markings, soft-tissue gradients, detector blur and quantum noise are added before the
image is written, because a classifier trained on clean phantoms learns nothing about
real films.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from clinic_app.synthetic.lesions import box_within


@dataclass(frozen=True)
class CrNodule:
    """A round opacity: centre ``(row, col)`` in pixels, radius in mm, central attenuation."""

    centre: tuple[float, float]
    radius_mm: float
    attenuation: float


def insert_cr_nodules(att: np.ndarray, pixel_mm: float, nodules: Sequence[CrNodule]) -> np.ndarray:
    """Add each nodule's projected thickness profile to ``att`` (in place); returns the mask."""
    mask = np.zeros(att.shape, dtype=np.uint8)
    for nodule in nodules:
        found = box_within(att.shape, (pixel_mm, pixel_mm), nodule.centre, nodule.radius_mm + 1)
        if found is None:
            continue
        box, (dy, dx) = found
        rr = (dy[:, None] ** 2 + dx[None, :] ** 2) / nodule.radius_mm ** 2
        thickness = np.sqrt(np.clip(1.0 - rr, 0.0, 1.0))
        att[box] += nodule.attenuation * thickness
        mask[box] |= (rr <= 1.0).astype(np.uint8)
    np.clip(att, 0.0, 1.0, out=att)
    return mask


def radiograph_lung_mask(att: np.ndarray) -> np.ndarray:
    """Lung fields of ``phantoms.chest_radiograph``: low attenuation averaged over ribs,
    well inside the body (the blurred body edge passes through lung-like values too)."""
    rows, cols = att.shape
    k = max(3, (min(rows, cols) // 12) | 1)
    regional = cv2.blur(att, (k, k))
    body = (regional > 0.15).astype(np.uint8)
    inner = cv2.erode(body, np.ones((k, k), np.uint8)) > 0
    return inner & (regional < 0.42)


def random_cr_nodules(att: np.ndarray, pixel_mm: float, rng: np.random.Generator, count: int,
                      *, diameter_mm: tuple[float, float] = (10.0, 30.0),
                      attenuation: tuple[float, float] = (0.15, 0.35)) -> list[CrNodule]:
    """``count`` nodules centred in the lung fields, kept apart.

    The phantom's ribs are drawn at +0.5 attenuation over lung, brighter than real ribs;
    nodule densities are set on the same scale (a solid nodule about as dense as a rib
    crossing), so their conspicuity against the ribs is about that of real films."""
    sites = np.argwhere(radiograph_lung_mask(att)[::4, ::4]) * 4
    return nodules_at_sites(sites, pixel_mm, rng, count, diameter_mm=diameter_mm,
                            attenuation=attenuation)


def nodules_at_sites(sites: np.ndarray, pixel_mm: float, rng: np.random.Generator, count: int,
                     *, diameter_mm: tuple[float, float], attenuation: tuple[float, float]
                     ) -> list[CrNodule]:
    """``count`` nodules centred on random ``sites`` (row, col pixels), at least 40 mm apart."""
    nodules: list[CrNodule] = []
    for _ in range(count * 20):
        if len(nodules) == count or len(sites) == 0:
            break
        r, c = (float(v) for v in sites[rng.integers(len(sites))])
        if any(math.hypot(r - n.centre[0], c - n.centre[1]) * pixel_mm < 40 for n in nodules):
            continue
        nodules.append(CrNodule((r, c), rng.uniform(*diameter_mm) / 2.0,
                                float(rng.uniform(*attenuation))))
    return nodules


def add_radiograph_structure(att: np.ndarray, pixel_mm: float, rng: np.random.Generator,
                             *, markings: int = 60) -> None:
    """Lung markings radiating from the hila, soft-tissue gradients and detector blur (in place)."""
    rows, cols = att.shape
    lung = radiograph_lung_mask(att)
    lines = np.zeros_like(att)
    for side in (-1, 1):
        hilum = np.array([rows * 0.42, cols * (0.5 + side * 0.12)])
        for _ in range(markings // 2):
            angle = rng.uniform(-math.pi, math.pi)
            point = hilum.copy()
            width = rng.uniform(2.0, 4.5) / pixel_mm
            for _seg in range(int(rng.uniform(6, 14))):
                angle += rng.normal(scale=0.25)
                step = rng.uniform(8.0, 18.0) / pixel_mm
                nxt = point + step * np.array([math.sin(angle), math.cos(angle)])
                cv2.line(lines, (round(point[1]), round(point[0])), (round(nxt[1]), round(nxt[0])),
                         float(rng.uniform(0.04, 0.09)), max(1, round(width)), cv2.LINE_AA)
                point, width = nxt, max(1.0, width * 0.85)
    att += np.where(lung, cv2.GaussianBlur(lines, (0, 0), 1.0), 0.0)
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    gradient = rng.uniform(-0.05, 0.05) * (yy / rows - 0.5) + rng.uniform(-0.04, 0.04) * (xx / cols - 0.5)
    att += gradient
    blurred = cv2.GaussianBlur(att, (0, 0), rng.uniform(0.6, 1.4) * max(1.0, 0.35 / pixel_mm))
    att[...] = np.clip(blurred, 0.0, 1.0)


def expose(att: np.ndarray, rng: np.random.Generator, *, photons: float = 4000.0,
           bits: int = 12, monochrome1: bool = False) -> np.ndarray:
    """Detector values (uint16) from attenuation, with quantum noise that grows in dense areas.

    Transmitted photons follow exp(−μt); the detector's log signal then has a variance
    ∝ 1/photons, larger where fewer photons arrive, which is what real radiographs show.
    """
    transmitted = photons * np.exp(-3.0 * att)
    counts = rng.poisson(transmitted).astype(np.float32)
    signal = -np.log(np.maximum(counts, 1.0) / photons) / 3.0
    top = (1 << bits) - 1
    stored = np.clip(signal, 0.0, 1.0) * top
    if monochrome1:
        stored = top - stored
    return np.rint(stored).astype(np.uint16)


def plant_cr_nodules(path: Path, nodules: Sequence[CrNodule], rng: np.random.Generator, *,
                     realistic: bool = True) -> None:
    """Add ``nodules`` to a CR written by ``dicom_series.write_cr`` (file rewritten).

    With ``realistic``, lung markings, detector blur and quantum noise are added as well
    (the same steps the demo classifier was trained with).
    """
    import pydicom

    ds = pydicom.dcmread(path)
    top = float((1 << int(ds.BitsStored)) - 1)
    mono1 = ds.PhotometricInterpretation == "MONOCHROME1"
    stored = ds.pixel_array.astype(np.float32)
    att = (top - stored) / top if mono1 else stored / top
    spacing = ds.get("ImagerPixelSpacing") or ds.get("PixelSpacing") or [1.0, 1.0]
    pixel_mm = float(spacing[0])
    if realistic:
        add_radiograph_structure(att, pixel_mm, rng)
    insert_cr_nodules(att, pixel_mm, nodules)
    if realistic:
        out = expose(att, rng, bits=int(ds.BitsStored), monochrome1=mono1)
    else:
        out = np.rint((1.0 - att if mono1 else att) * top).astype(np.uint16)
    ds.PixelData = out.tobytes()
    ds.save_as(path, enforce_file_format=True)
