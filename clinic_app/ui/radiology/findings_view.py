"""AI findings as the radiology screens show them (Qt-free).

:class:`FindingView` is the one shape the findings panel, the canvas overlay and the
worklist's AI column read; :mod:`clinic_app.ui.radiology.status` fills it from the
analysis service. Keeping the panel on this small contract means the screens do not
depend on how the AI engineer stores a result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication

from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.i18n import translate
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
        return QCoreApplication.translate("ReviewView", "{capitalize} by {reviewer} at {local_time}{note}").format(
                   capitalize=self.decision.capitalize(), reviewer=self.reviewer,
                   local_time=local_time(self.reviewed_at), note=note)


#: What a finding on an image without pixel spacing says instead of a size.
def no_spacing() -> str:
    """What a finding on an image without pixel spacing says instead of a size."""
    return translate("radiology.findings_view", "size unknown (no pixel spacing)")


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
    slice_index: int  # k in the stack ``stack_index`` of the series
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
    #: Which stack of the series the finding is on (0 = the largest).
    stack_index: int = 0
    #: Why the finding was re-placed since its analysis (empty when it was not).
    location_note: str = ""
    #: What started the run ("manual", "import", "demo") and under which account.
    trigger: str = "manual"
    run_by: str = ""
    #: ``LPS``, ``image`` or ``uncalibrated`` (no pixel spacing: no size in mm, ever).
    frame: str = ""
    #: Distance between the slices it was measured on (mm; None: one image or not kept).
    slice_mm: float | None = None
    #: Small and measured on thick slices (``core/inference/size_caveat``): the size is
    #: marked approximate, and ``size_note`` says why and what to do.
    size_approximate: bool = False
    #: Its size may be cut off: it reaches the first or last image of the series analysed
    #: (``services.finding_types.Finding.size_cut_off``).
    at_series_edge: bool = False
    size_note: str = ""

    @property
    def located(self) -> bool:
        return bool(self.bbox_px)

    def model_text(self) -> str:
        name = translate("model_terms", self.model_name)
        return f"{name} {self.model_version}" + ("  [DEMO]" if self.demo else "")

    def where_text(self, image: Callable[[int], int] = lambda k: k + 1) -> str:
        """Where, in the reader's terms: ``image`` maps the stored slice index to the
        image number the viewer shows (see ``display.image_number``)."""
        if not self.located:
            return QCoreApplication.translate("FindingView", "no location (the model's map is empty)")
        lo, hi = sorted((image(self.slice_range[0]), image(self.slice_range[1])))
        where = QCoreApplication.translate("FindingView", "Im {image}").format(image=image(self.slice_index)) + (
            QCoreApplication.translate("FindingView", " (Im {lo}–{hi})").format(lo=lo, hi=hi) if hi > lo else ""
        )
        size = []
        if self.frame == "uncalibrated":
            # Findings stored before sizes were withheld still carry pixel "mm".
            size.append(no_spacing())
        else:
            if self.diameter_mm is not None:
                size.append(QCoreApplication.translate("FindingView", "≈{diameter_mm:.1f} mm").format(
                                diameter_mm=self.diameter_mm))
            if self.volume_ml is not None:
                size.append(QCoreApplication.translate("FindingView", "{volume_ml:.2f} mL").format(
                                volume_ml=self.volume_ml))
            if self.size_approximate and self.slice_mm is not None:
                size.append(QCoreApplication.translate("FindingView", "approximate ({slice_mm:g} mm slices)").format(
                                slice_mm=round(self.slice_mm, 2)))
            if self.at_series_edge:
                size.append(QCoreApplication.translate("FindingView", "at the edge of the series"))
        return ", ".join([where, *size])

    def run_text(self) -> str:
        """Who or what asked for the analysis, and when."""
        when = local_time(self.created_at) if self.created_at else ""
        if self.trigger == "demo":
            return QCoreApplication.translate("FindingView", "when the demo store was built") + (
                f" ({when})" if when else ""
            )
        if self.trigger == "import":
            return QCoreApplication.translate("FindingView", "automatically after an import by {value}").format(
                       value=self.run_by or 'unknown') + (
                f", {when}" if when else "")
        return QCoreApplication.translate("FindingView", "by {value}").format(value=self.run_by or "unknown") + (
            QCoreApplication.translate("FindingView", " at {when}").format(when=when) if when else ""
        )

    def line(self, image: Callable[[int], int] = lambda k: k + 1) -> str:
        """The entry in the findings list (plus a review line when reviewed)."""
        flag = "⚑ " if self.flagged else ""
        text = (QCoreApplication.translate("FindingView", "{flag}{label}  {score:.2f} (threshold "
                                                          "{threshold:.2f})\n{model_text}\n{where_text}").format(
                    flag=flag, label=translate("model_terms", self.label), score=self.score,
                    threshold=self.threshold,
                    model_text=self.model_text(), where_text=self.where_text(image)))
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
    # The canvas shows only the score beside the box: the label and model are in the list,
    # and a long label would cover the orientation letters of a small viewport.
    return FindingOverlay(label=QCoreApplication.translate("radiology.findings_view", "AI {score:.2f}").format(
                                    score=finding.score), slice_k=finding.slice_index,
                          box_lo=box_lo, box_hi=box_hi, contour=finding.contour_px, heat=heat,
                          heat_origin=origin, heat_extent=extent, flagged=finding.flagged)
