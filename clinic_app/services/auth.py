"""Login, lock/unlock, password change, grants and recovery; store creation is in store_init.

Failure messages never reveal whether a user name exists: an unknown name and a wrong
password both get ``INVALID_LOGIN`` after the same Argon2id work, and both count towards
the same lockout (throttling is keyed by the typed name, known or not).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import NoReturn

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.security import keywrap
from clinic_app.core.security.accounts import AccountRepository
from clinic_app.core.security.audit import AuditRecord, EventCode, Outcome
from clinic_app.core.security.credentials import (
    fingerprint,
    make_key_record,
    public_from_private,
    seal_ad,
    unlock_enrolment,
    unlock_key_record,
)
from clinic_app.core.security.generations import check_clinical, check_system
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.passwords import (
    MAX_PASSWORD_CHARS,
    encode_for_kdf,
    normalise,
    normalise_username,
)
from clinic_app.core.store import rotation
from clinic_app.errors import AuthenticationError, IntegrityError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.keyring_changes import keyring_change, resolve_intents
from clinic_app.services.preauth import flush_security_events
from clinic_app.services.session import Session
from clinic_app.services.store_init import InitResult, NewAccount, create_store

log = logging.getLogger("clinic_app.auth")

INVALID_LOGIN = "Invalid user name or password."

__all__ = ["INVALID_LOGIN", "AuthService"]


class AuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- kdf policy ------------------------------------------------------------------------
    def fresh_kdf(self) -> KdfParams:
        s = self.ctx.settings
        return KdfParams.fresh(memory_kib=s.kdf_memory_kib, iterations=s.kdf_iterations)

    # -- init ------------------------------------------------------------------------------
    def init_store(self, admin: NewAccount, clinicians: Sequence[NewAccount] = ()) -> InitResult:
        """Create a new store with its first admin and clinicians (``store_init.py``)."""
        return create_store(self.ctx, admin, clinicians, self.fresh_kdf)

    # -- login -----------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Session:
        """Sign in. Never completes a grant or changes anyone's keys as a side effect."""
        ctx = self.ctx
        if len(password) > MAX_PASSWORD_CHARS or len(username) > 256:
            # Refused before any hashing: a huge input must not cost Argon2id time.
            raise AuthenticationError(INVALID_LOGIN)
        name = normalise_username(username)
        keyring = ctx.keyring
        name_key = ctx.name_key(name)
        now = ctx.clock()
        throttle = keyring.throttle(name_key)
        rec = keyring.user_by_name(name)
        enrol = None if rec is not None else keyring.enrolment_by_name(name)
        shown = name if rec is not None or enrol is not None else self._unknown(name_key)
        if throttle.locked_until and parse_iso(throttle.locked_until) > now:
            keyring.queue_security_event(iso(now), "login.locked", shown, int(Outcome.MINOR_FAILURE))
            raise AuthenticationError(self._locked_message(parse_iso(throttle.locked_until)))
        private: bytes | None = None
        clinical_key: bytes | None = None
        try:
            if rec is not None:
                unlocked = unlock_key_record(rec, password)
                system_key, private, clinical_key = (unlocked.system_key, unlocked.private_key,
                                                     unlocked.clinical_key)
            elif enrol is not None:
                system_key = unlock_enrolment(enrol, password)
            else:
                # Same work as a real attempt, with the parameters of an existing account
                # picked by the name, so timing reveals neither unknown names nor a KDF raise.
                self._decoy_kdf(name_key).derive(encode_for_kdf(password))
                raise keywrap.UnwrapFailed("unknown user")
        except (keywrap.UnwrapFailed, IntegrityError):
            self._record_failure(shown, name_key)
            raise AuthenticationError(INVALID_LOGIN) from None
        user_id = rec.user_id if rec is not None else enrol.user_id  # type: ignore[union-attr]
        role_text = rec.role if rec is not None else enrol.role  # type: ignore[union-attr]

        system, audit = ctx.open_system(system_key)
        clinical = blobs = None
        try:
            if resolve_intents(keyring, system):
                # A change interrupted by a crash was just completed; the record used above
                # may be out of date, so start again from the completed key ring.
                system.close()
                return self.login(username, password)
            if rotation.finish_interrupted_switch(ctx.layout, keyring):
                # A key rotation's switch was interrupted by a crash and is now complete: the
                # clinical key this record sealed changed, so start again from the new ring.
                system.close()
                return self.login(username, password)
            check_system(keyring, system, audit.head())
            account = AccountRepository(system).by_id(user_id)
            expected_public = rec.public_key if rec is not None else b""
            if account is None or account.role.value != role_text or \
                    account.public_key != expected_public:
                audit.append(AuditRecord(EventCode.SECURITY_ALERT, "login.key_mismatch", name, "",
                                         Outcome.SERIOUS_FAILURE), now)
                raise IntegrityError(
                    translate("services", "This account's key record does not match the account database; it may have "
                    "been tampered with. Tell IT."))
            if not account.active:
                audit.append(AuditRecord(EventCode.USER_AUTHENTICATION, "login.disabled", name,
                                         account.role.value, Outcome.MINOR_FAILURE), now)
                raise AuthenticationError(translate("services", "This account is disabled. Ask IT to "
                                                                "re-enable it."))
            if clinical_key is not None:
                clinical, blobs = ctx.open_clinical(clinical_key)
                check_clinical(keyring, clinical, audit.head())
        except BaseException:
            if clinical is not None:
                clinical.close()
            system.close()
            raise
        keyring.set_throttle(name_key, 0, None)

        session = Session(
            user_id=account.user_id, username=account.username, role=account.role,
            must_change_password=account.must_change or enrol is not None, system=system,
            audit=audit, last_activity=now, idle_timeout=ctx.idle_timeout,
            enrolling=enrol is not None, password_stamp=account.password_changed_at,
            fingerprint=fingerprint(public_from_private(private)) if private else "",
            _system_key=bytearray(system_key),
        )
        if clinical is not None and clinical_key is not None:
            self._attach(session, clinical, blobs, clinical_key)
            self._join_rotation(session, private)
        self._flush_security_events(session)
        with system.transaction():
            AccountRepository(system).update(account.user_id, last_login_at=iso(now))
            ctx.audit(session, EventCode.USER_AUTHENTICATION, "login",
                      detail={"clinical_key": session.has_clinical_key,
                              "enrolment": session.enrolling})
        return session

    def _attach(self, session: Session, clinical: object, blobs: object, clinical_key: bytes) -> None:
        session.clinical = clinical  # type: ignore[assignment]
        session.blobs = blobs  # type: ignore[assignment]
        session._clinical_key = bytearray(clinical_key)
        # Kept from before any key rotation, so IT's log keeps naming each patient the same way.
        session._pseudonym_key = rotation.pseudonym_key(session.clinical, clinical_key)  # type: ignore[arg-type]

    def _join_rotation(self, session: Session, private: bytes | None) -> None:
        """A key rotation in progress: this user's sealed copy of the new key, so their session
        reads blobs already re-encrypted and can carry the rotation on (services/key_rotation.py)."""
        sealed = rotation.sealed_new_key(self.ctx.keyring, session.user_id) if private else None
        if sealed is None or private is None or session.blobs is None:
            return
        new_key = keywrap.open_sealed(private, sealed, seal_ad(session.user_id, session.role))
        session._rotation_key = bytearray(new_key)
        new_blobs = rotation.blob_store_for(self.ctx.layout, new_key)
        session.blobs.also_read(keywrap.derive_subkey(new_key, "blobs-v1"), new_blobs.key_id)

    def _attach_clinical_key(self, session: Session, clinical_key: bytes) -> None:
        """Open the clinical store for a session that now holds the key (enrolment, recovery)."""
        clinical, blobs = self.ctx.open_clinical(clinical_key)
        self._attach(session, clinical, blobs, clinical_key)

    def _unknown(self, name_key: str) -> str:
        """How an unknown typed name is recorded: a keyed hash, never the text (people type
        passwords into the user-name field)."""
        return "unknown:" + name_key[:16]

    def _decoy_kdf(self, name_key: str) -> KdfParams:
        stored = self.ctx.keyring.kdf_texts()
        if not stored:
            return self.fresh_kdf()
        return KdfParams.decode(stored[int(name_key[:8], 16) % len(stored)])

    def _locked_message(self, until: object) -> str:
        return ("Too many failed attempts: sign-in is locked for "
                f"{self.ctx.settings.lockout_minutes:g} minutes (until {until:%H:%M} UTC). "
                "Ask IT to unlock it sooner.")

    def _record_failure(self, shown: str, name_key: str) -> None:
        ctx = self.ctx
        now = ctx.clock()
        failures, locked_until = ctx.keyring.add_failure(
            name_key, ctx.settings.lockout_threshold,
            iso(now + timedelta(minutes=ctx.settings.lockout_minutes)))
        ctx.keyring.queue_security_event(iso(now), "login.failure", shown, int(Outcome.MINOR_FAILURE))
        if locked_until:
            ctx.keyring.queue_security_event(iso(now), "account.lockout", shown,
                                             int(Outcome.SERIOUS_FAILURE),
                                             json.dumps({"failures": failures}))
            raise AuthenticationError(self._locked_message(parse_iso(locked_until)))

    def _flush_security_events(self, session: Session) -> None:
        flush_security_events(self.ctx, session)

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
        """Re-open a locked session; only the same user's password, and only while the
        account is as it was at sign-in (not disabled, reset or given another role)."""
        if session.ended:
            raise AuthenticationError(session.ended)
        if not session.locked:
            return
        fresh = self.login(session.username, password)
        if (fresh.user_id != session.user_id or fresh.role is not session.role
                or fresh.enrolling or fresh.password_stamp != session.password_stamp):
            self.logout(fresh)
            session.ended = ("Your account was changed by IT while this session was locked "
                             "(reset or new role). Close this session and sign in again.")
            raise AuthenticationError(session.ended)
        # Move the fresh keys and stores into the existing session object.
        for attr in ("system", "audit", "clinical", "blobs", "must_change_password",
                     "_system_key", "_clinical_key", "_pseudonym_key", "last_activity",
                     "fingerprint"):
            setattr(session, attr, getattr(fresh, attr))
        session.locked = False

    def logout(self, session: Session) -> None:
        if not session.locked and session.audit is not None:
            self.ctx.audit(session, EventCode.USER_AUTHENTICATION, "logout")
        session.drop_keys()
        session.locked = True

    # -- passwords ---------------------------------------------------------------------------
    def change_password(self, session: Session, current: str, new: str) -> None:
        """Change one's own password; at first sign-in this is enrolment (own key pair)."""
        ctx = self.ctx
        if session.locked or session.system is None:
            raise AuthenticationError(translate("services", "The session is locked. Enter your password to "
                                                            "continue."))
        normalised = ctx.password_policy.check(new)
        if normalised == normalise(current):
            raise InvalidInput(translate("services", "The new password must differ from the current one."))
        if session.enrolling:
            from clinic_app.services.enrolment import complete_enrolment

            enrol = ctx.keyring.enrolment_by_id(session.user_id)
            try:
                if enrol is None:
                    raise keywrap.UnwrapFailed("no enrolment")
                system_key = unlock_enrolment(enrol, current)
            except keywrap.UnwrapFailed:
                self._wrong_current(session)
            complete_enrolment(self, session, normalised, system_key)
            return
        rec = ctx.keyring.user_by_id(session.user_id)
        if rec is None:
            raise IntegrityError(translate("services", "Your key record is missing from the store. Tell IT."))
        try:
            unlocked = unlock_key_record(rec, current)
        except keywrap.UnwrapFailed:
            self._wrong_current(session)
        new_rec = make_key_record(
            rec.user_id, rec.username, session.role, normalised, unlocked.system_key,
            self.fresh_kdf(), keypair=(unlocked.private_key, rec.public_key))
        # Keep the existing sealed clinical key: it is sealed to the unchanged public key.
        new_rec = type(new_rec)(**{**new_rec.__dict__, "sealed_clinical": rec.sealed_clinical})
        accounts = AccountRepository(session.system)
        stamp = iso(ctx.clock())
        with keyring_change(ctx.keyring, session.system, ctx.clock()) as ops:
            accounts.update(session.user_id, must_change=False, password_changed_at=stamp)
            ops.put_user(new_rec)
            ctx.audit(session, EventCode.USER_AUTHENTICATION, "password.change")
        session.must_change_password = False
        session.password_stamp = stamp

    def _wrong_current(self, session: Session) -> NoReturn:
        self.ctx.audit(session, EventCode.USER_AUTHENTICATION, "password.change",
                       outcome=Outcome.MINOR_FAILURE, detail={"reason": "current password wrong"})
        raise AuthenticationError(translate("services", "The current password is not correct.")) from None
