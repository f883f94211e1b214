"""One user action writes one audit entry: gated entry points call ungated internals."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from clinic_app.core.security.audit import AuditFilter
from clinic_app.services import Services, Session
from clinic_app.synthetic.dicom_series import write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from tests.ai_support import manifest, threshold_model
from tests.ai_support import package as write_test_package
from tests.conftest import PASSWORDS, StoreFixture

PACKAGE = Path(__file__).resolve().parents[1] / "clinic_app"

#: Cross-service calls that are allowed although the callee is a public service method,
#: each with why. Keep it short; prefer an ``ungated_*`` internal on the callee.
#: Entries are (calling service class, facade attribute, method).
ALLOWED_CALLS: set[tuple[str, str, str]] = set()


def _facade() -> dict[str, str]:
    """Attribute of the Services facade -> service class name (``self.imaging = ImagingService(...)``)."""
    tree = ast.parse((PACKAGE / "services" / "__init__.py").read_text(encoding="utf-8"))
    out = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id.endswith("Service")):
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    out[target.attr] = node.value.func.id
    return out


def _service_classes() -> dict[str, ast.ClassDef]:
    classes = {}
    for path in (PACKAGE / "services").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Service"):
                classes[node.name] = node
    return classes


def _writes_audit(method: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "audit" and isinstance(n.value, ast.Attribute)
               and n.value.attr == "ctx" for n in ast.walk(method))


def test_no_service_calls_another_services_audited_method() -> None:
    """A service's action never calls a public method of another service that writes an entry."""
    facade, classes = _facade(), _service_classes()
    audited = {(cls, m.name) for cls, node in classes.items() for m in node.body
               if isinstance(m, ast.FunctionDef) and not m.name.startswith("_") and _writes_audit(m)}
    found = set()
    for cls, node in classes.items():
        for call in ast.walk(node):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            owner = call.func.value
            if (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name)
                    and owner.value.id == "self" and owner.attr in facade
                    and (facade[owner.attr], call.func.attr) in audited):
                found.add((cls, owner.attr, call.func.attr))
    assert found - ALLOWED_CALLS == set(), "call an ungated_* internal and audit once in the caller"
    assert found >= ALLOWED_CALLS, f"stale allow-list entries: {ALLOWED_CALLS - found}"


def test_ui_and_cli_never_call_ungated_internals() -> None:
    """ungated_* methods skip the permission gate: only services may call them."""
    offenders = []
    for path in [*(PACKAGE / "ui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py"), PACKAGE / "demo.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("ungated_"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.attr}")
    assert offenders == []


def _entries(services: Services, user: str) -> dict[int, str]:
    """Sequence number -> action of ``user``'s entries (read as the admin)."""
    admin = services.auth.login("admin", PASSWORDS["admin"])
    entries = {e.seq: e.action for e in services.audit.entries(admin, AuditFilter(user=user))}
    services.auth.logout(admin)
    return entries


def test_one_analysis_writes_one_audit_entry(store: StoreFixture, tmp_path: Path) -> None:
    """Analysing a study with one model adds exactly one entry (analysis.run), not one per
    internal step (study read, series decode)."""
    site = tmp_path / "site-models"
    write_test_package(site / "bright", threshold_model(level=0.85),
                       manifest(id="bright", inputs__image__preprocessing__window={"center": 1000, "width": 1000}))
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True), clock=store.clock)
    try:
        written = write_ct_series(tmp_path / "ct", slices=12, rows=96, cols=96, pixel_mm=1.5,
                                  spacing_mm=2.5, origin=(-70.0, -70.0, -300.0), seed=3)
        plant_ct_lesions(written.paths, [CtLesion((6.0, 48.0, 48.0), (4.0, 4.0, 4.0), 2000.0)],
                         np.random.default_rng(3))
        sess: Session = services.auth.login("rad", PASSWORDS["rad"])
        assert services.imaging.import_dicom(sess, [tmp_path / "ct"]).imported == 12
        services.models.list(sess)  # the once-per-session alert for an unsigned model comes here
        before = _entries(services, "rad")
        (run,) = services.analysis.analyze(sess, written.study_uid, "bright")
        after = _entries(services, "rad")
    finally:
        services.close()
    added = [action for seq, action in sorted(after.items()) if seq not in before]
    assert run.model_id == "bright"
    assert added == ["analysis.run"]
