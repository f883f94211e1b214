"""What storing one imported row did, so the importer counts and flags it without strings."""

from __future__ import annotations

from enum import StrEnum


class Upsert(StrEnum):
    """A re-import of identical content writes nothing; different content replaces the row."""

    NEW = "new"
    SAME = "same"  # identical content already stored: nothing written
    UPDATED = "updated"  # different content replaced the stored row (the importer flags it)
