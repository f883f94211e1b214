"""add-finding: a finding the models missed, drawn by the radiologist (docs/dicom-output.md)."""

from __future__ import annotations

import argparse

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.analysis import parse_bbox
from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "add-finding", help=translate("cli", "add a finding the AI missed (radiologist, audited)"),
        description=translate("cli", "Records a finding drawn by the radiologist: a box on one slice of a "
                    "series. It is exported with the AI results as an 'added' finding."))
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--series", required=True, metavar="SERIES_UID")
    p.add_argument("--stack", type=int, default=0, metavar="N",
                   help=translate("cli", "stack of the series (0 = the largest; 'studies show' lists them)"))
    p.add_argument("--slice", type=int, required=True, metavar="K", help=translate("cli", "slice in the stack, from 0"))
    p.add_argument("--bbox", required=True, metavar="COL1,ROW1,COL2,ROW2",
                   help=translate("cli", "first and last pixel column and row of the box"))
    p.add_argument("--label", required=True, help=translate("cli", "what it is, e.g. 'pulmonary nodule'"))
    p.add_argument("--comment", default="", help=translate("cli", "free text kept with the finding"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print the finding as JSON"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_add_finding)


def cmd_add_finding(rt: Runtime) -> int:
    cols, rows = parse_bbox(rt.args.bbox)
    with rt.session() as sess:
        added = rt.services.review_edits.add_finding(
            sess, rt.args.study_uid, rt.args.series, rt.args.label, rt.args.slice, cols, rows,
            stack=rt.args.stack, comment=rt.args.comment)
    if rt.args.json:
        rt.print_json(added.as_json())
    else:
        rt.print(translate("cli", "Added finding {id} ({label}) on slice {slice_index} by {user} at "
                                  "{added_at}.").format(
                     id=added.id, label=added.label, slice_index=added.placement.slice_index,
                     user=added.user, added_at=added.added_at))
    return 0
