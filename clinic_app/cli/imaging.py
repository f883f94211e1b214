"""import dicom / studies list / studies show"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime, to_jsonable
from clinic_app.core.imaging.import_wording import shown_reason
from clinic_app.i18n import translate
from clinic_app.services.imaging_types import ImportReport, StudyDetail, StudyFilter


def command_group(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                  help_text: str) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The subcommands of ``name`` (e.g. "import"), created by whichever module comes first.

    Several areas add to one verb (``import dicom``, ``import records``); argparse refuses a
    second parser with the same name, so every module asks here instead of adding it.
    """
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help_text)
        return parser.add_subparsers(dest=f"{name}_cmd", required=True, metavar="WHAT")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_cmd", required=True, metavar="WHAT")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = command_group(sub, "import", translate("cli", "import data into the encrypted store"))
    p = imports.add_parser(
        "dicom", help=translate("cli", "import DICOM files, folders, DICOMDIR media or zip archives "
                                       "(radiologist)"),
        description=translate("cli", "Import DICOM instances into the encrypted store. Exits 0 even when some "
                    "files were skipped (they are listed with the reason); non-zero only if "
                    "nothing could be processed or the store failed."))
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help=translate("cli", "file, folder (recursive), DICOMDIR or .zip"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_import_dicom)

    studies = sub.add_parser("studies", help=translate("cli", "list and show imported DICOM studies"))
    ssub = studies.add_subparsers(dest="studies_cmd", required=True, metavar="COMMAND")
    p = ssub.add_parser("list", help=translate("cli", "list studies, newest first"))
    p.add_argument("--patient", metavar="ID", help=translate("cli", "only this PatientID"))
    p.add_argument("--modality", metavar="MOD", help=translate("cli", "only studies with this modality (CT, "
                                                                      "MR…)"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_studies_list)
    p = ssub.add_parser("show", help=translate("cli", "a study's series, decodability, geometry and warnings"))
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_studies_show)


class _StderrProgress:
    """A one-line progress counter on a terminal; silent when stderr is not one."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.active = hasattr(stream, "isatty") and stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.active or total <= 0:
            return
        pct = int(100 * done / total)
        if pct != self._last:
            self._last = pct
            end = "\n" if done >= total else ""
            print(f"\r{message}: {done}/{total} ({pct}%)", end=end, file=self.stream, flush=True)


def cmd_import_dicom(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.imaging.import_dicom(
            sess, rt.args.paths, progress=_StderrProgress(rt.stderr if rt.stderr else sys.stderr))
    if rt.args.json:
        rt.print_json(report.as_json())
    else:
        _print_import(rt, report)
    if report.nothing_processed:
        if not rt.args.json:
            print(translate("cli", "clinic-app: nothing could be imported from the paths given (see the reasons "
                  "above)."), file=rt.stderr)
        return 1
    return 0


def _print_import(rt: Runtime, report: ImportReport) -> None:
    rt.print(translate("cli", "Imported {imported} instance(s); {duplicates} already stored (duplicates); "
                              "{len} skipped.").format(
                 imported=report.imported, duplicates=report.duplicates, len=len(report.skipped))
             + (translate("cli", " Cancelled: the instances listed are stored whole.") if report.cancelled else ""))
    if report.studies:
        rt.table([{"study_uid": s.study_uid, "patient_id": s.patient_id,
                   "modalities": s.modalities, "series": s.series, "instances": s.instances,
                   "flags": s.flags or "-"} for s in report.studies],
                 ["study_uid", "patient_id", "modalities", "series", "instances", "flags"])
    if report.replaced:
        rt.print(translate("cli", "Replaced damaged copies:"))
    for r in report.replaced:
        rt.print(f"  {r.path}: {shown_reason(r.reason)}")
    if report.skipped:
        rt.print(translate("cli", "Skipped:"))
        for s in report.skipped:
            rt.print(f"  {s.path}: {shown_reason(s.reason)}")


def cmd_studies_list(rt: Runtime) -> int:
    flt = StudyFilter(patient_id=rt.args.patient, modality=rt.args.modality)
    with rt.session() as sess:
        rows = rt.services.imaging.list_studies(sess, flt)
    if rt.args.json:
        rt.print_json(rows)
        return 0
    rt.table([{"study_uid": r.study_uid, "patient_id": r.patient_id, "name": r.patient_name,
               "birth": r.birth_date, "sex": r.sex, "date": r.study_date,
               "modalities": r.modalities, "series": r.series, "instances": r.instances,
               "description": r.description, "flags": r.flags or "-"} for r in rows],
             ["study_uid", "patient_id", "name", "birth", "sex", "date", "modalities", "series",
              "instances", "description", "flags"])
    return 0


def cmd_studies_show(rt: Runtime) -> int:
    with rt.session() as sess:
        detail = rt.services.imaging.show_study(sess, rt.args.study_uid)
    if rt.args.json:
        rt.print_json(to_jsonable(detail))
        return 0
    _print_study(rt, detail)
    return 0


def _print_study(rt: Runtime, detail: StudyDetail) -> None:
    s = detail.study
    rt.print(translate("cli", "Study {study_uid}").format(study_uid=s.study_uid))
    rt.print(translate("cli", "  Patient: {value}  ID {value2}{value3}  born {value4}  {sex}").format(
                 value=s.patient_name or '-', value2=s.patient_id or '-',
                 value3=' (' + s.issuer + ')' if s.issuer else '', value4=s.birth_date or '-', sex=s.sex))
    rt.print(translate("cli", "  Date: {value} {value2}  Accession: {value3}  {description}").format(
                 value=s.study_date or '-', value2=s.study_time or '', value3=s.accession or '-',
                 description=s.description))
    if s.flags:
        rt.print(translate("cli", "  FLAGS: {join} (review before reading)").format(join=', '.join(s.flags)))
    for se in detail.series:
        rt.print()
        rt.print(translate("cli", "  Series {value}  {modality}  {value2}  [{series_uid}]").format(
                     value=se.number if se.number is not None else '-', modality=se.modality,
                     value2=se.description or translate("cli", '(no description)'), series_uid=se.series_uid))
        rt.print(translate("cli", "    {instances} instance(s), {frames} frame(s); decodable: "
                                  "{decodable}/{instances}; {join}").format(
                     instances=se.instances, frames=se.frames, decodable=se.decodable,
                     join=', '.join(se.transfer_syntaxes)))
        for reason in se.not_decodable:
            rt.print(translate("cli", "    not decodable: {reason}").format(reason=shown_reason(reason)))
        for st in se.stacks:
            sl, r, c = st.dimensions
            rt.print(translate("cli", "    {value}: {kind}, {sl} × {r} × {c} (slices × rows × cols), spacing "
                                      "{value2:.4g} × {value3:.4g} × {value4:.4g} mm, {orientation}").format(
                         value=st.label or 'stack', kind=st.kind, sl=sl, r=r, c=c, value2=st.spacing[0],
                         value3=st.spacing[1], value4=st.spacing[2], orientation=st.orientation)
                     + (f" {tuple(round(v, 4) for v in st.orientation_cosines)}"
                        if st.orientation_cosines else ""))
            for w in st.warnings:
                rt.print(translate("cli", "      WARNING: {w}").format(w=shown_reason(w)))
        for w in se.warnings:
            rt.print(translate("cli", "    note: {w}").format(w=shown_reason(w)))
