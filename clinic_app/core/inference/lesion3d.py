"""One lesion, one finding: joining a lesion's pieces along the slice axis and sizing it in mm.

A per-slice model can lose a slice in the middle of a lesion (a dip below the mask
threshold on one slice); 3D connected components then report the lesion twice, each
half with half the volume. Two rules, both stated in physical units so they behave the
same on 0.6 mm and on 5 mm slices, put it back together:

* **Gap-tolerant merge.** Two pieces that do not touch are one lesion when the later
  starts after the earlier ends, the distance between their facing slices (mm along the
  slice normal) is at most the smaller facing section's equivalent diameter, and the
  facing sections' centres are within half the larger section's diameter of each other
  in-plane. A compact lesion whose sections on both sides of a gap are that wide cannot
  be absent in between; two separate lesions stacked along the slice axis meet with
  their poles (small sections), so their gap exceeds the small diameter and they stay
  apart. A model that fades over a lesion's centre can leave thin tails on the facing
  slices; then the pieces' widest sections are judged by the same rule, provided every
  slice in the gap still shows the lesion inside their footprint: a residual response
  (``BRIDGE_FRACTION`` of the mask level) or, where the map is silent, the image
  (``gap_bridge``). Separate lesions have background between them.
* **Size from the sections, not from counted voxels.** The cross-section areas (mm²) at
  the slices' positions (inner sections under half the largest on each side are
  dropouts, left out) are fitted with an ellipsoid's profile, ``A(z) = A₀ (1 −
  (z − z₀)² / c²)``: volume ``4/3 · A₀ · c``, centre ``z₀``. Slices missing inside the
  lesion are left out of the fit rather than counted as zero, and the poles a model
  misses on thick slices are extrapolated instead of lost. With two sections the
  profile is solved exactly for a sphere; with one, the unknown offset of the slice
  from the centre is taken at its mean square for a uniformly placed slice (s²/12),
  or, when both neighbouring slices were measured and show nothing of the lesion, at
  its mean square over the offsets that keep the lesion off them (``bounded_offset2``).
  When the profile does not fit (an irregular shape), or fits only as an ellipsoid more
  than ``MAX_PROFILE_ELONGATION`` times longer than wide (sections nearly equal, which
  say nothing of where the poles are), the Cavalieri sum of sections times spacing is
  used instead. ``method`` says which.

Diameter is the equivalent sphere diameter of that volume (the same definition as the
synthetic truth, ``CtLesion.diameter_mm``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: The residual response (share of the mask level) every gap slice must show for pieces
#: to be judged by their widest sections.
BRIDGE_FRACTION = 0.1
#: Least share of the area variance the ellipsoid profile must explain to be used.
PROFILE_MIN_R2 = 0.8
#: Longest fitted profile, as a multiple of its widest section's radius. Equal sections
#: fit a parabola of any length (three of 16.6 mm² gave a 1.7 m "nodule"), and nearly
#: equal ones a very long one; a lesion that long along the slices is a tube, which the
#: elongation filter drops anyway, so its sections are summed instead.
MAX_PROFILE_ELONGATION = 2.0


@dataclass(frozen=True)
class Section:
    """A piece's section on one slice: area in pixels, centroid ``(col, row)`` and box
    size ``(cols, rows)`` in pixels."""

    area_px: int
    centre: tuple[float, float]
    box_px: tuple[int, int] = (0, 0)

    def width_mm(self, pixel_mm: tuple[float, float]) -> float:
        """Its width: the equivalent diameter of its area, or the narrower side of its box
        when that is larger (a ring, where a model marked only a lesion's rim)."""
        area = 2.0 * math.sqrt(self.area_px * pixel_mm[0] * pixel_mm[1] / math.pi)
        return max(area, min(self.box_px[0] * pixel_mm[1], self.box_px[1] * pixel_mm[0]))


@dataclass(frozen=True)
class Extent:
    """A lesion's centre along the slice axis (fractional slice index) and its volume."""

    centre_k: float
    volume_mm3: float
    method: str

    @property
    def diameter_mm(self) -> float:
        return (6.0 * self.volume_mm3 / math.pi) ** (1.0 / 3.0)


def slice_positions_mm(affine: np.ndarray, n_slices: int,
                       positions: np.ndarray | None) -> np.ndarray:
    """Each slice's position along the slice normal (mm, increasing with the index)."""
    step = np.asarray(affine, dtype=np.float64)[:3, 2]
    length = float(np.linalg.norm(step))
    if positions is None or len(positions) != n_slices or length == 0.0:
        return np.arange(n_slices, dtype=np.float64) * length
    z = (np.asarray(positions, dtype=np.float64) - positions[0]) @ (step / length)
    if n_slices > 1 and not np.all(np.diff(z) > 0):
        return np.arange(n_slices, dtype=np.float64) * length
    return z


#: ``bridged(k_after, k_before, (col0, row0, col1, row1), (k_widest_a, k_widest_b))``:
#: whether every slice strictly between the first two still shows the lesion inside the
#: box (see ``joins``; ``gap_bridge`` says how), the pieces' widest sections on the last two.
Bridge = Callable[[int, int, tuple[int, int, int, int], tuple[int, int]], bool]


def joins(earlier: Mapping[int, Section], later: Mapping[int, Section], z_mm: np.ndarray,
          pixel_mm: tuple[float, float], bridged: Bridge | None = None) -> bool:
    """Whether ``later`` continues ``earlier`` across a gap (the rules in the module doc).

    ``pixel_mm`` is ``(row, col)`` spacing; ``z_mm`` the slice positions.
    """
    ka, kb = max(earlier), min(later)
    if kb <= ka:
        return False
    if _continues(earlier[ka], later[kb], float(z_mm[kb] - z_mm[ka]), pixel_mm):
        return True
    if bridged is None:
        return False
    # A model fading over a lesion's centre leaves thin tails on the facing slices: judge
    # by each piece's widest section instead, if the slices between still respond.
    ma = max(earlier, key=lambda k: earlier[k].area_px)
    mb = max(later, key=lambda k: later[k].area_px)
    a, b = earlier[ma], later[mb]
    if not _continues(a, b, float(z_mm[mb] - z_mm[ma]), pixel_mm):
        return False
    half_c = max(a.box_px[0], b.box_px[0]) / 2.0
    half_r = max(a.box_px[1], b.box_px[1]) / 2.0
    cc, cr = (a.centre[0] + b.centre[0]) / 2.0, (a.centre[1] + b.centre[1]) / 2.0
    return bridged(ka, kb, (math.floor(cc - half_c), math.floor(cr - half_r),
                            math.ceil(cc + half_c), math.ceil(cr + half_r)), (ma, mb))


def _continues(a: Section, b: Section, gap: float, pixel_mm: tuple[float, float]) -> bool:
    da, db = a.width_mm(pixel_mm), b.width_mm(pixel_mm)
    offset = math.hypot((a.centre[0] - b.centre[0]) * pixel_mm[1],
                        (a.centre[1] - b.centre[1]) * pixel_mm[0])
    return abs(gap) <= min(da, db) and offset <= 0.5 * max(da, db)


def merge_groups(pieces: Sequence[Mapping[int, Section]], z_mm: np.ndarray,
                 pixel_mm: tuple[float, float], bridged: Bridge | None = None) -> list[list[int]]:
    """Indices of ``pieces`` grouped into lesions (each group sorted, groups by first index).

    One pass in slice order: each piece joins every group it continues (and so bridges
    them), else it opens a group. Only groups that end before the piece starts, within
    the reach of their widest possible section, are tried, so a noisy map with many
    small pieces stays cheap.
    """
    groups: list[tuple[list[int], dict[int, Section]]] = []
    for n in sorted(range(len(pieces)), key=lambda i: (min(pieces[i]), i)):
        piece = pieces[n]
        start = z_mm[min(piece)]
        matched = []
        for g, (_members, sections) in enumerate(groups):
            last = max(sections)
            reach = max(sec.width_mm(pixel_mm) for sec in sections.values())
            if last < min(piece) and start - z_mm[last] <= reach and joins(
                    sections, piece, z_mm, pixel_mm, bridged):
                matched.append(g)
        if not matched:
            groups.append(([n], dict(piece)))
            continue
        members, sections = groups[matched[0]]
        members.append(n)
        sections = _combine(sections, piece)
        for g in matched[1:]:
            members += groups[g][0]
            sections = _combine(sections, groups[g][1])
        groups[matched[0]] = (members, sections)
        groups = [grp for g, grp in enumerate(groups) if g not in matched[1:]]
    return sorted((sorted(m) for m, _s in groups), key=lambda g: g[0])


def _combine(a: Mapping[int, Section], b: Mapping[int, Section]) -> dict[int, Section]:
    out = dict(a)
    for k, s in b.items():
        if k in out:
            t = out[k]
            area = t.area_px + s.area_px
            out[k] = Section(area, ((t.centre[0] * t.area_px + s.centre[0] * s.area_px) / area,
                                    (t.centre[1] * t.area_px + s.centre[1] * s.area_px) / area),
                             (max(t.box_px[0], s.box_px[0]), max(t.box_px[1], s.box_px[1])))
        else:
            out[k] = s
    return out


def extent(areas_px: Mapping[int, int], z_mm: np.ndarray, pixel_area_mm2: float) -> Extent:
    """Centre and volume of a lesion from its section areas (see the module doc); an area
    of 0 marks a slice measured empty (the lesion ends before it)."""
    absent = {k for k, a in areas_px.items() if a <= 0}
    areas_px = {k: a for k, a in areas_px.items() if a > 0}
    ks = np.array(sorted(_without_dropouts(areas_px)), dtype=int)
    z = z_mm[ks]
    area = np.array([areas_px[int(k)] for k in ks], dtype=np.float64) * pixel_area_mm2
    step = float(np.median(np.diff(z_mm))) if len(z_mm) > 1 else 1.0
    if len(ks) == 1:
        k = int(ks[0])
        offset2 = step * step / 12.0
        if k - 1 in absent and k + 1 in absent:
            offset2 = bounded_offset2(area[0] / math.pi, step)
        radius2 = area[0] / math.pi + offset2
        return Extent(float(k), 4.0 / 3.0 * math.pi * radius2 ** 1.5, "single section")
    if len(ks) == 2:
        z1, z2 = float(z[0]), float(z[1])
        z0 = 0.5 * (z1 + z2) - (area[0] - area[1]) / (2.0 * math.pi * (z2 - z1))
        z0 = min(max(z0, z1 - step / 2.0), z2 + step / 2.0)
        radius2 = 0.5 * (area[0] / math.pi + (z1 - z0) ** 2 + area[1] / math.pi + (z2 - z0) ** 2)
        return Extent(_index_at(z0, z_mm), 4.0 / 3.0 * math.pi * radius2 ** 1.5, "two sections")
    fitted = _profile(z, area, step)
    if fitted is not None:
        z0, volume = fitted
        return Extent(_index_at(z0, z_mm), volume, "ellipsoid profile")
    # Cavalieri: every slice of the range counts, missing ones at the interpolated area.
    full = np.arange(int(ks[0]), int(ks[-1]) + 1)
    filled = np.interp(z_mm[full], z, area)
    volume = float(np.sum(filled) * step)
    centre = float(np.sum(filled * full) / np.sum(filled))
    return Extent(centre, volume, "cavalieri")


def bounded_offset2(section_r2: float, step: float) -> float:
    """Mean square offset of a slice from the centre of a lesion that slice alone shows.

    The slice nearest the centre lies within ``step / 2`` of it, uniformly. A section of
    radius ρ at offset z belongs to a lesion of radius ``√(ρ² + z²)``; the neighbour on
    the centre's side, ``step − z`` away, shows nothing, so ``ρ² + z² < (step − z)²``:
    ``z < (step² − ρ²) / (2·step)``. Uniform over what remains, ``E[z²] = z_max² / 3``.
    With ρ → 0 this is the unbounded ``step² / 12``; a section as wide as the step leaves
    no room (z = 0)."""
    z_max = min(0.5 * step, max(0.0, (step * step - section_r2) / (2.0 * step)))
    return z_max * z_max / 3.0


def _without_dropouts(areas_px: Mapping[int, int]) -> dict[int, int]:
    """The sections minus dropouts: an inner section under half of the largest section on
    *each* side cannot belong to a convex lesion's profile (a model's dip, or the thin
    tail it left beside one); it is left out of the fit like a missing slice."""
    ks = sorted(areas_px)
    values = [areas_px[k] for k in ks]
    kept = {}
    for n, k in enumerate(ks):
        before, after = max(values[:n], default=0), max(values[n + 1:], default=0)
        if values[n] < 0.5 * min(before, after):
            continue
        kept[k] = areas_px[k]
    return kept


def _profile(z: np.ndarray, area: np.ndarray, step: float) -> tuple[float, float] | None:
    """``(z₀, volume)`` of the ellipsoid profile fitted to the sections, or None if it fails."""
    mid = float(np.mean(z))
    gamma, beta, alpha = np.polyfit(z - mid, area, 2)
    if gamma >= 0:
        return None
    vertex = -beta / (2.0 * gamma)
    peak = alpha - beta * beta / (4.0 * gamma)
    z0 = vertex + mid
    if peak <= 0 or not (z[0] - step <= z0 <= z[-1] + step):
        return None
    residual = area - np.polyval([gamma, beta, alpha], z - mid)
    spread = float(np.sum((area - area.mean()) ** 2))
    if spread > 0 and 1.0 - float(np.sum(residual ** 2)) / spread < PROFILE_MIN_R2:
        return None
    half = math.sqrt(peak / -gamma)
    if half < 0.5 * float(z[-1] - z[0]):
        return None
    if half > MAX_PROFILE_ELONGATION * math.sqrt(peak / math.pi):
        return None  # a flat profile: the sections cannot say where the poles are
    return z0, 4.0 / 3.0 * peak * half


def _index_at(z: float, z_mm: np.ndarray) -> float:
    """Fractional slice index of position ``z`` (linear beyond the first and last slice)."""
    n = len(z_mm)
    if n == 1:
        return 0.0
    if z <= z_mm[0]:
        return float((z - z_mm[0]) / (z_mm[1] - z_mm[0]))
    if z >= z_mm[-1]:
        return float(n - 1 + (z - z_mm[-1]) / (z_mm[-1] - z_mm[-2]))
    return float(np.interp(z, z_mm, np.arange(n)))
