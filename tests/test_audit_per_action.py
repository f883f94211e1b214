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
    """Attribute of the Services facade -> service class name, from its ``_SERVICES`` table
    (``"imaging": ("imaging", "ImagingService", ())``)."""
    tree = ast.parse((PACKAGE / "services" / "__init__.py").read_text(encoding="utf-8"))
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.target.id == "_SERVICES" and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Tuple):
                    cls = value.elts[1]
                    if isinstance(cls, ast.Constant):
                        out[str(key.value)] = str(cls.value)
    assert len(out) > 20, "the facade's _SERVICES table was not found"
    return out


def _service_classes() -> dict[str, ast.ClassDef]:
    classes = {}
    for path in (PACKAGE / "services").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Service"):
                classes[node.name] = node
    return classes


def _writes_audit(method: ast.FunctionDef) -> bool:
    """Whether the method writes an entry or passes the gate (``self.ctx.audit`` / ``.begin``):
    a gated method may audit a refusal, and its check is the caller's job already."""
    return any(isinstance(n, ast.Attribute) and n.attr in ("audit", "begin")
               and isinstance(n.value, ast.Attribute) and n.value.attr == "ctx"
               for n in ast.walk(method))


def test_no_service_calls_another_services_audited_method() -> None:
    """A service's action never calls a gated public method of another service (one that
    passes the permission gate or writes an entry): it calls an ``ungated_*`` internal."""
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


def _stored(session: Session) -> int:
    """Risk result and not-computed rows in the clinical store."""
    assert session.clinical is not None
    row = session.clinical.query("SELECT (SELECT count(*) FROM risk_results) + "
                                 "(SELECT count(*) FROM risk_not_computed)")[0]
    return int(row[0])


def test_opening_a_patient_writes_one_entry_and_stores_nothing(store: StoreFixture, tmp_path: Path) -> None:
    """The chart (record, every score, study states, a trend) is one entry, patient.open, and
    no risk result is stored by looking; changing the trend's model is one entry more."""
    from clinic_app.synthetic.cohort import generate_cohort
    from clinic_app.ui.physician.trends import FACT_NAMES

    phys = store.login("phys")
    bundle = generate_cohort(2, seed=5).write_bundle(tmp_path / "cohort.json")
    assert store.services.records.import_files(phys, [bundle]).ok
    patient = store.services.records.list_patients(phys)[0]
    before, rows = _entries(store.services, "phys"), _stored(phys)
    chart = store.services.patient_chart.open(phys, patient.mrn, patient.issuer,
                                              trend_model="framingham-cvd-10y", facts=FACT_NAMES)
    assert chart.scores.results and chart.trend is not None and chart.trend.points
    assert len(chart.trend.points) == len(chart.trend.dates)
    after = _entries(store.services, "phys")
    assert [a for s, a in sorted(after.items()) if s not in before] == ["patient.open"]
    assert _stored(phys) == rows
    store.services.patient_chart.trend(phys, patient.mrn, "cha2ds2-vasc", FACT_NAMES,
                                       issuer=patient.issuer)
    again = _entries(store.services, "phys")
    assert [a for s, a in sorted(again.items()) if s not in after] == ["risk.trend"]
    assert _stored(phys) == rows
