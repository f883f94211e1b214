"""SQLCipher 4 databases opened with raw 256-bit keys, plus schema migrations.

Why raw keys: every database key is random (wrapped per user elsewhere), so SQLCipher's
own PBKDF2 would only add unlock time. Why WAL: readers (GUI, a second process) are not
blocked by an import that writes. Each page carries an HMAC-SHA512 that SQLCipher checks
on read, so a flipped byte surfaces as an error, which we turn into IntegrityError.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlcipher3 import dbapi2

from clinic_app.core.store.store_lock import StoreLock
from clinic_app.errors import IntegrityError, StoreError

log = logging.getLogger("clinic_app.store")

Row = sqlcipher3.Row
BUSY_TIMEOUT_MS = 15_000


def _silence_sqlcipher() -> None:
    """SQLCipher prints HMAC failures to stderr; we report them ourselves instead."""
    probe = sqlcipher3.connect(":memory:")
    try:
        probe.execute("PRAGMA cipher_log_level = NONE")
    finally:
        probe.close()


_silence_sqlcipher()


def _is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "hmac" in text


class Database:
    """One encrypted SQLite file behind one serialised connection.

    The connection is shared across threads (GUI workers call services) and guarded by
    a re-entrant lock; SQLite serialises writers across processes with its own locks.
    """

    def __init__(self, path: Path, key: bytes, *, create: bool = False, label: str = "store") -> None:
        if len(key) != 32:
            raise ValueError("database keys are 256-bit")
        if not create and not path.exists():
            raise StoreError(f"The {label} database is missing at {path}; check the store location.")
        self.path = path
        self.label = label
        self._lock = threading.RLock()
        try:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False,
                                      timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            # Memory security (wiping every SQLite allocation) is left at SQLCipher's default,
            # OFF: it made inserts ~10x slower (benchmarks/records_import.py) and buys little
            # in Python, whose own objects hold the same plaintext (docs/security.md).
            conn.execute("PRAGMA cipher_memory_security = OFF")
            # Reading the schema forces page 1 to decrypt: wrong key or damage shows here.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.row_factory = sqlcipher3.Row
        except dbapi2.DatabaseError as exc:
            raise IntegrityError(
                f"The {label} database could not be decrypted: the key does not match or the "
                "file is damaged. Run 'clinic-app --self-test' and restore from backup if needed."
            ) from exc
        self._conn = conn
        self._in_transaction = False
        # Every write holds the store-wide lock shared, so a backup can find the store still.
        self._store_lock = StoreLock(path.parent)
        # The file this connection opened: a key rotation replaces it, and a write through a
        # connection to the replaced file would be lost, so writes check it first.
        self._inode = path.stat().st_ino
        self._after_commit: list[Callable[[], None]] = []

    # -- queries -----------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlcipher3.Row]:
        with self._lock, self._translate():
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlcipher3.Row | None:
        with self._lock, self._translate():
            return self._conn.execute(sql, params).fetchone()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement, inside the current transaction or in its own; rows changed."""
        with self._lock, self._writing(), self._translate():
            return self._conn.execute(sql, params).rowcount

    def insert(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one INSERT and return the new row's id."""
        with self._lock, self._writing(), self._translate():
            rowid = self._conn.execute(sql, params).lastrowid
        if rowid is None:
            raise ValueError("insert() needs an INSERT statement")
        return int(rowid)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._lock, self._writing(), self._translate():
            self._conn.executemany(sql, rows)

    def executescript(self, sql: str) -> None:
        with self._lock, self._writing(), self._translate():
            self._conn.executescript(sql)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (nesting joins the outer).

        The store lock is held shared from BEGIN until the after-commit actions have run, so
        a backup never sees this commit without the copies of its state kept elsewhere (the
        audit head in the key ring).
        """
        with self._lock:
            if self._in_transaction:
                yield self
                return
            with self._store_lock.hold(exclusive=False):
                self._check_same_file()
                with self._translate():
                    self._conn.execute("BEGIN IMMEDIATE")
                self._in_transaction = True
                try:
                    yield self
                except BaseException:
                    self._in_transaction = False
                    self._after_commit.clear()
                    self._conn.execute("ROLLBACK")
                    raise
                self._in_transaction = False
                try:
                    with self._translate():
                        self._conn.execute("COMMIT")
                except BaseException:
                    self._after_commit.clear()
                    raise
                pending, self._after_commit = self._after_commit, []
                for action in pending:
                    action()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the outermost transaction commits (now, if none is open);
        dropped if it rolls back. Copies of this store's state kept elsewhere (the audit
        head in the key ring) must never run ahead of what was committed."""
        with self._lock:
            if self._in_transaction:
                self._after_commit.append(action)
                return
        action()

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def integrity_check(self) -> list[str]:
        """SQLCipher's per-page HMAC check; an empty list means every page verified."""
        with self._lock:
            rows = self._conn.execute("PRAGMA cipher_integrity_check").fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        # The last connection's close checkpoints the WAL into the file: a write to the store.
        with self._lock, self._store_lock.hold(exclusive=False):
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The store lock for a statement outside a transaction (inside one, BEGIN took it)."""
        if self._in_transaction:
            yield
            return
        with self._store_lock.hold(exclusive=False):
            self._check_same_file()
            yield

    def _check_same_file(self) -> None:
        try:
            same = self.path.stat().st_ino == self._inode
        except FileNotFoundError:
            same = False
        if not same:
            raise StoreError(f"The {self.label} database was replaced since you signed in (a key "
                             "rotation or a restore); sign in again. Nothing was written.")

    @contextmanager
    def _translate(self) -> Iterator[None]:
        if self._conn is None:
            raise StoreError(f"The {self.label} database is closed (the session was locked).")
        try:
            yield
        except dbapi2.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise StoreError(
                    f"The {self.label} database is busy in another process; try again shortly."
                ) from exc
            if _is_corruption(exc):
                raise self._corrupt(exc) from exc
            raise
        except dbapi2.DatabaseError as exc:
            if _is_corruption(exc):
                raise self._corrupt(exc) from exc
            raise

    def _corrupt(self, exc: BaseException) -> IntegrityError:
        log.error("integrity failure in %s database: %s", self.label, type(exc).__name__)
        return IntegrityError(
            f"The {self.label} database failed its integrity check (a page did not authenticate). "
            "The data may have been tampered with or the disk is failing; restore from backup "
            "and tell IT."
        )


def migrate(db: Database, component: str, migrations: Sequence[str]) -> int:
    """Bring ``component``'s tables up to ``len(migrations)``; returns the version.

    Each component (accounts, audit, imaging, records, results…) versions its own
    tables, so modules evolve their schemas independently. Migrations run in one
    transaction each; a store written by a newer app version is refused, not altered.
    """
    with db.transaction():
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        row = db.query_one("SELECT version FROM schema_versions WHERE component = ?", (component,))
        current = int(row["version"]) if row else 0
        if current > len(migrations):
            raise StoreError(
                f"The store's {component} schema (v{current}) is newer than this app supports "
                f"(v{len(migrations)}); upgrade clinic-app."
            )
        for version in range(current + 1, len(migrations) + 1):
            for statement in _split(migrations[version - 1]):
                db.execute(statement)
        db.execute(
            "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
            "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
            (component, len(migrations)),
        )
    return len(migrations)


def _split(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    return [s.strip() for s in script.split(";") if s.strip()]
