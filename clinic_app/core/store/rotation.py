"""Clinical-key rotation: the clinical store and every blob re-encrypted under a new key.

A clinician who once held the clinical key keeps a copy of it after they leave. Rotation
makes that copy useless: a new key is sealed to the clinicians who are current *now*, the
blobs are re-encrypted one by one while the store stays in use, and the clinical database
is exported under the new key and switched in under the store lock.

Every step survives kill -9 and resumes:

* **start** records the rotation in the key ring (``rotation``) with the new key sealed to
  each current clinician (``rotation_seals``); nobody else can ever open it.
* **blobs** re-encrypts each blob file whose header names the old key (same id, written to
  a temporary file and renamed). A blob's header says which key it is under, so a resumed
  run skips the done ones, and a reader that holds both keys reads either.
* **switch** (store lock exclusive): re-encrypt the blobs written meanwhile, export the
  database to ``clinical.db.rotating`` under the new key and fsync it, mark the key ring
  ``switch``, replace ``clinical.db`` (dropping the old WAL, whose frames belong to the
  old file), then in one key-ring transaction give every current clinician the new sealed
  key, take it from everyone else, drop the recovery record (its shares opened the old key;
  new shares are set up afterwards) and end the rotation. A crash after the mark is
  finished by whoever opens the store next (:func:`finish_interrupted_switch`).

Keys derived from the clinical key that must outlive it (the audit pseudonym key: IT's
log names patients by it) are kept in the clinical database itself (``key_lineage``), so
they survive under the new key unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from clinic_app.core.security import keywrap
from clinic_app.core.store.blobs import (
    KEY_HEADER_BYTES,
    KEY_ID_BYTES,
    BlobStore,
    fsync_dir,
    fsync_file,
    key_id_of,
)
from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import Keyring
from clinic_app.core.store.layout import StoreLayout
from clinic_app.errors import Cancelled, StoreError

ROTATING_SUFFIX = ".rotating"
PSEUDONYM_PURPOSE = "audit-pseudonym-v1"

KEYRING_TABLES = """
CREATE TABLE IF NOT EXISTS rotation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    phase TEXT NOT NULL CHECK (phase IN ('blobs', 'switch')),
    new_key_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rotation_seals (
    user_id TEXT PRIMARY KEY,
    sealed BLOB NOT NULL
)
"""

#: Bookkeeping in the clinical database (its own migration component, ``key_lineage``).
MIGRATIONS = [
    """
    CREATE TABLE key_lineage (purpose TEXT PRIMARY KEY, key BLOB NOT NULL)
    """,
]


@dataclass(frozen=True)
class RotationState:
    phase: str
    new_key_id: str
    started_at: str
    started_by: str


def blob_store_for(layout: StoreLayout, clinical_key: bytes) -> BlobStore:
    """The blob store under a clinical key (the same derivation the service context uses)."""
    blob_key = keywrap.derive_subkey(clinical_key, "blobs-v1")
    return BlobStore(layout.blobs, blob_key, blob_key_id(clinical_key))


def blob_key_id(clinical_key: bytes) -> bytes:
    return hashlib.sha256(keywrap.derive_subkey(clinical_key, "blobs-v1")).digest()[:KEY_ID_BYTES]


def _tables(keyring: Keyring) -> None:
    with keyring.transaction() as conn:
        for statement in KEYRING_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)


def state(keyring: Keyring) -> RotationState | None:
    _tables(keyring)
    with keyring.transaction() as conn:
        row = conn.execute("SELECT phase, new_key_id, started_at, started_by FROM rotation").fetchone()
    return None if row is None else RotationState(*[str(v) for v in row])


def sealed_new_key(keyring: Keyring, user_id: str) -> bytes | None:
    _tables(keyring)
    with keyring.transaction() as conn:
        row = conn.execute("SELECT sealed FROM rotation_seals WHERE user_id = ?", (user_id,)).fetchone()
    return None if row is None else bytes(row[0])


def start(keyring: Keyring, seals: dict[str, bytes], new_key: bytes, started_at: str, started_by: str) -> None:
    """Record a new rotation with the new key sealed to ``seals``' users (one transaction)."""
    _tables(keyring)
    with keyring.transaction() as conn:
        if conn.execute("SELECT 1 FROM rotation").fetchone() is not None:
            raise StoreError("A key rotation is already in progress; resume it instead.")
        conn.execute("INSERT INTO rotation(id, phase, new_key_id, started_at, started_by) VALUES (1,'blobs',?,?,?)",
                     (blob_key_id(new_key).hex(), started_at, started_by))
        conn.executemany("INSERT INTO rotation_seals(user_id, sealed) VALUES (?, ?)", list(seals.items()))


def keep_lineage(clinical: Database, clinical_key: bytes) -> None:
    """Store the pseudonym key derived from the current key, once, before the key changes."""
    with clinical.transaction():
        clinical.execute("INSERT OR IGNORE INTO key_lineage(purpose, key) VALUES (?, ?)",
                         (PSEUDONYM_PURPOSE, keywrap.derive_subkey(clinical_key, PSEUDONYM_PURPOSE)))


def pseudonym_key(clinical: Database, clinical_key: bytes) -> bytes:
    """The audit pseudonym key: the one kept from before any rotation, else derived."""
    row = clinical.query_one("SELECT key FROM key_lineage WHERE purpose = ?", (PSEUDONYM_PURPOSE,))
    return bytes(row["key"]) if row is not None else keywrap.derive_subkey(clinical_key, PSEUDONYM_PURPOSE)


def _key_id_of(path: Path) -> bytes | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(KEY_HEADER_BYTES)
    except OSError:
        return None
    return key_id_of(head)


def blobs_under(layout: StoreLayout, key_id: bytes) -> list[str]:
    if not layout.blobs.exists():
        return []
    return [p.name for p in layout.blobs.glob("??/*")
            if not p.name.startswith(".") and _key_id_of(p) == key_id]


def reencrypt_blobs(layout: StoreLayout, old: BlobStore, new: BlobStore, kinds: Sequence[str],
                    *, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> tuple[int, list[str]]:
    """Re-encrypt every blob still under ``old`` into ``new`` (same ids).

    A blob's kind is bound into its associated data but not written in the file, so each
    kind the application writes is tried in turn. Returns (re-encrypted, unreadable ids):
    a blob that opens as no kind was already unreadable (damaged) and is left as it is.
    """
    todo = blobs_under(layout, old.key_id)
    done_paths: list[Path] = []
    unreadable: list[str] = []
    count = 0
    for n, blob_id in enumerate(todo, 1):
        if cancelled is not None and cancelled():
            raise Cancelled("Key rotation paused; run it again to continue where it stopped.")
        for kind in kinds:
            data = old.try_get(kind, blob_id)
            if data is not None:
                new.put(kind, data, blob_id=blob_id)
                done_paths.append(new.path_for(blob_id))
                count += 1
                break
        else:
            unreadable.append(blob_id)
        if progress is not None:
            progress(n, len(todo))
        if len(done_paths) >= 256:
            _sync(done_paths)
            done_paths = []
    _sync(done_paths)
    return count, unreadable


def _sync(paths: list[Path]) -> None:
    """fsync from a small pool: the kernel flushes them together (as the blob store's batches do)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fsync_file, paths))
    for folder in {p.parent for p in paths}:
        fsync_dir(folder)


def export_database(clinical: Database, target: Path, new_key: bytes) -> None:
    """Write the whole clinical database, as this connection sees it, under ``new_key``."""
    target.unlink(missing_ok=True)
    clinical.execute(f"ATTACH DATABASE ? AS rotated KEY \"x'{new_key.hex()}'\"", (str(target),))
    try:
        clinical.query("SELECT sqlcipher_export('rotated')")
        version = clinical.query_one("PRAGMA user_version")
        clinical.execute(f"PRAGMA rotated.user_version = {int(version[0]) if version else 0}")
    finally:
        clinical.execute("DETACH DATABASE rotated")
    fsync_file(target)


def mark_switch(keyring: Keyring) -> None:
    with keyring.transaction() as conn:
        conn.execute("UPDATE rotation SET phase = 'switch'")


def replace_database(layout: StoreLayout) -> None:
    """Put the exported file in place of ``clinical.db`` (the old WAL belongs to the old file)."""
    rotating = layout.clinical.with_name(layout.clinical.name + ROTATING_SUFFIX)
    if not rotating.exists():
        return  # already replaced before an interruption
    for suffix in ("-wal", "-shm"):
        Path(f"{layout.clinical}{suffix}").unlink(missing_ok=True)
    os.replace(rotating, layout.clinical)
    fsync_dir(layout.root)


def finish(keyring: Keyring, current_users: set[str]) -> None:
    """One key-ring transaction: new seals for ``current_users``, none for anyone else."""
    with keyring.transaction() as conn:
        seals = dict(conn.execute("SELECT user_id, sealed FROM rotation_seals").fetchall())
        for (user_id,) in conn.execute("SELECT user_id FROM users").fetchall():
            sealed = seals.get(user_id) if user_id in current_users else None
            conn.execute("UPDATE users SET sealed_clinical = ? WHERE user_id = ?", (sealed, user_id))
        conn.execute("DELETE FROM recovery")
        conn.execute("DELETE FROM rotation_seals")
        conn.execute("DELETE FROM rotation")
        keyring.bump_generation()


def finish_interrupted_switch(layout: StoreLayout, keyring: Keyring) -> bool:
    """At sign-in: complete a switch a crash interrupted (True if one was finished).

    Everyone sealed into the rotation was current when it started; a clinician disabled
    since then is refused at sign-in by the account check, and loses the key at the next
    rotation.
    """
    current = state(keyring)
    if current is None or current.phase != "switch":
        return False
    replace_database(layout)
    with keyring.transaction() as conn:
        users = {str(r[0]) for r in conn.execute("SELECT user_id FROM rotation_seals").fetchall()}
    finish(keyring, users)
    return True


def discard_partial_export(layout: StoreLayout) -> None:
    rotating = layout.clinical.with_name(layout.clinical.name + ROTATING_SUFFIX)
    rotating.unlink(missing_ok=True)
    shutil.rmtree(Path(f"{rotating}-journal"), ignore_errors=True)
