"""Findings panel on a real analysed study: jump to the slice, heat map, signed review, permissions."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import PermissionDenied
from clinic_app.services import Services
from clinic_app.ui.radiology.display import StackRef
from clinic_app.ui.radiology.workspace import WORKSPACE, RadiologyWorkspace
from clinic_app.ui.shell.registry import load_specs, workspaces_for
from tests.ai_support import STACK_LESION, manifest, package, threshold_model, two_stack_series
from tests.conftest import PASSWORDS
from tests.ui.radiology_support import BRIGHT_WINDOW, NODULE, analysed_ct


def _opened(services, session, pool, qtbot, study_uid: str) -> RadiologyWorkspace:
    """A radiology workspace on ``study_uid``: its CT loaded and its findings listed."""
    ws = RadiologyWorkspace(services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1300, 850)
    ws.show()
    with qtbot.waitSignals([ws.loader.display_ready, ws.findings.status_changed], timeout=20_000,
                           check_params_cbs=[lambda d: d.complete, None], order="none"):
        ws.open_study(study_uid)
    return ws


@pytest.fixture
def reviewing(store, tmp_path, qtbot, pool):
    """A radiology workspace on an analysed CT, with its findings listed and the CT loaded."""
    services, session, written = analysed_ct(store, tmp_path)
    ws = _opened(services, session, pool, qtbot, written.study_uid)
    yield ws, services, session, written
    ws.shutdown()
    pool.wait(20_000)  # no worker may outlive the services it calls
    services.close()


def test_the_worklist_shows_the_study_as_flagged(reviewing, qtbot):
    """An analysed study with an unreviewed flagged finding is 'flagged' in the worklist."""
    ws, _, _, written = reviewing
    with qtbot.waitSignal(ws.worklist.model.modelReset, timeout=10_000):
        ws.refresh()
    assert ws.worklist.model.row_for(written.study_uid).ai_status.value == "flagged"


def test_clicking_a_finding_moves_to_its_slice_and_shows_its_heatmap(reviewing, qtbot):
    """The flagged finding is listed with model name/version and DEMO tag; clicking it jumps
    to the nodule's slice, draws its box and blends its heat map there."""
    ws, _, _, _ = reviewing
    panel = ws.findings
    assert panel.list.count() >= 1
    first = panel.items[0]
    assert first.flagged and first.model_name == "Bright nodule test model"
    assert "1.0.0" in panel.list.item(0).text() and "[DEMO]" in panel.list.item(0).text()
    assert panel.demo_banner.isVisibleTo(ws)
    canvas = ws.viewer.active_canvas
    canvas.set_slice(0)
    before = canvas.grab().toImage()
    rect = panel.list.visualItemRect(panel.list.item(0))
    with qtbot.waitSignal(panel.finding_selected, timeout=10_000,
                          check_params_cb=lambda _uid, ov: ov.heat is not None):
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.current is first
    # The finding's stored slice k is where the nodule was planted; the axial view shows it.
    assert first.slice_index == pytest.approx(NODULE[0], abs=1)
    shown_k = canvas.plane_map.voxel_of(0.5, 0.5, canvas.slice_index)[2]
    assert round(shown_k) == first.slice_index
    assert canvas.overlay is not None and canvas.overlay.heat is not None
    # The heat map is drawn: the screen differs from the same slice with opacity 0.
    with_heat = canvas.grab().toImage()
    panel.opacity.setValue(0)
    without_heat = canvas.grab().toImage()
    assert with_heat != without_heat
    assert with_heat != before
    # the box sits around the planted nodule (col 80, row 60)
    lo, hi = canvas.overlay.box_lo, canvas.overlay.box_hi
    assert lo[0] <= NODULE[2] <= hi[0] and lo[1] <= NODULE[1] <= hi[1]


def test_accept_with_comment_is_stored_audited_and_shown(reviewing, qtbot, store):
    """Accept → the service stores the signed review, the audit log has it, the line says who/when."""
    ws, services, session, written = reviewing
    panel = ws.findings
    panel.list.setCurrentRow(0)
    fid = panel.current.finding_id
    panel.comment.setText("agree, 8 mm nodule")
    with qtbot.waitSignal(panel.status_changed, timeout=10_000):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    stored = next(f for f in services.analysis.findings(session, written.study_uid) if f.id == fid)
    assert stored.review is not None
    review = stored.review
    assert (review.decision, review.user, review.comment) == ("accepted", "rad", "agree, 8 mm nodule")
    assert panel.current is not None and panel.current.finding_id == fid
    assert "Accepted by rad at" in panel.review_label.text()
    assert "Accepted by rad at" in panel.list.currentItem().text()
    admin = services.auth.login("admin", PASSWORDS["admin"])
    reviews = [e for e in services.audit.entries(admin, AuditFilter()) if e.action == "findings.review"]
    assert len(reviews) == 1 and reviews[0].user == "rad" and reviews[0].detail["decision"] == "accepted"
    # Reject overrides, also signed; flagged findings all decided → worklist 'reviewed'
    for row in range(panel.list.count()):
        panel.list.setCurrentRow(row)
        if panel.current.flagged and panel.current.review is None:
            with qtbot.waitSignal(panel.status_changed, timeout=10_000):
                panel.review("rejected")
    assert services.analysis.study_status(session, [written.study_uid])[written.study_uid] == "reviewed"


def test_a_physician_never_gets_the_radiology_workspace_and_the_service_refuses(reviewing, store):
    """The registry withholds the workspace from a physician; direct service calls are refused."""
    _, services, _, written = reviewing
    phys = services.auth.login("phys", PASSWORDS["phys"])
    rad = services.auth.login("rad", PASSWORDS["rad"])
    specs = load_specs()
    assert WORKSPACE in specs
    assert WORKSPACE not in workspaces_for(phys, specs)
    assert WORKSPACE in workspaces_for(rad, specs)
    finding = services.analysis.findings(phys, written.study_uid)[0]  # viewing is allowed
    with pytest.raises(PermissionDenied):
        services.analysis.review(phys, finding.id, "accepted")
    with pytest.raises(PermissionDenied):
        services.analysis.analyze(phys, written.study_uid, "bright")
    with pytest.raises(PermissionDenied):
        services.imaging.import_dicom(phys, [store.root])
    assert services.analysis.findings(rad, written.study_uid)[0].review is None


def test_analyse_runs_on_a_worker_and_refreshes_the_findings(reviewing, qtbot):
    """'Analyse' with the chosen model runs in the background, shows progress, then reloads."""
    ws, _, _, written = reviewing
    panel = ws.findings
    choice = panel.model_box.findData("bright")
    assert choice >= 0
    panel.model_box.setCurrentIndex(choice)
    with qtbot.waitSignal(panel.status_changed, timeout=30_000,
                          check_params_cb=lambda uid, status, _d: status == "flagged"):
        task = panel.analyse()
        assert task is not None and panel.progress.isVisible()
        assert ws.worklist.model.row_for(written.study_uid) is None or \
            ws.worklist.model.row_for(written.study_uid).ai_status.value == "running"
    assert panel.analysis_task is None and not panel.progress.isVisible()
    assert len(panel.items) >= 1
    assert np.isfinite(panel.items[0].score)


def test_a_finding_on_stack_two_opens_stack_two_at_its_slice(store, tmp_path, qtbot, pool):
    """On a series split into two stacks, selecting a finding of the second stack opens
    that stack (not the larger first one the viewer starts on), at the finding's slice,
    with its box around the lesion's bright voxels."""
    site = tmp_path / "site-models"
    site.mkdir()
    package(site / "bright", threshold_model(level=0.85),
            manifest(id="bright", name="Bright nodule test model", **BRIGHT_WINDOW,
                     inputs__image__series_selection__pixel_spacing_mm=[1.0, 1.6]))
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True), clock=store.clock)
    session = services.auth.login("rad", PASSWORDS["rad"])
    study, series, _sops = two_stack_series(tmp_path / "ct")
    services.imaging.import_dicom(session, [tmp_path / "ct"])
    services.analysis.analyze(session, study, "bright")
    ws = _opened(services, session, pool, qtbot, study)
    try:
        assert ws.viewer.stack_in(0) == StackRef(series, 0)  # the larger stack opens first
        panel = ws.findings
        row = next(n for n, f in enumerate(panel.items) if f.flagged)
        finding = panel.items[row]
        assert finding.stack_index == 1 and finding.slice_index == STACK_LESION.centre[0]
        with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000,
                              check_params_cb=lambda d: d.complete and d.stack_index == 1):
            panel.list.setCurrentRow(row)
        # Wait for the full stack to be shown and the overlay re-applied to it.
        qtbot.waitUntil(lambda: ws.viewer.active_canvas.overlay is not None, timeout=10_000)
        canvas = ws.viewer.active_canvas
        assert ws.viewer.stack_in(ws.viewer.active_index) == StackRef(series, 1)
        assert canvas.display is not None and canvas.display.stack_index == 1
        assert "stack 2 of 2" in canvas.display.series_label
        assert "On: stack 2 of 2" in panel.detail_text.text()
        assert "Analysed: by rad at" in panel.detail_text.text()
        shown_k = round(canvas.plane_map.voxel_of(0.5, 0.5, canvas.slice_index)[2])
        assert shown_k == finding.slice_index
        lo, hi = canvas.overlay.box_lo, canvas.overlay.box_hi
        j, i = round((lo[1] + hi[1]) / 2), round((lo[0] + hi[0]) / 2)
        assert canvas.display.voxels[shown_k, j, i] > 1500  # the lesion, on this stack's slice
    finally:
        ws.shutdown()
        pool.wait(20_000)
        services.close()


@pytest.mark.parametrize("radius_mm", [2.5, 6.0])
def test_a_small_nodule_on_thick_slices_says_its_size_is_approximate(store, tmp_path, qtbot, pool,
                                                                    radius_mm):
    """A 5 mm nodule on 2.5 mm slices: the list says "approximate (2.5 mm slices)" beside
    its size, and the selected finding's details say why and what to do, in plain words
    (core/inference/size_caveat.py). A 12 mm one on the same slices says nothing extra:
    advice only where it applies."""
    services, session, written = analysed_ct(store, tmp_path, radius_mm=radius_mm)
    ws = _opened(services, session, pool, qtbot, written.study_uid)
    try:
        panel = ws.findings
        row = next(n for n, f in enumerate(panel.items) if f.flagged)
        finding = panel.items[row]
        small = radius_mm < 4.0
        assert finding.diameter_mm == pytest.approx(2 * radius_mm, rel=0.15)
        assert finding.slice_mm == 2.5 and finding.size_approximate is small
        assert ("approximate (2.5 mm slices)" in panel.list.item(row).text()) is small
        with qtbot.waitSignal(panel.finding_selected, timeout=10_000):
            panel.list.setCurrentRow(row)
        detail = panel.detail_text.text()
        assert ("Approximate size: measured on slices 2.5 mm apart." in detail) is small
        assert ("1.5 mm or thinner (Fleischner Society)" in detail) is small
    finally:
        ws.shutdown()
        pool.wait(20_000)
        services.close()


def test_a_nodule_cut_off_by_the_last_image_says_it_may_be_larger(store, tmp_path, qtbot, pool):
    """A 12 mm nodule centred on the last of 20 images: "at the edge of the series" beside
    its size, and why in its details (its size is only what the series shows)."""
    services, session, written = analysed_ct(store, tmp_path, radius_mm=6.0, centre=(19.2, 60.0, 80.0))
    ws = _opened(services, session, pool, qtbot, written.study_uid)
    try:
        panel = ws.findings
        row = next(n for n, f in enumerate(panel.items) if f.flagged)
        assert panel.items[row].at_series_edge and panel.items[row].slice_range[1] == 19
        assert "at the edge of the series" in panel.list.item(row).text()
        with qtbot.waitSignal(panel.finding_selected, timeout=10_000):
            panel.list.setCurrentRow(row)
        assert "may extend beyond it: its size may be larger." in panel.detail_text.text()
    finally:
        ws.shutdown()
        pool.wait(20_000)
        services.close()
