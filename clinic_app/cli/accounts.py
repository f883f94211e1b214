"""init, passwd, users …, recovery …"""

from __future__ import annotations

import argparse

from clinic_app.cli.runtime import Runtime
from clinic_app.core.security.roles import Role
from clinic_app.errors import UsageError
from clinic_app.services.auth import NewAccount


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _clinician(text: str) -> tuple[str, Role]:
    name, sep, role = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME:ROLE, got {text!r}")
    return name, _role(role)


def add_auth_args(p: argparse.ArgumentParser, *, user: bool = True) -> None:
    if user:
        p.add_argument("--user", required=True, metavar="USER", help="the person running the command")
    p.add_argument("--password-stdin", action="store_true",
                   help="read passwords from stdin, one per line (acting user's first)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create a new store with its first admin (and clinicians)")
    p.add_argument("--admin", required=True, metavar="NAME")
    p.add_argument("--clinician", action="append", default=[], type=_clinician, metavar="NAME:ROLE",
                   help="an initial clinician (radiologist or physician); repeatable")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the admin's then each clinician's password from stdin")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("passwd", help="change your password (line 1 current, line 2 new)")
    add_auth_args(p)
    p.set_defaults(handler=cmd_passwd)

    users = sub.add_parser("users", help="manage accounts (admin)")
    usub = users.add_subparsers(dest="users_cmd", required=True, metavar="COMMAND")
    p = usub.add_parser("add", help="create an account (line 2: its initial password)")
    p.add_argument("name")
    p.add_argument("--role", required=True, type=_role)
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_add)
    p = usub.add_parser("list", help="list accounts with grant and lockout state")
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_list)
    for name, enabled in (("disable", False), ("enable", True)):
        p = usub.add_parser(name, help=f"{name} an account")
        p.add_argument("name")
        add_auth_args(p)
        p.set_defaults(handler=cmd_users_enable, enabled=enabled)
    p = usub.add_parser("reset-password", help="set a temporary password (line 2); forces a change")
    p.add_argument("name")
    p.add_argument("--role", type=_role, help="also change the account's role")
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_reset)
    p = usub.add_parser("unlock", help="clear a lockout before it times out")
    p.add_argument("name")
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_unlock)

    rec = sub.add_parser("recovery", help="emergency access with the recovery code")
    rsub = rec.add_subparsers(dest="recovery_cmd", required=True, metavar="COMMAND")
    p = rsub.add_parser("grant", help="complete every pending clinical-key grant with the recovery code")
    p.add_argument("--code-stdin", action="store_true", help="read the recovery code from stdin")
    p.set_defaults(handler=cmd_recovery_grant)


def cmd_init(rt: Runtime) -> int:
    a = rt.args
    admin_pw = rt.passwords.next(f"Password for admin {a.admin}: ", confirm=True)
    clinicians = []
    for name, role in a.clinician:
        clinicians.append(NewAccount(name, role, rt.passwords.next(f"Password for {name}: ", confirm=True)))
    result = rt.services.auth.init_store(NewAccount(a.admin, Role.ADMIN, admin_pw), clinicians)
    rt.print(f"Created store at {rt.settings.store_dir} with users: {', '.join(result.users)}")
    rt.print("")
    rt.print("RECOVERY CODE (emergency access; shown once, store it offline, e.g. in a safe):")
    rt.print(f"    {result.recovery_code}")
    rt.print("")
    if clinicians:
        rt.print("Clinicians created here must change their password at first sign-in.")
    return 0


def cmd_passwd(rt: Runtime) -> int:
    with rt.session(allow_password_change=True) as sess:
        new = rt.passwords.next("New password: ", confirm=True)
        rt.services.auth.change_password(sess, rt.acting_password, new)
    rt.print("Password changed.")
    return 0


def cmd_users_add(rt: Runtime) -> int:
    with rt.session() as sess:
        password = rt.passwords.next(f"Initial password for {rt.args.name}: ", confirm=True)
        summary = rt.services.accounts.add(sess, rt.args.name, rt.args.role, password)
    rt.print(f"Created {summary.username} ({summary.role}); they must change the password at first sign-in.")
    if summary.clinical_key == "pending grant":
        rt.print("Their clinical-key grant is pending: it completes when a clinician next signs in.")
    return 0


def cmd_users_list(rt: Runtime) -> int:
    with rt.session() as sess:
        users = rt.services.accounts.list(sess)
    if rt.args.json:
        rt.print_json(users)
    else:
        rt.table([u.__dict__ for u in users],
                 ["username", "role", "status", "clinical_key", "must_change_password",
                  "locked_until", "last_login_at"])
    return 0


def cmd_users_enable(rt: Runtime) -> int:
    with rt.session() as sess:
        summary = rt.services.accounts.set_enabled(sess, rt.args.name, rt.args.enabled)
    rt.print(f"{summary.username} is now {summary.status}.")
    return 0


def cmd_users_reset(rt: Runtime) -> int:
    with rt.session() as sess:
        password = rt.passwords.next(f"Temporary password for {rt.args.name}: ", confirm=True)
        summary = rt.services.accounts.reset_password(sess, rt.args.name, password, rt.args.role)
    rt.print(f"Reset {summary.username} ({summary.role}); they must change the password at next sign-in.")
    if summary.clinical_key == "pending grant":
        rt.print("Their clinical-key grant is pending until a clinician signs in "
                 "(or use 'clinic-app recovery grant').")
    return 0


def cmd_users_unlock(rt: Runtime) -> int:
    with rt.session() as sess:
        rt.services.accounts.unlock(sess, rt.args.name)
    rt.print(f"{rt.args.name} is unlocked.")
    return 0


def cmd_recovery_grant(rt: Runtime) -> int:
    if rt.args.code_stdin:
        import sys

        code = sys.stdin.readline().strip()
    else:
        import getpass
        import sys

        if not sys.stdin.isatty():
            raise UsageError("No terminal to ask for the code; use --code-stdin.")
        code = getpass.getpass("Recovery code: ")
    done = rt.services.auth.recover_grants(code)
    rt.print("Recovery code used (recorded in the audit log as a security alert).")
    rt.print(f"Grants completed: {', '.join(done) if done else 'none were pending'}")
    return 0
