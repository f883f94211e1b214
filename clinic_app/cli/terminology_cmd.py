"""terminology status | install FILE: which code tables are in use, and IT's update path."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate
from clinic_app.services.terminology import TerminologyStatus, terminology_status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    term = sub.add_parser("terminology", help=translate("cli", "the terminology package (code meanings): which copy "
                                              "is in use and why, and installing a signed update"))
    tsub = term.add_subparsers(dest="terminology_cmd", required=True, metavar="COMMAND")
    p = tsub.add_parser("status", help=translate("cli", "which copy (shipped or site) is in use, and why"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)
    p = tsub.add_parser("install", help=translate("cli", "verify a signed terminology.json and make it the site "
                                        "copy (admin, audited)"))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--allow-older", action="store_true",
                   help=translate("cli", "install a version not newer than the one in use (needs --reason; "
                                         "audited)"))
    p.add_argument("--reason", default="", help=translate("cli", "why an older version is installed (audited)"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_install)


def _show(rt: Runtime, status: TerminologyStatus) -> None:
    if rt.args.json:
        rt.print_json(status)
        return
    rt.print(translate("TerminologyCommand", "In use: {id} {version} ({source} copy), because {why}.").format(
        id=status.id, version=status.version, source=status.source, why=status.why))
    rt.print(translate("TerminologyCommand", "Shipped copy: {version}").format(version=status.shipped_version))
    site = status.site_version or translate("TerminologyCommand", "none")
    rt.print(translate("TerminologyCommand", "Site copy: {version} (in {folder})").format(version=site,
                                                                      folder=status.folder))
    if status.site_ignored:
        rt.print(translate("TerminologyCommand", "WARNING: the site copy is not used (see above)."))


def cmd_status(rt: Runtime) -> int:
    _show(rt, terminology_status(rt.settings))
    return 0


def cmd_install(rt: Runtime) -> int:
    with rt.session() as sess:
        status = rt.services.terminology.install(sess, rt.args.file, allow_older=rt.args.allow_older,
                                                 reason=rt.args.reason)
    _show(rt, status)
    return 0
