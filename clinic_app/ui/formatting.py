"""How values are written on screen: times in the workstation's local zone, sizes, roles.

The store keeps UTC ISO text (``2026-01-05T09:00:00.000000Z``); people read local time,
so every screen converts with the same function and says which zone it shows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from clinic_app.core.clock import iso, parse_iso

ROLE_TITLES = {"admin": "IT administrator", "radiologist": "Radiologist", "physician": "Physician"}


def local_time(text: str | None, *, seconds: bool = False) -> str:
    """``2026-01-05 10:00`` in local time, or an em dash for a missing value."""
    if not text:
        return "—"
    try:
        moment = parse_iso(text).astimezone()
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_day_bounds_utc(day: date, *, end: bool) -> str:
    """UTC ISO text of the start (or last microsecond) of a local calendar day."""
    clock = time.max if end else time.min
    local = datetime.combine(day, clock).astimezone()
    return iso(local.astimezone(UTC))


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role, role)


def byte_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover
