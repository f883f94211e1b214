"""Grayscale pixel transforms of PS3.3 C.11: modality LUT, VOI LUT, presentation.

The pipeline is stored value → modality value (e.g. Hounsfield units) → VOI (window or
table) → presentation (MONOCHROME1/INVERSE inversion) → display value. Volumes hold
modality values as float32; :func:`render` does the rest, vectorised, for one slice.

The window formulas are PS3.3 C.11.2.1.2 exactly (including LINEAR's -0.5 and w-1 terms,
which differ from LINEAR_EXACT), with an output range of 0..255 rounded to nearest. Tests
check them against values computed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

VOI_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")


@dataclass(frozen=True)
class Window:
    """A VOI window in modality units; ``function`` is the VOILUTFunction."""

    center: float
    width: float
    function: str = "LINEAR"
    name: str = ""

    def __post_init__(self) -> None:
        if self.function not in VOI_FUNCTIONS:
            raise ValueError(f"VOI LUT function must be one of {VOI_FUNCTIONS}, not "
                             f"{self.function!r}")
        minimum = 1.0 if self.function == "LINEAR" else 0.0
        if not (math.isfinite(self.center) and math.isfinite(self.width)) or self.width < minimum \
                or (self.function != "LINEAR" and self.width <= 0):
            raise ValueError(f"window width must be {'>= 1' if minimum else '> 0'} for "
                             f"{self.function}, got {self.width}")

    @property
    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) modality values inside the window's linear ramp."""
        if self.function == "LINEAR":
            return (self.center - 0.5 - (self.width - 1) / 2, self.center - 0.5 + (self.width - 1) / 2)
        return (self.center - self.width / 2, self.center + self.width / 2)


@dataclass(frozen=True, eq=False)
class VoiTable:
    """A VOI LUT Sequence item: ``table[v - first_mapped]`` for modality value ``v``.

    Values below ``first_mapped`` map to the first entry, above the last to the last entry
    (PS3.3 C.11.2.1.1); ``bits`` is the output depth from LUTDescriptor.
    """

    first_mapped: int
    table: np.ndarray
    bits: int
    name: str = ""


def window_values(x: np.ndarray, window: Window, y_max: float = 255.0) -> np.ndarray:
    """PS3.3 C.11.2.1.2 VOI output in [0, y_max] as float64 (the reference formula)."""
    x = np.asarray(x, dtype=np.float64)
    c, w = window.center, window.width
    if window.function == "SIGMOID":
        return y_max / (1.0 + np.exp(-4.0 * (x - c) / w))
    if window.function == "LINEAR_EXACT":
        y = ((x - c) / w + 0.5) * y_max
        y = np.where(x <= c - w / 2, 0.0, y)
        return np.where(x > c + w / 2, y_max, y)
    if w == 1:  # the ramp is empty: a threshold at c - 0.5
        return np.where(x > c - 0.5, y_max, 0.0)
    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * y_max
    y = np.where(x <= c - 0.5 - (w - 1) / 2, 0.0, y)
    return np.where(x > c - 0.5 + (w - 1) / 2, y_max, y)


def full_range_window(pixels: np.ndarray, padding_value: float | None = None) -> Window:
    """A LINEAR_EXACT window spanning the slice's values (padding excluded)."""
    values = pixels if padding_value is None else pixels[pixels != np.float32(padding_value)]
    if values.size == 0:
        return Window(0.0, 1.0, "LINEAR_EXACT", "full range")
    lo, hi = float(values.min()), float(values.max())
    return Window((lo + hi) / 2, max(hi - lo, 1.0), "LINEAR_EXACT", "full range")


def voi_tables_from_dataset(ds: object) -> tuple[VoiTable, ...]:
    """VOI LUT Sequence items of a pydicom dataset (header only is enough)."""
    seq = getattr(ds, "VOILUTSequence", None)
    if not seq:
        return ()
    signed = int(getattr(ds, "PixelRepresentation", 0) or 0) == 1
    out = []
    for item in seq:
        desc = [int(v) for v in item.LUTDescriptor]
        entries = desc[0] or 65536
        # The first mapped value is signed when the pixels are (PS3.3 C.11.2.1.1).
        first = desc[1] - 65536 if signed and desc[1] >= 32768 else desc[1]
        bits = desc[2]
        raw = item["LUTData"]
        data = raw.value
        if isinstance(data, bytes):
            table = np.frombuffer(data, dtype="<u2" if bits > 8 else np.uint8)
            if bits <= 8 and len(table) == 2 * entries:
                table = np.frombuffer(data, dtype="<u2")
        else:
            table = np.asarray(data, dtype=np.uint16)
        table = table[:entries].astype(np.uint16)
        out.append(VoiTable(first, table, bits, str(item.get("LUTExplanation", "") or "")))
    return tuple(out)


def modality_table(ds: object) -> tuple[int, np.ndarray] | None:
    """(first stored value mapped, table) of a Modality LUT Sequence, or None."""
    seq = getattr(ds, "ModalityLUTSequence", None)
    if not seq:
        return None
    item = seq[0]
    desc = [int(v) for v in item.LUTDescriptor]
    entries = desc[0] or 65536
    signed = int(getattr(ds, "PixelRepresentation", 0) or 0) == 1
    first = desc[1] - 65536 if signed and desc[1] >= 32768 else desc[1]
    data = item["LUTData"].value
    if isinstance(data, bytes):
        table = np.frombuffer(data, dtype="<u2" if desc[2] > 8 else np.uint8)
    else:
        table = np.asarray(data, dtype=np.uint16)
    return first, table[:entries].astype(np.float32)
