"""audit verify / audit export"""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import IntegrityError, InvalidInput


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser("audit", help="verify or export the tamper-evident audit log (admin)")
    asub = audit.add_subparsers(dest="audit_cmd", required=True, metavar="COMMAND")
    p = asub.add_parser("verify", help="walk the HMAC chain and name the first bad entry")
    p.add_argument("--against", type=Path, metavar="FILE",
                   help="also prove the log extends the checkpoint in an earlier JSON export")
    add_auth_args(p)
    p.set_defaults(handler=cmd_verify)
    p = asub.add_parser("export", help="export entries as JSON or CSV (spreadsheet-safe)")
    p.add_argument("--format", choices=["json", "csv"], required=True)
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    add_auth_args(p)
    p.set_defaults(handler=cmd_export)


def cmd_verify(rt: Runtime) -> int:
    against: Path | None = rt.args.against
    anchor = None
    if against is not None:
        try:
            anchor = against.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read {against}: {exc.strerror}.") from exc
    with rt.session() as sess:
        result = rt.services.audit.verify(sess)
        if result.ok and anchor is not None:
            result = rt.services.audit.verify_against(sess, anchor)
    if not result.ok:
        raise IntegrityError(result.describe() + " Preserve the store files and tell the privacy officer.")
    rt.print(result.describe())
    if anchor is not None:
        rt.print(f"The log extends the checkpoint in {against}.")
    return 0


def cmd_export(rt: Runtime) -> int:
    out: Path | None = rt.args.out
    if out is not None and out.exists() and out.is_dir():
        raise InvalidInput(f"--out {out} is a folder; give a file name.")
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
            raise InvalidInput(f"Cannot write {out}: {exc.strerror}.") from exc
        rt.print(f"Wrote {out}")
    return 0
