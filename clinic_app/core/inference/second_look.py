"""A second look for small lesions: the same network at twice the scale, kept only where
the image shows an isolated, compact blob.

Why. The CT demo network sees slices at 1 mm pixels with the images 4 mm above and below.
It finds 123 of 124 evaluation lesions of 6 mm and more but 9 of 18 smaller ones: a 5 mm
nodule alone in lung scores under 0.2 while a 8 mm one beside it scores 1.0. It has learned
a size under which a round bright thing in lung is a vessel's cross-section, and three
training changes did not move that (``docs/imaging-ai.md``). Shown the same series
magnified ``scale`` times along all three axes (0.5 mm pixels, neighbours at 2 mm), a 5 mm
nodule is, to the network, the 10 mm nodule it finds reliably: on the first tuning set it
found all 8 lesions under 6 mm that way.

Magnified, a 2–3 mm vessel is a 4–6 mm one to the network as well, and it flags many: 12
a scan on that set. So a second-look finding is added only where all of these hold:

1. the series' slices are at most ``max_slice_mm`` apart. Magnified, 5 mm slices are
   10 mm slices to the network, outside anything it was trained on;
2. it is flagged at the label's threshold and measures under ``max_diameter_mm`` (its
   half-maximum size in the image, as every finding's): larger lesions are the first
   pass's;
3. no flagged finding of the first pass, or one already added, holds it: none lies within
   its own radius or ``SAME_LESION_MM`` (the evaluation's hit rule) of it;
4. the image shows an isolated, compact blob at its centre (:func:`blob_shape`).

The blob test. A cube ``CUBE_HALF_MM`` about the centre is resampled to ``ISO_MM``
isotropic voxels (linear), so thin and thick slices are judged alike. It is cut halfway
between the blob's peak (the brightest voxel within ``PEAK_RADIUS_MM`` of the centre) and
its surroundings (the cube's ``BACKGROUND_PERCENTILE``: the lung around a nodule), the
half-maximum rule the sizes use; under ``halfmax.MIN_CONTRAST`` between the two there is
no blob. The cut is opened with a ball whose radius is
``OPENING_FRACTION`` of the finding's diameter, so vessels narrower than half the blob come
off (the vessel-detaching step of nodule volumetry, Kostis et al. 2003, as in
``halfmax``). The piece at the centre must then

- stay inside the cube: one that reaches a face is part of something larger (a vessel,
  the chest wall, the mediastinum, or the series' edge);
- be at least the model's ``min_size_mm`` across (equivalent sphere);
- have a principal-axis ratio, largest to smallest, of at most ``max_elongation``: a
  short tube and a flat plate both fail.

What it cannot see: a small nodule against the pleura, or on a vessel at least half its
width. Those remain the first pass's, as before. Unflagged first-pass findings within
reach of an added one are dropped: one lesion, one finding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from clinic_app.core.inference.components import components
from clinic_app.core.inference.findings import Finding, Geometry
from clinic_app.core.inference.halfmax import MIN_CONTRAST
from clinic_app.core.inference.imaging_spec import ImagingSpec, SecondLookSpec
from clinic_app.core.inference.preprocess import (
    resample_slices_axis,
    resize_slices,
    spacing_from_affine,
)
from clinic_app.core.inference.shape3d import second_moments

CUBE_HALF_MM = 10.0
ISO_MM = 0.5
PEAK_RADIUS_MM = 1.5
#: The piece judged is the one with most voxels this close to the finding's centre.
CENTRE_RADIUS_MM = 2.0
BACKGROUND_PERCENTILE = 30.0
OPENING_FRACTION = 0.25
SAME_LESION_MM = 5.0


@dataclass(frozen=True)
class BlobShape:
    """The image's blob at a finding: equivalent diameter, axis ratio, inside the cube."""

    diameter_mm: float
    elongation: float
    enclosed: bool

    def passes(self, look: SecondLookSpec, min_size_mm: float) -> bool:
        return (self.enclosed and self.diameter_mm >= min_size_mm
                and self.elongation <= look.max_elongation)


def applies(spec: ImagingSpec, geometry: Geometry) -> bool:
    """Does this series get a second look (rule 1 of the module doc)?"""
    look = spec.output.second_look
    if look is None or geometry.shape[0] < 2 or geometry.frame != "LPS":
        return False
    step = spacing_from_affine(geometry.affine)[0]
    return math.isfinite(step) and 0.0 < step <= look.max_slice_mm


def magnified(spec: ImagingSpec) -> ImagingSpec:
    """``spec`` with its pixels and neighbour distance divided by the look's scale.

    Each slice then holds ``scale²`` times the pixels, so the batch is divided by that:
    at the manifest's batch the network's activations took 2.2 times the first pass's
    peak memory (1.6 GB for a 512² CT on CPU).
    """
    look, pre, inf = spec.output.second_look, spec.preprocess, spec.inference
    if look is None or pre.target_spacing_mm is None:
        raise ValueError("the model has no second look")
    return replace(
        spec,
        preprocess=replace(
            pre, target_spacing_mm=tuple(v / look.scale for v in pre.target_spacing_mm),
            neighbour_mm=None if pre.neighbour_mm is None else pre.neighbour_mm / look.scale),
        inference=replace(inf, batch_size=max(1, math.floor(inf.batch_size / look.scale ** 2))))


def combine(first: Sequence[Finding], second: Sequence[Finding], image: np.ndarray,
            geometry: Geometry, look: SecondLookSpec, min_size_mm: float) -> list[Finding]:
    """The first pass's findings with the second look's added (rules 2–4)."""
    spacing = spacing_from_affine(geometry.affine)
    holders = [f for f in first if f.flagged]
    added: list[Finding] = []
    for f in second:
        if not f.flagged or f.diameter_mm is None or f.diameter_mm >= look.max_diameter_mm:
            continue
        if any(_holds(g, f) for g in holders):
            continue
        shape = blob_shape(image, spacing, f.center_px, f.diameter_mm)
        if shape is None or not shape.passes(look, min_size_mm):
            continue
        added.append(f)
        holders.append(f)
    kept = [g for g in first if g.flagged or not any(_holds(f, g) for f in added)]
    return sorted([*kept, *added], key=lambda f: (-f.score, f.slice_index))


def _holds(holder: Finding, other: Finding) -> bool:
    reach = max(SAME_LESION_MM, (holder.diameter_mm or 0.0) / 2.0)
    return math.dist(holder.center_mm, other.center_mm) <= reach


def blob_shape(image: np.ndarray, spacing: tuple[float, float, float],
               centre_px: Sequence[float], diameter_mm: float) -> BlobShape | None:
    """The blob the image shows at ``centre_px`` ``(col, row, slice)`` (module doc); None
    where there is none: no brighter than its surroundings by ``halfmax.MIN_CONTRAST``
    (the sizes' own rule), or a centre outside the image."""
    centre = (float(centre_px[2]), float(centre_px[1]), float(centre_px[0]))
    lo, hi = [], []
    for c, step, n in zip(centre, spacing, image.shape, strict=True):
        half = CUBE_HALF_MM / step
        lo.append(max(0, math.floor(c - half)))
        hi.append(min(n, math.ceil(c + half) + 1))
    cube = np.asarray(image[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]], dtype=np.float32)
    if cube.size == 0:
        return None
    size = [max(1, round(n * step / ISO_MM)) for n, step in zip(cube.shape, spacing, strict=True)]
    iso = resample_slices_axis(resize_slices(cube, (size[1], size[2])), size[0])
    # Source index c lies at (c - lo + ½)·(out / in) − ½ on the resampled grid (pixel
    # centres aligned, as both resamplers do).
    at = [(c - first + 0.5) * out / n - 0.5
          for c, first, out, n in zip(centre, lo, size, cube.shape, strict=True)]
    axes = np.ogrid[:size[0], :size[1], :size[2]]
    d2 = sum(((ax - a) * ISO_MM) ** 2 for ax, a in zip(axes, at, strict=True))
    near_peak = d2 <= PEAK_RADIUS_MM ** 2
    if not near_peak.any():
        return None
    peak = float(iso[near_peak].max())
    background = float(np.percentile(iso, BACKGROUND_PERCENTILE))
    if peak - background < MIN_CONTRAST:
        return None
    radius = max(1, round(OPENING_FRACTION * diameter_mm / ISO_MM))
    solid = _ball(_ball(iso >= (peak + background) / 2.0, radius, erode=True), radius,
                  erode=False)
    comps, labels = components(solid.view(np.uint8), 1)
    owner = {label: n for n, comp in enumerate(comps)
             for parts in comp.parts.values() for label in parts}
    near = d2 <= CENTRE_RADIUS_MM ** 2
    votes: Counter[int] = Counter()
    for k, lab in labels.items():
        hit = lab[near[k]]
        votes.update(owner[int(v)] for v in hit[hit > 0])
    if not votes:
        return None
    comp = comps[votes.most_common(1)[0][0]]
    enclosed = bool(np.all(comp.lo > 0) and comp.hi[0] < size[2] - 1
                    and comp.hi[1] < size[1] - 1 and comp.hi[2] < size[0] - 1)
    _, cov = second_moments(comp, labels, lambda ijk: np.asarray(ijk, dtype=np.float64) * ISO_MM)
    eigen = np.sort(np.clip(np.linalg.eigvalsh(0.5 * (cov + cov.T)), 0.0, None))
    ratio = math.sqrt(eigen[2] / eigen[0]) if eigen[0] > 0.0 else math.inf
    volume = comp.voxels * ISO_MM ** 3
    return BlobShape((6.0 * volume / math.pi) ** (1.0 / 3.0), ratio, enclosed)


def _ball(mask: np.ndarray, radius: int, *, erode: bool) -> np.ndarray:
    """``mask`` eroded (or dilated) by a ball of ``radius`` voxels: per slice offset, the
    2D operation by that height's disc.

    Beyond the cube counts as inside for erosion and outside for dilation, as OpenCV's own
    borders do in-plane, so the cube's edge neither eats nor grows a blob.
    """
    src = mask.astype(np.uint8)
    n = src.shape[0]
    out = np.full_like(src, 1 if erode else 0)
    for dz in range(-radius, radius + 1):
        r = math.isqrt(radius * radius - dz * dz)
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
        for k in range(max(0, -dz), min(n, n - dz)):
            plane = (cv2.erode if erode else cv2.dilate)(src[k + dz], disc)
            if erode:
                np.minimum(out[k], plane, out=out[k])
            else:
                np.maximum(out[k], plane, out=out[k])
    return out.astype(bool)
