"""Hard examples for the CT demo detector: what a trained network gets wrong, cropped back.

Recipe H taught the network small lung nodules but left it flagging 1.4-1.9 spots per
scan, mostly soft tissue at a lung base whose outline moves between the slices it reads.
Random lung-edge crops (round J in docs/imaging-ai.md) made that worse: most lung edges
are easy, so random ones teach nothing about the few the network confuses. Here the
network itself picks them: it is run on fresh volumes drawn exactly as its training
volumes were; each section it flags away from any lesion (a false positive) and each
section of a lesion it leaves below the flag level on every slice (a miss) becomes a crop
centred there. The network then goes on training on its first crops plus these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from ct_neighbours import usable
from ct_training_data import Recipe, cut, recipe_volumes, stacked
from scipy import ndimage

from clinic_app.core.inference.imaging_spec import ImagingSpec

#: A response this close to a lesion section (pixels on the 1 mm model grid) belongs to
#: the lesion's margin, not a false positive.
MARGIN_PX = 4
#: Hard crops stay near their centre, unlike random ones (``cut``'s default 40 px),
#: so the confusing structure is always well inside the network's view.
JITTER_PX = 16


@dataclass(frozen=True)
class HardExamples:
    x: np.ndarray
    y: np.ndarray
    false_positive_sections: int
    missed_sections: int
    volumes: int


#: The network as the hard-example pass sees it: slices ``(n, ch, r, c)`` in, each
#: slice's probability ``(n, r, c)`` out (training wraps its torch module; tests need no
#: torch).
Net = Callable[[np.ndarray], np.ndarray]


def predict(net: Net, channels: np.ndarray, batch: int = 4) -> np.ndarray:
    """The network's probability for each slice, padded to a multiple of 8 at the bottom
    and right as the app pads, and cut back."""
    n, _ch, rows, cols = channels.shape
    pr, pc = -rows % 8, -cols % 8
    padded = np.pad(channels, ((0, 0), (0, 0), (0, pr), (0, pc)))
    out = np.empty((n, rows, cols), np.float32)
    for i in range(0, n, batch):
        out[i:i + batch] = net(np.ascontiguousarray(padded[i:i + batch]))[:, :rows, :cols]
    return out


def false_positives(prob: np.ndarray, truth: np.ndarray, level: float) -> list[tuple[int, int]]:
    """One slice's responses at ``level`` away from any lesion section: each one's peak."""
    near = cv2.dilate(truth.astype(np.uint8), np.ones((2 * MARGIN_PX + 1,) * 2, np.uint8)) > 0
    centres: list[tuple[int, int]] = []
    count, labels = cv2.connectedComponents((prob >= level).astype(np.uint8), connectivity=8)
    for n in range(1, count):
        part = labels == n
        if not (part & near).any():
            peak = np.where(part, prob, -1.0)
            r, c = np.unravel_index(peak.argmax(), prob.shape)
            centres.append((int(r), int(c)))
    return centres


def missed_sections(prob: np.ndarray, truth: np.ndarray, level: float
                    ) -> list[tuple[int, tuple[int, int]]]:
    """``(slice, centre)`` of every section of each lesion the network misses on all of
    its slices. A lesion found on some slices is not a miss: its end sections are thin
    and faint on purpose, and teaching the network to flag them would teach it edges."""
    labels, count = ndimage.label(truth)
    sections: list[tuple[int, tuple[int, int]]] = []
    for n in range(1, count + 1):
        lesion = labels == n
        if prob[lesion].max() >= level:
            continue
        for k in np.flatnonzero(lesion.any(axis=(1, 2))):
            r, c = np.argwhere(lesion[k]).mean(axis=0).round().astype(int)
            sections.append((int(k), (int(r), int(c))))
    return sections


def hard_examples(net: Net, rng: np.random.Generator, spec: ImagingSpec,
                  cases: int, neighbour_mm: float | None, level: float = 0.5) -> HardExamples:
    """Crops of what ``net`` gets wrong on ``cases`` fresh recipe-H volumes."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    fp_total = missed_total = 0
    for vol in recipe_volumes(rng, spec, cases, Recipe.H, neighbour_mm):
        rows = usable(neighbour_mm, len(vol.image), vol.step_mm)
        channels = vol.channels[rows.start:rows.stop]
        truth = vol.truth[rows.start:rows.stop]
        prob = predict(net, channels)
        missed = missed_sections(prob, truth, level)
        missed_total += len(missed)
        for k in range(len(prob)):
            centres = false_positives(prob[k], truth[k], level)
            fp_total += len(centres)
            centres += [centre for j, centre in missed if j == k]
            cut(rng, channels[k], truth[k], centres, xs, ys, jitter=JITTER_PX)
    if not xs:
        raise RuntimeError("the network made no error on the hard-example volumes")
    x, y = stacked(xs, ys)
    return HardExamples(x, y, fp_total, missed_total, cases)
