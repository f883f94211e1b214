"""What-if number fields in the site's display units (SI): shown and read back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDoubleSpinBox

from clinic_app.ui.physician import site_units


@pytest.fixture
def si():
    site_units.use("si")
    yield
    site_units.use("us")


def _box(lo: float, hi: float, recorded: float | None) -> QDoubleSpinBox:
    """A field built as the what-if panel builds it, in the canonical unit."""
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(0)
    box.setSuffix(" mg/dL")
    box.setSpecialValueText("as recorded")
    box.setMinimum(lo - 1)
    box.setValue(recorded if recorded is not None else lo - 1)
    box.setProperty("recorded", box.value())
    return box


def test_si_field_shows_mmol_and_reads_back_mg_dl(qtbot, si):
    """213 mg/dL shows as 5.51 mmol/L; typing 5.00 gives 193.35 mg/dL to the services."""
    box = _box(100, 405, 213.0)
    qtbot.addWidget(box)
    site_units.adapt_box(box, "total_cholesterol", "mg/dL", 213.0)
    assert box.suffix() == " mmol/L" and box.decimals() == 2
    assert box.value() == pytest.approx(5.51)
    box.setValue(5.0)
    assert site_units.entered(box, "total_cholesterol") == pytest.approx(5.0 * 38.67)


def test_si_field_keeps_the_as_recorded_marker(qtbot, si):
    """A missing value still opens at the 'as recorded' marker, below the valid range."""
    box = _box(100, 405, None)
    qtbot.addWidget(box)
    site_units.adapt_box(box, "total_cholesterol", "mg/dL", None)
    assert box.value() == box.minimum()
    assert box.minimum() < 100 / 38.67


def test_us_site_and_blood_pressure_fields_unchanged(qtbot):
    """At a US site, and for mmHg anywhere, the field is left as built."""
    box = _box(90, 200, 146.0)
    qtbot.addWidget(box)
    site_units.adapt_box(box, "systolic_bp", "mm[Hg]", 146.0)
    assert box.suffix() == " mg/dL" and box.value() == 146.0
    assert site_units.entered(box, "systolic_bp") == 146.0
