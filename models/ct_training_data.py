"""Training data of the CT demo detector: phantom volumes and the crops cut from them.

Kept apart from ``train_ct_lesion.py`` so a new recipe does not touch the network, the
manifest or the packaging, and so the hard-example pass (``ct_hard_examples``) draws its
volumes exactly as training does. Every recipe that was trained and measured stays here,
by name, because ``docs/imaging-ai.md`` reports its numbers and a reader must be able to
rebuild it; the draws of each are in a fixed order, so a rerun gives the same crops.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from ct_neighbours import model_grid, slices_for, usable

from clinic_app.core.inference.imaging_spec import ImagingSpec
from clinic_app.synthetic.lesions import (
    add_ct_texture,
    add_lung_vessels,
    ct_volume,
    insert_ct_lesions,
    random_ct_lesions,
)

CROP = 96
#: Where ``phantoms.ct_body_slice`` switches from abdomen to thorax (t = 0.45 of 375 mm).
TRANSITION_MM = 0.45 * 375.0


class Recipe(StrEnum):
    """Which training data a run makes (docs/imaging-ai.md has each one's numbers)."""

    #: The network in the package from 1.0.0 to 1.4.0: randomised margins, 1-3 mm slices
    #: (``--steps 1200 --cases 120``).
    ORIGINAL = "original"
    #: The 1.4.0 retraining, measured and not shipped: a third of the volumes hold only
    #: 4-12 mm lesions, small sections cropped twice, slices 0.6-5 mm apart, vessel
    #: cross-sections in lung cropped as negatives (``--steps 2400 --cases 200``).
    B = "candidate-b"
    #: B plus, in every fourth volume, the abdomen-to-thorax change inside the volume with
    #: two extra crops of the trunk on each slice there. 1.5.0 is C with 4 mm neighbours.
    C = "candidate-c"
    #: C with every small-lesion volume holding lung nodules only (not shipped).
    E = "candidate-e"
    #: C with every third volume in the thorax holding 4-12 mm lung nodules only (not
    #: shipped: 1.4-1.9 false positives per scan).
    H = "candidate-h"
    #: H, then the H network's own false positives and missed lesion sections on fresh
    #: volumes cropped back in and the network trained on (``ct_hard_examples``).
    K = "candidate-k"
    #: K with a second pass: the network trained on the first hard crops picks again.
    L = "candidate-l"


#: Recipes whose small-lesion volumes sit in the thorax and hold lung nodules only.
_LUNG_VOLUMES = (Recipe.H, Recipe.K, Recipe.L)


def make_case(rng: np.random.Generator, slices: int, *, rows: int, pixel_mm: float,
              spacing_mm: float, lesions: int, diameter_mm: tuple[float, float] = (5.0, 24.0),
              z0_mm: float | None = None, lung_only: bool = False):
    z0 = float(rng.uniform(0.0, max(1.0, 375.0 - slices * spacing_mm))) if z0_mm is None else z0_mm
    vol = ct_volume(slices, rows, rows, pixel_mm=pixel_mm, spacing_mm=spacing_mm, z0_mm=z0,
                    noise_hu=float(rng.uniform(6, 14)), seed=int(rng.integers(1 << 30)))
    spacing = (spacing_mm, pixel_mm, pixel_mm)
    add_lung_vessels(vol, spacing, rng, int(rng.integers(30, 120)))
    add_ct_texture(vol, rng, sigma_hu=float(rng.uniform(4, 12)))
    placed = random_ct_lesions(vol, spacing, rng, lesions, diameter_mm=diameter_mm,
                               lung_only=lung_only)
    mask = insert_ct_lesions(vol, spacing, placed, rng)
    return vol, spacing, placed, mask


def _scan_geometry(rng: np.random.Generator, step_range: tuple[float, float]
                   ) -> tuple[int, float, float]:
    """A training volume's matrix size, pixel size and slice step (mm), drawn in that order."""
    rows = int(rng.choice([384, 448, 512]))
    pixel_mm = float(rng.uniform(0.6, 0.95))
    return rows, pixel_mm, float(rng.uniform(*step_range))


def training_crops(rng: np.random.Generator, spec: ImagingSpec, cases: int,
                   neighbour_mm: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The original recipe: crops around every lesion slice and at random body positions."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for _ in range(cases):
        rows, pixel_mm, step_mm = _scan_geometry(rng, (1.0, 3.0))
        vol, spacing, _placed, mask = make_case(
            rng, slices_for(neighbour_mm, step_mm), rows=rows, pixel_mm=pixel_mm,
            spacing_mm=step_mm, lesions=int(rng.integers(1, 5)))
        xc, x, y = model_grid(vol, spacing, spec, mask)
        for k in usable(neighbour_mm, len(x), step_mm):
            centres = [tuple(p) for p in np.argwhere(y[k])[::40]][:3]
            body = np.argwhere(x[k] > 0.45)  # above fat: inside the trunk
            if len(body):
                centres.append(tuple(body[rng.integers(len(body))]))
            cut(rng, xc[k], y[k], centres, xs, ys)
    return stacked(xs, ys)


def stacked(xs: list[np.ndarray], ys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Crops as the training arrays: x ``(n, ch, CROP, CROP)``, y ``(n, 1, CROP, CROP)``."""
    return np.stack(xs).astype(np.float32), np.stack(ys)[:, None].astype(np.float32)


def cut(rng: np.random.Generator, channels: np.ndarray, truth: np.ndarray,
        centres: list[tuple[int, int]], xs: list[np.ndarray], ys: list[np.ndarray],
        jitter: int = 40) -> None:
    """One CROP² crop per centre, jittered by up to ``jitter`` pixels, inside the slice."""
    rows, cols = truth.shape
    for r, c in centres:
        r0 = int(np.clip(r - CROP // 2 + rng.integers(-jitter, jitter + 1), 0, rows - CROP))
        c0 = int(np.clip(c - CROP // 2 + rng.integers(-jitter, jitter + 1), 0, cols - CROP))
        xs.append(channels[:, r0:r0 + CROP, c0:c0 + CROP])
        ys.append(truth[r0:r0 + CROP, c0:c0 + CROP])


def _candidate_centres(rng: np.random.Generator, x: np.ndarray, y: np.ndarray
                       ) -> list[tuple[int, int]]:
    """Candidate B's crops of one slice: every lesion section (small ones twice), one
    random body position, one dense spot surrounded by lung (a vessel cross-section)."""
    centres: list[tuple[int, int]] = []
    count, labels = cv2.connectedComponents(y.astype(np.uint8), connectivity=8)
    for n in range(1, count):
        pixels = np.argwhere(labels == n)
        for _ in range(2 if len(pixels) < 80 else 1):
            centres.append(tuple(pixels[rng.integers(len(pixels))]))
    for spots in (np.argwhere(x > 0.45),  # above fat: inside the trunk
                  np.argwhere((x > 0.45) & (cv2.blur(x, (15, 15)) < 0.35) & ~y)):
        if len(spots):
            centres.append(tuple(spots[rng.integers(len(spots))]))
    return centres


@dataclass(frozen=True)
class GridVolume:
    """One training volume on the model grid: input channels, centre image, truth mask."""

    channels: np.ndarray
    image: np.ndarray
    truth: np.ndarray
    step_mm: float
    #: The abdomen-to-thorax change lies inside this volume.
    straddle: bool


def recipe_volumes(rng: np.random.Generator, spec: ImagingSpec, cases: int, recipe: Recipe,
                   neighbour_mm: float | None) -> Iterator[GridVolume]:
    """The volumes of the candidate recipes, lazily, so crop draws interleave as before."""
    for case in range(cases):
        rows, pixel_mm, step_mm = _scan_geometry(rng, (0.6, 5.0))
        slices = slices_for(neighbour_mm, step_mm)
        straddle = recipe in (Recipe.C, Recipe.E, *_LUNG_VOLUMES) and case % 4 == 1
        z0: float | None = None  # anywhere in the phantom
        if straddle:
            z0 = TRANSITION_MM - float(rng.uniform(0.2, 0.8)) * slices * step_mm
        elif recipe in _LUNG_VOLUMES and case % 3 == 2:  # in the thorax
            z0 = float(rng.uniform(TRANSITION_MM + 10.0, 375.0 - slices * step_mm))
        vol, spacing, _placed, mask = make_case(
            rng, slices, rows=rows, pixel_mm=pixel_mm, spacing_mm=step_mm,
            lesions=int(rng.integers(1, 5)),
            diameter_mm=(4.0, 12.0) if case % 3 == 2 else (5.0, 30.0), z0_mm=z0,
            lung_only=recipe in (Recipe.E, *_LUNG_VOLUMES) and case % 3 == 2)
        xc, x, y = model_grid(vol, spacing, spec, mask)
        yield GridVolume(xc, x, y, step_mm, straddle)


def candidate_crops(rng: np.random.Generator, spec: ImagingSpec, cases: int, recipe: Recipe,
                    neighbour_mm: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The candidate recipes' training crops (B, and C, E, H and K built on it)."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for vol in recipe_volumes(rng, spec, cases, recipe, neighbour_mm):
        x, y = vol.image, vol.truth
        for k in usable(neighbour_mm, len(x), vol.step_mm):
            centres = _candidate_centres(rng, x[k], y[k])
            trunk = np.argwhere((x[k] > 0.45) & ~y[k]) if vol.straddle else ()
            centres += [tuple(trunk[i]) for i in rng.integers(len(trunk), size=2)] if len(trunk) else []
            cut(rng, vol.channels[k], y[k], centres, xs, ys)
    return stacked(xs, ys)
