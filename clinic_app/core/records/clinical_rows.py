"""Condition, medication, allergy, encounter and report rows, and physicians' confirmations.

Conditions and medications are identified by their source resource id when they have
one (a later version of the same resource replaces the earlier one, and the import
reports it), otherwise by content. Confirmations are a physician's answer for an input
the record left uncertain: their own table, never a fact row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from clinic_app.core.clock import parse_iso
from clinic_app.core.records import codes
from clinic_app.core.records.facts import (
    Allergy,
    Condition,
    Confirmation,
    Encounter,
    Medication,
    Report,
)
from clinic_app.core.records.row_values import StoredRows, _aware, _dt, _ts
from clinic_app.core.records.upsert import Upsert
from clinic_app.core.store.database import Row

#: Verification statuses that mean "this condition does not count".
EXCLUDED_VERIFICATION = frozenset({"refuted", "entered-in-error"})
#: Clinical statuses under which a condition is present.
ACTIVE_CLINICAL = frozenset({"active", "recurrence", "relapse", "unknown", ""})
#: Medication statuses that make a medication current between its start and end.
ACTIVE_MEDICATION = frozenset({"active", "unknown"})
#: Statuses that were current until their end date.
ENDED_MEDICATION = frozenset({"completed", "stopped", "on-hold"})


class ClinicalRows(StoredRows):
    """The problem-list, medication and other clinical part of the repository."""

    # -- conditions ---------------------------------------------------------------------------
    def upsert_condition(self, key: int, identity: str, category: str, system: str, code: str,
                         display: str, onset: datetime | None, abatement: datetime | None,
                         clinical_status: str, verification_status: str,
                         flags: tuple[str, ...], import_id: int, resource_id: str) -> Upsert:
        """Store one condition row; returns what it did."""
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
                          resource_id: str, recognised: bool = True) -> Upsert:
        """Store one medication row; returns what it did."""
        content = {"system": system, "code": code, "display": display,
                   "classes": ",".join(classes), "status": status, "start": _ts(start),
                   "end": _ts(end), "recognised": int(recognised)}
        return self._upsert("records_medications", {"patient_id": key, "identity": identity},
                            content, flags, import_id, resource_id)

    def _upsert(self, table: str, key: Mapping[str, object], content: Mapping[str, object],
                flags: tuple[str, ...], import_id: int, resource_id: str) -> Upsert:
        where = " AND ".join(f"{c} = ?" for c in key)
        row = self.db.query_one(f"SELECT * FROM {table} WHERE {where}",  # noqa: S608
                                tuple(key.values()))
        if row is not None and all(row[c] == v for c, v in content.items()):
            return Upsert.SAME
        values = {**key, **content, "flags": "\n".join(flags), "import_id": import_id,
                  "resource_id": resource_id}
        if row is not None:
            sets = ", ".join(f"{c} = ?" for c in values)
            self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",  # noqa: S608
                            (*values.values(), row["id"]))
            return Upsert.UPDATED
        self.db.execute(f"INSERT INTO {table}({', '.join(values)}) "  # noqa: S608
                        f"VALUES ({', '.join('?' * len(values))})", tuple(values.values()))
        return Upsert.NEW

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
                     flags: tuple[str, ...], import_id: int, resource_id: str) -> Upsert:
        """Store an allergy, encounter or report row; returns what it did."""
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

