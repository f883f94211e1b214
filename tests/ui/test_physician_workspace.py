"""The physician's workspace over a real store holding the synthetic cohort (offscreen)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clinic_app.core.inference.results import ResultStore
from clinic_app.core.security.audit import AuditFilter, EventCode
from clinic_app.errors import PermissionDenied
from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.ui.physician import report
from clinic_app.ui.physician.patient_list import CANNOT_COMPUTE_FILTER, KEY_ROLE
from clinic_app.ui.physician.workspace import WORKSPACE, PhysicianWorkspace
from tests.conftest import StoreFixture
from tests.ui.conftest import settle

N_PATIENTS = 12


@pytest.fixture
def workspace(store: StoreFixture, qtbot, pool, tmp_path: Path):
    session = store.login("phys")
    bundle = generate_cohort(N_PATIENTS, seed=3).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(session, [bundle]).ok
    store.services.risk.score_all(session)
    w = PhysicianWorkspace(store.services, session, pool)
    qtbot.addWidget(w)
    settle(qtbot, pool)
    return w


def _column(w: PhysicianWorkspace, title: str) -> int:
    model = w.table_model
    return next(c for c in range(model.columnCount()) if model.column_title(c) == title)


def _shown(w: PhysicianWorkspace, column: int) -> list[str]:
    return [w.proxy.index(r, column).data() for r in range(w.proxy.rowCount())]


def _open(w: PhysicianWorkspace, qtbot, pool, key: int) -> None:
    assert w.select_patient(key)
    settle(qtbot, pool)
    assert w.current is not None and w.current.patient.key == key


def test_search_by_name_mrn_and_birth_date(workspace) -> None:
    """Typing a name, an MRN or an ISO birth date keeps only the matching patients."""
    w = workspace
    assert w.proxy.rowCount() == N_PATIENTS
    target = w.patients[3]
    w.search.setText(target.mrn)
    assert [s.split("\n")[1] for s in _shown(w, _column(w, "Name / MRN"))] == [target.mrn]
    w.search.setText(target.family.lower())
    assert all(target.family.upper() in n for n in _shown(w, _column(w, "Name / MRN")))
    w.search.setText(target.birth_date or "")
    assert target.birth_date in [s.split("\n")[0] for s in _shown(w, _column(w, "Born / age"))]
    w.search.setText("no-such-patient")
    assert w.proxy.rowCount() == 0
    assert "0 of" in w.count_label.text()


def test_sort_by_score_puts_highest_first_and_cannot_compute_last(workspace) -> None:
    """Sorting a score column descending orders by the number; no score sorts last."""
    w = workspace
    col = _column(w, "Framingham CVD 10y")
    w.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    keys = [w.proxy.index(r, 0).data(KEY_ROLE) for r in range(w.proxy.rowCount())]
    latest = {r.patient_key: r.value for r in w.services.risk_overview.latest_results(w.session)
              if r.model_id == "framingham-cvd-10y" and r.computed}
    values = [latest.get(k, float("-inf")) for k in keys]
    assert values == sorted(values, reverse=True)
    assert any(v > 0 for v in values)


def test_filter_by_category_and_cannot_compute(workspace) -> None:
    """The category filter keeps only patients in that category for the chosen model."""
    w = workspace
    w.filter_model.setCurrentIndex(w.filter_model.findData("cha2ds2-vasc"))
    total = w.proxy.rowCount()
    w.filter_category.setCurrentText(CANNOT_COMPUTE_FILTER)
    assert w.proxy.rowCount() == 0  # CHA2DS2-VASc is computable for every cohort patient
    w.filter_category.setCurrentText("any category")
    assert w.proxy.rowCount() == total


def test_list_says_why_a_score_cannot_be_computed(workspace) -> None:
    """After a batch the list says 'cannot compute' over 'missing race' where race is unrecorded;
    the filter finds them."""
    w = workspace
    col = _column(w, "ASCVD 10y (PCE)")
    no_race = {p.key for p in w.patients if p.race is None}
    assert no_race and len(no_race) < N_PATIENTS
    cells = {w.proxy.index(r, 0).data(KEY_ROLE): w.proxy.index(r, col)
             for r in range(w.proxy.rowCount())}
    for key in no_race:
        assert cells[key].data().startswith("cannot\ncompute\nmissing race")
        tip = cells[key].data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("Cannot compute: missing race (record the patient's race, e.g. US "
                              "Core race extension or the CSV race column)")
    w.filter_model.setCurrentIndex(w.filter_model.findData("pce-ascvd-10y"))
    w.filter_category.setCurrentText(CANNOT_COMPUTE_FILTER)
    shown = {w.proxy.index(r, 0).data(KEY_ROLE) for r in range(w.proxy.rowCount())}
    assert no_race <= shown
    outcomes = {r.patient_key: r for r in w.services.risk_overview.latest_results(w.session)
                if r.model_id == "pce-ascvd-10y"}
    assert shown == {k for k, r in outcomes.items() if not r.computed}


def test_risk_panel_shows_the_inputs_and_dates_used(workspace, qtbot, pool) -> None:
    """For a scored patient the panel lists each input with the value and date the service used."""
    w = workspace
    scored = {r.patient_key for r in w.services.risk_overview.latest_results(w.session)
              if r.model_id == "framingham-cvd-10y" and r.computed}
    key = sorted(scored)[0]
    _open(w, qtbot, pool, key)
    w.risk_panel.select_model("framingham-cvd-10y")
    detail = w.risk_panel.detail
    assert detail.cannot.isHidden()
    mrn = w.current.patient.mrn
    truth = w.services.risk.score_patient(w.session, mrn, model_ids=["framingham-cvd-10y"],
                                          store=False).results[0]
    table = detail.inputs
    shown = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    sbp = truth.inputs["systolic_bp"]
    assert sbp.date is not None
    assert shown["Systolic blood pressure"].startswith(sbp.date.astimezone().strftime("%Y-%m-%d"))
    values = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert values["Systolic blood pressure"].startswith(f"{float(sbp.value):.4g}")
    assert f"{truth.value * 100:.1f}" in detail.value.text()


def test_missing_input_gives_cannot_compute_with_the_reason(workspace, qtbot, pool) -> None:
    """A patient whose record has no race: the PCE panel says cannot compute and what to record."""
    w = workspace
    _open(w, qtbot, pool, next(p.key for p in w.patients if p.race is None))
    w.risk_panel.select_model("pce-ascvd-10y")
    detail = w.risk_panel.detail
    assert detail.value.text() == "Cannot compute"
    assert detail.cannot.text().startswith("Cannot compute: missing")
    assert "race (record the patient's race" in detail.cannot.text()
    missing = [detail.missing.item(r, 0).text() for r in range(detail.missing.rowCount())]
    assert "Race" in missing


def test_what_if_changes_the_value_and_stores_nothing(workspace, qtbot, pool) -> None:
    """Lowering SBP and stopping smoking shows a new value, marked hypothetical; nothing stored."""
    w = workspace
    scored = sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                     if r.model_id == "framingham-cvd-10y" and r.computed})
    _open(w, qtbot, pool, scored[0])
    store_rows = len(ResultStore(w.session.clinical).latest_all())
    all_rows = len(ResultStore(w.session.clinical).for_patient(scored[0]))
    panel = w.what_if
    panel.select_model("framingham-cvd-10y")
    panel._set_number("systolic_bp", 100.0)
    panel._set_choice("smoker", "yes")
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        panel.compute_button.click()
    assert not panel.banner.isHidden() and "HYPOTHETICAL" in panel.banner.text()
    current = panel.current_label.text()
    assert current.split("\n")[1] != panel.new_label.text().split("\n")[1]
    assert "Systolic blood pressure → 100" in panel.changes.text()
    assert len(ResultStore(w.session.clinical).latest_all()) == store_rows
    assert len(ResultStore(w.session.clinical).for_patient(scored[0])) == all_rows


def test_pdf_export_holds_the_score_and_is_audited(workspace, qtbot, pool, store, tmp_path) -> None:
    """The report is written where asked, holds the score and user, and an audited export exists."""
    from pypdf import PdfReader

    w = workspace
    scored = sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                     if r.model_id == "framingham-cvd-10y" and r.computed})
    _open(w, qtbot, pool, scored[0])
    path = tmp_path / "out" / "report.pdf"
    path.parent.mkdir()
    pages = report.export_report(w.services, w.session, w.current, w.current_scores, path)
    assert pages >= 1 and path.exists()
    # no temp file left; the FHIR RiskAssessments sit beside the PDF
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.fhir.json", "report.pdf"]
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    framingham = next(s for s in w.current_scores if s.model_id == "framingham-cvd-10y")
    assert re.sub(r"\s", "", framingham.value_text) in re.sub(r"\s", "", text)
    flat = re.sub(r"\s+", " ", text)
    assert "Generated by phys" in flat and "Patient risk report" in flat
    admin = store.login("admin")
    entries = store.services.audit.entries(admin, AuditFilter(event_code=EventCode.EXPORT))
    exports = [e for e in entries if e.action == "risk.report.export"]
    assert len(exports) == 1
    assert exports[0].patient.startswith("p-") and w.current.patient.mrn not in str(exports[0])


@pytest.mark.parametrize("user", ["rad", "admin"])
def test_radiologist_and_admin_never_get_the_workspace_and_services_refuse(store, user) -> None:
    """Neither role is offered the workspace, and the services refuse them directly."""
    session = store.login(user)
    assert not WORKSPACE.available_to(session)
    with pytest.raises(PermissionDenied):
        store.services.risk_overview.latest_results(session)
    with pytest.raises(PermissionDenied):
        store.services.risk_overview.record_report_export(session, "SYN000001", None,
                                                          model_ids=["x"], pages=1)
    with pytest.raises(PermissionDenied):
        store.services.risk.score_patient(session, "SYN000001")
    with pytest.raises(PermissionDenied):
        store.services.records.list_patients(session)


def _panel_text(detail) -> str:
    """Every text a clinician can read in the risk detail (labels, tables, chart ticks)."""
    parts = [w.text() for w in detail.findChildren(type(detail.title)) if not w.isHidden()]
    for table in (detail.inputs, detail.missing):
        parts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c) is not None]
    parts += [b.label for b in detail.chart.bars] + [detail.chart.axis_title]
    return "\n".join(parts)


def test_explanation_reads_in_percentage_points_against_optimal_risk(workspace, qtbot, pool) -> None:
    """Framingham: the reference risk and factor shares in percentage points, no variable names."""
    w = workspace
    scored = sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                     if r.model_id == "framingham-cvd-10y" and r.computed})
    _open(w, qtbot, pool, scored[0])
    w.risk_panel.select_model("framingham-cvd-10y")
    detail = w.risk_panel.detail
    truth = w.services.risk.score_patient(w.session, w.current.patient.mrn,
                                          model_ids=["framingham-cvd-10y"], store=False).results[0]
    e = truth.explanation
    assert f"{e.reference_risk * 100:.1f} %" in detail.reference.text()
    assert detail.chart.axis_title == "percentage points of absolute risk"
    bars = {b.label.split(":")[0]: b.value for b in detail.chart.bars}
    assert bars == pytest.approx({s.label: s.amount * 100 for s in e.shares}, abs=1e-9)
    text = _panel_text(detail)
    for bad in ("ln hazard", "linear predictor", "mm[Hg]", "bp_treated", "known_cvd",
                "systolic_bp", "2093-3", "8480-6", " a\n"):
        assert bad not in text, bad


def test_statin_what_if_shows_the_estimator_plus_therapy_impact(workspace, qtbot, pool) -> None:
    """For the PCE 'Start a statin' is live and lists therapies with the cited relative risks."""
    w = workspace
    scored = sorted({r.patient_key for r in w.services.risk_overview.latest_results(w.session)
                     if r.model_id == "pce-ascvd-10y" and r.computed})
    _open(w, qtbot, pool, scored[0])
    panel = w.what_if
    panel.select_model("pce-ascvd-10y")
    assert panel.statin_button.isEnabled()
    panel.statin_button.click()
    qtbot.waitUntil(lambda: "Estimator Plus" in panel.therapy.text(), timeout=60_000)
    text = panel.therapy.text()
    assert "Aspirin" in text and "bleeding" in text and "Lloyd-Jones" in text


def test_opening_a_patient_is_one_audit_entry_and_stores_nothing(workspace, qtbot, pool) -> None:
    """Selecting a patient (record, scores, study states and the trend chart) writes one audit
    entry, patient.open, and stores no risk result: looking is not scoring."""
    w = workspace
    audit, clinical = w.session.audit, w.session.clinical
    head = audit.head()[0]
    count = ("SELECT (SELECT count(*) FROM risk_results) + "
             "(SELECT count(*) FROM risk_not_computed)")
    stored = int(clinical.query(count)[0][0])
    for patient in w.patients[:3]:
        _open(w, qtbot, pool, patient.key)
        settle(qtbot, pool)
    actions = [e.action for e in audit.entries() if e.seq > head and e.user == "phys"]
    assert actions == ["patient.open"] * 3
    assert int(clinical.query(count)[0][0]) == stored
