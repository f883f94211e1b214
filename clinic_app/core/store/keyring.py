"""The key ring: the only data readable before login.

It holds, per account, the Argon2id parameters and the AES-GCM-wrapped system key and
X25519 private key, the public key, and the clinical key sealed to that public key (for
clinicians whose grant is complete). It also holds login throttling counters and a copy
of the audit chain's head (so truncating the audit log is detectable).

Nothing here is patient data, and nothing here is usable without a password: every key
is wrapped, and each wrap's associated data binds it to the account's id and role, so a
row edited in place or copied to another account fails to unwrap. Account *state*
(disabled, role authority) lives in the encrypted system store and is checked after
unwrap; see docs/security.md for what an attacker with write access here can and cannot do.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from clinic_app.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    kdf TEXT NOT NULL,
    wrapped_system BLOB NOT NULL,
    wrapped_private BLOB NOT NULL,
    public_key BLOB NOT NULL,
    sealed_clinical BLOB
);
CREATE TABLE IF NOT EXISTS recovery (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kdf TEXT NOT NULL,
    wrapped_system BLOB NOT NULL,
    wrapped_clinical BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS throttle (
    name_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    action TEXT NOT NULL,
    username TEXT NOT NULL,
    outcome INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS audit_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    mac BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class KeyRecord:
    user_id: str
    username: str
    role: str
    kdf: str
    wrapped_system: bytes
    wrapped_private: bytes
    public_key: bytes
    sealed_clinical: bytes | None


@dataclass(frozen=True)
class RecoveryRecord:
    kdf: str
    wrapped_system: bytes
    wrapped_clinical: bytes


@dataclass(frozen=True)
class Throttle:
    failures: int
    locked_until: str | None


class Keyring:
    def __init__(self, path: Path, *, create: bool = False) -> None:
        if not create and not path.exists():
            raise StoreError(
                f"No store at {path.parent}. Create one with 'clinic-app init' "
                "or 'clinic-app demo', or point --store / CLINIC_APP_STORE at an existing one."
            )
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                     timeout=15)
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            from clinic_app.errors import IntegrityError

            raise IntegrityError(
                f"The key ring at {path} is damaged; restore it from backup."
            ) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- meta ----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- users ---------------------------------------------------------------------------
    def user_by_name(self, username: str) -> KeyRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        return None if row is None else KeyRecord(**dict(row))

    def user_by_id(self, user_id: str) -> KeyRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return None if row is None else KeyRecord(**dict(row))

    def put_user(self, rec: KeyRecord) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO users(user_id, username, role, kdf, wrapped_system, wrapped_private,"
                " public_key, sealed_clinical) VALUES (?,?,?,?,?,?,?,?) "
                "ON CONFLICT(user_id) DO UPDATE SET username=excluded.username, role=excluded.role,"
                " kdf=excluded.kdf, wrapped_system=excluded.wrapped_system,"
                " wrapped_private=excluded.wrapped_private, public_key=excluded.public_key,"
                " sealed_clinical=excluded.sealed_clinical",
                (rec.user_id, rec.username, rec.role, rec.kdf, rec.wrapped_system,
                 rec.wrapped_private, rec.public_key, rec.sealed_clinical),
            )

    def set_sealed_clinical(self, user_id: str, sealed: bytes | None) -> None:
        with self._lock:
            self._conn.execute("UPDATE users SET sealed_clinical = ? WHERE user_id = ?", (sealed, user_id))

    # -- recovery ------------------------------------------------------------------------
    def recovery(self) -> RecoveryRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT kdf, wrapped_system, wrapped_clinical FROM recovery").fetchone()
        return None if row is None else RecoveryRecord(**dict(row))

    def put_recovery(self, rec: RecoveryRecord) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO recovery(id, kdf, wrapped_system, wrapped_clinical) VALUES (1,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET kdf=excluded.kdf, wrapped_system=excluded.wrapped_system,"
                " wrapped_clinical=excluded.wrapped_clinical",
                (rec.kdf, rec.wrapped_system, rec.wrapped_clinical))

    # -- throttling ----------------------------------------------------------------------
    def throttle(self, name_key: str) -> Throttle:
        with self._lock:
            row = self._conn.execute(
                "SELECT failures, locked_until FROM throttle WHERE name_key = ?", (name_key,)).fetchone()
        return Throttle(0, None) if row is None else Throttle(int(row["failures"]), row["locked_until"])

    def set_throttle(self, name_key: str, failures: int, locked_until: str | None) -> None:
        with self._lock:
            if failures == 0 and locked_until is None:
                self._conn.execute("DELETE FROM throttle WHERE name_key = ?", (name_key,))
            else:
                self._conn.execute(
                    "INSERT INTO throttle(name_key, failures, locked_until) VALUES (?,?,?) "
                    "ON CONFLICT(name_key) DO UPDATE SET failures=excluded.failures,"
                    " locked_until=excluded.locked_until", (name_key, failures, locked_until))

    # -- events seen before anyone is authenticated -----------------------------------
    def queue_security_event(self, ts: str, action: str, username: str, outcome: int,
                             detail: str = "{}") -> None:
        """Failed logins and lockouts happen without a key to write the audit log, so they
        wait here (user names only, no patient data) until the next session moves them into
        the chain."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO security_events(ts, action, username, outcome, detail) VALUES (?,?,?,?,?)",
                (ts, action, username[:200], outcome, detail))

    def security_events(self) -> list[dict[str, object]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute("SELECT * FROM security_events ORDER BY id")]

    def delete_security_events(self, ids: list[int]) -> None:
        """Called only after the events are safely in the audit chain."""
        with self._lock:
            self._conn.executemany("DELETE FROM security_events WHERE id = ?", [(i,) for i in ids])

    # -- audit head copy -----------------------------------------------------------------
    def audit_checkpoint(self) -> tuple[int, bytes] | None:
        with self._lock:
            row = self._conn.execute("SELECT seq, mac FROM audit_checkpoint").fetchone()
        return None if row is None else (int(row["seq"]), bytes(row["mac"]))

    def advance_audit_checkpoint(self, seq: int, mac: bytes) -> None:
        """Move the copy of the chain head forward, never backward (concurrent writers)."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO audit_checkpoint(id, seq, mac) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, mac=excluded.mac "
                "WHERE excluded.seq > audit_checkpoint.seq", (seq, mac))
