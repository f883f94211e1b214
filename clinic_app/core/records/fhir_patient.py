"""Patient elements that need more than a type check: the MRN, US Core race and the name."""

from __future__ import annotations

from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    ItemError,
)
from clinic_app.core.records.fhir_elements import V2_0203
from clinic_app.core.records.fhir_json import (
    _codings,
    _list,
    _obj,
    _str,
)


def _mrn(res: dict[str, Any]) -> tuple[str, str]:
    """The medical record number and its system: type MR first, then usual/official."""
    candidates = []
    for ident in _list(res, "identifier"):
        ident = _obj(ident, "identifier")
        value = _str(ident, "value", "identifier.value").strip()
        if not value:
            continue
        is_mr = "type" in ident and any(
            s == V2_0203 and c == "MR" for s, c, _ in _codings(ident["type"], "identifier.type"))
        use = _str(ident, "use", "identifier.use")
        rank = 0 if is_mr else (1 if use in ("usual", "official") else 2)
        candidates.append((rank, value, _str(ident, "system", "identifier.system").strip()))
    if not candidates:
        raise ItemError("no identifier with a value (the MRN)")
    _rank, value, system = min(candidates, key=lambda c: c[0])
    return value, system


def _race(res: dict[str, Any]) -> tuple[str | None, str, list[str]]:
    """Race from the US Core race extension: (race, what the source said, flags).

    Only the ``ombCategory`` codings are read (the five OMB categories, "Other Race", and
    the UNK/ASKU null flavours); ``detailed`` CDC codes and ``text`` are not mapped, since
    mapping 900 detailed codes by hand is where a wrong equation would creep in. Several
    categories follow :func:`codes.race_of`: white with any other race is "other" (the
    white equations, flagged), Black or African American with any other race is left
    unchosen (None, flagged) because the two equations differ. Anything not understood is
    flagged and leaves the race not recorded; nothing is guessed.
    """
    found: list[str] = []
    unknown: list[str] = []
    flags: list[str] = []
    seen = False
    for ext in _list(res, "extension"):
        ext = _obj(ext, "extension")
        if ext.get("url") != codes.US_CORE_RACE:
            continue
        seen = True
        for part in _list(ext, "extension"):
            part = _obj(part, "us-core-race extension")
            if part.get("url") != "ombCategory":
                continue
            coding = _obj(part.get("valueCoding"), "us-core-race ombCategory.valueCoding")
            system = _str(coding, "system", "ombCategory.valueCoding.system")
            code = _str(coding, "code", "ombCategory.valueCoding.code")
            if system == codes.CDC_RACE and code in codes.OMB_RACE:
                found.append(code)
            elif system == codes.NULL_FLAVOR and code in codes.RACE_UNKNOWN:
                unknown.append(code)
            else:
                flags.append(f"race: ombCategory code '{code[:20]}' ({system[:50] or 'no system'}) "
                             "is not an OMB race category; not interpreted")
    if not seen:
        return None, "", flags
    cats = list(dict.fromkeys(found))
    said = ", ".join(f"{codes.OMB_RACE[c][0]} ({c})" for c in cats)
    if cats and unknown:
        flags.append("race: the US Core race extension gives a category together with "
                     "unknown/asked-but-unknown (US Core forbids both); race not recorded")
        return None, f"US Core race extension: {said}, {', '.join(unknown)}", flags
    if not cats:
        if unknown:
            return None, ("US Core race extension: "
                          + ", ".join(f"{codes.RACE_UNKNOWN[u]} ({u})" for u in unknown)), flags
        if not flags:  # (codes not understood are flagged already)
            flags.append("race: the US Core race extension has no OMB category (ombCategory); "
                         "race not recorded (detailed codes and text are not mapped)")
        return None, "US Core race extension without an OMB category", flags
    race = codes.race_of(cats)
    if race is None:
        flags.append("race: several OMB categories including Black or African American; the "
                     "white and African-American equations differ, so no race was chosen "
                     "(choose it in the what-if panel)")
    return race, f"US Core race extension: {said}", flags


def _name(res: dict[str, Any]) -> tuple[str, str]:
    names = [_obj(n, "name") for n in _list(res, "name")]
    if not names:
        return "", ""
    chosen = next((n for n in names if n.get("use") == "official"), names[0])
    family = _str(chosen, "family", "name.family")
    given = chosen.get("given", [])
    if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
        raise ItemError("name.given must be a list of strings")
    return family, " ".join(given)


