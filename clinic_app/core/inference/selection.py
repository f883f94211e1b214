"""Which series of a study a model may analyse, and why the others are refused.

Selection runs on index facts only (no pixel is decoded), so a study with nothing a
model can read is refused in milliseconds with reasons a radiologist can act on
("series 3: MR, model needs CT"). Limits on size are checked here too, before any
decode, which is what keeps a decompression bomb or a 40,000-slice series from
reaching memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.stack_types import orientation_name
from clinic_app.core.inference.imaging_spec import ImagingSpec


@dataclass(frozen=True)
class SeriesFacts:
    """What the index knows about one series (or one stack of a split series)."""

    series_uid: str
    number: int | None
    modality: str
    body_part: str
    slices: int
    rows: int
    cols: int
    pixel_spacing_mm: tuple[float, float] | None
    slice_thickness_mm: float | None
    orientation: tuple[float, ...] | None  # ImageOrientationPatient (6 cosines)
    decodable: bool
    status: str = ""
    stack_index: int = 0  # which stack of a split series (0 = the largest)
    kind: StackKind = StackKind.VOLUME

    @property
    def name(self) -> str:
        """How messages name the series: its number, never its UID (an identifier)."""
        return f"series {self.number}" if self.number is not None else "a series without a number"


@dataclass(frozen=True)
class Selection:
    chosen: SeriesFacts | None
    reasons: tuple[str, ...]  # why each other series was refused

    def explain(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "the study has no image series"


def refusal(spec: ImagingSpec, series: SeriesFacts) -> str | None:
    """Why ``series`` cannot be analysed by this model, or None if it can."""
    rules = spec.selection
    name = series.name
    if series.modality.upper() not in rules.modalities:
        return f"{name}: {series.modality or 'no modality'}, the model needs {'/'.join(rules.modalities)}"
    if not series.decodable:
        return f"{name}: pixel data cannot be decoded ({series.status or 'unsupported encoding'})"
    if rules.body_parts and series.body_part and series.body_part.upper() not in rules.body_parts:
        return (f"{name}: body part {series.body_part}, the model is for "
                f"{'/'.join(rules.body_parts)}")
    if rules.orientation != "any":
        plane = orientation_name(series.orientation)
        if plane != rules.orientation:
            return f"{name}: {plane} slices, the model needs {rules.orientation}"
    if series.slices < rules.min_slices:
        return f"{name}: {series.slices} slice(s), the model needs at least {rules.min_slices}"
    if series.slices > rules.max_slices:
        return f"{name}: {series.slices} slices, more than the model's limit of {rules.max_slices}"
    if series.rows * series.cols > rules.max_slice_pixels:
        return (f"{name}: {series.rows}×{series.cols} pixels per image, beyond the model's "
                f"limit of {rules.max_slice_pixels} pixels")
    if series.rows * series.cols * series.slices > rules.max_voxels:
        return f"{name}: {series.rows * series.cols * series.slices} voxels, beyond the model's limit"
    if rules.pixel_spacing_mm is not None:
        if series.pixel_spacing_mm is None:
            return f"{name}: no pixel spacing, the model needs it"
        lo, hi = rules.pixel_spacing_mm
        if not all(lo <= s <= hi for s in series.pixel_spacing_mm):
            return (f"{name}: pixel spacing {series.pixel_spacing_mm[0]:g}×"
                    f"{series.pixel_spacing_mm[1]:g} mm, the model needs {lo:g}–{hi:g} mm")
    if rules.slice_thickness_mm is not None and series.slice_thickness_mm is not None:
        lo, hi = rules.slice_thickness_mm
        if not lo <= series.slice_thickness_mm <= hi:
            return (f"{name}: slices {series.slice_thickness_mm:g} mm thick, the model needs "
                    f"{lo:g}–{hi:g} mm")
    if series.kind == StackKind.CINE:
        return f"{name}: a cine loop (frames over time), the model needs still images"
    return None


def select_series(spec: ImagingSpec, candidates: Sequence[SeriesFacts]) -> Selection:
    """The best accepted series (most slices, then lowest number), and every refusal."""
    accepted: list[SeriesFacts] = []
    reasons: list[str] = []
    for series in candidates:
        why = refusal(spec, series)
        if why is None:
            accepted.append(series)
        else:
            reasons.append(why)
    if not accepted:
        return Selection(None, tuple(reasons))
    best = max(accepted, key=lambda s: (s.slices, -(s.number if s.number is not None else 1 << 30)))
    return Selection(best, tuple(reasons))
