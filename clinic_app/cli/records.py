"""import records FILE…, patients list, patients show MRN, patients family-history MRN,
patients confirm MRN INPUT yes|no, patients enter MRN INPUT VALUE"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.imaging import command_group
from clinic_app.cli.runtime import Runtime
from clinic_app.core.records import codes
from clinic_app.core.records.inputs import FEATURE_FACTS
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.services.records import ImportReport, PatientView, fact_display
from clinic_app.services.uncertain_inputs import input_label

#: ``patients confirm`` input words → model input names (the names work too).
CONFIRM_INPUTS = {"bp-medication": "bp_treated", "family-history": "family_history_ascvd",
                  "bp_treated": "bp_treated", "family_history_ascvd": "family_history_ascvd"}

#: How ``patients show`` writes the race the risk equations use.
RACE_WORDS = {"white": "white", "african_american": QT_TRANSLATE_NOOP("cli", "African-American"),
              "other": QT_TRANSLATE_NOOP("cli", "other (the risk equations use the white equations, flagged)")}


def _as_of(text: str) -> datetime:
    """A date means the end of that day (UTC); a date-time without a zone is UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("cli", "expected YYYY-MM-DD or an ISO date-time, got {text!r}").format(text=text)) from None
    if len(text.strip()) == 10:
        value = datetime.combine(value.date(), time.max)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    isub = command_group(sub, "import", translate("cli", "import data into the encrypted store"))
    p = isub.add_parser("records", help=translate("cli", "import FHIR R4 JSON/NDJSON (.gz too), the CSV "
                                        "templates, or Bulk Data export folders (read by "
                                        "manifest.json); each file all-or-nothing"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE|FOLDER")
    p.add_argument("--json", action="store_true", help=translate("cli", "print the import report as JSON"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_import_records)

    pat = sub.add_parser("patients", help=translate("cli", "patients in the records store (physician)"))
    psub = pat.add_subparsers(dest="patients_cmd", required=True, metavar="COMMAND")
    p = psub.add_parser("list", help=translate("cli", "every patient with counts, linked studies and conflicts"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_patients_list)
    p = psub.add_parser("show", help=translate("cli", "one patient: latest values, conditions, medications, "
                                     "studies, conflicts"))
    p.add_argument("mrn")
    p.add_argument("--issuer", help=translate("cli", "identifier system, when the MRN exists under several"))
    p.add_argument("--as-of", type=_as_of, metavar="DATE",
                   help=translate("cli", "show the record as it was at the end of this day (UTC) or at this "
                        "ISO date-time (default: now)"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_patients_show)
    p = psub.add_parser("family-history", help=translate("cli", "record whether a parent or sibling had a "
                                               "heart attack or stroke (China-PAR), when the "
                                               "record does not say"))
    p.add_argument("mrn")
    p.add_argument("answer", choices=("yes", "no"))
    p.add_argument("--issuer", help=translate("cli", "identifier system, when the MRN exists under several"))
    p.add_argument("--reason", required=True,
                   help=translate("cli", "how it was established (e.g. asked today); required, as for "
                        "every confirmation"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_patients_family_history)
    p = psub.add_parser("confirm", help="settle an input the record leaves uncertain (as "
                                        "'patients show' lists it), with a reason; recorded "
                                        "and audited, never stored as a record fact")
    p.add_argument("mrn")
    p.add_argument("input", choices=sorted(CONFIRM_INPUTS), metavar="INPUT",
                   help="bp-medication (on blood-pressure medication) or family-history "
                        "(a parent or sibling had a heart attack or stroke)")
    p.add_argument("answer", choices=("yes", "no"))
    p.add_argument("--reason", required=True, help="how it was established (e.g. the "
                                                   "patient takes it for blood pressure)")
    p.add_argument("--issuer", help="identifier system, when the MRN exists under several")
    add_auth_args(p)
    p.set_defaults(handler=cmd_patients_confirm)
    p = psub.add_parser("enter", help=translate("cli", "save a measured value the record lacks (e.g. "
                                                "HDL cholesterol) as entered by you, with a reason; "
                                                "shown as entered by you, never as imported"))
    p.add_argument("mrn")
    p.add_argument("input", choices=sorted(FEATURE_FACTS), metavar="INPUT",
                   help=translate("cli", "the model input, e.g. hdl_cholesterol, systolic_bp"))
    p.add_argument("value", type=float)
    p.add_argument("--unit", help=translate("cli", "the unit of VALUE (default: the record's unit, "
                                            "e.g. mg/dL)"))
    p.add_argument("--reason", required=True,
                   help=translate("cli", "where the value comes from (e.g. measured in clinic today)"))
    p.add_argument("--issuer", help=translate("cli", "identifier system, when the MRN exists under several"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_patients_enter)


def cmd_import_records(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.records.import_files(sess, rt.args.files)
    if rt.args.json:
        rt.print_json(report.as_json())
    else:
        _print_report(rt, report)
    return 0 if report.ok else 1


def _print_report(rt: Runtime, report: ImportReport) -> None:
    for f in report.files:
        state = "imported" if f.imported else translate("cli", "NOT IMPORTED")
        counts = ", ".join(f"{f.counts.get(k, 0)} {k}" for k in
                           ("patients", "observations", "conditions", "medications",
                            "allergies", "encounters", "reports", "other_resources")
                           if f.counts.get(k))
        rt.print(f"{f.file} ({f.format}): {state}" + (f": {counts}" if f.imported else ""))
        for s in f.skipped:
            rt.print(translate("cli", "  skipped {value} {value2}: {value3}").format(
                         value=s['count'], value2=s['kind'], value3=s['reason']))
        for p in f.flagged:
            rt.print(translate("cli", "  flagged {item}: {reason}").format(item=p.item, reason=p.reason))
        if f.flag_count > len(f.flagged):
            rt.print(translate("cli", "  … {value} more flagged (see --json)").format(
                         value=f.flag_count - len(f.flagged)))
        for p in f.errors:
            rt.print(translate("cli", "  ERROR {item}: {reason}").format(item=p.item, reason=p.reason))
        if f.error_count > len(f.errors):
            rt.print(translate("cli", "  … {value} more errors").format(value=f.error_count - len(f.errors)))
        if f.note:
            rt.print(f"  {f.note}")
    for rtype, row in report.by_type().items():
        rt.print(translate("cli", "{rtype}: {value} kept, {value2} flagged, {value3} invalid ({value4} of "
                                  "{value5} file(s) refused)").format(
                     rtype=rtype, value=row['kept'], value2=row['flagged'], value3=row['invalid'],
                     value4=row['refused_files'], value5=row['files']))
    for note in report.notes:
        rt.print(translate("cli", "note: {note}").format(note=note))
    rt.print(translate("cli", "Total imported: {total} patients, {total2} observations, {total3} conditions, "
                              "{total4} medications.").format(
                 total=report.total('patients'), total2=report.total('observations'),
                 total3=report.total('conditions'), total4=report.total('medications')))


def cmd_patients_list(rt: Runtime) -> int:
    with rt.session() as sess:
        patients = rt.services.records.list_patients(sess)
    if rt.args.json:
        rt.print_json(patients)
    else:
        rt.table([{**p.__dict__, "name": f"{p.family}, {p.given}".strip(", "),
                   "conflicts": "YES" if p.flags else ""} for p in patients],
                 ["mrn", "name", "birth_date", "sex", "race", "observations", "studies",
                  "conflicts"])
    return 0


def cmd_patients_show(rt: Runtime) -> int:
    with rt.session() as sess:
        view = rt.services.records.show_patient(sess, rt.args.mrn, rt.args.issuer,
                                                rt.args.as_of)
    if rt.args.json:
        rt.print_json(view)
    else:
        _print_view(rt, view)
    return 0


def cmd_patients_family_history(rt: Runtime) -> int:
    with rt.session() as sess:
        said = rt.services.records.record_family_history(
            sess, rt.args.mrn, rt.args.answer == "yes", issuer=rt.args.issuer,
            reason=rt.args.reason)
    rt.print(translate("cli.records", "Recorded: family history of heart attack or stroke "
                                      "{answer}, by {user} on {day}.").format(
        answer=rt.args.answer, user=said.confirmed_by, day=said.confirmed_at.date().isoformat()))
    return 0


def cmd_patients_confirm(rt: Runtime) -> int:
    feature = CONFIRM_INPUTS[rt.args.input]
    with rt.session() as sess:
        said = rt.services.records.confirm_uncertain(
            sess, rt.args.mrn, feature, rt.args.answer == "yes", issuer=rt.args.issuer,
            reason=rt.args.reason)
    rt.print(translate("cli.records", "Recorded: {label}: {answer}, by {user} on {day} (for: "
                                      "{subject}); a physician's statement, not a record "
                                      "fact.").format(
        label=input_label(feature), answer=translate("cli.records", "yes") if rt.args.answer == "yes"
        else translate("cli.records", "no"),
        user=said.confirmed_by, day=said.confirmed_at.date().isoformat(), subject=said.subject))
    return 0


def cmd_patients_enter(rt: Runtime) -> int:
    value = {"value": rt.args.value, "unit": rt.args.unit} if rt.args.unit else rt.args.value
    with rt.session() as sess:
        (saved,) = rt.services.entered_values.save_by_mrn(
            sess, rt.args.mrn, {rt.args.input: value}, issuer=rt.args.issuer, reason=rt.args.reason)
    rt.print(translate("cli.records", "Saved: {input} {value:g} {unit}, entered by {user} on {day}.").format(
        input=rt.args.input, value=saved.value, unit=saved.unit, user=saved.entered_by,
        day=saved.entered_at.date().isoformat()))
    return 0


def _print_view(rt: Runtime, v: PatientView) -> None:
    p = v.patient
    rt.print(
        translate("cli", "{family}, {given}  MRN {mrn}").format(family=p.family, given=p.given, mrn=p.mrn)
        + (f" ({p.issuer})" if p.issuer else "")
    )
    rt.print(
        translate("cli", "born {value}, {sex}").format(value=p.birth_date or "unknown", sex=p.sex)
        + (translate("cli", ", deceased") if p.deceased else "")
    )
    race = RACE_WORDS.get(p.race or "", "not recorded")
    rt.print(translate("cli", "race {race}").format(race=race) + (f" ({p.race_source})" if p.race_source else ""))
    rt.print(translate("cli", "as of {isoformat}").format(isoformat=v.as_of.date().isoformat()))
    for c in v.conflicts:
        rt.print(f"!! {c}")
    rt.print("")
    rt.print(translate("cli", "Latest values:"))
    rows = []
    for o in sorted(v.latest, key=lambda o: o.name):
        if o.value_code is not None:
            shown = f"{codes.smoking_category(o.value_code) or 'unrecognised'} ({o.value_code})"
        else:
            shown = f"{o.value:.4g} {o.unit}" if o.value is not None else "-"
        if o.original_unit and o.original_unit != o.unit:
            shown += translate("cli", "  (from {original_value} {original_unit})").format(
                         original_value=o.original_value, original_unit=o.original_unit)
        if o.value_text is not None and o.value is None:
            shown = o.value_text
        elif codes.is_other_fact(o.name) and o.value is not None:
            shown = f"{o.value:g} {o.unit}".strip() + translate("cli", "  (not interpreted)")
        rows.append({"fact": fact_display(o.name, o.display), "value": shown,
                     "date": o.effective.date().isoformat(),
                     "source": f"{o.provenance.source_file} {o.provenance.resource_id}",
                     "flags": "; ".join(o.flags)})
    rt.table(rows, ["fact", "value", "date", "source", "flags"])
    rt.print("")
    rt.print(translate("cli", "Conditions:"))
    rt.table([{"category": c.category, "code": c.code, "display": c.display,
               "status": f"{c.clinical_status or '?'}/{c.verification_status or '?'}",
               "onset": c.onset.date().isoformat() if c.onset else None}
              for c in v.conditions], ["category", "code", "display", "status", "onset"])
    rt.print("")
    rt.print(translate("cli", "Medications:"))
    rt.table([{"display": m.display, "code": m.code,
               "classes": m.classes if m.recognised else "unclassified", "status": m.status,
               "start": m.start.date().isoformat() if m.start else None}
              for m in v.medications], ["display", "code", "classes", "status", "start"])
    if v.uncertain:
        rt.print("")
        rt.print(translate("cli.records", "Uncertain inputs (settle them in the Risk tab or "
                                   "with 'clinic-app patients confirm'):"))
        for item in v.uncertain:
            done = item.confirmation
            rt.print(translate("cli.records", "  {label}: uncertain. {reason}.").format(
                label=input_label(item.feature), reason=item.reason) if done is None else
                translate("cli.records", "  {label}: {answer}, confirmed by {user} on {date} "
                          "(“{why}”); a physician's statement, not a record fact.").format(
                    label=input_label(item.feature),
                    answer=translate("cli.records", "yes") if done.value == "true"
                    else translate("cli.records", "no"), user=done.confirmed_by,
                    date=done.confirmed_at.date().isoformat(), why=done.reason))
    rt.print("")
    rt.print(translate("cli", "Allergies:"))
    rt.table([{"allergy": a.display, "type": a.category, "criticality": a.criticality,
               "status": f"{a.clinical_status or '?'}/{a.verification_status or '?'}"}
              for a in v.allergies], ["allergy", "type", "criticality", "status"])
    rt.print("")
    rt.print(translate("cli", "Recent visits:"))
    rt.table([{"date": e.start.date().isoformat() if e.start else None, "class": e.class_code,
               "type": e.type_display, "status": e.status} for e in v.encounters],
             ["date", "class", "type", "status"])
    if v.other_resources:
        rt.print("")
        rt.print(translate("records", "Other records kept as received (not read by the app): "
                           "{types}").format(types=", ".join(
                               f"{n} {rtype}" for rtype, n in v.other_resources.items())))
    rt.print("")
    rt.print(translate("cli", "Linked studies:"))
    rt.table([{"date": s.study_date, "modalities": s.modalities, "description": s.description,
               "conflicts": "; ".join(s.conflicts)} for s in v.studies],
             ["date", "modalities", "description", "conflicts"])
