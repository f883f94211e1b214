"""Priors side by side: hanging protocol on open, linked scroll by position, linked window,
a reader's saved layout, and where their key file lives."""

from __future__ import annotations

import json

import pytest

from clinic_app.ui.radiology.viewer import Layout
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.ui.radiology_support import import_ct


@pytest.fixture
def two_visits(store, tmp_path, monkeypatch):
    """Today's 24-slice CT and a 12-slice prior of the same patient a year before."""
    monkeypatch.setenv("CLINIC_APP_USER_CONFIG", str(tmp_path / "cfg" / "config.toml"))
    session, today = import_ct(store, tmp_path / "today", seed=0, study_date="2025-11-03")
    _, prior = import_ct(store, tmp_path / "prior", slices=12, seed=1, study_date="2024-10-01")
    return session, today, prior


def _workspace(store, session, qtbot, pool) -> RadiologyWorkspace:
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    return ws


def _open_with_prior(ws, qtbot, study_uid):
    with qtbot.waitSignal(ws.compare.prior_opened, timeout=20_000):
        ws.open_study(study_uid, with_prior=True)
    canvases = [vp.canvas for vp in ws.viewer.viewports[:2]]
    qtbot.waitUntil(lambda: all(c.display is not None and c.display.complete for c in canvases),
                    timeout=20_000)
    return canvases


def test_open_with_prior_hangs_both_visits_side_by_side_with_dates(store, two_visits, qtbot, pool):
    """The CT chest rule with one prior: 1×2, today left, the prior right, each dated."""
    session, today, prior = two_visits
    ws = _workspace(store, session, qtbot, pool)
    now, before = _open_with_prior(ws, qtbot, today.study_uid)
    assert ws.viewer.layout_mode is Layout.ONE_BY_TWO
    assert ws.compare.rule is not None and ws.compare.rule.name == "CT chest with prior"
    assert now.display.series_uid == today.series_uid
    assert before.display.series_uid == prior.series_uid
    assert now.corner_lines()["top_right"][0] == "CURRENT"
    assert before.corner_lines()["top_right"][0] == "PRIOR"
    assert now.corner_lines()["top_right"][2].startswith("2025-11-03")
    assert before.corner_lines()["top_right"][2].startswith("2024-10-01")
    assert ws.compare.scroll_box.isChecked()
    ws.shutdown()


def test_linked_scroll_follows_patient_position_not_slice_number(store, two_visits, qtbot, pool):
    """With no offset, today's slice 15 (z = -80 mm) shows the prior's slice 3 (z = -80 mm)."""
    session, today, _ = two_visits
    ws = _workspace(store, session, qtbot, pool)
    now, before = _open_with_prior(ws, qtbot, today.study_uid)
    # Different frames of reference: linking kept the alignment on screen (both top slices).
    link = ws.compare.link
    assert link.offset(1) - link.offset(0) == pytest.approx(30.0)
    link.set_offset(1, link.offset(0))
    with qtbot.waitSignal(before.slice_changed, timeout=5_000, check_params_cb=lambda s: s == 3):
        now.set_slice(15)
    assert before.plane_map.slice_location(3) == pytest.approx(now.plane_map.slice_location(15))
    # Scrolling the prior moves today the same way back.
    with qtbot.waitSignal(now.slice_changed, timeout=5_000, check_params_cb=lambda s: s == 20):
        before.set_slice(8)
    ws.compare.scroll_box.setChecked(False)
    now.set_slice(2)
    assert before.slice_index == 8  # unlinked: the prior stays
    ws.shutdown()


def test_linked_window_copies_the_active_window(store, two_visits, qtbot, pool):
    """With Link window on, a lung window on today's CT is the prior's window too."""
    session, today, _ = two_visits
    ws = _workspace(store, session, qtbot, pool)
    now, before = _open_with_prior(ws, qtbot, today.study_uid)
    ws.compare.window_box.setChecked(True)
    with qtbot.waitSignal(before.window_changed, timeout=5_000):
        now.set_center_width(-600.0, 1500.0)
    assert before.linear_window() == pytest.approx((-600.0, 1500.0))
    ws.shutdown()


def test_a_saved_layout_is_the_readers_own_and_applies_next_time(store, two_visits, qtbot, pool, tmp_path):
    """Save layout as mine writes the reader's file; opening again (no prior) uses it."""
    session, today, _ = two_visits
    ws = _workspace(store, session, qtbot, pool)
    with qtbot.waitSignal(ws.compare.hung, timeout=20_000):
        ws.open_study(today.study_uid)
    ws.viewer.set_layout(Layout.TWO_BY_TWO)
    ws.compare.save_protocol()
    saved = json.loads((tmp_path / "cfg" / "hanging-protocols-rad.json").read_text())
    assert saved["rules"][0]["layout"] == "2x2" and saved["rules"][0]["modality"] == "CT"
    with qtbot.waitSignal(ws.compare.hung, timeout=20_000,
                          check_params_cb=lambda name: name.startswith("My CT")):
        ws.open_study(today.study_uid)
    assert ws.viewer.layout_mode is Layout.TWO_BY_TWO
    ws.shutdown()


def test_my_keys_names_the_file_and_reset_restores_the_shipped_keys(store, two_visits, qtbot, pool, tmp_path):
    """A reader's key file is used, named in the dialog, and Reset removes it."""
    session, _, _ = two_visits
    keys = tmp_path / "cfg" / "reading-keys-rad.json"
    keys.parent.mkdir(parents=True)
    keys.write_text(json.dumps({"finding-accept": ["Ctrl+Y"]}))
    ws = _workspace(store, session, qtbot, pool)
    assert ws.viewer.keymap.action_for("Ctrl+Y") is not None
    from clinic_app.ui.radiology.keys_dialog import show_key_file

    box = show_key_file(ws, ws.compare.files, ws._load_keys)
    assert str(keys) in box.text()
    reset = next(b for b in box.buttons() if b.objectName() == "resetKeys")
    reset.click()
    assert not keys.exists()
    assert ws.viewer.keymap.action_for("Ctrl+Y") is None
    ws.shutdown()


def test_a_measurement_on_the_prior_is_kept_with_the_prior(store, two_visits, qtbot, pool):
    """A length drawn on the prior's viewport is saved under the prior study, not today's."""
    session, today, prior = two_visits
    ws = _workspace(store, session, qtbot, pool)
    _, before = _open_with_prior(ws, qtbot, today.study_uid)
    qtbot.waitUntil(lambda: prior.study_uid in ws.measurement_sync.studies, timeout=5_000)
    with qtbot.waitSignal(ws.measurement_sync.saved, timeout=10_000):
        before.add_length((10, 10), (40, 50))
        ws.measurement_sync.flush()
    assert len(store.services.measurements.for_study(session, prior.study_uid)) == 1
    assert store.services.measurements.for_study(session, today.study_uid) == []
    ws.shutdown()


def test_measurement_list_shows_values_and_exports_an_sr(store, two_visits, qtbot, pool, tmp_path):
    """The Measurements tab lists a saved length in mm and Export SR writes the file."""
    session, today, _ = two_visits
    ws = _workspace(store, session, qtbot, pool)
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000, check_params_cb=lambda d: d.complete):
        ws.open_study(today.study_uid)
    with qtbot.waitSignal(ws.measurements.listed, timeout=20_000, check_params_cb=lambda n: n == 1):
        ws.viewer.active_canvas.add_length((10, 10), (40, 50))
        ws.measurement_sync.flush()
    assert ws.measurements.table.item(0, 1).text() == "40.0 mm"
    with qtbot.waitSignal(ws.measurements.exported, timeout=30_000):
        ws.measurements.export_to(tmp_path / "report.dcm")
    assert (tmp_path / "report.dcm").stat().st_size > 0
    ws.shutdown()


def test_mpr_panes_share_the_window_set_in_the_active_one(store, two_visits, qtbot, pool):
    """In MPR, a window set on the axial pane is the coronal's and sagittal's too, and
    laying the panes out does not overwrite the window the reader had set."""
    session, today, _ = two_visits
    ws = _workspace(store, session, qtbot, pool)
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000, check_params_cb=lambda d: d.complete):
        ws.open_study(today.study_uid)
    axial = ws.viewer.viewports[0].canvas
    axial.set_center_width(-600.0, 1500.0)
    ws.viewer.set_layout(Layout.MPR)
    panes = [vp.canvas for vp in ws.viewer.viewports[:3]]
    assert all(c.linear_window() == pytest.approx((-600.0, 1500.0)) for c in panes)
    ws.viewer.set_active(0)
    axial.set_center_width(40.0, 400.0)
    assert all(c.linear_window() == pytest.approx((40.0, 400.0)) for c in panes)
    ws.shutdown()


def test_a_new_user_finds_open_with_prior_on_the_worklist(store, two_visits, qtbot, pool):
    """Selecting today's study and pressing Open with prior opens both, side by side."""
    session, today, prior = two_visits
    ws = _workspace(store, session, qtbot, pool)
    qtbot.waitUntil(lambda: today.study_uid in ws.worklist.visible_uids(), timeout=20_000)
    ws.worklist.select(today.study_uid)
    with qtbot.waitSignal(ws.compare.prior_opened, timeout=20_000,
                          check_params_cb=lambda uid: uid == prior.study_uid):
        ws.prior_button.click()
    assert ws.tabs.currentIndex() == 1 and ws.viewer.layout_mode is Layout.ONE_BY_TWO
    ws.shutdown()


def test_opening_another_study_cancels_the_last_ones_side_tasks(store, two_visits, qtbot, pool):
    """The study left behind stops loading: its queued tasks do not run ahead of the next."""
    session, today, prior = two_visits
    ws = _workspace(store, session, qtbot, pool)
    _open_with_prior(ws, qtbot, today.study_uid)
    ws.open_study(today.study_uid)
    left = [t for t in ws._tasks if t.name in ("thumbnails", "priors", "open study")]
    assert left
    ws.open_study(prior.study_uid)
    assert all(t.token.cancelled for t in left)
    qtbot.waitUntil(lambda: ws.study is not None and ws.study.study.study_uid == prior.study_uid
                    and not ws._tasks, timeout=20_000)
    assert ws.study.study.study_uid == prior.study_uid
    ws.shutdown()
