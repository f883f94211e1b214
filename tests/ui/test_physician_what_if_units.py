"""The what-if tab refuses a unit slip with the service's "did you mean", and lets the
physician confirm a possible but unusual value (offscreen)."""

from __future__ import annotations

from tests.ui.test_physician_uncertain import opened  # noqa: F401 - the fixture


def test_what_if_bilirubin_slip_shows_did_you_mean_and_can_be_confirmed(
        opened, qtbot, pool) -> None:  # noqa: F811
    """Bilirubin 34 typed into MELD-Na's what-if shows the "did you mean µmol/L" refusal in
    the panel, no score; "Use 34 mg/dL as entered" then scores it, saying it was confirmed."""
    panel = opened.what_if
    panel.select_model("meld-na")
    panel._set_number("bilirubin", 34.0)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        panel.compute_button.click()
    qtbot.waitUntil(lambda: panel.unusual.isVisibleTo(panel), timeout=5_000)
    assert "Did you mean µmol/L? (34 µmol/L = 1.988 mg/dL)" in panel.unusual.message.text()
    assert panel.new_label.isHidden()
    assert panel.unusual.use.text() == "Use 34 mg/dL as entered"
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        panel.unusual.use.click()
    qtbot.waitUntil(lambda: panel.new_label.isVisibleTo(panel), timeout=5_000)
    assert panel.unusual.isHidden()
    assert "34 mg/dL (confirmed as entered)" in panel.changes.text()
