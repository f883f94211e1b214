"""pacs nodes add|remove|list, pacs echo, pacs find, pacs retrieve, pacs send, pacs listen"""

from __future__ import annotations

import argparse
import threading
from typing import Any

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.imaging import _StderrProgress
from clinic_app.cli.runtime import Runtime
from clinic_app.core.imaging.import_wording import shown_reason
from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.core.net.query import QueryFilter, QueryLevel, parse_date_range
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import UsageError
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pacs = sub.add_parser("pacs", help=translate("cli", "query, retrieve from and send to a PACS (DIMSE or "
                                                        "DICOMweb)"))
    psub = pacs.add_subparsers(dest="pacs_cmd", required=True, metavar="COMMAND")

    nodes = psub.add_parser("nodes", help=translate("cli", "the PACS nodes this workstation talks to"))
    nsub = nodes.add_subparsers(dest="nodes_cmd", required=True, metavar="WHAT")
    p = nsub.add_parser("add", help=translate("cli", "add or replace a node (admin)"),
                        description=translate("cli", "A DIMSE node needs --aet, --host and --port; a DICOMweb node "
                                    "needs --dicomweb URL. A password or token (--auth basic|"
                                    "bearer) is read from stdin after the admin's password and "
                                    "kept in the encrypted system store."))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--aet", help=translate("cli", "the PACS's AE title"))
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--retrieve", default="move", choices=["move", "get"],
                   help=translate("cli", "how studies are fetched (default: move, to our listener)"))
    p.add_argument(
        "--tls-ca", default="", metavar="PEM", help=translate("cli", "DICOM TLS: CA file to verify the PACS")
    )
    p.add_argument("--tls-cert", default="", metavar="PEM", help=translate("cli", "DICOM TLS: our client certificate"))
    p.add_argument("--tls-key", default="", metavar="PEM", help=translate("cli", "DICOM TLS: its private key"))
    p.add_argument("--dicomweb", metavar="URL", help=translate("cli", "DICOMweb base URL instead of DIMSE"))
    p.add_argument("--auth", default="none", choices=["none", "basic", "bearer"])
    p.add_argument("--username", default="")
    _common(p, cmd_nodes_add)
    p = nsub.add_parser("remove", help=translate("cli", "remove a node (admin)"))
    p.add_argument("name", metavar="NAME")
    _common(p, cmd_nodes_remove)
    p = nsub.add_parser("list", help=translate("cli", "list nodes (admin, radiologist); never shows secrets"))
    _common(p, cmd_nodes_list)

    p = psub.add_parser("echo", help=translate("cli", "verify a node: C-ECHO, or a QIDO-RS search for DICOMweb"))
    p.add_argument("name", metavar="NAME")
    _common(p, cmd_echo)

    p = psub.add_parser("find", help=translate("cli", "search a PACS (radiologist)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--level", default="study", choices=["patient", "study", "series"])
    p.add_argument("--patient-id", default="")
    p.add_argument("--name", dest="patient_name", default="",
                   help=translate("cli", "patient name; a prefix unless it has * or ?"))
    p.add_argument("--accession", default="")
    p.add_argument("--modality", default="")
    p.add_argument("--date", default="", metavar="FROM..TO",
                   help=translate("cli", "study dates, e.g. 2025-01-01..2025-06-30 or 20250101-20250630"))
    p.add_argument("--study", default="", metavar="STUDY_UID", help=translate("cli", "for --level series"))
    _common(p, cmd_find)

    p = psub.add_parser("retrieve", help=translate("cli", "fetch a study into the encrypted store (radiologist)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("study_uid", metavar="STUDY_UID")
    _common(p, cmd_retrieve)

    p = psub.add_parser("send", help=translate("cli", "send a stored study, or its results, to a node "
                                                      "(radiologist)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("study_uid", metavar="STUDY_UID")
    p.add_argument("--results", action="store_true",
                   help=translate("cli", "send the study's results (report, segmentations, key images) instead"))
    _common(p, cmd_send)

    p = psub.add_parser("listen", help=translate("cli", "receive studies pushed by configured nodes until Ctrl-C "
                                       "or --seconds (radiologist)"))
    p.add_argument("--seconds", type=float, default=0.0)
    _common(p, cmd_listen)


def _common(p: argparse.ArgumentParser, handler: Any) -> None:
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object"))
    add_auth_args(p)
    p.set_defaults(handler=handler)


def cmd_nodes_add(rt: Runtime) -> int:
    a = rt.args
    if a.dicomweb:
        if a.aet or a.host or a.port:
            raise UsageError(translate("cli", "Give either --dicomweb URL or --aet/--host/--port, not both."))
        node = web_node(a.name, a.dicomweb, auth=a.auth, username=a.username)
    else:
        if not (a.aet and a.host and a.port):
            raise UsageError(translate("cli", "A DIMSE node needs --aet, --host and --port (or give "
                                              "--dicomweb URL)."))
        node = dimse_node(a.name, a.aet, a.host, a.port, retrieve=a.retrieve,
                          tls_ca=a.tls_ca, tls_cert=a.tls_cert, tls_key=a.tls_key)
    with rt.session() as sess:
        secret = (
            rt.passwords.next(translate("cli", "Password or token for {name}: ").format(name=a.name), confirm=True)
            if node.auth.value != "none"
            else None
        )
        saved = rt.services.pacs.add_node(sess, node, secret)
    if a.json:
        rt.print_json(saved.as_json())
    else:
        rt.print(translate("cli", "Saved {describe}. Verify it with 'clinic-app pacs echo {name}'.").format(
                     describe=saved.describe(), name=saved.name))
    return 0


def cmd_nodes_remove(rt: Runtime) -> int:
    with rt.session() as sess:
        rt.services.pacs.remove_node(sess, rt.args.name)
    if rt.args.json:
        rt.print_json({"removed": rt.args.name})
    else:
        rt.print(translate("cli", "Removed {name}.").format(name=rt.args.name))
    return 0


def cmd_nodes_list(rt: Runtime) -> int:
    with rt.session() as sess:
        found = rt.services.pacs.list_nodes(sess)
    if rt.args.json:
        rt.print_json([n.as_json() for n in found])
    else:
        rt.table([{"name": n.name, "kind": n.kind.value,
                   "address": n.url or f"{n.ae_title}@{n.host}:{n.port}",
                   "retrieve": n.retrieve.value, "tls": n.tls, "auth": n.auth.value}
                  for n in found], ["name", "kind", "address", "retrieve", "tls", "auth"])
    return 0


def cmd_echo(rt: Runtime) -> int:
    with rt.session() as sess:
        ms = rt.services.pacs.echo(sess, rt.args.name)
    if rt.args.json:
        rt.print_json({"node": rt.args.name, "ok": True, "ms": round(ms, 1)})
    else:
        rt.print(translate("cli", "{name} answered in {ms:.0f} ms.").format(name=rt.args.name, ms=ms))
    return 0


def cmd_find(rt: Runtime) -> int:
    a = rt.args
    date_from, date_to = parse_date_range(a.date) if a.date else ("", "")
    flt = QueryFilter(level=QueryLevel(a.level.upper()), patient_name=a.patient_name,
                      patient_id=a.patient_id, accession=a.accession, modality=a.modality,
                      date_from=date_from, date_to=date_to, study_uid=a.study)
    with rt.session() as sess:
        found = rt.services.pacs.find(sess, a.name, flt)
    if a.json:
        rt.print_json(found)
        return 0
    rt.table([{"patient_id": m.patient_id, "name": m.patient_name, "birth": m.birth_date,
               "date": m.study_date, "modalities": m.modalities, "accession": m.accession,
               "description": m.description, "instances": m.instances,
               "study_uid": m.study_uid, "series_uid": m.series_uid or None} for m in found],
             ["patient_id", "name", "birth", "date", "modalities", "accession", "description",
              "instances", "study_uid"] + (["series_uid"] if flt.level is QueryLevel.SERIES
                                           else []))
    return 0


def cmd_retrieve(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.pacs.retrieve(sess, rt.args.name, rt.args.study_uid,
                                           progress=_StderrProgress(rt.stderr))
    if rt.args.json:
        rt.print_json(report.as_json())
    else:
        rt.print(translate("cli", "Retrieved {received} instance(s) from {node} by {method}: {imported} new, "
                                  "{duplicates} already stored, {len} skipped. The study is {value}.").format(
                     received=report.received, node=report.node, method=report.method,
                     imported=report.imported, duplicates=report.duplicates, len=len(report.skipped),
                     value=report.state.value))
        for label, reason in report.skipped:
            rt.print(f"  {label}: {shown_reason(reason)}")
    return 0 if report.state.value == "complete" else 1


def cmd_send(rt: Runtime) -> int:
    pacs = rt.services.pacs
    with rt.session() as sess:
        send = pacs.send_results if rt.args.results else pacs.send_study
        report = send(sess, rt.args.name, rt.args.study_uid, progress=_StderrProgress(rt.stderr))
    if rt.args.json:
        rt.print_json(report.as_json())
    else:
        rt.print(
            translate("cli", "Sent {sent} instance(s) to {node}").format(sent=report.sent, node=report.node)
            + (
                translate("cli", "; {failed} refused by the PACS.").format(failed=report.failed)
                if report.failed
                else "."
            )
        )
    return 0 if not report.failed else 1


def cmd_listen(rt: Runtime) -> int:
    cancel = CancelToken()
    timer = threading.Timer(rt.args.seconds, cancel.cancel) if rt.args.seconds > 0 else None
    with rt.session() as sess:
        if timer is not None:
            timer.start()
        try:
            tally = rt.services.pacs.listen(sess, progress=_StderrProgress(rt.stderr),
                                            cancel=cancel)
        except KeyboardInterrupt:
            cancel.cancel()
            raise
        finally:
            if timer is not None:
                timer.cancel()
    result = {"received": tally.files, "imported": tally.imported,
              "duplicates": tally.duplicates, "skipped": len(tally.skipped)}
    if rt.args.json:
        rt.print_json(result)
    else:
        rt.print(translate("cli", "Received {files} instance(s): {imported} new, {duplicates} already "
                                  "stored, {len} skipped.").format(
                     files=tally.files, imported=tally.imported, duplicates=tally.duplicates,
                     len=len(tally.skipped)))
    return 0
