"""User names that cannot impersonate one another.

A grant approver and an auditor recognise people by their user names, so a name that
*looks like* a colleague's ('dr.smlth' for 'dr.smith' in some fonts, 'paul' with a
Cyrillic 'а') would let IT create a look-alike and collect its approvals. Two rules:

* a documented safe alphabet: after NFKC and case folding, names are 1–64 of
  ``a–z 0–9 . _ -``. Letters from other scripts are refused with the reason
  (``confusable_homoglyphs`` names the script of a character that imitates a Latin one);
* a new name whose *skeleton* (after Unicode TR39's idea: map characters that look alike
  to one representative) equals an existing name's skeleton is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from confusable_homoglyphs import confusables

from clinic_app.core.security.passwords import normalise_username
from clinic_app.errors import InvalidInput

SAFE = re.compile(r"[a-z0-9._-]{1,64}")
#: Look-alikes inside the safe alphabet (TR39 confusables restricted to it, plus the
#: multi-letter ones TR39 lists: rn/m, vv/w, cl/d); separators are dropped (a dot is a pixel).
_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_SINGLE = str.maketrans({"1": "l", "0": "o", "_": None, "-": None, ".": None})


def skeleton(name: str) -> str:
    out = name.translate(_SINGLE)
    for seq, rep in _SEQUENCES:
        out = out.replace(seq, rep)
    return out


def check_username(name: str) -> str:
    """The normalised name, or InvalidInput saying what to change."""
    clean = normalise_username(name)
    if SAFE.fullmatch(clean):
        return clean
    odd = [ch for ch in clean if not SAFE.fullmatch(ch)]
    if odd and len(clean) <= 64:
        found = confusables.is_confusable(odd[0], greedy=True, preferred_aliases=["latin"]) or []
        if found:
            alias = str(found[0].get("alias", "another script")).lower()
            raise InvalidInput(
                f"User names use plain letters a–z, digits, '.', '_' or '-': the name contains a "
                f"{alias} character that looks like a Latin letter.")
    raise InvalidInput(
        "User names are 1–64 plain letters a–z, digits, '.', '_' or '-' (for example 'jsmith').")


def check_not_confusable(name: str, existing: Iterable[str]) -> None:
    """Refuse ``name`` if it looks like one of ``existing`` (the same name is the caller's check)."""
    mine = skeleton(name)
    for other in existing:
        if other != name and skeleton(other) == mine:
            raise InvalidInput(
                f"'{name}' looks too much like the existing user name '{other}'; choose a name "
                "that cannot be mistaken for it.")
