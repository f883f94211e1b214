"""How a value read from a damaged file is quoted in a message a user reads.

Why: a reason must stay one readable line. Quoting a file's bytes with ``repr`` shows
escape codes (``'MONOC\\x8fROME2'``) that mean nothing to a radiologist and look like a
program fault, and a long value buries the reason. A printable, short value is quoted as
it is; anything else is described instead of shown.
"""

from __future__ import annotations

#: Longer values are cut: the reason names the element, the value only helps recognise it.
LIMIT = 64


def quoted(value: str) -> str:
    """``'value'`` when printable and short, else a plain description of it."""
    if not value.isprintable():
        return "(a value with unreadable characters)"
    if len(value) > LIMIT:
        return f"'{value[:LIMIT]}…'"
    return f"'{value}'"
