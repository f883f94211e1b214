"""Where resources of types the app does not read are kept: one row each, in the
encrypted clinical database, with their JSON compressed.

A component of its own ("records_kept", versioned by :data:`MIGRATIONS`) so the records
tables and this one evolve independently. A resource is identified by type and id; a
re-import of the same content is "same" (nothing written), different content replaces
the stored one ("updated", flagged by the importer) so the store holds the latest
version. Resources without an id are identified by a digest of their content.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.core.records.batch import KeptResource
from clinic_app.core.records.upsert import Upsert
from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE records_kept_resources (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER REFERENCES records_patients(id),
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL,
        content BLOB NOT NULL,
        import_id INTEGER NOT NULL REFERENCES records_imports(id)
    );
    CREATE INDEX records_kept_patient ON records_kept_resources (patient_id, resource_type)
    """,
]


@dataclass(frozen=True)
class StoredResource:
    """A kept resource read back: its type, id and the JSON as received."""

    resource_type: str
    resource_id: str
    resource: Mapping[str, Any]


def _identity(item: KeptResource, digest: str) -> str:
    if item.resource_id:
        return f"{item.resource_type}/{item.resource_id}"
    return f"{item.resource_type}#sha256:{digest}"


class KeptResourceStore:
    """Reads and writes ``records_kept_resources`` (inside the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, item: KeptResource, patient_key: int | None, import_id: int) -> Upsert:
        """Store one resource; returns what it did."""
        digest = hashlib.sha256(item.content.encode("utf-8")).hexdigest()
        identity = _identity(item, digest)
        row = self.db.query_one("SELECT id, digest, patient_id FROM records_kept_resources "
                                "WHERE identity = ?", (identity,))
        if row is not None and row["digest"] == digest and row["patient_id"] == patient_key:
            return Upsert.SAME
        blob = zlib.compress(item.content.encode("utf-8"), 6)
        if row is not None:
            self.db.execute("UPDATE records_kept_resources SET patient_id = ?, digest = ?, "
                            "content = ?, import_id = ? WHERE id = ?",
                            (patient_key, digest, blob, import_id, row["id"]))
            return Upsert.UPDATED
        self.db.execute("INSERT INTO records_kept_resources(patient_id, resource_type, "
                        "resource_id, identity, digest, content, import_id) "
                        "VALUES (?,?,?,?,?,?,?)",
                        (patient_key, item.resource_type, item.resource_id, identity, digest,
                         blob, import_id))
        return Upsert.NEW

    def counts(self, patient_key: int | None) -> dict[str, int]:
        """Resource type → how many are kept for the patient (None: those linked to none)."""
        rows = self.db.query(
            "SELECT resource_type, count(*) AS n FROM records_kept_resources "
            "WHERE patient_id IS ? GROUP BY resource_type ORDER BY resource_type",
            (patient_key,))
        return {r["resource_type"]: int(r["n"]) for r in rows}

    def resources(self, patient_key: int | None,
                  resource_type: str | None = None) -> list[StoredResource]:
        """The kept resources of a patient (optionally of one type), in import order."""
        sql = ("SELECT resource_type, resource_id, content FROM records_kept_resources "
               "WHERE patient_id IS ?")
        args: tuple[object, ...] = (patient_key,)
        if resource_type is not None:
            sql += " AND resource_type = ?"
            args += (resource_type,)
        rows = self.db.query(sql + " ORDER BY id", args)
        return [StoredResource(r["resource_type"], r["resource_id"],
                               json.loads(zlib.decompress(r["content"]).decode("utf-8")))
                for r in rows]

    def total(self) -> int:
        return int(self.db.query("SELECT count(*) AS n FROM records_kept_resources")[0]["n"])
