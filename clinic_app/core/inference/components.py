"""3D connected components of a probability map, with what findings need of each.

Split from ``findings`` so the geometry of a finding and the labelling it rests on can
each be read on their own. Components are labelled slice by slice with OpenCV and merged
across adjacent slices where they overlap, so memory holds label images only for slices
with foreground, never a full-volume label array.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from clinic_app.core.inference.lesion3d import Section


@dataclass
class Component:
    voxels: int = 0
    weighted: np.ndarray = field(default_factory=lambda: np.zeros(3))
    lo: np.ndarray = field(default_factory=lambda: np.full(3, np.iinfo(np.int64).max))
    hi: np.ndarray = field(default_factory=lambda: np.full(3, -1))
    peak: float = -1.0
    areas: dict[int, int] = field(default_factory=dict)
    parts: dict[int, list[int]] = field(default_factory=dict)
    #: Per slice, the sum of the section's pixel centres ``(col, row)`` (for its centroid).
    sums: dict[int, np.ndarray] = field(default_factory=dict)
    #: Per slice, the section's box ``(left, top, right, bottom)``, inclusive pixels.
    boxes: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)

    def sections(self) -> dict[int, Section]:
        return {k: Section(a, (float(self.sums[k][0] / a), float(self.sums[k][1] / a)),
                           (self.boxes[k][2] - self.boxes[k][0] + 1,
                            self.boxes[k][3] - self.boxes[k][1] + 1))
                for k, a in self.areas.items()}

    def absorb(self, other: Component) -> None:
        """Take ``other``'s voxels in (a piece of the same lesion across a gap)."""
        self.voxels += other.voxels
        self.weighted = self.weighted + other.weighted
        self.lo = np.minimum(self.lo, other.lo)
        self.hi = np.maximum(self.hi, other.hi)
        self.peak = max(self.peak, other.peak)
        for k, area in other.areas.items():
            self.areas[k] = self.areas.get(k, 0) + area
            self.parts.setdefault(k, []).extend(other.parts[k])
            self.sums[k] = self.sums.get(k, np.zeros(2)) + other.sums[k]
            self.boxes[k] = _union(self.boxes.get(k), other.boxes[k])


def _union(a: tuple[int, int, int, int] | None,
           b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _find(parent: np.ndarray, x: int) -> int:
    root = x
    while parent[root] != root:
        root = int(parent[root])
    while parent[x] != root:
        parent[x], x = root, int(parent[x])
    return root


def components(prob: np.ndarray, mask_threshold: float) -> tuple[list[Component],
                                                                 dict[int, np.ndarray]]:
    """3D components of ``prob >= mask_threshold`` with their statistics (in ``prob``'s
    units: pass an integer level for uint8 maps, so the comparison stays in uint8).

    Works slice by slice with OpenCV's labelling and merges labels of adjacent slices
    whose pixels overlap, so memory holds label images only for slices that have any
    foreground, never a full-volume label array.
    """
    n_slices = prob.shape[0]
    occupied = np.flatnonzero(prob.reshape(n_slices, -1).max(axis=1) >= mask_threshold)
    labels: dict[int, np.ndarray] = {}
    offset = 0
    stats_by_slice: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in occupied.tolist():
        mask = (prob[k] >= mask_threshold).astype(np.uint8)
        count, lab, stats, centroids = cv2.connectedComponentsWithStats(
            mask, connectivity=8, ltype=cv2.CV_32S)
        lab[lab > 0] += offset
        labels[int(k)] = lab
        stats_by_slice[int(k)] = (stats[1:], centroids[1:])
        offset += count - 1
    parent = np.arange(offset + 1)
    for k in occupied.tolist():
        nxt = labels.get(int(k) + 1)
        if nxt is None:
            continue
        a, b = labels[int(k)], nxt
        both = (a > 0) & (b > 0)
        if not both.any():
            continue
        pairs = np.unique(a[both].astype(np.int64) * (offset + 1) + b[both])
        for pair in pairs:
            ra, rb = _find(parent, int(pair // (offset + 1))), _find(parent, int(pair % (offset + 1)))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    comps: dict[int, Component] = {}
    first_label = 1
    for k in occupied.tolist():
        stats, centroids = stats_by_slice[k]
        lab = labels[k]
        fg = lab > 0
        peaks = np.zeros(len(stats) + 1, dtype=np.float32)
        np.maximum.at(peaks, lab[fg] - first_label + 1, prob[k][fg].astype(np.float32))
        for local, (st, cen) in enumerate(zip(stats, centroids, strict=True)):
            global_label = first_label + local
            root = _find(parent, global_label)
            comp = comps.setdefault(root, Component())
            area = int(st[cv2.CC_STAT_AREA])
            comp.voxels += area
            comp.weighted += np.array([cen[0] * area, cen[1] * area, k * area])
            left, top = int(st[cv2.CC_STAT_LEFT]), int(st[cv2.CC_STAT_TOP])
            right = left + int(st[cv2.CC_STAT_WIDTH]) - 1
            bottom = top + int(st[cv2.CC_STAT_HEIGHT]) - 1
            comp.boxes[k] = _union(comp.boxes.get(k), (left, top, right, bottom))
            comp.lo = np.minimum(comp.lo, np.array([left, top, k]))
            comp.hi = np.maximum(comp.hi, np.array([right, bottom, k]))
            comp.peak = max(comp.peak, float(peaks[local + 1]))
            comp.areas[k] = comp.areas.get(k, 0) + area
            comp.parts.setdefault(k, []).append(global_label)
            comp.sums[k] = comp.sums.get(k, np.zeros(2)) + np.array([cen[0], cen[1]]) * area
        first_label += len(stats)
    ordered = [comps[r] for r in sorted(comps)]
    return ordered, labels


def component_at(mask: np.ndarray, row: int, col: int) -> tuple[Component,
                                                                 dict[int, np.ndarray]]:
    """The 8-connected component of a 2D boolean ``mask`` holding pixel ``(row, col)``.

    What :func:`components` returns for that component of a one-slice map (same labels,
    statistics and peak 1.0), without building every other component: a whole-image
    classifier locates each flagged label by the one region holding its map's maximum.
    """
    _count, lab, stats, centroids = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8, ltype=cv2.CV_32S)
    label = int(lab[row, col])
    if label == 0:
        raise ValueError("the pixel is not inside the mask")
    st, cen = stats[label], centroids[label]
    area = int(st[cv2.CC_STAT_AREA])
    left, top = int(st[cv2.CC_STAT_LEFT]), int(st[cv2.CC_STAT_TOP])
    right = left + int(st[cv2.CC_STAT_WIDTH]) - 1
    bottom = top + int(st[cv2.CC_STAT_HEIGHT]) - 1
    comp = Component()
    comp.voxels = area
    comp.weighted = comp.weighted + np.array([cen[0] * area, cen[1] * area, 0 * area])
    comp.boxes[0] = (left, top, right, bottom)
    comp.lo = np.minimum(comp.lo, np.array([left, top, 0]))
    comp.hi = np.maximum(comp.hi, np.array([right, bottom, 0]))
    comp.peak = 1.0
    comp.areas[0] = area
    comp.parts[0] = [label]
    comp.sums[0] = np.zeros(2) + np.array([cen[0], cen[1]]) * area
    return comp, {0: lab}


def areas_at(comp: Component, slice_labels: dict[int, np.ndarray], prob: np.ndarray,
              level: float | None) -> dict[int, int]:
    """The component's section areas (pixels) with holes filled, at ``level`` (the mask
    level when None, or when no pixel reaches it). A model that marks only a large
    lesion's rim gives ring sections; the lesion is what the ring encloses."""
    areas = {}
    for k, parts in comp.parts.items():
        left, top, right, bottom = comp.boxes[k]
        inside = np.isin(slice_labels[k][top:bottom + 1, left:right + 1], parts)
        if level is not None:
            inside &= prob[k][top:bottom + 1, left:right + 1] >= level
        if not inside.any():
            continue
        outlines, _ = cv2.findContours(inside.astype(np.uint8), cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_NONE)
        filled = np.zeros(inside.shape, dtype=np.uint8)
        cv2.drawContours(filled, outlines, -1, 1, thickness=cv2.FILLED)
        areas[k] = int(np.count_nonzero(filled))
    if not areas and level is not None:
        return areas_at(comp, slice_labels, prob, None)
    return areas or comp.areas
