"""PALETTE COLOR images → RGB, with the LUT data read in the file's byte order.

pydicom's ``apply_color_lut`` reads (non-segmented) palette LUT data with ``np.frombuffer``
in the machine's byte order, so an Explicit VR Big Endian palette image comes out with
byte-swapped colours (measured: 14 % of pixels off by up to 255 against DCMTK and the
little-endian twin). The tables are read here with the transfer syntax's byte order;
segmented palettes (PS3.3 C.7.9.2), which pydicom expands in the right byte order, are
left to it. Entries are scaled to 8 bits by the descriptor's bit depth (8-bit entries
stored in 16-bit words stay as they are, rather than being shifted to black).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clinic_app.core.imaging.lut import LutError, little_endian, lut_words

_CHANNELS = ("Red", "Green", "Blue")


def palette_rgb(indices: np.ndarray, ds: Any) -> np.ndarray:
    """(…, 3) uint8 RGB for palette indices; :class:`LutError` if the palette is unusable."""
    if getattr(ds, "PixelPresentation", None) in ("MIXED", "COLOR"):
        raise LutError("a supplemental palette (colour over grey) is not supported")
    tables: list[np.ndarray] = []
    first = 0
    bits = 16
    segmented = "SegmentedRedPaletteColorLookupTableData" in ds
    for name in _CHANNELS:
        desc_raw = getattr(ds, f"{name}PaletteColorLookupTableDescriptor", None)
        what = f"{name} palette colour table"
        try:
            desc = [int(v) for v in desc_raw] if desc_raw is not None else []
        except (TypeError, ValueError, OverflowError):
            desc = []
        if len(desc) != 3 or desc[2] not in (8, 16):
            raise LutError(f"{what} has no valid descriptor (three numbers, 8 or 16 bits)")
        entries, first, bits = desc[0] or 65536, desc[1], desc[2]
        if segmented:
            continue
        data = getattr(ds, f"{name}PaletteColorLookupTableData", None)
        tables.append(lut_words(data, entries, bits, little_endian(ds), what))
    if segmented:
        from pydicom.pixels import apply_color_lut

        rgb = apply_color_lut(indices, ds)[..., :3]
        return _to_uint8(np.asarray(rgb), bits)
    idx = indices.astype(np.int64) - first
    np.clip(idx, 0, len(tables[0]) - 1, out=idx)
    if any(len(t) != len(tables[0]) for t in tables):
        raise LutError("the red, green and blue palette tables differ in length")
    out = np.empty((*indices.shape, 3), dtype=np.uint16)
    for c, table in enumerate(tables):
        out[..., c] = table[idx]
    return _to_uint8(out, bits)


def _to_uint8(rgb: np.ndarray, bits: int) -> np.ndarray:
    if bits <= 8:
        return np.clip(rgb, 0, 255).astype(np.uint8)
    return (rgb.astype(np.uint32) >> (bits - 8)).clip(0, 255).astype(np.uint8)
