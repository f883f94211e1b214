"""The CLI: documented exit codes, one-line errors, never a traceback."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app import __version__
from clinic_app.cli.main import main
from tests.conftest import PASSWORDS, StoreFixture


def run(argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_version() -> None:
    """--version prints the package version and exits 0."""
    result = subprocess.run([sys.executable, "-m", "clinic_app", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_init_shows_no_recovery_secret_and_refuses_second_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """init creates the store, shows IT no recovery secret, and never overwrites a store."""
    store = str(tmp_path / "s")
    code, out, err = run(["--store", store, "init", "--admin", "it", "--clinician", "drx:radiologist",
                          "--password-stdin"], "it-admin-password\ndrx-initial-password\n", monkeypatch)
    assert code == 0, err
    assert "RECOVERY CODE" not in out and "recovery setup" in out
    assert not re.search(r"^\s+([A-Z2-7]{5}-){5}[A-Z2-7]{5}$", out, re.MULTILINE)
    code, _, err = run(["--store", store, "init", "--admin", "it", "--password-stdin"],
                       "it-admin-password\n", monkeypatch)
    assert code == 1 and "already exists" in err and "Traceback" not in err


def test_exit_codes(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """0 ok, 2 usage, 3 auth, 4 permission, 5 integrity — each with a one-line message."""
    s = ["--store", str(store.root)]
    code, out, _ = run([*s, "users", "list", "--user", "admin", "--password-stdin"], PASSWORDS["admin"], monkeypatch)
    assert code == 0 and "rad" in out and "phys" in out
    code, _, err = run([*s, "users", "list", "--user", "admin", "--password-stdin"], "wrong-password-1", monkeypatch)
    assert code == 3 and err.strip() == "clinic-app: Invalid user name or password."
    code, _, err = run([*s, "users", "list", "--user", "rad", "--password-stdin"], PASSWORDS["rad"], monkeypatch)
    assert code == 4 and "does not allow" in err and err.count("\n") == 1
    code, _, err = run([*s, "users", "bogus"], "", monkeypatch)
    assert code == 2
    code, _, err = run([*s, "users", "list", "--user", "admin", "--password-stdin"], "", monkeypatch)
    assert code == 2 and "expected another line" in err

    store.services.close()
    db = store.root / "system.db"
    data = bytearray(db.read_bytes())
    for page_start in range(4096, len(data), 4096):  # every page but the header page
        data[page_start + 100] ^= 0xFF
    db.write_bytes(bytes(data))
    code, _, err = run([*s, "audit", "verify", "--user", "admin", "--password-stdin"], PASSWORDS["admin"],
                       monkeypatch)
    assert code == 5 and "Traceback" not in err


def test_forced_password_change_exits_3_naming_passwd(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user who must change their password gets exit 3 and is told to run clinic-app passwd."""
    s = ["--store", str(store.root)]
    code, _, _ = run([*s, "users", "add", "nina", "--role", "physician", "--user", "admin", "--password-stdin"],
                     f"{PASSWORDS['admin']}\nnina-initial-pass\n", monkeypatch)
    assert code == 0
    code, _, err = run([*s, "audit", "verify", "--user", "nina", "--password-stdin"], "nina-initial-pass",
                       monkeypatch)
    assert code == 3 and "clinic-app passwd" in err
    code, _, err = run([*s, "passwd", "--user", "nina", "--password-stdin"],
                         "nina-initial-pass\nnina-chosen-password\n", monkeypatch)
    assert code == 0, err
    code, _, err = run([*s, "audit", "verify", "--user", "nina", "--password-stdin"], "nina-chosen-password",
                       monkeypatch)
    assert code == 4  # a physician may not read the audit log: no longer blocked by the change


def test_audit_export_to_file_json_and_csv(store: StoreFixture, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """audit export writes JSON or CSV where asked; audit verify reports an intact chain."""
    s = ["--store", str(store.root)]
    out_json = tmp_path / "audit.json"
    code, _, err = run([*s, "audit", "export", "--format", "json", "--out", str(out_json), "--user", "admin",
                        "--password-stdin"], PASSWORDS["admin"], monkeypatch)
    assert code == 0, err
    assert json.loads(out_json.read_text())["verification"]["ok"] is True
    code, out, _ = run([*s, "audit", "export", "--format", "csv", "--user", "admin", "--password-stdin"],
                       PASSWORDS["admin"], monkeypatch)
    assert code == 0 and out.splitlines()[0].startswith("seq,ts,event_code")
    code, out, _ = run([*s, "audit", "verify", "--user", "admin", "--password-stdin"], PASSWORDS["admin"],
                       monkeypatch)
    assert code == 0 and "intact" in out


def test_missing_store_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pointing at a folder without a store says how to create one."""
    code, _, err = run(["--store", str(tmp_path / "none"), "users", "list", "--user", "a", "--password-stdin"],
                       "x", monkeypatch)
    assert code == 1 and "clinic-app init" in err
