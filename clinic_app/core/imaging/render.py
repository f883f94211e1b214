"""Display rendering: one slice + a window → an 8-bit image, through vectorised arithmetic.

This is the hot path of scrolling (target ≤ 5 ms for a 512² slice; benchmarks measure
it), so the PS3.3 LINEAR and LINEAR_EXACT ramps are applied as one multiply-add and a
clip in float32 instead of the piecewise reference formula in :mod:`lut` (the clip gives
exactly the piecewise ends; tests check both agree). Nothing is ever written to disk:
renders are PHI and live only in memory.
"""

from __future__ import annotations

import numpy as np

from clinic_app.core.imaging.byteorder import native
from clinic_app.core.imaging.lut import VoiTable, Window, full_range_window


def render(pixels: np.ndarray, window: Window | VoiTable | None = None, *, invert: bool = False,
           padding_value: float | None = None) -> np.ndarray:
    """One slice of modality values → a display image (uint8; RGB stays RGB).

    ``invert`` applies MONOCHROME1 / PresentationLUTShape INVERSE after the VOI; padding
    voxels (``padding_value``) and missing ones (NaN: a slice that could not be decoded)
    are drawn black whatever the window or inversion. With no
    window, the full range of the slice is shown (a LINEAR_EXACT min-max window). The
    result is native uint8 whatever the input's byte order (Qt reads its raw buffer).
    """
    pixels = native(pixels)  # big-endian input: swapped before any arithmetic
    if pixels.ndim == 3 and pixels.shape[-1] == 3:
        return np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim != 2:
        raise ValueError(f"render takes one 2D slice (or RGB), got shape {pixels.shape}")
    gap = pixels.dtype.kind == "f" and not (np.isfinite(pixels.min(initial=0.0))
                                          and np.isfinite(pixels.max(initial=0.0)))
    if window is None:
        window = full_range_window(pixels, padding_value)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN (a gap) is drawn black below
        out = _table(pixels, window) if isinstance(window, VoiTable) else _window_uint8(pixels, window)
    if invert:
        np.subtract(255, out, out=out)
    if padding_value is not None:
        out[pixels == np.float32(padding_value)] = 0
    if gap:
        out[~np.isfinite(pixels)] = 0
    return out


def _window_uint8(pixels: np.ndarray, window: Window) -> np.ndarray:
    c, w = window.center, window.width
    if window.function == "LINEAR" and w == 1:  # an empty ramp: a threshold at c - 0.5
        return np.where(pixels > np.float32(c - 0.5), np.uint8(255), np.uint8(0))
    if window.function == "SIGMOID":
        y = np.multiply(pixels, np.float32(-4.0 / w), dtype=np.float32)
        y += np.float32(4.0 * c / w)
        np.exp(y, out=y)
        y += np.float32(1.0)
        np.divide(np.float32(255.0), y, out=y)
    else:
        if window.function == "LINEAR_EXACT":
            a, b = 255.0 / w, (0.5 - c / w) * 255.0
        else:
            a, b = 255.0 / (w - 1), (0.5 - (c - 0.5) / (w - 1)) * 255.0
        # y = a·x + b is the ramp; clipping to [0, 255] gives exactly the piecewise ends.
        y = np.multiply(pixels, np.float32(a), dtype=np.float32)
        y += np.float32(b)
        np.clip(y, 0.0, 255.0, out=y)
    y += np.float32(0.5)
    return y.astype(np.uint8)


def _table(pixels: np.ndarray, voi: VoiTable) -> np.ndarray:
    idx = np.rint(pixels).astype(np.int64) - voi.first_mapped
    np.clip(idx, 0, len(voi.table) - 1, out=idx)
    scale = 255.0 / float((1 << voi.bits) - 1)
    lut8 = np.rint(np.asarray(voi.table, dtype=np.float64) * scale).clip(0, 255).astype(np.uint8)
    return lut8[idx]
