"""Keys kept as data: the table handles the keys and writes Help; the AI review by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QToolButton

from clinic_app.core.imaging.viewport import Magnification, MeasureKind
from clinic_app.errors import InvalidInput
from clinic_app.ui.radiology.key_actions import canvas_key_handlers
from clinic_app.ui.radiology.keymap import (
    DEFAULT_BINDINGS,
    REVIEW_ACTIONS,
    Action,
    KeyMap,
    keymap_with_overrides,
    load_keymap,
)
from clinic_app.ui.radiology.review_marks import COLOURS, ReviewState
from clinic_app.ui.radiology.tools import Tool
from tests.ui import test_radiology_findings, test_radiology_viewer
from tests.ui.test_radiology_viewer import drag, widget_point

#: The CT workspace fixtures of the viewer and findings tests, shared rather than copied.
opened_fixture = test_radiology_viewer.opened
reviewing_fixture = test_radiology_findings.reviewing


def press(widget, key_text: str) -> QKeyEvent:
    """Send the key press a user makes for a key of the table's notation; return the event."""
    combo = QKeySequence(key_text)[0]
    event = QKeyEvent(QKeyEvent.Type.KeyPress, combo.key(), combo.keyboardModifiers(),
                      key_text if len(key_text) == 1 else "")
    QApplication.sendEvent(widget, event)
    return event


def test_every_key_in_help_is_handled_and_every_handled_action_is_in_help(opened_fixture):
    """Help rows come from the table, and the table's keyed actions are exactly the handled ones."""
    ws, _ = opened_fixture
    keyed = {b.action for b in DEFAULT_BINDINGS if b.keys}
    handled = set(canvas_key_handlers(ws.viewer.active_canvas)) | REVIEW_ACTIONS
    assert keyed == handled
    assert ws.shortcuts() == [(b.key_label, b.shown_help) for b in DEFAULT_BINDINGS]
    assert len(ws.shortcuts()) == len(DEFAULT_BINDINGS)


def test_every_bound_key_is_accepted_by_the_viewport(opened_fixture):
    """Each key of the table, pressed in a viewport with an image, is consumed (none falls through)."""
    ws, _ = opened_fixture
    canvas = ws.viewer.active_canvas
    for key_text, action in KeyMap().keys().items():
        event = press(canvas, key_text)
        assert event.isAccepted(), f"{key_text} ({action}) fell through"
        if action is Action.CINE:
            ws.viewer.set_cine(False)


def test_a_users_overrides_rebind_keys_and_show_in_help(opened_fixture, tmp_path):
    """Overrides from a user's JSON change the handled key and the Help row together."""
    ws, _ = opened_fixture
    path = tmp_path / "keys.json"
    path.write_text('{"finding-accept": ["Ctrl+Y"], "tool-angle": ["Shift+G"]}', encoding="utf-8")
    ws.viewer.set_keymap(load_keymap(path))
    canvas = ws.viewer.active_canvas
    assert ("Ctrl+Y", "AI review: accept the selected finding") in ws.shortcuts()
    assert "Shift+G" in ws.viewer.tool_actions[Tool.ANGLE].toolTip()
    press(canvas, "Shift+G")
    assert canvas.tool is Tool.ANGLE and ws.viewer.tool_actions[Tool.ANGLE].isChecked()
    assert not press(canvas, "G").isAccepted()  # the old key no longer does it


@pytest.mark.parametrize(("overrides", "message"), [
    ({"finding-acept": ["Y"]}, "not an action"),
    ({"finding-accept": ["L"]}, "bound twice"),
    ({"wheel-zoom": ["Z"]}, "mouse gesture"),
    ({"finding-accept": []}, "non-empty list"),
    ({"finding-accept": ["Ctrl+Nope"]}, "not a key"),
    (["finding-accept"], "JSON object"),
])
def test_bad_overrides_are_refused_with_a_reason(overrides, message):
    """An unknown action, a clash, a gesture, an empty list or a non-key is refused, naming it."""
    with pytest.raises(InvalidInput, match=message):
        keymap_with_overrides(overrides)


def test_an_unreadable_keys_file_is_refused_and_a_missing_one_means_defaults(tmp_path):
    """Broken JSON is a clear error; no file gives the default table."""
    bad = tmp_path / "keys.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot be read"):
        load_keymap(bad)
    assert load_keymap(tmp_path / "none.json").help_rows() == KeyMap().help_rows()


def test_angle_and_arrow_are_drawn_with_the_mouse(opened_fixture, qtbot):
    """Angle: drag one arm, click the other end → a right angle in mm; arrow: one drag."""
    ws, _ = opened_fixture
    canvas = ws.viewer.active_canvas
    press(canvas, "G")
    assert ws.viewer.tool_actions[Tool.ANGLE].isChecked()
    a, v, c = widget_point(canvas, 60, 20), widget_point(canvas, 20, 20), widget_point(canvas, 20, 70)
    drag(canvas, QPointF(a), QPointF(v), Qt.MouseButton.LeftButton)
    assert canvas.measurements == [] and canvas.tools.draft is not None
    with qtbot.waitSignal(canvas.measurements_changed):
        drag(canvas, QPointF(c), QPointF(c), Qt.MouseButton.LeftButton)
    m = canvas.measurements[-1]
    assert m.kind is MeasureKind.ANGLE and m.angle_deg == pytest.approx(90.0, abs=1.5)
    assert m.text(True, "CT").endswith("°")
    press(canvas, "W")
    with qtbot.waitSignal(canvas.measurements_changed):
        drag(canvas, QPointF(widget_point(canvas, 90, 90)), QPointF(widget_point(canvas, 70, 70)),
             Qt.MouseButton.LeftButton)
    assert canvas.measurements[-1].kind is MeasureKind.ARROW
    before = canvas.grab().toImage()
    press(canvas, "Del")
    assert canvas.measurements[-1].kind is MeasureKind.ANGLE
    assert canvas.grab().toImage() != before


def test_magnification_is_smooth_by_default_and_nearest_on_request(opened_fixture):
    """At 6× the smooth and nearest-neighbour screens differ; Z toggles every viewport and the button."""
    ws, _ = opened_fixture
    canvas = ws.viewer.active_canvas
    canvas.set_zoom(6.0)
    assert canvas.magnification is Magnification.SMOOTH and ws.viewer.smooth_action.isChecked()
    smooth = canvas.grab().toImage()
    press(canvas, "Z")
    assert all(vp.canvas.magnification is Magnification.NEAREST for vp in ws.viewer.viewports)
    assert not ws.viewer.smooth_action.isChecked()
    assert canvas.grab().toImage() != smooth
    assert "pixels" in canvas.corner_lines()["bottom_left"][-1]


def test_a_finding_is_reviewed_without_the_mouse(reviewing_fixture, qtbot):
    """N selects the first finding and moves the image to it, K types a comment, Enter returns
    to the image, Y accepts (stored with the comment) and the line gets its accepted mark."""
    ws, services, session, written = reviewing_fixture
    panel, canvas = ws.findings, ws.viewer.active_canvas
    canvas.setFocus()
    with qtbot.waitSignal(panel.finding_selected, timeout=10_000):
        press(canvas, "N")
    assert panel.list.currentRow() == 0 and canvas.overlay is not None
    first = panel.current
    assert panel.list.item(0).data(Qt.ItemDataRole.UserRole + 2) == ReviewState.PENDING
    press(canvas, "K")
    assert panel.comment.hasFocus() or QApplication.focusWidget() is panel.comment
    qtbot.keyClicks(panel.comment, "agree")
    qtbot.keyClick(panel.comment, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is canvas
    with qtbot.waitSignal(panel.status_changed, timeout=10_000):
        press(canvas, "Y")
    stored = next(f for f in services.analysis.findings(session, written.study_uid) if f.id == first.finding_id)
    assert stored.review is not None and (stored.review.decision, stored.review.comment) == ("accepted", "agree")
    item = panel.list.item(0)
    assert item.data(Qt.ItemDataRole.UserRole + 2) == ReviewState.ACCEPTED
    assert not item.icon().isNull() and item.toolTip().startswith("Accepted")
    assert item.foreground().color() == COLOURS[ReviewState.ACCEPTED]


def test_rejecting_then_switching_study_leaves_no_red_banner(reviewing_fixture, qtbot):
    """X rejects; opening the worklist's study again (or none) clears the red decision banner."""
    ws = reviewing_fixture[0]
    panel, canvas = ws.findings, ws.viewer.active_canvas
    canvas.setFocus()
    with qtbot.waitSignal(panel.finding_selected, timeout=10_000):
        press(canvas, "N")
    with qtbot.waitSignal(panel.status_changed, timeout=10_000):
        press(canvas, "X")
    assert panel.review_label.property("banner") == "error"
    assert panel.list.item(0).data(Qt.ItemDataRole.UserRole + 2) == ReviewState.REJECTED
    panel.set_study(None)
    assert panel.review_label.property("banner") == "" and panel.review_label.text() == ""
    press(canvas, "M")  # modify with nothing selected: a message, not a crash
    assert "Select a finding first" in panel.message.text()


def test_at_1280_by_800_every_toolbar_control_is_visible_without_a_more_button(opened_fixture, qtbot):
    """The viewer toolbar wraps to two rows rather than hiding controls behind a dead "»"."""
    ws, _ = opened_fixture
    ws.resize(1280, 800)
    toolbar = ws.viewer.toolbar
    qtbot.waitUntil(lambda: toolbar.wrapped, timeout=5_000)
    for bar in toolbar.bars:
        qtbot.waitUntil(lambda b=bar: b.width() >= b.sizeHint().width(), timeout=5_000)
        more = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert more is None or not more.isVisible()
        for action in bar.actions():
            if not action.isSeparator():
                assert bar.widgetForAction(action).isVisible(), action.text() or action
    ws.resize(1920, 1080)
    qtbot.waitUntil(lambda: not toolbar.wrapped, timeout=5_000)


def test_m_opens_the_modify_dialog_of_the_selected_finding(reviewing_fixture, qtbot):
    """M on a selected finding opens the same box dialog as Modify… (closed here unchanged)."""
    from PySide6.QtWidgets import QDialog

    from tests.ui.conftest import on_modal

    ws = reviewing_fixture[0]
    panel, canvas = ws.findings, ws.viewer.active_canvas
    canvas.setFocus()
    with qtbot.waitSignal(panel.finding_selected, timeout=10_000):
        press(canvas, "N")
    seen: list[str] = []
    on_modal(QDialog, lambda d: (seen.append(d.windowTitle()), d.reject()))
    press(canvas, "M")
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen and seen[0].startswith("Modify: ") and panel.current.label in seen[0]
