"""The common Observation in one pass: a final valueQuantity with one LOINC coding, an
effective dateTime and a subject reference.

Nine in ten observations of an export have exactly this shape, and the general handler
(:mod:`fhir_observations`) spends most of its time on the checks every other shape needs.
:func:`plain_observation` reads only this shape and answers ``None`` for anything else,
including anything the general path would refuse, flag or skip; the reader then hands the
resource to the general path, which gives the reason. So this path never refuses, never
flags and never decides: it builds exactly the item the general path would build
(tests/test_records_fast_path.py compares the stored facts field by field).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import ItemError, ObservationItem
from clinic_app.core.records.dates import DateError, parse_datetime
from clinic_app.core.records.fhir_elements import UCUM
from clinic_app.core.records.fhir_json import _number_text, _patient_reference
from clinic_app.core.records.plausibility import canonical_value

#: Top-level elements this path accepts: what it reads, and elements the general path
#: does not read either (no modifierExtension, no interpretation, no component); all of
#: them are Observation elements (tests/test_records_fast_path.py).
PLAIN_ELEMENTS = frozenset({"resourceType", "id", "meta", "text", "status", "category", "code",
                            "subject", "encounter", "effectiveDateTime", "issued", "performer",
                            "valueQuantity"})
#: Statuses the general path keeps without a flag (and without withdrawing anything
#: before the store does, which it does for amended/corrected by the item's status).
_PLAIN_STATUS = frozenset({"final", "amended", "corrected"})
_QUANTITY_KEYS = frozenset({"value", "unit", "system", "code"})  # no comparator
#: The usual effective date-time (ASCII digits, seconds, a zone); anything else, a
#: fraction of a second included, is read by the general date parser.
_PLAIN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                         r"(?:Z|[+-][0-9]{2}:[0-9]{2})")
#: How many effective dates one reader remembers
_MOMENTS_KEPT = 4096


def plain_observation(res: dict[str, Any], label: str, rid: str, now: datetime,
                      table: dict[str, codes.ObservationCode],
                      moments: dict[str, datetime]) -> ObservationItem | None:
    """The item of a plain Observation, or ``None`` to send it down the general path.

    ``moments`` caches effective dates already read by this reader that are whole,
    not ahead of ``now`` and valid (the results of one lab run share their time).
    """
    if not res.keys() <= PLAIN_ELEMENTS:
        return None
    status = res.get("status")
    if status not in _PLAIN_STATUS:
        return None
    concept = res.get("code")
    if type(concept) is not dict:
        return None
    codings = concept.get("coding")
    if type(codings) is not list or len(codings) != 1:
        return None
    coding = codings[0]
    if type(coding) is not dict or coding.get("system") != codes.LOINC:
        return None
    code = coding.get("code")
    display = coding.get("display", "")
    if type(code) is not str or not code or type(display) is not str:
        return None
    subject = res.get("subject")
    if type(subject) is not dict:
        return None
    reference = subject.get("reference")
    if type(reference) is not str or not reference:
        return None
    when = res.get("effectiveDateTime")
    if type(when) is not str:
        return None
    effective = moments.get(when)
    if effective is None:
        effective = _plain_moment(when, now)
        if effective is None:
            return None
        if len(moments) >= _MOMENTS_KEPT:  # bounded: an NDJSON stream reads millions
            moments.clear()
        moments[when] = effective
    qty = res.get("valueQuantity")
    if type(qty) is not dict or not qty.keys() <= _QUANTITY_KEYS:
        return None
    raw: Any = qty.get("value")
    unit = qty.get("code")
    if (type(raw) not in (int, float) or qty.get("system") != UCUM or type(unit) is not str
            or not unit or type(qty.get("unit", "")) is not str):
        return None
    try:
        value = float(raw)
        subject_ref = _patient_reference("subject", reference)
    except (OverflowError, ItemError):
        return None
    if not math.isfinite(value):
        return None
    resource_id = f"Observation/{rid}" if rid else label
    spec = table.get(code)
    if spec is not None:
        if spec.coded:
            return None
        try:
            canonical, checked = canonical_value(spec, value, unit)
        except ItemError:
            return None
        return ObservationItem(
            item=label, resource_id=resource_id, subject=subject_ref, system=codes.LOINC,
            code=code, name=spec.name, value=canonical, unit=spec.unit,
            effective=effective, original_value=_number_text(raw), original_unit=unit,
            status=status, flags=tuple(checked))
    category = _first_category(res.get("category"))
    if category is None:
        return None
    text = concept.get("text", "")
    if type(text) is not str:
        return None
    unit = unit[:40]
    return ObservationItem(
        item=label, resource_id=resource_id, subject=subject_ref, system=codes.LOINC,
        code=code, name=codes.other_fact_name(codes.LOINC, code), value=value, unit=unit,
        effective=effective, value_code=None, original_value=_number_text(value),
        original_unit=unit, status=status, flags=(), display=(display or text)[:200],
        value_text=None, category=category, interpretation="")


def _plain_moment(when: str, now: datetime) -> datetime | None:
    """The instant of a whole effective date not ahead of ``now`` (else ``None``).

    The usual full date-time with seconds and a zone is read by ``fromisoformat`` alone:
    for text of exactly that form it gives the instant :func:`parse_datetime` gives, and
    refuses what it refuses (an impossible day, hour or offset), without the general
    pattern's groups.
    """
    if _PLAIN_TIME.fullmatch(when):
        try:
            value = datetime.fromisoformat(when).astimezone(UTC)
        except ValueError:
            return None
    else:
        try:
            moment = parse_datetime(when)
        except DateError:
            return None
        if moment.partial:  # flagged: the general path
            return None
        value = moment.value
    return None if value > now else value  # ahead (flagged) or future (refused)


def _first_category(value: Any) -> str | None:
    """The first code of the first category ("" when none), or ``None`` when the category
    is not plain (the general path then checks and words it)."""
    if value is None:
        return ""
    if type(value) is not list:
        return None
    if not value:
        return ""
    first = value[0]
    if type(first) is not dict:
        return None
    codings = first.get("coding", [])
    if type(codings) is not list:
        return None
    found = ""
    for coding in codings:
        if type(coding) is not dict:
            return None
        system, code, display = (coding.get("system", ""), coding.get("code", ""),
                                 coding.get("display", ""))
        if type(system) is not str or type(code) is not str or type(display) is not str:
            return None
        if code and not found:
            found = code[:40]
    return found
