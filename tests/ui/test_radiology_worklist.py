"""Worklist and import dialog on a real store: filters, sorting, AI status, per-file import report."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.tasks import CancelToken
from clinic_app.synthetic.dicom_series import Demographics, write_ct_series
from clinic_app.ui.radiology.status import AiStatus
from clinic_app.ui.radiology.thumbnails import THUMB_PX, make_thumbnails
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.conftest import PASSWORDS
from tests.ui.conftest import settle
from tests.ui.radiology_support import analysed_ct, import_cr


@pytest.fixture
def worklist(store, tmp_path, qtbot, pool):
    """Three studies: an analysed (flagged) CT, a head CT from 2024 and a CR."""
    services, session, flagged = analysed_ct(store, tmp_path)
    head = write_ct_series(tmp_path / "head", slices=4, rows=64, cols=64, seed=11, description="CT HEAD",
                           study_date="2024-01-10",
                           demographics=Demographics("MRN-B", "BROWN^ALICE", "1950-02-03", "F"))
    services.imaging.import_dicom(session, [tmp_path / "head"])
    from tests.conftest import StoreFixture
    cr = import_cr(StoreFixture(store.root, services, store.clock), session, tmp_path / "cr",
                   demographics=Demographics("MRN-C", "CHEN^WEI", "1970-05-06", "M"))
    ws = RadiologyWorkspace(services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1200, 700)
    with qtbot.waitSignal(ws.worklist.model.modelReset, timeout=10_000):
        ws.refresh()
    yield ws, {"flagged": flagged.study_uid, "head": head.study_uid, "cr": cr.study_uid}
    ws.shutdown()
    pool.wait(20_000)  # no worker may outlive the services it calls
    services.close()


def test_filters_by_text_date_modality_and_ai_status(worklist, qtbot):
    """Each filter narrows the table to the studies that match; clearing restores all."""
    ws, uid = worklist
    wl = ws.worklist
    assert set(wl.visible_uids()) == set(uid.values())
    assert wl.model.row_for(uid["flagged"]).ai_status is AiStatus.FLAGGED
    assert wl.model.row_for(uid["head"]).ai_status is AiStatus.NOT_ANALYSED
    qtbot.keyClicks(wl.search, "brown")  # name, case-insensitive
    assert wl.visible_uids() == [uid["head"]]
    wl.search.setText("MRN-C")
    assert wl.visible_uids() == [uid["cr"]]
    wl.search.setText("head")  # description
    assert wl.visible_uids() == [uid["head"]]
    wl.search.clear()
    wl.modality.setCurrentIndex(wl.modality.findData("CR"))
    assert wl.visible_uids() == [uid["cr"]]
    wl.modality.setCurrentIndex(0)
    wl.from_check.setChecked(True)
    wl.from_date.setDate(date(2025, 1, 1))
    assert set(wl.visible_uids()) == {uid["flagged"], uid["cr"]}
    wl.to_check.setChecked(True)
    wl.to_date.setDate(date(2025, 11, 4))
    assert wl.visible_uids() == [uid["flagged"]]
    wl.from_check.setChecked(False)
    wl.to_check.setChecked(False)
    wl.status.setCurrentIndex(wl.status.findData(AiStatus.FLAGGED))
    assert wl.visible_uids() == [uid["flagged"]]
    wl.status.setCurrentIndex(wl.status.findData(AiStatus.NOT_ANALYSED))
    assert set(wl.visible_uids()) == {uid["head"], uid["cr"]}
    wl.status.setCurrentIndex(0)
    assert wl.count_label.text() == "3 studies"


def test_sorting_uses_dates_and_counts_not_text(worklist):
    """Clicking the Date header sorts chronologically; the AI column puts flagged first."""
    ws, uid = worklist
    wl = ws.worklist
    wl.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert wl.visible_uids()[0] == uid["head"]  # 2024-01-10
    wl.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert wl.visible_uids()[0] == uid["cr"]  # 2025-11-05
    wl.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert wl.visible_uids()[0] == uid["flagged"]


def test_double_click_opens_the_study_in_the_viewer(worklist, qtbot):
    """Double-clicking a row opens that study's viewer tab."""
    ws, uid = worklist
    ws.show()
    qtbot.waitExposed(ws)
    wl = ws.worklist
    wl.search.setText("MRN-C")
    index = wl.proxy.index(0, 0)
    rect = wl.table.visualRect(index)
    with qtbot.waitSignal(ws.loader.display_ready, timeout=10_000, check_params_cb=lambda d: d.complete):
        # an item view acts on a double-click only over the index the press selected
        qtbot.mouseClick(wl.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(wl.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ws.tabs.currentIndex() == 1 and ws.study.study.study_uid == uid["cr"]


def test_import_dialog_reports_each_file_it_could_not_import(store, tmp_path, qtbot, pool):
    """A folder with a CT, a text file and a truncated DICOM: images imported, two rows of reasons."""
    folder = tmp_path / "media"
    written = write_ct_series(folder, slices=3, rows=32, cols=32, seed=21)
    (folder / "notes.txt").write_text("not an image")
    data = written.paths[0].read_bytes()
    (folder / "broken.dcm").write_bytes(data[: len(data) // 2])
    session = store.login("rad")
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    dialog = ws.open_import()
    dialog.add_source(folder)
    assert dialog.start_button.isEnabled()
    with qtbot.waitSignals([dialog.imported, ws.worklist_loaded], timeout=20_000,
                           check_params_cbs=[None, lambda rows: rows == 1]):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    report = dialog.report
    assert report is not None and report.imported == 3
    assert dialog.errors.rowCount() == len(report.skipped) == 2
    paths = {dialog.errors.item(r, 0).text() for r in range(2)}
    assert any(p.endswith("notes.txt") for p in paths) and any(p.endswith("broken.dcm") for p in paths)
    assert all(dialog.errors.item(r, 1).text() for r in range(2))
    assert "3 image(s) imported" in dialog.status.text()
    assert ws.worklist.visible_uids() == [written.study_uid]
    dialog.close()
    ws.shutdown()


def test_cancelling_an_import_keeps_the_dialog_usable(store, tmp_path, qtbot, pool):
    """Cancel stops the worker at a whole image; the dialog says so and can import again."""
    folder = tmp_path / "media"
    write_ct_series(folder, slices=6, rows=32, cols=32, seed=22)
    ws = RadiologyWorkspace(store.services, store.login("rad"), pool)
    qtbot.addWidget(ws)
    dialog = ws.open_import()
    dialog.add_source(folder)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        dialog.start()
        dialog.cancel()
    assert not dialog.running
    assert "ancel" in dialog.status.text()
    assert dialog.start_button.isEnabled()
    dialog.close()
    ws.shutdown()


def test_selecting_a_study_shows_its_series_thumbnails_rendered_in_memory(worklist, qtbot, tmp_path):
    """The selected study's series appear as real thumbnails (not blank) under the table."""
    ws, uid = worklist
    wl = ws.worklist
    with qtbot.waitSignal(ws.preview_loaded, timeout=10_000, check_params_cb=lambda u: u == uid["flagged"]):
        wl.select(uid["flagged"])
    assert ws.preview.count() == 1
    detail = ws.services.imaging.show_study(ws.session, uid["flagged"])
    (thumb,) = make_thumbnails(ws.services, ws.session, detail, lambda *a: None, CancelToken())
    assert thumb.pixels is not None and max(thumb.pixels.shape[:2]) == THUMB_PX
    assert thumb.pixels.std() > 10  # anatomy, not a blank square
    assert not list(tmp_path.rglob("*.png")) and not list(tmp_path.rglob("*.jpg"))
    with qtbot.waitSignal(ws.loader.display_ready, timeout=10_000, check_params_cb=lambda d: d.complete):
        ws.preview.series_chosen.emit(ws.preview.series_uids()[0])
    assert ws.viewer.series_in(0) == ws.preview.series_uids()[0]


def test_a_refresh_writes_one_audit_entry_for_all_its_studies(worklist, qtbot, pool):
    """Refreshing a worklist of three studies (statuses included) is audited once, as a
    listing, never once per study."""
    ws, uid = worklist
    services = ws.services
    admin = services.auth.login("admin", PASSWORDS["admin"])

    def listing_entries() -> list:
        return [e for e in services.audit.entries(admin, AuditFilter(user="rad"))
                if e.action in ("studies.list", "findings.status")]

    settle(qtbot, pool)  # the workspace's own first refreshes are done
    before = len(listing_entries())
    with qtbot.waitSignal(ws.worklist.model.modelReset, timeout=10_000):
        ws.refresh()
    settle(qtbot, pool)
    new = listing_entries()[before:]
    assert [(e.action, e.detail) for e in new] == [("studies.list", {"studies": 3, "ai_status": True})]
    assert new[0].study == "" and new[0].patient == ""
    assert ws.worklist.model.row_for(uid["flagged"]).ai_status is AiStatus.FLAGGED
