"""Checking and encoding one risk-model input (and a column of them) against its manifest.

The one-row rules (:func:`encode`) and their column form (:func:`encode_column`) live
together so the batch path cannot drift from the one-row path; also the applicability
flags and category bands both paths share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from clinic_app.core.inference.manifest import FeatureSpec, Manifest
from clinic_app.core.inference.risk_types import InputValue
from clinic_app.errors import CannotCompute


def _fmt(value: float) -> str:
    return f"{value:g}"


def _unit(spec: FeatureSpec) -> str:
    return "" if spec.unit in ("1", "") else f" {spec.unit}"



def _calculator_hint(spec: FeatureSpec) -> str:
    kind = {"number": f"a number in {spec.unit}" if spec.unit not in ("", "1") else "a number",
            "boolean": "true or false",
            "category": "one of " + ", ".join(repr(c) for c in spec.categories)}[spec.kind]
    rng = f", valid {spec.describe_range()}" if spec.valid_range else ""
    return f"{spec.label}: {kind}{rng}"


def _encode(m: Manifest, spec: FeatureSpec, value: Any) -> tuple[float, list[str]]:
    """One value → its tensor number, plus flags; raises CannotCompute when unusable."""
    flags: list[str] = []
    if spec.kind == "boolean":
        if not isinstance(value, bool):
            raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be true or false, "
                                f"not {value!r}.")
        flag = spec.category_flags.get("true" if value else "false")
        if flag:
            flags.append(flag)
        return (1.0 if value else 0.0), flags
    if spec.kind == "category":
        if not isinstance(value, str) or value not in spec.categories:
            choices = ", ".join(repr(c) for c in spec.categories)
            raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be one of {choices}, "
                                f"not {value!r}.")
        flag = spec.category_flags.get(value)
        if flag:
            flags.append(flag)
        return float(spec.categories[value]), flags
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be a number in "
                            f"{spec.unit}, not {value!r}.")
    number = float(value)
    if spec.valid_range is not None:
        lo, hi = spec.valid_range
        if not lo <= number <= hi:
            if spec.out_of_range == "refuse":
                raise CannotCompute(f"Cannot compute {m.name}: {_outside(spec, number)}; the "
                                    "model is not valid there.")
            flags.append(f"extrapolated: {_outside(spec, number)}")
    if spec.clamp_min is not None and number < spec.clamp_min:
        flags.append(_clamped(spec, number, spec.clamp_min))
    if spec.clamp_max is not None and number > spec.clamp_max:
        flags.append(_clamped(spec, number, spec.clamp_max))
    return number, flags


def _outside(spec: FeatureSpec, number: float) -> str:
    return (f"{spec.name} {_fmt(number)}{_unit(spec)} is outside the valid range "
            f"{spec.describe_range()} ({spec.range_source})")


def _clamped(spec: FeatureSpec, number: float, bound: float) -> str:
    return f"{spec.name} {_fmt(number)}{_unit(spec)} counted as {_fmt(bound)} ({spec.clamp_note})"


def _encode_column(m: Manifest, spec: FeatureSpec, values: list[Any], present: np.ndarray,
                   flags: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_encode` for a whole column: (tensor numbers, rows it would refuse).

    Flags go onto each row's list in the order :func:`_encode` raises them. The checks
    are exact-type and conservative: anything unusual (a numpy scalar, a str subclass) is
    marked for the one-row path, which then decides; nothing is accepted that it refuses.
    """
    n = len(values)
    if spec.kind == "boolean":
        ok = np.array([type(v) is bool for v in values], dtype=bool)
        encoded = np.array([v is True for v in values], dtype=np.float64)
        for text, wanted in ((spec.category_flags.get("true"), True),
                             (spec.category_flags.get("false"), False)):
            if text:
                for i in np.flatnonzero(ok & (encoded == float(wanted))).tolist():
                    flags[i].append(text)
        return encoded, present & ~ok
    if spec.kind == "category":
        found = [spec.categories.get(v) if type(v) is str else None for v in values]
        ok = np.array([f is not None for f in found], dtype=bool)
        encoded = np.array([0.0 if f is None else f for f in found], dtype=np.float64)
        if spec.category_flags:
            for i in np.flatnonzero(ok).tolist():
                text = spec.category_flags.get(values[i])
                if text:
                    flags[i].append(text)
        return encoded, present & ~ok
    typed = np.array([type(v) is float or type(v) is int for v in values], dtype=bool)
    try:
        encoded = np.array([v if t else math.nan for v, t in zip(values, typed, strict=True)],
                           dtype=np.float64)
    except OverflowError:  # an int beyond float: the one-row path says what it makes of it
        return np.zeros(n), present.copy()
    ok = typed & np.isfinite(encoded)
    bad = present & ~ok
    if spec.valid_range is not None:
        lo, hi = spec.valid_range
        outside = ok & ~((encoded >= lo) & (encoded <= hi))
        if spec.out_of_range == "refuse":
            bad |= outside
        else:
            for i in np.flatnonzero(outside).tolist():
                flags[i].append(f"extrapolated: {_outside(spec, float(values[i]))}")
        ok &= ~bad
    if spec.clamp_min is not None:
        for i in np.flatnonzero(ok & (encoded < spec.clamp_min)).tolist():
            flags[i].append(_clamped(spec, float(values[i]), spec.clamp_min))
    if spec.clamp_max is not None:
        for i in np.flatnonzero(ok & (encoded > spec.clamp_max)).tolist():
            flags[i].append(_clamped(spec, float(values[i]), spec.clamp_max))
    return encoded, bad


def _absent_flags(used: Mapping[str, Sequence[InputValue | None]],
                  flags: list[list[str]]) -> None:
    """The "not in the record, counted as absent: …" flag, grouped by which inputs it names."""
    names = sorted(name for name, column in used.items()
                   if any(g is not None and g.assumed_absent for g in column))
    if not names:
        return
    groups: dict[tuple[str, ...], list[int]] = {}
    masks = [[g is not None and g.assumed_absent for g in used[name]] for name in names]
    for i, row in enumerate(zip(*masks, strict=True)):
        if any(row):
            groups.setdefault(tuple(n for n, a in zip(names, row, strict=True) if a), []).append(i)
    for absent, rows in groups.items():
        text = "not in the record, counted as absent: " + ", ".join(absent)
        for i in rows:
            flags[i].append(text)


def _applicability(m: Manifest, used: Mapping[str, InputValue]) -> list[str]:
    flags = []
    for rule in m.section().get("applicability", ()):
        given = used.get(rule["feature"])
        if given is None:
            if rule.get("when_missing"):  # a rule without it stays silent when not given
                flags.append(rule["when_missing"])
        elif given.value != rule["equals"]:
            flags.append(rule["otherwise"])
    return flags


def _categories(m: Manifest, arrays: Mapping[str, np.ndarray],
                primary: np.ndarray) -> list[str | None]:
    """:func:`_category` for a column of results (same bands, same comparisons)."""
    spec = m.section("outputs", "categories")
    if not spec:
        return [None] * len(primary)
    x = arrays.get(spec.get("output", ""), primary)
    labels = np.full(len(primary), str(spec["bands"][-1]["label"]), dtype=object)
    undecided = np.ones(len(primary), dtype=bool)
    for band in spec["bands"]:
        hit = undecided if "below" not in band else undecided & (x < band["below"])
        labels[hit] = str(band["label"])
        undecided &= ~hit
    return labels.tolist()


def _category(m: Manifest, scalars: Mapping[str, float], value: float) -> str | None:
    spec = m.section("outputs", "categories")
    if not spec:
        return None
    x = scalars.get(spec.get("output", ""), value)
    for band in spec["bands"]:
        if "below" not in band or x < band["below"]:
            return str(band["label"])
    return str(spec["bands"][-1]["label"])



def _advice(m: Manifest, inputs: Mapping[str, InputValue], category: str | None) -> str | None:
    """The category as advice only where the score applies.

    A demo model never gives advice (no category). A manifest's ``advice.requires`` names
    context inputs that must be true (CHA2DS2-VASc: atrial fibrillation); otherwise the
    category, which reads as a treatment recommendation, is replaced by the manifest's
    ``not_applicable`` text ("not applicable: no AF recorded").
    """
    if m.demo:
        return None
    spec = m.section("advice")
    for name in spec.get("requires", ()):
        given = inputs.get(name)
        if given is None or given.value is not True:
            return str(spec.get("not_applicable", "not applicable"))
    return category


def applies_to_sex(m: Manifest, sex: object) -> bool:
    """False when the manifest limits its inputs to other sexes (a pregnancy count for a
    man); a patient whose sex is not recorded is not excluded."""
    sexes = m.section("advice").get("sexes")
    return not sexes or sex not in ("female", "male") or sex in sexes
