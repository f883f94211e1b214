"""Viewer interactions on a generated CT in a real store: slices, window/level, mm, HU, MPR."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pydicom
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from clinic_app.core.imaging.planes import Plane, available_planes
from clinic_app.ui.radiology.canvas import SliceCanvas, Tool, widget_point
from clinic_app.ui.radiology.series_drag import series_mime
from clinic_app.ui.radiology.viewer import Layout
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from tests.imaging_support import radiograph_pair
from tests.ui.radiology_support import CT_PIXEL_MM, CT_SPACING_MM, import_cr, import_ct


def wheel(canvas: SliceCanvas, notches: int) -> None:
    pos = QPointF(canvas.width() / 2, canvas.height() / 2)
    event = QWheelEvent(pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, event)


def mouse(canvas: SliceCanvas, kind: QMouseEvent.Type, at: QPointF, button: Qt.MouseButton,
          buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(kind, at, canvas.mapToGlobal(at), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, event)


def drag(canvas: SliceCanvas, start: QPointF, end: QPointF, button: Qt.MouseButton) -> None:
    mouse(canvas, QMouseEvent.Type.MouseButtonPress, start, button, button)
    mouse(canvas, QMouseEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.NoButton, button)
    mouse(canvas, QMouseEvent.Type.MouseMove, end, Qt.MouseButton.NoButton, button)
    mouse(canvas, QMouseEvent.Type.MouseButtonRelease, end, button, Qt.MouseButton.NoButton)


@pytest.fixture
def opened(store, tmp_path, qtbot, pool):
    """A radiology workspace with a 24-slice CT open and fully loaded."""
    session, written = import_ct(store, tmp_path / "ct")
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000,
                          check_params_cb=lambda d: d.complete):
        ws.open_study(written.study_uid)
    yield ws, written
    ws.shutdown()


def test_opening_a_study_shows_its_ct_axially_with_true_orientation_markers(opened):
    """The CT opens on its most superior slice, left on screen right, anterior at the top."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    assert canvas.display is not None and canvas.display.complete
    assert canvas.plane is Plane.AXIAL
    assert canvas.slice_index == 0 and canvas.slice_count == 24
    assert canvas.marker_texts() == {"right": "L", "left": "R", "top": "A", "bottom": "P"}
    # slice 0 is the highest z: the last stored slice of a stack ordered along +z
    top_z = -100.0 + 23 * CT_SPACING_MM
    assert canvas.plane_map.slice_location(0) == pytest.approx(top_z)
    lines = canvas.corner_lines()
    assert lines["bottom_left"][0].startswith("Im 1/24")
    assert any("SYNTHETIC, PATIENT" in t for t in lines["top_left"])


def test_wheel_and_keys_change_the_slice_and_the_rendered_pixels(opened, qtbot):
    """Each wheel notch moves one slice; arrow keys too; the image shown changes with it."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    before = canvas.rendered_array()
    with qtbot.waitSignal(canvas.slice_changed, check_params_cb=lambda i: i == 3):
        wheel(canvas, -3)
    assert canvas.slice_index == 3
    assert ws.viewer.viewports[0].slice_bar.value() == 3
    assert not np.array_equal(before, canvas.rendered_array())
    wheel(canvas, 1)
    assert canvas.slice_index == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert canvas.slice_index == 23
    ws.viewer.viewports[0].slice_bar.setValue(5)
    assert canvas.slice_index == 5


def test_right_drag_changes_window_level_and_the_rendered_pixels(opened, qtbot):
    """Dragging right widens the window, dragging up raises... the level; pixels follow."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    canvas.set_slice(12)
    c0, w0 = canvas.linear_window()
    before = canvas.rendered_array()
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    with qtbot.waitSignal(canvas.window_changed):
        drag(canvas, centre, centre + QPointF(100, 40), Qt.MouseButton.RightButton)
    c1, w1 = canvas.linear_window()
    assert w1 > w0 and c1 < c0
    assert not np.array_equal(before, canvas.rendered_array())
    # number keys: 1 = first CT preset (brain 80/40), 0 = back to the DICOM default
    qtbot.keyClick(canvas, Qt.Key.Key_1)
    assert canvas.linear_window() == (40, 80)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.linear_window() == (c0, w0)
    plain = canvas.rendered_array()
    qtbot.keyClick(canvas, Qt.Key.Key_I)
    np.testing.assert_array_equal(canvas.rendered_array(), 255 - plain)


def test_length_is_measured_in_mm_on_anisotropic_geometry(opened, qtbot):
    """A mouse-drawn line is measured through the affine: 0.8 mm pixels, 2.5 mm slices."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    ws.viewer.set_tool(Tool.LENGTH)
    a, b = widget_point(canvas, 20.5, 30.5), widget_point(canvas, 50.5, 70.5)
    with qtbot.waitSignal(canvas.measurements_changed):
        drag(canvas, QPointF(a), QPointF(b), Qt.MouseButton.LeftButton)
    m = canvas.measurements[-1]
    dx, dy = m.end[0] - m.start[0], m.end[1] - m.start[1]
    assert m.length_mm == pytest.approx(np.hypot(dx * CT_PIXEL_MM, dy * CT_PIXEL_MM))
    assert m.length_mm == pytest.approx(50 * CT_PIXEL_MM, abs=0.1 * 50)
    # exact points: 30 columns and 40 rows → 24 mm by 32 mm → 40 mm
    assert canvas.add_length((10, 10), (40, 50)).length_mm == pytest.approx(40.0)
    # In a coronal reformat, 4 display rows are 4 slices: 10 mm.
    canvas.set_plane(Plane.CORONAL)
    assert canvas.add_length((5, 2), (5, 6)).length_mm == pytest.approx(4 * CT_SPACING_MM)
    assert "mm" in m.text(True, "CT")


def test_roi_mean_and_sd_are_hounsfield_units_from_the_files(opened, qtbot):
    """ROI statistics equal those computed from the DICOM file's stored values × slope + intercept."""
    ws, written = opened
    canvas = ws.viewer.active_canvas
    canvas.set_slice(10)
    z = canvas.plane_map.slice_location(10)
    path = next(p for p in written.paths
                if abs(float(pydicom.dcmread(p, stop_before_pixels=True).ImagePositionPatient[2]) - z) < 1e-3)
    ds = pydicom.dcmread(path)
    hu = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    m = canvas.add_roi((40, 50), (80, 90))
    yy, xx = np.mgrid[0:hu.shape[0], 0:hu.shape[1]]
    inside = ((xx + 0.5 - 60) / 20) ** 2 + ((yy + 0.5 - 70) / 20) ** 2 <= 1
    assert m.stats is not None
    assert m.stats.pixels == inside.sum()
    assert m.stats.mean == pytest.approx(hu[inside].mean(), abs=1e-3)
    assert m.stats.sd == pytest.approx(hu[inside].std(), abs=1e-3)
    assert "HU" in m.text(True, "CT")


def test_mpr_cursor_links_the_three_planes(opened, qtbot):
    """In MPR, setting the cursor on the axial view moves coronal and sagittal to that point."""
    ws, _ = opened
    ws.viewer.set_layout(Layout.MPR)
    ax, cor, sag = (vp.canvas for vp in ws.viewer.viewports[:3])
    assert (ax.plane, cor.plane, sag.plane) == (Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL)
    assert cor.marker_texts()["top"] == "H" and sag.marker_texts()["left"] == "A"
    ax.set_slice(7)
    point = QPointF(widget_point(ax, 30.5, 90.5))
    with qtbot.waitSignal(ax.cursor_moved):
        mouse(ax, QMouseEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        mouse(ax, QMouseEvent.Type.MouseButtonRelease, point, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    ijk = ax.cursor_ijk
    assert ijk is not None
    assert round(ijk[0]) == 30 and round(ijk[1]) == 90
    # coronal slices run along rows (j), sagittal along columns (i)
    assert cor.slice_index == 90
    assert sag.slice_index == 30
    assert np.allclose(cor.cursor_ijk, ijk) and np.allclose(sag.cursor_ijk, ijk)


def test_dropping_a_series_thumbnail_puts_it_in_that_viewport(store, tmp_path, qtbot, pool):
    """A series dragged from the strip onto viewport 2 (1×2 layout) is shown there."""
    session, ct = import_ct(store, tmp_path / "ct")
    cr = import_cr(store, session, tmp_path / "cr")
    assert cr.study_uid != ct.study_uid
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000, check_params_cb=lambda d: d.complete):
        ws.open_study(ct.study_uid)
    ws.viewer.set_layout(Layout.ONE_BY_TWO)
    target = ws.viewer.viewports[1].canvas
    data: QMimeData = series_mime(ct.series_uid)
    centre = QPointF(target.width() / 2, target.height() / 2)
    args = (centre, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(*args)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(target.series_dropped):
        QApplication.sendEvent(target, QDropEvent(*args))
    assert ws.viewer.series_in(1) == ct.series_uid
    assert target.display is not None and target.display.series_uid == ct.series_uid
    assert ws.strip.series_uids() == [ct.series_uid]
    ws.shutdown()


def test_a_radiograph_opens_native_without_invented_orientation_markers(store, tmp_path, qtbot, pool):
    """A CR (no patient position) is shown as stored, MONOCHROME1 inverted, with no L/R letters."""
    session, _ = import_ct(store, tmp_path / "ct")
    cr = import_cr(store, session, tmp_path / "cr")
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.show()
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000, check_params_cb=lambda d: d.complete):
        ws.open_study(cr.study_uid)
    canvas = ws.viewer.active_canvas
    assert canvas.plane is Plane.NATIVE
    # MONOCHROME1 is shown as its sender intends (low values white); the reader has not inverted
    assert canvas.display.inverted and not canvas.inverted
    assert "inverted" not in canvas.corner_lines()["bottom_right"][0]
    assert canvas.marker_texts() == {}
    assert canvas.slice_count == 1
    ws.shutdown()


def test_cine_plays_through_the_slices_and_space_stops_it(opened, qtbot):
    """Space starts cine on the focused viewport (slices advance on a timer); Space stops it."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    canvas.setFocus()
    start = canvas.slice_index
    with qtbot.waitSignal(canvas.slice_changed, timeout=5_000, check_params_cb=lambda i: i == start + 2):
        qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert ws.viewer.cine_running and ws.viewer.cine_action.isChecked()
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert not ws.viewer.cine_running


def test_radiographs_show_their_patient_orientation_letters_image_by_image(store, tmp_path, qtbot, pool):
    """A PA (PatientOrientation L\\F) shows L right, R left, H top, F bottom; scrolling to
    the lateral of the same series (A\\F) shows A right, P left."""
    session = store.login("rad")
    study, _series = radiograph_pair(tmp_path / "cr")
    store.services.imaging.import_dicom(session, [tmp_path / "cr"])
    ws = RadiologyWorkspace(store.services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1000, 800)
    ws.show()
    with qtbot.waitSignal(ws.loader.display_ready, timeout=20_000, check_params_cb=lambda d: d.complete):
        ws.open_study(study)
    canvas = ws.viewer.active_canvas
    assert canvas.plane is Plane.NATIVE and canvas.slice_count == 2
    canvas.set_slice(0)
    assert canvas.marker_texts() == {"right": "L", "left": "R", "bottom": "F", "top": "H"}
    canvas.set_slice(1)
    assert canvas.marker_texts() == {"right": "A", "left": "P", "bottom": "F", "top": "H"}
    # The letters are painted: the top edge differs from the same image without them.
    with_letters = canvas.grab().toImage()
    canvas.display = replace(canvas.display, projection_orientations=())
    canvas.update()
    assert canvas.grab().toImage() != with_letters
    ws.shutdown()


def test_while_loading_only_decoded_slices_can_be_shown_and_mpr_waits(opened):
    """A display still loading (stored slices 20–23 decoded: display images 1–4 of the
    head-first axial) lets the reader scroll there and no further, offers no reformat (MPR
    lays out only from a complete display), says what is ready; the complete volume then
    opens every slice at the same place."""
    ws, _ = opened
    canvas = ws.viewer.active_canvas
    full = canvas.display
    assert full is not None and full.complete and full.loaded is None
    loading = replace(full, loaded=(20, 23), complete=False)
    assert available_planes(loading) == [Plane.AXIAL]
    canvas.set_display(loading, keep_view=True)
    assert canvas.slice_limits() == (0, 3) and canvas.slice_count == 24
    canvas.set_slice(10)
    assert canvas.slice_index == 3
    wheel(canvas, -5)
    assert canvas.slice_index == 3
    assert "(loading: Im 1–4 ready)" in canvas.corner_lines()["bottom_left"][0]
    canvas.set_plane(Plane.CORONAL)
    assert canvas.plane is Plane.AXIAL
    canvas.set_display(full, keep_view=True)
    assert canvas.slice_index == 3 and canvas.slice_limits() == (0, 23)
    canvas.set_slice(10)
    assert canvas.slice_index == 10
