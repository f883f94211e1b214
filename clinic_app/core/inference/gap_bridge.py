"""Whether a lesion goes on through the slices where the model's map dropped out.

``lesion3d.merge_groups`` may join two pieces by their widest sections (a map that fades
over a lesion's middle leaves thin tails on the slices facing the gap) only if every slice
in the gap still shows the lesion inside the pieces' footprint: two lesions stacked along
the slice axis have background between them. A gap slice is accepted on either witness:

* **the model**: a residual response, ``BRIDGE_FRACTION`` of the mask level, anywhere in
  the footprint;
* **the image**: at least ``IMAGE_SHARE`` of the smaller widest section's pixels in the
  footprint at or above the pieces' own half-maximum level (``halfmax.edge_level``: the
  bright core of the model's mask on the two widest slices against the surroundings in
  a box grown by half its size). A network can return nothing on a slice through a large
  lesion's middle: a held-out 28.6 mm lung nodule on 1.25 mm slices scored 0.00 on one
  slice and 1.00 on both sides, with the image there at −87 HU as on its neighbours, and
  was reported as two findings of 12.7 and 27.3 mm. Between two of its own sections a
  convex lesion's section is at least as large as the smaller of them, so half of that
  leaves room for noise and partial volume; the lung or fat between two stacked lesions
  does not reach their half-maximum.
"""

from __future__ import annotations

import cv2
import numpy as np

from clinic_app.core.inference.halfmax import RING_GAP_PX, edge_level
from clinic_app.core.inference.lesion3d import BRIDGE_FRACTION, Bridge

#: Share of the smaller widest section a gap slice must show at the level in the image.
IMAGE_SHARE = 0.5


def gap_bridge(prob: np.ndarray, level: float, image: np.ndarray | None) -> Bridge:
    """The ``bridged`` test of ``lesion3d.joins`` on the map ``prob`` (``(S, R, C)``, masked
    at ``level``) and, where the map is silent, on ``image`` (modality units on the same
    grid; None: the model's witness only)."""
    residual = level * BRIDGE_FRACTION
    rows, cols = prob.shape[1:]

    def bridged(ka: int, kb: int, box: tuple[int, int, int, int],
                widest: tuple[int, int]) -> bool:
        c0, r0 = max(0, box[0]), max(0, box[1])
        c1, r1 = min(cols - 1, box[2]), min(rows - 1, box[3])
        if c1 < c0 or r1 < r0 or kb - ka < 2:
            return False
        gap = prob[ka + 1:kb, r0:r1 + 1, c0:c1 + 1].reshape(kb - ka - 1, -1).max(axis=1)
        silent = [ka + 1 + n for n, peak in enumerate(gap) if peak < residual]
        if not silent:
            return True
        if image is None:
            return False
        return _image_shows(prob, level, image, (c0, r0, c1, r1), widest, silent)

    return bridged


def _image_shows(prob: np.ndarray, level: float, image: np.ndarray,
                 box: tuple[int, int, int, int], widest: tuple[int, int],
                 silent: list[int]) -> bool:
    """The image witness (module doc) on every slice in ``silent``."""
    c0, r0, c1, r1 = box
    rows, cols = prob.shape[1:]
    grow_c, grow_r = (c1 - c0) // 2 + RING_GAP_PX + 1, (r1 - r0) // 2 + RING_GAP_PX + 1
    o0, p0 = max(0, c0 - grow_c), max(0, r0 - grow_r)
    o1, p1 = min(cols - 1, c1 + grow_c), min(rows - 1, r1 + grow_r)
    ring = np.ones((2 * RING_GAP_PX + 1, 2 * RING_GAP_PX + 1), np.uint8)
    inner = (slice(r0 - p0, r1 - p0 + 1), slice(c0 - o0, c1 - o0 + 1))
    inside, outside, counts = [], [], []
    for k in widest:
        mask = prob[k, p0:p1 + 1, o0:o1 + 1] >= level
        pixels = image[k, p0:p1 + 1, o0:o1 + 1]
        inside.append(pixels[inner][mask[inner]])
        outside.append(pixels[cv2.dilate(mask.astype(np.uint8), ring) == 0])
        counts.append(int(np.count_nonzero(mask[inner])))
    edge = edge_level(inside, outside)
    if edge is None or min(counts) == 0:
        return False
    need = IMAGE_SHARE * min(counts)
    return all(np.count_nonzero(image[k, r0:r1 + 1, c0:c1 + 1] >= edge) >= need
               for k in silent)
