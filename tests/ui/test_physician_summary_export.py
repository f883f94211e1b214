"""The summary of a US Core export written by carebundle (an outside generator), offscreen."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.ui.conftest import settle


@pytest.fixture
def summary(store: StoreFixture, qtbot, pool, tmp_path: Path):
    from carebundle import generate_cohort, to_json

    phys = store.login("phys")
    bundles = generate_cohort(count=2, seed=5, prevalence={"hypertension": 0.5,
                                                           "type2_diabetes": 0.5},
                              reference_date=datetime.date(2026, 1, 1))
    paths = []
    for i, bundle in enumerate(bundles):
        paths.append(tmp_path / f"carebundle-{i}.json")
        paths[-1].write_text(to_json(bundle), encoding="utf-8")
    assert store.services.records.import_files(phys, paths).ok
    w = PhysicianWorkspace(store.services, phys, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    assert w.select_patient(w.patients[0].key)
    settle(qtbot, pool)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_value_and_date_stay_in_view_beside_long_lab_names(summary) -> None:
    """At 1280x800 the latest-values table shows each value and date (the long LOINC names
    from the export are elided instead, with the full name in the tooltip)."""
    table = summary.summary.latest
    header = table.horizontalHeader()
    names = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert max(map(len, names)) > 60  # the export's long LOINC names are there
    for column in (2, 3):  # Value, Date
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionSize(column) > 0 and right <= table.viewport().width(), column
    assert all(table.item(r, 1).toolTip() == names[r] for r in range(table.rowCount()))


def test_results_no_score_reads_show_units_as_clinicians_write_them(summary) -> None:
    """Temperature and blood counts from the export read °C and ×10³/µL, never UCUM codes."""
    table = summary.summary.latest
    values = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    temperature = next(v for k, v in values.items() if k.startswith("Body temperature"))
    platelets = next(v for k, v in values.items() if k.startswith("Platelets"))
    assert temperature.endswith(" °C") and platelets.endswith(" ×10³/µL")
    assert not any(v.endswith((" Cel", "10*3/uL", "10*6/uL")) for v in values.values())


def test_display_units_are_valid_ucum() -> None:
    """Every UCUM code the summary rewrites is one ucumvert parses (no typo'd keys)."""
    from ucumvert import PintUcumRegistry

    from clinic_app.ui.physician.summary import AS_WRITTEN_UNITS

    registry = PintUcumRegistry()
    for code in AS_WRITTEN_UNITS:
        if code != "{INR}":  # an annotation alone: dimensionless by definition
            registry.from_ucum(code)
