"""Ultrasound calibration per region (PS3.3 C.8.5.5 Sequence of Ultrasound Regions).

An ultrasound image is a screen capture: a B-mode sector, a Doppler strip, an M-mode trace
and text can share one frame, each region with its own physical units and scale — or none.
Applying the first region's scale to the whole image (as this app did) turns a distance on
a Doppler strip (cm/s × s) or across the text area into "millimetres". So every region is
kept with its bounds and scale, and a distance is measured only between two points inside
the same region calibrated in centimetres; anything else is refused with the reason.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from clinic_app.errors import InvalidInput

CM = 3  # PhysicalUnitsX/YDirection 3 = cm (PS3.3 C.8.5.5.1.15)
SPATIAL_2D = 1  # RegionSpatialFormat 1 = 2D (tissue or colour flow)


@dataclass(frozen=True)
class UltrasoundRegion:
    """One region: inclusive pixel bounds and mm per pixel (None when not in cm)."""

    x0: int | None
    y0: int | None
    x1: int | None
    y1: int | None
    mm_per_col: float | None  # |PhysicalDeltaX| × 10 when the X unit is cm
    mm_per_row: float | None
    spatial_format: int | None
    data_type: int | None

    @property
    def calibrated(self) -> bool:
        return self.mm_per_col is not None and self.mm_per_row is not None

    @property
    def bounded(self) -> bool:
        return None not in (self.x0, self.y0, self.x1, self.y1)

    def contains(self, col: float, row: float) -> bool:
        if not self.bounded:
            return False
        assert self.x0 is not None and self.x1 is not None
        assert self.y0 is not None and self.y1 is not None
        return self.x0 <= col <= self.x1 and self.y0 <= row <= self.y1


def _num(item: Any, keyword: str) -> float | None:
    try:
        value = item.get(keyword)
        result = float(value) if value not in (None, "") else None
    except Exception:  # a damaged optional value reads as absent
        return None
    return result if result is not None and math.isfinite(result) else None


def parse_regions(ds: Any, warns: list[str]) -> tuple[UltrasoundRegion, ...]:
    """Every region of SequenceOfUltrasoundRegions, damaged values read as absent."""
    try:
        seq = ds.get("SequenceOfUltrasoundRegions") or []
        items = list(seq)
    except Exception:
        warns.append("SequenceOfUltrasoundRegions cannot be read; the image is not calibrated")
        return ()
    out = []
    for item in items:
        bounds = [_num(item, k) for k in ("RegionLocationMinX0", "RegionLocationMinY0",
                                          "RegionLocationMaxX1", "RegionLocationMaxY1")]
        x0, y0, x1, y1 = (int(b) if b is not None else None for b in bounds)
        dx, dy = _num(item, "PhysicalDeltaX"), _num(item, "PhysicalDeltaY")
        ux, uy = _num(item, "PhysicalUnitsXDirection"), _num(item, "PhysicalUnitsYDirection")
        cm = ux == CM and uy == CM and dx and dy and 0 < abs(dx) * 10 <= 100 and 0 < abs(dy) * 10 <= 100
        fmt, kind = _num(item, "RegionSpatialFormat"), _num(item, "RegionDataType")
        out.append(UltrasoundRegion(
            x0, y0, x1, y1, abs(dx) * 10 if cm and dx else None, abs(dy) * 10 if cm and dy else None,
            int(fmt) if fmt is not None else None, int(kind) if kind is not None else None))
    return tuple(out)


def whole_image_spacing(regions: tuple[UltrasoundRegion, ...],
                        warns: list[str]) -> tuple[float, float] | None:
    """(row, col) mm for the image as a whole, only when that cannot mislead: exactly one
    calibrated region (any others uncalibrated). Several calibrated regions → None and a
    warning: distances must be measured inside a region (:func:`measure_mm`)."""
    calibrated = [r for r in regions if r.calibrated]
    if not calibrated:
        return None
    scales = {(r.mm_per_row, r.mm_per_col) for r in calibrated}
    if len(calibrated) > 1 and len(scales) > 1:
        warns.append(f"{len(calibrated)} ultrasound regions with different scales; distances "
                     "are measured inside one region only")
        return None
    row, col = next(iter(scales))
    assert row is not None and col is not None
    return row, col


def region_at(regions: tuple[UltrasoundRegion, ...], col: float,
              row: float) -> UltrasoundRegion | None:
    """The calibrated region holding pixel (col, row); a region without bounds holds the
    whole image only when it is the one region there is."""
    if len(regions) == 1 and not regions[0].bounded:
        return regions[0] if regions[0].calibrated else None
    for r in regions:
        if r.calibrated and r.contains(col, row):
            return r
    return None


def measure_mm(regions: tuple[UltrasoundRegion, ...], p0: tuple[float, float],
               p1: tuple[float, float]) -> float:
    """Distance in mm between (col, row) points in one calibrated region; refused otherwise."""
    a, b = region_at(regions, *p0), region_at(regions, *p1)
    if a is None or b is None:
        raise InvalidInput("This point lies outside a calibrated ultrasound region; a distance "
                           "cannot be measured there (only pixels).")
    if a != b:
        raise InvalidInput("The two points lie in different ultrasound regions; a distance is "
                           "measured inside one region only.")
    assert a.mm_per_col is not None and a.mm_per_row is not None
    return math.hypot((p1[0] - p0[0]) * a.mm_per_col, (p1[1] - p0[1]) * a.mm_per_row)


def encode(regions: tuple[UltrasoundRegion, ...]) -> str | None:
    return json.dumps([asdict(r) for r in regions], separators=(",", ":")) if regions else None


def decode(text: str | None) -> tuple[UltrasoundRegion, ...]:
    return tuple(UltrasoundRegion(**item) for item in json.loads(text)) if text else ()
