"""The department scenario: one workstation analyses, reviews and sends results through a real
Orthanc; a second workstation, with its own encrypted store, retrieves them and sees them."""

from __future__ import annotations

import shutil
from pathlib import Path

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.services import Services
from tests.conftest import PASSWORDS, StoreFixture
from tests.pacs.orthanc import Orthanc, add_modality, free_port
from tests.results_support import analysed
from tests.test_dicom_results import _review_all


def _connect(services: Services, orthanc: Orthanc, aet: str, port: int) -> None:
    add_modality(orthanc, aet.lower(), aet, "127.0.0.1", port)
    admin = services.auth.login("admin", PASSWORDS["admin"])
    services.pacs.add_node(admin, dimse_node("get", orthanc.aet, "127.0.0.1", orthanc.dicom_port, retrieve="get"))
    services.pacs.add_node(admin, web_node("web", orthanc.dicomweb))
    services.auth.logout(admin)


def test_results_sent_by_one_workstation_open_on_another(store: StoreFixture, orthanc: Orthanc,
                                                          tmp_path: Path) -> None:
    """Analyse, accept/modify/add, send --results; B retrieves the study and sees SEG, SR, KO and decisions."""
    site = tmp_path / "site-models"
    site.mkdir()
    port_a = free_port()
    a = Services(store.settings(models_dir=site, allow_unsigned_models=True, pacs_ae_title="WS_A",
                                pacs_port=port_a), clock=store.clock)
    b_root = tmp_path / "b" / "store"
    shutil.copytree(store.root, b_root)  # same users, separate encrypted store
    b = Services(Settings(store_dir=b_root, log_dir=tmp_path / "b" / "logs", pacs_ae_title="WS_B",
                          pacs_port=free_port()), clock=ManualClock())
    try:
        _connect(a, orthanc, "WS_A", port_a)
        _connect(b, orthanc, "WS_B", free_port())
        study = analysed(a, site, tmp_path / "a")
        decisions = _review_all(study)
        sa = a.auth.login("rad", PASSWORDS["rad"])
        assert a.pacs.send_study(sa, "get", study.study_uid).sent == 20
        sent = a.pacs.send_results(sa, "web", study.study_uid)
        assert sent.failed == 0 and sent.sent >= 3  # at least a SEG, an SR and a KO

        sb = b.auth.login("rad", PASSWORDS["rad"])
        got = b.pacs.retrieve(sb, "get", study.study_uid)
        assert got.state.value == "complete" and got.imported == 20 + sent.sent
        results = b.study_results.study_results(sb, study.study_uid)
        assert results.segs and results.reports and results.key_images and not results.skipped
        # The segmentation overlays images B holds, and the SR's groups carry A's decisions.
        seg, refs = results.segs[0]
        assert seg.segments and all(r.found for r in refs)
        found = {g.decision for sr, _ in results.reports for g in sr.groups}
        assert {"accepted", "modified", "added"} <= found, found
        assert set(decisions) == {"accepted", "modified", "added"}
    finally:
        a.close()
        b.close()
