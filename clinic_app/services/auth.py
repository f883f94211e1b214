"""Store creation, login, lock/unlock, password change, grants and recovery.

Failure messages never reveal whether a user name exists: an unknown name and a wrong
password both get ``INVALID_LOGIN`` after the same Argon2id work, and both count towards
the same lockout (throttling is keyed by the typed name, known or not).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.security import keywrap
from clinic_app.core.security.accounts import Account, AccountRepository
from clinic_app.core.security.audit import AuditRecord, EventCode, Outcome
from clinic_app.core.security.credentials import (
    make_key_record,
    make_recovery_record,
    new_recovery_code,
    new_user_id,
    seal_ad,
    unlock_key_record,
    unlock_recovery,
)
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.passwords import MAX_PASSWORD_CHARS, encode_for_kdf, normalise_username
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.store.keyring import Keyring
from clinic_app.errors import AuthenticationError, IntegrityError, InvalidInput, StoreError
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

log = logging.getLogger("clinic_app.auth")

INVALID_LOGIN = "Invalid user name or password."


@dataclass(frozen=True)
class NewAccount:
    username: str
    role: Role
    password: str


@dataclass(frozen=True)
class InitResult:
    recovery_code: str
    users: tuple[str, ...]


def check_username(name: str) -> str:
    clean = normalise_username(name)
    if not clean or len(clean) > 64 or not all(ch.isalnum() or ch in "._-" for ch in clean):
        raise InvalidInput(
            "User names are 1–64 letters, digits, '.', '_' or '-' (for example 'jsmith').")
    return clean


class AuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- kdf policy ------------------------------------------------------------------------
    def fresh_kdf(self) -> KdfParams:
        s = self.ctx.settings
        return KdfParams.fresh(memory_kib=s.kdf_memory_kib, iterations=s.kdf_iterations)

    # -- init ------------------------------------------------------------------------------
    def init_store(self, admin: NewAccount, clinicians: Sequence[NewAccount] = ()) -> InitResult:
        """Create a new store with its first admin and clinicians; print-once recovery code.

        The clinical key exists in memory only during this call: it is sealed to each
        initial clinician and wrapped under the recovery code, then overwritten.
        """
        layout = self.ctx.layout
        if layout.keyring.exists() or layout.system.exists() or layout.clinical.exists():
            raise StoreError(f"A store already exists at {layout.root}; refusing to overwrite it.")
        if admin.role is not Role.ADMIN:
            raise InvalidInput("The first account created by init must be an admin.")
        names = [check_username(a.username) for a in (admin, *clinicians)]
        if len(set(names)) != len(names):
            raise InvalidInput("Each user name given to init must be different.")
        for acc in clinicians:
            if not acc.role.is_clinician:
                raise InvalidInput(
                    f"--clinician takes a clinical role (radiologist or physician), not {acc.role.value}.")
        policy = self.ctx.password_policy
        passwords = [policy.check(a.password) for a in (admin, *clinicians)]

        layout.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(layout.root, 0o700)
        system_key = keywrap.new_data_key()
        clinical_key = bytearray(keywrap.new_data_key())
        code = new_recovery_code()
        created: list[str] = []
        try:
            keyring = Keyring(layout.keyring, create=True)
            keyring.set_meta("store_id", os.urandom(16).hex())
            keyring.set_meta("format", "1")
            self.ctx.set_keyring(keyring)
            system, audit = self.ctx.open_system(system_key, create=True)
            clinical, _blobs = self.ctx.open_clinical(bytes(clinical_key), create=True)
            clinical.close()
            accounts = AccountRepository(system)
            now = iso(self.ctx.clock())
            actor = names[0]
            for acc, name, password in zip((admin, *clinicians), names, passwords, strict=True):
                user_id = new_user_id()
                rec = make_key_record(
                    user_id, name, acc.role, password, system_key, self.fresh_kdf(),
                    clinical_key=bytes(clinical_key) if acc.role.is_clinician else None)
                keyring.put_user(rec)
                accounts.insert(Account(
                    user_id=user_id, username=name, role=acc.role, status="active",
                    must_change=acc.role.is_clinician, public_key=rec.public_key, created_at=now,
                    created_by="init", last_login_at=None, password_changed_at=now))
                created.append(name)
            keyring.put_recovery(make_recovery_record(code, system_key, bytes(clinical_key),
                                                      self.fresh_kdf()))
            audit.append(AuditRecord(EventCode.APPLICATION_ACTIVITY, "store.init", actor,
                                     Role.ADMIN.value, detail={"users": created}), self.ctx.clock())
            for name, acc in zip(created, (admin, *clinicians), strict=True):
                audit.append(AuditRecord(EventCode.SECURITY_ALERT, "user.create", actor,
                                         Role.ADMIN.value, object=name,
                                         detail={"role": acc.role.value, "clinical_key": acc.role.is_clinician}),
                             self.ctx.clock())
            system.close()
        except BaseException:
            self.ctx.close()
            for path in (layout.keyring, layout.system, layout.clinical):
                for suffix in ("", "-wal", "-shm"):
                    path.with_name(path.name + suffix).unlink(missing_ok=True)
            raise
        finally:
            for i in range(len(clinical_key)):
                clinical_key[i] = 0
        return InitResult(recovery_code=code, users=tuple(created))

    # -- login -----------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Session:
        ctx = self.ctx
        if len(password) > MAX_PASSWORD_CHARS or len(username) > 256:
            # Refused before any hashing: a huge input must not cost Argon2id time.
            raise AuthenticationError(INVALID_LOGIN)
        name = normalise_username(username)
        keyring = ctx.keyring
        name_key = ctx.name_key(name)
        now = ctx.clock()
        throttle = keyring.throttle(name_key)
        if throttle.locked_until and parse_iso(throttle.locked_until) > now:
            keyring.queue_security_event(iso(now), "login.locked", name, int(Outcome.MINOR_FAILURE))
            raise AuthenticationError(self._locked_message(parse_iso(throttle.locked_until)))
        rec = keyring.user_by_name(name)
        try:
            if rec is None:
                # Same work as a real attempt, so timing does not reveal unknown names.
                self.fresh_kdf().derive(encode_for_kdf(password))
                raise keywrap.UnwrapFailed("unknown user")
            unlocked = unlock_key_record(rec, password)
        except (keywrap.UnwrapFailed, IntegrityError):
            self._record_failure(name, name_key, throttle.failures if not throttle.locked_until else 0)
            raise AuthenticationError(INVALID_LOGIN) from None

        system, audit = ctx.open_system(unlocked.system_key)
        accounts = AccountRepository(system)
        account = accounts.by_id(rec.user_id)  # type: ignore[union-attr]
        if account is None or account.role.value != rec.role:  # type: ignore[union-attr]
            audit.append(AuditRecord(EventCode.SECURITY_ALERT, "login.key_mismatch", name, "",
                                     Outcome.SERIOUS_FAILURE), now)
            system.close()
            raise IntegrityError(
                "This account's key record does not match the account database; it may have "
                "been tampered with. Tell IT.")
        if not account.active:
            audit.append(AuditRecord(EventCode.USER_AUTHENTICATION, "login.disabled", name,
                                     account.role.value, Outcome.MINOR_FAILURE), now)
            system.close()
            raise AuthenticationError("This account is disabled. Ask IT to re-enable it.")
        keyring.set_throttle(name_key, 0, None)

        session = Session(
            user_id=account.user_id, username=account.username, role=account.role,
            must_change_password=account.must_change, system=system, audit=audit,
            last_activity=now, idle_timeout=ctx.idle_timeout,
            _system_key=bytearray(unlocked.system_key),
        )
        self._attach_clinical(session, unlocked.clinical_key)
        self._flush_security_events(session)
        with system.transaction():
            accounts.update(account.user_id, last_login_at=iso(now))
            ctx.audit(session, EventCode.USER_AUTHENTICATION, "login",
                      detail={"clinical_key": session.has_clinical_key})
        if session.has_clinical_key and not session.must_change_password:
            self.complete_pending_grants(session)
        return session

    def _attach_clinical(self, session: Session, clinical_key: bytes | None) -> None:
        if clinical_key is None:
            return
        clinical, blobs = self.ctx.open_clinical(clinical_key)
        session.clinical = clinical
        session.blobs = blobs
        session._clinical_key = bytearray(clinical_key)
        session._pseudonym_key = keywrap.derive_subkey(clinical_key, "audit-pseudonym-v1")

    def _locked_message(self, until: object) -> str:
        return ("Too many failed attempts: sign-in is locked for "
                f"{self.ctx.settings.lockout_minutes:g} minutes (until {until:%H:%M} UTC). "
                "Ask IT to unlock it sooner.")

    def _record_failure(self, name: str, name_key: str, failures: int) -> None:
        ctx = self.ctx
        now = ctx.clock()
        failures += 1
        locked_until = None
        if failures >= ctx.settings.lockout_threshold:
            locked_until = iso(now + timedelta(minutes=ctx.settings.lockout_minutes))
            ctx.keyring.queue_security_event(iso(now), "account.lockout", name,
                                             int(Outcome.SERIOUS_FAILURE),
                                             json.dumps({"failures": failures}))
            failures = 0
        ctx.keyring.set_throttle(name_key, failures, locked_until)
        ctx.keyring.queue_security_event(iso(now), "login.failure", name,
                                         int(Outcome.MINOR_FAILURE))
        if locked_until:
            raise AuthenticationError(self._locked_message(parse_iso(locked_until)))

    def _flush_security_events(self, session: Session) -> None:
        """Move queued pre-authentication events into the audit chain."""
        events = self.ctx.keyring.security_events()
        if not events or session.audit is None:
            return
        for ev in events:
            code = EventCode.SECURITY_ALERT if ev["action"] == "account.lockout" else EventCode.USER_AUTHENTICATION
            detail = json.loads(str(ev["detail"]))
            detail["observed_at"] = ev["ts"]
            session.audit.append(AuditRecord(code, str(ev["action"]), str(ev["username"]), "",
                                             Outcome(int(str(ev["outcome"]))), detail=detail),
                                 self.ctx.clock())
        self.ctx.keyring.delete_security_events([int(str(ev["id"])) for ev in events])

    # -- lock / unlock / logout -------------------------------------------------------------
    def lock(self, session: Session, *, reason: str = "manual") -> None:
        self.ctx.lock(session, reason=reason)

    def check_idle(self, session: Session) -> bool:
        """Lock the session if its idle time has run out; True if it is (now) locked."""
        if not session.locked and session.idle_since(self.ctx.clock()):
            self.ctx.lock(session, reason="idle")
        return session.locked

    def is_idle(self, session: Session) -> bool:
        """True once the idle timeout has run out (the caller decides when to lock)."""
        return not session.locked and session.idle_since(self.ctx.clock())

    def note_activity(self, session: Session) -> None:
        """User input seen by the GUI counts as activity, unless the session already idled out.

        Without this, a user reading images (no service call) would be locked mid-read; an
        idled-out session is never revived by input: it needs the password.
        """
        if not session.locked and not session.idle_since(self.ctx.clock()):
            session.touch(self.ctx.clock())

    def store_exists(self) -> bool:
        """Whether the configured store has been created (the GUI offers setup if not)."""
        return self.ctx.layout.exists()

    def unlock(self, session: Session, password: str) -> None:
        """Re-open a locked session; only the same user's password does this."""
        if not session.locked:
            return
        fresh = self.login(session.username, password)
        if fresh.user_id != session.user_id:  # pragma: no cover - same name, same id
            raise AuthenticationError(INVALID_LOGIN)
        # Move the fresh keys and stores into the existing session object.
        for attr in ("system", "audit", "clinical", "blobs", "must_change_password",
                     "_system_key", "_clinical_key", "_pseudonym_key", "last_activity"):
            setattr(session, attr, getattr(fresh, attr))
        session.locked = False

    def logout(self, session: Session) -> None:
        if not session.locked and session.audit is not None:
            self.ctx.audit(session, EventCode.USER_AUTHENTICATION, "logout")
        session.drop_keys()
        session.locked = True

    # -- passwords ---------------------------------------------------------------------------
    def change_password(self, session: Session, current: str, new: str) -> None:
        ctx = self.ctx
        if session.locked or session.system is None:
            raise AuthenticationError("The session is locked. Enter your password to continue.")
        rec = ctx.keyring.user_by_id(session.user_id)
        if rec is None:
            raise IntegrityError("Your key record is missing from the store. Tell IT.")
        try:
            unlocked = unlock_key_record(rec, current)
        except keywrap.UnwrapFailed:
            ctx.audit(session, EventCode.USER_AUTHENTICATION, "password.change",
                      outcome=Outcome.MINOR_FAILURE, detail={"reason": "current password wrong"})
            raise AuthenticationError("The current password is not correct.") from None
        normalised = ctx.password_policy.check(new)
        if normalised == current:
            raise InvalidInput("The new password must differ from the current one.")
        new_rec = make_key_record(
            rec.user_id, rec.username, session.role, normalised, unlocked.system_key,
            self.fresh_kdf(), keypair=(unlocked.private_key, rec.public_key))
        # Keep the existing sealed clinical key: it is sealed to the unchanged public key.
        new_rec = type(new_rec)(**{**new_rec.__dict__, "sealed_clinical": rec.sealed_clinical})
        accounts = AccountRepository(session.system)
        with session.system.transaction():
            accounts.update(session.user_id, must_change=False, password_changed_at=iso(ctx.clock()))
            ctx.keyring.put_user(new_rec)
            ctx.audit(session, EventCode.USER_AUTHENTICATION, "password.change")
        session.must_change_password = False
        if session.has_clinical_key:
            self.complete_pending_grants(session)

    # -- grants ------------------------------------------------------------------------------
    def complete_pending_grants(self, session: Session) -> list[str]:
        """Seal the clinical key to every clinician waiting for it; audited per user."""
        self.ctx.begin(session, Permission.GRANTS_COMPLETE)
        return self._complete_grants(session, session.clinical_key)

    def _complete_grants(self, session: Session, clinical_key: bytes) -> list[str]:
        assert session.system is not None
        accounts = AccountRepository(session.system)
        done: list[str] = []
        for grant in accounts.pending_grants():
            rec = self.ctx.keyring.user_by_id(grant.user_id)
            if rec is None or rec.public_key != grant.public_key or not grant.role.is_clinician:
                self.ctx.audit(session, EventCode.SECURITY_ALERT, "grant.refused",
                               outcome=Outcome.SERIOUS_FAILURE, object=grant.username,
                               detail={"reason": "public key does not match the account record"})
                continue
            sealed = keywrap.seal(grant.public_key, clinical_key, seal_ad(grant.user_id, grant.role))
            with session.system.transaction():
                accounts.remove_grant(grant.user_id)
                self.ctx.keyring.set_sealed_clinical(grant.user_id, sealed)
                self.ctx.audit(session, EventCode.SECURITY_ALERT, "grant.complete",
                               object=grant.username, detail={"role": grant.role.value,
                                                              "emergency": session.emergency})
            done.append(grant.username)
        return done

    # -- recovery ----------------------------------------------------------------------------
    def _recovery_session(self, code: str) -> Session:
        """Emergency access with the recovery code (HIPAA 164.312(a)(2)(ii)).

        The returned session holds both keys but no user account: it can complete pending
        grants (so a reset clinician regains access) and nothing else. Every use is
        recorded as a security alert.
        """
        ctx = self.ctx
        rec = ctx.keyring.recovery()
        now = ctx.clock()
        if rec is None:
            raise StoreError("This store has no recovery record.")
        throttle_key = ctx.name_key("\x00recovery")
        throttle = ctx.keyring.throttle(throttle_key)
        if throttle.locked_until and parse_iso(throttle.locked_until) > now:
            raise AuthenticationError(self._locked_message(parse_iso(throttle.locked_until)))
        if len(code) > 200:
            raise AuthenticationError("The recovery code is not valid.")
        try:
            system_key, clinical_key = unlock_recovery(rec, code)
        except keywrap.UnwrapFailed:
            ctx.keyring.queue_security_event(iso(now), "recovery.failure", "recovery",
                                             int(Outcome.SERIOUS_FAILURE))
            failures = throttle.failures + 1
            locked = iso(now + timedelta(minutes=ctx.settings.lockout_minutes)) \
                if failures >= ctx.settings.lockout_threshold else None
            ctx.keyring.set_throttle(throttle_key, 0 if locked else failures, locked)
            raise AuthenticationError("The recovery code is not valid.") from None
        ctx.keyring.set_throttle(throttle_key, 0, None)
        system, audit = ctx.open_system(system_key)
        session = Session(
            user_id="recovery", username="recovery-code", role=Role.PHYSICIAN,
            must_change_password=False, system=system, audit=audit, last_activity=now,
            idle_timeout=ctx.idle_timeout, emergency=True, _system_key=bytearray(system_key))
        self._attach_clinical(session, clinical_key)
        self._flush_security_events(session)
        ctx.audit(session, EventCode.SECURITY_ALERT, "recovery.use",
                  outcome=Outcome.SUCCESS, detail={"purpose": "emergency access"})
        return session

    def recover_grants(self, code: str) -> list[str]:
        """Use the recovery code to complete all pending grants, then drop the keys."""
        session = self._recovery_session(code)
        try:
            return self._complete_grants(session, session.clinical_key)
        finally:
            session.drop_keys()
            session.locked = True
