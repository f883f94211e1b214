"""backup / restore / store gc: IT's operations on the whole store."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.errors import UsageError
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help=translate("cli", "encrypted, consistent, incremental backup of the "
                                                       "store (admin)"))
    p.add_argument(
        "--to", type=Path, required=True, metavar="DIR", help=translate("cli", "backup folder (kept between runs)")
    )
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help=translate("cli", "restore a verified backup into an empty store "
                                                        "folder (admin)"))
    p.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="DIR", help=translate("cli", "backup folder")
    )
    p.add_argument("--set", dest="set_name", metavar="NAME", help=translate("cli", "a set other than the latest"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_restore)

    store = sub.add_parser("store", help=translate("cli", "store maintenance"))
    ssub = store.add_subparsers(dest="store_cmd", required=True, metavar="COMMAND")
    p = ssub.add_parser("gc", help=translate("cli", "remove blob files nothing refers to (dry run first)"))
    p.add_argument("--dry-run", action="store_true", help=translate("cli", "count only; remove nothing"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_gc)


def _mb(n: int | None) -> str:
    return "?" if n is None else translate("cli", "{value:.1f} MB").format(value=n / 1e6)


def cmd_backup(rt: Runtime) -> int:
    with rt.session() as sess:
        report = rt.services.store_admin.backup(sess, rt.args.to.expanduser().resolve())
    if rt.args.json:
        rt.print_json(asdict(report))
    else:
        rt.print(translate("cli", "Backup set {set_name} written to {to}: {files} database files, "
                                  "{blobs_total} blobs ({blobs_copied} new, {mb}).").format(
                     set_name=report.set_name, to=rt.args.to, files=report.files,
                     blobs_total=report.blobs_total, blobs_copied=report.blobs_copied,
                     mb=_mb(report.bytes_copied)))
    return 0


def cmd_restore(rt: Runtime) -> int:
    from clinic_app.services.store_admin import restore

    user = rt.args.user
    password = rt.passwords.next(translate("cli", "Password for {user} (as in the backup): ").format(user=user))
    set_name, blobs = restore(rt.settings, rt.args.source.expanduser().resolve(), user, password,
                              set_name=rt.args.set_name)
    if rt.args.json:
        rt.print_json({"set": set_name, "blobs": blobs, "store": str(rt.settings.store_dir)})
    else:
        rt.print(translate("cli", "Restored backup set {set_name} ({blobs} blobs) into {store_dir}; {user} "
                                  "signed in against the backup's key ring.").format(
                     set_name=set_name, blobs=blobs, store_dir=rt.settings.store_dir, user=user))
    return 0


def cmd_gc(rt: Runtime) -> int:
    if rt.args.store_cmd != "gc":  # pragma: no cover - argparse allows only gc
        raise UsageError(translate("cli", "store: unknown command"))
    with rt.session() as sess:
        report = rt.services.store_admin.gc(sess, dry_run=rt.args.dry_run)
    if rt.args.json:
        rt.print_json(asdict(report))
        return 0
    count = report.temp_files + (report.orphans or 0) if report.dry_run else report.removed
    rt.print(translate("cli", "{blob_files} blob files; {temp_files} leftover temporary files ({mb}).").format(
                 blob_files=report.blob_files, temp_files=report.temp_files, mb=_mb(report.temp_bytes)))
    if report.orphans is None:
        rt.print(translate("cli", "Unreferenced blobs can only be found with the clinical key: run 'store gc' as a "
                 "clinician to check every reference."))
    else:
        rt.print(translate("cli", "{orphans} blob files no record refers to ({mb}).").format(
                     orphans=report.orphans, mb=_mb(report.orphan_bytes)))
    rt.print(
        translate("cli", "Would remove {count} files (dry run).").format(count=count)
        if report.dry_run
        else translate("cli", "Removed {count} files.").format(count=count)
    )
    return 0
