"""Terminology updates: newer signed packages replace, a rollback needs IT's reason, and which
copy is in use is never silent (status, self-test)."""

from __future__ import annotations

import base64
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from clinic_app.cli.main import main
from clinic_app.core.inference.package import sign_manifest
from clinic_app.core.inference.registry import trust_dir
from clinic_app.core.terminology import package as package_module
from clinic_app.core.terminology.package import shipped_path
from clinic_app.core.terminology.site import ROLLBACK_FILE, choose_terminology
from clinic_app.errors import TerminologyError
from clinic_app.selftest import _check_terminology
from clinic_app.services import Services
from tests.conftest import PASSWORDS, StoreFixture

SHIPPED = json.loads(shipped_path().read_text(encoding="utf-8"))["version"]


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ed25519PrivateKey:
    """A publisher key added to a copy of the app's trust store (pins kept)."""
    private = Ed25519PrivateKey.generate()
    trust = tmp_path / "trust"
    shutil.copytree(trust_dir(), trust)
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    (trust / "keys" / "it.pub").write_text(f"ed25519 {base64.b64encode(raw).decode()}\n",
                                           encoding="ascii")
    monkeypatch.setattr(package_module, "trust_dir", lambda: trust)
    return private


def _package(folder: Path, version: str, key: Ed25519PrivateKey | None) -> Path:
    doc = json.loads(shipped_path().read_text(encoding="utf-8"))
    doc["version"] = version
    if key is not None:
        doc = sign_manifest(doc, key)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"terminology-{version}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _older(version: str) -> str:
    year, rest = version.split(".", 1)
    return f"{int(year) - 1}.{rest}"


def _cli(store: StoreFixture, site: Path, argv: list[str], stdin: str,
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    config = site.parent / "site.toml"
    config.write_text(f'models_dir = "{site}"\n', encoding="utf-8")
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(config))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--store", str(store.root), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_newer_installs_older_is_refused_and_a_forced_rollback_is_audited(
        store: StoreFixture, tmp_path: Path, key: Ed25519PrivateKey) -> None:
    """A newer signed package becomes the site copy; an older one is refused until IT forces
    it with a reason, which is audited and keeps it in use over the shipped copy."""
    site = tmp_path / "site-models"
    services = Services(store.settings(models_dir=site), clock=store.clock)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        newer = _package(tmp_path / "in", "2099.1.0", key)
        status = services.terminology.install(admin, newer)
        assert (status.source, status.version, status.site_ignored) == ("site", "2099.1.0", False)
        older = _package(tmp_path / "in", _older(SHIPPED), key)
        with pytest.raises(TerminologyError, match=r"not newer than the installed 2099\.1\.0"):
            services.terminology.install(admin, older)
        with pytest.raises(TerminologyError, match="--allow-older --reason"):
            services.terminology.install(admin, older, allow_older=True)  # no reason
        assert services.terminology.status(admin).version == "2099.1.0"  # nothing changed
        status = services.terminology.install(admin, older, allow_older=True,
                                              reason="2099.1 misclassifies a local drug")
        assert (status.source, status.version) == ("site", _older(SHIPPED))
        assert status.rollback_reason == "2099.1 misclassifies a local drug"
        assert "forced" in status.why
        entries = [e for e in admin.audit.entries() if e.action == "terminology.install"]
        assert [e.detail.get("reason") for e in entries if e.outcome != 0] == ["not newer", "not newer"]
        assert entries[-1].event_code == "110113"  # security alert: a forced rollback
        assert entries[-1].detail["replaced"] == "2099.1.0"
        assert entries[-1].detail["rollback_reason"] == "2099.1 misclassifies a local drug"
    finally:
        services.close()


def test_unsigned_and_untrusted_packages_are_refused_and_audited(
        store: StoreFixture, tmp_path: Path, key: Ed25519PrivateKey) -> None:
    """No unsigned path for terminology: unsigned or another key's package is refused, audited."""
    site = tmp_path / "site-models"
    services = Services(store.settings(models_dir=site), clock=store.clock)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        for path in (_package(tmp_path / "a", "2099.1.0", None),
                     _package(tmp_path / "b", "2099.1.0", Ed25519PrivateKey.generate())):
            with pytest.raises(TerminologyError, match=r"unsigned|not in the trust store"):
                services.terminology.install(admin, path, allow_older=True, reason="x")
        assert not (site / "terminology").exists()
        refused = [e for e in admin.audit.entries() if e.action == "terminology.install"]
        assert [e.detail["reason"] for e in refused] == ["not verified", "not verified"]
        phys = services.auth.login("phys", PASSWORDS["phys"])
        with pytest.raises(Exception, match="does not allow"):
            services.terminology.install(phys, _package(tmp_path / "c", "2099.2.0", key))
    finally:
        services.close()


def test_a_site_copy_dropped_in_by_hand_below_the_shipped_one_is_not_used_and_says_so(
        tmp_path: Path, key: Ed25519PrivateKey) -> None:
    """An older signed file placed without the command (or left over from before an app
    update) is not used; the choice and the self-test say why instead of staying silent."""
    folder = tmp_path / "models" / "terminology"
    shutil.copy(_package(tmp_path / "in", _older(SHIPPED), key), _dest(folder))
    choice = choose_terminology(folder)
    assert choice.source == "shipped" and choice.site_ignored
    assert "not newer than the shipped" in choice.why and "--allow-older" in choice.why
    # A rollback record for another file (here: a hand-edited hash) covers nothing.
    (folder / ROLLBACK_FILE).write_text(json.dumps(
        {"sha256": "0" * 64, "version": _older(SHIPPED), "over": SHIPPED, "by": "x", "at": "",
         "reason": "forged"}), encoding="utf-8")
    assert choose_terminology(folder).source == "shipped"
    from clinic_app.config import Settings
    status, detail = _check_terminology(Settings(store_dir=tmp_path / "s", models_dir=tmp_path / "models"))
    assert status == "FAIL" and "not used" in detail


def test_a_forced_rollback_lapses_when_the_app_ships_another_version(
        store: StoreFixture, tmp_path: Path, key: Ed25519PrivateKey,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A rollback was forced over one shipped version; after an app update ships another,
    the shipped copy is used again and the status says why."""
    site = tmp_path / "site-models"
    services = Services(store.settings(models_dir=site), clock=store.clock)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        services.terminology.install(admin, _package(tmp_path / "in", _older(SHIPPED), key),
                                     allow_older=True, reason="local mapping")
    finally:
        services.close()
    assert choose_terminology(site / "terminology").source == "site"
    record = json.loads((site / "terminology" / ROLLBACK_FILE).read_text(encoding="utf-8"))
    record["over"] = _older(SHIPPED)  # as if forced over an earlier release's shipped copy
    (site / "terminology" / ROLLBACK_FILE).write_text(json.dumps(record), encoding="utf-8")
    choice = choose_terminology(site / "terminology")
    assert choice.source == "shipped" and choice.site_ignored


def test_cli_status_and_install(store: StoreFixture, tmp_path: Path, key: Ed25519PrivateKey,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`terminology status` names the copy and the reason; `install` refuses a rollback
    with the option to force it, and installs a newer package."""
    site = tmp_path / "site-models"
    code, out, err = _cli(store, site, ["terminology", "status"], "", monkeypatch)
    assert code == 0, err
    assert f"{SHIPPED} (shipped copy), because no site package is installed" in out
    same = _package(tmp_path / "in", SHIPPED, key)
    code, out, err = _cli(store, site, ["terminology", "install", str(same), "--user", "admin",
                                        "--password-stdin"], PASSWORDS["admin"] + "\n", monkeypatch)
    assert code != 0 and "--allow-older --reason" in err
    newer = _package(tmp_path / "in", "2099.1.0", key)
    code, out, err = _cli(store, site, ["terminology", "install", str(newer), "--user", "admin",
                                        "--password-stdin"], PASSWORDS["admin"] + "\n", monkeypatch)
    assert code == 0, err
    assert "2099.1.0 (site copy), because the site package 2099.1.0 is newer" in out
    code, out, err = _cli(store, site, ["terminology", "status", "--json"], "", monkeypatch)
    assert json.loads(out)["source"] == "site"


def _dest(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "terminology.json"
