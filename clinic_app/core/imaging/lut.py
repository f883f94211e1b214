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

from clinic_app.errors import LutError

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
    if values.size and values.dtype.kind == "f":
        lo, hi = float(values.min()), float(values.max())
        if not (math.isfinite(lo) and math.isfinite(hi)):  # a gap (NaN) or overflowed values
            values = values[np.isfinite(values)]
    if values.size == 0:
        return Window(0.0, 1.0, "LINEAR_EXACT", "full range")
    lo, hi = float(values.min()), float(values.max())
    width = hi - lo
    if not math.isfinite(width):  # a range wider than float64: show it halved, not at all
        lo, hi, width = lo / 2, hi / 2, hi / 2 - lo / 2
    center = (lo + hi) / 2 if math.isfinite(lo + hi) else lo / 2 + hi / 2
    return Window(center, max(width, 1.0), "LINEAR_EXACT", "full range")


def little_endian(ds: object) -> bool:
    """Whether the dataset's values were stored little endian (its transfer syntax).

    OW LUT data arrives from pydicom as the file's raw bytes: Explicit VR Big Endian files
    hold big-endian words, and reading them as ``<u2`` gives byte-swapped tables.
    """
    meta = getattr(ds, "file_meta", None)
    ts = str(meta.get("TransferSyntaxUID", "") or "").strip("\x00 ") if meta is not None else ""
    if ts:
        return ts != "1.2.840.10008.1.2.2"
    encoding = getattr(ds, "original_encoding", (None, True))
    return encoding[1] is not False


def lut_words(data: object, entries: int, bits: int, little: bool, what: str) -> np.ndarray:
    """LUT Data as ``entries`` unsigned values, OW bytes read in the file's byte order.

    8-bit tables may come one value per byte or one per 16-bit word (PS3.3 C.11.1.1.1);
    the length tells which. Raises :class:`LutError` naming ``what`` when the data is
    missing or shorter than its descriptor says.
    """
    if data is None or (isinstance(data, (bytes, bytearray)) and not data):
        raise LutError(f"{what} has a descriptor but no LUT data")
    if isinstance(data, (bytes, bytearray)):
        if len(data) >= 2 * entries and (bits > 8 or len(data) != entries + (entries & 1)):
            table = np.frombuffer(data, dtype="<u2" if little else ">u2", count=entries)
        elif len(data) >= entries and bits <= 8:
            table = np.frombuffer(data, dtype=np.uint8, count=entries)
        else:
            raise LutError(f"{what} holds {len(data)} bytes, fewer than the {entries} entries "
                           "its descriptor declares")
        return table.astype(np.uint16)
    try:
        values = [int(v) for v in data] if not isinstance(data, int) else [data]  # type: ignore[attr-defined]
    except (TypeError, ValueError, OverflowError):
        raise LutError(f"{what} is not a list of numbers") from None
    if len(values) < entries:
        raise LutError(f"{what} holds {len(values)} values, fewer than the {entries} entries its "
                       "descriptor declares")
    return (np.asarray(values[:entries], dtype=np.int64) & 0xFFFF).astype(np.uint16)


def _descriptor(item: object, what: str, signed: bool) -> tuple[int, int, int]:
    raw = getattr(item, "LUTDescriptor", None)
    try:
        desc = [int(v) for v in raw] if raw is not None else []
    except (TypeError, ValueError, OverflowError):
        desc = []
    if len(desc) != 3 or desc[2] not in range(1, 17):
        raise LutError(f"{what} has no valid LUT descriptor (three numbers, up to 16 bits)")
    entries = desc[0] or 65536
    # The first mapped value is signed when the pixels are (PS3.3 C.11.2.1.1).
    first = desc[1] - 65536 if signed and desc[1] >= 32768 else desc[1]
    return entries, first, desc[2]


def voi_tables_from_dataset(ds: object) -> tuple[VoiTable, ...]:
    """VOI LUT Sequence items of a pydicom dataset (header only is enough).

    Raises :class:`LutError` for an item without a usable descriptor or data.
    """
    seq = getattr(ds, "VOILUTSequence", None)
    if not seq:
        return ()
    signed = int(getattr(ds, "PixelRepresentation", 0) or 0) == 1
    little = little_endian(ds)
    out = []
    for n, item in enumerate(seq, start=1):
        what = f"VOI LUT Sequence item {n}"
        entries, first, bits = _descriptor(item, what, signed)
        data = item["LUTData"].value if "LUTData" in item else None
        table = lut_words(data, entries, bits, little, what)
        out.append(VoiTable(first, table, bits, str(item.get("LUTExplanation", "") or "")))
    return tuple(out)


def modality_table(ds: object) -> tuple[int, np.ndarray] | None:
    """(first stored value mapped, table) of a Modality LUT Sequence, or None.

    Raises :class:`LutError` for a sequence without a usable descriptor or data.
    """
    seq = getattr(ds, "ModalityLUTSequence", None)
    if not seq:
        return None
    signed = int(getattr(ds, "PixelRepresentation", 0) or 0) == 1
    item = seq[0]
    what = "Modality LUT Sequence"
    entries, first, bits = _descriptor(item, what, signed)
    data = item["LUTData"].value if "LUTData" in item else None
    return first, lut_words(data, entries, bits, little_endian(ds), what).astype(np.float32)
