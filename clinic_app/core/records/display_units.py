"""Lab values in the site's display units (US mg/dL or SI mmol/L, µmol/L).

Values are stored and fed to the equations in one canonical unit per fact (mg/dL for
cholesterol, glucose, creatinine). A site chooses what its clinicians *read*
(``display_units`` in the site config): Chinese and European hospitals report lipids and
glucose in mmol/L. Conversion for display, and back for what a physician types, uses the
records unit table (:mod:`clinic_app.core.records.codes`, factors checked against pint),
so a displayed value and a stored one can never disagree by more than rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from clinic_app.core.records import codes
from clinic_app.i18n import translate


class UnitSystem(StrEnum):
    US = "us"
    SI = "si"


#: Fact (or model input) -> the unit an SI site reads it in. Facts not listed are shown in
#: their canonical unit everywhere (mmHg, %, kg/m², cm).
SI_UNITS: Mapping[str, str] = {
    codes.TOTAL_CHOLESTEROL: "mmol/L", codes.HDL_CHOLESTEROL: "mmol/L",
    codes.LDL_CHOLESTEROL: "mmol/L", codes.TRIGLYCERIDES: "mmol/L", codes.GLUCOSE: "mmol/L",
    codes.CREATININE: "umol/L", codes.BILIRUBIN: "umol/L",
}
#: Model input names that are a fact under another name.
_ALIASES: Mapping[str, str] = {"bilirubin": codes.BILIRUBIN}
#: Decimals a clinician expects per displayed unit.
DECIMALS: Mapping[str, int] = {"mmol/L": 2, "umol/L": 0, "mg/dL": 0}


@dataclass(frozen=True)
class Shown:
    """A value as displayed: number, unit (UCUM) and the decimals to print it with."""

    value: float
    unit: str
    decimals: int

    def text(self) -> str:
        return f"{self.value:.{self.decimals}f}"


def system_of(settings: object) -> UnitSystem:
    return UnitSystem(getattr(settings, "display_units", "us"))


def display_unit_for(name: str, canonical: str, system: UnitSystem) -> str:
    """The unit ``name`` (a fact or model input) is shown in under ``system``."""
    fact = _ALIASES.get(name, name)
    if system is UnitSystem.SI and fact in SI_UNITS:
        return SI_UNITS[fact]
    return canonical


def _factor(fact: str, unit: str) -> float:
    spec = codes.spec_for_fact(fact)
    if spec is None or unit not in spec.units:
        raise KeyError(f"{fact}: no conversion to {unit}")
    conversion = spec.units[unit]
    assert conversion.offset == 0.0  # only HbA1c has one, and it is never converted here
    return conversion.factor


def to_display(name: str, value: float, canonical: str, system: UnitSystem) -> Shown:
    """A canonical value converted for display (unchanged for facts without an SI unit)."""
    unit = display_unit_for(name, canonical, system)
    fact = _ALIASES.get(name, name)
    shown = value if unit == canonical else value / _factor(fact, unit)
    return Shown(shown, unit, DECIMALS.get(unit, 1))


def from_display(name: str, value: float, canonical: str, system: UnitSystem) -> float:
    """What a physician typed in the displayed unit, back to the canonical unit."""
    unit = display_unit_for(name, canonical, system)
    if unit == canonical:
        return value
    return value * _factor(_ALIASES.get(name, name), unit)


def units_statement(system: UnitSystem) -> str:
    """One line for a report or screen saying which units it uses."""
    if system is UnitSystem.SI:
        return translate("display_units",
                         "Units: SI — cholesterol, triglycerides and glucose in mmol/L; "
                         "creatinine and bilirubin in µmol/L; blood pressure in mmHg.")
    return translate("display_units",
                     "Units: US conventional — cholesterol, triglycerides, glucose, creatinine "
                     "and bilirubin in mg/dL; blood pressure in mmHg.")


def optimal_text(us_text: str, system: UnitSystem) -> str:
    """The ACC Estimator Plus optimal values (written "170 mg/dL", "50 mg/dL") in ``system``."""
    if system is UnitSystem.US:
        return us_text
    tc = to_display(codes.TOTAL_CHOLESTEROL, 170.0, "mg/dL", system)
    hdl = to_display(codes.HDL_CHOLESTEROL, 50.0, "mg/dL", system)
    unit = "mmol/L"
    return us_text.replace("170 mg/dL", f"{tc.text()} {unit}").replace(
        "50 mg/dL", f"{hdl.text()} {unit}")
