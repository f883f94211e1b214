"""analyze / findings / review: imaging AI from the command line (docs/imaging-ai.md)."""

from __future__ import annotations

import argparse
from typing import Any

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.imaging import _StderrProgress
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import UsageError
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.services.analysis import RunReport
from clinic_app.services.finding_types import Finding

DEMO_BANNER = QT_TRANSLATE_NOOP("cli", "DEMO MODEL: NOT FOR CLINICAL USE (trained on synthetic data)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "analyze", help=translate("cli", "run imaging AI models on a study and store the findings (radiologist)"),
        description=translate("cli", "Runs the model given (or every installed imaging model that accepts one of "
                    "the study's series), stores findings and heatmaps encrypted, and prints "
                    "them with the model version and the execution provider actually used. "
                    "A refusal or an interruption stores nothing."))
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--model", metavar="ID", help=translate("cli", "only this model (default: every "
                                                                  "applicable one)"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_analyze)

    p = sub.add_parser("findings", help=translate("cli", "a study's current AI findings with review status"))
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_findings)

    p = sub.add_parser("review", help=translate("cli", "accept, reject or modify an AI finding (radiologist, "
                                      "audited)"))
    p.add_argument("finding_id", type=int, metavar="FINDING_ID")
    p.add_argument("decision", choices=["accepted", "rejected", "modified"])
    p.add_argument("--bbox", metavar="COL1,ROW1,COL2,ROW2",
                   help=translate("cli", "with 'modified': the corrected box, first and last pixel column "
                                         "and row"))
    p.add_argument("--slice", type=int, metavar="K",
                   help=translate("cli", "with 'modified': the slice the box is on (default: the finding's)"))
    p.add_argument("--comment", default="", help=translate("cli", "free text kept with the review"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print the finding as JSON"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_review)


def cmd_analyze(rt: Runtime) -> int:
    with rt.session() as sess:
        reports = rt.services.analysis.analyze(sess, rt.args.study_uid, rt.args.model,
                                               progress=_StderrProgress(rt.stderr))
    if rt.args.json:
        rt.print_json({"study_uid": rt.args.study_uid, "runs": [_run_json(r) for r in reports]})
        return 0
    for report in reports:
        if report.demo:
            rt.print(DEMO_BANNER)
        timing = report.timing
        rt.print(translate("cli", "{model_id} {version} on {provider}: {len} finding(s), {flagged} flagged "
                                  "(total {value:.2f} s, network {value2:.2f} s)").format(
                     model_id=report.model_id, version=report.version, provider=report.provider,
                     len=len(report.findings), flagged=report.flagged, value=timing['total_s'],
                     value2=timing['inference_s']))
        _table(rt, list(report.findings))
    return 0


def cmd_findings(rt: Runtime) -> int:
    with rt.session() as sess:
        found = rt.services.analysis.findings(sess, rt.args.study_uid)
    if rt.args.json:
        rt.print_json({"study_uid": rt.args.study_uid,
                       "findings": [f.as_json() for f in found]})
        return 0
    if any(f.demo for f in found):
        rt.print(DEMO_BANNER)
    if not found:
        rt.print(translate("cli", "No AI findings stored for this study; run 'clinic-app analyze STUDY_UID'."))
        return 0
    _table(rt, found)
    return 0


def cmd_review(rt: Runtime) -> int:
    if (rt.args.decision == "modified") != (rt.args.bbox is not None) or (
            rt.args.slice is not None and rt.args.decision != "modified"):
        raise UsageError(translate("cli", "'modified' needs --bbox COL1,ROW1,COL2,ROW2 (and takes --slice); "
                         "'accepted' and 'rejected' take neither."))
    with rt.session() as sess:
        if rt.args.decision == "modified":
            cols, rows = parse_bbox(rt.args.bbox)
            finding = rt.services.review_edits.modify(sess, rt.args.finding_id, cols, rows,
                                                      slice_index=rt.args.slice,
                                                      comment=rt.args.comment)
        else:
            finding = rt.services.analysis.review(sess, rt.args.finding_id, rt.args.decision,
                                                  rt.args.comment)
    if rt.args.json:
        rt.print_json(finding.as_json())
    else:
        assert finding.review is not None
        rt.print(translate("cli", "Finding {id} ({label}, {model_id} {model_version}) {decision} by {user} "
                                  "at {reviewed_at}.").format(
                     id=finding.id, label=finding.label, model_id=finding.model_id,
                     model_version=finding.model_version, decision=finding.review.decision,
                     user=finding.review.user, reviewed_at=finding.review.reviewed_at))
    return 0


def parse_bbox(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """``COL1,ROW1,COL2,ROW2`` (pixel indices, inclusive) → (cols, rows)."""
    try:
        c1, r1, c2, r2 = (int(v) for v in text.split(","))
    except ValueError:
        raise UsageError(translate("cli", "--bbox takes four whole numbers: COL1,ROW1,COL2,ROW2.")) from None
    return (c1, c2), (r1, r2)


def _run_json(report: RunReport) -> dict[str, Any]:
    return {"run": report.run_uid, "model": report.model_id, "version": report.version,
            "demo": report.demo, "provider": report.provider, "series_uid": report.series_uid,
            "heatmap": report.heatmap_kind, "timing": report.timing,
            "findings": [f.as_json() for f in report.findings]}


def _table(rt: Runtime, found: list[Finding]) -> None:
    rows = []
    for f in found:
        box = f.bbox_px.as_json() if f.bbox_px else {}
        centre = f.center_mm
        rows.append({
            "id": f.id, "model": f"{f.model_id} {f.model_version}", "label": f.label,
            "score": f"{f.score:.3f}", "flagged": f.flagged,
            "slice": f.slice_index if f.slice_range[0] == f.slice_range[1]
            else f"{f.slice_index} ({f.slice_range[0]}-{f.slice_range[1]})",
            "bbox_px": " ".join(f"{k}={v[0]}-{v[1]}" for k, v in box.items()) or "-",
            "centre_mm": ",".join(f"{v:.1f}" for v in centre) + (f" ({f.frame})" if centre else "-"),
            "size": _size(f),
            "map": f.heatmap_kind if f.has_heatmap else "-",
            "review": (translate("cli", "{decision} by {user} at {reviewed_at}").format(
                           decision=f.review.decision, user=f.review.user, reviewed_at=f.review.reviewed_at)
                       if f.review else "unreviewed"),
        })
    rt.table(rows, ["id", "model", "label", "score", "flagged", "slice", "bbox_px", "centre_mm",
                    "size", "map", "review"])
    for note in sorted({f.size_note for f in found} - {""}):
        rt.print(note)


def _size(f: Finding) -> str:
    """Diameter and volume in mm/mL; never mm for an image without pixel spacing."""
    if f.frame == "uncalibrated":
        return translate("cli", "size unknown (no pixel spacing)")
    parts = []
    if f.diameter_mm is not None:
        parts.append(translate("cli", "≈{diameter_mm:.1f} mm").format(diameter_mm=f.diameter_mm))
    if f.volume_ml is not None:
        parts.append(translate("cli", "{volume_ml:.2f} mL").format(volume_ml=f.volume_ml))
    size = ", ".join(parts) or "-"
    if f.size_approximate and f.slice_mm is not None:
        # A small finding on thick slices (core/inference/size_caveat.py).
        size += translate("cli", " (approximate: slices {slice_mm:g} mm apart)").format(
            slice_mm=round(f.slice_mm, 2))
    if f.size_cut_off:
        size += translate("cli", " (at the edge of the series)")
    return size
