"""A lesion's size from the image: its half-maximum boundary, per lesion, in its own contrast.

A segmentation model's map says *where* a lesion is; the level at which its probability
crosses a fixed value says little about *how big* it is. A faint lesion (peak 0.5–0.6)
comes out small at any fixed level, a small bright one large, and a model trained with a
weighted loss shifts every boundary (the CT demo's sizes at a fixed 0.7 met the size goal
for 22 of its 28 detected synthetic lesions). The radiological convention for a
partial-volumed edge is the half-maximum: the boundary lies where the image is halfway
between the lesion's own peak and its surroundings. That level is set per lesion, so it
does not depend on the lesion's contrast, the slice thickness's blurring, or the model.

Per finding (``size_method: "half_maximum"`` in the manifest):

* **the box**: on each slice of the finding, its box grown by half its larger side plus
  4 pixels (the search never leaves it, so a neighbouring bright structure can add at
  most that margin);
* **peak**: the 90th percentile of the image inside the model's mask, all slices (robust
  to a single hot pixel), then read again from the lesion itself. A model's mask is
  often wider than a small lesion, and its rim pulls that percentile down: a 5.6 mm
  lesion with a 1.5 mm soft edge read 164–170 HU where it reaches 193, and measured
  +15 % in diameter, +53 % in volume. So the peak is read again from the mask's pixels
  inside the sections found at the level, on the slices whose section is at least half
  the widest (a pole's partial volume would pull it down again), and the sections are
  found again, until the peak rises by under ``PEAK_SETTLED`` (at most ``PEAK_ROUNDS``
  times). The pixels are pooled over those slices, not read slice by slice: a
  calcified focus must then fill a tenth of them to set the peak, where on its own
  slice a 6 mm calcification in a 20 mm lesion did, and the lesion measured 6 mm;
* **background**: the median of the box outside the mask dilated by 3 pixels;
* **level**: halfway between the two. On each slice the lesion's section is the
  connected region at or above that slice's level that overlaps the model's mask, holes
  filled. Each slice's level is halfway between the peak and the median of *its own*
  ring (the finding's level where that ring is too small or too bright to say): a
  lesion at a lung base has soft tissue around its lower slices and lung around its
  upper ones, and one median over all of them flips between the two with the slices
  the model happens to mark. At the lung's level the soft tissue beside the lower
  slices counts as lesion, and the size runs to the edge of the box (a 20 mm lesion
  measured 32 mm when the map missed the slice where the lung starts).

The section areas then go through the same profile fit as the model's (``lesion3d``).
A slice where nothing reaches the level — one of the finding's own, or the slice just
beyond either end — is recorded as measured empty (area 0): a lesion that one thick
slice alone shows is then sized with the offsets its empty neighbours still allow
(``lesion3d.bounded_offset2``), not with every offset a slice could have.
Where the contrast is under ``MIN_CONTRAST`` (a lesion no brighter than its
surroundings, or no background in the box) the model's own sections are used instead.

A structure that touches the lesion and is as bright, a vessel running into a lung
nodule, reaches the level too and would be measured with it. Each section is therefore
opened (eroded, then dilated) with a disc half its equivalent diameter wide, as
semi-automated nodule volumetry detaches vessels (Kostis et al., IEEE TMI 2003): a round
section survives, a vessel narrower than the disc comes off. What the opening separates
from the model's mask is dropped; a section it would remove entirely is kept whole.

The same sections also place the finding and draw it: its centre in-plane is their
centroid, and its outline on the reported slice is theirs. The model's map may cover
only part of a lesion (real CT, a 22 mm lesion beside a rib: the map a crescent on the
side away from the bone, its centroid 2.7 mm off), and an outline that shows the map's
crescent beside a diameter measured on the whole lesion would contradict itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from clinic_app.core.inference.components import Component

#: Least peak-over-background difference (image units; HU for CT) for the half-maximum to
#: be trusted; a weaker edge is measured on the model's map instead.
MIN_CONTRAST = 40.0
#: Pixels added to each side of a finding's box beyond half its larger side.
BOX_MARGIN_PX = 4
#: Dilation (pixels each side) of the mask before the background is sampled.
RING_GAP_PX = 3
#: Fewest ring pixels for a slice's own background; a smaller ring uses the finding's.
MIN_RING_PX = 20
#: Width of the opening that detaches vessels, as a share of a section's equivalent
#: diameter: a disc survives an opening half its width, a vessel narrower does not.
OPENING_FRACTION = 0.5
#: Most times the peak is read again from the lesion's own sections (module doc), and
#: the least rise (image units) that is worth another round.
PEAK_ROUNDS = 5
PEAK_SETTLED = 1.0


def _box(comp: Component, k: int, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    left, top, right, bottom = comp.boxes[k]
    grow = max(right - left, bottom - top) // 2 + BOX_MARGIN_PX
    return (max(0, left - grow), max(0, top - grow),
            min(shape[1] - 1, right + grow), min(shape[0] - 1, bottom + grow))


def edge_level(inside: list[np.ndarray], outside: list[np.ndarray]) -> float | None:
    """The half-maximum level between a finding's bright core (90th percentile of its
    pixels) and its surroundings (median of the ring), or None when there is too little
    contrast to put an edge there. The continuation test reads this edge; sizing starts
    from it and reads the peak again from the lesion's own sections."""
    values_in, values_out = np.concatenate(inside), np.concatenate(outside)
    if not len(values_in) or not len(values_out):
        return None
    return _level(_peak(values_in), values_out)


def _peak(values_in: np.ndarray) -> float:
    """A finding's bright core: robust to a single hot pixel."""
    return float(np.percentile(values_in, 90))


def _level(peak: float, values_out: np.ndarray) -> float | None:
    """Halfway between ``peak`` and the median of ``values_out``; None under MIN_CONTRAST."""
    background = float(np.median(values_out))
    if peak - background < MIN_CONTRAST:
        return None
    return 0.5 * (peak + background)


@dataclass(frozen=True)
class HalfMaxSections:
    """A finding measured at its half-maximum boundary, on the grid of its map.

    ``areas``: pixels per slice; a slice that shows nothing at the level, of the finding's
    own or the one just beyond either end, has area 0, so ``lesion3d.extent`` knows the
    lesion ends before it. ``outlines``: per slice with a section, its outer boundary as
    ``(col, row)`` points. ``centre``: the ``(col, row)`` centroid of all the sections.
    ``box``: ``(left, top, right, bottom)`` around them and the model's mask (the
    finding's box)."""

    areas: Mapping[int, int]
    outlines: Mapping[int, np.ndarray]
    centre: tuple[float, float]
    box: tuple[int, int, int, int]


def halfmax_sections(comp: Component, slice_labels: dict[int, np.ndarray],
                     image: np.ndarray) -> HalfMaxSections | None:
    """The finding's sections at its half-maximum level, or None when the contrast is too
    weak to trust (module doc). ``image`` is ``(S, R, C)`` in modality units, on the grid
    of ``slice_labels``."""
    shape = image.shape[1:]
    ring = np.ones((2 * RING_GAP_PX + 1, 2 * RING_GAP_PX + 1), np.uint8)
    inside, outside = [], []
    crops: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    origins: dict[int, tuple[int, int]] = {}  # (col, row) of each crop on the grid
    for k in sorted(comp.parts):
        c0, r0, c1, r1 = _box(comp, k, shape)
        mask = np.isin(slice_labels[k][r0:r1 + 1, c0:c1 + 1], comp.parts[k])
        pixels = image[k, r0:r1 + 1, c0:c1 + 1]
        crops[k] = (mask, pixels)
        origins[k] = (c0, r0)
        inside.append(pixels[mask])
        outside.append(pixels[cv2.dilate(mask.astype(np.uint8), ring) == 0])
    values_in = np.concatenate(inside)
    if not len(values_in) or not sum(len(o) for o in outside):
        return None
    everywhere = np.concatenate(outside)
    peak = _peak(values_in)  # one peak: the finding's level and every slice's share it
    level = _level(peak, everywhere)
    if level is None:
        return None
    for _ in range(PEAK_ROUNDS):
        levels = _slice_levels(peak, level, outside, list(crops))
        regions = {k: _section(mask, pixels, levels[k]) for k, (mask, pixels) in crops.items()}
        refined = _core_peak(crops, regions)
        if refined is None or refined < peak + PEAK_SETTLED:
            break
        # The contrast only grows, so the level stays trusted; the background is the same.
        peak, level = refined, level + 0.5 * (refined - peak)
    # 0: a slice measured empty at its level (the lesion ends before it). Beside the
    # finding's own slices, the slice just beyond each end is measured inside the end
    # section's box; what shows there (a pole the model missed, or something else) is
    # left out, so that noise at a lesion's tip cannot stretch its profile.
    areas = {k: 0 if r is None else int(np.count_nonzero(r)) for k, r in regions.items()}
    if not any(areas.values()):
        return None
    for end, beyond in ((min(crops), min(crops) - 1), (max(crops), max(crops) + 1)):
        if 0 <= beyond < image.shape[0]:
            c0, r0, c1, r1 = _box(comp, end, shape)
            if _section(crops[end][0], image[beyond, r0:r1 + 1, c0:c1 + 1],
                        levels[end]) is None:
                areas[beyond] = 0
    return _placed(comp, regions, areas, origins)


def _slice_levels(peak: float, level: float, rings: list[np.ndarray],
                  slices: list[int]) -> dict[int, float]:
    """Each slice's level: halfway from ``peak`` to its own ring's median, or the whole
    finding's ``level`` where the ring is too small or too bright to say (module doc)."""
    levels = {}
    for k, ring_values in zip(slices, rings, strict=True):
        own = _level(peak, ring_values) if len(ring_values) >= MIN_RING_PX else None
        levels[k] = level if own is None else own
    return levels


def _core_peak(crops: dict[int, tuple[np.ndarray, np.ndarray]],
               regions: dict[int, np.ndarray | None]) -> float | None:
    """The peak read from the lesion's own sections (module doc): the model's pixels
    inside them, pooled over the slices whose section is at least half the widest."""
    sections = {k: r for k, r in regions.items() if r is not None}
    if not sections:
        return None
    counts = {k: int(np.count_nonzero(r)) for k, r in sections.items()}
    widest = max(counts.values())
    core = [crops[k][1][(sections[k] > 0) & crops[k][0]]
            for k, n in counts.items() if 2 * n >= widest]
    values = np.concatenate(core)
    return _peak(values) if len(values) else None


def _placed(comp: Component, regions: dict[int, np.ndarray | None], areas: dict[int, int],
            origins: dict[int, tuple[int, int]]) -> HalfMaxSections:
    """Outlines, centroid and box of the sections, moved from their crops to the grid."""
    outlines: dict[int, np.ndarray] = {}
    moment, count = np.zeros(2), 0
    for k, region in regions.items():
        if region is None:
            continue
        origin = np.array(origins[k])
        rows, cols = np.nonzero(region)
        moment += (cols.sum(), rows.sum()) + origin * len(rows)
        count += len(rows)
        found, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        outlines[k] = max(found, key=cv2.contourArea).reshape(-1, 2) + origin
    points = np.concatenate(list(outlines.values()))
    lo = np.minimum(points.min(axis=0), comp.lo[:2])
    hi = np.maximum(points.max(axis=0), comp.hi[:2])
    centre = moment / count
    return HalfMaxSections(areas, outlines, (float(centre[0]), float(centre[1])),
                           (int(lo[0]), int(lo[1]), int(hi[0]), int(hi[1])))


def _section(mask: np.ndarray, pixels: np.ndarray, level: float) -> np.ndarray | None:
    """The region (uint8, holes filled) at or above ``level`` that overlaps ``mask``, or
    None when nothing there reaches the level."""
    above = (pixels >= level).astype(np.uint8)
    _, labels = cv2.connectedComponents(above, connectivity=8)
    touching = np.unique(labels[mask & (above > 0)])
    touching = touching[touching > 0]
    if not len(touching):
        return None
    region = np.isin(labels, touching).astype(np.uint8)
    outlines, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(region)
    cv2.drawContours(filled, outlines, -1, 1, thickness=cv2.FILLED)
    return _detached(filled, mask)


def _detached(region: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``region`` less the thin structures attached to it (module doc): opened with a disc
    ``OPENING_FRACTION`` of its equivalent diameter wide, keeping what still overlaps the
    mask; a region the opening would remove entirely is kept whole."""
    # Odd: an even disc has no centre pixel, and erosion then dilation would move the
    # section by half a pixel each way (0.7–0.9 mm on these grids).
    width = int(OPENING_FRACTION * math.sqrt(4.0 * np.count_nonzero(region) / math.pi)) | 1
    if width < 3:
        return region
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, width))
    opened = cv2.morphologyEx(region, cv2.MORPH_OPEN, disc)
    # A digital disc loses a pixel here and there at its rim to any opening; what the
    # opening took within a pixel of what it kept is given back (a vessel, mostly not).
    opened = region & cv2.dilate(opened, np.ones((3, 3), np.uint8))
    _, labels = cv2.connectedComponents(opened, connectivity=8)
    keep = np.unique(labels[mask & (opened > 0)])
    keep = keep[keep > 0]
    return np.isin(labels, keep).astype(np.uint8) if len(keep) else region
