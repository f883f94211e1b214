"""audit verify / audit export / audit forward"""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import IntegrityError, InvalidInput
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help=translate("cli", "verify or export the tamper-evident audit log "
                                                          "(admin)"))
    asub = audit.add_subparsers(dest="audit_cmd", required=True, metavar="COMMAND")
    p = asub.add_parser("verify", help=translate("cli", "walk the HMAC chain and name the first bad entry"))
    p.add_argument("--against", type=Path, metavar="FILE",
                   help=translate("cli", "also prove the log extends the checkpoint in an earlier JSON export"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_verify)
    p = asub.add_parser("export", help=translate("cli", "export entries as JSON or CSV (spreadsheet-safe)"))
    p.add_argument("--format", choices=["json", "csv"], required=True)
    p.add_argument("--out", type=Path, help=translate("cli", "file to write (default: standard output)"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_export)
    p = asub.add_parser("forward", help=translate("cli", "send new entries to the site's audit repository "
                                                         "(syslog-TLS)"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_forward)


def cmd_verify(rt: Runtime) -> int:
    against: Path | None = rt.args.against
    anchor = None
    if against is not None:
        try:
            anchor = against.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(translate("cli", "Cannot read {against}: {strerror}.").format(
                                   against=against, strerror=exc.strerror)) from exc
    with rt.session() as sess:
        result = rt.services.audit.verify(sess)
        if result.ok and anchor is not None:
            result = rt.services.audit.verify_against(sess, anchor)
    if not result.ok:
        raise IntegrityError(result.describe() + translate("cli", " Preserve the store files and tell the "
                                                                  "privacy officer."))
    rt.print(result.describe())
    if anchor is not None:
        rt.print(translate("cli", "The log extends the checkpoint in {against}.").format(against=against))
    return 0


def cmd_export(rt: Runtime) -> int:
    out: Path | None = rt.args.out
    if out is not None and out.exists() and out.is_dir():
        raise InvalidInput(translate("cli", "--out {out} is a folder; give a file name.").format(out=out))
    with rt.session() as sess:
        text = rt.services.audit.export(sess, rt.args.format)
    if out is None:
        rt.stdout.write(text)
        if not text.endswith("\n"):
            rt.stdout.write("\n")
    else:
        try:
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise InvalidInput(translate("cli", "Cannot write {out}: {strerror}.").format(
                                   out=out, strerror=exc.strerror)) from exc
        rt.print(translate("cli", "Wrote {out}").format(out=out))
    return 0


def cmd_forward(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.audit_forwarding.forward(sess)
    if rt.args.json:
        rt.print_json({"sent": report.sent, "last_seq": report.last_seq, "pending": report.pending})
    else:
        rt.print(translate("cli", "Forwarded {sent} audit entries (up to entry {last_seq}).").format(
                     sent=report.sent, last_seq=report.last_seq))
    return 0
