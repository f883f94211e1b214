"""The what-if tab refuses a unit slip with the service's "did you mean" (offscreen)."""

from __future__ import annotations

from tests.ui.test_physician_uncertain import opened  # noqa: F401 - the fixture


def test_what_if_bilirubin_slip_shows_did_you_mean_and_no_result(opened, qtbot, pool,  # noqa: F811
                                                                 error_dialogs) -> None:
    """Bilirubin 34 typed into MELD-Na's what-if gives an error naming µmol/L; no score shows."""
    panel = opened.what_if
    panel.select_model("meld-na")
    panel._set_number("bilirubin", 34.0)
    with qtbot.waitSignal(pool.all_finished, timeout=20_000):
        panel.compute_button.click()
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=5_000)
    assert "Did you mean µmol/L? (34 µmol/L = 1.988 mg/dL)" in error_dialogs[0]
    error_dialogs.clear()
    assert panel.new_label.isHidden()
