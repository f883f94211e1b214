"""The key ring: the only data readable before login.

It holds, per enrolled account, the Argon2id parameters and the AES-GCM-wrapped system key
and X25519 private key (created at the person's own first sign-in, under their own
password), the public key, and the clinical key sealed to that public key (for clinicians
whose grant was approved). Accounts IT created or reset hold only an enrolment record.
Every change to key material advances a generation counter that the encrypted stores
record, so putting back an older copy of this file is detected. It also holds login throttling counters and a copy
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

from clinic_app.core.store.store_lock import StoreLock
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
CREATE TABLE IF NOT EXISTS enrolments (
    user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    kdf TEXT NOT NULL,
    wrapped_system BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS intents (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    ops TEXT NOT NULL
);
"""

#: Keys of ``meta`` that only ever go up (see docs/security.md, rollback detection).
GENERATION = "generation"
SEEN_CLINICAL = "seen_clinical_generation"


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
class EnrolmentRecord:
    """An account IT created or reset: no key pair, only the system key (which IT holds
    anyway) wrapped under the temporary password, so the person can sign in once and set
    their own password."""

    user_id: str
    username: str
    role: str
    kdf: str
    wrapped_system: bytes


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
        self._store_lock = StoreLock(path.parent)
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                     timeout=15)
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            # Destroyed key pairs and sealed keys are overwritten, not left in free pages.
            self._conn.execute("PRAGMA secure_delete = ON")
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            from clinic_app.errors import IntegrityError

            raise IntegrityError(
                f"The key ring at {path} is damaged; restore it from backup."
            ) from exc

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The store lock (shared) before this key ring's own lock: a backup holding the store
        lock may still read the key ring, so no writer may wait for it while holding ours."""
        with self._store_lock.hold(exclusive=False), self._lock:
            yield

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._writing():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._writing():  # the last close checkpoints the WAL: a write
            self._conn.close()

    # -- meta ----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._writing():
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- generation ----------------------------------------------------------------------
    def generation(self) -> int:
        return int(self.get_meta(GENERATION) or 0)

    def _bump(self) -> None:
        """Every change to key material advances the ring's generation (caller holds the lock)."""
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET"
            " value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)", (GENERATION,))

    def bump_generation(self) -> None:
        """Advance the generation inside the caller's key-ring transaction (key rotation)."""
        self._bump()

    def raise_meta_counter(self, key: str, value: int) -> None:
        """Move a recorded counter forward, never back (several processes write it)."""
        with self._writing():
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                " value = excluded.value WHERE CAST(excluded.value AS INTEGER) >"
                " CAST(meta.value AS INTEGER)", (key, str(value)))

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
        with self._writing():
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
            self._bump()

    def set_sealed_clinical(self, user_id: str, sealed: bytes | None) -> None:
        with self._writing():
            self._conn.execute("UPDATE users SET sealed_clinical = ? WHERE user_id = ?", (sealed, user_id))
            self._bump()

    def any_sealed_clinical(self) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM users WHERE sealed_clinical IS NOT NULL LIMIT 1").fetchone()
        return row is not None

    def delete_user(self, user_id: str) -> None:
        """Destroy an account's key pair and sealed clinical key (reset, re-enrolment)."""
        with self._writing():
            self._conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            self._bump()

    # -- enrolments ------------------------------------------------------------------------
    def enrolment_by_name(self, username: str) -> EnrolmentRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM enrolments WHERE username = ?",
                                     (username,)).fetchone()
        return None if row is None else EnrolmentRecord(**dict(row))

    def enrolment_by_id(self, user_id: str) -> EnrolmentRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM enrolments WHERE user_id = ?",
                                     (user_id,)).fetchone()
        return None if row is None else EnrolmentRecord(**dict(row))

    def put_enrolment(self, rec: EnrolmentRecord) -> None:
        with self._writing():
            self._conn.execute(
                "INSERT INTO enrolments(user_id, username, role, kdf, wrapped_system)"
                " VALUES (?,?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET"
                " username=excluded.username, role=excluded.role, kdf=excluded.kdf,"
                " wrapped_system=excluded.wrapped_system",
                (rec.user_id, rec.username, rec.role, rec.kdf, rec.wrapped_system))
            self._bump()

    def delete_enrolment(self, user_id: str) -> None:
        with self._writing():
            self._conn.execute("DELETE FROM enrolments WHERE user_id = ?", (user_id,))
            self._bump()

    def name_taken(self, username: str) -> bool:
        return self.user_by_name(username) is not None or self.enrolment_by_name(username) is not None

    def kdf_texts(self) -> list[str]:
        """Stored KDF parameter texts (for the unknown-name decoy), in a stable order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT kdf FROM users UNION ALL SELECT kdf FROM enrolments ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    def all_names(self) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT username FROM users UNION SELECT username FROM enrolments").fetchall()
        return [str(r[0]) for r in rows]

    # -- two-phase changes -----------------------------------------------------------------
    def add_intent(self, intent_id: str, created_at: str, ops: str) -> None:
        """Phase one: record what the key ring will become once the system store commits."""
        with self._writing():
            self._conn.execute("INSERT INTO intents(id, created_at, ops) VALUES (?,?,?)",
                               (intent_id, created_at, ops))

    def intents(self) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._conn.execute("SELECT id, ops FROM intents ORDER BY created_at, id").fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def drop_intent(self, intent_id: str) -> None:
        with self._writing():
            self._conn.execute("DELETE FROM intents WHERE id = ?", (intent_id,))

    # -- recovery ------------------------------------------------------------------------
    def recovery(self) -> RecoveryRecord | None:
        with self._lock:
            row = self._conn.execute("SELECT kdf, wrapped_system, wrapped_clinical FROM recovery").fetchone()
        return None if row is None else RecoveryRecord(**dict(row))

    def put_recovery(self, rec: RecoveryRecord) -> None:
        with self._writing():
            self._conn.execute(
                "INSERT INTO recovery(id, kdf, wrapped_system, wrapped_clinical) VALUES (1,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET kdf=excluded.kdf, wrapped_system=excluded.wrapped_system,"
                " wrapped_clinical=excluded.wrapped_clinical",
                (rec.kdf, rec.wrapped_system, rec.wrapped_clinical))
            self._bump()

    # -- throttling ----------------------------------------------------------------------
    def throttle(self, name_key: str) -> Throttle:
        with self._lock:
            row = self._conn.execute(
                "SELECT failures, locked_until FROM throttle WHERE name_key = ?", (name_key,)).fetchone()
        return Throttle(0, None) if row is None else Throttle(int(row["failures"]), row["locked_until"])

    def set_throttle(self, name_key: str, failures: int, locked_until: str | None) -> None:
        with self._writing():
            if failures == 0 and locked_until is None:
                self._conn.execute("DELETE FROM throttle WHERE name_key = ?", (name_key,))
            else:
                self._conn.execute(
                    "INSERT INTO throttle(name_key, failures, locked_until) VALUES (?,?,?) "
                    "ON CONFLICT(name_key) DO UPDATE SET failures=excluded.failures,"
                    " locked_until=excluded.locked_until", (name_key, failures, locked_until))

    def add_failure(self, name_key: str, threshold: int, lock_until: str) -> tuple[int, str | None]:
        """Count one failed attempt atomically (parallel guesses each count) and lock the
        name once ``threshold`` is reached; returns (failures, locked_until)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO throttle(name_key, failures, locked_until) VALUES (?, 1, NULL) "
                "ON CONFLICT(name_key) DO UPDATE SET failures = failures + 1", (name_key,))
            row = conn.execute("SELECT failures, locked_until FROM throttle WHERE name_key = ?",
                               (name_key,)).fetchone()
            failures, locked = int(row["failures"]), row["locked_until"]
            if failures >= threshold:
                locked = lock_until
                conn.execute("UPDATE throttle SET failures = 0, locked_until = ? WHERE name_key = ?",
                             (locked, name_key))
        return failures, locked

    # -- events seen before anyone is authenticated -----------------------------------
    def queue_security_event(self, ts: str, action: str, username: str, outcome: int,
                             detail: str = "{}") -> None:
        """Failed logins and lockouts happen without a key to write the audit log, so they
        wait here (user names only, no patient data) until the next session moves them into
        the chain."""
        with self._writing():
            self._conn.execute(
                "INSERT INTO security_events(ts, action, username, outcome, detail) VALUES (?,?,?,?,?)",
                (ts, action, username[:200], outcome, detail))

    def security_events(self) -> list[dict[str, object]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute("SELECT * FROM security_events ORDER BY id")]

    def security_events_high_water(self) -> int:
        """The highest event id ever issued (AUTOINCREMENT never reuses one), so a deleted
        queued event leaves a visible gap."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'security_events'").fetchone()
        return 0 if row is None else int(row[0])

    def delete_security_events(self, ids: list[int]) -> None:
        """Called only after the events are safely in the audit chain."""
        with self._writing():
            self._conn.executemany("DELETE FROM security_events WHERE id = ?", [(i,) for i in ids])

    # -- audit head copy -----------------------------------------------------------------
    def audit_checkpoint(self) -> tuple[int, bytes] | None:
        with self._lock:
            row = self._conn.execute("SELECT seq, mac FROM audit_checkpoint").fetchone()
        return None if row is None else (int(row["seq"]), bytes(row["mac"]))

    def advance_audit_checkpoint(self, seq: int, mac: bytes) -> None:
        """Move the copy of the chain head forward, never backward (concurrent writers)."""
        with self._writing():
            self._conn.execute(
                "INSERT INTO audit_checkpoint(id, seq, mac) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, mac=excluded.mac "
                "WHERE excluded.seq > audit_checkpoint.seq", (seq, mac))
