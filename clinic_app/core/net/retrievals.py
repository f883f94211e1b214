"""Where each retrieve stands, so a half-received study is never shown as complete.

A study being retrieved carries the ``retrieving`` flag in the imaging index (the
worklist shows flags) from its first stored batch; the flag is cleared when the PACS
reports the retrieve finished. A retrieve that fails, is cancelled or drops leaves
``retrieve_incomplete`` instead, until a retry completes it. ``pacs_retrievals`` keeps
the last state per study for the panel and ``pacs retrieve --json``.
"""

from __future__ import annotations

from enum import StrEnum

from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE pacs_retrievals (
        study_uid TEXT PRIMARY KEY,
        node TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('retrieving', 'complete', 'incomplete')),
        expected INTEGER,
        received INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    )
    """,
]

FLAG_RETRIEVING = "retrieving"
FLAG_INCOMPLETE = "retrieve_incomplete"


class RetrieveState(StrEnum):
    RETRIEVING = "retrieving"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


def record(db: Database, study_uid: str, node: str, state: RetrieveState, *,
           expected: int | None, received: int, now: str) -> None:
    db.execute("INSERT OR REPLACE INTO pacs_retrievals(study_uid, node, state, expected, "
               "received, updated_at) VALUES (?,?,?,?,?,?)",
               (study_uid, node, state.value, expected, received, now))
    set_flags(db, study_uid, add={FLAG_RETRIEVING} if state is RetrieveState.RETRIEVING
              else {FLAG_INCOMPLETE} if state is RetrieveState.INCOMPLETE else set(),
              remove={FLAG_INCOMPLETE, FLAG_RETRIEVING} - (
                  {FLAG_RETRIEVING} if state is RetrieveState.RETRIEVING else
                  {FLAG_INCOMPLETE} if state is RetrieveState.INCOMPLETE else set()))


def state_of(db: Database, study_uid: str) -> RetrieveState | None:
    row = db.query_one("SELECT state FROM pacs_retrievals WHERE study_uid = ?", (study_uid,))
    return RetrieveState(row["state"]) if row is not None else None


def set_flags(db: Database, study_uid: str, *, add: set[str], remove: set[str]) -> None:
    """Change the study's flags (no-op if the study has no instances stored yet)."""
    row = db.query_one("SELECT id, flags FROM dicom_studies WHERE study_uid = ?", (study_uid,))
    if row is None:
        return
    flags = [f for f in (row["flags"] or "").split(",") if f and f not in remove]
    flags += sorted(f for f in add if f not in flags)
    joined = ",".join(flags)
    if joined != (row["flags"] or ""):
        db.execute("UPDATE dicom_studies SET flags = ? WHERE id = ?", (joined, row["id"]))
