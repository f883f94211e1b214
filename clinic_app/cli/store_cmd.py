"""backup / restore / store gc: IT's operations on the whole store."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="encrypted, consistent, incremental backup of the store (admin)")
    p.add_argument("--to", type=Path, required=True, metavar="DIR", help="backup folder (kept between runs)")
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="restore a verified backup into an empty store folder (admin)")
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR", help="backup folder")
    p.add_argument("--set", dest="set_name", metavar="NAME", help="a set other than the latest")
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_restore)

    store = sub.add_parser("store", help="store maintenance")
    ssub = store.add_subparsers(dest="store_cmd", required=True, metavar="COMMAND")
    p = ssub.add_parser("gc", help="remove blob files nothing refers to (dry run first)")
    p.add_argument("--dry-run", action="store_true", help="count only; remove nothing")
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_gc)


def _mb(n: int | None) -> str:
    return "?" if n is None else f"{n / 1e6:.1f} MB"


def cmd_backup(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.store_admin.backup(sess, rt.args.to.expanduser().resolve())
    if rt.args.json:
        rt.print_json(asdict(report))
    else:
        rt.print(f"Backup set {report.set_name} written to {rt.args.to}: {report.files} database files, "
                 f"{report.blobs_total} blobs ({report.blobs_copied} new, {_mb(report.bytes_copied)}).")
    return 0


def cmd_restore(rt: Runtime) -> int:
    from clinic_app.services.store_admin import restore

    user = rt.args.user
    password = rt.passwords.next(f"Password for {user} (as in the backup): ")
    set_name, blobs = restore(rt.settings, rt.args.source.expanduser().resolve(), user, password,
                              set_name=rt.args.set_name)
    if rt.args.json:
        rt.print_json({"set": set_name, "blobs": blobs, "store": str(rt.settings.store_dir)})
    else:
        rt.print(f"Restored backup set {set_name} ({blobs} blobs) into {rt.settings.store_dir}; "
                 f"{user} signed in against the backup's key ring.")
    return 0


def cmd_gc(rt: Runtime) -> int:
    if rt.args.store_cmd != "gc":  # pragma: no cover - argparse allows only gc
        raise UsageError("store: unknown command")
    with rt.session() as sess:
        report = rt.services.store_admin.gc(sess, dry_run=rt.args.dry_run)
    if rt.args.json:
        rt.print_json(asdict(report))
        return 0
    count = report.temp_files + (report.orphans or 0) if report.dry_run else report.removed
    rt.print(f"{report.blob_files} blob files; {report.temp_files} leftover temporary files "
             f"({_mb(report.temp_bytes)}).")
    if report.orphans is None:
        rt.print("Unreferenced blobs can only be found with the clinical key: run 'store gc' as a "
                 "clinician to check every reference.")
    else:
        rt.print(f"{report.orphans} blob files no record refers to ({_mb(report.orphan_bytes)}).")
    rt.print(f"Would remove {count} files (dry run)." if report.dry_run else f"Removed {count} files.")
    return 0
