"""Stored findings and reviews → the writers' content (pure; the service does the I/O).

Which findings travel: every flagged finding and every reviewed one (a radiologist's
decision on an unflagged result is still a decision), plus the findings radiologists
added. A segmentation finding with its stored probability map becomes a SEG segment; any
other located finding an image region (its outline, else its box) on its source image.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.core.dicom_out.codes import Decision
from clinic_app.core.dicom_out.content import (
    Algorithm,
    Region,
    ResultFinding,
    ReviewContent,
    box_polygon,
    centre_polygon,
    tracking_uid,
)
from clinic_app.core.dicom_out.seg import SegmentMap
from clinic_app.core.inference.finding_store import StoredFinding
from clinic_app.core.inference.heatmaps import Heatmap
from clinic_app.core.inference.review_edits import AddedFinding, Placement
from clinic_app.core.inference.size_caveat import remarks, stored_spacing

SEG_KIND = "segmentation-probability"


def exported(found: StoredFinding) -> bool:
    return found.flagged or found.review is not None


def placement_region(where: Placement) -> Region:
    return Region(where.source_sop_uid, where.source_frame, box_polygon(where.cols, where.rows))


def finding_region(found: StoredFinding) -> Region | None:
    """The AI's own location on the source image (outline preferred), None if unlocated."""
    if not found.source_sop_uid:
        return None
    contour = found.geometry.get("contour_px") or []
    if len(contour) >= 3:
        polygon = centre_polygon(contour)
    else:
        box = found.geometry.get("bbox_px") or {}
        if not box.get("col") or not box.get("row"):
            return None
        polygon = box_polygon(box["col"], box["row"])
    return Region(found.source_sop_uid, found.source_frame or 1, polygon)


def review_content(found: StoredFinding) -> ReviewContent | None:
    review = found.review
    if review is None:
        return None
    revised = None
    if review.geometry is not None:
        revised = placement_region(Placement.from_geometry(review.geometry))
    return ReviewContent(Decision(review.decision), review.user, review.role,
                         review.reviewed_at, review.comment, revised)


def tracking_id(found: StoredFinding) -> str:
    return f"{found.model_id} finding {found.id}"


def ai_finding(found: StoredFinding, manifest_sha256: str,
               segment: tuple[str, int] | None) -> ResultFinding:
    return ResultFinding(
        tracking_uid=tracking_uid(found.run_uid, str(found.id)), tracking_id=tracking_id(found),
        label=found.label, region=finding_region(found),
        algorithm=Algorithm(found.model_id, found.model_version, manifest_sha256),
        score=found.score, diameter_mm=found.diameter_mm, volume_ml=found.volume_ml,
        segment=segment, review=review_content(found), **_size_remarks(found))


def _size_remarks(found: StoredFinding) -> dict[str, bool]:
    approximate, cut_off = remarks(found.diameter_mm, found.frame,
                                   stored_spacing(found.geometry.get("slice_mm")),
                                   found.geometry.get("at_series_edge") is True)
    return {"size_approximate": approximate, "at_series_edge": cut_off}


def added_finding(added: AddedFinding) -> ResultFinding:
    region = placement_region(added.placement)
    return ResultFinding(
        tracking_uid=tracking_uid("added", added.study_uid, str(added.id)),
        tracking_id=f"radiologist finding {added.id}", label=added.label, region=None,
        review=ReviewContent(Decision.ADDED, added.user, added.role, added.added_at,
                             added.comment, region))


def segment_map(found: StoredFinding, heatmap: Heatmap, shift: int) -> SegmentMap | None:
    """The finding's probability map as a SEG segment, None if it is not a native map."""
    if heatmap.kind != SEG_KIND or heatmap.data.shape != tuple(heatmap.extent):
        return None
    k, r, c = heatmap.origin
    return SegmentMap(found.label, tracking_uid(found.run_uid, str(found.id)),
                      tracking_id(found), k + shift, r, c, heatmap.data)


def key_images(findings: Sequence[ResultFinding]) -> list[str]:
    """SOP UIDs of the images of accepted, modified and added findings, each once."""
    out: list[str] = []
    keep = (Decision.ACCEPTED, Decision.MODIFIED, Decision.ADDED)
    for f in findings:
        if f.review is None or f.review.decision not in keep:
            continue
        region = f.review.revised or f.region
        if region is not None and region.sop_instance_uid not in out:
            out.append(region.sop_instance_uid)
    return out
