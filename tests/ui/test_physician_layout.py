"""The physician's screens at 1280x800: nothing hidden off the right, and the risk panel's
ways into the what-if (the model that is open; the missing inputs), over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableView, QTableWidget

from clinic_app.core.inference.results import ResultStore
from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.ui.physician import list_columns
from clinic_app.ui.physician.patient_list import compact_score, wrapped_title
from clinic_app.ui.physician.workspace import PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.ui.conftest import settle


@pytest.fixture
def workspace(store: StoreFixture, qtbot, pool, tmp_path: Path):
    session = store.login("phys")
    bundle = generate_cohort(12, seed=3).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(session, [bundle]).ok
    store.services.risk.score_all(session)
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    settle(qtbot, pool)
    return w


def _open(w: PhysicianWorkspace, qtbot, pool, key: int) -> None:
    assert w.select_patient(key)
    settle(qtbot, pool)
    assert w.current is not None and w.current.patient.key == key


def _hidden_columns(table: QTableView | QTableWidget) -> list[str]:
    """Visible columns whose right edge lies beyond the table's viewport."""
    model = table.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal))
            for c in range(model.columnCount()) if not table.isColumnHidden(c)
            and table.columnViewportPosition(c) + table.columnWidth(c) > table.viewport().width()]


def _scored(w: PhysicianWorkspace, model_id: str) -> list[int]:
    return sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                   if r.model_id == model_id and r.computed})


def test_inputs_table_shows_date_and_source_at_1280x800(workspace, qtbot, pool) -> None:
    """At 1280x800 the risk panel's inputs table has every column, Date and Source included,
    inside its width (no column behind a horizontal scroll bar)."""
    w = workspace
    _open(w, qtbot, pool, _scored(w, "pce-ascvd-10y")[0])
    w.tabs.setCurrentIndex(1)
    w.risk_panel.select_model("pce-ascvd-10y")
    table = w.risk_panel.detail.inputs
    # The tab's layout is applied by a posted event: wait for the panel to have its width
    # (a loaded machine can still be at the default size when the table first shows).
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    source = headers.index("Source")
    qtbot.waitUntil(lambda: table.isVisible() and w.risk_panel.detail.width() > 0
                    and not _hidden_columns(table) and table.columnWidth(source) >= 60,
                    timeout=5_000)
    assert "Date" in headers and "Source" in headers
    assert _hidden_columns(table) == []
    assert table.columnWidth(source) >= 60
    assert table.item(0, source).toolTip() == table.item(0, source).text()


def test_patient_list_fits_1280_when_no_patient_is_open(workspace) -> None:
    """Before a patient is opened the list has the whole 1280-pixel window, and every score
    column (one per model, none hidden) fits without horizontal scrolling."""
    w = workspace
    assert not w.right.isVisible()
    assert all(not w.table.isColumnHidden(c) for c in range(w.table_model.columnCount()))
    assert len(w.table_model.models) >= 8
    assert _hidden_columns(w.table) == []


def test_wide_list_toggle_and_opening_a_patient(workspace, qtbot, pool) -> None:
    """Opening a patient shows the chart beside the list; "Wide list" hides it again."""
    w = workspace
    _open(w, qtbot, pool, w.patients[0].key)
    assert w.right.isVisible()
    w.wide_button.setChecked(True)
    assert not w.right.isVisible()
    _open(w, qtbot, pool, w.patients[1].key)
    assert w.right.isVisible() and not w.wide_button.isChecked()


def test_score_columns_are_compact_with_full_names_in_tooltips(workspace) -> None:
    """Score cells are two short lines, headers wrap, and a header's tooltip is the full name."""
    w = workspace
    model = w.table_model
    first = len(model.FIXED)
    assert model.headerData(first, Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.ToolTipRole) == w.catalog.cards[model.models[0].model_id].name
    for section in range(first, first + len(model.models)):
        assert w.table.columnWidth(section) <= list_columns.SCORE_WIDTH
    assert wrapped_title("ASCVD 10y (PCE)") == "ASCVD 10y\n(PCE)"
    assert wrapped_title("MELD-Na") == "MELD-Na"
    results = [r for row in model.rows for r in row.results.values()]
    computed = next(r for r in results if r.value is not None and r.category)
    assert compact_score(computed) == f"{computed.value_text}\n{computed.category}"
    refused = next(r for r in results if r.value is None)
    assert compact_score(refused).startswith("cannot\ncompute")


def test_column_chooser_hides_and_restores_a_model(workspace) -> None:
    """Unticking a model in the header menu hides its column; "Show all" brings it back."""
    w = workspace
    menu = list_columns.chooser_menu(w.table, w.table_model)
    first = len(w.table_model.FIXED)
    entries = [a for a in menu.actions() if a.isCheckable()]
    assert len(entries) == len(w.table_model.models) and all(a.isChecked() for a in entries)
    entries[0].setChecked(False)
    assert w.table.isColumnHidden(first)
    next(a for a in menu.actions() if a.text() == "Show all score columns").trigger()
    assert not w.table.isColumnHidden(first)


def test_what_if_opens_on_the_model_open_in_the_risk_panel(workspace, qtbot, pool) -> None:
    """The what-if shows the model selected in the risk panel, on opening and on switching,
    with the recorded values in its form."""
    w = workspace
    key = _scored(w, "framingham-cvd-10y")[0]
    _open(w, qtbot, pool, key)
    assert w.what_if.model.currentData() == w.risk_panel.current_model_id()
    w.risk_panel.select_model("framingham-cvd-10y")
    assert w.what_if.model.currentData() == "framingham-cvd-10y"
    _open(w, qtbot, pool, next(p.key for p in w.patients if p.key != key))
    assert w.what_if.model.currentData() == w.risk_panel.current_model_id()
    smoker = w.what_if.controls["smoker"]
    assert isinstance(smoker, QComboBox) and smoker.currentText().startswith("as recorded (")


def test_missing_input_is_entered_for_one_scoring_and_not_stored(workspace, qtbot, pool) -> None:
    """From the risk panel's missing inputs the physician enters race for the PCE in the
    what-if: the result is computed, the race is marked as entered by them, nothing is stored."""
    w = workspace
    key = next(p.key for p in w.patients if p.race is None)
    _open(w, qtbot, pool, key)
    w.tabs.setCurrentIndex(1)
    w.risk_panel.select_model("pce-ascvd-10y")
    detail = w.risk_panel.detail
    assert detail.enter_missing.isVisible()
    stored = len(ResultStore(w.session.clinical).for_patient(key))
    detail.enter_missing.click()
    assert w.tabs.currentWidget() is w.what_if_tab
    assert w.what_if.model.currentData() == "pce-ascvd-10y"
    race = w.what_if.controls["race"]
    assert isinstance(race, QComboBox) and race.hasFocus()
    race.setCurrentIndex(race.findText("white"))
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        w.what_if.compute_button.click()
    assert "%" in w.what_if.new_label.text()
    assert "Race → white (entered by you; not in the record)" in w.what_if.changes.text()
    assert len(ResultStore(w.session.clinical).for_patient(key)) == stored


def test_a_refusal_names_inputs_in_clinical_words() -> None:
    """A stored refusal's reason reads "total cholesterol …", never the variable name."""
    from datetime import UTC, datetime

    from clinic_app.services.score_outcome import ScoreOutcome
    from clinic_app.ui.physician.adapt import _unknown_card, outcome_view

    refusal = ScoreOutcome("pce-ascvd-10y", "PCE", "1", datetime.now(UTC),
                           reason="total_cholesterol 125 mg/dL is outside the valid range "
                                  "130–320 mg/dL")
    view = outcome_view(refusal, _unknown_card("pce-ascvd-10y", "PCE"),
                        {"total_cholesterol": "Total cholesterol"})
    assert view.reason.startswith("total cholesterol 125 mg/dL is outside")
    assert "total_cholesterol" not in compact_score(view)
