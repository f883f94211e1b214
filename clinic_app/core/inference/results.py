"""Stored risk results (clinical store, so encrypted by SQLCipher like every clinical row).

A stored result is the whole answer as the clinician saw it: model id, version and
manifest hash, the provider that ran it, the value and category, flags, contributions,
and the input snapshot with each value's date and source, plus when, as of which date,
and by whom it was computed. What-if and trend computations are never stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.store.database import Database, Row

if TYPE_CHECKING:
    from clinic_app.core.inference.risk import RiskResult

MIGRATIONS = [
    """
    CREATE TABLE risk_results (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        provider TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        category TEXT,
        flags TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        computed_by TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX risk_results_patient ON risk_results(patient_id, model_id, computed_at)
    """,
]


@dataclass(frozen=True)
class StoredResult:
    id: int
    patient_key: int
    model_id: str
    model_version: str
    manifest_sha256: str
    provider: str
    value: float
    unit: str
    category: str | None
    flags: tuple[str, ...]
    computed_at: datetime
    as_of: datetime
    computed_by: str
    detail: dict[str, Any]  # RiskResult.to_json(): inputs with dates and sources, contributions


class ResultStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, patient_key: int, result: RiskResult, *, computed_at: datetime,
             as_of: datetime, user: str) -> int:
        return self.save_many([(patient_key, result, as_of)], computed_at=computed_at, user=user)[0]

    def save_many(self, rows: Sequence[tuple[int, RiskResult, datetime]], *, computed_at: datetime,
                  user: str) -> list[int]:
        ids = []
        with self.db.transaction():
            for patient_key, r, as_of in rows:
                ids.append(self.db.execute(
                    "INSERT INTO risk_results(patient_id, model_id, model_version, manifest_sha256, "
                    "provider, value, unit, category, flags, computed_at, as_of, computed_by, detail) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (patient_key, r.model_id, r.model_version, r.manifest_sha256, r.provider,
                     r.value, r.unit, r.category, json.dumps(list(r.flags), ensure_ascii=False),
                     iso(computed_at), iso(as_of), user,
                     json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True))))
        return ids

    def latest_all(self) -> list[StoredResult]:
        """The newest stored result of each model for every patient (the patient list)."""
        rows = self.db.query(
            "SELECT r.* FROM risk_results r JOIN (SELECT patient_id, model_id, max(id) AS id "
            "FROM risk_results GROUP BY patient_id, model_id) newest ON newest.id = r.id "
            "ORDER BY r.patient_id, r.model_id")
        return [self._stored(r) for r in rows]

    def for_patient(self, patient_key: int, model_id: str | None = None) -> list[StoredResult]:
        sql = "SELECT * FROM risk_results WHERE patient_id = ?"
        params: list[object] = [patient_key]
        if model_id is not None:
            sql += " AND model_id = ?"
            params.append(model_id)
        rows = self.db.query(sql + " ORDER BY computed_at, id", params)
        return [self._stored(r) for r in rows]

    @staticmethod
    def _stored(r: Row) -> StoredResult:
        return StoredResult(
            id=int(r["id"]), patient_key=int(r["patient_id"]), model_id=r["model_id"],
            model_version=r["model_version"], manifest_sha256=r["manifest_sha256"],
            provider=r["provider"], value=float(r["value"]), unit=r["unit"], category=r["category"],
            flags=tuple(json.loads(r["flags"])), computed_at=parse_iso(r["computed_at"]),
            as_of=parse_iso(r["as_of"]), computed_by=r["computed_by"],
            detail=json.loads(r["detail"]))
