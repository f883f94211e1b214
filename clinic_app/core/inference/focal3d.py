"""Does the bright structure under a finding end where a focal lesion must end?

A per-slice model answers on a contrast-enhanced vessel or bowel loop crossing the slices
as on a lesion: each section is a bright disc. Where it answers on every slice the
finding is a tube and the elongation test (``shape3d``) drops it; where noise makes it
answer on only a few slices the finding is short and compact, and no shape test on the
model's mask can tell it from a small lesion (the CT demo's false positives on real
anatomy: 4–10 mm, principal-axis ratio 1.2–2.5, 2–12 slices).

The *image* can. A focal lesion is bounded in 3D: one lesion diameter from its centre
along the slice normal the image no longer holds it. A vessel or bowel loop the model
caught in part goes on: at that distance the image still shows a section as bright and
as large as the one the model marked. The test therefore looks past the finding, not at
it:

* **level**: the finding's half-maximum in the image, as for its size (``halfmax``):
  halfway between the 90th percentile inside the model's mask and the median of the
  surrounding box outside the mask dilated by ``RING_GAP_PX``;
* **footprint**: the union of the model's mask over the finding's slices;
* **own section**: the largest area, over the finding's slices, of the regions at or
  above the level that overlap the footprint, counted inside the footprint;
* **reach**: that section's equivalent diameter in mm, at least one slice step (for a
  sphere twice its radius, for the CT demo's lesions — at most ~1.4 : 1 along the normal
  — still past the pole);
* **continuation**: on each side, on the nearest slice at least ``reach`` from the
  finding's centre along the normal, the same measure divided by the own section. A
  lesion gives ~0, a structure running on ~1. A slice whose surroundings of the
  footprint are themselves at or above the level counts 0: the finding has ended at
  another tissue (a lung nodule at the lung base, one diameter above the liver dome),
  not run on as a structure standing out from its surroundings.

The finding's value is the *smallest* of the sides that can be looked at: a structure
that goes on through both sides (or through the only side inside the series) is not
focal; a lesion touching a vessel that leaves it on one side only is kept. Where no side
lies inside the series, or the contrast is under ``MIN_CONTRAST``, there is no value and
the finding is kept: the test errs towards keeping a lesion.

Limits: a lesion sitting *on* a vessel that runs along the slice normal through both
sides of it, with the vessel covering half its section, would be dropped; so would a
lesion longer along the normal than the reach (not a shape the demo's lesions take).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from clinic_app.core.inference.components import Component

# The level, its search box and its background ring are the half-maximum sizing's own, so
# a finding is judged at the boundary it is measured at.
from clinic_app.core.inference.halfmax import BOX_MARGIN_PX, RING_GAP_PX, edge_level


def continuation(comp: Component, slice_labels: dict[int, np.ndarray], image: np.ndarray,
                 z_mm: np.ndarray, pixel_mm: tuple[float, float]) -> float | None:
    """The share of the finding's bright section the image still holds one reach beyond
    it (module doc), or None where it cannot be judged. ``image`` is ``(S, R, C)`` in
    modality units on the grid of ``slice_labels``; ``z_mm`` the slice positions along
    the normal; ``pixel_mm`` the ``(row, col)`` spacing."""
    ks = sorted(k for k, parts in comp.parts.items() if parts)
    if not ks:
        return None
    rows, cols = image.shape[1:]
    c0, r0, c1, r1 = _footprint_box(comp, ks, (rows, cols))
    footprint = np.zeros((r1 - r0 + 1, c1 - c0 + 1), dtype=bool)
    ring = np.ones((2 * RING_GAP_PX + 1, 2 * RING_GAP_PX + 1), np.uint8)
    inside, outside = [], []
    for k in ks:
        mask = np.isin(slice_labels[k][r0:r1 + 1, c0:c1 + 1], comp.parts[k])
        footprint |= mask
        pixels = image[k, r0:r1 + 1, c0:c1 + 1]
        inside.append(pixels[mask])
        outside.append(pixels[cv2.dilate(mask.astype(np.uint8), ring) == 0])
    level = edge_level(inside, outside)
    if level is None:
        return None

    surround = cv2.dilate(footprint.astype(np.uint8), ring) == 0

    def section(k: int) -> int:
        pixels = image[k, r0:r1 + 1, c0:c1 + 1]
        if not surround.any() or float(np.median(pixels[surround])) >= level:
            return 0  # surroundings as bright as the finding: another tissue, not a structure
        above = (pixels >= level).astype(np.uint8)
        _, labels = cv2.connectedComponents(above, connectivity=8)
        touching = np.unique(labels[footprint & (above > 0)])
        touching = touching[touching > 0]
        if not len(touching):
            return 0
        return int(np.count_nonzero(np.isin(labels, touching) & footprint))

    own = max(section(k) for k in ks)
    if own == 0:
        return None
    step = float(np.median(np.diff(z_mm))) if len(z_mm) > 1 else 0.0
    reach = max(2.0 * math.sqrt(own * pixel_mm[0] * pixel_mm[1] / math.pi), step)
    centre = 0.5 * (float(z_mm[ks[0]]) + float(z_mm[ks[-1]]))
    shares = []
    for side in (-1.0, 1.0):
        beyond = [k for k in range(len(z_mm)) if side * (float(z_mm[k]) - centre) >= reach]
        if beyond:
            k = min(beyond, key=lambda n: abs(float(z_mm[n]) - centre))
            shares.append(section(k) / own)
    return min(shares) if shares else None


def _footprint_box(comp: Component, ks: list[int],
                   shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """The union of the finding's boxes, each grown by half its larger side plus a margin
    (room for the background ring), clipped to the image."""
    left = min(comp.boxes[k][0] for k in ks)
    top = min(comp.boxes[k][1] for k in ks)
    right = max(comp.boxes[k][2] for k in ks)
    bottom = max(comp.boxes[k][3] for k in ks)
    grow = max(right - left, bottom - top) // 2 + BOX_MARGIN_PX
    return (max(0, left - grow), max(0, top - grow),
            min(shape[1] - 1, right + grow), min(shape[0] - 1, bottom + grow))
