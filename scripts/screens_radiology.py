"""Radiology screens for scripts/screenshots.py: worklist, viewer with a finding, MPR, the
reading room (prior, measurements, key file) and the import report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from screen_capture import SIZES, Demo, save, wait_for, wait_until

from clinic_app.ui.workers import WorkerPool

if TYPE_CHECKING:
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace


def _radiology(demo: Demo, pool: WorkerPool) -> RadiologyWorkspace:
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace

    session = demo.services.auth.login("radiologist", "demo-radiologist-1")
    ws = RadiologyWorkspace(demo.services, session, pool)
    ws.resize(1440, 900)
    ws.show()
    wait_for(ws.worklist_loaded)
    return ws



def _open_study(ws: RadiologyWorkspace, modality: str) -> None:
    """Open the first flagged study of a modality; return when its image and findings are in."""
    rows = [r for r in ws.worklist.model.rows if r.study.modalities == (modality,) and r.ai_status.value == "flagged"]
    ws.open_study(rows[0].uid)
    canvas = ws.viewer.active_canvas
    wait_until(lambda: ws.study is not None and ws.study.study.study_uid == rows[0].uid
               and canvas.display is not None and canvas.display.complete
               and ws.findings.list.count() > 0)


def radiology_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.radiology.import_dialog import DicomImportDialog
    from clinic_app.ui.radiology.viewer import Layout

    saved = []
    ws = _radiology(demo, pool)
    first = ws.worklist.visible_uids()[0]
    ws.worklist.select(first)
    wait_for(ws.preview_loaded, lambda uid: uid == first)
    saved.append(save(ws, out, "radiology-worklist"))
    _open_study(ws, "CT")
    panel = ws.findings
    panel.list.setCurrentRow(0)
    wait_for(panel.finding_selected, lambda _uid, ov: ov.heat is not None)
    panel.opacity.setValue(55)
    ws.viewer.active_canvas.set_zoom(1.0)
    saved.append(save(ws, out, "radiology-viewer-finding"))
    ws.viewer.set_layout(Layout.MPR)
    canvas = ws.viewer.viewports[0].canvas
    current = panel.current
    if current is not None and current.bbox_px:
        b = current.bbox_px
        import numpy as np

        centre = np.array([(b["col"][0] + b["col"][1]) / 2, (b["row"][0] + b["row"][1]) / 2,
                           current.slice_index], dtype=float)
        canvas.set_cursor(centre)
        canvas.cursor_moved.emit(centre)
    saved.append(save(ws, out, "radiology-mpr"))
    ws.viewer.set_layout(Layout.ONE)
    saved += reading_room_screens(ws, out)
    ws.tabs.setCurrentIndex(0)
    _open_study(ws, "CR")
    panel.list.setCurrentRow(0)
    wait_for(panel.finding_selected, lambda _uid, ov: ov.heat is not None)
    saved.append(save(ws, out, "radiology-cr-cam"))
    ws.shutdown()

    # import report: a folder with good images and two files that cannot be imported
    from clinic_app.synthetic.dicom_series import write_ct_series

    folder = demo.root / "incoming"
    written = write_ct_series(folder, slices=6, rows=64, cols=64, seed=99, description="CT IMPORT")
    (folder / "README.txt").write_text("not an image")
    data = written.paths[0].read_bytes()
    (folder / "IM_TRUNCATED.dcm").write_bytes(data[: len(data) // 3])
    session = demo.services.auth.login("radiologist", "demo-radiologist-1")
    dialog = DicomImportDialog(demo.services, session, pool)
    dialog.add_source(folder)
    dialog.show()
    dialog.start()
    wait_for(dialog.imported)
    saved.append(save(dialog, out, "radiology-import-report"))
    dialog.close()
    return saved



def reading_room_screens(ws: RadiologyWorkspace, out: Path) -> list[Path]:
    """Issue 20: the CT beside its prior (linked), the measurement list, the key file, at
    both screen sizes; then the window goes back to its usual size."""
    saved = []
    uid = ws.study.study.study_uid
    first, second = ws.viewer.viewports[0].canvas, ws.viewer.viewports[1].canvas
    ws.open_study(uid, with_prior=True)
    wait_until(lambda: ws.compare.prior is not None and all(
        c.display is not None and c.display.complete for c in (first, second))
        and not ws.pool.active_count)  # thumbnails and findings too (they queue behind the images)
    first.set_slice(20)
    first.add_length((120, 150), (200, 180))
    first.add_roi((220, 160), (260, 200))
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-priors-{width}x{height}"))
    ws.side_tabs.setCurrentIndex(1)
    ws.measurement_sync.flush()
    wait_for(ws.measurements.listed, lambda n: n >= 2)
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-measurements-{width}x{height}"))
    ws.side_tabs.setCurrentIndex(0)
    from clinic_app.ui.radiology.keys_dialog import show_key_file
    from clinic_app.ui.radiology.reader_files import ReaderFiles

    # The run's config is /dev/null; show where a reader's file lives on a Linux desktop.
    files = ReaderFiles(ws.session.username, Path.home() / ".config" / "clinic-app")
    box = show_key_file(ws, files, ws._load_keys)
    saved.append(save(box, out, "radiology-my-keys"))
    box.close()
    ws.tabs.setCurrentIndex(0)
    for width, height in SIZES:
        ws.resize(width, height)
        saved.append(save(ws, out, f"radiology-worklist-{width}x{height}"))
    ws.resize(1440, 900)
    return saved

