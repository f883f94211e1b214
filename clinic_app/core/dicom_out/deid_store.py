"""What de-identified exports remember, in the encrypted clinical store.

The site secret (UIDs and pseudonyms are keyed hashes under it), each patient's
pseudonym and date shift (so a re-export of the same patient keeps both), and each
job's date, user and UID map (original → replacement), for re-identification by
authorised staff only: the map never leaves the store.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from clinic_app.core.dicom_out.deid import Pseudonym
from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE deid_site (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        secret BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE deid_patients (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,
        pseudonym TEXT NOT NULL UNIQUE,
        shift_days INTEGER NOT NULL CHECK (shift_days != 0),
        created_at TEXT NOT NULL
    );
    CREATE TABLE deid_jobs (
        id INTEGER PRIMARY KEY,
        patient_row INTEGER NOT NULL REFERENCES deid_patients(id),
        created_at TEXT NOT NULL,
        user TEXT NOT NULL,
        instances INTEGER NOT NULL,
        records INTEGER NOT NULL
    );
    CREATE TABLE deid_uid_map (
        job_id INTEGER NOT NULL REFERENCES deid_jobs(id),
        original TEXT NOT NULL,
        replacement TEXT NOT NULL
    );
    CREATE INDEX deid_uid_map_job ON deid_uid_map(job_id)
    """,
]

#: Dates move back by one to ten years: far enough that no real date survives.
SHIFT_RANGE_DAYS = (365, 3650)


def site_secret(db: Database, now: str) -> bytes:
    row = db.query_one("SELECT secret FROM deid_site WHERE id = 1")
    if row is not None:
        return bytes(row["secret"])
    secret = secrets.token_bytes(32)
    db.execute("INSERT INTO deid_site(id, secret, created_at) VALUES (1, ?, ?)", (secret, now))
    return secret


def patient_pseudonym(db: Database, identity: str, secret: bytes, now: str) -> tuple[int, Pseudonym]:
    """The patient's stored pseudonym and date shift, created on the first export."""
    row = db.query_one("SELECT id, pseudonym, shift_days FROM deid_patients WHERE identity = ?",
                       (identity,))
    if row is None:
        tag = hmac.new(secret, b"patient|" + identity.encode(), hashlib.sha256).hexdigest()
        pseudonym = "ANON-" + tag[:12].upper()
        low, high = SHIFT_RANGE_DAYS
        shift = -(low + secrets.randbelow(high - low))
        row_id = db.insert("INSERT INTO deid_patients(identity, pseudonym, shift_days, created_at) "
                           "VALUES (?,?,?,?)", (identity, pseudonym, shift, now))
        return row_id, Pseudonym(secret, pseudonym, shift)
    return int(row["id"]), Pseudonym(secret, str(row["pseudonym"]), int(row["shift_days"]))


def record_job(db: Database, patient_row: int, user: str, now: str, instances: int,
               records: int, uid_map: Mapping[str, str]) -> int:
    job = db.insert("INSERT INTO deid_jobs(patient_row, created_at, user, instances, records) "
                    "VALUES (?,?,?,?,?)", (patient_row, now, user, instances, records))
    for original, replacement in uid_map.items():
        db.execute("INSERT INTO deid_uid_map(job_id, original, replacement) VALUES (?,?,?)",
                   (job, original, replacement))
    return job
