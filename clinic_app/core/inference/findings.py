"""Probability maps → findings: label, score, where (pixels and mm), how big, and why.

A finding drawn on the wrong slice is a safety defect, so the geometry here is kept to
one rule: pixel indices ``(slice k, row j, col i)`` go to patient coordinates only through
the series affine, applied to ``(i, j, k, 1)``. Nothing assumes axial slices, square
pixels or unit spacing; tests check coronal and anisotropic series against positions
computed from the DICOM tags.

Segmentation maps are thresholded at the manifest's ``mask_threshold`` and split into
3D connected components (8-connected in-plane, joined across adjacent slices where they
overlap). That is a hysteresis in 3D: the component grows at the low level
(``mask_threshold``), and it is *flagged* when its peak reaches the label's threshold.
Pieces that a missed slice separated are joined again, and sizes come from the section
areas in mm (``lesion3d``: the rule and the size model). Each component is a finding
whose score is its peak probability. Without pixel spacing no size is given at all. Classifier outputs give one
finding per label, located by the class-activation (or occlusion) map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import cv2
import numpy as np

from clinic_app.core.inference.components import Component, areas_at, component_at, components
from clinic_app.core.inference.focal3d import continuation
from clinic_app.core.inference.gap_bridge import gap_bridge
from clinic_app.core.inference.halfmax import HalfMaxSections, halfmax_sections
from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.core.inference.imaging_spec import MinSizeBasis
from clinic_app.core.inference.lesion3d import Extent, extent, merge_groups, slice_positions_mm
from clinic_app.core.inference.preprocess import spacing_from_affine
from clinic_app.core.inference.shape3d import elongation, second_moments

#: Extra pixels kept around a finding's box in its stored heatmap (context for the reader).
HEATMAP_MARGIN_PX = 8
#: Longest side of a whole-image heatmap as analysed and stored; the viewer scales it to
#: the image. A classifier's map is natively coarse (7×7 to 32×32), so 128 px loses
#: nothing while the 2000² image it covers would cost 250× more to threshold and store.
WHOLE_IMAGE_HEATMAP_MAX = 128


@dataclass(frozen=True)
class Geometry:
    """The series grid: the voxel→patient affine and whether it is patient (LPS) space.

    Projection radiographs have no patient position; their affine maps pixels to mm
    in the detector plane, and ``frame`` says so ("image"), as does "uncalibrated" for
    images without pixel spacing, so no one reads either as LPS.

    ``positions`` (each slice's ImagePositionPatient) makes the slice coordinate exact on
    stacks with irregular spacing, where the affine's slice step is only the mean.
    """

    affine: np.ndarray
    shape: tuple[int, int, int]
    frame: str = "LPS"
    positions: np.ndarray | None = None

    def to_mm(self, ijk: np.ndarray) -> np.ndarray:
        """``(n, 3)`` voxel indices ``(col, row, slice)`` → ``(n, 3)`` mm."""
        pts = np.asarray(ijk, dtype=np.float64).reshape(-1, 3)
        if self.positions is None or len(self.positions) != self.shape[0]:
            return pts @ self.affine[:3, :3].T + self.affine[:3, 3]
        k = np.clip(pts[:, 2], 0.0, self.shape[0] - 1.0)
        lo = np.floor(k).astype(int)
        hi = np.minimum(lo + 1, self.shape[0] - 1)
        w = (k - lo)[:, None]
        origin = self.positions[lo] * (1.0 - w) + self.positions[hi] * w
        # Beyond the first/last slice (box edges at k ± ½) extrapolate by the mean step.
        origin += (pts[:, 2] - k)[:, None] * self.affine[:3, 2]
        return origin + pts[:, :2] @ self.affine[:3, :2].T

    @property
    def voxel_volume_mm3(self) -> float:
        return float(abs(np.linalg.det(self.affine[:3, :3])))

    @property
    def pixel_area_mm2(self) -> float:
        return float(np.linalg.norm(np.cross(self.affine[:3, 0], self.affine[:3, 1])))


@dataclass(frozen=True)
class Finding:
    """One result of one model on one series, with everything a reader needs to check it."""

    label: str
    score: float
    flagged: bool
    threshold: float
    slice_index: int
    slice_range: tuple[int, int]
    bbox_px: dict[str, list[int]]
    bbox_mm: dict[str, list[float]]
    center_px: list[float]
    center_mm: list[float]
    contour_px: list[list[int]]
    contour_mm: list[list[float]]
    volume_ml: float | None
    diameter_mm: float | None
    frame: str
    location_method: str
    heatmap: Heatmap | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-able form (no heatmap pixels)."""
        return {
            "label": self.label, "score": round(self.score, 4), "flagged": self.flagged,
            "threshold": self.threshold, "slice_index": self.slice_index,
            "slice_range": list(self.slice_range), "bbox_px": self.bbox_px,
            "bbox_mm": self.bbox_mm, "center_px": self.center_px, "center_mm": self.center_mm,
            "contour_px": self.contour_px, "contour_mm": self.contour_mm,
            "volume_ml": self.volume_ml, "diameter_mm": self.diameter_mm, "frame": self.frame,
            "location_method": self.location_method,
        }


# -- findings from maps ------------------------------------------------------------------
def segmentation_findings(maps: np.ndarray, labels: tuple[str, ...],
                          thresholds: Mapping[str, float], mask_threshold: float,
                          min_size_mm: float, geometry: Geometry,
                          size_threshold: float | None = None,
                          max_elongation: float | None = None, *,
                          image: np.ndarray | None = None,
                          max_continuation: float | None = None,
                          min_size_of: MinSizeBasis = MinSizeBasis.EXTENT) -> list[Finding]:
    """Findings of every label from ``(labels, S, R, C)`` probability maps.

    With ``max_elongation`` (volumes only) a component more elongated than that is a
    tube, not a focal lesion, and is dropped (``shape3d``: why and how it is measured).
    With ``image`` (``(S, R, C)`` modality units on the maps' grid) each finding is sized
    at its half-maximum boundary in the image (``halfmax``), else on the map. With
    ``max_continuation`` and ``image`` (volumes only) a finding whose bright structure the
    image still shows one lesion diameter beyond it is not focal and is dropped
    (``focal3d``). ``min_size_of`` says whether ``min_size_mm`` is judged on the extent at
    the mask level or on the size reported (``MinSizeBasis``).

    Maps are float probabilities or uint8 quantised ones (value / 255, as the run
    functions return them); the mask level is then the smallest byte ≥ the threshold.
    """
    found: list[Finding] = []
    volumetric = geometry.shape[0] > 1
    quantised = maps.dtype == np.uint8
    unit = 255.0 if quantised else 1.0
    level: float = math.ceil(mask_threshold * 255.0 - 1e-6) if quantised else mask_threshold
    for index, label in enumerate(labels):
        threshold = float(thresholds[label])
        prob = maps[index]
        comps, slice_labels = components(prob, level)
        if volumetric:
            comps = join_across_gaps(comps, geometry, prob, level, image)
        size_level = None
        if size_threshold is not None and size_threshold > mask_threshold:
            size_level = (math.ceil(size_threshold * 255.0 - 1e-6) if quantised
                          else size_threshold)
        for comp in comps:
            # EXTENT: specks filtered by the extent found (the mask level), so a faint
            # lesion measured small at its size level is still reported.
            if (min_size_of is MinSizeBasis.EXTENT
                    and _extent_diameter(comp, geometry, volumetric) < min_size_mm):
                continue
            if volumetric and max_elongation is not None and _elongation(
                    comp, slice_labels, geometry) > max_elongation:
                continue
            if volumetric and max_continuation is not None and image is not None and (
                    _continuation(comp, slice_labels, image, geometry) or 0.0) > max_continuation:
                continue
            # A finding whose peak stays below the size level is measured at its extent.
            at = size_level if size_level is not None and comp.peak >= size_level else None
            sections = halfmax_sections(comp, slice_labels, image) if image is not None else None
            finding = _component_finding(
                comp, slice_labels, prob, label, threshold, geometry, volumetric,
                "segmentation", unit=unit, sections=sections,
                size_areas=sections.areas if sections else areas_at(comp, slice_labels, prob, at))
            # REPORTED: judged on what the reader would see; no size, no filter (as EXTENT).
            if (min_size_of is MinSizeBasis.REPORTED and finding.diameter_mm is not None
                    and finding.diameter_mm < min_size_mm):
                continue
            found.append(finding)
    found.sort(key=lambda f: (-f.score, f.slice_index))
    return found


def _extent_diameter(comp: Component, geometry: Geometry, volumetric: bool) -> float:
    """Equivalent sphere (circle) diameter of the voxels found at the mask level, in mm;
    infinite without pixel spacing (no size filter applies to pixel units)."""
    if geometry.frame == "uncalibrated":
        return math.inf
    if volumetric:
        return (6.0 * comp.voxels * geometry.voxel_volume_mm3 / math.pi) ** (1.0 / 3.0)
    return 2.0 * math.sqrt(comp.voxels * geometry.pixel_area_mm2 / math.pi)


def _elongation(comp: Component, slice_labels: dict[int, np.ndarray],
                geometry: Geometry) -> float:
    """The component's principal-axis ratio in mm (``shape3d``)."""
    z_mm = slice_positions_mm(geometry.affine, geometry.shape[0], geometry.positions)
    step = float(np.median(np.diff(z_mm))) if len(z_mm) > 1 else 0.0
    _, cov = second_moments(comp, slice_labels, geometry.to_mm)
    return elongation(cov, geometry.affine[:3, 2], step)


def _continuation(comp: Component, slice_labels: dict[int, np.ndarray], image: np.ndarray,
                  geometry: Geometry) -> float | None:
    """How far the image's bright structure goes on beyond the finding (``focal3d``)."""
    z_mm = slice_positions_mm(geometry.affine, geometry.shape[0], geometry.positions)
    _, row_mm, col_mm = spacing_from_affine(geometry.affine)
    return continuation(comp, slice_labels, image, z_mm, (row_mm, col_mm))


def join_across_gaps(comps: list[Component], geometry: Geometry, prob: np.ndarray,
                     level: float, image: np.ndarray | None = None) -> list[Component]:
    """One component per lesion: pieces separated by a missed slice are joined
    (``lesion3d.merge_groups``, physical rules in its module doc; what counts as the
    lesion going on through the gap, ``gap_bridge``)."""
    if len(comps) < 2:
        return comps
    z_mm = slice_positions_mm(geometry.affine, geometry.shape[0], geometry.positions)
    _, row_mm, col_mm = spacing_from_affine(geometry.affine)
    joined = []
    for group in merge_groups([c.sections() for c in comps], z_mm, (row_mm, col_mm),
                              gap_bridge(prob, level, image)):
        head = comps[group[0]]
        for n in group[1:]:
            head.absorb(comps[n])
        joined.append(head)
    return joined


def _component_finding(comp: Component, slice_labels: dict[int, np.ndarray], prob: np.ndarray,
                       label: str, threshold: float, geometry: Geometry, volumetric: bool,
                       method: str, *, score: float | None = None,
                       heatmap: Heatmap | None = None,
                       scale: tuple[float, float] = (1.0, 1.0), unit: float = 1.0,
                       size_areas: Mapping[int, int] | None = None,
                       sections: HalfMaxSections | None = None) -> Finding:
    """Describe one component; ``scale`` (rows, cols) maps a coarser map grid to the image's.

    With ``scale`` ≠ 1 (whole-image maps analysed at ≤128 px) map pixel ``p`` spans image
    pixels ``[p·s, (p+1)·s)``, its centre is ``(p + ½)·s − ½``; every coordinate reported
    is on the image's own grid. With ``sections`` (``halfmax``) the centre in-plane, the
    outline and the box are the half-maximum sections', not the map's.
    """
    sr, sc = scale
    centre = comp.weighted / comp.voxels
    if sections is not None:
        centre[:2] = sections.centre
    centre = np.array([(centre[0] + 0.5) * sc - 0.5, (centre[1] + 0.5) * sr - 0.5, centre[2]])
    calibrated = geometry.frame != "uncalibrated"
    size: Extent | None = None
    if volumetric:
        z_mm = slice_positions_mm(geometry.affine, geometry.shape[0], geometry.positions)
        size = extent(size_areas or comp.areas, z_mm, geometry.pixel_area_mm2)
        centre[2] = size.centre_k
    # The reported slice is the one through the finding's centre (where a reader would
    # measure it); for a shape whose centre falls outside it, the slice where it is largest.
    slice_index = round(float(centre[2]))
    if slice_index not in comp.areas:
        best_area = max(comp.areas.values())
        slice_index = min((k for k, a in comp.areas.items() if a == best_area),
                          key=lambda k: abs(k - centre[2]))
    if sections is not None and slice_index in sections.outlines:
        outline = sections.outlines[slice_index].astype(np.float64)
    else:
        part = np.isin(slice_labels[slice_index], comp.parts[slice_index]).astype(np.uint8)
        contours, _ = cv2.findContours(part, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        outline = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float64)
    outline = np.column_stack([(outline[:, 0] + 0.5) * sc - 0.5,
                               (outline[:, 1] + 0.5) * sr - 0.5,
                               np.full(len(outline), slice_index)])
    # np.rint rounds halves to even, as round() does: the same integers, vectorised.
    contour_px = np.rint(outline[:, :2]).astype(np.int64).tolist()
    contour_mm = geometry.to_mm(outline).round(2).tolist()
    left, top, right, bottom = (sections.box if sections is not None
                                else (*comp.lo[:2], *comp.hi[:2]))
    lo = np.array([math.floor(left * sc), math.floor(top * sr), comp.lo[2]])
    hi = np.array([math.ceil((right + 1) * sc) - 1, math.ceil((bottom + 1) * sr) - 1,
                   comp.hi[2]])
    corners = np.array([[x, y, z] for x in (lo[0] - 0.5, hi[0] + 0.5)
                        for y in (lo[1] - 0.5, hi[1] + 0.5)
                        for z in ((lo[2] - 0.5, hi[2] + 0.5) if volumetric else (lo[2],))])
    corners_mm = geometry.to_mm(corners)
    volume_ml: float | None = None
    diameter: float | None = None
    if not calibrated:
        pass  # pixel units only: "size unknown (no pixel spacing)", never mm
    elif size is not None:
        volume_ml = round(size.volume_mm3 / 1000.0, 4)
        diameter = float(size.diameter_mm)
    else:
        pixels = sum(size_areas.values()) if size_areas else comp.voxels
        diameter = 2.0 * math.sqrt(pixels * sr * sc * geometry.pixel_area_mm2 / math.pi)
    if heatmap is None:
        heatmap = _crop_heatmap(prob, comp.lo.astype(int), comp.hi.astype(int),
                                "segmentation-probability", label)
    value = comp.peak / unit if score is None else score
    return Finding(
        label=label, score=float(value), flagged=bool(value >= threshold), threshold=threshold,
        slice_index=int(slice_index), slice_range=(int(lo[2]), int(hi[2])),
        bbox_px={"col": [int(lo[0]), int(hi[0])], "row": [int(lo[1]), int(hi[1])],
                 "slice": [int(lo[2]), int(hi[2])]},
        bbox_mm={"min": corners_mm.min(axis=0).round(2).tolist(),
                 "max": corners_mm.max(axis=0).round(2).tolist()},
        center_px=[round(float(v), 2) for v in centre],
        center_mm=geometry.to_mm(centre[None]).round(2)[0].tolist(),
        contour_px=contour_px, contour_mm=contour_mm, volume_ml=volume_ml,
        diameter_mm=round(diameter, 2) if diameter is not None else None,
        frame=geometry.frame, location_method=method, heatmap=heatmap)


def _crop_heatmap(prob: np.ndarray, lo: np.ndarray, hi: np.ndarray, kind: str,
                  label: str) -> Heatmap:
    """The probability map around a finding: its slices, its box plus a margin."""
    _, rows, cols = prob.shape
    r0 = max(0, int(lo[1]) - HEATMAP_MARGIN_PX)
    r1 = min(rows, int(hi[1]) + HEATMAP_MARGIN_PX + 1)
    c0 = max(0, int(lo[0]) - HEATMAP_MARGIN_PX)
    c1 = min(cols, int(hi[0]) + HEATMAP_MARGIN_PX + 1)
    crop = prob[int(lo[2]): int(hi[2]) + 1, r0:r1, c0:c1]
    origin = (int(lo[2]), r0, c0)
    if crop.dtype == np.uint8:
        return Heatmap(kind, label, origin, crop.shape, np.ascontiguousarray(crop))
    return Heatmap.from_float(crop, kind=kind, label=label, origin=origin, extent=crop.shape)


def map_grid(rows: int, cols: int) -> tuple[int, int]:
    """The grid whole-image maps are analysed and stored on: ≤128 px on the long side.

    A classifier's map is natively coarse (7×7 for DenseNet-121 at 224²); upsampling it
    to a 2000² radiograph before finding its peak region would cost more than the network
    and add nothing, so the region is found on this grid and mapped to image pixels.
    """
    factor = min(1.0, WHOLE_IMAGE_HEATMAP_MAX / max(rows, cols))
    return max(1, round(rows * factor)), max(1, round(cols * factor))


def classification_findings(scores: np.ndarray, heatmaps: np.ndarray, labels: tuple[str, ...],
                            thresholds: Mapping[str, float], geometry: Geometry,
                            method: str) -> list[Finding]:
    """One finding per label of a whole-image classifier, located by its heatmap.

    ``heatmaps`` is ``(labels, h, w)`` on :func:`map_grid` of the image. The location is
    where the map reaches half its maximum (the component holding the maximum): where
    the model looked, not a segmentation; ``location_method`` says which map it was.
    """
    found: list[Finding] = []
    _, rows, cols = geometry.shape
    _, h, w = heatmaps.shape
    scale = (rows / h, cols / w)
    for index, label in enumerate(labels):
        threshold = float(thresholds[label])
        cam = heatmaps[index]
        peak = float(cam.max())
        stored = Heatmap.from_float(cam[None], kind=method, label=label, origin=(0, 0, 0),
                                    extent=(1, rows, cols))
        # Only a flagged label is located: the map of a class the model says is absent
        # points at nothing a reader should look for (its map is still stored).
        if peak <= 0 or scores[index] < threshold:
            found.append(_unlocated(label, float(scores[index]), threshold, geometry, method,
                                    stored))
            continue
        inside = cam >= 0.5 * peak
        r, c = np.unravel_index(int(np.argmax(cam)), cam.shape)
        holding, slice_labels = component_at(inside, int(r), int(c))
        found.append(_component_finding(holding, slice_labels, inside[None], label, threshold,
                                        geometry, False, method, score=float(scores[index]),
                                        heatmap=stored, scale=scale))
    return found


def _unlocated(label: str, score: float, threshold: float, geometry: Geometry, method: str,
               heatmap: Heatmap) -> Finding:
    """A classifier result that is not flagged, or whose map is empty: scored, not placed."""
    return Finding(label=label, score=score, flagged=score >= threshold, threshold=threshold,
                   slice_index=0, slice_range=(0, 0), bbox_px={}, bbox_mm={}, center_px=[],
                   center_mm=[], contour_px=[], contour_mm=[], volume_ml=None,
                   diameter_mm=None, frame=geometry.frame, location_method=method,
                   heatmap=heatmap)
