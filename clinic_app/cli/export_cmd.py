"""export results / export deid: DICOM results and de-identified copies (docs/dicom-output.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import UsageError
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("export", help=translate("cli", "write results or de-identified copies to a folder"))
    esub = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    p = esub.add_parser(
        "results", help=translate("cli", "AI findings and reviews as DICOM SEG, SR and KO (radiologist)"),
        description=translate("cli", "Writes a SEG per AI run with segmentations, a structured report (TID 1500) "
                    "per series with every finding and its review, and a key-image note. "
                    "Never overwrites a file; audited."))
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--to", required=True, type=Path, metavar="DIR")
    p.add_argument("--json", action="store_true", help=translate("cli", "print the files written as JSON"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_export_results)

    p = esub.add_parser(
        "deid", help=translate("cli", "a de-identified copy of a study or a patient (clinicians, audited)"),
        description=translate("cli", "DICOM PS3.15 Basic Profile with Retain Longitudinal Temporal Information "
                    "(Modified Dates) and Clean Descriptors; consistent pseudonyms and date "
                    "shifts per patient; the patient's record as a FHIR Bundle. Images that "
                    "may carry burned-in text are refused unless --allow-burned-in."))
    p.add_argument("study_uid", nargs="?", metavar="STUDY_UID")
    p.add_argument("--patient", metavar="MRN", help=translate("cli", "every study and the record of this "
                                                                     "patient"))
    p.add_argument("--issuer", help=translate("cli", "with --patient: the MRN's issuer, when several share it"))
    p.add_argument("--to", required=True, type=Path, metavar="DIR")
    p.add_argument("--allow-burned-in", action="store_true",
                   help=translate("cli", "export images that may have text burned into the pixels (you have "
                        "checked that they do not)"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print what was written as JSON"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_export_deid)


def cmd_export_results(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.results.export(sess, rt.args.study_uid, rt.args.to)
    if rt.args.json:
        rt.print_json(report.as_json())
        return 0
    rt.table([f.as_json() for f in report.files], ["kind", "sop_class", "path"])
    for note in report.notes:
        rt.print(translate("cli", "Note: {note}").format(note=note))
    return 0


def cmd_export_deid(rt: Runtime) -> int:
    args = rt.args
    if (args.study_uid is None) == (args.patient is None):
        raise UsageError(translate("cli", "Give a STUDY_UID or --patient MRN (one of them)."))
    with rt.session() as sess:
        if args.patient is not None:
            report = rt.services.deid.export_patient(sess, args.patient, args.to,
                                                     issuer=args.issuer,
                                                     allow_burned_in=args.allow_burned_in)
        else:
            report = rt.services.deid.export_study(sess, args.study_uid, args.to,
                                                   allow_burned_in=args.allow_burned_in)
    if args.json:
        rt.print_json(report.as_json())
        return 0
    rt.print(
        translate("cli", "{len} image(s) of {studies} study(ies) written to {to} as {pseudonym}").format(
            len=len(report.files), studies=report.studies, to=args.to, pseudonym=report.pseudonym
        )
        + (translate("cli", ", with the record as FHIR") if report.fhir_bundle else "")
        + "."
    )
    for note in report.notes:
        rt.print(translate("cli", "Note: {note}").format(note=note))
    return 0
