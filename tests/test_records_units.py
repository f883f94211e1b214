"""Units: conversions to canonical units, and refusal of unknown or missing units."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.records import codes
from clinic_app.core.records import units as u
from clinic_app.core.records.batch import ItemError
from clinic_app.core.records.plausibility import canonical_value

SPEC = codes.OBSERVATIONS


@pytest.mark.parametrize(("loinc", "value", "unit", "expected"), [
    ("2093-3", 5.0, "mmol/L", 5.0 * 38.67),
    ("2085-9", 1.0, "mmol/l", 38.67),
    ("13457-7", 3.0, "mmol/L", 3.0 * 38.67),
    ("2571-8", 2.0, "mmol/L", 2.0 * 88.57),
    ("2345-7", 5.5, "mmol/L", 5.5 * 18.016),
    ("2160-0", 88.4, "umol/L", 1.0),
    ("2160-0", 176.8, "µmol/L", 2.0),
    ("1975-2", 17.1, "μmol/L", 1.0),
    ("2093-3", 2.0, "g/L", 200.0),
    ("4548-4", 53.0, "mmol/mol", 0.09148 * 53 + 2.152),
    ("8480-6", 16.0, "kPa", 16.0 * 7.500617),
    ("8480-6", 120.0, "mmHg", 120.0),
    ("29463-7", 176.0, "[lb_av]", 176.0 * 0.45359237),
    ("8302-2", 1.75, "m", 175.0),
    ("6301-6", 1.1, "{INR}", 1.1),
    ("2951-2", 140.0, "mEq/L", 140.0),
])
def test_converts_to_canonical_unit(loinc, value, unit, expected):
    """Each accepted unit converts with the published factor (cholesterol ×38.67 and so on)."""
    spec = SPEC[loinc]
    converted, _flags = canonical_value(spec, value, unit)
    assert converted == pytest.approx(expected, rel=1e-9)


def test_missing_unit_is_refused():
    """A value with no unit is refused, never assumed to be in the canonical unit."""
    with pytest.raises(ItemError, match="has no unit"):
        canonical_value(SPEC["2093-3"], 200, None)
    with pytest.raises(ItemError, match="has no unit"):
        canonical_value(SPEC["2093-3"], 200, "  ")


def test_wrong_dimension_is_refused_with_the_accepted_units():
    """A unit of another dimension (mmol/L for blood pressure) is refused, listing the accepted ones."""
    with pytest.raises(ItemError, match=r"unit 'mmol/L' is not accepted.*mm\[Hg\]"):
        canonical_value(SPEC["8480-6"], 5, "mmol/L")


def test_molar_units_are_refused_where_no_molar_mass_applies():
    """HbA1c in mmol/L has no defined conversion and is refused, not guessed."""
    with pytest.raises(ItemError, match="not accepted"):
        canonical_value(SPEC["4548-4"], 5, "mmol/L")


def test_case_insensitive_ucum_is_only_accepted_where_listed():
    """'MG/DL' is a listed alias; 'Mg/Dl' is not UCUM and is refused."""
    assert canonical_value(SPEC["2093-3"], 200, "MG/DL")[0] == 200
    with pytest.raises(ItemError):
        canonical_value(SPEC["2093-3"], 200, "Mg/Dl")


def test_range_tiers_reject_and_flag():
    """Outside the plausible range is rejected; outside the expected range is kept and flagged."""
    with pytest.raises(ItemError, match="physiologically possible"):
        canonical_value(SPEC["8480-6"], 1200, "mm[Hg]")
    with pytest.raises(ItemError, match="physiologically possible"):
        canonical_value(SPEC["2085-9"], 0, "mg/dL")
    value, flags = canonical_value(SPEC["8480-6"], 262, "mm[Hg]")
    assert value == 262 and flags and "expected range" in flags[0]
    assert canonical_value(SPEC["8480-6"], 128, "mm[Hg]")[1] == []


def test_non_finite_values_are_refused():
    """NaN and infinity never become facts."""
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ItemError, match="finite"):
            canonical_value(SPEC["2093-3"], bad, "mg/dL")


@given(st.sampled_from(sorted(SPEC)), st.floats(min_value=-1e6, max_value=1e6),
       st.text(max_size=12))
def test_any_input_either_converts_or_is_refused_cleanly(loinc, value, unit):
    """Whatever value and unit text arrive, the result is a checked finite value or ItemError."""
    spec = SPEC[loinc]
    if spec.coded:
        return
    try:
        converted, _flags = canonical_value(spec, value, unit)
    except ItemError as exc:
        assert str(exc)
        return
    assert math.isfinite(converted)
    assert spec.plausible is not None and converted in spec.plausible
    assert u.normalise_unit(unit) in spec.units


@given(st.sampled_from(sorted(k for k, v in SPEC.items() if not v.coded)), st.data())
def test_every_accepted_unit_round_trips_back(loinc, data):
    """Converting a canonical value into any accepted unit and back gives the same value."""
    spec = SPEC[loinc]
    unit = data.draw(st.sampled_from(sorted(spec.units)))
    assert spec.plausible is not None
    margin = (spec.plausible.high - spec.plausible.low) * 1e-9  # float error at the edges
    canonical = data.draw(st.floats(min_value=spec.plausible.low + margin,
                                    max_value=spec.plausible.high - margin))
    conv = spec.units[unit]
    in_unit = (canonical - conv.offset) / conv.factor
    back, _ = canonical_value(spec, in_unit, unit)
    assert back == pytest.approx(canonical, rel=1e-9, abs=1e-9)
