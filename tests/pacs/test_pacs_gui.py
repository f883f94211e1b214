"""The Query/Retrieve panel and the admin node check against a real Orthanc (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.services.pacs_types import RetrieveReport
from clinic_app.synthetic.dicom_series import write_ct_series
from clinic_app.ui.workers import WorkerPool
from tests.conftest import StoreFixture
from tests.pacs.orthanc import Orthanc
from tests.pacs.support import rad, workstation
from tests.ui.conftest import owned_pool

pytestmark = pytest.mark.gui


@pytest.fixture
def pool(qtbot) -> Iterator[WorkerPool]:  # type: ignore[no-untyped-def]
    p = owned_pool()
    yield p
    p.cancel_all()
    p.wait(20_000)


def test_search_retrieve_open_and_priors(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                         tmp_path: Path, qtbot, pool: WorkerPool) -> None:  # type: ignore[no-untyped-def]
    """Search by name, retrieve off the GUI thread, the study opens and its prior is listed."""
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace

    current = write_ct_series(tmp_path / "now", slices=6, rows=32, cols=32, seed=1,
                              study_date="2025-11-03")
    prior = write_ct_series(tmp_path / "prior", slices=4, rows=32, cols=32, seed=2,
                            study_date="2024-05-02", description="CT CHEST PRIOR")
    orthanc.upload([*current.paths, *prior.paths])
    services = workstation(store, orthanc, listen_port)
    session = rad(services)
    ws = RadiologyWorkspace(services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    ws.tabs.setCurrentWidget(ws.pacs)
    panel = ws.pacs
    panel.node.setCurrentIndex(panel.node.findData("get"))
    panel.name.setText("synth")
    with qtbot.waitSignal(panel.results_shown, timeout=20_000,
                          check_params_cb=lambda n: n == 2):
        panel.search_button.click()
    assert [panel.results.item(r, 3).text() for r in range(2)] == ["2025-11-03", "2024-05-02"]
    assert panel.results.selected().study_uid == current.study_uid  # newest first, selected
    ws.pacs.grab().save(str(tmp_path / "pacs-results.png"))
    with qtbot.waitSignals([panel.study_arriving, panel.retrieve_finished,
                            ws.loader.display_ready, panel.priors_shown],
                           timeout=30_000, order="none",
                           check_params_cbs=[None, lambda r: isinstance(r, RetrieveReport)
                                             and r.state.value == "complete", None,
                                             lambda n: n == 1]):
        panel.retrieve_button.click()
    assert ws.study is not None and ws.study.study.study_uid == current.study_uid
    assert panel.priors.matches[0].study_uid == prior.study_uid
    with qtbot.waitSignal(panel.retrieve_finished, timeout=30_000,
                          check_params_cb=lambda r: r is not None and r.imported == 4):
        panel.priors.selectRow(0)
        panel.fetch_prior_button.click()
    ws.tabs.setCurrentWidget(ws.pacs)
    ws.grab().save(str(tmp_path / "pacs-panel.png"))
    ws.shutdown()
    pool.wait(20_000)
    services.close()


def test_cancel_leaves_study_incomplete(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                                        tmp_path: Path, qtbot, pool: WorkerPool) -> None:  # type: ignore[no-untyped-def]
    """Cancel during a retrieve: the panel says incomplete and nothing is opened."""
    from clinic_app.ui.radiology.pacs_panel import PacsPanel

    series = write_ct_series(tmp_path / "ct", slices=80, rows=64, cols=64)
    orthanc.upload(series.paths)
    services = workstation(store, orthanc, listen_port)
    panel = PacsPanel(services, rad(services), pool)
    qtbot.addWidget(panel)
    panel.node.setCurrentIndex(panel.node.findData("get"))
    with qtbot.waitSignal(panel.results_shown, timeout=20_000):
        panel.search_button.click()
    opened: list[str] = []
    panel.open_requested.connect(opened.append)
    with qtbot.waitSignal(panel.retrieve_finished, timeout=30_000) as blocker:
        assert panel.retrieve() is not None
        assert panel.cancel_button.isEnabled() and not panel.retrieve_button.isEnabled()
        panel.cancel_button.click()  # before the first image is stored (the worker is still asking)
    report = blocker.args[0]
    assert report is not None and report.cancelled and report.state.value == "incomplete"
    assert "incomplete" in panel.status.text() and opened == []
    pool.wait(20_000)
    services.close()


def test_admin_verifies_a_node(store: StoreFixture, orthanc: Orthanc, listen_port: int,
                               qtbot, pool: WorkerPool, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """IT adds a node in the admin workspace and the Verify button shows the round trip."""
    from PySide6.QtWidgets import QMainWindow

    from clinic_app.ui.admin.pacs_nodes_view import PacsNodesPanel
    from clinic_app.ui.shell.registry import WorkspaceContext

    services = workstation(store, orthanc, listen_port)
    admin = store.login("admin")
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = PacsNodesPanel(WorkspaceContext(services, admin, pool, window))
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    panel.name.setText("second")
    panel.aet.setText(orthanc.aet)
    panel.host.setText("127.0.0.1")
    panel.port.setValue(orthanc.dicom_port)
    panel.save_button.click()
    assert "Saved second" in panel.message.text()
    names = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert names == ["get", "move", "second", "web"]
    panel.tree.setCurrentItem(panel.tree.topLevelItem(2))
    with qtbot.waitSignal(panel.verified, timeout=20_000,
                          check_params_cb=lambda name, ok: name == "second" and ok):
        panel.verify_button.click()
    assert panel.tree.topLevelItem(2).text(2).startswith("Answered in")
    panel.grab().save(str(tmp_path / "pacs-admin.png"))
    services.close()


def test_send_results_from_the_findings_panel_reaches_the_pacs(store: StoreFixture, orthanc: Orthanc,
                                                                pool: WorkerPool, qtbot, tmp_path: Path) -> None:
    """Send… on the findings panel sends the SEG, SR and KO of the analysed study to Orthanc."""
    from clinic_app.core.net.nodes import web_node
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace
    from tests.conftest import PASSWORDS
    from tests.ui.radiology_support import analysed_ct

    services, session, written = analysed_ct(store, tmp_path)
    admin = services.auth.login("admin", PASSWORDS["admin"])
    services.pacs.add_node(admin, web_node("web", orthanc.dicomweb))
    ws = RadiologyWorkspace(services, session, pool)
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    with qtbot.waitSignal(ws.findings.status_changed, timeout=20_000):
        ws.open_study(written.study_uid)
    ws.findings.list.setCurrentRow(0)
    services.analysis.review(session, ws.findings.current.finding_id, "accepted", "")
    with qtbot.waitSignal(ws.findings.results_actions.exported, timeout=30_000) as blocker:
        ws.findings.results_actions.send_results("web")
    assert blocker.args[0].startswith("Results sent to web:")
    stored = orthanc.get_json("/instances")
    assert isinstance(stored, list) and len(stored) >= 2  # the SR and KO at least
    ws.shutdown()
    pool.wait(20_000)
    services.close()
