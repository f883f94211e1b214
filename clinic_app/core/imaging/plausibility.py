"""Bounds on header values no real acquisition can exceed: refused or warned, named.

A damaged or hostile header can carry PixelSpacing 1e308 mm or RescaleSlope 1e38. Taken
as they are, they overflow float32 voxels to infinity, make every distance meaningless
and flood the terminal with numpy overflow warnings. Each value is checked once, at
import, against a bound far outside anything a scanner writes (so no real file is
touched):

* geometry (pixel spacing, slice thickness, positions) out of bounds → a warning naming
  the value, and the value treated as absent (never guessed: the image is uncalibrated);
* pixel value transforms (rescale) out of bounds → the instance is not decodable, with
  the value named in its status, because wrong numbers on screen are worse than none;
* windows out of bounds → a warning, the window ignored (the image range is shown).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

V = TypeVar("V", bound=tuple[float, ...])

#: Millimetres per pixel: 0.1 µm (microscopy-grade) to 100 mm (a coarse NM/PET grid is ~10).
SPACING_MM = (1e-4, 100.0)
#: A slice thicker than a metre is not a slice.
THICKNESS_MM = 1000.0
#: Patient coordinates beyond 100 m from the origin.
POSITION_MM = 1e5
#: |RescaleSlope| and |RescaleIntercept| beyond these turn 16-bit values into nonsense.
SLOPE_MAX = 1e6
INTERCEPT_MAX = 1e9
#: Window centre and width in modality units.
WINDOW_MAX = 1e9


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def spacing(value: V | None, keyword: str, warns: list[str]) -> V | None:
    """``value`` if every entry is a plausible pixel size in mm, else None with a warning."""
    if value is None:
        return None
    lo, hi = SPACING_MM
    if all(lo <= v <= hi for v in value):
        return value
    warns.append(f"{keyword} {'/'.join(_fmt(v) for v in value)} mm is outside the plausible "
                 f"{_fmt(lo)}–{_fmt(hi)} mm per pixel; ignored (distances are not calibrated)")
    return None


def thickness(value: float | None, keyword: str, warns: list[str]) -> float | None:
    if value is None or 0 <= value <= THICKNESS_MM:
        return value
    warns.append(f"{keyword} {_fmt(value)} mm is outside 0–{_fmt(THICKNESS_MM)} mm; ignored")
    return None


def position(value: V | None, keyword: str, warns: list[str]) -> V | None:
    if value is None or all(abs(v) <= POSITION_MM for v in value):
        return value
    warns.append(f"{keyword} {'/'.join(_fmt(v) for v in value)} mm lies more than "
                 f"{_fmt(POSITION_MM / 1000)} m from the origin; ignored")
    return None


def rescale_refusal(slope: float, intercept: float, bits_stored: int | None) -> str:
    """Why the pixel values cannot be trusted, naming the value; "" when plausible."""
    if not (math.isfinite(slope) and abs(slope) <= SLOPE_MAX):
        return (f"RescaleSlope {_fmt(slope)} is outside ±{_fmt(SLOPE_MAX)}; pixel values "
                "cannot be trusted")
    if not (math.isfinite(intercept) and abs(intercept) <= INTERCEPT_MAX):
        return (f"RescaleIntercept {_fmt(intercept)} is outside ±{_fmt(INTERCEPT_MAX)}; pixel "
                "values cannot be trusted")
    bits = min(max(bits_stored or 16, 1), 32)
    if abs(slope) * 2.0 ** bits + abs(intercept) > 3e38:  # beyond float32
        return (f"RescaleSlope {_fmt(slope)} with {bits}-bit values overflows; pixel values "
                "cannot be trusted")
    return ""


def windows(centers: Sequence[float], widths: Sequence[float], keyword: str,
            warns: list[str]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The windows whose centre and width are plausible; the others dropped with a warning."""
    keep = [(c, w) for c, w in zip(centers, widths, strict=False)
            if abs(c) <= WINDOW_MAX and 0 < w <= 2 * WINDOW_MAX]
    if len(keep) != len(centers):
        bad = [f"{_fmt(c)}/{_fmt(w)}" for c, w in zip(centers, widths, strict=False)
               if (c, w) not in keep]
        warns.append(f"{keyword} centre/width {', '.join(bad)} is not a usable window "
                     "(width must be positive, values within ±1e9); ignored")
    return tuple(c for c, _ in keep), tuple(w for _, w in keep)
