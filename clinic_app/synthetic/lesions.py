"""Focal lesions, and the structures that mimic them, added to the phantoms with truth masks.

The demo detectors are trained and evaluated on these, and the AI tests plant them at
known positions, so they have to be honest: a lesion has a soft (partial-volume) edge,
internal texture and a size and density from the clinical range, and the background
carries what makes detection hard in real images, above all vessels, whose
cross-sections look like small nodules, plus correlated noise and tissue texture.

CT (Hounsfield units, arrays ``(slices, rows, cols)``, spacing ``(slice, row, col)`` mm):

* lung nodules 5–24 mm across, part-solid to solid (−200…+80 HU) in lung at about
  −850 HU;
* hyperdense soft-tissue lesions (acute haematoma, arterially enhancing or calcified
  masses) 50–250 HU above the surrounding liver, kidney or muscle;
* lung vessels: tapering branching tubes of blood density, 1–5 mm across.

Radiographs have their own module, ``radiograph_nodules``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from clinic_app.core.imaging.phantoms import LUNG, ct_body_slice

LUNG_RANGE_HU = (-950.0, -700.0)
SOFT_TISSUE_RANGE_HU = (0.0, 90.0)


@dataclass(frozen=True)
class CtLesion:
    """An ellipsoidal lesion: centre as voxel ``(k, j, i)``, semi-axes in mm along k, j, i."""

    centre: tuple[float, float, float]
    radii_mm: tuple[float, float, float]
    peak_hu: float
    kind: str = "nodule"
    edge_mm: float = 0.7  # partial-volume blur of the boundary (scanner PSF, lesion margin)

    @property
    def diameter_mm(self) -> float:
        return 2.0 * float(np.prod(self.radii_mm)) ** (1.0 / 3.0)


def ct_volume(slices: int, rows: int = 256, cols: int = 256, *, pixel_mm: float = 1.4,
              spacing_mm: float = 2.5, z0_mm: float = 150.0, z_extent_mm: float = 375.0,
              noise_hu: float = 12.0, seed: int = 0) -> np.ndarray:
    """A stack of ``phantoms.ct_body_slice`` slices as float32 HU ``(slices, rows, cols)``."""
    return np.stack([ct_body_slice(z0_mm + k * spacing_mm, rows, cols, pixel_mm,
                                   z_extent_mm=z_extent_mm, noise_hu=noise_hu, seed=seed)
                     for k in range(slices)]).astype(np.float32)


def box_within(shape: Sequence[int], spacing: Sequence[float], centre: Sequence[float],
               reach_mm: float) -> tuple[tuple[slice, ...], list[np.ndarray]] | None:
    """Index box within ``reach_mm`` of ``centre`` and the mm offsets of its voxels."""
    box: list[slice] = []
    offsets: list[np.ndarray] = []
    for n, s, c in zip(shape, spacing, centre, strict=True):
        half = reach_mm / s
        lo, hi = max(0, math.floor(c - half)), min(n, math.ceil(c + half) + 1)
        if lo >= hi:
            return None
        box.append(slice(lo, hi))
        offsets.append((np.arange(lo, hi, dtype=np.float32) - c) * s)
    return tuple(box), offsets


def _ellipsoid_weight(shape: Sequence[int], spacing: Sequence[float], centre: Sequence[float],
                      radii: Sequence[float], edge_mm: float
                      ) -> tuple[tuple[slice, ...], np.ndarray, np.ndarray] | None:
    """Soft-edged occupancy (0…1) of an ellipsoid in a box, and its hard truth mask."""
    found = box_within(shape, spacing, centre, max(radii) + 3 * edge_mm)
    if found is None:
        return None
    box, (dz, dy, dx) = found
    r = np.sqrt((dz[:, None, None] / radii[0]) ** 2 + (dy[None, :, None] / radii[1]) ** 2
                + (dx[None, None, :] / radii[2]) ** 2)
    mean_radius = float(np.mean(radii))
    weight = 0.5 * (1.0 - np.tanh((r - 1.0) * mean_radius / edge_mm))
    return box, weight.astype(np.float32), r <= 1.0


def insert_ct_lesions(hu: np.ndarray, spacing: Sequence[float], lesions: Sequence[CtLesion],
                      rng: np.random.Generator, *, texture_hu: float = 10.0) -> np.ndarray:
    """Blend ``lesions`` into ``hu`` (in place); returns the uint8 truth mask.

    Each voxel moves toward the lesion's density by its occupancy, the partial-volume
    model of a voxel straddling the edge, with a little internal texture on top.
    """
    mask = np.zeros(hu.shape, dtype=np.uint8)
    for lesion in lesions:
        found = _ellipsoid_weight(hu.shape, spacing, lesion.centre, lesion.radii_mm,
                                  lesion.edge_mm)
        if found is None:
            continue
        box, weight, core = found
        region = hu[box]
        target = lesion.peak_hu + rng.normal(0.0, texture_hu, region.shape).astype(np.float32)
        region += weight * (target - region)
        mask[box] |= core.astype(np.uint8)
    return mask


def random_ct_lesions(hu: np.ndarray, spacing: Sequence[float], rng: np.random.Generator,
                      count: int, *, diameter_mm: tuple[float, float] = (5.0, 24.0),
                      keep_apart_mm: float = 30.0, lung_only: bool = False) -> list[CtLesion]:
    """``count`` lesions at random lung or soft-tissue sites of ``hu`` (fewer if none fit).

    ``lung_only``: every lesion a lung nodule (the same random draws, so other callers'
    lesions are unchanged).
    """
    lesions: list[CtLesion] = []
    lung = (hu > LUNG_RANGE_HU[0]) & (hu < LUNG_RANGE_HU[1])
    soft = (hu > SOFT_TISSUE_RANGE_HU[0]) & (hu < SOFT_TISSUE_RANGE_HU[1])
    sites = {"nodule": np.argwhere(lung[:, ::4, ::4]) * [1, 4, 4],
             "hyperdense": np.argwhere(soft[:, ::4, ::4]) * [1, 4, 4]}
    for _ in range(count * 20):
        if len(lesions) == count:
            break
        kind = "nodule" if rng.random() < 0.5 or lung_only else "hyperdense"
        candidates = sites[kind]
        if len(candidates) == 0:
            continue
        k, j, i = (float(v) for v in candidates[rng.integers(len(candidates))])
        radius = rng.uniform(*diameter_mm) / 2.0
        radii = tuple(float(radius * rng.uniform(0.85, 1.15)) for _ in range(3))
        centre = (k, j + rng.uniform(-2, 2), i + rng.uniform(-2, 2))
        if any(_distance_mm(centre, other.centre, spacing) < keep_apart_mm for other in lesions):
            continue
        ring = _neighbourhood(hu, spacing, centre, radius + 2.0)
        if ring is None:
            continue
        if kind == "nodule":
            if not np.all((ring > LUNG_RANGE_HU[0] - 100) & (ring < LUNG_RANGE_HU[1])):
                continue
            peak = float(rng.uniform(-200.0, 80.0))  # part-solid to solid
        else:
            if not np.all((ring > SOFT_TISSUE_RANGE_HU[0] - 40) & (ring < 130)):
                continue
            peak = float(np.median(ring) + rng.uniform(50.0, 250.0))
        # Margins from sharp (calcified, well-circumscribed) to blurred (spiculated, thick
        # slices), so a detector does not learn one edge profile.
        lesions.append(CtLesion(centre, radii, peak, kind,  # type: ignore[arg-type]
                                float(rng.uniform(0.1, 1.5))))
    return lesions


def _distance_mm(a: Sequence[float], b: Sequence[float], spacing: Sequence[float]) -> float:
    return float(np.linalg.norm((np.asarray(a) - np.asarray(b)) * np.asarray(spacing)))


def _neighbourhood(hu: np.ndarray, spacing: Sequence[float], centre: Sequence[float],
                   radius_mm: float) -> np.ndarray | None:
    """Voxels within ``radius_mm`` of ``centre`` (the lesion's whole footprint), or None at edges."""
    found = box_within(hu.shape, spacing, centre, radius_mm)
    if found is None:
        return None
    box, (dz, dy, dx) = found
    inside = (dz[:, None, None] ** 2 + dy[None, :, None] ** 2 + dx[None, None, :] ** 2
              <= radius_mm ** 2)
    for axis, (b, n) in enumerate(zip(box, hu.shape, strict=True)):
        if axis > 0 and (b.start == 0 or b.stop == n):
            return None
    return hu[box][inside]


def add_lung_vessels(hu: np.ndarray, spacing: Sequence[float], rng: np.random.Generator,
                     count: int = 40) -> None:
    """Branching, tapering vessels of blood density inside the lungs (in place).

    Each vessel is a random walk of overlapping spheres, 1–5 mm across, thinning as it
    goes; where it runs through the slice plane its cross-section is a small round
    density, the classic nodule mimic a detector must learn to ignore.
    """
    lung = (hu > LUNG_RANGE_HU[0]) & (hu < LUNG_RANGE_HU[1])
    starts = np.argwhere(lung[:, ::3, ::3]) * [1, 3, 3]
    if len(starts) == 0:
        return
    vessel = np.full(hu.shape, -np.inf, dtype=np.float32)
    step_scale = np.asarray(spacing, dtype=np.float64)
    for _ in range(count):
        point = starts[rng.integers(len(starts))].astype(np.float64)
        direction = rng.normal(size=3)
        direction /= np.linalg.norm(direction)
        radius = rng.uniform(0.8, 2.5)
        density = rng.uniform(-20.0, 50.0)
        for _step in range(int(rng.uniform(15, 60))):
            found = _ellipsoid_weight(hu.shape, spacing, point, (radius,) * 3, 0.5)
            if found is None:
                break
            box, weight, _core = found
            np.maximum(vessel[box], LUNG + weight * (density - LUNG), out=vessel[box])
            direction += rng.normal(scale=0.25, size=3)
            direction /= np.linalg.norm(direction)
            point = point + direction * radius / step_scale
            radius = max(0.5, radius * rng.uniform(0.96, 1.0))
            if rng.random() < 0.04:  # branch: continue at an angle, thinner
                direction = direction + rng.normal(scale=0.8, size=3)
                direction /= np.linalg.norm(direction)
                radius *= 0.8
    np.maximum(hu, np.where(lung, vessel, -np.inf), out=hu)


def add_ct_texture(hu: np.ndarray, rng: np.random.Generator, *, sigma_hu: float = 8.0,
                   tissue_hu: float = 6.0) -> None:
    """Correlated (not white) noise and slow tissue inhomogeneity inside the body (in place).

    CT noise is spatially correlated by the reconstruction kernel; a detector trained on
    white noise would learn the wrong thing about edges.
    """
    body = hu > -950
    for k in range(hu.shape[0]):
        white = rng.normal(0.0, 1.0, hu.shape[1:]).astype(np.float32)
        noise = np.asarray(cv2.GaussianBlur(white, (0, 0), 0.8), dtype=np.float32)
        noise *= sigma_hu / max(float(noise.std()), 1e-6)
        white = rng.normal(0.0, 1.0, hu.shape[1:]).astype(np.float32)
        slow = np.asarray(cv2.GaussianBlur(white, (0, 0), 12), dtype=np.float32)
        slow *= tissue_hu / max(float(slow.std()), 1e-6)
        hu[k] += np.where(body[k], noise + slow, 0.0)


# -- into written DICOM ------------------------------------------------------------------------
def plant_ct_lesions(paths: Sequence[Path], lesions: Sequence[CtLesion], rng: np.random.Generator,
                     *, vessels: int = 0) -> np.ndarray:
    """Add ``lesions`` (and optionally lung vessels) to a written CT series, in place.

    Lesion centres index the stack as the geometry orders it: by position along the
    slice normal (not by file name or InstanceNumber, which ``dicom_series`` scrambles).
    Returns the truth mask in that order.
    """
    import pydicom

    datasets = [pydicom.dcmread(p) for p in paths]
    normal = np.cross(np.asarray(datasets[0].ImageOrientationPatient[:3], dtype=float),
                      np.asarray(datasets[0].ImageOrientationPatient[3:], dtype=float))
    order = sorted(range(len(datasets)),
                   key=lambda n: float(np.dot(normal, np.asarray(datasets[n].ImagePositionPatient,
                                                                 dtype=float))))
    first, second = (datasets[order[0]], datasets[order[min(1, len(order) - 1)]])
    step = float(np.dot(normal, np.asarray(second.ImagePositionPatient, dtype=float)
                        - np.asarray(first.ImagePositionPatient, dtype=float))) or 1.0
    spacing = (abs(step), float(first.PixelSpacing[0]), float(first.PixelSpacing[1]))
    slope, intercept = float(first.RescaleSlope), float(first.RescaleIntercept)
    hu = np.stack([datasets[n].pixel_array.astype(np.float32) * slope + intercept for n in order])
    if vessels:
        add_lung_vessels(hu, spacing, rng, vessels)
    mask = insert_ct_lesions(hu, spacing, lesions, rng)
    info = np.iinfo(np.int16)
    for k, n in enumerate(order):
        stored = np.clip(np.rint((hu[k] - intercept) / slope), info.min, info.max)
        datasets[n].PixelData = stored.astype(np.int16).tobytes()
        datasets[n].save_as(paths[n], enforce_file_format=True)
    return mask
