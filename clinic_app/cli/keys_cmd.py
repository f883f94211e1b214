"""keys status / keys request / keys rotate: clinical-key rotation."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help=translate("cli", "rotate the key to patient data (after a clinician "
                                                        "leaves)"))
    ksub = keys.add_subparsers(dest="keys_cmd", required=True, metavar="COMMAND")
    p = ksub.add_parser("status", help=translate("cli", "is a rotation requested or in progress"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_status)
    p = ksub.add_parser("request", help=translate("cli", "ask the key holders to rotate the key (admin)"))
    p.add_argument("--reason", required=True, help=translate("cli", "why, e.g. 'dr.x left the practice'"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_request)
    p = ksub.add_parser("rotate", help=translate("cli", "re-encrypt patient data under a new key (a key holder)"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_rotate)


def cmd_status(rt: Runtime) -> int:
    with rt.session() as sess:
        status = rt.services.key_rotation.status(sess)
    if rt.args.json:
        rt.print_json(asdict(status))
        return 0
    if status.in_progress:
        rt.print(translate("cli", "Key rotation in progress (phase {phase}), started {started_at} by "
                                  "{started_by}. A key holder continues it with 'clinic-app keys rotate'.").format(
                     phase=status.phase, started_at=status.started_at, started_by=status.started_by))
    else:
        rt.print(translate("cli", "No key rotation in progress."))
    if status.requested:
        rt.print(translate("cli", "Rotation requested {requested}.").format(requested=status.requested))
    if status.blobs_left is not None and status.in_progress:
        rt.print(translate("cli", "{blobs_left} stored files still under the old key.").format(
                     blobs_left=status.blobs_left))
    return 0


def cmd_request(rt: Runtime) -> int:
    with rt.session() as sess:
        rt.services.key_rotation.request(sess, rt.args.reason)
    rt.print(translate("cli", "Rotation requested; the next clinician who holds the key can run 'clinic-app "
                              "keys rotate'."))
    return 0


def cmd_rotate(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.key_rotation.rotate(sess)
    if rt.args.json:
        rt.print_json(asdict(report))
    else:
        rt.print(translate("cli", "Key rotated: {blobs} stored files and the clinical database ({value:.1f} "
                                  "MB) re-encrypted in {seconds:.1f} s; the new key is sealed to the "
                                  "clinicians who hold it now. Recovery shares must be set up again (the old "
                                  "ones opened the old key).").format(
                     blobs=report.blobs, value=report.database_bytes / 1e6, seconds=report.seconds))
        if report.unreadable:
            rt.print(translate("cli", "{unreadable} stored files were already unreadable and were left as "
                                      "they were.").format(unreadable=report.unreadable))
    return 0
