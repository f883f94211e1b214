"""The status bar after an analysis names the provider the model ran on, not "no models loaded"."""

from __future__ import annotations

from clinic_app.services import Services
from clinic_app.ui.radiology.workspace import RadiologyWorkspace
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.shell.status import NO_MODELS
from clinic_app.ui.shell.window import MainWindow
from tests.conftest import PASSWORDS
from tests.ui.radiology_support import analysed_ct


def test_the_status_bar_names_the_provider_once_an_analysis_ran(store, tmp_path, qtbot):
    """A fresh process shows "no models loaded"; after Analyse it shows the provider (CPU here)."""
    first, _session, written = analysed_ct(store, tmp_path)
    first.close()
    services = Services(store.settings(models_dir=tmp_path / "site-models", allow_unsigned_models=True),
                        clock=store.clock)
    session = services.auth.login("rad", PASSWORDS["rad"])
    win = MainWindow(services, session, load_specs(["clinic_app.ui.radiology.workspace"]))
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.provider_label.text().endswith(NO_MODELS)
        ws = next(w for w in win.workspaces if isinstance(w, RadiologyWorkspace))
        with qtbot.waitSignal(ws.findings.status_changed, timeout=20_000):
            ws.open_study(written.study_uid)
        panel = ws.findings
        panel.model_box.setCurrentIndex(panel.model_box.findData("bright"))
        with qtbot.waitSignal(panel.status_changed, timeout=30_000,
                              check_params_cb=lambda _uid, status, _d: status == "flagged"):
            panel.analyse()
        assert win.provider_label.text() == "Inference: CPU"
    finally:
        win.shutdown(wait_ms=10_000)
        services.close()
