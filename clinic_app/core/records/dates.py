"""FHIR ``date`` / ``dateTime`` text → Python values, strictly.

FHIR allows partial dates ("2019", "2019-04") and requires a time zone whenever a time is
given. We keep to that: a time without a zone is refused rather than assumed to be UTC
or local (either guess can move a value across midnight, and "latest as of" would then
pick the wrong one). A full date without a time means that day, stored as 00:00 UTC.
A partial date is reported with its precision so the caller can refuse or flag it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from clinic_app.errors import DateError as DateError

_DATETIME = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?")

#: How far ahead of this workstation's clock a timestamp may lie and still be kept
#: (flagged): clock skew between systems, and local times written as UTC ("Z") by an
#: exporter ahead of UTC, which puts a same-day time up to 14 hours ahead. A full day
#: covers both with margin; beyond it the date is impossible and the item is refused.
#: Date-only values mean "that day": two days covers every time zone.
FUTURE_TOLERANCE_TIME = timedelta(hours=24)
FUTURE_TOLERANCE_DATE = timedelta(days=2)
AHEAD_FLAG = ("dated ahead of this workstation's clock (within the tolerance for clock skew "
              "and time zones); kept — check the source system's clock")


@dataclass(frozen=True)
class Moment:
    value: datetime  # timezone-aware (UTC for date-only values)
    precision: str  # "year", "month", "day", "time"

    @property
    def partial(self) -> bool:
        return self.precision in ("year", "month")


def parse_datetime(text: object) -> Moment:
    """A FHIR dateTime (or date) as an aware datetime with its precision."""
    if not isinstance(text, str):
        raise DateError(f"expected a date or date-time string, got {type(text).__name__}")
    return _parse_text(text)


@lru_cache(maxsize=65536)
def _parse_text(text: str) -> Moment:
    """Cached: results of one lab run and both halves of a blood pressure share a time."""
    m = _DATETIME.fullmatch(text.strip())
    if m is None:
        raise DateError(f"'{text[:40]}' is not a FHIR date or date-time (YYYY-MM-DD or "
                        "YYYY-MM-DDThh:mm:ss+zz:zz)")
    year, month, day = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
    try:
        if m["time"] is None:
            value = datetime(year, month, day, tzinfo=UTC)
            precision = "day" if m["d"] else ("month" if m["m"] else "year")
            return Moment(value, precision)
        if m["tz"] is None:
            raise DateError(f"'{text[:40]}' has a time but no time zone; FHIR requires one "
                            "(add Z or +hh:mm)")
        time_text = m["time"]
        if "." in time_text:  # Python keeps microseconds: cut extra digits, never round up
            head, frac = time_text.split(".")
            time_text = f"{head}.{frac[:6].ljust(6, '0')}"
        if time_text.count(":") == 1:
            time_text += ":00"
        tz = "+00:00" if m["tz"] == "Z" else m["tz"]
        value = datetime.fromisoformat(f"{m['y']}-{m['m']}-{m['d']}T{time_text}{tz}")
    except ValueError as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(f"'{text[:40]}' is not a valid calendar date or time") from None
    return Moment(value.astimezone(UTC), "time")


def parse_date(text: object) -> tuple[date | None, str]:
    """A FHIR date: (the full date or None when partial, its precision)."""
    moment = parse_datetime(text)
    if moment.precision == "time":
        raise DateError(f"'{str(text)[:40]}' is a date-time; a date (YYYY-MM-DD) is expected")
    return (None if moment.partial else moment.value.date()), moment.precision


def in_future(moment: Moment, now: datetime) -> bool:
    """Beyond the tolerance ahead of ``now``: an impossible date (the item is refused)."""
    tolerance = FUTURE_TOLERANCE_TIME if moment.precision == "time" else FUTURE_TOLERANCE_DATE
    return moment.value > now + tolerance


def ahead(moment: Moment, now: datetime) -> bool:
    """Later than ``now`` but within the tolerance: kept and flagged (:data:`AHEAD_FLAG`).

    A date-only value of today is not ahead (it means the day, stored as its start).
    """
    return moment.value > now and not in_future(moment, now)
