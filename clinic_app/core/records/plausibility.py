"""A measured value → its canonical unit, checked against what a human body allows.

Shared by every reader so that a value means the same whether it came from FHIR or a
spreadsheet. The ranges and their two tiers (reject / flag) are in ``codes.py``.
"""

from __future__ import annotations

import math

from clinic_app.core.records.batch import ItemError
from clinic_app.core.records.codes import ObservationCode
from clinic_app.core.records.inputs import unit_hint
from clinic_app.core.records.units import UnitError, convert, normalise_unit
from clinic_app.i18n import translate


def canonical_value(spec: ObservationCode, value: float, unit: str | None) -> tuple[float, list[str]]:
    """(value in ``spec.unit``, flags); raises :class:`ItemError` when it cannot be used."""
    if not math.isfinite(value):
        raise ItemError(f"{spec.name}: value is not a finite number")
    try:
        written = normalise_unit(unit or "")
        conversion = spec.units.get(written)
        # an unaccepted unit: convert() raises the message that names the accepted ones
        canonical = (convert(value, unit, spec.units, spec.unit) if conversion is None
                     else conversion.apply(value))
    except UnitError as exc:
        raise ItemError(f"{spec.name}: {exc}") from None
    plausible, expected = spec.plausible, spec.expected
    if (plausible is None or plausible.low <= canonical <= plausible.high) and (
            expected is None or expected.low <= canonical <= expected.high):
        return canonical, []  # the common case, without building the messages' context
    return canonical, range_flags(spec, canonical, (value, written))


def range_flags(spec: ObservationCode, value: float,
                as_written: tuple[float, str] | None = None) -> list[str]:
    """Reject a value outside the plausible range; flag one outside the expected range.

    With the value and unit as the source wrote them, both messages add "did you mean
    mmol/L?" when that number in another accepted unit would fit: a unit slip names itself.
    """
    def hint(fits: object) -> str:
        return unit_hint(spec, as_written[0], as_written[1], fits) if as_written else ""

    if spec.plausible is not None and value not in spec.plausible:
        said = hint(spec.plausible)
        text = (translate("plausibility", "{name} {value} {unit} is outside the "
                          "physiologically possible range {range} {unit}; check the value "
                          "and unit.{hint}") if said else
                translate("plausibility", "{name} {value} {unit} is outside the "
                          "physiologically possible range {range} {unit}; check the value "
                          "and unit"))
        raise ItemError(text.format(name=spec.name, value=f"{value:.4g}", unit=spec.unit,
                                    range=spec.plausible, hint=said))
    if spec.expected is not None and value not in spec.expected:
        said = hint(spec.expected)
        text = (translate("plausibility", "outside the expected range {range} {unit}; "
                          "verify.{hint}") if said else
                translate("plausibility", "outside the expected range {range} {unit}; verify"))
        return [text.format(range=spec.expected, unit=spec.unit, hint=said)]
    return []
