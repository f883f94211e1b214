"""The findings the analysis services publish to the UI and the CLI.

The findings table's row type (``finding_store.StoredFinding``) carries the geometry as the
JSON dictionary it is stored as; screens that read it with ``.get("bbox_px")`` depended on
the storage format and on spelling keys right. These frozen types are what
:class:`AnalysisService` and :class:`ReviewEditService` return instead: typed boxes and
points, built once here from the stored row, so the storage can change behind them.
``as_json`` is the CLI's and exports' documented view (unchanged from before).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinic_app.core.inference.finding_store import Review, StoredFinding
from clinic_app.core.inference.review_edits import Placement
from clinic_app.core.inference.size_caveat import (
    approximate_note,
    edge_note,
    remarks,
    stored_spacing,
)


@dataclass(frozen=True)
class PixelBox:
    """A box in pixel indices, inclusive at both ends; ``slices`` for a 3-D finding."""

    cols: tuple[int, int]
    rows: tuple[int, int]
    slices: tuple[int, int] | None = None

    @classmethod
    def from_stored(cls, box: Mapping[str, Sequence[int]] | None) -> PixelBox | None:
        if not box or "col" not in box or "row" not in box:
            return None
        col, row, sl = box["col"], box["row"], box.get("slice")
        return cls((int(col[0]), int(col[1])), (int(row[0]), int(row[1])),
                   (int(sl[0]), int(sl[1])) if sl else None)

    def as_json(self) -> dict[str, list[int]]:
        out = {"col": list(self.cols), "row": list(self.rows)}
        if self.slices is not None:
            out["slice"] = list(self.slices)
        return out


@dataclass(frozen=True)
class MmBox:
    """A box in patient millimetres (the frame is the finding's ``frame``)."""

    low: tuple[float, ...]
    high: tuple[float, ...]

    @classmethod
    def from_stored(cls, box: Mapping[str, Sequence[float]] | None) -> MmBox | None:
        if not box or "min" not in box or "max" not in box:
            return None
        return cls(tuple(float(v) for v in box["min"]), tuple(float(v) for v in box["max"]))

    def as_json(self) -> dict[str, list[float]]:
        return {"min": list(self.low), "max": list(self.high)}


@dataclass(frozen=True)
class FindingReview:
    """The latest review of a finding; ``revised`` is the reviewer's box (``modified``)."""

    decision: str
    comment: str
    user: str
    role: str
    reviewed_at: str
    model_id: str
    model_version: str
    revised: Placement | None = None

    @classmethod
    def from_stored(cls, r: Review) -> FindingReview:
        revised = Placement.from_geometry(r.geometry) if r.geometry else None
        return cls(r.decision, r.comment, r.user, r.role, r.reviewed_at, r.model_id,
                   r.model_version, revised)


@dataclass(frozen=True)
class Finding:
    """One finding of a model run, where it is, and its review state."""

    id: int
    run_uid: str
    study_uid: str
    series_uid: str
    model_id: str
    model_version: str
    demo: bool
    provider: str
    label: str
    score: float
    flagged: bool
    threshold: float
    stack_index: int
    slice_index: int
    slice_range: tuple[int, int]
    source_sop_uid: str
    source_frame: int | None
    bbox_px: PixelBox | None  # None: the model names no region (a whole-image label)
    bbox_mm: MmBox | None
    center_px: tuple[float, ...]
    center_mm: tuple[float, ...]
    contour_px: tuple[tuple[int, int], ...]
    volume_ml: float | None
    diameter_mm: float | None
    frame: str
    location_method: str
    heatmap_kind: str
    has_heatmap: bool
    analysed_at: str
    review: FindingReview | None
    trigger: str
    run_by: str
    location_note: str
    #: Distance between the slices it was measured on (mm; None: one image, or stored
    #: before the spacing was kept).
    slice_mm: float | None = None
    #: It reaches the first or last image of the series analysed (may extend beyond it).
    at_series_edge: bool = False

    @property
    def review_status(self) -> str:
        return self.review.decision if self.review else "unreviewed"

    @property
    def size_approximate(self) -> bool:
        """Small and measured on thick slices: check its size on thin ones (``size_caveat``)."""
        return remarks(self.diameter_mm, self.frame, self.slice_mm, self.at_series_edge)[0]

    @property
    def size_cut_off(self) -> bool:
        """Its size in mm may be larger: it reaches the first or last image (``size_caveat``)."""
        return remarks(self.diameter_mm, self.frame, self.slice_mm, self.at_series_edge)[1]

    @property
    def size_note(self) -> str:
        """What the reader should know about the size beside the numbers ('' for nothing)."""
        notes = [approximate_note(self.slice_mm) if self.size_approximate and self.slice_mm else "",
                 edge_note() if self.size_cut_off else ""]
        return " ".join(n for n in notes if n)

    def as_json(self) -> dict[str, Any]:
        """The CLI's and exports' view: provenance, result, where, and review status."""
        review: dict[str, Any] | None = None
        if self.review:
            review = {"decision": self.review.decision, "comment": self.review.comment,
                      "user": self.review.user, "at": self.review.reviewed_at,
                      "model_version": self.review.model_version}
            if self.review.revised is not None:
                review["revised"] = self.review.revised.as_geometry()
        return {
            "id": self.id, "model": self.model_id, "version": self.model_version,
            "demo": self.demo, "provider": self.provider, "label": self.label,
            "score": round(self.score, 4), "flagged": self.flagged, "threshold": self.threshold,
            "series_uid": self.series_uid, "stack_index": self.stack_index,
            "slice_index": self.slice_index,
            "slice_range": list(self.slice_range), "source_sop_uid": self.source_sop_uid,
            "source_frame": self.source_frame,
            "bbox_px": self.bbox_px.as_json() if self.bbox_px else {},
            "bbox_mm": self.bbox_mm.as_json() if self.bbox_mm else {},
            "center_px": list(self.center_px), "center_mm": list(self.center_mm),
            "frame": self.frame, "volume_ml": self.volume_ml, "diameter_mm": self.diameter_mm,
            "slice_mm": self.slice_mm, "size_approximate": self.size_approximate,
            "at_series_edge": self.at_series_edge,
            "location_method": self.location_method,
            "heatmap": self.heatmap_kind if self.has_heatmap else None,
            "analysed_at": self.analysed_at, "review_status": self.review_status,
            "review": review, "location_note": self.location_note or None,
            "trigger": self.trigger, "run_by": self.run_by,
        }


def publish(f: StoredFinding) -> Finding:
    """The published form of a stored finding (its geometry parsed once, here)."""
    g = f.geometry
    return Finding(
        id=f.id, run_uid=f.run_uid, study_uid=f.study_uid, series_uid=f.series_uid,
        model_id=f.model_id, model_version=f.model_version, demo=f.demo, provider=f.provider,
        label=f.label, score=f.score, flagged=f.flagged, threshold=f.threshold,
        stack_index=f.stack_index, slice_index=f.slice_index,
        slice_range=(int(f.slice_range[0]), int(f.slice_range[1])),
        source_sop_uid=f.source_sop_uid, source_frame=f.source_frame,
        bbox_px=PixelBox.from_stored(g.get("bbox_px")), bbox_mm=MmBox.from_stored(g.get("bbox_mm")),
        center_px=tuple(float(v) for v in g.get("center_px", [])),
        center_mm=tuple(float(v) for v in g.get("center_mm", [])),
        contour_px=tuple((int(c), int(r)) for c, r in g.get("contour_px", [])),
        volume_ml=f.volume_ml, diameter_mm=f.diameter_mm, frame=f.frame,
        slice_mm=stored_spacing(g.get("slice_mm")), at_series_edge=g.get("at_series_edge") is True,
        location_method=f.location_method, heatmap_kind=f.heatmap_kind,
        has_heatmap=f.has_heatmap, analysed_at=f.analysed_at,
        review=FindingReview.from_stored(f.review) if f.review else None,
        trigger=f.trigger, run_by=f.run_by, location_note=f.location_note)
