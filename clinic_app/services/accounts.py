"""Account administration (admin only): create, disable, enable, reset, change role.

The admin holds the system key but never the clinical key. Creating a clinician or
resetting one therefore leaves a *pending grant*: the clinician's new public key waits
in the encrypted system store until a clinician who holds the clinical key signs in (or
the recovery code is used) and seals the key to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.security.accounts import Account, AccountRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.credentials import make_key_record, new_user_id
from clinic_app.core.security.roles import Permission, Role
from clinic_app.errors import InvalidInput
from clinic_app.services.auth import AuthService, check_username
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


@dataclass(frozen=True)
class UserSummary:
    username: str
    role: str
    status: str
    must_change_password: bool
    clinical_key: str  # "held" | "pending grant" | "none (admin)" | "none"
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
            raise InvalidInput(f"There is no user named '{username}'. 'clinic-app users list' shows them.")
        return acc

    def list(self, session: Session) -> list[UserSummary]:
        self.ctx.begin(session, Permission.USERS_LIST)
        repo = self._repo(session)
        pending = {g.user_id for g in repo.pending_grants()}
        now = self.ctx.clock()
        out = []
        for acc in repo.all():
            rec = self.ctx.keyring.user_by_id(acc.user_id)
            if not acc.role.is_clinician:
                key_state = "none (admin)"
            elif acc.user_id in pending:
                key_state = "pending grant"
            elif rec is not None and rec.sealed_clinical:
                key_state = "held"
            else:
                key_state = "none"
            thr = self.ctx.keyring.throttle(self.ctx.name_key(acc.username))
            locked = thr.locked_until if thr.locked_until and parse_iso(thr.locked_until) > now else None
            out.append(UserSummary(acc.username, acc.role.value, acc.status, acc.must_change,
                                   key_state, locked, acc.last_login_at, acc.created_at, acc.created_by))
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY,
                       "users.list")
        return out

    def add(self, session: Session, username: str, role: Role, password: str) -> UserSummary:
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        name = check_username(username)
        repo = self._repo(session)
        if repo.by_name(name) is not None or ctx.keyring.user_by_name(name) is not None:
            raise InvalidInput(f"A user named '{name}' already exists; choose another name.")
        normalised = ctx.password_policy.check(password)
        user_id = new_user_id()
        rec = make_key_record(user_id, name, role, normalised, session.system_key, self.auth.fresh_kdf())
        now = iso(ctx.clock())
        assert session.system is not None
        with session.system.transaction():
            repo.insert(Account(user_id=user_id, username=name, role=role, status="active",
                                must_change=True, public_key=rec.public_key, created_at=now,
                                created_by=session.username, last_login_at=None,
                                password_changed_at=now))
            if role.is_clinician:
                repo.add_grant(user_id, now, session.username, rec.public_key)
            ctx.keyring.put_user(rec)
            ctx.audit(session, EventCode.SECURITY_ALERT, "user.create", object=name,
                      detail={"role": role.value, "pending_grant": role.is_clinician})
        return self._summary(session, name)

    def _summary(self, session: Session, name: str) -> UserSummary:
        # list() re-checks permission and audits; build the one row directly instead.
        repo = self._repo(session)
        acc = repo.by_name(name)
        assert acc is not None
        pending = any(g.user_id == acc.user_id for g in repo.pending_grants())
        rec = self.ctx.keyring.user_by_id(acc.user_id)
        key_state = ("none (admin)" if not acc.role.is_clinician else
                     "pending grant" if pending else
                     "held" if rec is not None and rec.sealed_clinical else "none")
        return UserSummary(acc.username, acc.role.value, acc.status, acc.must_change, key_state,
                           None, acc.last_login_at, acc.created_at, acc.created_by)

    def set_enabled(self, session: Session, username: str, enabled: bool) -> UserSummary:
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        if acc.user_id == session.user_id and not enabled:
            raise InvalidInput("You cannot disable your own account; ask another admin.")
        repo = self._repo(session)
        assert session.system is not None
        with session.system.transaction():
            repo.update(acc.user_id, status="active" if enabled else "disabled")
            if not enabled and acc.role.is_clinician:
                # Revoke the stored copy of the clinical key: a disabled account must not be
                # able to open it offline. Re-enabling asks for a fresh grant.
                ctx.keyring.set_sealed_clinical(acc.user_id, None)
                repo.remove_grant(acc.user_id)
            if enabled and acc.role.is_clinician:
                rec = ctx.keyring.user_by_id(acc.user_id)
                if rec is not None and rec.sealed_clinical is None:
                    repo.add_grant(acc.user_id, iso(ctx.clock()), session.username, acc.public_key)
            ctx.audit(session, EventCode.SECURITY_ALERT, "user.enable" if enabled else "user.disable",
                      object=acc.username)
        return self._summary(session, acc.username)

    def reset_password(self, session: Session, username: str, new_password: str,
                       role: Role | None = None) -> UserSummary:
        """Give an account a temporary password (and optionally a new role).

        The admin cannot re-wrap the user's old private key (it needs the old password), so
        a reset issues a new key pair; a clinician's clinical key must be granted again.
        A role change is a reset too, because the role is bound into every wrap.
        """
        ctx = self.ctx
        ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        new_role = role or acc.role
        if acc.user_id == session.user_id and new_role is not acc.role:
            raise InvalidInput("You cannot change your own role; ask another admin.")
        normalised = ctx.password_policy.check(new_password)
        rec = make_key_record(acc.user_id, acc.username, new_role, normalised, session.system_key,
                              self.auth.fresh_kdf())
        repo = self._repo(session)
        now = iso(ctx.clock())
        assert session.system is not None
        with session.system.transaction():
            repo.update(acc.user_id, role=new_role, must_change=True, public_key=rec.public_key,
                        password_changed_at=now)
            repo.remove_grant(acc.user_id)
            if new_role.is_clinician:
                repo.add_grant(acc.user_id, now, session.username, rec.public_key)
            ctx.keyring.put_user(rec)
            ctx.keyring.set_throttle(ctx.name_key(acc.username), 0, None)
            action = "user.role_change" if new_role is not acc.role else "user.password_reset"
            ctx.audit(session, EventCode.SECURITY_ALERT, action, object=acc.username,
                      detail={"role": new_role.value, "previous_role": acc.role.value,
                              "pending_grant": new_role.is_clinician})
        return self._summary(session, acc.username)

    def unlock(self, session: Session, username: str) -> None:
        """Clear a lockout before its timeout runs out."""
        self.ctx.begin(session, Permission.USERS_MANAGE, object=username)
        acc = self._get(session, username)
        self.ctx.keyring.set_throttle(self.ctx.name_key(acc.username), 0, None)
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "user.unlock", object=acc.username)

    def pending_grants(self, session: Session) -> list[str]:
        self.ctx.begin(session, Permission.USERS_LIST)
        return [g.username for g in self._repo(session).pending_grants()]
