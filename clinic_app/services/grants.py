"""Explicit, informed grants of the clinical key, and recovery split among custodians.

A grant is an act of a key-holding clinician, never a side effect: they see who asked,
which admin created or last reset the account, when, the role, and a short fingerprint of
the requester's public key that the requester reads off their own screen. Site policy may
ask for two different approvers. Approvals, refusals and every use of the recovery shares
are Security Alerts (110113) in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clinic_app.core.security import keywrap, recovery_split
from clinic_app.core.security.accounts import AccountRepository, PendingGrant
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.credentials import fingerprint, seal_ad
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.security.usernames import check_username
from clinic_app.errors import AuthenticationError, InvalidInput, PermissionDenied
from clinic_app.i18n import translate
from clinic_app.services.auth import AuthService
from clinic_app.services.context import ServiceContext
from clinic_app.services.keyring_changes import keyring_change
from clinic_app.services.session import Session


@dataclass(frozen=True)
class GrantRequest:
    username: str
    role: str
    requested_at: str
    requested_by: str
    account_managed_by: str
    key_fingerprint: str
    approvals: tuple[str, ...]
    approvals_needed: int


class GrantService:
    def __init__(self, ctx: ServiceContext, auth: AuthService) -> None:
        self.ctx, self.auth = ctx, auth

    @staticmethod
    def _repo(session: Session) -> AccountRepository:
        if session.system is None:
            raise AuthenticationError(translate("services", "The session is locked. Enter your password to "
                                                            "continue."))
        return AccountRepository(session.system)

    def pending(self, session: Session) -> list[GrantRequest]:
        """Open requests (admins may list them too; only key holders may act on them)."""
        self.ctx.begin(session, Permission.USERS_LIST if session.role is Role.ADMIN
                       else Permission.GRANTS_COMPLETE)
        needed = self.ctx.settings.grant_approvers
        out = [GrantRequest(g.username, g.role.value, g.requested_at, g.requested_by,
                            g.managed_by, fingerprint(g.public_key), g.approvals, needed)
               for g in self._repo(session).pending_grants()]
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "grants.list")
        return out

    def _request(self, session: Session, username: str) -> PendingGrant:
        name = check_username(username)
        for grant in self._repo(session).pending_grants():
            if grant.username == name:
                return grant
        raise InvalidInput(translate("services", "There is no pending grant request from '{username}'. "
                                                 "'clinic-app users grants' lists them.").format(
                               username=username))

    def approve(self, session: Session, username: str) -> bool:
        """Record this key holder's approval; seal the key once enough approvals are in.
        Returns True when the grant is complete."""
        ctx = self.ctx
        ctx.begin(session, Permission.GRANTS_COMPLETE, object=username)
        if not session.has_clinical_key:
            raise PermissionDenied(translate("services", "Only a clinician who holds the clinical key can "
                                                         "approve a grant."))
        grant = self._request(session, username)
        if grant.user_id == session.user_id:
            raise PermissionDenied(translate("services", "You cannot approve your own grant request."))
        if session.username in grant.approvals:
            raise InvalidInput(translate("services", "You already approved {username}'s request; it needs "
                                                     "another key holder's approval.").format(
                                   username=grant.username))
        rec = ctx.keyring.user_by_id(grant.user_id)
        account = self._repo(session).by_id(grant.user_id)
        if rec is None or account is None or not (rec.public_key == grant.public_key
                                                  == account.public_key):
            ctx.audit(session, EventCode.SECURITY_ALERT, "grant.refused",
                      outcome=Outcome.SERIOUS_FAILURE, object=grant.username,
                      detail={"reason": "public key differs between the request, the account "
                                        "and the key ring"})
            raise InvalidInput(translate("services", "{username}'s request does not match their key record; "
                                                     "it was refused and recorded. Tell the privacy officer.").format(
                                   username=grant.username))
        return self._approve(session, grant, session.clinical_key)

    def _approve(self, session: Session, grant: PendingGrant, clinical_key: bytes) -> bool:
        ctx = self.ctx
        approvals = (*grant.approvals, session.username)
        needed = 1 if session.emergency else ctx.settings.grant_approvers
        detail = {"role": grant.role.value, "key_fingerprint": fingerprint(grant.public_key),
                  "account_managed_by": grant.managed_by, "approvals": list(approvals),
                  "approvals_needed": needed, "emergency": session.emergency}
        repo = self._repo(session)
        assert session.system is not None
        if len(approvals) < needed:
            with session.system.transaction():
                repo.set_approvals(grant.user_id, approvals)
                ctx.audit(session, EventCode.SECURITY_ALERT, "grant.approve", object=grant.username,
                          detail={**detail, "complete": False})
            return False
        sealed = keywrap.seal(grant.public_key, clinical_key, seal_ad(grant.user_id, grant.role))
        with keyring_change(ctx.keyring, session.system, ctx.clock()) as ops:
            repo.remove_grant(grant.user_id)
            ops.set_sealed(grant.user_id, sealed)
            ctx.audit(session, EventCode.SECURITY_ALERT, "grant.approve", object=grant.username,
                      detail={**detail, "complete": True})
        return True

    def refuse(self, session: Session, username: str, reason: str = "") -> None:
        ctx = self.ctx
        ctx.begin(session, Permission.GRANTS_COMPLETE, object=username)
        grant = self._request(session, username)
        assert session.system is not None
        with session.system.transaction():
            self._repo(session).remove_grant(grant.user_id)
            ctx.audit(session, EventCode.SECURITY_ALERT, "grant.refuse", object=grant.username,
                      outcome=Outcome.MINOR_FAILURE,
                      detail={"role": grant.role.value, "reason": reason[:200],
                              "key_fingerprint": fingerprint(grant.public_key)})

    # -- recovery ----------------------------------------------------------------------------
    def setup_recovery(self, session: Session, custodians: Sequence[str],
                       threshold: int) -> list[recovery_split.CustodianShare]:
        """Split a new recovery secret among named custodians (replaces any earlier one).
        Done by a key-holding clinician, never by IT; the shares are shown once."""
        ctx = self.ctx
        ctx.begin(session, Permission.GRANTS_COMPLETE)
        if not session.has_clinical_key:
            raise PermissionDenied(translate("services", "Only a clinician who holds the clinical key can "
                                                         "set up recovery."))
        rec, shares = recovery_split.split(custodians, threshold, session.system_key,
                                           session.clinical_key)
        assert session.system is not None
        with session.system.transaction():
            ctx.keyring.put_recovery(rec)
            ctx.audit(session, EventCode.SECURITY_ALERT, "recovery.setup",
                      detail={"custodians": [s.custodian for s in shares], "threshold": threshold})
        return shares

    def recover_grants(self, shares: Sequence[str]) -> list[str]:
        """Emergency access (HIPAA 164.312(a)(2)(ii)): with enough custodians' shares,
        approve every pending request, then drop the keys. Each use is a Security Alert."""
        from clinic_app.services.recovery_session import open_recovery_session

        session = open_recovery_session(self.auth, shares)
        try:
            done = []
            for grant in self._repo(session).pending_grants():
                rec = self.ctx.keyring.user_by_id(grant.user_id)
                if rec is None or rec.public_key != grant.public_key:
                    continue
                if self._approve(session, grant, session.clinical_key):
                    done.append(grant.username)
            return done
        finally:
            session.drop_keys()
            session.locked = True

