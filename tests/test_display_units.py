"""Display units by site: conversion with the records unit table, both ways, and the PDF."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.records import codes
from clinic_app.core.records.display_units import (
    UnitSystem,
    display_unit_for,
    from_display,
    system_of,
    to_display,
    units_statement,
)

SI, US = UnitSystem.SI, UnitSystem.US


def test_si_site_reads_cholesterol_in_mmol_per_litre():
    """213 mg/dL total cholesterol is 5.51 mmol/L (÷ 38.67, the records table's factor)."""
    shown = to_display("total_cholesterol", 213.0, "mg/dL", SI)
    assert (shown.unit, shown.text()) == ("mmol/L", "5.51")
    assert shown.value == pytest.approx(213 / 38.67)


def test_si_creatinine_glucose_and_bilirubin_hand_values():
    """Creatinine 1.0 mg/dL = 88 µmol/L; glucose 126 mg/dL = 6.99 mmol/L; bilirubin 1 = 17."""
    assert to_display("creatinine", 1.0, "mg/dL", SI).text() == "88"
    assert to_display("glucose", 126.0, "mg/dL", SI).text() == "6.99"
    assert to_display("bilirubin", 1.0, "mg/dL", SI).text() == "17"


def test_us_site_and_non_lab_values_are_unchanged():
    """A US site sees mg/dL; blood pressure and waist are the same at every site."""
    assert to_display("total_cholesterol", 213.0, "mg/dL", US).unit == "mg/dL"
    assert display_unit_for("systolic_bp", "mm[Hg]", SI) == "mm[Hg]"
    assert to_display("waist_circumference", 80.0, "cm", SI).value == 80.0


@given(st.sampled_from(sorted(["total_cholesterol", "hdl_cholesterol", "ldl_cholesterol",
                               "triglycerides", "glucose", "creatinine"])),
       st.floats(0.1, 2000))
def test_display_and_entry_round_trip(name, value):
    """What is shown, typed back, is the stored value (same table both ways)."""
    spec = codes.spec_for_fact(name)
    shown = to_display(name, value, spec.unit, SI)
    assert from_display(name, shown.value, spec.unit, SI) == pytest.approx(value, rel=1e-12)


def test_optimal_values_note_converted_for_si():
    """The Estimator Plus optimal values read 4.40 and 1.29 mmol/L at an SI site."""
    from clinic_app.core.records.display_units import optimal_text

    us = "total cholesterol 170 mg/dL, HDL 50 mg/dL"
    assert optimal_text(us, US) == us
    assert optimal_text(us, SI) == "total cholesterol 4.40 mmol/L, HDL 1.29 mmol/L"


def test_factor_is_the_records_table_factor():
    """Display uses exactly the import conversion (one table, checked against pint)."""
    spec = codes.spec_for_fact("triglycerides")
    assert to_display("triglycerides", 88.57, "mg/dL", SI).value == pytest.approx(
        88.57 / spec.units["mmol/L"].factor)


def test_statement_names_the_units_and_settings_choose_the_system(tmp_path):
    """The report line says which units; display_units picks the system."""
    from clinic_app.config import Settings

    assert "mmol/L" in units_statement(SI) and "µmol/L" in units_statement(SI)
    assert "mg/dL" in units_statement(US)
    assert system_of(Settings(store_dir=tmp_path, display_units="si")) is SI
    assert system_of(Settings(store_dir=tmp_path)) is US


def test_pdf_states_si_units_and_shows_lipids_in_mmol(tmp_path):
    """The PDF report says 'Units: SI' and prints total cholesterol in mmol/L."""
    import subprocess
    from datetime import UTC, datetime

    from clinic_app.config import Settings
    from clinic_app.core.reports.risk_pdf import ReportPatient, render
    from clinic_app.services.risk import calculate

    r = calculate(Settings(store_dir=tmp_path), "framingham-cvd-10y", {
        "age": 55, "sex": "male", "total_cholesterol": 213, "hdl_cholesterol": 50,
        "systolic_bp": 140, "bp_treated": False, "smoker": False, "diabetes": False})
    pdf = render(ReportPatient("TEST, A", "MRN-9", "1970-01-01", "male"), [r], [],
                 generated_by="phys", generated_at=datetime(2026, 1, 5, tzinfo=UTC),
                 labels={}, units=SI)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Units: SI" in text
    assert "5.51 mmol/L" in text and "213 mg/dL" not in text
    assert "4.40 mmol/L" in text.replace("\n", " ")  # the optimal-value note, 170 mg/dL
    assert "mg/dL" not in text
