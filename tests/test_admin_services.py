"""Services behind the admin workspace: site config writing, system information, model trust."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.config import read_config_file
from clinic_app.core.child_probe import parse_answer
from clinic_app.core.inference.provider_check import identity_model, probe_providers
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.services.system_info import provider_checks
from tests.conftest import StoreFixture


def test_site_config_write_merges_validates_and_audits(store: StoreFixture, tmp_path):
    """Keys not edited survive, values are checked first, and the write is audited."""
    path = tmp_path / "config.toml"
    path.write_text('[clinic_app]\nlookback_months_labs = 6\nidle_timeout_minutes = 10\n',
                    encoding="utf-8")
    admin = store.login("admin")
    store.services.site_config.write(admin, path, {"idle_timeout_minutes": 5.0,
                                                   "gpu_preference": "cpu"})
    values = read_config_file(path, site=True)
    assert values == {"lookback_months_labs": 6, "idle_timeout_minutes": 5.0,
                      "gpu_preference": "cpu"}
    entries = [e for e in store.services.audit.entries(admin) if e.action == "settings.write"]
    assert entries and entries[-1].detail["changed"] == ["gpu_preference", "idle_timeout_minutes"]


def test_site_config_refuses_a_value_outside_its_range_and_writes_nothing(store, tmp_path):
    """An idle timeout of 0 is refused before the file is touched."""
    path = tmp_path / "config.toml"
    admin = store.login("admin")
    with pytest.raises(InvalidInput, match="idle_timeout_minutes"):
        store.services.site_config.write(admin, path, {"idle_timeout_minutes": 0.0})
    assert not path.exists()


def test_site_config_with_paths_round_trips(store, tmp_path):
    """Paths (with characters TOML must escape) are written as strings that read back equal."""
    path = tmp_path / "config.toml"
    odd = tmp_path / 'models "site" \\ dir'
    store.services.site_config.write(store.login("admin"), path, {"models_dir": odd})
    assert read_config_file(path, site=True)["models_dir"] == odd


@pytest.mark.parametrize("folder", [Path("relative/models"), "models", " ", Path(".")])
def test_site_config_refuses_a_relative_folder_and_writes_nothing(store, tmp_path, folder):
    """A relative models_dir (which the next start would refuse) is refused before writing,
    and an existing file is left as it was."""
    path = tmp_path / "config.toml"
    path.write_text("[clinic_app]\nidle_timeout_minutes = 10\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"models_dir must be a(n absolute)? folder path"):
        store.services.site_config.write(store.login("admin"), path,
                                         {"models_dir": folder, "idle_timeout_minutes": 5.0})
    assert read_config_file(path, site=True) == {"idle_timeout_minutes": 10.0}
    assert not path.with_name("config.toml.new").exists()


def test_site_config_keeps_a_home_relative_folder_for_each_user(store, tmp_path):
    """'~/…' is written as typed and read back expanded (each user's own home)."""
    path = tmp_path / "config.toml"
    store.services.site_config.write(store.login("admin"), path,
                                     {"log_dir": Path("~/clinic-app-logs")})
    assert 'log_dir = "~/clinic-app-logs"' in path.read_text(encoding="utf-8")
    assert read_config_file(path, site=True)["log_dir"] == Path.home() / "clinic-app-logs"


def test_only_the_admin_may_write_the_site_config(store, tmp_path):
    """A clinician is refused by the service, not only by the hidden tab."""
    with pytest.raises(PermissionDenied):
        store.services.site_config.write(store.login("rad"), tmp_path / "c.toml",
                                         {"idle_timeout_minutes": 5.0})


def test_the_hand_encoded_probe_model_runs_on_the_cpu():
    """The one-node model is valid ONNX and the CPU provider reports itself as working."""
    import onnx

    onnx.checker.check_model(onnx.load_from_string(identity_model()))
    checks = {c.provider: c for c in probe_providers()}
    assert checks["CPUExecutionProvider"].works


def test_system_report_probes_providers_in_a_child_process(store):
    """With probe=True the providers are tried in a separate process; the CPU works there."""
    report = store.services.system.report(store.login("admin"), probe=True)
    checks = {c.provider: c for c in report.providers}
    assert checks["CPUExecutionProvider"].works
    assert checks["CPUExecutionProvider"].detail == "session created and ran"


@pytest.mark.parametrize(("stdout", "code", "why"), [
    ("", -11, "killed by signal 11 without an answer"),
    ("clinic-app-probe:{not json", 0, "exited with code 0 without an answer"),
    ('clinic-app-probe:{"ok": false, "error": "ImportError: libcuda"}', 0, "ImportError: libcuda"),
    ('clinic-app-probe:{"ok": true, "checks": "garbage"}', 0, "no usable answer"),
])
def test_a_crashed_or_garbled_provider_probe_is_one_clear_failure(stdout, code, why):
    """A child that crashed, printed garbage or failed becomes one failed row saying so."""
    (check,) = provider_checks(parse_answer(stdout, "Segmentation fault\n", code))
    assert check.provider == "onnxruntime" and not check.works
    assert why in check.detail and "separate process" in check.detail


def test_system_report_has_versions_store_sizes_and_is_audited(store):
    """The report names SQLCipher's version, sizes the store files and audits the look."""
    admin = store.login("admin")
    report = store.services.system.report(admin, probe=False)
    names = {v.name: v.version for v in report.versions}
    assert names["SQLCipher"].startswith("4.") and names["pydicom"] != "not installed"
    assert {name for name, _ in report.store.files} >= {"keyring.db", "system.db", "clinical.db"}
    assert report.store.total_bytes > 0
    assert any(e.action == "system.info" for e in store.services.audit.entries(admin))


def test_model_trust_overview_lists_keys_pins_and_revoke_is_admin_only(store):
    """Shipped pins are listed; a clinician cannot revoke, and an unknown approval is refused."""
    rad = store.login("rad")
    overview = store.services.model_trust.overview(rad)
    assert any(pid == "pce-ascvd-10y" for pid, _ in overview.pinned)
    with pytest.raises(PermissionDenied):
        store.services.model_trust.revoke(rad, "0" * 64)
    with pytest.raises(InvalidInput, match="no approval"):
        store.services.model_trust.revoke(store.login("admin"), "0" * 64)
