"""Measurements drawn in the viewer are saved for the reader and shown again when the study reopens."""

from __future__ import annotations

import pytest

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import MeasureKind
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.ui.radiology_support import CT_PIXEL_MM, import_ct


def _open(store, session, pool, qtbot, study_uid: str) -> RadiologyWorkspace:
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    with qtbot.waitSignals([ws.loader.display_ready, ws.measurement_sync.loaded], timeout=20_000,
                           check_params_cbs=[lambda d: d.complete, None], order="none"):
        ws.open_study(study_uid)
    return ws


def test_measurements_are_there_when_the_study_opens_again(store, tmp_path, qtbot, pool):
    """A length, an ROI and an angle drawn today come back, values measured again, in a new viewer."""
    session, written = import_ct(store, tmp_path / "ct")
    ws = _open(store, session, pool, qtbot, written.study_uid)
    canvas = ws.viewer.active_canvas
    canvas.set_slice(5)
    with qtbot.waitSignal(ws.measurement_sync.saved, timeout=10_000, check_params_cb=lambda _r, n: n == 3):
        canvas.add_length((10, 10), (40, 50))
        roi = canvas.add_roi((40, 50), (80, 90))
        canvas.add_angle((60, 20), (20, 20), (20, 70))
    ws.shutdown()
    pool.wait(20_000)

    again = _open(store, session, pool, qtbot, written.study_uid)
    try:
        shown = again.viewer.active_canvas
        assert [m.kind for m in shown.measurements] == [MeasureKind.LENGTH, MeasureKind.ROI, MeasureKind.ANGLE]
        length, roi_back, angle = shown.measurements
        assert length.plane is Plane.AXIAL and length.slice_index == 5
        assert length.length_mm == pytest.approx(50 * CT_PIXEL_MM)  # 30 × 40 px of 0.8 mm
        assert roi_back.stats == roi.stats
        assert angle.angle_deg == pytest.approx(90.0)
        shown.set_slice(5)
        assert len(shown.measurements_here()) == 3
        # Deleting one is saved too.
        with qtbot.waitSignal(again.measurement_sync.saved, timeout=10_000,
                              check_params_cb=lambda _r, n: n == 2):
            shown.remove_last_measurement()
        assert len(store.services.measurements.for_study(session, written.study_uid)) == 2
    finally:
        again.shutdown()
        pool.wait(20_000)
