"""export results: AI results as DICOM SEG/SR/KO into a folder (docs/dicom-output.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.add_parser("export", help="write results or de-identified copies to a folder")
    esub = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    p = esub.add_parser(
        "results", help="AI findings and reviews as DICOM SEG, SR and KO (radiologist)",
        description="Writes a SEG per AI run with segmentations, a structured report (TID 1500) "
                    "per series with every finding and its review, and a key-image note. "
                    "Never overwrites a file; audited.")
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--to", required=True, type=Path, metavar="DIR")
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    add_auth_args(p)
    p.set_defaults(handler=cmd_export_results)


def cmd_export_results(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.results.export(sess, rt.args.study_uid, rt.args.to)
    if rt.args.json:
        rt.print_json(report.as_json())
        return 0
    rt.table([f.as_json() for f in report.files], ["kind", "sop_class", "path"])
    for note in report.notes:
        rt.print(f"Note: {note}")
    return 0
