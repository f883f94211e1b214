"""The second look's network pass, read only in boxes around the candidate blobs.

Why. The second look keeps a finding only where the image shows an isolated blob under
``max_diameter_mm`` (``second_look``), so the network need not read the rest of the
series magnified. Each candidate (``blob_search``) gets a box: ``INNER_MM`` about it in all
three axes, where its map is kept, and ``CONTEXT_MM`` more in-plane that the network reads
but whose map is dropped (near a crop's edge the network sees zero padding, not the
patient). Along the slices the box is widened by the neighbour distance plus one slice, so
each kept slice's neighbours are interpolated from the same measured slices as in a pass
over the whole series. Overlapping boxes are read once, as their union.

The margins were checked against the whole-series pass: ``docs/imaging-ai.md``, "After
1.7.0: the second look on crops".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from clinic_app.core.inference.imaging_run import ModelRunner, StageTimes, run_slices
from clinic_app.core.inference.imaging_spec import ImagingSpec
from clinic_app.core.tasks import CancelToken, Progress

INNER_MM = 10.0
CONTEXT_MM = 16.0


@dataclass(frozen=True)
class Box:
    """Half-open voxel ranges: ``read`` is what the network reads, ``keep`` whose map is
    kept (inside ``read``), each ``((s0, s1), (r0, r1), (c0, c1))``."""

    read: tuple[tuple[int, int], ...]
    keep: tuple[tuple[int, int], ...]

    def overlaps(self, other: Box) -> bool:
        return all(a0 < b1 and b0 < a1
                   for (a0, a1), (b0, b1) in zip(self.read, other.read, strict=True))

    def union(self, other: Box) -> Box:
        def join(x: tuple[tuple[int, int], ...],
                 y: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
            return tuple((min(a0, b0), max(a1, b1)) for (a0, a1), (b0, b1) in zip(x, y, strict=True))
        return Box(join(self.read, other.read), join(self.keep, other.keep))


def boxes(centres: np.ndarray, shape: tuple[int, ...], spacing: tuple[float, float, float],
          neighbour_mm: float | None) -> list[Box]:
    """One box per candidate ``(slice, row, col)``, overlapping ones merged."""
    reach_keep = [INNER_MM / step for step in spacing]
    reach_read = [reach_keep[0] + (neighbour_mm or 0.0) / spacing[0] + 1.0,
                  reach_keep[1] + CONTEXT_MM / spacing[1],
                  reach_keep[2] + CONTEXT_MM / spacing[2]]
    out: list[Box] = []
    for centre in centres:
        def span(reach: list[float], c: np.ndarray = centre) -> tuple[tuple[int, int], ...]:
            return tuple((max(0, math.floor(x - r)), min(n, math.ceil(x + r) + 1))
                         for x, r, n in zip(c, reach, shape, strict=True))
        box = Box(span(reach_read), span(reach_keep))
        merged = True
        while merged:
            merged = False
            for other in out:
                if box.overlaps(other):
                    out.remove(other)
                    box = box.union(other)
                    merged = True
                    break
        out.append(box)
    return out


def run_boxes(voxels: np.ndarray, spacing: tuple[float, float, float], spec: ImagingSpec,
              runner: ModelRunner, times: StageTimes, progress: Progress, cancel: CancelToken,
              found: list[Box], *, invert: bool = False) -> np.ndarray:
    """The network's ``(labels, S, R, C)`` maps over the boxes' kept parts, zero elsewhere."""
    maps = np.zeros((len(spec.output.labels), *voxels.shape), dtype=np.uint8)
    total = sum(hi - lo for (lo, hi) in (b.read[0] for b in found)) or 1
    done = 0
    for box in found:
        (s0, s1), (r0, r1), (c0, c1) = box.read
        crop = run_slices(voxels[s0:s1, r0:r1, c0:c1], spacing, spec, runner, times,
                          _offset(progress, done, total), cancel, invert=invert)
        done += s1 - s0
        (k0, k1), (i0, i1), (j0, j1) = box.keep
        np.maximum(maps[:, k0:k1, i0:i1, j0:j1],
                   crop[:, k0 - s0:k1 - s0, i0 - r0:i1 - r0, j0 - c0:j1 - c0],
                   out=maps[:, k0:k1, i0:i1, j0:j1])
    progress(total, total, "analysing slices")
    return maps


def _offset(progress: Progress, start: int, whole: int) -> Progress:
    """One box's slices reported as part of all the boxes' slices."""
    def report(done: int, total: int, message: str = "") -> None:
        progress(start + done, whole, message)
    return report
