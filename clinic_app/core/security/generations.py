"""Rollback and truncation detection across the three stores.

Each store carries a counter that only goes up, and records the others' counters:

* the key ring's *generation* advances with every change to key material; it keeps a copy
  of the audit head (the system store's counter) and the highest clinical generation seen;
* the system store's counter is its audit head (every change to it is audited); each
  append records, in the same commit, the key ring's generation and checkpoint;
* the clinical store's generation advances with every audited action of a clinician, and
  records the audit head and the key ring's generation it saw.

Copies are written only after the store they describe has committed, so a crash leaves a
copy behind, never ahead: "behind" is normal, "ahead" means a file was put back. When
*some* files are older than the others, sign-in stops with an integrity error. When *all*
of them are put back together no local check can tell (docs/security.md says so); the
exported, signed audit checkpoint is the off-machine anchor for that case.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import SEEN_CLINICAL, Keyring
from clinic_app.errors import IntegrityError

ADVICE = (" Files of the store were put back from an older copy, or deleted. Preserve the store "
          "folder as it is and tell the privacy officer; do not keep working on it.")


@dataclass(frozen=True)
class SystemCounters:
    keyring: int
    checkpoint: int


def system_counters(db: Database) -> SystemCounters:
    rows = {str(r["name"]): int(r["value"])
            for r in db.query("SELECT name, value FROM store_generations")}
    return SystemCounters(rows.get("keyring", 0), rows.get("checkpoint", 0))


def record_in_system(db: Database, keyring: Keyring) -> None:
    """Inside an audit append's transaction: note the key ring's counters as they are now."""
    checkpoint = keyring.audit_checkpoint()
    for name, value in (("keyring", keyring.generation()),
                        ("checkpoint", 0 if checkpoint is None else checkpoint[0])):
        db.execute("INSERT INTO store_generations(name, value) VALUES (?, ?) ON CONFLICT(name)"
                   " DO UPDATE SET value = max(value, excluded.value)", (name, value))


def _clinical_meta(db: Database) -> dict[str, int]:
    return {str(r["key"]): int(r["value"]) for r in db.query(
        "SELECT key, value FROM clinical_generations WHERE key IN ('generation', 'seen_system', 'seen_keyring')")}


def advance_clinical(db: Database, keyring: Keyring, audit_seq: int) -> None:
    """After an audited clinical action committed: one more clinical generation, recording
    the audit head and key-ring generation; the key ring learns the new generation only
    after the clinical store has committed it."""
    with db.transaction():
        for key, value in (("generation", None), ("seen_system", audit_seq),
                           ("seen_keyring", keyring.generation())):
            if value is None:
                db.execute("INSERT INTO clinical_generations(key, value) VALUES ('generation', '1')"
                           " ON CONFLICT(key) DO UPDATE SET"
                           " value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")
            else:
                db.execute("INSERT INTO clinical_generations(key, value) VALUES (?, ?) ON CONFLICT(key)"
                           " DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), ?) AS TEXT)",
                           (key, str(value), value))
        generation = _clinical_meta(db)["generation"]
    db.after_commit(lambda: keyring.raise_meta_counter(SEEN_CLINICAL, generation))


def check_system(keyring: Keyring, db: Database, head: tuple[int, bytes] | None) -> None:
    """Key ring against system store; raises IntegrityError on a partial rollback."""
    counters = system_counters(db)
    checkpoint = keyring.audit_checkpoint()
    head_seq = 0 if head is None else head[0]
    if checkpoint is None:
        if counters.checkpoint > 0:
            raise IntegrityError("The key ring's copy of the audit log head is missing." + ADVICE)
    else:
        seq, mac = checkpoint
        if seq > head_seq:
            raise IntegrityError(
                f"The audit log ends at entry {head_seq} but the key ring recorded entry {seq}: "
                "the system store is older than the key ring, or its log was cut." + ADVICE)
        if seq < counters.checkpoint:
            raise IntegrityError("The key ring's copy of the audit head is older than the system "
                                 "store records: the key ring was put back." + ADVICE)
        row = db.query_one("SELECT mac FROM audit WHERE seq = ?", (seq,))
        if seq and (row is None or not hmac.compare_digest(bytes(row["mac"]), mac)):
            raise IntegrityError(f"Audit entry {seq} differs from the key ring's copy of it." + ADVICE)
    if keyring.generation() < counters.keyring:
        raise IntegrityError("The key ring is older than the system store records: it was put "
                             "back from an older copy." + ADVICE)


def check_clinical(keyring: Keyring, db: Database, head: tuple[int, bytes] | None) -> None:
    """Clinical store against the other two (run with the clinical key, before any append)."""
    meta = _clinical_meta(db)
    head_seq = 0 if head is None else head[0]
    if meta.get("seen_system", 0) > head_seq:
        raise IntegrityError("The system store (accounts, audit log) is older than the clinical "
                             "store records: it was put back from an older copy." + ADVICE)
    if meta.get("seen_keyring", 0) > keyring.generation():
        raise IntegrityError("The key ring is older than the clinical store records: it was put "
                             "back from an older copy." + ADVICE)
    if meta.get("generation", 0) < int(keyring.get_meta(SEEN_CLINICAL) or 0):
        raise IntegrityError("The clinical store is older than the key ring records: it was put "
                             "back from an older copy." + ADVICE)
