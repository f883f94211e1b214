"""The per-file duplicate-id check of streamed NDJSON, kept out of the process's memory.

Why: the check must remember every (resourceType, id) of a file, and a real Observation
export has millions of them; in a dict that is ~150 bytes each, so memory grew with the
file. :class:`StoreSeenIds` keeps them in a table of the encrypted store instead, written
inside the file's own import transaction: the rows are encrypted like every page, rolled
back with the file on a cancel or a crash, and deleted when the file is done. Only a
fixed-size digest of "type/id" is stored (never the id itself), with the line it was first
seen on and a 64-bit hash of that line (identical repeats are skipped, different content
is an error). Memory is then bounded by one batch of pending keys (:data:`FLUSH_KEYS`),
a fixed 16 MiB bit filter (a new id skips the lookup) and SQLite's page cache.

:class:`MemorySeenIds` gives the same answers from a dict, for reads without a store
(``read_ndjson``, the parse-only path) and as the tests' oracle.
"""

from __future__ import annotations

from hashlib import blake2b
from typing import Protocol

from clinic_app.core.store.database import Database

#: Pending keys written to the store at once (bounds the memory of the store variant:
#: ~200 bytes a key, so at most ~20 MiB). A file with fewer resources is checked in
#: memory alone and writes nothing to the table (measured: the table's inserts were a
#: tenth of a 50,000-resource NDJSON import).
FLUSH_KEYS = 100_000
#: Bits of the filter that lets a new id skip the store lookup (16 MiB, fixed): with two
#: bits per id, an id is looked up needlessly ~0.1 % of the time at 2 million ids, ~7 %
#: at 20 million; a lookup decides either way, so answers never depend on it.
FILTER_BITS = 1 << 27

_SELECT = "SELECT line, digest FROM records_import_seen WHERE key = ?"
_INSERT = "INSERT INTO records_import_seen (key, line, digest) VALUES (?, ?, ?)"


def id_key(rtype: str, rid: str) -> bytes:
    """128-bit digest of "type/id": fixed size whatever the id, collisions negligible
    (~1e-26 for two million ids)."""
    return blake2b(f"{rtype}/{rid}".encode(), digest_size=16).digest()


class SeenIds(Protocol):
    """Where a file's (type, id) were first seen."""

    def first(self, rtype: str, rid: str, digest: int, line: int) -> tuple[int, int] | None:
        """The (line, digest) this id was first seen with, or None after recording this
        sighting as the first."""
        ...

    def close(self) -> None:
        """Forget the file's ids (end of file)."""
        ...


class MemorySeenIds:
    """The check in a dict: memory grows with the file (~100 bytes per resource)."""

    def __init__(self) -> None:
        self._seen: dict[bytes, tuple[int, int]] = {}

    def first(self, rtype: str, rid: str, digest: int, line: int) -> tuple[int, int] | None:
        key = id_key(rtype, rid)
        found = self._seen.get(key)
        if found is None:
            self._seen[key] = (line, digest)
        return found

    def close(self) -> None:
        self._seen.clear()


class StoreSeenIds:
    """The check in ``records_import_seen``, inside the caller's import transaction."""

    def __init__(self, db: Database, flush_keys: int = FLUSH_KEYS) -> None:
        if not db.in_transaction:
            raise RuntimeError("the duplicate-id table is only written inside the import "
                               "transaction (so it rolls back with the file)")
        self._db = db
        self._flush_keys = flush_keys
        self._pending: dict[bytes, tuple[int, int]] = {}
        self._filter = bytearray(FILTER_BITS // 8)
        self._flushed = False
        db.execute("DELETE FROM records_import_seen")

    def first(self, rtype: str, rid: str, digest: int, line: int) -> tuple[int, int] | None:
        key = id_key(rtype, rid)
        found = self._pending.get(key)
        if found is not None:
            return found
        if self._flushed:  # the filter holds the keys in the table (none before a flush)
            one, two = _bits(key)
            table = self._filter
            if table[one >> 3] >> (one & 7) & 1 and table[two >> 3] >> (two & 7) & 1:
                row = self._db.query_one(_SELECT, (key,))
                if row is not None:
                    return int(row[0]), int(row[1])
        self._pending[key] = (line, digest)
        if len(self._pending) >= self._flush_keys:
            self._flush()
        return None

    def _flush(self) -> None:
        table = self._filter
        for key in self._pending:
            one, two = _bits(key)
            table[one >> 3] |= 1 << (one & 7)
            table[two >> 3] |= 1 << (two & 7)
        self._db.executemany(_INSERT, [(k, ln, d) for k, (ln, d) in self._pending.items()])
        self._pending.clear()
        self._flushed = True

    def close(self) -> None:
        self._pending.clear()
        self._db.execute("DELETE FROM records_import_seen")


def _bits(key: bytes) -> tuple[int, int]:
    """The key's two positions in the filter."""
    bits = int.from_bytes(key[:8], "little")
    return bits % FILTER_BITS, (bits >> 32) % FILTER_BITS
