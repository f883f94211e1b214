"""Dates and numbers as a reader of the current language expects them.

Display only: what is stored (UTC ISO text, numbers in canonical units) never passes
through here, so changing the language cannot change a record, an export or a score.

Both shipped languages write dates as ISO ``YYYY-MM-DD`` (the Chinese national standard
GB/T 7408 and an order no English reader misreads as month/day) and a point as the decimal
mark; the table is here so that a language which writes ``5,2`` or ``05.01.2026`` is one
entry, not a hunt through every screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clinic_app.i18n import Language, current_language


@dataclass(frozen=True)
class Conventions:
    date: str          # strftime pattern of a calendar day
    time: str          # hours and minutes
    seconds: str       # hours, minutes and seconds
    decimal: str       # decimal mark
    group: str         # thousands separator (only where grouping is asked for)


CONVENTIONS: dict[Language, Conventions] = {
    Language.ENGLISH: Conventions("%Y-%m-%d", "%H:%M", "%H:%M:%S", ".", ","),
    Language.CHINESE_SIMPLIFIED: Conventions("%Y-%m-%d", "%H:%M", "%H:%M:%S", ".", ","),
}


def conventions(language: Language | None = None) -> Conventions:
    return CONVENTIONS[language or current_language()]


def format_date(day: date | datetime) -> str:
    """A calendar day (a datetime is shown in its own zone: convert before calling)."""
    return day.strftime(conventions().date)


def format_datetime(moment: datetime, *, seconds: bool = False) -> str:
    c = conventions()
    return moment.strftime(f"{c.date} {c.seconds if seconds else c.time}")


def format_number(value: float, decimals: int = 0, *, grouped: bool = False) -> str:
    """``value`` rounded to ``decimals`` places with the language's marks.

    Clinical values are not grouped by default (``1234`` mg, not ``1,234``): a group mark
    is the decimal mark in some languages, and a misread dose is worse than a long number.
    """
    c = conventions()
    text = f"{value:{',' if grouped else ''}.{decimals}f}"
    return text.replace(",", "\0").replace(".", c.decimal).replace("\0", c.group)
