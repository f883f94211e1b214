"""Finding and removing blob files no committed row refers to.

A crash between writing a transaction's blobs and committing its rows leaves complete,
encrypted blob files that nothing refers to; a crash inside a write leaves a temporary file.
Both only waste space (they are ciphertext), but on a busy workstation that is tens of MB
per crash.

Which blobs are referred to is known only to the clinical database, which only a clinician
can open: IT never holds the clinical key. So the work is split by what each can prove:

* anyone allowed to collect (IT included) removes leftover temporary files, which were
  never renamed into place and so can never be referred to;
* a clinician's collection also reads every blob reference in the clinical database and
  removes the complete files no row names.

Blob references are found by column name: a column whose name ends in ``blob`` or
``blob_id``, in any table (docs/CONTRIBUTING.md states the rule; a test builds a full demo
store and checks that collection then finds no orphans, so a table that stores blob ids
under another name fails it). Collection holds the store lock exclusively, so no blob of a
transaction still in progress is ever taken for an orphan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinic_app.core.store.database import Database
from clinic_app.core.store.store_lock import StoreLock


@dataclass(frozen=True)
class GcReport:
    blob_files: int
    temp_files: int
    temp_bytes: int
    orphans: int | None          # None: not checked (no clinical key in this session)
    orphan_bytes: int | None
    removed: int
    removed_bytes: int
    dry_run: bool


def blob_columns(db: Database) -> list[tuple[str, str]]:
    """(table, column) pairs that hold blob ids, by the naming rule above."""
    found = []
    for row in db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        table = str(row["name"])
        for column in db.query(f'PRAGMA table_info("{table}")'):
            name = str(column["name"])
            if name.endswith(("blob", "blob_id")):
                found.append((table, name))
    return found


def referenced_blob_ids(db: Database) -> set[str]:
    referenced: set[str] = set()
    for table, column in blob_columns(db):
        # Names come from the database's own schema (sqlite_master), never from input.
        sql = f'SELECT "{column}" AS id FROM "{table}" WHERE "{column}" IS NOT NULL'  # noqa: S608
        for row in db.query(sql):
            referenced.add(str(row["id"]))
    return referenced


@dataclass(frozen=True)
class BlobCensus:
    blob_files: int
    blob_bytes: int
    stale_temp_files: int
    stale_temp_bytes: int


def census(blobs: Path, *, now: float, stale_after_s: float = 3600.0) -> BlobCensus:
    """Counts for the self-test, without the store lock: a temporary file older than an hour
    is a leftover of an interrupted write (a write in progress renames its file in seconds)."""
    files = [p for p in blobs.glob("??/*") if p.is_file()] if blobs.exists() else []
    complete = [p.stat().st_size for p in files if not p.name.startswith(".")]
    stale = [st.st_size for p in files if p.name.startswith(".") and p.name.endswith(".tmp")
             and now - (st := p.stat()).st_mtime > stale_after_s]
    return BlobCensus(len(complete), sum(complete), len(stale), sum(stale))


def collect(root: Path, blobs: Path, clinical: Database | None, *, dry_run: bool,
            lock_timeout_s: float = 120.0) -> GcReport:
    """Remove (or, with ``dry_run``, count) what can be proven unreferenced; see the module doc."""
    with StoreLock(root).hold(exclusive=True, timeout_s=lock_timeout_s):
        files = [p for p in blobs.glob("??/*") if p.is_file()] if blobs.exists() else []
        temps = [p for p in files if p.name.startswith(".") and p.name.endswith(".tmp")]
        complete = [p for p in files if not p.name.startswith(".")]
        orphans: list[Path] | None = None
        if clinical is not None:
            referenced = referenced_blob_ids(clinical)
            orphans = [p for p in complete if p.name not in referenced]
        doomed = temps + (orphans or [])
        sizes = {p: p.stat().st_size for p in doomed}
        removed = removed_bytes = 0
        if not dry_run:
            for path in doomed:
                path.unlink(missing_ok=True)
                removed += 1
                removed_bytes += sizes[path]
    return GcReport(
        blob_files=len(complete), temp_files=len(temps), temp_bytes=sum(sizes[p] for p in temps),
        orphans=None if orphans is None else len(orphans),
        orphan_bytes=None if orphans is None else sum(sizes[p] for p in orphans),
        removed=removed, removed_bytes=removed_bytes, dry_run=dry_run)
