"""A measured value → its canonical unit, checked against what a human body allows.

Shared by every reader so that a value means the same whether it came from FHIR or a
spreadsheet. The ranges and their two tiers (reject / flag) are in ``codes.py``.
"""

from __future__ import annotations

import math

from clinic_app.core.records.batch import ItemError
from clinic_app.core.records.codes import ObservationCode
from clinic_app.core.records.units import UnitError, convert


def canonical_value(spec: ObservationCode, value: float, unit: str | None) -> tuple[float, list[str]]:
    """(value in ``spec.unit``, flags); raises :class:`ItemError` when it cannot be used."""
    if not math.isfinite(value):
        raise ItemError(f"{spec.name}: value is not a finite number")
    try:
        canonical = convert(value, unit, spec.units, spec.unit)
    except UnitError as exc:
        raise ItemError(f"{spec.name}: {exc}") from None
    return canonical, range_flags(spec, canonical)


def range_flags(spec: ObservationCode, value: float) -> list[str]:
    """Reject a value outside the plausible range; flag one outside the expected range."""
    if spec.plausible is not None and value not in spec.plausible:
        raise ItemError(f"{spec.name} {value:.4g} {spec.unit} is outside the physiologically "
                        f"possible range {spec.plausible} {spec.unit}; check the value and unit")
    if spec.expected is not None and value not in spec.expected:
        return [f"outside the expected range {spec.expected} {spec.unit}; verify"]
    return []
