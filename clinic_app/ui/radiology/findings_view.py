"""AI findings as the radiology screens show them (Qt-free).

:class:`FindingView` is the one shape the findings panel, the canvas overlay and the
worklist's AI column read; :mod:`clinic_app.ui.radiology.status` fills it from the
analysis service. Keeping the panel on this small contract means the screens do not
depend on how the AI engineer stores a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.ui.formatting import local_time


@dataclass(frozen=True)
class FindingOverlay:
    """An AI finding as the canvas draws it, in the volume's stored voxel grid."""

    label: str
    slice_k: int
    #: Inclusive voxel box (i, j, k) lo and hi, or None when unlocated.
    box_lo: tuple[int, int, int] | None = None
    box_hi: tuple[int, int, int] | None = None
    #: Outline on slice ``slice_k``: (col, row) voxel points.
    contour: tuple[tuple[int, int], ...] = ()
    heat: np.ndarray | None = field(default=None, repr=False)  # uint8 (slices, rows, cols)
    heat_origin: tuple[int, int, int] = (0, 0, 0)  # (k, j, i)
    heat_extent: tuple[int, int, int] = (0, 0, 0)
    flagged: bool = True


@dataclass(frozen=True)
class ReviewView:
    decision: str  # "accepted" | "rejected"
    reviewer: str
    reviewed_at: str  # UTC ISO
    comment: str = ""

    def text(self) -> str:
        note = f": “{self.comment}”" if self.comment else ""
        return f"{self.decision.capitalize()} by {self.reviewer} at {local_time(self.reviewed_at)}{note}"


@dataclass(frozen=True, eq=False)
class FindingView:
    finding_id: int
    study_uid: str
    series_uid: str
    model_id: str
    model_name: str
    model_version: str
    demo: bool
    label: str
    score: float
    threshold: float
    flagged: bool
    slice_index: int  # k in the analysed series' stack
    slice_range: tuple[int, int]
    bbox_px: dict[str, list[int]]
    contour_px: tuple[tuple[int, int], ...]
    location_method: str
    volume_ml: float | None
    diameter_mm: float | None
    provider: str = ""
    created_at: str = ""
    review: ReviewView | None = None
    has_heatmap: bool = True

    @property
    def located(self) -> bool:
        return bool(self.bbox_px)

    def headline(self) -> str:
        flag = "⚑ FLAGGED" if self.flagged else "not flagged"
        return f"{self.label} — {self.score:.2f} ({flag}, threshold {self.threshold:.2f})"

    def model_text(self) -> str:
        return f"{self.model_name} {self.model_version}" + ("  [DEMO]" if self.demo else "")

    def where_text(self) -> str:
        if not self.located:
            return "No location (the model's map is empty)"
        lo, hi = self.slice_range
        slices = f"slice {self.slice_index + 1}" + (f" (spans {lo + 1}–{hi + 1})" if hi > lo else "")
        size = []
        if self.diameter_mm is not None:
            size.append(f"≈{self.diameter_mm:.1f} mm")
        if self.volume_ml is not None:
            size.append(f"{self.volume_ml:.2f} mL")
        return ", ".join([slices, *size])

    def line(self) -> str:
        """The one line in the findings list (plus a review line when reviewed)."""
        text = f"{self.headline()}\n{self.model_text()} · {self.where_text()}"
        if self.review is not None:
            text += f"\n{self.review.text()}"
        return text


def overlay_for(finding: FindingView, heatmap: Heatmap | None) -> FindingOverlay:
    """What the canvas draws for a finding: box, contour on its slice, and heat map."""
    box_lo = box_hi = None
    if finding.located:
        b = finding.bbox_px
        box_lo = (int(b["col"][0]), int(b["row"][0]), int(b["slice"][0]))
        box_hi = (int(b["col"][1]), int(b["row"][1]), int(b["slice"][1]))
    heat: np.ndarray | None = None
    origin = extent = (0, 0, 0)
    if heatmap is not None:
        heat, origin, extent = heatmap.data, heatmap.origin, heatmap.extent
    return FindingOverlay(label=f"{finding.label} {finding.score:.2f}", slice_k=finding.slice_index,
                          box_lo=box_lo, box_hi=box_hi, contour=finding.contour_px, heat=heat,
                          heat_origin=origin, heat_extent=extent, flagged=finding.flagged)
