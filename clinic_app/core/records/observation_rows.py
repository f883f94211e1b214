"""Observation rows: the importer's bulk insert and the "latest as of" and history reads.

Observations are identified by content (patient, fact, effective time, code, value): the
unique index both makes re-importing a file a no-op and serves the "latest" and
"history" queries (an index range scan, since times are stored as sortable UTC text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.records import codes
from clinic_app.core.records.facts import Observation
from clinic_app.core.records.row_values import StoredRows, _aware, _flags, months_before
from clinic_app.core.store.database import Row

#: Observation rows as the importer builds them (every text column costs an allocation
#: per row in SQLCipher, so provenance is one ``records_imports`` row, not repeated text).
OBSERVATION_COLUMNS = ("patient_id", "name", "code", "effective", "value", "unit", "value_code",
                       "original_value", "original_unit", "status", "flags", "import_id",
                       "resource_id", "system", "display", "category", "interpretation",
                       "value_text")
_COLUMNS = ", ".join(OBSERVATION_COLUMNS)
_INSERT_OBSERVATION = (f"INSERT OR IGNORE INTO records_observations({_COLUMNS}) "  # noqa: S608
                       f"VALUES ({', '.join('?' * len(OBSERVATION_COLUMNS))})")


class ObservationRows(StoredRows):
    """The observation part of :class:`~clinic_app.core.records.repository.RecordRepository`."""

    def _total_changes(self) -> int:
        row = self.db.query_one("SELECT total_changes() AS n")
        return int(row["n"]) if row else 0

    def insert_observations(self, rows: Sequence[tuple[object, ...]]) -> int:
        """Insert rows (see :data:`OBSERVATION_COLUMNS`); returns how many were new."""
        before = self._total_changes()
        self.db.executemany(_INSERT_OBSERVATION, rows)
        return self._total_changes() - before

    def delete_facts_from_resource(self, key: int, resource_id: str,
                                   code: str | None = None) -> int:
        """Withdraw earlier facts imported from ``resource_id`` (a correction or an
        entered-in-error notice); returns how many rows went."""
        if code is not None:
            return self.db.execute("DELETE FROM records_observations WHERE patient_id = ? AND "
                                   "resource_id = ? AND code = ?", (key, resource_id, code))
        return sum(self.db.execute(f"DELETE FROM {table} WHERE patient_id = ? "  # noqa: S608
                                   "AND resource_id = ?", (key, resource_id))
                   for table in ("records_observations", "records_conditions", "records_medications",
                                 "records_allergies", "records_encounters", "records_reports"))

    def _observation(self, row: Row) -> Observation:
        return Observation(
            patient_key=int(row["patient_id"]), system=row["system"] or codes.LOINC,
            code=row["code"], name=row["name"], value=row["value"], unit=row["unit"],
            effective=parse_iso(row["effective"]), provenance=self._provenance(row),
            value_code=row["value_code"], flags=_flags(row["flags"]),
            original_value=row["original_value"] or "", original_unit=row["original_unit"] or "",
            display=row["display"] or "", category=row["category"] or "",
            interpretation=row["interpretation"] or "", value_text=row["value_text"],
        )

    def latest(self, patient_key: int, name: str, as_of: datetime,
               lookback_months: int | None = None) -> Observation | None:
        """Newest observation of ``name`` effective on or before ``as_of``.

        With ``lookback_months``, only observations within that many calendar months
        before ``as_of`` count. Ties at the same time go to the one imported last.
        """
        params: list[object] = [patient_key, name, _aware(as_of, "as_of")]
        sql = ("SELECT * FROM records_observations WHERE patient_id = ? AND name = ? "
               "AND effective <= ?")
        if lookback_months is not None:
            sql += " AND effective >= ?"
            params.append(iso(months_before(as_of, lookback_months)))
        row = self.db.query_one(sql + " ORDER BY effective DESC, id DESC LIMIT 1", params)
        return None if row is None else self._observation(row)

    def history(self, patient_key: int, name: str) -> list[Observation]:
        rows = self.db.query("SELECT * FROM records_observations WHERE patient_id = ? AND "
                             "name = ? ORDER BY effective, id", (patient_key, name))
        return [self._observation(r) for r in rows]

    def latest_all(self, patient_key: int, as_of: datetime) -> list[Observation]:
        """The latest observation of every fact name on or before ``as_of``."""
        rows = self.db.query("SELECT * FROM records_observations WHERE patient_id = ? AND "
                             "effective <= ? ORDER BY name, effective, id",
                             (patient_key, _aware(as_of, "as_of")))
        newest: dict[str, Row] = {}
        for row in rows:
            newest[row["name"]] = row
        return [self._observation(r) for r in newest.values()]

    def latest_with_history(self, patient_key: int,
                            as_of: datetime) -> list[tuple[Observation, Observation | None, int]]:
        """For every fact: (latest, the value before it or None, how many values) at
        ``as_of`` (the summary shows each value with its date and history)."""
        rows = self.db.query("SELECT * FROM records_observations WHERE patient_id = ? AND "
                             "effective <= ? ORDER BY name, effective, id",
                             (patient_key, _aware(as_of, "as_of")))
        newest: dict[str, list[Row]] = {}
        counts: dict[str, int] = {}
        for row in rows:
            name = row["name"]
            newest[name] = [*newest.get(name, [])[-1:], row]
            counts[name] = counts.get(name, 0) + 1
        return [(self._observation(pair[-1]),
                 self._observation(pair[0]) if len(pair) > 1 else None, counts[name])
                for name, pair in newest.items()]

    def observation_count(self, patient_key: int | None = None) -> int:
        if patient_key is None:
            row = self.db.query_one("SELECT count(*) AS n FROM records_observations")
        else:
            row = self.db.query_one("SELECT count(*) AS n FROM records_observations "
                                    "WHERE patient_id = ?", (patient_key,))
        return int(row["n"]) if row else 0

