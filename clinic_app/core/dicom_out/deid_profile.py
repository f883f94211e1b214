"""The de-identification profile as data: PS3.15 Table E.1-1, Basic Profile plus the
Retain Longitudinal Temporal Information with Modified Dates and Clean Descriptors options.

The table (``deid_table_e11.csv``, source named in its header) is loaded once; an
option's action, where the table gives one, replaces the Basic Profile's.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class Action(StrEnum):
    DUMMY = "D"
    EMPTY = "Z"
    REMOVE = "X"
    KEEP = "K"
    CLEAN = "C"
    UID = "U"


@dataclass(frozen=True)
class ProfileRow:
    keyword: str
    tag: str  # "(gggg,eeee)", may hold x wildcards
    basic: str
    modified_dates: str
    clean_descriptors: str

    @property
    def action(self) -> Action:
        """The action with our two options; for "a/b" the last, which keeps objects valid."""
        chosen = self.modified_dates or self.clean_descriptors or self.basic
        return Action(chosen.split("/")[-1])


@functools.cache
def table() -> tuple[ProfileRow, ...]:
    text = resources.files("clinic_app.core.dicom_out").joinpath("deid_table_e11.csv") \
        .read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return tuple(ProfileRow(**row) for row in reader)


@functools.cache
def by_tag() -> dict[int, ProfileRow]:
    """Exact tags → row (wildcard rows are in :func:`wildcards`)."""
    out: dict[int, ProfileRow] = {}
    for row in table():
        if "x" not in row.tag.lower():
            out[int(row.tag[1:5] + row.tag[6:10], 16)] = row
    return out


@functools.cache
def wildcards() -> tuple[tuple[int, int, ProfileRow], ...]:
    """(mask, value, row) for the repeating-group rows such as (60xx,3000)."""
    out = []
    for row in table():
        text = row.tag[1:5] + row.tag[6:10]
        if "x" in text.lower():
            mask = int("".join("0" if ch.lower() == "x" else "F" for ch in text), 16)
            value = int("".join("0" if ch.lower() == "x" else ch for ch in text), 16)
            out.append((mask, value, row))
    return tuple(out)


def row_for(tag: int) -> ProfileRow | None:
    row = by_tag().get(tag)
    if row is not None:
        return row
    return next((r for mask, value, r in wildcards() if tag & mask == value), None)
