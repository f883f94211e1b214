"""Create a new store: its key ring, system database, first admin and clinicians' enrolments.

Kept apart from sign-in (``auth.py``): it runs once per store, before anyone can sign in,
and on any failure removes what it made so a second attempt starts clean.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clinic_app.core.clock import iso
from clinic_app.core.security import keywrap
from clinic_app.core.security.accounts import Account, AccountRepository
from clinic_app.core.security.audit import AuditRecord, EventCode
from clinic_app.core.security.credentials import make_enrolment, make_key_record, new_user_id
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.roles import Role
from clinic_app.core.security.usernames import check_not_confusable, check_username
from clinic_app.core.store.keyring import Keyring
from clinic_app.errors import InvalidInput, StoreError
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext


@dataclass(frozen=True)
class NewAccount:
    username: str
    role: Role
    password: str


@dataclass(frozen=True)
class InitResult:
    """What init made. There is no recovery secret: it is split among custodians later by a
    key-holding clinician (``recovery setup``), never shown to whoever runs init."""

    users: tuple[str, ...]


def create_store(ctx: ServiceContext, admin: NewAccount, clinicians: Sequence[NewAccount],
                 fresh_kdf: Callable[[], KdfParams]) -> InitResult:
    """Create a new store with its first admin and clinicians.

    Only the system key is made here. The clinicians get enrolment records: at their
    own first sign-in each sets a password and the app makes their key pair under it;
    the first clinician to do so creates the clinical key, the others ask for a grant.
    """
    layout = ctx.layout
    if layout.keyring.exists() or layout.system.exists() or layout.clinical.exists():
        raise StoreError(translate("services", "A store already exists at {root}; refusing to overwrite "
                                               "it.").format(root=layout.root))
    if admin.role is not Role.ADMIN:
        raise InvalidInput(translate("services", "The first account created by init must be an admin."))
    names = [check_username(a.username) for a in (admin, *clinicians)]
    if len(set(names)) != len(names):
        raise InvalidInput(translate("services", "Each user name given to init must be different."))
    for i, name in enumerate(names):
        check_not_confusable(name, names[:i])
    for acc in clinicians:
        if not acc.role.is_clinician:
            raise InvalidInput(
                translate("services", "--clinician takes a clinical role (radiologist or physician), not "
                                      "{value}.").format(value=acc.role.value))
    policy = ctx.password_policy
    passwords = [policy.check(a.password) for a in (admin, *clinicians)]

    layout.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(layout.root, 0o700)
    system_key = keywrap.new_data_key()
    created: list[str] = []
    try:
        keyring = Keyring(layout.keyring, create=True)
        keyring.set_meta("store_id", os.urandom(16).hex())
        keyring.set_meta("format", "2")
        ctx.set_keyring(keyring)
        system, audit = ctx.open_system(system_key, create=True)
        accounts = AccountRepository(system)
        now = iso(ctx.clock())
        actor = names[0]
        for acc, name, password in zip((admin, *clinicians), names, passwords, strict=True):
            user_id = new_user_id()
            public = b""
            if acc.role is Role.ADMIN:  # the admin set this password themselves
                rec = make_key_record(user_id, name, acc.role, password, system_key,
                                      fresh_kdf())
                keyring.put_user(rec)
                public = rec.public_key
            else:
                keyring.put_enrolment(make_enrolment(user_id, name, acc.role, password,
                                                     system_key, fresh_kdf()))
            accounts.insert(Account(
                user_id=user_id, username=name, role=acc.role, status="active",
                must_change=acc.role.is_clinician, public_key=public, created_at=now,
                created_by="init", last_login_at=None, password_changed_at=now,
                managed_by=actor))
            created.append(name)
        audit.append(AuditRecord(EventCode.APPLICATION_ACTIVITY, "store.init", actor,
                                 Role.ADMIN.value, detail={"users": created}), ctx.clock())
        for name, acc in zip(created, (admin, *clinicians), strict=True):
            audit.append(AuditRecord(EventCode.SECURITY_ALERT, "user.create", actor,
                                     Role.ADMIN.value, object=name,
                                     detail={"role": acc.role.value,
                                             "enrolment": acc.role.is_clinician}),
                         ctx.clock())
        system.close()
    except BaseException:
        ctx.close()
        for path in (layout.keyring, layout.system, layout.clinical):
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    return InitResult(users=tuple(created))
