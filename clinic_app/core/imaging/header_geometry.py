"""Read where an instance's pixels lie in the patient from its header.

Pixel spacing (with its source), orientation, PatientOrientation letters and per-frame
geometry of enhanced multi-frame objects. A malformed value is a warning and is treated as
absent: a wrong position is worse than none.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from pydicom.dataset import Dataset

from clinic_app.core.imaging import plausibility, ultrasound
from clinic_app.core.imaging.dicom_values import (
    read_float,
    read_floats,
    read_int,
    read_point,
    read_strings,
    read_text,
    read_vector,
)
from clinic_app.core.imaging.header_types import FrameGeometry, PixelLayout


def read_pixel_spacing(ds: Dataset, warns: list[str]) -> tuple[tuple[float, float] | None, str]:
    for keyword in ("PixelSpacing", "ImagerPixelSpacing", "ImagePlanePixelSpacing",
                    "NominalScannedPixelSpacing"):
        if keyword in ds:
            vec = read_vector(ds, keyword, 2, warns)
            if vec is not None and vec[0] > 0 and vec[1] > 0:
                return (vec[0], vec[1]), keyword
            warns.append(f"{keyword} is not two positive numbers; ignored")
    if "SequenceOfUltrasoundRegions" in ds:
        whole = ultrasound.whole_image_spacing(ultrasound.parse_regions(ds, []), warns)
        if whole is not None:
            return whole, "UltrasoundRegion"
    sequences = ds.get("SharedFunctionalGroupsSequence")
    if sequences:
        measures = sequences[0].get("PixelMeasuresSequence")
        if measures:
            vec = read_vector(measures[0], "PixelSpacing", 2, warns)
            if vec is not None and vec[0] > 0 and vec[1] > 0:
                return (vec[0], vec[1]), "PixelSpacing"
    return None, ""


_DIRECTIONS = frozenset("APRLHF")
_OPPOSITES = ({"A", "P"}, {"R", "L"}, {"H", "F"})


def read_patient_orientation(ds: Dataset, warns: list[str]) -> tuple[str, str] | None:
    """PatientOrientation as (row direction, column direction), or None.

    Each value is one to three letters of A/P/R/L/H/F (PS3.3 C.7.6.1.1.1), e.g. "L\\F",
    "A\\FR". Anything else (quadruped codes, a letter and its opposite, one value) is a
    warning and treated as absent: wrong letters on a radiograph are worse than none.
    """
    if "PatientOrientation" not in ds:
        return None
    values = read_strings(ds, "PatientOrientation")
    if not values or values == [""]:
        return None
    codes = [v.strip().upper() for v in values]
    ok = len(codes) == 2 and all(
        0 < len(c) <= 3 and set(c) <= _DIRECTIONS and len(set(c)) == len(c)
        and not any(pair <= set(c) for pair in _OPPOSITES) for c in codes)
    # Rows and columns are perpendicular: their main directions lie on different axes.
    ok = ok and not any({codes[0][0], codes[1][0]} <= pair for pair in _OPPOSITES)
    if not ok:
        warns.append("PatientOrientation is not two patient direction codes (A/P/R/L/H/F); "
                      "ignored, no orientation letters are shown")
        return None
    return codes[0], codes[1]


def read_orientation(elem: Any, warns: list[str]) -> tuple[float, ...] | None:
    if elem is None:
        return None
    value = elem.value if hasattr(elem, "value") else elem
    try:
        vec = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        warns.append("ImageOrientationPatient is not numeric; ignored")
        return None
    if len(vec) != 6 or not all(math.isfinite(v) for v in vec):
        warns.append("ImageOrientationPatient does not hold six numbers; ignored")
        return None
    r, c = vec[:3], vec[3:]
    nr, nc = math.sqrt(sum(x * x for x in r)), math.sqrt(sum(x * x for x in c))
    dot = sum(a * b for a, b in zip(r, c, strict=True))
    if abs(nr - 1) > 0.01 or abs(nc - 1) > 0.01 or abs(dot) > 0.01:
        warns.append("ImageOrientationPatient is not two orthogonal unit vectors; ignored")
        return None
    return vec


def read_frame_geometry(ds: Dataset, frames: int, position: tuple[float, float, float] | None,
                    orientation: tuple[float, ...] | None,
                    warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    per = ds.get("PerFrameFunctionalGroupsSequence")
    if per is not None:
        return read_functional_groups(ds, per, frames, warns)
    offsets = ds.get("GridFrameOffsetVector")
    if offsets is not None and frames > 1 and position is not None and orientation is not None:
        values = [float(offsets)] if isinstance(offsets, (int, float, str)) else [
            float(v) for v in offsets]
        if len(values) != frames:
            warns.append("GridFrameOffsetVector does not list one offset per frame; ignored")
            return None
        n = cross(orientation[:3], orientation[3:])
        base = sum(p * q for p, q in zip(position, n, strict=True))
        # PS3.3 C.8.8.3.2: relative offsets when the first is 0, else absolute along n.
        rel = [v if values[0] == 0 else v - base for v in values]
        return tuple(FrameGeometry(position=(position[0] + r * n[0], position[1] + r * n[1],
                                             position[2] + r * n[2]),
                                   orientation=orientation) for r in rel)
    return None


def read_functional_groups(ds: Dataset, per: Any, frames: int,
                       warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    shared_seq = ds.get("SharedFunctionalGroupsSequence")
    shared = shared_seq[0] if shared_seq else None
    if len(per) != frames:
        warns.append(f"PerFrameFunctionalGroupsSequence has {len(per)} items for {frames} "
                     "frames; per-frame geometry ignored")
        return None

    def first(item: Dataset, name: str) -> Dataset | None:
        for src in (item, shared):
            if src is not None and name in src and src[name].value:
                return src[name].value[0]
        return None

    out: list[FrameGeometry] = []
    for item in per:
        pos_item = first(item, "PlanePositionSequence")
        ori_item = first(item, "PlaneOrientationSequence")
        meas = first(item, "PixelMeasuresSequence")
        trans = first(item, "PixelValueTransformationSequence")
        voi = first(item, "FrameVOILUTSequence")
        content = first(item, "FrameContentSequence")
        spacing = read_vector(meas, "PixelSpacing", 2, warns) if meas is not None else None
        rescale = None
        if trans is not None and "RescaleSlope" in trans:
            s, i = read_float(trans, "RescaleSlope", warns), read_float(trans, "RescaleIntercept", warns)
            if s is not None and s != 0:
                rescale = (s, i or 0.0)
        window = None
        if voi is not None:
            wc, ww = read_floats(voi, "WindowCenter", warns), read_floats(voi, "WindowWidth", warns)
            if wc and ww:
                window = (wc[0], ww[0])
        out.append(FrameGeometry(
            position=read_point(pos_item, "ImagePositionPatient", warns) if pos_item else None,
            orientation=read_orientation(ori_item.get("ImageOrientationPatient"), warns)
            if ori_item is not None else None,
            pixel_spacing=(spacing[0], spacing[1]) if spacing else None,
            slice_thickness=read_float(meas, "SliceThickness", warns) if meas is not None else None,
            rescale=rescale,
            window=window,
            stack_id=(read_text(content, "StackID") or None) if content is not None else None,
            in_stack_position=read_int(content, "InStackPositionNumber", warns),
            temporal_index=read_int(content, "TemporalPositionIndex", warns),
        ))
    return tuple(out)


def plausible_frames(frames: tuple[FrameGeometry, ...] | None, pixels: PixelLayout | None,
                      warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    """Per-frame geometry with implausible spacing/positions/windows dropped (one warning each)."""
    if frames is None:
        return None
    out = []
    seen: set[str] = set()
    for f in frames:
        local: list[str] = []
        sp = plausibility.spacing(f.pixel_spacing, "per-frame PixelSpacing", local)
        pos = plausibility.position(f.position, "per-frame ImagePositionPatient", local)
        thick = plausibility.thickness(f.slice_thickness, "per-frame SliceThickness", local)
        window = f.window
        if window is not None:
            c, w = plausibility.windows((window[0],), (window[1],), "per-frame window", local)
            window = (c[0], w[0]) if c else None
        for w_ in local:
            key = w_.split(" ")[0] + w_.split(" ")[1]
            if key not in seen:
                seen.add(key)
                warns.append(w_)
        out.append(replace(f, pixel_spacing=sp, position=pos, slice_thickness=thick,
                           window=window))
    return tuple(out)


def cross(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float]:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
