"""The site's display units (US or SI) for the physician screens.

Set once when the physician workspace opens (from the site config's ``display_units``);
the screens format lab values through :func:`shown_value` and read what-if entries back
through :func:`to_canonical`, so every screen shows the same units and stored values stay
canonical. Kept apart from the widgets so the risk panel and what-if change by one call.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox

from clinic_app.core.records.display_units import (
    DECIMALS,
    Shown,
    UnitSystem,
    display_unit_for,
    from_display,
    to_display,
    units_statement,
)
from clinic_app.core.records.display_units import optimal_text as core_optimal_text
from clinic_app.core.reports.wording import clinical_unit

_CURRENT = [UnitSystem.US]


def use(system: str | UnitSystem) -> None:
    """Make ``system`` ("us" or "si") the units every physician screen shows."""
    _CURRENT[0] = UnitSystem(system)


def current() -> UnitSystem:
    return _CURRENT[0]


def shown_value(name: str, value: float, unit: str) -> Shown | None:
    """``value`` (canonical ``unit``) as displayed, or None when it is shown unchanged."""
    try:
        shown = to_display(name, value, unit, current())
    except KeyError:
        return None
    return shown if shown.unit != unit else None


def shown_unit(name: str, unit: str) -> str:
    return display_unit_for(name, unit, current())


def to_canonical(name: str, value: float, unit: str) -> float:
    """A value typed in the displayed unit, in the canonical unit the services take."""
    return from_display(name, value, unit, current())


def statement() -> str:
    return units_statement(current())


def plotted(name: str, value: float, unit: str) -> float:
    """A canonical value in the displayed unit, unrounded (for charts)."""
    converted = shown_value(name, value, unit)
    return converted.value if converted is not None else value


def adapt_box(box: QDoubleSpinBox, name: str, unit: str, value: object = None) -> None:
    """Switch a what-if number field built in the canonical ``unit`` to the displayed
    unit: range, decimals, suffix and the recorded ``value`` (unrounded, canonical). Its
    lowest value stays the "as recorded" marker."""
    shown = shown_unit(name, unit)
    if shown == unit:
        return
    recorded = isinstance(value, (int, float)) and not isinstance(value, bool)
    lo, hi = box.minimum() + 1, box.maximum()
    decimals = DECIMALS.get(shown, 1)
    box.setDecimals(decimals)
    marker = plotted(name, lo, unit) - 10 ** -decimals
    box.setRange(marker, plotted(name, hi, unit))
    box.setSuffix(f" {clinical_unit(shown)}")
    box.setValue(plotted(name, float(value), unit) if recorded else marker)  # type: ignore[arg-type]
    box.setProperty("recorded", box.value())
    box.setProperty("canonical_unit", unit)


def entered(box: QDoubleSpinBox, name: str) -> float:
    """The value of a what-if number field, in the canonical unit the services take."""
    unit = box.property("canonical_unit")
    value = float(box.value())
    return to_canonical(name, value, str(unit)) if unit else value



def optimal_text(us_text: str) -> str:
    """The Estimator Plus optimal values (written in mg/dL) in the displayed units."""
    return core_optimal_text(us_text, current())
