"""How values are written on screen: times in the workstation's local zone, sizes, roles.

The store keeps UTC ISO text (``2026-01-05T09:00:00.000000Z``); people read local time,
so every screen converts with the same function and says which zone it shows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QCoreApplication

from clinic_app.core.clock import iso, parse_iso
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.i18n.formats import format_datetime, format_number

ROLE_TITLES = {"admin": QT_TRANSLATE_NOOP("formatting", "IT administrator"),
               "radiologist": QT_TRANSLATE_NOOP("formatting", "Radiologist"),
               "physician": QT_TRANSLATE_NOOP("formatting", "Physician")}


def local_time(text: str | None, *, seconds: bool = False) -> str:
    """``2026-01-05 10:00`` in local time, or an em dash for a missing value."""
    if not text:
        return "—"
    try:
        moment = parse_iso(text).astimezone()
    except ValueError:
        return text
    return format_datetime(moment, seconds=seconds)


def local_day_bounds_utc(day: date, *, end: bool) -> str:
    """UTC ISO text of the start (or last microsecond) of a local calendar day."""
    clock = time.max if end else time.min
    local = datetime.combine(day, clock).astimezone()
    return iso(local.astimezone(UTC))


def role_title(role: str) -> str:
    return translate_any(ROLE_TITLES[role]) if role in ROLE_TITLES else role


def byte_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            if unit == "bytes":
                return QCoreApplication.translate("formatting", "{n} bytes").format(n=int(size))
            return f"{format_number(size, 1)} {unit}"
        size /= 1024
    return QCoreApplication.translate("formatting", "{n} bytes").format(n=n)  # pragma: no cover
