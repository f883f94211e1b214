"""Replacing an installed site model: newer versions replace it, a rollback needs IT's reason."""

from __future__ import annotations

import pytest

from clinic_app.core.inference.update_rule import version_is_newer
from clinic_app.errors import ModelError
from clinic_app.services import Services
from tests.ai_support import manifest, package, threshold_model


def _build(folder, version: str) -> None:
    package(folder, threshold_model(level=0.85),
            manifest(id="bright", version=version,
                     changelog=[{"version": version, "date": "2026-01-01", "changes": "test"}]))


def test_versions_compare_as_numbers_and_anything_unparsable_is_not_newer():
    """1.10.0 is newer than 1.9.0; equal, older, and non-numeric versions are not."""
    assert version_is_newer("1.10.0", "1.9.0") and version_is_newer("2", "1.9.9")
    assert not version_is_newer("1.0.0", "1.0") and not version_is_newer("1.0.0", "1.0.1")
    assert not version_is_newer("1.1.0-beta", "1.0.0") and not version_is_newer("1.1.0", "")


def test_newer_replaces_older_is_refused_and_a_forced_rollback_is_audited(store, tmp_path):
    """v1.1 replaces v1.0; v1.0 again is refused; --allow-older with a reason installs it, audited."""
    site = tmp_path / "site-models"
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True), clock=store.clock)
    try:
        admin = services.auth.login("admin", "admin-password-123")
        for version in ("1.0.0", "1.1.0"):
            _build(tmp_path / f"pkg-{version}", version)
        assert services.models.add(admin, tmp_path / "pkg-1.0.0").version == "1.0.0"
        assert services.models.add(admin, tmp_path / "pkg-1.1.0").version == "1.1.0"
        with pytest.raises(ModelError, match=r"not newer than the installed 1\.1\.0"):
            services.models.add(admin, tmp_path / "pkg-1.0.0")
        with pytest.raises(ModelError, match="--allow-older --reason"):
            services.models.add(admin, tmp_path / "pkg-1.0.0", allow_older=True)  # no reason given
        info = services.models.add(admin, tmp_path / "pkg-1.0.0", allow_older=True,
                                   reason="1.1.0 misreads our scanner")
        assert info.version == "1.0.0"
        assert not list(site.glob(".bright.*"))  # no staging or retired folder left behind
        entries = [e for e in admin.audit.entries() if e.action == "models.add"]
        assert [e.detail.get("reason") for e in entries if e.outcome != 0] == ["not newer", "not newer"]
        last = entries[-1]
        assert last.event_code == "110113" and last.detail["rollback_reason"] == "1.1.0 misreads our scanner"
        assert last.detail["replaced"] == "1.1.0"
    finally:
        services.close()


def test_an_imaging_package_the_pipeline_cannot_run_is_refused_at_install(store, tmp_path):
    """A second look without half-maximum sizes: refused by models add, naming the field,
    audited, and nothing left in the site folder (it used to install and fail at analysis)."""
    site = tmp_path / "site-models"
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True), clock=store.clock)
    try:
        admin = services.auth.login("admin", "admin-password-123")
        doc = manifest(id="bright", version="1.0.0",
                       changelog=[{"version": "1.0.0", "date": "2026-01-01", "changes": "test"}])
        doc["outputs"]["second_look"] = {"scale": 2, "max_slice_mm": 3, "max_diameter_mm": 9,
                                         "max_elongation": 1.5}
        package(tmp_path / "pkg", threshold_model(level=0.85), doc)
        with pytest.raises(ModelError, match="second_look"):
            services.models.add(admin, tmp_path / "pkg")
        assert not site.exists() or not any(site.iterdir())
        (entry,) = [e for e in admin.audit.entries() if e.action == "models.add"]
        assert entry.outcome != 0 and entry.detail["reason"] == "unusable imaging settings"
    finally:
        services.close()
