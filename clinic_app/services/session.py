"""An authenticated user's session: who they are and the keys they hold.

Keys live only here, in memory, for as long as the session is unlocked. Locking (idle
timeout or by hand) closes the databases and overwrites the key buffers, so a workstation
left unattended holds nothing that opens patient data; unlocking needs the password again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clinic_app.core.security.audit import AuditLog, pseudonym
from clinic_app.core.security.roles import Role
from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database


def _wipe(buf: bytearray | None) -> None:
    if buf is not None:
        for i in range(len(buf)):
            buf[i] = 0


@dataclass(eq=False)
class Session:
    user_id: str
    username: str
    role: Role
    must_change_password: bool
    system: Database | None
    audit: AuditLog | None
    clinical: Database | None = None
    blobs: BlobStore | None = None
    last_activity: datetime | None = None
    idle_timeout: timedelta = timedelta(minutes=10)
    locked: bool = False
    emergency: bool = False
    #: First sign-in of an account IT created or reset: no key pair yet.
    enrolling: bool = False
    #: The account's password-change time at sign-in; a reset by IT changes it.
    password_stamp: str | None = None
    #: Short fingerprint of this user's own public key (computed from their private key).
    fingerprint: str = ""
    #: Set when the account changed under the session (disabled, reset, re-roled): the
    #: session cannot be unlocked, only closed.
    ended: str = ""
    _system_key: bytearray | None = field(default=None, repr=False)
    _clinical_key: bytearray | None = field(default=None, repr=False)
    _pseudonym_key: bytes | None = field(default=None, repr=False)
    #: The new clinical key of a key rotation in progress, when this user was sealed into it.
    _rotation_key: bytearray | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def has_clinical_key(self) -> bool:
        return self._clinical_key is not None and not self.locked

    @property
    def clinical_key(self) -> bytes:
        if self._clinical_key is None or self.locked:
            raise RuntimeError("session holds no clinical key")
        return bytes(self._clinical_key)

    @property
    def system_key(self) -> bytes:
        if self._system_key is None or self.locked:
            raise RuntimeError("session is locked")
        return bytes(self._system_key)

    def patient_token(self, patient_id: str) -> str:
        """Audit pseudonym for a patient id (empty if this session cannot compute it)."""
        return pseudonym(self._pseudonym_key, "patient", patient_id) if self._pseudonym_key else ""

    def study_token(self, study_uid: str) -> str:
        return pseudonym(self._pseudonym_key, "study", study_uid) if self._pseudonym_key else ""

    def idle_since(self, now: datetime) -> bool:
        return self.last_activity is not None and now - self.last_activity >= self.idle_timeout

    def touch(self, now: datetime) -> None:
        self.last_activity = now

    def drop_keys(self) -> None:
        """Close the databases and overwrite key material; the object stays as identity."""
        with self._lock:
            for db in (self.clinical, self.system):
                if db is not None:
                    db.close()
            self.clinical = None
            self.system = None
            self.blobs = None
            self.audit = None
            _wipe(self._system_key)
            _wipe(self._clinical_key)
            _wipe(self._rotation_key)
            self._system_key = None
            self._clinical_key = None
            self._rotation_key = None
            self._pseudonym_key = None
