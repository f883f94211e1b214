"""Shared by the records row readers: time and flag columns, and the import provenance.

Every fact row points at its ``records_imports`` row; :class:`StoredRows` caches those
per repository so a list of facts reads each import once.
"""

from __future__ import annotations

from datetime import date, datetime

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.records.facts import Provenance
from clinic_app.core.store.database import Database, Row


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


class StoredRows:
    """The database and the provenance cache the row mixins of the repository share."""

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

