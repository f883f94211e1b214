"""JSON and FHIR primitive checks shared by every resource the reader handles.

Each helper raises :class:`ItemError` naming the element, so one malformed value refuses
its item with a specific reason instead of passing through as "no value".
"""

from __future__ import annotations

import json
import math
import threading
from datetime import datetime
from functools import lru_cache
from typing import Any

from clinic_app.core.records import json_fast
from clinic_app.core.records.batch import (
    ItemError,
    SkipItem,
    SubjectRef,
)
from clinic_app.core.records.dates import (
    DateError,
    Moment,
    in_future,
    parse_datetime,
)

# -- JSON -----------------------------------------------------------------------------------

def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ItemError(f"duplicate JSON key '{dup[:40]}'")
    return out


def _constant(name: str) -> Any:
    raise ItemError(f"'{name}' is not a JSON number (FHIR allows finite decimals only)")


#: Built once: json.loads with keyword arguments builds a new decoder on every call, which
#: dominates when NDJSON is decoded line by line.
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def loads(text: str) -> Any:
    """json.loads that refuses duplicate keys, NaN/Infinity and runaway nesting.

    The C decoder answers when its answer provably equals this checked decoder's
    (:mod:`json_fast`); anything else, every refusal included, is read and worded here.
    """
    doc = json_fast.decode(text)
    return checked_loads(text) if doc is None else doc


def checked_loads(text: str) -> Any:
    """The standard library's decoder with the duplicate-key hook: slower, and the one
    that words every refusal (and the tests' oracle for :func:`loads`)."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ItemError:  # a duplicate key or a non-finite literal, already worded
        raise
    except ValueError:  # Python's cap on integer digits (4,300): no measured value has that many
        raise ItemError("a number in the JSON has more digits than any value can have") from None
    except RecursionError:
        raise ItemError("JSON nested too deeply to be a FHIR resource") from None


# -- primitive helpers ---------------------------------------------------------------------

def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ItemError(f"{where} must be a JSON object")
    return value


def _list(res: dict[str, Any], key: str) -> list[Any]:
    value = res.get(key, [])
    if not isinstance(value, list):
        raise ItemError(f"{key} must be a JSON array")
    return value


def _str(obj: dict[str, Any], key: str, where: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{where or key} must be a string")
    return value


def _codings(concept: Any, where: str) -> list[tuple[str, str, str]]:
    """(system, code, display) of each coding in a CodeableConcept."""
    cc = _obj(concept, where)
    out = []
    for coding in _list(cc, "coding"):
        if not isinstance(coding, dict):
            raise ItemError(f"{where}.coding must be a JSON object")
        system = coding.get("system", "")
        code = coding.get("code", "")
        display = coding.get("display", "")
        if type(system) is not str or type(code) is not str or type(display) is not str:
            raise ItemError(f"{where}.coding system, code and display must be strings")
        out.append((system, code, display))
    return out


def _concept_text(concept: Any) -> str:
    if isinstance(concept, dict):
        text = concept.get("text")
        if isinstance(text, str):
            return text
    return ""


def _status_code(res: dict[str, Any], key: str, allowed: frozenset[str]) -> str:
    """A CodeableConcept status (Condition.clinicalStatus/verificationStatus)."""
    if key not in res:
        return ""
    for _system, code, _display in _codings(res[key], key):
        if code in allowed:
            return code
    raise ItemError(f"{key} has no code from its value set ({', '.join(sorted(allowed))})")


def _moment(value: Any, where: str, now: datetime) -> Moment:
    try:
        moment = parse_datetime(value)
    except DateError as exc:
        raise ItemError(f"{where}: {exc}") from None
    if in_future(moment, now):
        raise ItemError(f"{where} is in the future (more than the "
                        f"{'24 hours' if moment.precision == 'time' else '2 days'} allowed for "
                        "clock skew and time zones)")
    if moment.value > now:
        _ahead().append(where)
    return moment


#: Dates read ahead of the clock (within the tolerance) since the reader last looked, per
#: thread (imports may run on GUI workers): the reader turns them into one flag per item.
_LOCAL = threading.local()


def _ahead() -> list[str]:
    found: list[str] | None = getattr(_LOCAL, "ahead", None)
    if found is None:
        found = _LOCAL.ahead = []
    return found


def _reference(res: dict[str, Any], key: str, *, required: bool) -> SubjectRef | None:
    if key not in res:
        if required:
            raise ItemError(f"no {key} (the patient it is about)")
        return None
    ref = _obj(res[key], key)
    text = _str(ref, "reference", f"{key}.reference")
    if text:
        return _patient_reference(key, text)
    if "identifier" in ref:
        ident = _obj(ref["identifier"], f"{key}.identifier")
        value = _str(ident, "value", f"{key}.identifier.value")
        if value:
            # No system: any issuer (the store refuses if the MRN exists under several).
            system = _str(ident, "system", f"{key}.identifier.system")
            return SubjectRef(mrn=value, issuer=system or None)
    raise ItemError(f"{key} has neither a reference nor an identifier")


@lru_cache(maxsize=4096)
def _patient_reference(key: str, text: str) -> SubjectRef:
    """One SubjectRef per reference text (an export repeats each patient's per fact, and
    the store resolves a subject it has seen by identity)."""
    text = normalise_reference(text)
    if not (text.startswith("Patient/") or text.startswith("urn:") or "/Patient/" in text):
        raise ItemError(f"{key} refers to '{text.split('/')[0][:30]}', not to a Patient")
    return SubjectRef(reference=text)


def normalise_reference(text: str) -> str:
    """Drop a version suffix and reduce an absolute URL ending in Patient/<id> to that."""
    text = text.strip()
    if "/_history/" in text:
        text = text.split("/_history/")[0]
    if "://" in text and "/Patient/" in text:
        return "Patient/" + text.rsplit("/Patient/", 1)[1]
    return text



def _optional_moment(period: dict[str, Any], key: str) -> datetime | None:
    if key not in period:
        return None
    try:
        return parse_datetime(period[key]).value
    except DateError as exc:
        raise ItemError(f"period.{key}: {exc}") from None


def _first_code(res: dict[str, Any], key: str) -> str:
    """The first coding's code of the first CodeableConcept in a list element ("" if none)."""
    value = res.get(key)
    if not isinstance(value, list) or not value:
        return ""
    for _system, code, _display in _codings(value[0], key):
        if code:
            return code[:40]
    return ""


#: Value types kept as text for observations we do not interpret (shown, never computed).
_TEXT_VALUES = ("valueDateTime", "valueTime", "valuePeriod", "valueRange", "valueRatio",
                "valueSampledData")


def _raw_value(holder: dict[str, Any]) -> tuple[float | None, str, str | None, str | None]:
    """(number, unit as written, answer code, text) of any FHIR value[x], unconverted."""
    if "valueQuantity" in holder:
        qty = _obj(holder["valueQuantity"], "valueQuantity")
        raw = qty.get("value")
        if raw is None:
            raise SkipItem("no value")
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ItemError("valueQuantity.value must be a number")
        unit = _str(qty, "code", "valueQuantity.code") or _str(qty, "unit", "valueQuantity.unit")
        comparator = _str(qty, "comparator", "valueQuantity.comparator")
        return number(raw, "valueQuantity.value"), unit[:40], None, (comparator or None)
    if "valueCodeableConcept" in holder:
        concept = holder["valueCodeableConcept"]
        coded = [c for c in _codings(concept, "valueCodeableConcept") if c[1]]
        text = _concept_text(concept) or (coded[0][2] if coded else "")
        return None, "", (coded[0][1][:40] if coded else None), text[:200] or None
    if "valueString" in holder:
        text = holder["valueString"]
        if not isinstance(text, str):
            raise ItemError("valueString must be a string")
        return None, "", None, text[:500]
    if "valueBoolean" in holder:
        if not isinstance(holder["valueBoolean"], bool):
            raise ItemError("valueBoolean must be true or false")
        return None, "", None, "yes" if holder["valueBoolean"] else "no"
    if "valueInteger" in holder:
        raw = holder["valueInteger"]
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ItemError("valueInteger must be an integer")
        return number(raw, "valueInteger"), "", None, None
    for key in _TEXT_VALUES:
        if key in holder:
            return None, "", None, json.dumps(holder[key], separators=(",", ":"))[:200]
    if "dataAbsentReason" in holder:
        raise SkipItem("no value (dataAbsentReason)")
    raise SkipItem("no value")


def number(raw: int | float, where: str) -> float:
    """A JSON number as a finite float: an integer too large for a float, or a decimal
    that overflowed to infinity (1e400), is refused, never kept as "inf"."""
    try:
        value = float(raw)
    except OverflowError:
        raise ItemError(f"{where} is too large to be a measured value") from None
    if not math.isfinite(value):
        raise ItemError(f"{where} is not a finite number")
    return value


def _number_text(raw: float) -> str:
    return repr(raw) if isinstance(raw, float) else str(raw)


