"""Lookups in a verified terminology package: LOINC → input, drug → ingredients → classes.

Why data and not code: the code lists decide what a record *means* for a score, and
terminologies change monthly; IT can install a newer signed package without a release
(see :mod:`clinic_app.core.terminology.package`). Everything here is exact-match on
codes, plus one deliberate name rule: an RxNorm drug whose code is not listed resolves
through its normalised name (every SCD/SBD/GPCK/BPCK name contains its ingredients'
names: "losartan potassium 50 MG Oral Tablet"), matched as whole words against the
listed ingredients and their synonyms; a combination ("A 5 MG / B 10 MG …") resolves only
when every component names a listed ingredient. Free text that is not an RxNorm display is never
matched: a text-only medication stays unclassified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
_ATC_CODE = re.compile(r"[A-V][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?")


@dataclass(frozen=True)
class DrugClass:
    """What a medication code resolved to."""

    ingredients: tuple[str, ...]
    atc: tuple[str, ...]
    classes: tuple[str, ...]
    how: str  # "RxNorm code", "RxNorm name", "ATC code"


@dataclass(frozen=True, eq=False)  # identity hash: lookups are cached per package
class Terminology:
    """A verified terminology package (see :func:`package.load_terminology`)."""

    id: str
    version: str
    sources: tuple[Mapping[str, str], ...]
    loinc: Mapping[str, tuple[str, str, tuple[str, ...]]]  # code → (fact, display, units)
    atc_classes: tuple[tuple[str, tuple[str, ...]], ...]  # longest prefix first
    ingredients: Mapping[str, tuple[str, ...]]  # name → ATC codes
    synonyms: Mapping[str, str]  # any spelling (lower case) → ingredient name
    rxnorm: Mapping[str, tuple[str, ...]]  # RxCUI (IN, SCD, SBD, …) → ingredient names
    snomed: Mapping[str, str]  # concept or descendant → condition category

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Terminology:
        ingredients = {name: tuple(e["atc"]) for name, e in doc["ingredients"].items()}
        synonyms = {name: name for name in ingredients}
        rxnorm: dict[str, tuple[str, ...]] = {}
        for name, entry in doc["ingredients"].items():
            synonyms.update({s.lower(): name for s in entry["synonyms"]})
            if entry["rxcui"]:
                rxnorm[entry["rxcui"]] = (name,)
        for cui, drug in doc["rxnorm"].items():
            rxnorm[cui] = tuple(drug["ingredients"])
        snomed: dict[str, str] = {}
        for category, entry in doc["snomed"].items():
            # "also": further concepts of the same category (coronary artery disease
            # beside myocardial infarction), each with its own descendants
            for part in (entry, *entry.get("also", ())):
                for code in (part["concept"], *part["descendants"]):
                    snomed[code] = category
        return cls(
            id=doc["id"], version=doc["version"], sources=tuple(doc["sources"]),
            loinc={c: (e["fact"], e["display"], tuple(e["units"])) for c, e in doc["loinc"].items()},
            atc_classes=tuple(sorted(((p, tuple(c)) for p, c in doc["atc_classes"]),
                                     key=lambda pc: len(pc[0]), reverse=True)),
            ingredients=ingredients, synonyms=synonyms, rxnorm=rxnorm, snomed=snomed)

    # -- medications --------------------------------------------------------------------
    def atc_class(self, code: str) -> tuple[str, ...] | None:
        """Classes of a well-formed ATC code (longest listed prefix wins); None if malformed."""
        flat = code.strip().upper()
        if not _ATC_CODE.fullmatch(flat):
            return None
        for prefix, classes in self.atc_classes:
            if flat.startswith(prefix):
                return classes
        return ()

    def _from_ingredients(self, names: tuple[str, ...], how: str) -> DrugClass:
        atc = tuple(dict.fromkeys(a for n in names for a in self.ingredients.get(n, ())))
        classes: list[str] = []
        for code in atc:
            classes.extend(c for c in self.atc_class(code) or () if c not in classes)
        return DrugClass(names, atc, tuple(classes), how)

    def ingredients_in_name(self, name: str) -> tuple[str, ...]:
        """Ingredients named as whole words in an RxNorm normalised name."""
        return _names_in(self, name.lower())

    def medication(self, system: str, code: str, name: str = "") -> DrugClass | None:
        """Classes of a medication coding; None when the package cannot tell (cached:
        exports repeat the same few hundred drugs thousands of times)."""
        return _medication(self, system, code, name)

    def _medication(self, system: str, code: str, name: str) -> DrugClass | None:
        code = code.strip()
        if system == ATC:
            classes = self.atc_class(code)
            return None if classes is None else DrugClass((), (code.upper(),), classes, "ATC code")
        if system != RXNORM:
            return None
        listed = self.rxnorm.get(code)
        if listed:
            return self._from_ingredients(listed, "RxNorm code")
        found = self.ingredients_in_name(name) if name else ()
        parts = name.split(" / ")
        if not found or (len(parts) > 1 and not all(map(self.ingredients_in_name, parts))):
            return None  # a combination with an unlisted ingredient is not known
        return self._from_ingredients(found, "RxNorm name")

    # -- observations and conditions ----------------------------------------------------
    def condition(self, system: str, code: str) -> str | None:
        return self.snomed.get(code.strip()) if system == SNOMED else None


@lru_cache(maxsize=16384)
def _medication(term: Terminology, system: str, code: str, name: str) -> DrugClass | None:
    return term._medication(system, code, name)


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_LONGEST = 4  # words in the longest ingredient name ("omega-3-acid ethyl esters" is 3)


@lru_cache(maxsize=4096)
def _names_in(term: Terminology, lowered: str) -> tuple[str, ...]:
    """Whole-word matches, longest first, each word used once (a dict lookup per n-gram:
    a 200-way regex alternation costs ~100 µs a name, this ~5 µs)."""
    words = _WORD.findall(lowered)
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            hit = term.synonyms.get(" ".join(words[i:i + n]))
            if hit is not None:
                found.append(hit)
                i += n
                break
        else:
            i += 1
    return tuple(dict.fromkeys(found))
