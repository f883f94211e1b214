"""What every service shares: settings, clock, store layout, and the guard for each call.

``ServiceContext.begin`` is the one gate every service operation passes: it refuses a
locked or idle session, re-reads the account (status, role, password epoch) so a change
by IT stops an open session at its next action, forces a pending password change, checks the permission matrix
(auditing a refusal as a security alert), and records activity for the idle timer.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from clinic_app.config import Settings
from clinic_app.core.clock import Clock, utc_now
from clinic_app.core.security.accounts import AccountRepository
from clinic_app.core.security.audit import AuditEntry, AuditLog, AuditRecord, EventCode, Outcome
from clinic_app.core.security.generations import advance_clinical, record_in_system
from clinic_app.core.security.keywrap import derive_subkey
from clinic_app.core.security.passwords import PasswordPolicy
from clinic_app.core.security.roles import Permission, allowed
from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database, migrate
from clinic_app.core.store.keyring import Keyring
from clinic_app.core.store.layout import StoreLayout
from clinic_app.errors import AuthenticationError, PasswordChangeRequired, PermissionDenied, StoreError
from clinic_app.i18n import translate
from clinic_app.services.session import Session
from clinic_app.services.store_components import clinical_components, system_components

log = logging.getLogger("clinic_app.services")

LOCKED_MESSAGE = "The session is locked. Enter your password to continue."


class ServiceContext:
    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.layout = StoreLayout(settings.store_dir)
        self._keyring: Keyring | None = None
        #: Hook for forwarding audit entries to a collector (services/audit_forwarding.py):
        #: each callable gets the writing session and every entry once its transaction has
        #: committed, on the writer's thread, so it must return at once.
        self.audit_forwarders: list[Callable[[Session, AuditEntry], None]] = []

    # -- resources -----------------------------------------------------------------------
    @property
    def keyring(self) -> Keyring:
        if self._keyring is None:
            self._keyring = Keyring(self.layout.keyring)
        return self._keyring

    def set_keyring(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def close(self) -> None:
        if self._keyring is not None:
            self._keyring.close()
            self._keyring = None

    @property
    def password_policy(self) -> PasswordPolicy:
        return PasswordPolicy(min_length=self.settings.password_min_length)

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.settings.idle_timeout_minutes)

    def name_key(self, username: str) -> str:
        """Throttle key for a user name: hashed, because mistyped names can be passwords."""
        salt = self.keyring.get_meta("store_id") or ""
        return hashlib.sha256(f"{salt}|{username}".encode()).hexdigest()

    def open_system(self, system_key: bytes, *, create: bool = False) -> tuple[Database, AuditLog]:
        db = Database(self.layout.system, system_key, create=create, label="system")
        for component, migrations in system_components():
            migrate(db, component, migrations)
        keyring = self.keyring
        audit = AuditLog(db, derive_subkey(system_key, "audit-chain-v1"),
                         on_append=lambda seq, mac: keyring.advance_audit_checkpoint(seq, mac),
                         in_commit=lambda _seq: record_in_system(db, keyring))
        return db, audit

    def open_clinical(self, clinical_key: bytes, *, create: bool = False) -> tuple[Database, BlobStore]:
        db = Database(self.layout.clinical, clinical_key, create=create, label="clinical")
        for component, migrations in clinical_components():
            migrate(db, component, migrations)
        blob_key = derive_subkey(clinical_key, "blobs-v1")
        key_id = hashlib.sha256(blob_key).digest()[:8]
        return db, BlobStore(self.layout.blobs, blob_key, key_id)

    # -- the gate ------------------------------------------------------------------------
    def begin(self, session: Session, permission: Permission, *, object: str = "") -> None:
        now = self.clock()
        if session.ended:
            raise AuthenticationError(session.ended)
        if session.locked or session.system is None:
            raise AuthenticationError(LOCKED_MESSAGE)
        if session.idle_since(now):
            self.lock(session, reason="idle")
            raise AuthenticationError(
                translate("services", "The session locked after {idle_timeout_minutes:g} minutes without "
                                      "activity. Enter your password to continue.").format(
                    idle_timeout_minutes=self.settings.idle_timeout_minutes))
        self._recheck_account(session)
        if session.must_change_password:
            raise PasswordChangeRequired(
                translate("services", "You must change your password before continuing: run 'clinic-app "
                                      "passwd'."))
        if not allowed(session.role, permission):
            self.audit(session, EventCode.SECURITY_ALERT, "permission.denied",
                       outcome=Outcome.MINOR_FAILURE, object=object,
                       detail={"permission": permission.value})
            raise PermissionDenied(
                translate("services", "Your role ({value}) does not allow '{value2}'. Ask IT if you need "
                                      "this access.").format(value=session.role.value, value2=permission.value))
        session.touch(now)

    def _recheck_account(self, session: Session) -> None:
        """The account as it is now, not as it was at sign-in: a disabled, reset or
        re-roled user's open session stops at its next action."""
        if session.emergency or session.system is None:
            return
        account = AccountRepository(session.system).by_id(session.user_id)
        if account is not None and account.active and account.role is session.role \
                and account.password_changed_at == session.password_stamp:
            return
        if account is None or not account.active:
            why = "Your account was disabled by IT while you were signed in."
        elif account.role is not session.role:
            why = (f"IT changed your account's role to {account.role.value} while you were "
                   "signed in.")
        else:
            why = "Your password was reset by IT while you were signed in."
        self.audit(session, EventCode.SECURITY_ALERT, "session.revoked",
                   outcome=Outcome.MINOR_FAILURE, detail={"reason": why})
        session.ended = why + " This session has ended; sign in again."
        session.drop_keys()
        session.locked = True
        raise AuthenticationError(session.ended)

    def audit(self, session: Session, event_code: str, action: str, *,
              outcome: Outcome = Outcome.SUCCESS, patient_id: str = "", study_uid: str = "",
              object: str = "", detail: dict[str, Any] | None = None,
              advance: bool = True) -> int | None:
        """Append an entry as ``session``'s user; patient ids become pseudonyms. Returns
        the entry's sequence number (None when dropped). ``advance=False`` leaves the
        clinical generation to the caller's one :meth:`advance_generation` for a batch of
        entries about one action (an import's per-patient entries)."""
        if session.audit is None:
            log.warning("audit event %s dropped: session is locked", action)
            return None
        record = AuditRecord(
            event_code=event_code, action=action, user=session.username,
            role=session.role.value, outcome=outcome,
            patient=session.patient_token(patient_id), study=session.study_token(study_uid),
            object=object, detail=detail or {},
        )
        entry = session.audit.append(record, self.clock())
        for forward in self.audit_forwarders:
            session.audit.db.after_commit(lambda f=forward: f(session, entry))  # type: ignore[misc]
        if advance:
            self.advance_generation(session, entry.seq)
        return entry.seq

    def advance_generation(self, session: Session, audit_seq: int) -> None:
        """One more clinical generation, recording the audit head ``audit_seq``, once the
        system store commits (what :meth:`audit` does after each entry by default)."""
        clinical, system = session.clinical, session.system
        if clinical is not None and system is not None:
            keyring = self.keyring

            def advance() -> None:
                try:
                    advance_clinical(clinical, keyring, audit_seq)
                except StoreError:  # the session was locked meanwhile; the next action catches up
                    log.info("clinical generation not advanced: store closed")

            system.after_commit(advance)

    def lock(self, session: Session, *, reason: str = "manual") -> None:
        if session.locked:
            return
        self.audit(session, EventCode.USER_AUTHENTICATION, "session.lock",
                   detail={"reason": reason})
        session.drop_keys()
        session.locked = True
