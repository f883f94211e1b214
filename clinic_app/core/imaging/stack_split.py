"""Split one series' frames into stacks that each hold one frame per slice position.

Repeated positions are split by temporal position, then by acquisition; frames that do
not lie on one straight line through the volume (side-by-side or sheared by a gantry
tilt) are split by in-plane position. What is left repeating is split off in instance
order, so no frame is ever dropped.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from clinic_app.core.imaging.stack_types import INPLANE_SPLIT_MM, SAME_POSITION_MM, FrameRef, normal


def split_spatial(members: list[FrameRef]) -> list[tuple[list[FrameRef], str]]:
    """Split frames sharing an orientation into stacks with one frame per position."""
    n = normal(members[0].orientation)  # type: ignore[arg-type]
    d = np.array([np.dot(fr.position, n) for fr in members])  # type: ignore[arg-type]
    if _has_duplicates(d):
        for attr, why in (("temporal_index", "temporal position"),
                          ("acquisition", "acquisition")):
            keyed: dict[object, list[FrameRef]] = defaultdict(list)
            for fr in members:
                keyed[fr.temporal_index if attr == "temporal_index"
                      else fr.instance.acquisition_number].append(fr)
            if len(keyed) > 1:
                out: list[tuple[list[FrameRef], str]] = []
                for key in sorted(keyed, key=lambda k: (k is None, k)):
                    out.extend((part, f"{why} {key}" if not sub else f"{why} {key}, {sub}")
                               for part, sub in split_spatial(keyed[key]))
                return out
    lines = _split_lines(members, n)
    if len(lines) > 1:
        return [(part, f"in-plane position {i + 1}") for i, part in enumerate(lines)]
    if _has_duplicates(d):
        first: list[FrameRef] = []
        rest: list[FrameRef] = []
        seen: list[float] = []
        for fr, dk in sorted(zip(members, d, strict=True), key=lambda t: order_key(t[0])):
            if any(abs(dk - s) <= SAME_POSITION_MM for s in seen):
                rest.append(fr)
            else:
                seen.append(float(dk))
                first.append(fr)
        return [(first, "")] + [(part, f"repeated positions{', ' + why if why else ''}")
                                for part, why in split_spatial(rest)]
    return [(members, "")]


def _split_lines(members: list[FrameRef], n: np.ndarray) -> list[list[FrameRef]]:
    """Group frames whose positions lie on distinct lines (different in-plane offsets).

    One stack's positions lie on one straight line: parallel to the normal, or sheared by
    a gantry tilt. If they do not, frames are grouped by in-plane position (untilted
    stacks side by side), else by their offset from the sheared line (tilted stacks).
    """
    if len(members) < 3:
        return [members]
    pos = np.array([fr.position for fr in members], dtype=np.float64)
    d = pos @ n
    inplane = pos - np.outer(d, n)
    if _on_one_line(inplane, d):
        return [members]
    labels = _cluster(inplane)
    groups = [np.flatnonzero(labels == c) for c in range(int(labels.max()) + 1)]
    if not all(_on_one_line(inplane[g], d[g]) for g in groups):
        lo, hi = int(np.argmin(d)), int(np.argmax(d))
        shear = (inplane[hi] - inplane[lo]) / (d[hi] - d[lo])
        labels = _cluster(inplane - np.outer(d, shear))
    return [[fr for fr, lab in zip(members, labels, strict=True) if lab == c]
            for c in range(int(labels.max()) + 1)]


def _on_one_line(inplane: np.ndarray, d: np.ndarray) -> bool:
    """Whether in-plane offsets change linearly with the position along the normal."""
    if len(d) < 3:
        return True
    lo, hi = int(np.argmin(d)), int(np.argmax(d))
    if d[hi] - d[lo] <= SAME_POSITION_MM:
        return bool(np.all(np.linalg.norm(inplane - inplane[lo], axis=1) <= INPLANE_SPLIT_MM))
    shear = (inplane[hi] - inplane[lo]) / (d[hi] - d[lo])
    residual = inplane - inplane[lo] - np.outer(d - d[lo], shear)
    return bool(np.all(np.linalg.norm(residual, axis=1) <= INPLANE_SPLIT_MM))


def _cluster(points: np.ndarray) -> np.ndarray:
    """Greedy clusters of points within :data:`INPLANE_SPLIT_MM` of a cluster's first point."""
    centres: list[np.ndarray] = []
    labels = np.empty(len(points), dtype=np.int64)
    for idx, point in enumerate(points):
        for c, centre in enumerate(centres):
            if np.linalg.norm(point - centre) <= INPLANE_SPLIT_MM:
                labels[idx] = c
                break
        else:
            centres.append(point)
            labels[idx] = len(centres) - 1
    return labels


def _has_duplicates(d: np.ndarray) -> bool:
    if len(d) < 2:
        return False
    s = np.sort(d)
    return bool((np.diff(s) <= SAME_POSITION_MM).any())


def order_key(fr: FrameRef) -> tuple[int, int, int]:
    return (fr.instance.instance_number or 0, fr.instance.id, fr.frame)
