"""UCUM units as they arrive in records, and conversion to each fact's canonical unit.

Why a closed table instead of a general UCUM engine: a general engine would happily turn
"mg" into "mg/dL" errors of dimension we cannot see, and a molar-to-mass conversion
depends on the analyte, which no unit grammar knows. So every unit we accept for a fact
is listed explicitly with its factor; anything else (including no unit at all) is refused
with a message naming the unit and the units we do accept. Nothing is ever guessed.

Unit text is matched exactly after trimming, with a short list of common non-UCUM
spellings that have one unambiguous meaning (``mmHg`` for ``mm[Hg]``, ``µmol/L`` with a
micro sign or a Greek mu for ``umol/L``, ``mg/dl`` written with a lower-case l, which
UCUM itself allows). Upper-case variants such as ``MG/DL`` are the case-insensitive
UCUM form and are listed where they are unambiguous.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from clinic_app.errors import UnitError as UnitError

#: Spellings seen in exports that mean exactly one UCUM unit.
UNIT_ALIASES: Mapping[str, str] = {
    "mmHg": "mm[Hg]",
    "mm Hg": "mm[Hg]",
    "MM[HG]": "mm[Hg]",
    "mg/dl": "mg/dL",
    "MG/DL": "mg/dL",
    "mmol/l": "mmol/L",
    "MMOL/L": "mmol/L",
    "µmol/L": "umol/L",
    "μmol/L": "umol/L",
    "µmol/l": "umol/L",
    "μmol/l": "umol/L",
    "umol/l": "umol/L",
    "UMOL/L": "umol/L",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "g/dl": "g/dL",
    "mEq/L": "meq/L",
    "mEq/l": "meq/L",
    "meq/l": "meq/L",
    "kg/m^2": "kg/m2",
    "kg/m²": "kg/m2",
    "KG/M2": "kg/m2",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "in": "[in_i]",
    "inch": "[in_i]",
    "mmol/mol Hb": "mmol/mol",
    "{INR}": "{INR}",
    "INR": "{INR}",
    "ratio": "{ratio}",
}


@dataclass(frozen=True)
class Conversion:
    """canonical = value × factor + offset (offset only for HbA1c IFCC → NGSP)."""

    factor: float
    offset: float = 0.0

    def apply(self, value: float) -> float:
        return value * self.factor + self.offset


IDENTITY = Conversion(1.0)


def normalise_unit(text: str | None) -> str:
    """The UCUM code for ``text``; raises :class:`UnitError` when no unit is given."""
    if text is None or not text.strip():
        raise UnitError("the value has no unit; give its UCUM unit (e.g. mg/dL)")
    stripped = text.strip()
    return UNIT_ALIASES.get(stripped, stripped)


def convert(value: float, unit: str | None, accepted: Mapping[str, Conversion],
            canonical: str) -> float:
    """Convert ``value`` in ``unit`` to ``canonical`` using only ``accepted`` units."""
    code = normalise_unit(unit)
    conversion = accepted.get(code)
    if conversion is None:
        choices = ", ".join(sorted(accepted))
        shown = unit.strip() if unit else ""
        raise UnitError(f"unit '{shown[:40]}' is not accepted here (accepted: {choices}; "
                        f"canonical {canonical})")
    return conversion.apply(value)


# -- unit families ---------------------------------------------------------------------------
# Mass concentration to mg/dL.
_MASS_TO_MG_DL = {"mg/dL": 1.0, "g/L": 100.0, "mg/L": 0.1, "g/dL": 1000.0}
# Molar concentration to mmol/L.
_MOLAR_TO_MMOL_L = {"mmol/L": 1.0, "umol/L": 0.001}


def mass_concentration(mg_dl_per_mmol_l: float | None) -> dict[str, Conversion]:
    """Units for an analyte reported in mg/dL; molar units only with its factor.

    ``mg_dl_per_mmol_l`` is the analyte's conversion (cholesterol 38.67, triglycerides
    88.57, glucose 18.016, creatinine 1000/88.4, bilirubin 1000/17.1). ``None`` means
    molar units are not accepted for this analyte.
    """
    table = {u: Conversion(f) for u, f in _MASS_TO_MG_DL.items()}
    if mg_dl_per_mmol_l is not None:
        for unit, to_mmol in _MOLAR_TO_MMOL_L.items():
            table[unit] = Conversion(to_mmol * mg_dl_per_mmol_l)
    return table


def molar_concentration_monovalent() -> dict[str, Conversion]:
    """mmol/L for a monovalent ion (sodium), where 1 meq/L is 1 mmol/L."""
    table = {u: Conversion(f) for u, f in _MOLAR_TO_MMOL_L.items()}
    table["meq/L"] = IDENTITY
    return table


PRESSURE_MM_HG = {"mm[Hg]": IDENTITY, "kPa": Conversion(7.500617)}
MASS_KG = {"kg": IDENTITY, "g": Conversion(0.001), "[lb_av]": Conversion(0.45359237)}
LENGTH_CM = {"cm": IDENTITY, "m": Conversion(100.0), "mm": Conversion(0.1),
             "[in_i]": Conversion(2.54)}
BMI_KG_M2 = {"kg/m2": IDENTITY}
#: HbA1c: NGSP % is canonical; IFCC mmol/mol by the NGSP/IFCC master equation
#: (NGSP = 0.09148 × IFCC + 2.152; Hoelzel et al., Clin Chem 2004;50:166-174).
HBA1C_PERCENT = {"%": IDENTITY, "mmol/mol": Conversion(0.09148, 2.152)}
#: Urine albumin-to-creatinine ratio: mg/g canonical; mg/mmol (creatinine 113.12 g/mol:
#: 1 mg/mmol = 1000/113.12 = 8.84 mg/g; KDIGO 2012: 3 mg/mmol ≈ 30 mg/g).
UACR_MG_G = {"mg/g": IDENTITY, "mg/g{creat}": IDENTITY, "mg/mmol": Conversion(8.84),
             "mg/mmol{creat}": Conversion(8.84)}
#: INR is a ratio: UCUM "1" or the annotations clinics use for it.
RATIO = {"1": IDENTITY, "{INR}": IDENTITY, "{ratio}": IDENTITY}
