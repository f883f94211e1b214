"""Stored records: the tables, the :class:`RecordQuery` reads, and the row writes.

Everything lives in the encrypted clinical database. Times are stored as UTC ISO text
with a 'Z' (``clock.iso``), which sorts chronologically, so "latest as of" is an index
range scan. Each fact row carries its provenance (source file name, resource id, import
time) and, for observations, the value and unit exactly as the source wrote them, so a
converted value can always be traced back.

Observations are identified by content (patient, fact, effective time, code, value): the
unique index both makes re-importing a file a no-op and serves the "latest" and
"history" queries. Conditions and medications are identified by their source resource
id when they have one (a later version of the same resource replaces the earlier one,
and the import reports it), otherwise by content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.records.clinical_rows import ClinicalRows
from clinic_app.core.records.facts import PatientFacts, PatientRecord
from clinic_app.core.records.observation_rows import (
    _INSERT_OBSERVATION,
    OBSERVATION_COLUMNS,
    ObservationRows,
)
from clinic_app.core.records.row_values import months_before
from clinic_app.core.records.schema import MIGRATIONS
from clinic_app.core.store.database import Row
from clinic_app.errors import InvalidInput

# Where callers (store components, benchmarks, tests) have always found them.
__all__ = ["MIGRATIONS", "OBSERVATION_COLUMNS", "_INSERT_OBSERVATION", "ImportLogEntry",
           "RecordRepository", "months_before"]


@dataclass(frozen=True)
class ImportLogEntry:
    source_file: str
    sha256: str
    format: str
    imported_at: datetime
    counts: dict[str, int]


class RecordRepository(ObservationRows, ClinicalRows):
    """Records in one clinical database: implements :class:`facts.RecordQuery`.

    Reads need no transaction; writes are called by the importer inside the service's
    ``db.transaction()`` so that one file is stored completely or not at all. The rows of
    each kind are read and written by the mixins (``observation_rows``, ``clinical_rows``);
    patients, the whole-patient view and the import log are here.
    """

    # -- patients -------------------------------------------------------------------------
    def _patient(self, row: Row, flags: tuple[str, ...] = ()) -> PatientRecord:
        birth = row["birth_date"]
        return PatientRecord(
            key=int(row["id"]), mrn=row["mrn"], issuer=row["issuer"], family=row["family"],
            given=row["given"], birth_date=date.fromisoformat(birth) if birth else None,
            sex=row["sex"], deceased=bool(row["deceased"]), flags=flags, race=row["race"],
            race_source=row["race_source"],
        )

    def _with_flags(self, rows: Sequence[Row]) -> list[PatientRecord]:
        from clinic_app.core.records.linking import conflict_flags

        plain = [self._patient(r) for r in rows]
        flags = conflict_flags(self.db, plain)
        return [self._patient(r, flags.get(int(r["id"]), ())) for r in rows]

    def patient(self, key: int) -> PatientRecord | None:
        rows = self.db.query("SELECT * FROM records_patients WHERE id = ?", (key,))
        return self._with_flags(rows)[0] if rows else None

    def patient_by_mrn(self, mrn: str, issuer: str | None = None) -> PatientRecord | None:
        """The patient with this MRN (and issuer, when given).

        Raises :class:`InvalidInput` when no issuer is given and the MRN exists under
        more than one issuer: picking one would be a guess.
        """
        if issuer is None:
            rows = self.db.query("SELECT * FROM records_patients WHERE mrn = ?", (mrn,))
            if len(rows) > 1:
                raise InvalidInput("More than one patient has this MRN under different issuers; "
                                   "give the issuer (identifier system) too.")
        else:
            rows = self.db.query("SELECT * FROM records_patients WHERE mrn = ? AND issuer = ?",
                                 (mrn, issuer))
        return self._with_flags(rows)[0] if rows else None

    def patients(self) -> list[PatientRecord]:
        rows = self.db.query("SELECT * FROM records_patients ORDER BY family, given, mrn, id")
        return self._with_flags(rows)

    def patient_count(self) -> int:
        row = self.db.query_one("SELECT count(*) AS n FROM records_patients")
        return int(row["n"]) if row else 0

    def patient_rows_by_mrn(self, mrn: str) -> list[Row]:
        return self.db.query("SELECT * FROM records_patients WHERE mrn = ?", (mrn,))

    def patient_row(self, mrn: str, issuer: str) -> Row | None:
        return self.db.query_one("SELECT * FROM records_patients WHERE mrn = ? AND issuer = ?",
                                 (mrn, issuer))

    def patient_keys_by_ref(self, ref: str) -> list[int]:
        rows = self.db.query("SELECT patient_id FROM records_patient_refs WHERE ref = ?", (ref,))
        return [int(r["patient_id"]) for r in rows]

    def birth_dates(self, keys: Iterable[int]) -> dict[int, date | None]:
        out: dict[int, date | None] = {}
        for key in set(keys):
            row = self.db.query_one("SELECT birth_date FROM records_patients WHERE id = ?", (key,))
            if row is not None:
                out[key] = date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
        return out

    def insert_patient(self, mrn: str, issuer: str, family: str, given: str,
                       birth_date: date | None, sex: str, deceased: bool, import_id: int,
                       resource_id: str, race: str | None = None, race_source: str = "") -> int:
        return self.db.insert(
            "INSERT INTO records_patients(mrn, issuer, family, given, birth_date, sex, deceased,"
            " import_id, resource_id, race, race_source) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (mrn, issuer, family, given, birth_date.isoformat() if birth_date else None, sex,
             int(deceased), import_id, resource_id, race, race_source))

    def update_patient(self, key: int, *, birth_date: date | None = None,
                       deceased: bool | None = None, race: str | None = None,
                       race_source: str = "") -> None:
        """Fill in what the stored record lacked (never overwrites a known value)."""
        if birth_date is not None:
            self.db.execute("UPDATE records_patients SET birth_date = ? WHERE id = ? "
                            "AND birth_date IS NULL", (birth_date.isoformat(), key))
        if deceased:
            self.db.execute("UPDATE records_patients SET deceased = 1 WHERE id = ?", (key,))
        if race is not None:
            self.db.execute("UPDATE records_patients SET race = ?, race_source = ? WHERE id = ? "
                            "AND race IS NULL", (race, race_source, key))

    def add_patient_refs(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Remember how imports referred to patients ((key, "Patient/123") pairs)."""
        self.db.executemany(
            "INSERT OR IGNORE INTO records_patient_refs(ref, patient_id) VALUES (?, ?)",
            [(ref, key) for key, ref in pairs if ref])

    # -- whole patient ------------------------------------------------------------------------
    def facts(self, patient_key: int, as_of: datetime) -> PatientFacts:
        """Everything known about a patient at ``as_of`` (latest value of each fact)."""
        patient = self.patient(patient_key)
        if patient is None:
            raise InvalidInput("No such patient in the store.")
        return PatientFacts(patient=patient, as_of=as_of,
                            observations=tuple(self.latest_all(patient_key, as_of)),
                            conditions=tuple(self.conditions(patient_key, as_of)),
                            medications=tuple(self.medications(patient_key, as_of)))

    # -- import log ---------------------------------------------------------------------------
    def begin_import(self, source_file: str, sha256: str, fmt: str,
                     imported_at: datetime) -> int:
        """Record an import (its facts point to this row as their provenance)."""
        return self.db.insert("INSERT INTO records_imports(source_file, sha256, format,"
                               " imported_at) VALUES (?,?,?,?)",
                               (source_file, sha256, fmt, iso(imported_at)))

    def finish_import(self, import_id: int, counts: dict[str, int]) -> None:
        self.db.execute("UPDATE records_imports SET counts = ? WHERE id = ?",
                        (json.dumps(counts, sort_keys=True), import_id))

    def imports(self) -> list[ImportLogEntry]:
        rows = self.db.query("SELECT * FROM records_imports ORDER BY id")
        return [ImportLogEntry(r["source_file"], r["sha256"], r["format"],
                               parse_iso(r["imported_at"]), json.loads(r["counts"]))
                for r in rows]


