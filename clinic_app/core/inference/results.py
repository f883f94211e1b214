"""Stored risk results (clinical store, so encrypted by SQLCipher like every clinical row).

A stored result is the whole answer as the clinician saw it: model id, version and
manifest hash, the provider that ran it, the value and category, flags, contributions,
and the input snapshot with each value's date and source, plus when, as of which date,
and by whom it was computed. What-if and trend computations are never stored.

A model that could not be computed for a patient stores no result, so the patient list
would not know why the score is absent. Its *not-computed outcome* (model id and
version, the reason, the missing inputs with what would supply them, when, as of which
date, by whom) is kept in ``risk_not_computed``: one row per patient and model, the
newest attempt. Saving a result for that patient and model deletes the row, so a row
that exists is always newer than every stored result of its model for that patient.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.inference.risk import MissingInput
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
    # 2: the newest not-computed outcome per patient and model (see the module docstring).
    """
    CREATE TABLE risk_not_computed (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        model_name TEXT NOT NULL,
        reason TEXT NOT NULL,
        missing TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        computed_by TEXT NOT NULL,
        UNIQUE (patient_id, model_id)
    )
    """,
]


class NotComputedOutcome(Protocol):
    """What a scoring attempt that produced no result says (``services.risk_scores.NotComputed``)."""

    @property
    def model_id(self) -> str: ...
    @property
    def model_version(self) -> str: ...
    @property
    def model_name(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def missing(self) -> Sequence[MissingInput]: ...


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

    computed = True  # a value exists (StoredNotComputed.computed is False)


@dataclass(frozen=True)
class StoredNotComputed:
    """The newest attempt to score a patient with a model that gave no result, and why."""

    id: int
    patient_key: int
    model_id: str
    model_version: str
    model_name: str
    reason: str  # "missing race (record the patient's race, …)", or why an input was refused
    missing: tuple[MissingInput, ...]  # each with what would supply it
    computed_at: datetime
    as_of: datetime
    computed_by: str

    computed = False
    value = None


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
            # A result supersedes the not-computed outcome of the same patient and model.
            self.db.executemany("DELETE FROM risk_not_computed WHERE patient_id = ? AND model_id = ?",
                                [(patient_key, r.model_id) for patient_key, r, _ in rows])
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

    def save_not_computed(self, rows: Sequence[tuple[int, NotComputedOutcome, datetime]], *,
                          computed_at: datetime, user: str) -> None:
        """Record (or replace) each patient's not-computed outcome of each model."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO risk_not_computed(patient_id, model_id, model_version, model_name, "
                "reason, missing, computed_at, as_of, computed_by) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(patient_id, model_id) DO UPDATE SET "
                "model_version = excluded.model_version, model_name = excluded.model_name, "
                "reason = excluded.reason, missing = excluded.missing, "
                "computed_at = excluded.computed_at, as_of = excluded.as_of, "
                "computed_by = excluded.computed_by",
                [(patient_key, n.model_id, n.model_version, n.model_name, n.reason,
                  json.dumps([{"input": m.name, "label": m.label, "supplied_by": m.supplied_by}
                              for m in n.missing], ensure_ascii=False),
                  iso(computed_at), iso(as_of), user) for patient_key, n, as_of in rows])

    def not_computed_all(self) -> list[StoredNotComputed]:
        """Every patient's newest not-computed outcome of each model."""
        rows = self.db.query("SELECT * FROM risk_not_computed ORDER BY patient_id, model_id")
        return [StoredNotComputed(
            id=int(r["id"]), patient_key=int(r["patient_id"]), model_id=r["model_id"],
            model_version=r["model_version"], model_name=r["model_name"], reason=r["reason"],
            missing=tuple(MissingInput(m["input"], m["label"], m["supplied_by"])
                          for m in json.loads(r["missing"])),
            computed_at=parse_iso(r["computed_at"]),
            as_of=parse_iso(r["as_of"]), computed_by=r["computed_by"]) for r in rows]

    def latest_outcomes(self) -> list[StoredResult | StoredNotComputed]:
        """The newest outcome of each model for every patient: a result, or why there is none."""
        outcomes: dict[tuple[int, str], StoredResult | StoredNotComputed] = {
            (r.patient_key, r.model_id): r for r in self.latest_all()}
        for n in self.not_computed_all():
            held = outcomes.get((n.patient_key, n.model_id))
            # A row exists only when no result was saved after it; the time check guards
            # against results written some other way.
            if held is None or held.computed_at <= n.computed_at:
                outcomes[(n.patient_key, n.model_id)] = n
        return [outcomes[k] for k in sorted(outcomes)]

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
