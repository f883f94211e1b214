"""Key hierarchy: wraps bound to their owner, admin separated from clinical data by keys,
pending grants, and the recovery code."""

from __future__ import annotations

import sqlite3

import pytest

from clinic_app.core.security import keywrap
from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.security.credentials import unlock_key_record
from clinic_app.core.security.roles import Role
from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import Keyring
from clinic_app.errors import AuthenticationError, IntegrityError
from tests.conftest import PASSWORDS, StoreFixture


def _raw_keyring(store: StoreFixture) -> sqlite3.Connection:
    conn = sqlite3.connect(store.root / "keyring.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def test_wrapped_keys_swapped_between_users_fail(store: StoreFixture) -> None:
    """Copying one user's wrapped keys onto another account does not let either sign in."""
    conn = _raw_keyring(store)
    rad = conn.execute("SELECT * FROM users WHERE username='rad'").fetchone()
    conn.execute("UPDATE users SET kdf=?, wrapped_system=?, wrapped_private=? WHERE username='phys'",
                 (rad["kdf"], rad["wrapped_system"], rad["wrapped_private"]))
    conn.close()
    # phys's row now holds rad's wraps: rad's password derives the right KEK, but the
    # associated data names phys's user id, so authentication fails.
    with pytest.raises(AuthenticationError, match="Invalid user name or password"):
        store.services.auth.login("phys", PASSWORDS["rad"])
    with pytest.raises(AuthenticationError):
        store.services.auth.login("phys", PASSWORDS["phys"])


def test_role_edited_in_the_key_ring_fails_to_unwrap(store: StoreFixture) -> None:
    """Promoting an account by editing the plaintext key ring breaks its wraps."""
    conn = _raw_keyring(store)
    conn.execute("UPDATE users SET role='admin' WHERE username='rad'")
    conn.close()
    with pytest.raises(AuthenticationError, match="Invalid user name or password"):
        store.login("rad")


def test_sealed_clinical_key_moved_to_admin_does_not_open(store: StoreFixture) -> None:
    """A clinician's sealed clinical key copied to the admin's row cannot be opened by the admin."""
    conn = _raw_keyring(store)
    sealed = conn.execute("SELECT sealed_clinical FROM users WHERE username='rad'").fetchone()[0]
    conn.execute("UPDATE users SET sealed_clinical=? WHERE username='admin'", (sealed,))
    conn.close()
    keyring = Keyring(store.root / "keyring.db")
    rec = keyring.user_by_name("admin")
    assert rec is not None
    with pytest.raises(keywrap.UnwrapFailed):
        unlock_key_record(rec, PASSWORDS["admin"])


def test_admin_cannot_read_clinical_data_with_files_and_own_password(store: StoreFixture) -> None:
    """Everything the admin's password unlocks fails to open the clinical database."""
    keyring = Keyring(store.root / "keyring.db")
    rec = keyring.user_by_name("admin")
    assert rec is not None and rec.sealed_clinical is None
    unlocked = unlock_key_record(rec, PASSWORDS["admin"])
    assert unlocked.clinical_key is None
    for candidate in (unlocked.system_key, unlocked.private_key,
                      keywrap.derive_subkey(unlocked.system_key, "blobs-v1")):
        with pytest.raises(IntegrityError, match="could not be decrypted"):
            Database(store.root / "clinical.db", candidate[:32].ljust(32, b"\0"), label="clinical")
    admin = store.login("admin")
    assert admin.clinical is None and not admin.has_clinical_key


def test_clinician_created_by_admin_gets_key_only_by_explicit_approval(store: StoreFixture) -> None:
    """A new clinician makes their own keys at first sign-in; the key comes only from an
    approval that names the fingerprint the clinician sees."""
    services = store.services
    admin = store.login("admin")
    summary = services.accounts.add(admin, "rad2", Role.RADIOLOGIST, "temporary-pass-22")
    assert summary.clinical_key == "awaiting first sign-in"
    services.auth.logout(admin)
    assert Keyring(store.root / "keyring.db").user_by_name("rad2") is None  # no key pair yet

    new = services.auth.login("rad2", "temporary-pass-22")
    assert new.enrolling and not new.has_clinical_key
    services.auth.change_password(new, "temporary-pass-22", "rad2-own-password-1")
    shown_to_requester = new.fingerprint
    services.auth.logout(new)

    rad = store.login("rad")
    [request] = services.grants.pending(rad)
    assert (request.username, request.role, request.account_managed_by) == ("rad2", "radiologist", "admin")
    assert request.key_fingerprint == shown_to_requester
    assert services.grants.approve(rad, "rad2")
    services.auth.logout(rad)
    new = services.auth.login("rad2", "rad2-own-password-1")
    assert new.has_clinical_key and new.clinical is not None
    admin = store.login("admin")
    assert services.accounts.pending_grants(admin) == []
    assert admin.audit is not None
    grants = [e for e in admin.audit.entries(AuditFilter()) if e.action == "grant.approve"]
    assert [(g.user, g.object, g.event_code) for g in grants][-1] == ("rad", "rad2", "110113")
    assert grants[-1].detail["key_fingerprint"] == shown_to_requester


def test_password_reset_destroys_the_old_pair_and_needs_a_new_grant(store: StoreFixture) -> None:
    """A reset destroys the key pair and sealed key; the new pair is the clinician's own."""
    services = store.services
    old_fp = store.login("phys").fingerprint
    admin = store.login("admin")
    summary = services.accounts.reset_password(admin, "phys", "temporary-reset-1")
    assert summary.clinical_key == "awaiting first sign-in" and summary.must_change_password
    keyring = Keyring(store.root / "keyring.db")
    assert keyring.user_by_name("phys") is None and keyring.enrolment_by_name("phys") is not None
    with pytest.raises(AuthenticationError):
        store.login("phys")
    phys = services.auth.login("phys", "temporary-reset-1")
    assert not phys.has_clinical_key
    services.auth.change_password(phys, "temporary-reset-1", "phys-new-password-1")
    assert phys.fingerprint and phys.fingerprint != old_fp and not phys.has_clinical_key
    assert [g.username for g in services.grants.pending(store.login("rad"))] == ["phys"]


def test_role_change_is_a_reset_with_the_new_role(store: StoreFixture) -> None:
    """Changing a clinician to admin removes clinical access; the wraps carry the new role."""
    services = store.services
    admin = store.login("admin")
    summary = services.accounts.reset_password(admin, "phys", "temporary-reset-1", Role.ADMIN)
    assert summary.role == "admin" and summary.clinical_key == "awaiting first sign-in"
    session = services.auth.login("phys", "temporary-reset-1")
    assert session.role is Role.ADMIN and not session.has_clinical_key


def test_split_recovery_approves_pending_grants_and_is_audited(store: StoreFixture) -> None:
    """With every clinician reset, two of three custodians' shares restore access, as a
    security alert; one share alone does nothing."""
    services = store.services
    rad = store.login("rad")
    shares = services.grants.setup_recovery(rad, ["privacy-officer", "clinical-lead", "cmo"], 2)
    services.auth.logout(rad)
    assert [s.custodian for s in shares] == ["privacy-officer", "clinical-lead", "cmo"]
    admin = store.login("admin")
    services.accounts.reset_password(admin, "rad", "temporary-reset-1")
    services.accounts.reset_password(admin, "phys", "temporary-reset-2")
    services.auth.logout(admin)
    for name, temp in (("rad", "temporary-reset-1"), ("phys", "temporary-reset-2")):
        sess = services.auth.login(name, temp)
        services.auth.change_password(sess, temp, f"{name}-after-reset-1")
        assert not sess.has_clinical_key
    with pytest.raises(AuthenticationError, match="not valid"):
        services.grants.recover_grants([shares[0].words])
    done = services.grants.recover_grants([shares[2].words.upper(), shares[0].words])
    assert sorted(done) == ["phys", "rad"]
    rad = services.auth.login("rad", "rad-after-reset-1")
    assert rad.has_clinical_key
    admin = store.login("admin")
    assert admin.audit is not None
    entries = admin.audit.entries(AuditFilter())
    uses = [e for e in entries if e.action == "recovery.use"]
    assert len(uses) == 1 and uses[0].event_code == "110113"
    assert any(e.action == "recovery.failure" for e in entries)
    assert not any(s.words in str(e.detail) for e in entries for s in shares)
