"""Account administration (admin only): create, disable, enable, reset, change role.

The admin holds the system key but never the clinical key, and never a user's key pair:
creating or resetting an account leaves only an *enrolment record* (the system key under
the temporary password). The person makes their own key pair at their first sign-in and
files a grant request that a key holder approves explicitly (services/grants.py).
Every key-ring change goes through the two-phase intent of services/keyring_changes.py.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.security.accounts import Account, AccountRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.credentials import make_enrolment, new_user_id
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.security.usernames import check_not_confusable, check_username
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.auth import AuthService
from clinic_app.services.context import ServiceContext
from clinic_app.services.keyring_changes import keyring_change
from clinic_app.services.session import Session

#: What ``UserSummary.clinical_key`` says, in words for IT.
KEY_HELD, KEY_PENDING, KEY_ENROLMENT = "held", "pending grant", "awaiting first sign-in"


@dataclass(frozen=True)
class UserSummary:
    username: str
    role: str
    status: str
    must_change_password: bool
    clinical_key: str  # "held" | "pending grant" | "awaiting first sign-in" | "none (admin)" | "none"
    locked_until: str | None
    last_login_at: str | None
    created_at: str
    created_by: str


class AccountService:
    def __init__(self, ctx: ServiceContext, auth: AuthService) -> None:
        self.ctx = ctx
        self.auth = auth

    def _repo(self, session: Session) -> AccountRepository:
        assert session.system is not None
        return AccountRepository(session.system)

    def _get(self, session: Session, username: str) -> Account:
        acc = self._repo(session).by_name(check_username(username))
        if acc is None:
            raise InvalidInput(translate("services", "There is no user named '{username}'. 'clinic-app users "
                                                     "list' shows them.").format(username=username))
        return acc

    def list(self, session: Session) -> list[UserSummary]:
        self.ctx.begin(session, Permission.USERS_LIST)
        repo = self._repo(session)
        pending = {g.user_id for g in repo.pending_grants()}
        now = self.ctx.clock()
        out = []
        for acc in repo.all():
            key_state = self._key_state(acc.user_id, acc.role, pending)
            thr = self.ctx.keyring.throttle(self.ctx.name_key(acc.username))
            locked = thr.locked_until if thr.locked_until and parse_iso(thr.locked_until) > now else None
            out.append(UserSummary(acc.username, acc.role.value, acc.status, acc.must_change,
                                   key_state, locked, acc.last_login_at, acc.created_at, acc.created_by))
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY,
                       "users.list")
        return out

    def _key_state(self, user_id: str, role: Role, pending: set[str]) -> str:
        if self.ctx.keyring.enrolment_by_id(user_id) is not None:
            return KEY_ENROLMENT
        if not role.is_clinician:
            return "none (admin)"
        if user_id in pending:
            return KEY_PENDING
        rec = self.ctx.keyring.user_by_id(user_id)
        return KEY_HELD if rec is not None and rec.sealed_clinical else "none"

    def add(self, session: Session, username: str, role: Role, password: str) -> UserSummary:
        """Create an account in enrolment state: its owner makes their keys at first sign-in."""
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        name = check_username(username)
        repo = self._repo(session)
        if repo.by_name(name) is not None or ctx.keyring.name_taken(name):
            raise InvalidInput(translate("services", "A user named '{name}' already exists; choose another "
                                                     "name.").format(name=name))
        check_not_confusable(name, {a.username for a in repo.all()} | set(ctx.keyring.all_names()))
        normalised = ctx.password_policy.check(password)
        user_id = new_user_id()
        enrol = make_enrolment(user_id, name, role, normalised, session.system_key,
                               self.auth.fresh_kdf())
        now = iso(ctx.clock())
        assert session.system is not None
        with keyring_change(ctx.keyring, session.system, ctx.clock()) as ops:
            repo.insert(Account(user_id=user_id, username=name, role=role, status="active",
                                must_change=True, public_key=b"", created_at=now,
                                created_by=session.username, last_login_at=None,
                                password_changed_at=now, managed_by=session.username))
            ops.put_enrolment(enrol)
            ctx.audit(session, EventCode.SECURITY_ALERT, "user.create", object=name,
                      detail={"role": role.value, "enrolment": True})
        return self._summary(session, name)

    def _summary(self, session: Session, name: str) -> UserSummary:
        # list() re-checks permission and audits; build the one row directly instead.
        repo = self._repo(session)
        acc = repo.by_name(name)
        assert acc is not None
        pending = {g.user_id for g in repo.pending_grants()}
        key_state = self._key_state(acc.user_id, acc.role, pending)
        return UserSummary(acc.username, acc.role.value, acc.status, acc.must_change, key_state,
                           None, acc.last_login_at, acc.created_at, acc.created_by)

    def set_enabled(self, session: Session, username: str, enabled: bool) -> UserSummary:
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        if acc.user_id == session.user_id and not enabled:
            raise InvalidInput(translate("services", "You cannot disable your own account; ask another admin."))
        repo = self._repo(session)
        assert session.system is not None
        with keyring_change(ctx.keyring, session.system, ctx.clock()) as ops:
            repo.update(acc.user_id, status="active" if enabled else "disabled",
                        managed_by=session.username)
            if not enabled and acc.role.is_clinician:
                # Revoke the stored copy of the clinical key: a disabled account must not be
                # able to open it offline. Re-enabling files a request that a key holder
                # must approve, like any other.
                ops.set_sealed(acc.user_id, None)
                repo.remove_grant(acc.user_id)
            if enabled and acc.role.is_clinician and acc.public_key:
                rec = ctx.keyring.user_by_id(acc.user_id)
                if rec is not None and rec.sealed_clinical is None:
                    repo.add_grant(acc.user_id, iso(ctx.clock()), acc.username, acc.public_key)
            ctx.audit(session, EventCode.SECURITY_ALERT, "user.enable" if enabled else "user.disable",
                      object=acc.username)
        return self._summary(session, acc.username)

    def reset_password(self, session: Session, username: str, new_password: str,
                       role: Role | None = None) -> UserSummary:
        """Give an account a temporary password (and optionally a new role).

        The account goes back to enrolment: its key pair and sealed clinical key are
        destroyed, and its owner makes a new pair at their next sign-in and asks for a
        grant again. A role change is a reset too, because the role is bound into every wrap.
        """
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        new_role = role or acc.role
        if acc.user_id == session.user_id and new_role is not acc.role:
            raise InvalidInput(translate("services", "You cannot change your own role; ask another admin."))
        normalised = ctx.password_policy.check(new_password)
        enrol = make_enrolment(acc.user_id, acc.username, new_role, normalised, session.system_key,
                               self.auth.fresh_kdf())
        repo = self._repo(session)
        now = iso(ctx.clock())
        assert session.system is not None
        with keyring_change(ctx.keyring, session.system, ctx.clock()) as ops:
            repo.update(acc.user_id, role=new_role, must_change=True, public_key=b"",
                        password_changed_at=now, managed_by=session.username)
            repo.remove_grant(acc.user_id)
            ops.delete_user(acc.user_id)
            ops.put_enrolment(enrol)
            ops.clear_throttle(ctx.name_key(acc.username))
            action = "user.role_change" if new_role is not acc.role else "user.password_reset"
            ctx.audit(session, EventCode.SECURITY_ALERT, action, object=acc.username,
                      detail={"role": new_role.value, "previous_role": acc.role.value,
                              "enrolment": True})
        return self._summary(session, acc.username)

    def unlock(self, session: Session, username: str) -> None:
        """Clear a lockout before its timeout runs out."""
        self.ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        self.ctx.keyring.set_throttle(self.ctx.name_key(acc.username), 0, None)
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "user.unlock", object=acc.username)

    def pending_grants(self, session: Session) -> builtins.list[str]:
        self.ctx.begin(session, Permission.USERS_LIST)
        return [g.username for g in self._repo(session).pending_grants()]
