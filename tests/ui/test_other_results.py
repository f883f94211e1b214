"""Other systems' SR, SEG and KO in the findings panel: listed, and each line jumps to its image."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.results_support import write_phantom
from tests.test_study_results import _foreign_objects


@pytest.fixture
def workspace(store, tmp_path, qtbot, pool):
    """A radiology workspace on a phantom CT that came with another system's SEG, SR and KO."""
    study, _series = write_phantom(tmp_path / "ct")
    _foreign_objects(tmp_path / "ct", tmp_path / "results")
    session = store.login("rad")
    store.services.imaging.import_dicom(session, [tmp_path / "ct", tmp_path / "results"])
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    with qtbot.waitSignals([ws.loader.display_ready, ws.findings.status_changed], timeout=20_000,
                           check_params_cbs=[lambda d: d.complete, None], order="none"):
        ws.open_study(study)
    qtbot.waitUntil(lambda: ws.findings.other.list.count() > 0, timeout=20_000)
    yield ws
    ws.shutdown()
    pool.wait(20_000)


def _row(other, prefix: str) -> int:
    return next(n for n, e in enumerate(other.items) if e.text.startswith(prefix))


def test_lines_for_measurements_segments_key_images_and_skips(workspace):
    """The list names the SR's nodules, both segments, two key images and the skips, numbered
    as the viewer numbers images (head first: stored slice 6 of 20 is image 14)."""
    texts = [e.text for e in workspace.findings.other.items]
    assert "Report: Nodule — Diameter 12 mm — image 14" in texts
    assert "Report: Nodule — Diameter 13 mm — image not in this store" in texts
    assert any(t.startswith("Segmentation: Liver lesion (Lesion) — image 14") for t in texts)
    assert any(t.startswith("Segmentation: Cyst (Cyst) — image 8") for t in texts)
    assert sum(t.startswith("Key image (Of Interest)") for t in texts) == 2
    assert sum(t.startswith("Not shown (SR)") for t in texts) == 2


def test_sr_line_jumps_with_its_box_and_seg_line_blends_its_mask(workspace, qtbot, tmp_path: Path):
    """Choosing the SR line draws its box on image 7; the SEG line blends the lesion mask there."""
    other = workspace.findings.other
    with qtbot.waitSignal(workspace.findings.finding_selected, timeout=10_000) as sr_jump:
        other.list.setCurrentRow(_row(other, "Report: Nodule — Diameter 12"))
    _ref, overlay = sr_jump.args
    assert overlay.slice_k == 6 and overlay.box_lo == (40, 50, 6) and overlay.box_hi == (59, 69, 6)
    with qtbot.waitSignal(workspace.findings.finding_selected, timeout=20_000) as seg_jump:
        other.list.setCurrentRow(_row(other, "Segmentation: Liver lesion"))
    _ref, overlay = seg_jump.args
    assert overlay.heat is not None and overlay.heat.max() == 255
    assert overlay.heat_origin == (6, 0, 0)
    canvas = workspace.viewer.active_canvas
    qtbot.waitUntil(lambda: canvas.overlay is overlay, timeout=10_000)
    workspace.grab().save(str(tmp_path / "other_results_1280.png"))
