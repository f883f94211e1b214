"""Findings panel: modify a box, add a missed finding, export results — stored, audited, shown."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from PySide6.QtWidgets import QDialog

from clinic_app.core.security.audit import AuditFilter
from clinic_app.ui.radiology.results_actions import BoxDialog, BoxInput
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.conftest import PASSWORDS
from tests.ui.radiology_support import analysed_ct


@pytest.fixture
def panel(store, tmp_path, qtbot, pool):
    """The findings panel of a radiology workspace on an analysed CT, first finding selected."""
    services, session, written = analysed_ct(store, tmp_path)
    ws = RadiologyWorkspace(services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    with qtbot.waitSignals([ws.loader.display_ready, ws.findings.status_changed], timeout=20_000,
                           check_params_cbs=[lambda d: d.complete, None], order="none"):
        ws.open_study(written.study_uid)
    ws.findings.list.setCurrentRow(0)
    yield ws.findings, services, session, written
    ws.shutdown()
    pool.wait(20_000)
    services.close()


def test_modify_dialog_opens_on_the_findings_box_and_the_change_is_stored(panel, qtbot):
    """The dialog starts on the finding's slice and box; OK stores 'modified' and the line says so."""
    findings, services, session, written = panel
    f = findings.current
    dialog = BoxDialog(findings, "Modify", findings.study, finding=f, ask_label=False)
    qtbot.addWidget(dialog)
    assert dialog.slice.value() == f.slice_index
    assert [s.value() for s in dialog.spins] == [*f.bbox_px["col"], *f.bbox_px["row"]]
    values = dialog.values()
    smaller = BoxInput(values.series_uid, values.stack, values.slice_index,
                       (values.cols[0] + 1, values.cols[1] - 1), values.rows, "", "tighter")
    with qtbot.waitSignal(findings.status_changed, timeout=10_000):
        findings.results_actions.modify(smaller)
    stored = next(x for x in services.analysis.findings(session, written.study_uid)
                  if x.id == f.finding_id)
    assert stored.review_status == "modified"
    assert stored.review.revised is not None and stored.review.revised.cols == tuple(smaller.cols)
    assert "Modified by rad" in findings.review_label.text()
    from PySide6.QtCore import Qt

    from clinic_app.ui.radiology.review_marks import COLOURS, ReviewState
    item = findings.list.currentItem() or findings.list.item(0)
    assert item.data(Qt.ItemDataRole.UserRole + 2) == ReviewState.MODIFIED  # its own mark in the list
    assert item.foreground().color() == COLOURS[ReviewState.MODIFIED]


def test_add_missed_finding_and_export_results_from_the_panel(panel, qtbot, tmp_path: Path):
    """Add stores the radiologist's finding; Export writes DICOM files and says where."""
    findings, services, session, written = panel
    dialog = BoxDialog(findings, "Add", findings.study, finding=None, ask_label=True)
    qtbot.addWidget(dialog)
    dialog.slice.setValue(3)
    for spin, v in zip(dialog.spins, (10, 20, 30, 40), strict=True):
        spin.setValue(v)
    dialog.label.setText("pulmonary nodule")
    values = dialog.values()
    assert (values.slice_index, values.cols, values.rows) == (3, (10, 20), (30, 40))
    with qtbot.waitSignal(findings.status_changed, timeout=10_000):
        findings.results_actions.add(values)
    (added,) = services.review_edits.added_findings(session, written.study_uid)
    assert added.label == "pulmonary nodule" and added.placement.cols == (10, 20)
    with qtbot.waitSignal(findings.results_actions.exported, timeout=30_000) as blocker:
        findings.results_actions.export_results(tmp_path / "out")
    assert str(tmp_path / "out") in blocker.args[0]
    assert {p.name.split("_")[0] for p in (tmp_path / "out").glob("*.dcm")} >= {"SR", "KO"}
    admin = services.auth.login("admin", PASSWORDS["admin"])
    actions = [e.action for e in services.audit.entries(admin, AuditFilter())]
    assert "findings.add" in actions and "results.export" in actions
    assert QDialog  # the dialogs are modal in use; tests drive them through values()


@pytest.mark.slow
def test_panel_screenshots(panel, qtbot, tmp_path: Path):
    """The panel with the new actions renders at 1280x800 and 1920x1080 (saved for a look)."""
    findings, *_ = panel
    ws = findings.window()
    for w, h in ((1280, 800), (1920, 1080)):
        ws.resize(w, h)
        qtbot.wait_until(lambda w=w: ws.width() == w, timeout=5_000)
        image = ws.grab().toImage()
        assert image.width() == w
        image.save(str(tmp_path / f"findings_{w}.png"))
    assert findings.results_actions.modify_button.isEnabled() and findings.results_actions.export_button.isEnabled()


def test_export_deidentified_from_the_panel(panel, qtbot, tmp_path: Path):
    """The panel's de-identified export writes the study under a pseudonym and says so."""
    findings, *_ = panel
    with qtbot.waitSignal(findings.results_actions.exported, timeout=60_000) as blocker:
        findings.results_actions.export_deidentified(tmp_path / "deid")
    assert "De-identified copy (20 images, as ANON-" in blocker.args[0]
    first = next((tmp_path / "deid").rglob("*.dcm"))
    assert pydicom.dcmread(first).PatientIdentityRemoved == "YES"
