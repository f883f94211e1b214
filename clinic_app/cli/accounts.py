"""init, passwd, users …, recovery …"""

from __future__ import annotations

import argparse

from clinic_app.cli.grants import register_grants
from clinic_app.cli.runtime import Runtime
from clinic_app.core.security.roles import Role
from clinic_app.errors import UsageError
from clinic_app.i18n import translate


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _clinician(text: str) -> tuple[str, Role]:
    name, sep, role = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError(translate("cli", "expected NAME:ROLE, got {text!r}").format(text=text))
    return name, _role(role)


def add_auth_args(p: argparse.ArgumentParser, *, user: bool = True) -> None:
    if user:
        p.add_argument("--user", required=True, metavar="USER", help=translate("cli", "the person running the command"))
    p.add_argument("--password-stdin", action="store_true",
                   help=translate("cli", "read passwords from stdin, one per line (acting user's first)"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help=translate("cli", "create a new store with its first admin (and clinicians)"))
    p.add_argument("--admin", required=True, metavar="NAME")
    p.add_argument("--clinician", action="append", default=[], type=_clinician, metavar="NAME:ROLE",
                   help=translate("cli", "an initial clinician (radiologist or physician); repeatable"))
    p.add_argument("--password-stdin", action="store_true",
                   help=translate("cli", "read the admin's then each clinician's password from stdin"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("passwd", help=translate("cli", "change your password (line 1 current, line 2 new)"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_passwd)

    users = sub.add_parser("users", help=translate("cli", "manage accounts (admin)"))
    usub = users.add_subparsers(dest="users_cmd", required=True, metavar="COMMAND")
    p = usub.add_parser("add", help=translate("cli", "create an account (line 2: its initial password)"))
    p.add_argument("name")
    p.add_argument("--role", required=True, type=_role)
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_add)
    p = usub.add_parser("list", help=translate("cli", "list accounts with grant and lockout state"))
    p.add_argument("--json", action="store_true")
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_list)
    for name, enabled in (("disable", False), ("enable", True)):
        p = usub.add_parser(name, help=translate("cli", "{name} an account").format(name=name))
        p.add_argument("name")
        add_auth_args(p)
        p.set_defaults(handler=cmd_users_enable, enabled=enabled)
    p = usub.add_parser("reset-password", help=translate("cli", "set a temporary password (line 2); forces a "
                                                                "change"))
    p.add_argument("name")
    p.add_argument("--role", type=_role, help=translate("cli", "also change the account's role"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_reset)
    p = usub.add_parser("unlock", help=translate("cli", "clear a lockout before it times out"))
    p.add_argument("name")
    add_auth_args(p)
    p.set_defaults(handler=cmd_users_unlock)
    register_grants(usub)

    rec = sub.add_parser("recovery", help=translate("cli", "emergency access split among custodians"))
    rsub = rec.add_subparsers(dest="recovery_cmd", required=True, metavar="COMMAND")
    p = rsub.add_parser("setup", help=translate("cli", "split a new recovery secret among named custodians "
                                      "(a key-holding clinician; shares are shown once)"))
    p.add_argument("--custodian", action="append", required=True, metavar="NAME",
                   help=translate("cli", "a person who keeps one share (repeat for each; at least two)"))
    p.add_argument("--threshold", type=int, default=2, metavar="K",
                   help=translate("cli", "shares needed to use recovery (default 2)"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_recovery_setup)
    p = rsub.add_parser("grant", help=translate("cli", "approve every pending clinical-key grant with "
                                                       "custodians' shares"))
    p.add_argument("--code-stdin", "--shares-stdin", dest="code_stdin", action="store_true",
                   help=translate("cli", "read the custodians' shares from stdin, one per line"))
    p.set_defaults(handler=cmd_recovery_grant)


def cmd_init(rt: Runtime) -> int:
    from clinic_app.services.store_init import NewAccount  # here: other commands add_auth_args only

    a = rt.args
    admin_pw = rt.passwords.next(translate("cli", "Password for admin {admin}: ").format(admin=a.admin), confirm=True)
    clinicians = []
    for name, role in a.clinician:
        clinicians.append(NewAccount(name, role, rt.passwords.next(translate("cli", "Password for {name}: ").format(
                                                                       name=name), confirm=True)))
    result = rt.services.auth.init_store(NewAccount(a.admin, Role.ADMIN, admin_pw), clinicians)
    rt.print(translate("cli", "Created store at {store_dir} with users: {join}").format(
                 store_dir=rt.settings.store_dir, join=', '.join(result.users)))
    if clinicians:
        rt.print(translate("cli", "Clinicians created here set their own password at first sign-in "
                 "('clinic-app passwd'); the first to do so creates the clinical key, the "
                 "others ask a key holder to approve their grant."))
    rt.print(translate("cli", "Recovery is set up later by a clinician, split among custodians "
             "('clinic-app recovery setup'); it is never shown to IT."))
    return 0


def cmd_passwd(rt: Runtime) -> int:
    with rt.session(allow_password_change=True) as sess:
        enrolling = sess.enrolling
        new = rt.passwords.next(translate("cli", "New password: "), confirm=True)
        rt.services.auth.change_password(sess, rt.acting_password, new)
        has_key, fingerprint = sess.has_clinical_key, sess.fingerprint
    rt.print(translate("cli", "Password changed."))
    if enrolling:
        rt.print(translate("cli", "Your own key pair was created. Key fingerprint: {fingerprint}").format(
                     fingerprint=fingerprint))
        if sess.role.is_clinician:
            rt.print(translate("cli", "You created the clinical key.") if has_key else
                     translate("cli", "A grant request was filed: a clinician who holds the clinical key approves "
                     "it ('clinic-app users approve'); read them this fingerprint to compare."))
    return 0


def cmd_users_add(rt: Runtime) -> int:
    with rt.session() as sess:
        password = rt.passwords.next(
            translate("cli", "Initial password for {name}: ").format(name=rt.args.name), confirm=True
        )
        summary = rt.services.accounts.add(sess, rt.args.name, rt.args.role, password)
    rt.print(translate("cli", "Created {username} ({role}); they must change the password at first sign-in.").format(
                 username=summary.username, role=summary.role))
    if rt.args.role.is_clinician:
        rt.print(translate("cli", "At first sign-in they create their own keys and ask for a grant, which a "
                 "key-holding clinician approves ('clinic-app users approve')."))
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
    rt.print(translate("cli", "{username} is now {status}.").format(
                 username=summary.username, status=summary.status))
    return 0


def cmd_users_reset(rt: Runtime) -> int:
    with rt.session() as sess:
        password = rt.passwords.next(translate("cli", "Temporary password for {name}: ").format(
                                         name=rt.args.name), confirm=True)
        summary = rt.services.accounts.reset_password(sess, rt.args.name, password, rt.args.role)
    rt.print(translate("cli", "Reset {username} ({role}); they must change the password at next sign-in.").format(
                 username=summary.username, role=summary.role))
    if summary.role != Role.ADMIN.value:
        rt.print(translate("cli", "Their old keys were destroyed; after signing in they ask for a new grant "
                 "('clinic-app users approve' by a key holder, or 'clinic-app recovery grant')."))
    return 0


def cmd_users_unlock(rt: Runtime) -> int:
    with rt.session() as sess:
        rt.services.accounts.unlock(sess, rt.args.name)
    rt.print(translate("cli", "{name} is unlocked.").format(name=rt.args.name))
    return 0


def cmd_recovery_setup(rt: Runtime) -> int:
    with rt.session() as sess:
        shares = rt.services.grants.setup_recovery(sess, rt.args.custodian, rt.args.threshold)
    rt.print(translate("cli", "Recovery split among {len} custodians; any {threshold} of them can together "
                              "approve grants in an emergency. Give each person ONLY their own share, on "
                              "paper; they are not shown again:").format(
                 len=len(shares), threshold=rt.args.threshold))
    for share in shares:
        rt.print(f"  {share.custodian}: {share.words}")
    return 0


def cmd_recovery_grant(rt: Runtime) -> int:
    import sys

    if rt.args.code_stdin:
        shares = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    else:
        import getpass

        if not sys.stdin.isatty():
            raise UsageError(translate("cli", "No terminal to ask for the shares; use --code-stdin."))
        shares = []
        while line := getpass.getpass(translate("cli", "Share {value} (empty line to finish): ").format(
                                          value=len(shares) + 1)).strip():
            shares.append(line)
    done = rt.services.grants.recover_grants(shares)
    rt.print(translate("cli", "Recovery shares used (recorded in the audit log as a security alert)."))
    rt.print(translate("cli", "Grants completed: {value}").format(
                 value=', '.join(done) if done else translate("cli", 'none were pending')))
    return 0
