"""The compiled catalogue the Qt-free side reads: context → English source → translation.

Why JSON beside the ``.qm``: the ``.qm`` is Qt's hashed binary format, and the core and
the CLI must not import Qt. ``scripts/update_translations.py`` writes both from the one
``.ts`` source, and a test fails when either is older than the source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

#: Where the compiled catalogues ship (package data).
PACKAGE_DIR = "resources/i18n"


def compiled_dir() -> Path:
    """The folder holding ``clinic_app_<lang>.qm`` and ``.json``."""
    return Path(str(resources.files("clinic_app").joinpath(PACKAGE_DIR)))


@dataclass(frozen=True, eq=False)  # hashed by identity: one per language
class Catalogue:
    """Finished translations of one language; unfinished entries are left out."""

    language: str
    entries: dict[str, dict[str, str]]

    def lookup(self, context: str, text: str) -> str:
        found = self.entries.get(context, {}).get(text)
        return found if found else text

    def lookup_any(self, text: str) -> str:
        return self._by_source.get(text, text)

    @property
    def _by_source(self) -> dict[str, str]:
        return _index(self)


@cache
def _index(catalogue: Catalogue) -> dict[str, str]:
    """Source text → translation across contexts (the first context in name order wins)."""
    out: dict[str, str] = {}
    for context in sorted(catalogue.entries):
        for source, translation in catalogue.entries[context].items():
            out.setdefault(source, translation)
    return out


@cache
def load_catalogue(language: str) -> Catalogue:
    """The catalogue for ``language``; an empty one when none is shipped (English text)."""
    path = compiled_dir() / f"clinic_app_{language}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Catalogue(language, {})
    entries = {str(ctx): {str(k): str(v) for k, v in msgs.items()}
               for ctx, msgs in raw.get("contexts", {}).items()}
    return Catalogue(language, entries)
