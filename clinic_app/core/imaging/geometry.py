"""Series → stacks of frames with patient geometry (PS3.3 C.7.6.2).

Slices are ordered by ImagePositionPatient projected on the slice normal (row direction ×
column direction from ImageOrientationPatient), never by InstanceNumber, and the slice
spacing comes from those positions, never from SliceThickness (which is the thickness
of the slab, not the distance between slices, and is often wrong after reformatting).

One series may hold several stacks. Frames are split by matrix size, orientation, pixel
spacing and enhanced StackID; then repeated positions are split by acquisition or
temporal position; then frames that do not lie on one line through the volume are split
by in-plane position (stack_split.py). Each stack reports what a reader must know before trusting a
measurement: missing or irregular slices, gantry tilt, duplicate positions, or no
patient geometry at all (projection radiographs, ultrasound cine).

The affine maps a voxel index ``(i = column, j = row, k = slice, 1)`` to patient
coordinates in millimetres, LPS (DICOM's patient axes: +x left, +y posterior,
+z superior)::

    A[:3, 0] = row direction cosines    × column spacing  (PixelSpacing[1])
    A[:3, 1] = column direction cosines × row spacing     (PixelSpacing[0])
    A[:3, 2] = step between consecutive slices: along the line through the first and last
               positions (tilt included), one median gap along the normal
    A[:3, 3] = ImagePositionPatient of slice k = 0 (centre of its first pixel)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from clinic_app.core.imaging.index import StoredInstance
from clinic_app.core.imaging.stack_kind import StackKind
from clinic_app.core.imaging.stack_split import order_key, split_spatial
from clinic_app.core.imaging.stack_types import (
    INPLANE_SPLIT_MM,
    SAME_POSITION_MM,
    TILT_EPSILON_DEG,
    FrameRef,
    StackPlan,
    normal,
    orientation_name,
)

#: Modalities whose images without patient position are projections, not a cine loop.
PROJECTION_MODALITIES = frozenset({"CR", "DX", "MG", "IO", "PX", "RF", "XA", "RG", "DF"})


def frame_refs(instances: Sequence[StoredInstance]) -> list[FrameRef]:
    """Expand instances into frames; enhanced instances use their per-frame groups."""
    out: list[FrameRef] = []
    for inst in instances:
        if inst.pixels is None or not inst.decodable:
            continue
        per = inst.frame_geometry
        for f in range(inst.frames):
            g = per[f] if per is not None and f < len(per) else None
            out.append(FrameRef(
                instance=inst,
                frame=f,
                position=(g.position if g and g.position else
                          inst.position if per is None and inst.frames == 1 else None),
                orientation=(g.orientation if g and g.orientation else inst.orientation),
                pixel_spacing=(g.pixel_spacing if g and g.pixel_spacing else inst.pixel_spacing),
                rescale=(g.rescale if g and g.rescale else
                         (inst.rescale_slope, inst.rescale_intercept)),
                window=g.window if g else None,
                stack_id=g.stack_id if g else None,
                temporal_index=g.temporal_index if g else None,
            ))
    return out


def plan_stacks(frames: Sequence[FrameRef], modality: str) -> list[StackPlan]:
    """Split a series' frames into stacks and compute each stack's geometry.

    Stacks come largest first, so ``plans[0]`` is what a viewer opens by default.
    """
    groups: dict[tuple[object, ...], list[FrameRef]] = defaultdict(list)
    for fr in frames:
        px = fr.instance.pixels
        assert px is not None
        spatial = fr.position is not None and fr.orientation is not None
        key = (px.rows, px.cols, px.samples,
               _round(fr.orientation, 4) if spatial else None,
               _round(fr.pixel_spacing, 4), fr.stack_id, spatial,
               fr.instance.id if not spatial and fr.instance.frames > 1 else None)
        groups[key].append(fr)
    plans: list[StackPlan] = []
    for members in groups.values():
        if members[0].position is not None and members[0].orientation is not None:
            for part, why in split_spatial(members):
                plans.append(_spatial_plan(part, why))
        else:
            plans.append(_flat_plan(members, modality))
    plans.sort(key=lambda p: (-len(p.frames), p.label, _first_position(p)))
    if len(plans) > 1:
        plans = [_with_label(p, i, len(plans)) for i, p in enumerate(plans)]
    return plans


def plan_series(instances: Sequence[StoredInstance], modality: str) -> list[StackPlan]:
    """Stacks of a series, with slices that exist but cannot be decoded counted as missing.

    An undecodable slice in the middle of a stack must not silently close the gap: the
    stack's spacing would still look regular. Its position is known from the index, so it
    is reported as a missing slice of the stack it belongs to.
    """
    plans = plan_stacks(frame_refs(instances), modality)
    broken = [i for i in instances if i.pixels is not None and not i.decodable]
    if not broken:
        return plans
    out = []
    for plan in plans:
        inside = [i for i in broken if _belongs(plan, i)]
        if inside:
            reasons = "; ".join(sorted({i.status for i in inside}))
            plan = replace(plan, missing_slices=plan.missing_slices + len(inside), regular=False,
                           warnings=(*plan.warnings,
                                     f"{len(inside)} slice(s) of this stack cannot be decoded "
                                     f"({reasons}) and are missing from it"))
        out.append(plan)
    return out


def frame_locations(plans: Sequence[StackPlan]) -> dict[tuple[str, int], tuple[int, int]]:
    """Where every frame is: (SOPInstanceUID, frame number from 1) → (stack, slice in it).

    Stack indices are an order (largest first), not an identity; a finding or a reference
    recorded against a stack index is re-found through its source image with this map.
    """
    return {(fr.instance.sop_instance_uid, fr.frame + 1): (s, k)
            for s, plan in enumerate(plans) for k, fr in enumerate(plan.frames)}


def _belongs(plan: StackPlan, inst: StoredInstance) -> bool:
    if plan.positions is None or plan.orientation is None or inst.position is None \
            or inst.orientation is None or inst.frames != 1:
        return False
    if _round(inst.orientation, 4) != _round(plan.orientation, 4):
        return False
    n = normal(plan.orientation)
    d0, d1 = float(plan.positions[0] @ n), float(plan.positions[-1] @ n)
    di = float(np.dot(inst.position, n))
    margin = plan.spacing[0] + SAME_POSITION_MM
    if not d0 - margin <= di <= d1 + margin:
        return False
    step = plan.affine[:3, 2]
    k = (di - d0) / max(float(step @ n), 1e-9)
    expected = plan.positions[0] + k * step
    return float(np.linalg.norm(np.asarray(inst.position) - expected)) <= INPLANE_SPLIT_MM


# -- plans ---------------------------------------------------------------------------------
def _spatial_plan(members: list[FrameRef], why: str) -> StackPlan:
    orientation = members[0].orientation
    assert orientation is not None
    n = normal(orientation)
    ordered = sorted(members, key=lambda fr: (float(np.dot(fr.position, n)), order_key(fr)))  # type: ignore[arg-type]
    pos = np.array([fr.position for fr in ordered], dtype=np.float64)
    first = ordered[0]
    px = first.instance.pixels
    assert px is not None
    warnings: list[str] = []
    (row_sp, col_sp), calibrated = _spacing(first, warnings)
    r = np.asarray(orientation[:3], dtype=np.float64)
    c = np.asarray(orientation[3:6], dtype=np.float64)
    affine = np.eye(4)
    affine[:3, 0] = r * col_sp
    affine[:3, 1] = c * row_sp
    affine[:3, 3] = pos[0]
    regular, missing, tilt = True, 0, 0.0
    if len(ordered) == 1:
        thickness = first.instance.spacing_between_slices or first.instance.slice_thickness
        slice_sp = float(thickness) if thickness and thickness > 0 else 1.0
        affine[:3, 2] = n * slice_sp
        warnings.append("single slice: the slice axis uses "
                        + ("SpacingBetweenSlices/SliceThickness" if thickness else "1 mm")
                        + ", not a measured spacing")
        kind = StackKind.SINGLE
    else:
        kind = StackKind.VOLUME
        d = pos @ n
        gaps = np.diff(d)
        median = float(np.median(gaps))
        # The step follows the line through the first and last positions (tilt included)
        # and advances one *median* gap along the normal per slice, so the affine stays
        # exact for regular stacks and for the slices before a missing one.
        direction = (pos[-1] - pos[0]) / np.linalg.norm(pos[-1] - pos[0])
        step = direction * (median / float(np.dot(direction, n)))
        affine[:3, 2] = step
        slice_sp = median
        tol = max(0.01, 0.01 * median)
        ratios = gaps / median
        if np.any(np.abs(gaps - median) > tol):
            regular = False
            multiples = np.rint(ratios)
            is_gap = (multiples >= 2) & (np.abs(gaps - multiples * median) <= tol)
            missing = int((multiples[is_gap] - 1).sum())
            if missing:
                where = ", ".join(str(int(k) + 1) for k in np.flatnonzero(is_gap)[:5])
                warnings.append(f"missing slices: {missing} slice(s) absent (gaps after slice "
                                f"{where} of {len(ordered)}; expected {median:.3g} mm spacing)")
            odd = ~is_gap & (np.abs(gaps - median) > tol)
            if odd.any():
                warnings.append(f"irregular slice spacing: {gaps.min():.3g}–{gaps.max():.3g} mm "
                                f"(median {median:.3g} mm); the affine uses the median step and "
                                "Volume.positions holds each slice's true position")
        tilt = math.degrees(math.acos(min(1.0, abs(float(np.dot(direction, n))))))
        if tilt > TILT_EPSILON_DEG:
            tag = first.instance.gantry_tilt
            said = f"; GantryDetectorTilt says {tag:g}°" if tag is not None else ""
            warnings.append(f"gantry tilt of {tilt:.2f}° (from slice positions{said}): slices "
                            "are sheared; the affine follows the positions, so patient "
                            "coordinates are right, but axes are not orthogonal")
    label = why
    return StackPlan(
        frames=tuple(ordered), kind=kind, rows=px.rows, cols=px.cols, affine=affine,
        spacing=(slice_sp, row_sp, col_sp), positions=pos, orientation=tuple(orientation),
        regular=regular, tilt_deg=tilt, missing_slices=missing, calibrated=calibrated,
        label=label, warnings=tuple(warnings))


def _flat_plan(members: list[FrameRef], modality: str) -> StackPlan:
    """Frames without patient position: a projection image, cine loop, or loose frames."""
    ordered = sorted(members, key=order_key)
    first = ordered[0]
    px = first.instance.pixels
    assert px is not None
    warnings: list[str] = []
    (row_sp, col_sp), calibrated = _spacing(first, warnings)
    orientation = first.orientation
    affine = np.eye(4)
    if orientation is not None:
        r = np.asarray(orientation[:3], dtype=np.float64)
        c = np.asarray(orientation[3:6], dtype=np.float64)
        affine[:3, 0], affine[:3, 1], affine[:3, 2] = r * col_sp, c * row_sp, normal(orientation)
    else:
        affine[0, 0], affine[1, 1] = col_sp, row_sp
    multi = first.instance.frames > 1 and len({fr.instance.id for fr in ordered}) == 1
    if multi:
        kind = StackKind.CINE
        ft = first.instance.frame_time_ms
        warnings.append("multi-frame without patient positions (cine): the third axis is time"
                        + (f", {ft:g} ms per frame" if ft else "") + "; no 3D geometry")
    else:
        kind = StackKind.PROJECTION if modality in PROJECTION_MODALITIES or len(ordered) == 1 \
            else StackKind.CINE
        if kind == StackKind.PROJECTION:
            warnings.append("projection image: no patient position, so the affine gives pixel "
                            "size only")
            if first.instance.spacing_source == "ImagerPixelSpacing":
                warnings.append("spacing is ImagerPixelSpacing (at the detector), not corrected "
                                "for geometric magnification at the patient")
        else:
            warnings.append("images without patient positions: shown in instance order; no 3D "
                            "geometry")
    return StackPlan(
        frames=tuple(ordered), kind=kind, rows=px.rows, cols=px.cols, affine=affine,
        spacing=(1.0, row_sp, col_sp), positions=None, orientation=orientation, regular=True,
        tilt_deg=0.0, missing_slices=0, calibrated=calibrated, label="",
        warnings=tuple(warnings))


def _spacing(fr: FrameRef, warnings: list[str]) -> tuple[tuple[float, float], bool]:
    if fr.pixel_spacing is not None:
        return (float(fr.pixel_spacing[0]), float(fr.pixel_spacing[1])), True
    warnings.append("no pixel spacing in the header: distances are in pixels, not millimetres")
    return (1.0, 1.0), False


def _with_label(plan: StackPlan, i: int, total: int) -> StackPlan:
    what = plan.label or (orientation_name(plan.orientation) if plan.orientation else plan.kind)
    warnings = plan.warnings
    if i == 0:
        warnings = (f"mixed stacks: this series holds {total} stacks (split by orientation, "
                    "position or acquisition); stack 1 opens by default", *warnings)
    return replace(plan, label=f"stack {i + 1} of {total} ({what})", warnings=warnings)


def _first_position(plan: StackPlan) -> tuple[float, ...]:
    return tuple(plan.positions[0]) if plan.positions is not None else ()


def _round(values: Sequence[float] | None, digits: int) -> tuple[float, ...] | None:
    if values is None:
        return None
    return tuple(round(float(v), digits) + 0.0 for v in values)
