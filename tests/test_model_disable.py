"""Admin enable/disable of model packages: listed as disabled, never loaded, scored or analysed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_app.core.security.audit import AuditFilter, EventCode
from clinic_app.errors import InvalidInput, ModelError, PermissionDenied
from clinic_app.services import Services
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.ai_support import manifest, threshold_model
from tests.ai_support import package as write_test_package
from tests.conftest import PASSWORDS, StoreFixture
from tests.test_inference_cli import run


def _audit(store: StoreFixture, action: str) -> list:
    admin = store.login("admin")
    return [e for e in store.services.audit.entries(admin, AuditFilter()) if e.action == action]


def test_disabled_model_is_listed_with_who_and_when_and_is_never_loaded(store: StoreFixture):
    """Disabling a shipped model lists it as disabled by the admin, refuses loads, and audits."""
    admin = store.login("admin")
    models = store.services.models
    info = models.disable(admin, "meld-unos", reason="local validation pending")
    assert info is not None and info.status == "disabled"
    assert info.disabled == "disabled by admin at 2026-01-05 09:00 UTC"
    rows = {r.id: r for r in models.list(admin)}
    assert rows["meld-unos"].status == "disabled" and rows["meld-unos"].provider == ""
    assert rows["meld-unos"].disabled_reason == "local validation pending"
    assert rows["pce-ascvd-10y"].status == "ok"
    phys = store.login("phys")
    with pytest.raises(ModelError, match=re.escape(
            "'meld-unos' is disabled by admin at 2026-01-05 09:00 UTC (local validation pending); "
            "an admin can enable")):
        models.session_for(phys, "meld-unos")
    assert all(s.manifest.id != "meld-unos" for s in models.loaded())
    (entry,) = _audit(store, "models.disable")
    assert entry.event_code == EventCode.SECURITY_ALERT and entry.object == "meld-unos"
    assert entry.detail["reason_given"] is True and "validation" not in json.dumps(entry.detail)


def test_enable_restores_the_model_and_is_audited(store: StoreFixture):
    """Enabled again, the model loads and runs; the change is audited."""
    admin = store.login("admin")
    models = store.services.models
    models.disable(admin, "meld-unos")
    info = models.enable(admin, "meld-unos")
    assert info is not None and info.status == "ok" and info.disabled == ""
    assert models.session_for(store.login("phys"), "meld-unos").provider.endswith("Provider")
    assert [e.event_code for e in _audit(store, "models.enable")] == [EventCode.SECURITY_ALERT]
    with pytest.raises(InvalidInput, match="not disabled"):
        models.enable(admin, "meld-unos")


def test_only_installed_ids_can_be_disabled_and_only_by_the_admin(store: StoreFixture):
    """An unknown id is refused; a clinician is refused by the service, not only the UI."""
    with pytest.raises(InvalidInput, match="No model package with id 'no-such'"):
        store.services.models.disable(store.login("admin"), "no-such")
    with pytest.raises(PermissionDenied):
        store.services.models.disable(store.login("phys"), "meld-unos")
    assert _audit(store, "models.disable") == []


def test_verify_skips_a_disabled_model_without_failing(store: StoreFixture):
    """`verify` reports a disabled package as skipped (not run), which is not a failure."""
    admin = store.login("admin")
    store.services.models.disable(admin, "meld-unos")
    (report,) = store.services.models.verify(admin, "meld-unos")
    assert report.skipped and report.ok and report.checks == ()
    assert report.error.startswith("not checked: disabled by admin")


def test_a_new_services_instance_sees_the_mark(store: StoreFixture):
    """The mark lives in the encrypted system store: another process (here: Services) sees it."""
    store.services.models.disable(store.login("admin"), "meld-unos")
    other = Services(store.services.settings, clock=store.clock)
    try:
        sess = other.auth.login("phys", PASSWORDS["phys"])
        rows = {r.id: r for r in other.models.list(sess)}
        assert rows["meld-unos"].status == "disabled"
    finally:
        other.close()


# -- the paths that run models -----------------------------------------------------------
def _patient(store: StoreFixture, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    patient = {"resourceType": "Patient", "id": "p1",
               "identifier": [{"system": "urn:mrn", "value": "MRN-1"}],
               "name": [{"family": "Test", "given": ["One"]}], "gender": "male",
               "birthDate": "1960-01-01"}
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": patient}]}))
    report = store.services.records.import_files(store.login("phys"), [bundle])
    assert report.ok


def test_risk_scoring_refuses_a_named_disabled_model_and_skips_it_otherwise(store, tmp_path):
    """score_patient names the admin's mark for a disabled model asked for by id, and leaves
    it out (neither result nor 'cannot compute') when scoring with every model."""
    _patient(store, tmp_path)
    store.services.models.disable(store.login("admin"), "meld-unos")
    phys = store.login("phys")
    with pytest.raises(InvalidInput, match=r"'meld-unos'.*disabled by admin at .*enable it"):
        store.services.risk.score_patient(phys, "MRN-1", model_ids=["meld-unos"])
    scores = store.services.risk.score_patient(phys, "MRN-1")
    seen = {r.model_id for r in scores.results} | {n.model_id for n in scores.not_computed}
    assert "meld-unos" not in seen and "pce-ascvd-10y" in seen


def test_analysis_refuses_a_disabled_imaging_model_and_stores_nothing(store, tmp_path):
    """analyze with a disabled model id says who disabled it; nothing is decoded or stored."""
    site = tmp_path / "site-models"
    write_test_package(site / "bright", threshold_model(level=0.85), manifest(id="bright"))
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True),
                        clock=store.clock)
    try:
        rad = services.auth.login("rad", PASSWORDS["rad"])
        written = write_ct_series(tmp_path / "ct", slices=4, rows=32, cols=32, pixel_mm=1.0,
                                  spacing_mm=2.0)
        assert services.imaging.import_dicom(rad, [tmp_path / "ct"]).imported == 4
        services.models.disable(services.auth.login("admin", PASSWORDS["admin"]), "bright")
        with pytest.raises(InvalidInput, match="'bright' is disabled by admin"):
            services.analysis.analyze(rad, written.study_uid, "bright")
        assert not [a for a in services.analysis.applicable_models(rad, written.study_uid)
                    if a.model_id == "bright"]
        assert rad.clinical is not None
        assert rad.clinical.query_one("SELECT COUNT(*) AS n FROM ai_runs")["n"] == 0
    finally:
        services.close()


# -- CLI -----------------------------------------------------------------------------------
def test_cli_disable_list_score_enable(store: StoreFixture, tmp_path: Path):
    """`models disable/enable` (admin) drive `models list --user` and the calculator with --user;
    without --user the calculator has no store and cannot see the mark (documented)."""
    root = str(store.root)
    store.services.close()
    code, out, _ = run("--store", root, "models", "disable", "meld-unos", "--reason", "recall",
                       "--user", "admin", "--password-stdin", stdin=PASSWORDS["admin"] + "\n")
    assert code == 0 and "meld-unos is disabled by admin at" in out
    code, out, _ = run("--store", root, "models", "list", "--user", "phys", "--password-stdin",
                       stdin=PASSWORDS["phys"] + "\n")
    assert code == 0 and "DISABLED meld-unos: disabled by admin at" in out and "(recall)" in out
    inputs = tmp_path / "meld.json"
    inputs.write_text(json.dumps({"creatinine": 1.9, "bilirubin": 4.2, "inr": 1.2,
                                  "dialysis": False}))
    code, _, err = run("--store", root, "score", "--model", "meld-unos", "--inputs", str(inputs),
                       "--user", "phys", "--password-stdin", stdin=PASSWORDS["phys"] + "\n")
    assert code == 1 and "disabled by admin" in err
    code, out, _ = run("--store", root, "score", "--model", "meld-unos", "--inputs", str(inputs),
                       "--json")
    assert code == 0 and json.loads(out)["model"] == "meld-unos"
    code, _, err = run("--store", root, "models", "disable", "meld-unos", "--user", "phys",
                       "--password-stdin", stdin=PASSWORDS["phys"] + "\n")
    assert code == 4
    code, out, _ = run("--store", root, "models", "enable", "meld-unos", "--user", "admin",
                       "--password-stdin", stdin=PASSWORDS["admin"] + "\n")
    assert code == 0 and "enabled again" in out
    code, out, _ = run("--store", root, "score", "--model", "meld-unos", "--inputs", str(inputs),
                       "--json", "--user", "phys", "--password-stdin", stdin=PASSWORDS["phys"] + "\n")
    assert code == 0 and json.loads(out)["model"] == "meld-unos"
