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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.records import codes
from clinic_app.core.records.facts import (
    Allergy,
    Condition,
    Confirmation,
    Encounter,
    Medication,
    Observation,
    PatientFacts,
    PatientRecord,
    Provenance,
    Report,
)
from clinic_app.core.store.database import Database, Row
from clinic_app.errors import InvalidInput

MIGRATIONS = [
    """
    CREATE TABLE records_imports (
        id INTEGER PRIMARY KEY,
        source_file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE records_patients (
        id INTEGER PRIMARY KEY,
        mrn TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        family TEXT NOT NULL DEFAULT '',
        given TEXT NOT NULL DEFAULT '',
        birth_date TEXT,
        sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        deceased INTEGER NOT NULL DEFAULT 0,
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (mrn, issuer)
    );
    CREATE TABLE records_patient_refs (
        ref TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        PRIMARY KEY (ref, patient_id)
    );
    CREATE TABLE records_observations (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        effective TEXT NOT NULL,
        value REAL,
        unit TEXT NOT NULL,
        value_code TEXT,
        original_value TEXT,
        original_unit TEXT,
        status TEXT NOT NULL,
        flags TEXT,
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL
    );
    CREATE UNIQUE INDEX records_observations_key ON records_observations
        (patient_id, name, effective, code, ifnull(value, ''), ifnull(value_code, ''));
    CREATE TABLE records_conditions (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        category TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        onset TEXT,
        abatement TEXT,
        clinical_status TEXT NOT NULL,
        verification_status TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity, category)
    );
    CREATE TABLE records_medications (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        classes TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        start TEXT,
        end TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    )
    """,
    # 2: race for the risk equations (None = not recorded) and what the source said.
    """
    ALTER TABLE records_patients ADD COLUMN race TEXT
        CHECK (race IS NULL OR race IN ('white', 'african_american', 'other'));
    ALTER TABLE records_patients ADD COLUMN race_source TEXT NOT NULL DEFAULT ''
    """,
    # 3: every fact kept. Observations of any code (system, the source's display, category,
    # interpretation, a non-numeric value as text); medications record whether a class was
    # recognised; allergies, encounters and diagnostic reports (groupings of observations);
    # inputs a physician confirmed (never facts: kept apart, with who and when).
    """
    ALTER TABLE records_observations ADD COLUMN system TEXT;
    ALTER TABLE records_observations ADD COLUMN display TEXT;
    ALTER TABLE records_observations ADD COLUMN category TEXT;
    ALTER TABLE records_observations ADD COLUMN interpretation TEXT;
    ALTER TABLE records_observations ADD COLUMN value_text TEXT;
    DROP INDEX records_observations_key;
    CREATE UNIQUE INDEX records_observations_key ON records_observations
        (patient_id, name, effective, code, ifnull(value, ''), ifnull(value_code, ''),
         ifnull(value_text, ''));
    ALTER TABLE records_medications ADD COLUMN recognised INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE records_allergies (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        clinical_status TEXT NOT NULL,
        verification_status TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        criticality TEXT NOT NULL DEFAULT '',
        onset TEXT,
        recorded TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE TABLE records_encounters (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        status TEXT NOT NULL,
        class_code TEXT NOT NULL DEFAULT '',
        type_display TEXT NOT NULL DEFAULT '',
        start TEXT,
        end TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE INDEX records_encounters_start ON records_encounters (patient_id, start);
    CREATE TABLE records_reports (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        status TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        effective TEXT,
        results TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE TABLE records_confirmations (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        feature TEXT NOT NULL,
        value TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        confirmed_by TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
    );
    CREATE INDEX records_confirmations_patient ON records_confirmations (patient_id, feature)
    """,
]

#: Observation rows as the importer builds them (every text column costs an allocation
#: per row in SQLCipher, so provenance is one ``records_imports`` row, not repeated text).
OBSERVATION_COLUMNS = ("patient_id", "name", "code", "effective", "value", "unit", "value_code",
                       "original_value", "original_unit", "status", "flags", "import_id",
                       "resource_id", "system", "display", "category", "interpretation",
                       "value_text")
_COLUMNS = ", ".join(OBSERVATION_COLUMNS)
_INSERT_OBSERVATION = (f"INSERT OR IGNORE INTO records_observations({_COLUMNS}) "  # noqa: S608
                       f"VALUES ({', '.join('?' * len(OBSERVATION_COLUMNS))})")

#: Verification statuses that mean "this condition does not count".
EXCLUDED_VERIFICATION = frozenset({"refuted", "entered-in-error"})
#: Clinical statuses under which a condition is present.
ACTIVE_CLINICAL = frozenset({"active", "recurrence", "relapse", "unknown", ""})
#: Medication statuses that make a medication current between its start and end.
ACTIVE_MEDICATION = frozenset({"active", "unknown"})
#: Statuses that were current until their end date.
ENDED_MEDICATION = frozenset({"completed", "stopped", "on-hold"})


def _ts(value: datetime | None) -> str | None:
    return None if value is None else iso(value)


def _dt(text: str | None) -> datetime | None:
    return None if text is None else parse_iso(text)


def _aware(value: datetime, what: str) -> str:
    if value.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware (use UTC)")
    return iso(value)


def _flags(text: str | None) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months (the day clamps to the month's length)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - date(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass(frozen=True)
class ImportLogEntry:
    source_file: str
    sha256: str
    format: str
    imported_at: datetime
    counts: dict[str, int]


class RecordRepository:
    """Records in one clinical database: implements :class:`facts.RecordQuery`.

    Reads need no transaction; writes are called by the importer inside the service's
    ``db.transaction()`` so that one file is stored completely or not at all.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._imports: dict[int, tuple[str, datetime]] = {}

    def _provenance(self, row: Row) -> Provenance:
        import_id = int(row["import_id"])
        hit = self._imports.get(import_id)
        if hit is None:
            irow = self.db.query_one("SELECT source_file, imported_at FROM records_imports "
                                     "WHERE id = ?", (import_id,))
            assert irow is not None, "import_id is a foreign key"
            hit = (irow["source_file"], parse_iso(irow["imported_at"]))
            self._imports[import_id] = hit
        return Provenance(hit[0], row["resource_id"], hit[1])

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

    # -- observations -----------------------------------------------------------------------
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

    # -- conditions ---------------------------------------------------------------------------
    def upsert_condition(self, key: int, identity: str, category: str, system: str, code: str,
                         display: str, onset: datetime | None, abatement: datetime | None,
                         clinical_status: str, verification_status: str,
                         flags: tuple[str, ...], import_id: int, resource_id: str) -> str:
        """Store one condition row; returns "new", "same" or "updated"."""
        content = (system, code, display, _ts(onset), _ts(abatement), clinical_status,
                   verification_status)
        return self._upsert(
            "records_conditions", {"patient_id": key, "identity": identity, "category": category},
            dict(zip(("system", "code", "display", "onset", "abatement", "clinical_status",
                      "verification_status"), content, strict=True)),
            flags, import_id, resource_id)

    def upsert_medication(self, key: int, identity: str, system: str, code: str, display: str,
                          classes: tuple[str, ...], status: str, start: datetime | None,
                          end: datetime | None, flags: tuple[str, ...], import_id: int,
                          resource_id: str, recognised: bool = True) -> str:
        """Store one medication row; returns "new", "same" or "updated"."""
        content = {"system": system, "code": code, "display": display,
                   "classes": ",".join(classes), "status": status, "start": _ts(start),
                   "end": _ts(end), "recognised": int(recognised)}
        return self._upsert("records_medications", {"patient_id": key, "identity": identity},
                            content, flags, import_id, resource_id)

    def _upsert(self, table: str, key: Mapping[str, object], content: Mapping[str, object],
                flags: tuple[str, ...], import_id: int, resource_id: str) -> str:
        where = " AND ".join(f"{c} = ?" for c in key)
        row = self.db.query_one(f"SELECT * FROM {table} WHERE {where}",  # noqa: S608
                                tuple(key.values()))
        if row is not None and all(row[c] == v for c, v in content.items()):
            return "same"
        values = {**key, **content, "flags": "\n".join(flags), "import_id": import_id,
                  "resource_id": resource_id}
        if row is not None:
            sets = ", ".join(f"{c} = ?" for c in values)
            self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",  # noqa: S608
                            (*values.values(), row["id"]))
            return "updated"
        self.db.execute(f"INSERT INTO {table}({', '.join(values)}) "  # noqa: S608
                        f"VALUES ({', '.join('?' * len(values))})", tuple(values.values()))
        return "new"

    def _condition(self, row: Row) -> Condition:
        return Condition(
            patient_key=int(row["patient_id"]), system=row["system"], code=row["code"],
            category=row["category"], display=row["display"], onset=_dt(row["onset"]),
            abatement=_dt(row["abatement"]), clinical_status=row["clinical_status"],
            verification_status=row["verification_status"],
            provenance=self._provenance(row),
        )

    def conditions(self, patient_key: int, as_of: datetime) -> list[Condition]:
        """Conditions counting as present at ``as_of``.

        Refuted and entered-in-error never count; nor does a condition whose onset is
        after ``as_of``. A "history" category (stroke/TIA/thromboembolism, vascular
        disease) counts once it has happened, even when resolved. A "state" category counts
        while active, or when resolved/inactive only before its abatement date.
        """
        stamp = _aware(as_of, "as_of")
        rows = self.db.query("SELECT * FROM records_conditions WHERE patient_id = ? "
                             "ORDER BY category, onset, id", (patient_key,))
        present = []
        for row in rows:
            if row["verification_status"] in EXCLUDED_VERIFICATION:
                continue
            if row["onset"] is not None and row["onset"] > stamp:
                continue
            history = codes.CONDITION_CATEGORIES[row["category"]].kind == "history"
            abated = row["abatement"] is not None and row["abatement"] <= stamp
            # A resolved condition with a later abatement date was still active at as_of.
            active_then = not abated and (row["clinical_status"] in ACTIVE_CLINICAL
                                          or row["abatement"] is not None)
            if history or active_then:
                present.append(self._condition(row))
        return present

    def all_conditions(self, patient_key: int) -> list[Condition]:
        rows = self.db.query("SELECT * FROM records_conditions WHERE patient_id = ? "
                             "ORDER BY category, onset, id", (patient_key,))
        return [self._condition(r) for r in rows]

    # -- medications --------------------------------------------------------------------------
    def _medication(self, row: Row) -> Medication:
        return Medication(
            patient_key=int(row["patient_id"]), system=row["system"], code=row["code"],
            display=row["display"],
            classes=tuple(c for c in row["classes"].split(",") if c),
            status=row["status"], start=_dt(row["start"]), end=_dt(row["end"]),
            provenance=self._provenance(row), recognised=bool(row["recognised"]),
        )

    def medications(self, patient_key: int, as_of: datetime) -> list[Medication]:
        """Medications being taken at ``as_of``.

        Active (or status unknown) between start and end, or completed/stopped/on-hold
        but only up to a known end date. A completed medication with no end date does not
        count: when it stopped is not known.
        """
        stamp = _aware(as_of, "as_of")
        rows = self.db.query("SELECT * FROM records_medications WHERE patient_id = ? "
                             "ORDER BY start, id", (patient_key,))
        out = []
        for row in rows:
            if row["start"] is not None and row["start"] > stamp:
                continue
            if row["end"] is not None and row["end"] < stamp:
                continue
            if row["status"] in ACTIVE_MEDICATION or (
                    row["status"] in ENDED_MEDICATION and row["end"] is not None):
                out.append(self._medication(row))
        return out

    def all_medications(self, patient_key: int) -> list[Medication]:
        rows = self.db.query("SELECT * FROM records_medications WHERE patient_id = ? "
                             "ORDER BY start, id", (patient_key,))
        return [self._medication(r) for r in rows]

    # -- allergies, encounters, reports --------------------------------------------------------
    def upsert_other(self, table: str, key: int, identity: str, content: Mapping[str, object],
                     flags: tuple[str, ...], import_id: int, resource_id: str) -> str:
        """Store an allergy, encounter or report row; returns "new", "same" or "updated"."""
        if table not in ("records_allergies", "records_encounters", "records_reports"):
            raise ValueError(f"not a records table: {table}")
        return self._upsert(table, {"patient_id": key, "identity": identity}, content, flags,
                            import_id, resource_id)

    def allergies(self, patient_key: int) -> list[Allergy]:
        """Every allergy not refuted (entered-in-error ones are never stored)."""
        rows = self.db.query("SELECT * FROM records_allergies WHERE patient_id = ? AND "
                             "verification_status != 'refuted' ORDER BY display, id",
                             (patient_key,))
        return [Allergy(int(r["patient_id"]), r["system"], r["code"], r["display"],
                        r["clinical_status"], r["verification_status"], r["category"],
                        r["criticality"], _dt(r["onset"]), _dt(r["recorded"]),
                        self._provenance(r)) for r in rows]

    def encounters(self, patient_key: int, limit: int = 50) -> list[Encounter]:
        """The most recent encounters, newest first."""
        rows = self.db.query("SELECT * FROM records_encounters WHERE patient_id = ? "
                             "ORDER BY start DESC, id DESC LIMIT ?", (patient_key, limit))
        return [Encounter(int(r["patient_id"]), r["status"], r["class_code"],
                          r["type_display"], _dt(r["start"]), _dt(r["end"]),
                          self._provenance(r)) for r in rows]

    def reports(self, patient_key: int) -> list[Report]:
        rows = self.db.query("SELECT * FROM records_reports WHERE patient_id = ? "
                             "ORDER BY effective DESC, id DESC", (patient_key,))
        return [Report(int(r["patient_id"]), r["status"], r["system"], r["code"], r["display"],
                       _dt(r["effective"]), tuple(x for x in r["results"].split("\n") if x),
                       self._provenance(r)) for r in rows]

    # -- confirmations (a physician's answer, kept apart from facts) ---------------------------
    def add_confirmation(self, patient_key: int, feature: str, value: str, subject: str,
                         reason: str, confirmed_by: str, confirmed_at: datetime) -> int:
        return self.db.insert(
            "INSERT INTO records_confirmations(patient_id, feature, value, subject, reason,"
            " confirmed_by, confirmed_at) VALUES (?,?,?,?,?,?,?)",
            (patient_key, feature, value, subject, reason, confirmed_by,
             _aware(confirmed_at, "confirmed_at")))

    def confirmation(self, patient_key: int, feature: str, subject: str,
                     as_of: datetime) -> Confirmation | None:
        row = self.db.query_one(
            "SELECT * FROM records_confirmations WHERE patient_id = ? AND feature = ? AND "
            "subject = ? AND confirmed_at <= ? ORDER BY confirmed_at DESC, id DESC LIMIT 1",
            (patient_key, feature, subject, _aware(as_of, "as_of")))
        if row is None:
            return None
        return Confirmation(int(row["patient_id"]), row["feature"], row["value"],
                            row["subject"], row["reason"], row["confirmed_by"],
                            parse_iso(row["confirmed_at"]))

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


