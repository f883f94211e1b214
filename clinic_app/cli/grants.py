"""users grants / approve / refuse: explicit, informed clinical-key grants."""

from __future__ import annotations

import argparse

from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate


def _auth(p: argparse.ArgumentParser) -> None:
    from clinic_app.cli.accounts import add_auth_args  # accounts registers this module

    add_auth_args(p)


def register_grants(usub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = usub.add_parser("grants", help=translate("cli", "list pending clinical-key grant requests"))
    p.add_argument("--json", action="store_true")
    _auth(p)
    p.set_defaults(handler=cmd_grants)
    p = usub.add_parser("approve", help=translate("cli", "approve a grant request (a key-holding clinician); "
                                        "compare the fingerprint with the requester's first"))
    p.add_argument("name")
    _auth(p)
    p.set_defaults(handler=cmd_approve)
    p = usub.add_parser("refuse", help=translate("cli", "refuse a grant request"))
    p.add_argument("name")
    p.add_argument("--reason", default="", help=translate("cli", "recorded in the audit log"))
    _auth(p)
    p.set_defaults(handler=cmd_refuse)


def cmd_grants(rt: Runtime) -> int:
    with rt.session() as sess:
        requests = rt.services.grants.pending(sess)
        mine = sess.fingerprint
    if rt.args.json:
        rt.print_json(requests)
        return 0
    rt.table([{**r.__dict__, "approvals": f"{len(r.approvals)}/{r.approvals_needed}"}
              for r in requests],
             ["username", "role", "requested_at", "account_managed_by", "key_fingerprint",
              "approvals"])
    if mine:
        rt.print(translate("cli", "Your own key fingerprint: {mine}").format(mine=mine))
    return 0


def cmd_approve(rt: Runtime) -> int:
    with rt.session() as sess:
        complete = rt.services.grants.approve(sess, rt.args.name)
    rt.print(translate("cli", "Approved {name}'s grant request.").format(name=rt.args.name) + (
        translate("cli", " They hold the clinical key from their next sign-in.") if complete else
        translate("cli", " Site policy needs another key holder's approval before the key is granted.")))
    return 0


def cmd_refuse(rt: Runtime) -> int:
    with rt.session() as sess:
        rt.services.grants.refuse(sess, rt.args.name, rt.args.reason)
    rt.print(translate("cli", "Refused {name}'s grant request (recorded in the audit log).").format(
                 name=rt.args.name))
    return 0
