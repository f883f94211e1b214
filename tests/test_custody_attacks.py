"""Attacks by IT (every file, every command, the admin password) on key custody.

Each test plays one attack from issue 13 and asserts that it fails. They were written
first and run against the code before the fix, where every one of them succeeded.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.core.security import keywrap
from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.security.credentials import seal_ad, unlock_key_record
from clinic_app.core.security.roles import Role
from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import KeyRecord
from clinic_app.errors import AuthenticationError, IntegrityError
from tests.conftest import StoreFixture

TEMP = "temporary-pass-22"
OWN = "rad2-own-password-1"


def _approve_if_needed(store: StoreFixture, name: str) -> None:
    """A key holder approves ``name``'s grant request where approval exists (after the fix)."""
    grants = getattr(store.services, "grants", None)
    approve = None if grants is None else grants.approve
    rad = store.login("rad")
    if approve is not None:
        approve(rad, name)
    store.services.auth.logout(rad)


def _user_rows(keyring: Path, name: str) -> list[KeyRecord]:
    conn = sqlite3.connect(keyring)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchall()
    finally:
        conn.close()
    return [KeyRecord(**{k: r[k] for k in KeyRecord.__dataclass_fields__}) for r in rows]


def _opens_clinical(root: Path, key: bytes) -> bool:
    try:
        db = Database(root / "clinical.db", key, label="clinical")
    except IntegrityError:
        return False
    db.close()
    return True


def test_it_kept_keyring_copy_and_temporary_password_open_nothing(store: StoreFixture,
                                                                 tmp_path: Path) -> None:
    """IT copies keyring.db at account creation; with the temporary password it unwraps
    nothing that opens today's sealed clinical key or clinical.db."""
    services = store.services
    admin = store.login("admin")
    services.accounts.add(admin, "rad2", Role.RADIOLOGIST, TEMP)
    services.auth.logout(admin)
    services.close()
    _snapshot(store.root, tmp_path / "kept", ("keyring.db",))
    kept = tmp_path / "kept" / "keyring.db"

    new = services.auth.login("rad2", TEMP)
    services.auth.change_password(new, TEMP, OWN)
    services.auth.logout(new)
    _approve_if_needed(store, "rad2")
    assert services.auth.login("rad2", OWN).has_clinical_key  # the clinician really has access

    current = _user_rows(store.root / "keyring.db", "rad2")[0]
    assert current.sealed_clinical is not None
    recovered: list[bytes] = []
    for old in _user_rows(kept, "rad2"):
        try:
            unlocked = unlock_key_record(old, TEMP)
        except keywrap.UnwrapFailed:
            continue
        recovered += [unlocked.system_key, unlocked.private_key]
        with contextlib.suppress(keywrap.UnwrapFailed):
            recovered.append(keywrap.open_sealed(unlocked.private_key, current.sealed_clinical,
                                                 seal_ad(current.user_id, current.role)))
    assert not any(_opens_clinical(store.root, k) for k in recovered)


def test_no_silent_grant_at_a_clinicians_routine_sign_in(store: StoreFixture) -> None:
    """An account IT creates does not get the clinical key because a clinician signed in."""
    services = store.services
    admin = store.login("admin")
    services.accounts.add(admin, "rad2", Role.RADIOLOGIST, TEMP)
    services.auth.logout(admin)
    new = services.auth.login("rad2", TEMP)
    services.auth.change_password(new, TEMP, OWN)
    services.auth.logout(new)
    for name in ("rad", "phys"):  # routine work by both key holders
        services.auth.logout(store.login(name))
    again = services.auth.login("rad2", OWN)
    assert not again.has_clinical_key and again.clinical is None


def _cli(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv, stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_recovery_by_it_alone_grants_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """IT runs init and keeps everything it printed; no line of it completes a grant."""
    s = ["--store", str(tmp_path / "s")]
    code, init_out, err = _cli([*s, "init", "--admin", "it", "--clinician", "drx:radiologist",
                                "--password-stdin"], "it-admin-password\ndrx-initial-password\n",
                               monkeypatch)
    assert code == 0, err
    # The clinician enrols (and so creates the clinical key where that is the design).
    code, _, err = _cli([*s, "passwd", "--user", "drx", "--password-stdin"],
                        "drx-initial-password\ndrx-own-password-1\n", monkeypatch)
    assert code == 0, err
    # IT creates an account for itself to use.
    code, _, err = _cli([*s, "users", "add", "mole", "--role", "physician", "--user", "it",
                         "--password-stdin"], "it-admin-password\nmole-initial-pass\n", monkeypatch)
    assert code == 0, err
    code, _, err = _cli([*s, "passwd", "--user", "mole", "--password-stdin"],
                        "mole-initial-pass\nmole-own-password\n", monkeypatch)
    assert code == 0, err
    for line in init_out.splitlines():
        if line.strip():
            _cli([*s, "recovery", "grant", "--code-stdin"], line.strip() + "\n", monkeypatch)
    code, _, err = _cli([*s, "patients", "list", "--user", "mole", "--password-stdin"],
                        "mole-own-password\n", monkeypatch)
    assert code != 0
    from clinic_app.config import Settings
    from clinic_app.services import Services
    services = Services(Settings(store_dir=tmp_path / "s"))
    try:
        assert not services.auth.login("mole", "mole-own-password").has_clinical_key
    finally:
        services.close()


def _snapshot(root: Path, dest: Path, names: tuple[str, ...]) -> None:
    dest.mkdir()
    for name in names:
        for suffix in ("", "-wal", "-shm"):
            src = root / (name + suffix)
            if src.exists():
                shutil.copy(src, dest / (name + suffix))


def _restore(root: Path, src: Path, names: tuple[str, ...]) -> None:
    for name in names:
        for suffix in ("", "-wal", "-shm"):
            (root / (name + suffix)).unlink(missing_ok=True)
            if (src / (name + suffix)).exists():
                shutil.copy(src / (name + suffix), root / (name + suffix))


@pytest.mark.parametrize("files", [("keyring.db", "system.db"), ("system.db",), ("keyring.db",)],
                         ids=["keyring+system", "system", "keyring"])
def test_partial_rollback_after_a_disable_is_an_integrity_failure(
        store: StoreFixture, tmp_path: Path, files: tuple[str, ...]) -> None:
    """Old key ring / system files put back after a disable stop sign-in with an integrity error."""
    services = store.services
    services.auth.logout(store.login("rad"))
    services.close()
    _snapshot(store.root, tmp_path / "snap", files)
    phys = store.login("phys")  # routine clinical work after the snapshot
    services.auth.logout(phys)
    admin = store.login("admin")
    services.accounts.set_enabled(admin, "rad", False)
    services.auth.logout(admin)
    services.close()
    _restore(store.root, tmp_path / "snap", files)
    with pytest.raises(IntegrityError):
        store.login("rad")


def test_deleted_audit_checkpoint_is_an_integrity_failure(store: StoreFixture) -> None:
    """Deleting the key ring's copy of the audit head (no key needed) is caught at sign-in."""
    store.services.auth.logout(store.login("rad"))
    store.services.close()
    conn = sqlite3.connect(store.root / "keyring.db", isolation_level=None)
    conn.execute("DELETE FROM audit_checkpoint")
    conn.close()
    with pytest.raises(IntegrityError):
        store.login("admin")


def test_forged_and_deleted_pre_auth_events_are_marked(store: StoreFixture) -> None:
    """Queued pre-authentication events enter the chain marked unauthenticated, and a gap
    left by a deleted one is reported as a security alert."""
    services = store.services
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            services.auth.login("rad", "wrong-password-123")
    services.close()
    conn = sqlite3.connect(store.root / "keyring.db", isolation_level=None)
    ids = [r[0] for r in conn.execute("SELECT id FROM security_events ORDER BY id")]
    conn.execute("DELETE FROM security_events WHERE id = ?", (ids[1],))
    conn.close()
    admin = store.login("admin")
    assert admin.audit is not None
    entries = admin.audit.entries(AuditFilter())
    queued = [e for e in entries if e.action == "login.failure"]
    assert queued and all(e.detail.get("authenticated") is False for e in queued)
    assert any(e.action == "preauth.gap" and e.event_code == "110113" for e in entries)


def test_unknown_names_are_not_stored_as_typed(store: StoreFixture) -> None:
    """A password typed into the user-name field never reaches the key ring or the log."""
    with pytest.raises(AuthenticationError):
        store.services.auth.login("Secret-Password-9", "whatever-password-1")
    for name in ("keyring.db", "keyring.db-wal"):
        path = store.root / name
        assert not path.exists() or b"secret-password-9" not in path.read_bytes().lower()
    admin = store.login("admin")
    assert admin.audit is not None
    assert not any("secret-password-9" in (e.user + str(e.detail)).lower()
                   for e in admin.audit.entries(AuditFilter()))

