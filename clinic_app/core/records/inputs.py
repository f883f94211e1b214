"""Model inputs that cannot be mistaken: hard bounds, one unit table, "did you mean".

Two limits per numeric input, kept apart:

* **hard bounds** (here): what a human body allows (the records layer's *plausible*
  range). Outside them the value is refused wherever it comes from — records, the
  calculator, what-if, batch — with "did you mean mmol/L?" when the same number in
  another accepted unit would be possible;
* the **validity range** of a model (its manifest): the range the equation was derived
  on; the model's own rule refuses or flags outside it (core/inference/risk.py).

A bare number (calculator, what-if) is read in the canonical unit. When it is possible
but unusual (outside the *expected* range) and the same number in another unit is
usual — bilirubin 34 "mg/dL" that is 34 µmol/L — it is refused as a probable unit slip
with the conversion shown; giving the unit explicitly (``{"value": 34, "unit":
"mg/dL"}``) accepts it. Units convert through the records unit table
(:mod:`clinic_app.core.records.units`), the same one imports use.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.codes import ObservationCode
from clinic_app.core.records.units import UnitError, convert, normalise_unit
from clinic_app.errors import ImpossibleValue, InvalidInput, UnusualValue
from clinic_app.i18n import translate

#: Model input name → the records fact whose ranges and units it shares.
FEATURE_FACTS: Mapping[str, str] = {
    "total_cholesterol": codes.TOTAL_CHOLESTEROL, "hdl_cholesterol": codes.HDL_CHOLESTEROL,
    "ldl_cholesterol": codes.LDL_CHOLESTEROL, "triglycerides": codes.TRIGLYCERIDES,
    "systolic_bp": codes.SYSTOLIC_BP, "diastolic_bp": codes.DIASTOLIC_BP,
    "creatinine": codes.CREATININE, "bilirubin": codes.BILIRUBIN, "inr": codes.INR,
    "sodium": codes.SODIUM, "bmi": codes.BMI, "glucose": codes.GLUCOSE, "hba1c": codes.HBA1C,
    "body_weight": codes.BODY_WEIGHT, "body_height": codes.BODY_HEIGHT,
    "uacr": codes.UACR,
}
#: Age in years: hard bounds only (no unit to slip).
AGE_BOUNDS = (0.0, 130.0)
#: Units offered in "did you mean", in this order (never the rarely used mass units).
_SUGGEST = ("mmol/L", "umol/L", "mg/dL", "mmol/mol", "%", "kPa", "mm[Hg]", "[lb_av]", "kg",
            "[in_i]", "cm", "m", "mg/mmol", "mg/g")
#: UCUM codes as clinicians write them.
UNIT_WORDS: Mapping[str, str] = {"mm[Hg]": "mmHg", "umol/L": "µmol/L", "{INR}": "",
                                 "1": "", "kg/m2": "kg/m²", "[lb_av]": "lb", "[in_i]": "in",
                                 "mg/g{creat}": "mg/g", "mg/mmol{creat}": "mg/mmol"}


def unit_word(unit: str) -> str:
    return UNIT_WORDS.get(unit, unit)


def _with_unit(value: float, unit: str) -> str:
    return f"{value:.4g} {unit_word(unit)}".strip()


@dataclass(frozen=True)
class CheckedInput:
    """A numeric input in the canonical unit, and how it was read."""

    value: float
    unit: str  # canonical UCUM unit
    note: str = ""  # "from 5.5 mmol/L" when converted


def spec_for_input(feature: str) -> ObservationCode | None:
    fact = FEATURE_FACTS.get(feature)
    return codes.spec_for_fact(fact) if fact else None


def _alternative(spec: ObservationCode, value: float, written: str,
                 fits: Any) -> tuple[str, float] | None:
    for unit in _SUGGEST:
        if unit in spec.units and unit != written:
            converted = spec.units[unit].apply(value)
            if converted in fits:
                return unit, converted
    return None


def unit_hint(spec: ObservationCode, value: float, written: str, fits: Any) -> str:
    """" Did you mean mmol/L? (5.5 mmol/L = 212.7 mg/dL)" when ``value`` (as written, in
    ``written``) lies in ``fits`` read in another accepted unit; else ""."""
    alt = _alternative(spec, value, written, fits)
    if alt is None:
        return ""
    return translate("inputs", " Did you mean {unit}? ({written} = {converted})").format(
        unit=unit_word(alt[0]), written=_with_unit(value, alt[0]),
        converted=_with_unit(alt[1], spec.unit))


def check_input(feature: str, value: float, unit: str | None = None) -> CheckedInput:
    """``value`` (in ``unit``, else the canonical unit) checked against the hard bounds.

    Raises :class:`ImpossibleValue` with the bounds and, when it fits, the likely unit.
    Inputs without bounds (booleans, categories, unknown names) pass unchanged.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ImpossibleValue(f"{feature}: expected a number, got {type(value).__name__}.")
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise ImpossibleValue(f"{feature}: the value is not a finite number.")
    if feature == "age":
        if not AGE_BOUNDS[0] <= value <= AGE_BOUNDS[1]:
            raise ImpossibleValue(f"Age {value:g} years is not possible (0–130 years).")
        return CheckedInput(value, "a")
    spec = spec_for_input(feature)
    if spec is None:
        return CheckedInput(value, unit or "")
    label = spec.display.split(" (")[0]
    explicit = unit is not None and bool(unit.strip())
    written = spec.unit
    canonical = value
    if explicit:
        assert unit is not None
        try:
            written = normalise_unit(unit)
            canonical = convert(value, unit, spec.units, spec.unit)
        except UnitError:
            accepted = ", ".join(sorted(unit_word(u) or "(none)" for u in spec.units))
            raise ImpossibleValue(f"{label}: the unit '{unit.strip()[:20]}' is not accepted "
                                  f"(accepted: {accepted}).") from None
    assert spec.plausible is not None and spec.expected is not None
    if canonical not in spec.plausible:
        hint = unit_hint(spec, value, written, spec.plausible)
        raise ImpossibleValue(
            f"{label} {_with_unit(value, written)} is not physiologically possible "
            f"(possible: {spec.plausible} {unit_word(spec.unit)}).{hint}")
    if not explicit and canonical not in spec.expected:
        alt = _alternative(spec, value, written, spec.expected)
        if alt is not None:
            reason = (f"{label} {_with_unit(value, spec.unit)} is unusual (expected "
                      f"{spec.expected} {unit_word(spec.unit)}). Did you mean "
                      f"{unit_word(alt[0])}? ({_with_unit(value, alt[0])} = "
                      f"{_with_unit(alt[1], spec.unit)}).")
            raise UnusualValue(
                f"{reason} If {_with_unit(value, spec.unit)} is right, give the unit: "
                f"{{\"value\": {value:g}, \"unit\": \"{spec.unit}\"}}.",
                reason=reason, feature=feature, value=value, unit=spec.unit)
    note = f"from {_with_unit(value, written)}" if written != spec.unit else ""
    return CheckedInput(canonical, spec.unit, note)


#: An inputs file is a few hundred bytes; anything near this is not one.
MAX_INPUTS_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InvalidInput(f"the input '{key[:40]}' is given twice")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise InvalidInput(f"'{name}' is not a number (give finite numbers only)")


def read_inputs_file(path: Path, where: str) -> dict[str, Any]:
    """An inputs JSON object from ``path``: size checked before reading, UTF-8 (a BOM is
    fine), no duplicate names, no NaN/Infinity, clear words for huge numbers and nesting."""
    try:
        with path.open("rb") as handle:
            if path.is_file() and os.fstat(handle.fileno()).st_size > MAX_INPUTS_BYTES:
                raise InvalidInput(f"{where}: the inputs file is larger than "
                                   f"{MAX_INPUTS_BYTES >> 10} KiB; it cannot be an inputs file.")
            data = handle.read(MAX_INPUTS_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"Cannot read {where}: {exc.strerror}.") from None
    if len(data) > MAX_INPUTS_BYTES:
        raise InvalidInput(f"{where}: the inputs are larger than {MAX_INPUTS_BYTES >> 10} KiB.")
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{where}: not UTF-8 text (byte {exc.start}).") from None
    try:
        doc = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: not valid JSON at line {exc.lineno} column "
                           f"{exc.colno} ({exc.msg}).") from None
    except RecursionError:
        raise InvalidInput(f"{where}: the JSON is nested too deeply; give one object of "
                           "named inputs.") from None
    except ValueError as exc:  # an integer with thousands of digits
        raise InvalidInput(f"{where}: a number is too long to be a clinical value "
                           f"({str(exc)[:60]}).") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f"{where}: give one JSON object of named inputs, e.g. "
                           '{"age": 55, "total_cholesterol": {"value": 5.5, "unit": "mmol/L"}}.')
    return doc


def prepare_calculator_inputs(raw: Mapping[str, Any], known: Sequence[str]) -> dict[str, Any]:
    """Calculator/what-if/batch inputs: names checked, numbers bounded and converted.

    ``known`` is every input name the model reads. Each value is a plain JSON value or
    ``{"value": x, "unit": "mmol/L"}``. Raises :class:`InvalidInput` naming every unknown
    input (with a did-you-mean) and :class:`ImpossibleValue` for the first bad value.
    """
    by_lower = {k.lower(): k for k in known}
    unknown = [name for name in raw if name not in known]
    if unknown:
        parts = []
        for name in unknown:
            close = by_lower.get(name.lower()) or next(
                iter(difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)), None)
            parts.append(f"'{name[:40]}'" + (f" (did you mean '{close}'?)" if close else ""))
        raise InvalidInput(f"Unknown input name(s): {', '.join(parts)}. This model reads: "
                           f"{', '.join(sorted(known))}.")
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            extra = set(value) - {"value", "unit"}
            if "value" not in value or extra:
                raise InvalidInput(f"{name}: give a number, or {{\"value\": number, \"unit\": "
                                   f"\"unit\"}} (unexpected: {', '.join(sorted(extra)) or 'no value'}).")
            unit = value.get("unit")
            if unit is not None and not isinstance(unit, str):
                raise InvalidInput(f"{name}: the unit must be text such as \"mmol/L\".")
            out[name] = check_input(name, value["value"], unit).value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = check_input(name, value).value
        else:
            out[name] = value
    return out
