"""The import journal: instances committed but not yet audited, in the same database.

The index lives in the clinical database, the audit log in the system database, so no
single transaction covers an import batch and its audit entry: a ``kill -9`` between the
two left instances committed with no import audit entry (3 of 20 runs). Each batch
therefore also writes, in its own transaction, one journal row per study it touched (the
cumulative count for this import run). The service deletes the rows after it has written
the audit entries; rows still there at the next import or listing belong to an import
that died, and are audited then (``"recovered": true``) and deleted. The result is
at-least-once auditing: an entry can be repeated (a crash after the audit, before the
delete), never missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.core.store.database import Database

MIGRATION = """
    CREATE TABLE dicom_import_journal (
        import_id TEXT NOT NULL,
        study_uid TEXT NOT NULL,
        patient_id TEXT NOT NULL DEFAULT '',
        imported INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        PRIMARY KEY (import_id, study_uid)
    )
    """


@dataclass(frozen=True)
class Pending:
    """Instances of one study committed by an import whose audit entry was not written."""

    import_id: str
    study_uid: str
    patient_id: str
    imported: int
    started_at: str


def record(db: Database, import_id: str, started_at: str,
           studies: dict[str, tuple[str, int]]) -> None:
    """Inside the batch's transaction: each study's cumulative count for this import."""
    for study_uid, (patient_id, imported) in studies.items():
        if imported:
            db.execute(
                "INSERT INTO dicom_import_journal(import_id, study_uid, patient_id, imported, "
                "started_at) VALUES (?,?,?,?,?) ON CONFLICT(import_id, study_uid) DO UPDATE "
                "SET imported = excluded.imported",
                (import_id, study_uid, patient_id, imported, started_at))


def pending(db: Database, *, exclude: str = "") -> list[Pending]:
    rows = db.query("SELECT * FROM dicom_import_journal WHERE import_id != ? "
                    "ORDER BY started_at, import_id, study_uid", (exclude,))
    return [Pending(r["import_id"], r["study_uid"], r["patient_id"], int(r["imported"]),
                    r["started_at"]) for r in rows]


def clear(db: Database, import_id: str) -> None:
    with db.transaction():
        db.execute("DELETE FROM dicom_import_journal WHERE import_id = ?", (import_id,))
