"""2.5D training input for the CT demo: neighbouring slices at a fixed distance in mm.

The app feeds a package that declares ``preprocessing.neighbour_slices_mm`` three
channels per slice (``preprocess.prepare_slice_batch``). Training prepares its crops
with ``reference_batch``: the same images by the plainest route (interpolate along z,
then resize and window each channel), which the app's faster route (resize each source
slice once, then interpolate) matches to float rounding (``tests/test_ai_neighbours.py``
checks it). Training keeps the plain route because 1.5.0 was trained on it: a rounding
difference in the crops grows into a different network, and a rerun must rebuild the
shipped bytes.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace

import numpy as np

from clinic_app.core.inference.imaging_spec import ImagingSpec, PreprocessSpec
from clinic_app.core.inference.preprocess import prepare_slices, resize_slices, slices_at


def with_neighbours(doc: dict, neighbour_mm: float) -> dict:
    """A copy of a one-channel slice manifest declaring the 2.5D input."""
    doc = copy.deepcopy(doc)
    tensor = doc["inputs"]["tensors"][0]
    tensor["shape"] = ["N", 3, "H", "W"]
    tensor["semantics"] = (f"{tensor['semantics']}; channels: the image {neighbour_mm:g} mm "
                           "below, at and above the slice")
    pre = doc["inputs"]["image"]["preprocessing"]
    pre["channels"] = 3
    pre["neighbour_slices_mm"] = neighbour_mm
    return doc


def slices_for(neighbour_mm: float | None, spacing_mm: float) -> int:
    """Slices per training volume: 8, plus room for the 2.5D neighbours of every one."""
    return 8 if neighbour_mm is None else 8 + 2 * math.ceil(neighbour_mm / spacing_mm)


def usable(neighbour_mm: float | None, n_slices: int, spacing_mm: float) -> range:
    """Slices whose neighbours lie inside the volume (a series' end slices are rare at
    run time; training on held end slices would teach that structures never end)."""
    margin = 0 if neighbour_mm is None else math.ceil(neighbour_mm / spacing_mm)
    return range(margin, n_slices - margin)


def reference_batch(vol: np.ndarray, spacing: tuple[float, float, float],
                    spec: PreprocessSpec) -> tuple[np.ndarray, tuple[int, int]]:
    """Every slice of ``vol`` as network input, the channels by the plain route (module doc)."""
    if spec.neighbour_mm is None:
        return prepare_slices(vol, (spacing[1], spacing[2]), spec)
    index = np.arange(len(vol), dtype=np.float64)
    grey = replace(spec, channels=1)
    parts, shape = [], (0, 0)
    for offset in (-spec.neighbour_mm / spacing[0], 0.0, spec.neighbour_mm / spacing[0]):
        part, shape = prepare_slices(slices_at(vol, index + offset), (spacing[1], spacing[2]),
                                     grey)
        parts.append(part)
    return np.ascontiguousarray(np.concatenate(parts, axis=1)), shape


def model_grid(vol: np.ndarray, spacing: tuple[float, float, float], spec: ImagingSpec,
               mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network input ``(n, ch, r, c)`` unpadded, its centre channel, and the mask on its grid."""
    x, shape = reference_batch(vol, spacing, spec.preprocess)
    y = resize_slices(mask.astype(np.float32), shape) >= 0.5
    x = x[:, :, : shape[0], : shape[1]]
    return x, x[:, x.shape[1] // 2], y
