"""Every role against every service operation: the service refuses, whatever the UI shows.

``OPERATIONS`` names each public service method with the permission it must enforce and a
call with harmless arguments (names that do not exist, so an allowed call fails *after* the
permission check with InvalidInput rather than changing anything). A completeness test makes
sure no public service method escapes this table.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.core.net.nodes import NodeKind, PacsNode
from clinic_app.core.net.query import QueryFilter
from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.security.roles import MATRIX, Permission, Role
from clinic_app.errors import ClinicAppError, PermissionDenied
from clinic_app.services import Services, Session
from tests.conftest import StoreFixture

Call = Callable[[Services, Session], object]

OPERATIONS: dict[str, tuple[Permission, Call]] = {
    "accounts.list": (Permission.USERS_LIST, lambda s, x: s.accounts.list(x)),
    "accounts.pending_grants": (Permission.USERS_LIST, lambda s, x: s.accounts.pending_grants(x)),
    "accounts.add": (Permission.USERS_MANAGE,
                     lambda s, x: s.accounts.add(x, "bad name!", Role.ADMIN, "long-enough-password")),
    "accounts.set_enabled": (Permission.USERS_MANAGE, lambda s, x: s.accounts.set_enabled(x, "nobody", True)),
    "accounts.reset_password": (Permission.USERS_MANAGE,
                                lambda s, x: s.accounts.reset_password(x, "nobody", "long-enough-password")),
    "accounts.unlock": (Permission.USERS_MANAGE, lambda s, x: s.accounts.unlock(x, "nobody")),
    "audit.verify": (Permission.AUDIT_VERIFY, lambda s, x: s.audit.verify(x)),
    "audit.verify_against": (Permission.AUDIT_VERIFY, lambda s, x: s.audit.verify_against(x, "{}")),
    "audit.entries": (Permission.AUDIT_READ, lambda s, x: s.audit.entries(x, AuditFilter(limit=1))),
    "audit.export": (Permission.AUDIT_EXPORT, lambda s, x: s.audit.export(x, "json")),
    "audit_forwarding.forward": (Permission.AUDIT_EXPORT, lambda s, x: s.audit_forwarding.forward(x)),
    "audit_forwarding.live_state": (Permission.AUDIT_EXPORT, lambda s, x: s.audit_forwarding.live_state(x)),
    "store_admin.backup": (Permission.STORE_BACKUP,
                           lambda s, x: s.store_admin.backup(x, s.settings.store_dir / "not-a-backup-target")),
    "store_admin.gc": (Permission.STORE_GC, lambda s, x: s.store_admin.gc(x, dry_run=True)),
    "key_rotation.status": (Permission.SYSTEM_INFO, lambda s, x: s.key_rotation.status(x)),
    "key_rotation.request": (Permission.USERS_MANAGE, lambda s, x: s.key_rotation.request(x, "")),
    "key_rotation.rotate": (Permission.KEYS_ROTATE, lambda s, x: s.key_rotation.rotate(x, cancelled=lambda: True)),
    "grants.approve": (Permission.GRANTS_COMPLETE, lambda s, x: s.grants.approve(x, "nobody")),
    "grants.refuse": (Permission.GRANTS_COMPLETE, lambda s, x: s.grants.refuse(x, "nobody")),
    "grants.setup_recovery": (Permission.GRANTS_COMPLETE, lambda s, x: s.grants.setup_recovery(x, [], 2)),
    "models.list": (Permission.MODELS_LIST, lambda s, x: s.models.list(x)),
    "model_trust.overview": (Permission.MODELS_LIST, lambda s, x: s.model_trust.overview(x)),
    "model_trust.revoke": (Permission.MODELS_MANAGE, lambda s, x: s.model_trust.revoke(x, "0" * 64)),
    "site_config.write": (Permission.SETTINGS_MANAGE,
                          lambda s, x: s.site_config.write(x, Path("/nonexistent-dir/config.toml"),
                                                           {"no_such_key": 1})),
    "system.report": (Permission.SYSTEM_INFO, lambda s, x: s.system.report(x, probe=False)),
    "models.verify": (Permission.MODELS_LIST, lambda s, x: s.models.verify(x, "no-such-model")),
    "models.scan": (Permission.MODELS_LIST, lambda s, x: s.models.scan(x)),
    "models.catalog": (Permission.MODELS_LIST, lambda s, x: s.models.catalog(x)),
    "models.session_for": (Permission.MODELS_LIST, lambda s, x: s.models.session_for(x, "no-such-model")),
    "models.add": (Permission.MODELS_MANAGE, lambda s, x: s.models.add(x, Path("/no-such-package"))),
    "models.disable": (Permission.MODELS_MANAGE, lambda s, x: s.models.disable(x, "no-such-model")),
    "models.enable": (Permission.MODELS_MANAGE, lambda s, x: s.models.enable(x, "no-such-model")),
    "risk.risk_models": (Permission.RISK_VIEW, lambda s, x: s.risk.risk_models(x, ["no-such-model"])),
    "risk.score_patient": (Permission.RISK_SCORE, lambda s, x: s.risk.score_patient(x, "NO-SUCH-MRN")),
    "risk.what_if": (Permission.RISK_SCORE,
                     lambda s, x: s.risk.what_if(x, "NO-SUCH-MRN", "pce-ascvd-10y", {})),
    "risk.trend": (Permission.RISK_VIEW, lambda s, x: s.risk.trend(x, "NO-SUCH-MRN", "pce-ascvd-10y", [])),
    "risk.stored": (Permission.RISK_VIEW, lambda s, x: s.risk.stored(x, "NO-SUCH-MRN")),
    "risk.score_all": (Permission.RISK_SCORE, lambda s, x: s.risk.score_all(x, model_ids=["no-such-model"])),
    "risk_overview.latest_results": (Permission.RISK_VIEW, lambda s, x: s.risk_overview.latest_results(x)),
    "risk_overview.model_cards": (Permission.RISK_VIEW, lambda s, x: s.risk_overview.model_cards(x)),
    "risk_overview.record_report_export": (
        Permission.RISK_REPORT_EXPORT,
        lambda s, x: s.risk_overview.record_report_export(x, "NO-SUCH-MRN", None, model_ids=[], pages=0)),
    "risk_report.export": (Permission.RISK_REPORT_EXPORT,
                           lambda s, x: s.risk_report.export(x, "NO-SUCH-MRN")),
    "imaging.import_dicom": (Permission.DICOM_IMPORT, lambda s, x: s.imaging.import_dicom(x, [])),
    "imaging.list_studies": (Permission.STUDIES_VIEW, lambda s, x: s.imaging.list_studies(x)),
    "imaging.show_study": (Permission.STUDIES_VIEW, lambda s, x: s.imaging.show_study(x, "1.2.3")),
    "imaging.load_series_volume": (Permission.IMAGES_VIEW,
                                   lambda s, x: s.imaging.load_series_volume(x, "1.2.3")),
    "imaging.first_slice": (Permission.IMAGES_VIEW, lambda s, x: s.imaging.first_slice(x, "1.2.3")),
    "analysis.applicable_models": (Permission.ANALYSIS_RUN,
                                   lambda s, x: s.analysis.applicable_models(x, "1.2.3")),
    "analysis.analyze": (Permission.ANALYSIS_RUN, lambda s, x: s.analysis.analyze(x, "1.2.3")),
    "analysis.findings": (Permission.FINDINGS_VIEW, lambda s, x: s.analysis.findings(x, "1.2.3")),
    "analysis.heatmap": (Permission.FINDINGS_VIEW, lambda s, x: s.analysis.heatmap(x, -1)),
    "analysis.review": (Permission.FINDINGS_REVIEW,
                        lambda s, x: s.analysis.review(x, -1, "accepted")),
    "analysis.study_status": (Permission.FINDINGS_VIEW,
                              lambda s, x: s.analysis.study_status(x, ["1.2.3"])),
    "analysis.worklist": (Permission.STUDIES_VIEW, lambda s, x: s.analysis.worklist(x)),
    "records.import_files": (Permission.RECORDS_IMPORT, lambda s, x: s.records.import_files(x, [])),
    "records.list_patients": (Permission.PATIENTS_VIEW, lambda s, x: s.records.list_patients(x)),
    "records.show_patient": (Permission.PATIENTS_VIEW,
                             lambda s, x: s.records.show_patient(x, "NO-SUCH-MRN")),
    "records.history": (Permission.PATIENTS_VIEW,
                        lambda s, x: s.records.history(x, -1, "systolic_bp")),
    "review_edits.modify": (Permission.FINDINGS_REVIEW,
                            lambda s, x: s.review_edits.modify(x, -1, (0, 1), (0, 1))),
    "review_edits.add_finding": (Permission.FINDINGS_REVIEW,
                                 lambda s, x: s.review_edits.add_finding(
                                     x, "1.2.3", "1.2.3", "nodule", 0, (0, 1), (0, 1))),
    "review_edits.added_findings": (Permission.FINDINGS_VIEW,
                                    lambda s, x: s.review_edits.added_findings(x, "1.2.3")),
    "study_results.study_results": (Permission.FINDINGS_VIEW,
                                    lambda s, x: s.study_results.study_results(x, "1.2.3")),
    "study_results.seg_overlay": (Permission.IMAGES_VIEW,
                                  lambda s, x: s.study_results.seg_overlay(x, "1.2.3", "1.2.4")),
    "deid.export_study": (Permission.DEID_EXPORT,
                          lambda s, x: s.deid.export_study(x, "1.2.3", Path("/nonexistent-dir/x"))),
    "deid.export_patient": (Permission.DEID_EXPORT,
                            lambda s, x: s.deid.export_patient(x, "NO-SUCH-MRN",
                                                               Path("/nonexistent-dir/x"))),
    "results.build": (Permission.RESULTS_EXPORT, lambda s, x: s.results.build(x, "1.2.3")),
    "results.export": (Permission.RESULTS_EXPORT,
                       lambda s, x: s.results.export(x, "1.2.3", Path("/nonexistent-dir/x"))),
    "pacs.add_node": (Permission.PACS_NODES_MANAGE,
                      lambda s, x: s.pacs.add_node(x, PacsNode("bad name!", NodeKind.DIMSE))),
    "pacs.remove_node": (Permission.PACS_NODES_MANAGE, lambda s, x: s.pacs.remove_node(x, "none")),
    "pacs.list_nodes": (Permission.PACS_ECHO, lambda s, x: s.pacs.list_nodes(x)),
    "pacs.echo": (Permission.PACS_ECHO, lambda s, x: s.pacs.echo(x, "none")),
    "pacs.find": (Permission.PACS_QUERY, lambda s, x: s.pacs.find(x, "none", QueryFilter())),
    "pacs.priors": (Permission.PACS_QUERY, lambda s, x: s.pacs.priors(x, "none", "")),
    "pacs.retrieve": (Permission.DICOM_IMPORT, lambda s, x: s.pacs.retrieve(x, "none", "1.2.3")),
    "pacs.retrieve_state": (Permission.STUDIES_VIEW, lambda s, x: s.pacs.retrieve_state(x, "1.2.3")),
    "pacs.send_study": (Permission.PACS_SEND, lambda s, x: s.pacs.send_study(x, "none", "1.2.3")),
    "pacs.send_results": (Permission.PACS_SEND, lambda s, x: s.pacs.send_results(x, "none", "1.2.3")),
    "pacs.send_datasets": (Permission.PACS_SEND, lambda s, x: s.pacs.send_datasets(x, "none", [])),
    "pacs.start_listener": (Permission.DICOM_IMPORT, lambda s, x: s.pacs.start_listener(x)),
    "pacs.listen": (Permission.DICOM_IMPORT, lambda s, x: s.pacs.listen(x)),
    "model_evaluation.evaluate": (Permission.MODELS_EVALUATE,
                                  lambda s, x: s.model_evaluation.evaluate(x, "no-such-model",
                                                                           Path("/no-such-dir"))),
    "records.confirm_input": (Permission.RISK_SCORE,
                              lambda s, x: s.records.confirm_input(x, -1, "bp_treated", True,
                                                                   subject="x")),
    "records.confirm_uncertain": (Permission.RISK_SCORE,
                                  lambda s, x: s.records.confirm_uncertain(
                                      x, "NO-SUCH-MRN", "bp_treated", True, reason="x")),
    "records.record_family_history": (Permission.RISK_SCORE,
                                      lambda s, x: s.records.record_family_history(
                                          x, "NO-SUCH-MRN", True, reason="x")),
    "measurements.save": (Permission.FINDINGS_REVIEW,
                          lambda s, x: s.measurements.save(x, "1.2.3", "1.2.3.4", 0, [])),
    "measurements.for_study": (Permission.IMAGES_VIEW, lambda s, x: s.measurements.for_study(x, "1.2.3")),
    "entered_values.save": (Permission.RECORDS_ENTER,
                            lambda s, x: s.entered_values.save(x, -1, {"hdl_cholesterol": 50.0}, reason="x")),
    "entered_values.save_by_mrn": (Permission.RECORDS_ENTER,
                                   lambda s, x: s.entered_values.save_by_mrn(x, "NO-SUCH-MRN",
                                                                             {"hdl_cholesterol": 50.0}, reason="x")),
    "patient_chart.open": (Permission.PATIENTS_VIEW,
                           lambda s, x: s.patient_chart.open(x, "NO-SUCH-MRN")),
    "patient_chart.trend": (Permission.RISK_VIEW,
                            lambda s, x: s.patient_chart.trend(x, "NO-SUCH-MRN", "m", ())),
    "terminology.status": (Permission.MODELS_LIST, lambda s, x: s.terminology.status(x)),
    "terminology.install": (Permission.MODELS_MANAGE,
                            lambda s, x: s.terminology.install(x, Path("/no-such-terminology.json"))),
    "kept_records.counts": (Permission.PATIENTS_VIEW, lambda s, x: s.kept_records.counts(x, 1)),
    "kept_records.resources": (Permission.PATIENTS_VIEW,
                               lambda s, x: s.kept_records.resources(x, 1)),
    "measurement_report.rows": (Permission.IMAGES_VIEW, lambda s, x: s.measurement_report.rows(x, "1.2.3")),
    "measurement_report.export_sr": (Permission.RESULTS_EXPORT,
                                     lambda s, x: s.measurement_report.export_sr(x, "1.2.3",
                                                                                 Path("/no-such-dir/m.dcm"))),
}

#: Methods that are not gated by a role because they establish or end identity itself.
UNGATED = {
    # Internals for another service's gated action (one entry per user action); the UI and
    # CLI never call them (tests/test_audit_per_action.py).
    "imaging.ungated_study_detail", "imaging.ungated_series_volume",
    "models.ungated_scan", "models.ungated_catalog", "models.ungated_session_for",
    "risk.ungated_risk_models", "risk.ungated_score", "risk.ungated_trend",
    "records.ungated_show_patient", "records.ungated_history", "analysis.ungated_study_states",
    "auth.init_store", "auth.login", "auth.logout", "auth.lock", "auth.unlock", "auth.check_idle",
    "auth.change_password", "grants.recover_grants", "auth.fresh_kdf",
    # Gated per role (admin: users.list, clinicians: grants.complete); tests/test_grants.py.
    "grants.pending",
    "auth.is_idle", "auth.note_activity", "auth.store_exists",
    # Names of loaded models, library versions and file sizes: no data, shown to everyone.
    "models.loaded", "system.versions", "system.store_usage",
    # Stops this process's own listener; starting it is what the permission guards.
    "pacs.stop_listener",
    # Started by the facade when a collector is configured; stopped by Services.close.
    "audit_forwarding.start_live", "audit_forwarding.stop_live",
}


def _public_service_methods(services: Services) -> set[str]:
    names = set()
    for attr in services.SERVICE_NAMES:  # the facade builds each on first access
        svc = getattr(services, attr)
        for name, _member in inspect.getmembers(type(svc), predicate=inspect.isfunction):
            if not name.startswith("_"):
                names.add(f"{attr}.{name}")
    return names


def test_every_public_service_method_is_checked_here(store: StoreFixture) -> None:
    """A new service method must be added to OPERATIONS (or be an identity operation)."""
    missing = _public_service_methods(store.services) - set(OPERATIONS) - UNGATED
    assert missing == set(), f"add these to OPERATIONS in {__file__}: {sorted(missing)}"


def test_every_permission_has_a_matrix_row() -> None:
    """The matrix covers every permission and gives the admin no clinical permission."""
    assert set(MATRIX) == set(Permission)
    clinical = {p for p in Permission if p.value.split(".")[0] in
                {"dicom", "studies", "images", "analysis", "findings", "records", "patients", "risk"}}
    assert all(Role.ADMIN not in MATRIX[p] for p in clinical)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory, _store_template: Path) -> dict[Role, tuple[Services, Session]]:
    import shutil

    from clinic_app.config import Settings
    from tests.conftest import PASSWORDS

    root = tmp_path_factory.mktemp("perm") / "store"
    shutil.copytree(_store_template, root)
    services = Services(Settings(store_dir=root))
    return {role: (services, services.auth.login(name, PASSWORDS[name]))
            for role, name in ((Role.ADMIN, "admin"), (Role.RADIOLOGIST, "rad"), (Role.PHYSICIAN, "phys"))}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_role_against_operation(sessions: dict, operation: str, role: Role) -> None:
    """The service allows exactly the roles the matrix names, and audits each refusal."""
    permission, call = OPERATIONS[operation]
    services, session = sessions[role]
    if role in MATRIX[permission]:
        try:
            call(services, session)
        except PermissionDenied:  # pragma: no cover - the failure this test exists to catch
            pytest.fail(f"{role.value} was refused {operation}")
        except ClinicAppError:
            pass  # refused later for the harmless arguments: the permission check passed
    else:
        assert session.audit is not None
        before = session.audit.head()
        with pytest.raises(PermissionDenied, match=permission.value):
            call(services, session)
        last = session.audit.entries(AuditFilter())[-1]
        assert last.action == "permission.denied" and last.user == session.username
        assert session.audit.head() != before
