"""Stored AI results: runs, their findings, and the clinicians' reviews of them.

Tables live in the clinical (SQLCipher) store; heatmaps are encrypted blobs referenced
by opaque id (one blob per run holding every finding's map, so a 14-label classifier
writes and fsyncs one file, not fourteen). A run row records everything needed to judge a finding later: the model
id, version and manifest hash, the provider that actually ran it, the stage timings,
the input series and stack, who started it, when and why (``trigger``: a clinician, the
auto-analysis after an import, or the demo store builder). Findings are never edited: a
re-run adds a new run, and a review is a new row (the latest review of a finding is its
state), so the history of who said what about which model version is kept.

The "current" result of a study is the latest run of each model on it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from clinic_app.core.inference import finding_schema
from clinic_app.core.inference.findings import Finding
from clinic_app.core.inference.heatmaps import encode_bundle
from clinic_app.core.store.blobs import BlobBatch
from clinic_app.core.store.database import Database, Row

HEATMAP_BLOB = "heatmap"
DECISIONS = ("accepted", "rejected")
#: Decisions that carry the reviewer's own box (``review_edits.Placement``; schema there).
GEOMETRY_DECISIONS = ("modified",)
#: What started a run: a clinician (``manual``), the auto-analysis after an import
#: (``import``), or the demo store builder (``demo``: no clinician asked for it).
TRIGGERS = ("manual", "import", "demo")

#: The tables' migrations live in ``finding_schema``; re-exported for the store's
#: component list and the tests that migrate step by step.
MIGRATIONS = finding_schema.MIGRATIONS


@dataclass(frozen=True)
class RunRecord:
    """What the service knows about a completed run, before it is written."""

    study_uid: str
    series_uid: str
    stack_index: int
    model_id: str
    model_version: str
    manifest_sha256: str
    demo: bool
    provider: str
    heatmap_kind: str
    timing: dict[str, float]
    trigger: str
    user: str
    started_at: str
    finished_at: str
    #: Distance between the analysed slices (mm; None: one image), kept in each finding's
    #: geometry so its size can say what slices it was measured on (``size_caveat``).
    slice_mm: float | None = None


@dataclass(frozen=True)
class Review:
    decision: str
    comment: str
    user: str
    role: str
    reviewed_at: str
    model_id: str
    model_version: str
    #: For ``modified``: the reviewer's box (``review_edits.Placement.as_geometry``).
    geometry: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored, with its run's provenance and its latest review (if any)."""

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
    slice_index: int
    slice_range: tuple[int, int]
    source_sop_uid: str
    source_frame: int | None
    geometry: dict[str, Any]
    volume_ml: float | None
    diameter_mm: float | None
    frame: str
    location_method: str
    heatmap_kind: str
    has_heatmap: bool
    analysed_at: str
    review: Review | None
    #: Which stack of the series the finding is on (a series may split into stacks by
    #: orientation, position or acquisition); ``slice_index``/``slice_range`` count in it.
    stack_index: int = 0
    #: What started the run (:data:`TRIGGERS`) and under which account.
    trigger: str = "manual"
    run_by: str = ""
    #: Set when the series changed after the analysis and the finding was re-placed by
    #: its source image (see :func:`placed`); shown to the reader beside the finding.
    location_note: str = ""


def save_run(db: Database, batch: BlobBatch, run: RunRecord, findings: Sequence[Finding],
             slice_refs: Sequence[tuple[str, int]]) -> tuple[str, list[int]]:
    """Write a run, its findings and their encrypted heatmaps; call inside a transaction."""
    run_uid = secrets.token_hex(8)
    run_id = db.insert(
        "INSERT INTO ai_runs(run_uid, study_uid, series_uid, stack_index, model_id, "
        "model_version, manifest_sha256, demo, provider, heatmap_kind, timing, trigger, user, "
        "started_at, finished_at, n_findings, n_flagged) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (run_uid, run.study_uid, run.series_uid, run.stack_index, run.model_id,
         run.model_version, run.manifest_sha256, int(run.demo), run.provider, run.heatmap_kind,
         json.dumps(run.timing, sort_keys=True), run.trigger, run.user, run.started_at,
         run.finished_at, len(findings), sum(1 for f in findings if f.flagged)))
    ids: list[int] = []
    maps = [f.heatmap for f in findings if f.heatmap is not None]
    blob_id = batch.put(HEATMAP_BLOB, encode_bundle(maps)) if maps else None
    position = 0
    for f in findings:
        index = None
        if f.heatmap is not None:
            index, position = position, position + 1
        sop, frame = slice_refs[f.slice_index] if f.slice_index < len(slice_refs) else ("", None)
        geometry = {"bbox_px": f.bbox_px, "bbox_mm": f.bbox_mm, "center_px": f.center_px,
                    "center_mm": f.center_mm, "contour_px": f.contour_px,
                    "contour_mm": f.contour_mm, "slice_mm": run.slice_mm,
                    # Cut off by the end of the stack: its size is what the series shows.
                    "at_series_edge": run.slice_mm is not None and len(slice_refs) > 1 and (
                        f.slice_range[0] <= 0 or f.slice_range[1] >= len(slice_refs) - 1)}
        ids.append(db.execute(
            "INSERT INTO ai_findings(run_id, label, score, flagged, threshold, slice_index, "
            "slice_first, slice_last, source_sop_uid, source_frame, geometry, volume_ml, "
            "diameter_mm, frame, location_method, heatmap_blob, heatmap_index) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, f.label, f.score, int(f.flagged), f.threshold, f.slice_index,
             f.slice_range[0], f.slice_range[1], sop, frame, json.dumps(geometry),
             f.volume_ml, f.diameter_mm, f.frame, f.location_method,
             blob_id if index is not None else None, index)))
    return run_uid, ids


_SELECT = (
    "SELECT f.*, r.run_uid, r.study_uid, r.series_uid, r.model_id, r.model_version, r.demo, "
    "r.provider, r.heatmap_kind, r.finished_at, r.stack_index AS run_stack, r.trigger, "
    "r.user AS run_user, "
    "rv.decision, rv.comment, rv.user AS rv_user, rv.role AS rv_role, rv.reviewed_at, "
    "rv.model_id AS rv_model, rv.model_version AS rv_version, rv.geometry AS rv_geometry "
    "FROM ai_findings f JOIN ai_runs r ON r.id = f.run_id "
    "LEFT JOIN ai_reviews rv ON rv.id = (SELECT MAX(id) FROM ai_reviews WHERE finding_id = f.id) ")


def _stored(row: Row) -> StoredFinding:
    review = None
    if row["decision"] is not None:
        review = Review(row["decision"], row["comment"], row["rv_user"], row["rv_role"],
                        row["reviewed_at"], row["rv_model"], row["rv_version"],
                        json.loads(row["rv_geometry"]) if row["rv_geometry"] else None)
    return StoredFinding(
        id=int(row["id"]), run_uid=row["run_uid"], study_uid=row["study_uid"],
        series_uid=row["series_uid"], model_id=row["model_id"],
        model_version=row["model_version"], demo=bool(row["demo"]), provider=row["provider"],
        label=row["label"], score=float(row["score"]), flagged=bool(row["flagged"]),
        threshold=float(row["threshold"]), slice_index=int(row["slice_index"]),
        slice_range=(int(row["slice_first"]), int(row["slice_last"])),
        source_sop_uid=row["source_sop_uid"], source_frame=row["source_frame"],
        geometry=json.loads(row["geometry"]), volume_ml=row["volume_ml"],
        diameter_mm=row["diameter_mm"], frame=row["frame"],
        location_method=row["location_method"], heatmap_kind=row["heatmap_kind"],
        has_heatmap=row["heatmap_blob"] is not None, analysed_at=row["finished_at"],
        review=review, stack_index=int(row["run_stack"]), trigger=row["trigger"],
        run_by=row["run_user"])


#: Where each image of a series is now: (SOPInstanceUID, frame from 1) → (stack, slice).
FrameLocations = Mapping[tuple[str, int], tuple[int, int]]

MOVED_NOTE = ("images were added to this series after the analysis, so its stacks or slice "
              "numbers changed; the finding is shown on the image it was found on")
MISSING_NOTE = ("the image this finding was found on is no longer in the series; it is shown "
                "where the analysis placed it and may be on the wrong image")


def placed(found: StoredFinding, where: FrameLocations) -> StoredFinding:
    """The finding on the series as it is now, anchored on its source image.

    A run stores the stack index and slice numbers of the series *as analysed*. Stack
    indices are an order (largest first), so images imported into the series later can
    renumber the stacks or shift the slices; the source image's SOPInstanceUID and frame
    do not change. The finding is therefore moved to wherever that image is now (the
    whole box shifts by the same number of slices) and says so in ``location_note``.
    """
    if not found.source_sop_uid:
        return found
    now = where.get((found.source_sop_uid, found.source_frame or 1))
    if now is None:
        return replace(found, location_note=MISSING_NOTE)
    stack, k = now
    if (stack, k) == (found.stack_index, found.slice_index):
        return found
    shift = k - found.slice_index
    geometry = dict(found.geometry)
    box = dict(geometry.get("bbox_px") or {})
    if "slice" in box:
        box["slice"] = [int(v) + shift for v in box["slice"]]
        geometry["bbox_px"] = box
    centre = list(geometry.get("center_px") or [])
    if len(centre) == 3:
        centre[2] = round(float(centre[2]) + shift, 2)
        geometry["center_px"] = centre
    return replace(found, stack_index=stack, slice_index=k, geometry=geometry,
                   slice_range=(found.slice_range[0] + shift, found.slice_range[1] + shift),
                   location_note=MOVED_NOTE)


def current_findings(db: Database, study_uid: str) -> list[StoredFinding]:
    """Findings of the latest run of each model on the study, flagged first, best first."""
    rows = db.query(
        _SELECT + "WHERE r.id IN (SELECT MAX(id) FROM ai_runs WHERE study_uid = ? "  # noqa: S608
        "GROUP BY model_id) ORDER BY f.flagged DESC, f.score DESC, f.id", (study_uid,))
    return [_stored(r) for r in rows]


def finding(db: Database, finding_id: int) -> StoredFinding | None:
    row = db.query_one(_SELECT + "WHERE f.id = ?", (finding_id,))
    return _stored(row) if row else None


def run_manifest_sha256(db: Database, run_uid: str) -> str:
    row = db.query_one("SELECT manifest_sha256 FROM ai_runs WHERE run_uid = ?", (run_uid,))
    return str(row["manifest_sha256"]) if row else ""


def heatmap_location(db: Database, finding_id: int) -> tuple[str, int] | None:
    """(blob id, position in the run's bundle) of a finding's heatmap, if it has one."""
    row = db.query_one("SELECT heatmap_blob, heatmap_index FROM ai_findings WHERE id = ?",
                       (finding_id,))
    if row is None or row["heatmap_blob"] is None or row["heatmap_index"] is None:
        return None
    return str(row["heatmap_blob"]), int(row["heatmap_index"])


def add_review(db: Database, finding_id: int, review: Review) -> None:
    if review.geometry is None:
        db.execute(
            "INSERT INTO ai_reviews(finding_id, decision, comment, user, role, reviewed_at, "
            "model_id, model_version) VALUES (?,?,?,?,?,?,?,?)",
            (finding_id, review.decision, review.comment, review.user, review.role,
             review.reviewed_at, review.model_id, review.model_version))
        return
    db.execute(
        "INSERT INTO ai_reviews(finding_id, decision, comment, user, role, reviewed_at, "
        "model_id, model_version, geometry) VALUES (?,?,?,?,?,?,?,?,?)",
        (finding_id, review.decision, review.comment, review.user, review.role,
         review.reviewed_at, review.model_id, review.model_version, json.dumps(review.geometry)))


def study_runs(db: Database, study_uids: Sequence[str]) -> dict[str, list[Row]]:
    """Latest run per model for each study, with its counts of flagged and reviewed findings."""
    if not study_uids:
        return {}
    marks = ",".join("?" * len(study_uids))
    rows = db.query(
        "SELECT r.study_uid, r.model_id, r.n_findings, r.n_flagged, "  # noqa: S608 - "?" marks
        " (SELECT COUNT(*) FROM ai_findings f WHERE f.run_id = r.id AND f.flagged = 1 AND "
        "  EXISTS (SELECT 1 FROM ai_reviews v WHERE v.finding_id = f.id)) AS n_reviewed "
        f"FROM ai_runs r WHERE r.study_uid IN ({marks}) AND r.id IN "
        "(SELECT MAX(id) FROM ai_runs GROUP BY study_uid, model_id)", list(study_uids))
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(row["study_uid"], []).append(row)
    return out
