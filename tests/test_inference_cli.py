"""`clinic-app models list|verify|add`: providers, refusals with reasons, audited admin opt-in."""

from __future__ import annotations

import io
import json
import sys

import pytest

from clinic_app.cli.main import main
from clinic_app.core.security.audit import AuditFilter
from tests.conftest import PASSWORDS
from tests.model_support import copy_shipped, make_imaging_package, make_package


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv), out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_models_list_reports_the_provider_each_model_runs_on():
    """Every shipped model is listed with its trust and the provider its session actually got."""
    code, out, _ = run("models", "list", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["pce-ascvd-10y"]["status"] == "ok"
    assert rows["pce-ascvd-10y"]["provider"].endswith("ExecutionProvider")
    assert rows["pima-diabetes-demo"]["demo"] is True


def test_models_verify_runs_every_test_vector():
    """`models verify` passes on the shipped packages, naming each vector's source."""
    code, out, _ = run("models", "verify")
    assert code == 0
    assert out.count("[pass]") >= 20 and "[FAIL]" not in out
    assert "D'Agostino 2008" in out


def test_tampered_site_package_is_listed_as_refused_and_verify_fails(store):
    """A tampered package in the site folder is refused (reason shown), audited, and fails verify."""
    site = store.root / "models"
    pkg = copy_shipped(site, "meld-unos")
    manifest = json.loads((pkg / "manifest.json").read_text())
    manifest["id"] = "meld-copy"
    (pkg / "manifest.json").write_text(json.dumps(manifest))
    store.services.close()
    code, out, _ = run("--store", str(store.root), "models", "list", "--user", "admin",
                       "--password-stdin", stdin=PASSWORDS["admin"] + "\n")
    assert code == 0
    assert "REFUSED meld-copy" in out and "unsigned" in out
    code, _, err = run("--store", str(store.root), "models", "verify", "meld-copy")
    assert code == 5 and "failed verification" in err
    admin = store.login("admin")
    alerts = [e for e in store.services.audit.entries(admin, AuditFilter()) if e.action == "models.refused"]
    assert alerts and alerts[0].detail["reason"] == "unsigned"


def test_models_add_needs_explicit_audited_opt_in_for_unsigned(store, tmp_path):
    """Unsigned packages install only with --allow-unsigned, recorded as an approval and audited."""
    pkg = make_imaging_package(tmp_path / "incoming", "vendor-model")
    store.services.close()
    args = ("--store", str(store.root), "models", "add", str(pkg), "--user", "admin", "--password-stdin")
    code, _, err = run(*args, stdin=PASSWORDS["admin"] + "\n")
    assert code == 1 and "--allow-unsigned" in err
    code, out, err = run(*args, "--allow-unsigned", "--reason", "vendor evaluation",
                         stdin=PASSWORDS["admin"] + "\n")
    assert code == 0, err
    assert "approved by an admin" in out
    code, out, _ = run("--store", str(store.root), "models", "list", "--json", "--user", "phys",
                       "--password-stdin", stdin=PASSWORDS["phys"] + "\n")
    assert {r["id"]: r["status"] for r in json.loads(out)}["vendor-model"] == "ok"
    admin = store.login("admin")
    adds = [e for e in store.services.audit.entries(admin, AuditFilter()) if e.action == "models.add"]
    assert [e.outcome for e in adds][-1] == 0 and adds[-1].detail["trust"] == "approved-unsigned"


def test_models_add_refuses_a_physician(store, tmp_path):
    """Only the admin manages models (exit 4)."""
    pkg = make_package(tmp_path, "vendor-model")
    store.services.close()
    code, _, _ = run("--store", str(store.root), "models", "add", str(pkg), "--user", "phys",
                     "--password-stdin", stdin=PASSWORDS["phys"] + "\n")
    assert code == 4


@pytest.mark.parametrize("argv", [
    ["score", "--inputs", "x.json"],  # no model
    ["score", "MRN-1", "--model", "meld-unos", "--inputs", "x.json"],  # both modes
    ["score"],  # nothing
])
def test_score_usage_errors_exit_2(argv):
    """Ambiguous score invocations are usage errors, not tracebacks."""
    code, _, err = run(*argv)
    assert code == 2 and err.startswith("clinic-app:")


def test_score_inputs_file_must_be_a_json_object(tmp_path):
    """A malformed inputs file is refused with exit 1 naming the file."""
    bad = tmp_path / "x.json"
    bad.write_text('{"age": 55, "age": 56}')
    code, _, err = run("score", "--model", "meld-unos", "--inputs", str(bad))
    assert code == 1 and "given twice" in err


def test_unsigned_package_allowed_by_site_policy_is_audited(store, tmp_path):
    """With allow_unsigned_models, an unsigned site package loads and its use is a security alert."""
    from clinic_app.services import Services

    make_package(store.root / "models", "vendor-model")
    store.services.close()
    services = Services(store.settings(allow_unsigned_models=True), clock=store.clock)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        rows = {r.id: r for r in services.models.list(admin)}
        assert rows["vendor-model"].trust == "unsigned, allowed by site policy"
        actions = [e.action for e in services.audit.entries(admin, AuditFilter())]
        assert "models.unsigned_in_use" in actions
    finally:
        services.close()
