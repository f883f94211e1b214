"""Login, lockout, password policy, forced change and idle lock against a real store."""

from __future__ import annotations

import time

import pytest

from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.security.roles import Role
from clinic_app.errors import AuthenticationError, InvalidInput, PasswordChangeRequired
from clinic_app.services.auth import INVALID_LOGIN
from tests.conftest import PASSWORDS, StoreFixture


def _audit_actions(store: StoreFixture) -> list[tuple[str, str, int]]:
    admin = store.login("admin")
    assert admin.audit is not None
    rows = [(e.action, e.user, e.outcome) for e in admin.audit.entries(AuditFilter())]
    store.services.auth.logout(admin)
    return rows


def test_wrong_password_and_unknown_user_get_the_same_message(store: StoreFixture) -> None:
    """A wrong password and an unknown user name are indistinguishable to the caller."""
    auth = store.services.auth
    with pytest.raises(AuthenticationError) as wrong:
        auth.login("rad", "not-the-password-1")
    with pytest.raises(AuthenticationError) as unknown:
        auth.login("nobody-here", "not-the-password-1")
    assert str(wrong.value) == str(unknown.value) == INVALID_LOGIN


def test_unknown_user_costs_the_same_key_derivation_as_a_wrong_password(store: StoreFixture) -> None:
    """Both failures run one Argon2id derivation, so timing does not reveal the user exists."""
    auth = store.services.auth

    def best_of(name: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            with pytest.raises(AuthenticationError):
                auth.login(name, "not-the-password-1")
            times.append(time.perf_counter() - t0)
        return min(times)

    wrong, unknown = best_of("rad"), best_of("ghost")
    # Not a timing assertion on absolute speed: a missing derivation would make the
    # unknown path ~100x faster than the wrong-password path.
    assert unknown > wrong * 0.3


def test_lockout_after_five_failures_then_unlock_after_timeout(store: StoreFixture) -> None:
    """Five failures lock the account for 15 minutes; the right password is refused meanwhile."""
    auth = store.services.auth
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="Invalid"):
            auth.login("rad", "wrong-password-xx")
    with pytest.raises(AuthenticationError, match="locked"):
        auth.login("rad", "wrong-password-xx")
    with pytest.raises(AuthenticationError, match="locked"):
        auth.login("rad", PASSWORDS["rad"])
    store.clock.advance(minutes=14)
    with pytest.raises(AuthenticationError, match="locked"):
        auth.login("rad", PASSWORDS["rad"])
    store.clock.advance(minutes=1, seconds=1)
    session = auth.login("rad", PASSWORDS["rad"])
    assert session.role is Role.RADIOLOGIST
    auth.logout(session)
    actions = _audit_actions(store)
    assert ("account.lockout", "rad", 8) in actions
    assert sum(1 for a in actions if a[0] == "login.failure" and a[1] == "rad") == 5


def test_unknown_names_lock_out_too(store: StoreFixture) -> None:
    """Unknown user names are throttled identically, so lockout does not reveal who exists."""
    auth = store.services.auth
    messages = []
    for _ in range(6):
        with pytest.raises(AuthenticationError) as exc:
            auth.login("ghost", "wrong-password-xx")
        messages.append(str(exc.value))
    assert "locked" in messages[-1]


def test_admin_can_unlock_before_timeout(store: StoreFixture) -> None:
    """An admin clears a lockout; the user can then sign in at once."""
    auth = store.services.auth
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            auth.login("phys", "wrong-password-xx")
    admin = store.login("admin")
    locked = {u.username: u.locked_until for u in store.services.accounts.list(admin)}
    assert locked["phys"] is not None
    store.services.accounts.unlock(admin, "phys")
    assert store.login("phys").username == "phys"


def test_megabyte_password_is_refused_before_hashing(store: StoreFixture) -> None:
    """A 1 MB password fails immediately with the generic message (no Argon2id work)."""
    t0 = time.perf_counter()
    with pytest.raises(AuthenticationError, match="Invalid user name or password"):
        store.services.auth.login("rad", "x" * 1_000_000)
    assert time.perf_counter() - t0 < 0.05  # no derivation happened (one takes ~0.1 s or more)


def test_password_policy_length_and_nfkc(store: StoreFixture) -> None:
    """Short passwords are refused; NFKC-equivalent spellings unlock the same account."""
    admin = store.login("admin")
    accounts = store.services.accounts
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.add(admin, "shorty", Role.PHYSICIAN, "short-pw")
    with pytest.raises(InvalidInput, match="at most 1024"):
        accounts.add(admin, "longy", Role.PHYSICIAN, "p" * 1025)
    # Full-width digits and letters normalise to ASCII under NFKC.
    accounts.add(admin, "nfkc", Role.PHYSICIAN, "ｐａｓｓｗｏｒｄ１２３４５")
    session = store.services.auth.login("nfkc", "password12345")
    assert session.must_change_password


def test_username_lookalikes_normalise(store: StoreFixture) -> None:
    """Full-width and upper-case spellings of a user name reach the same account."""
    session = store.services.auth.login("ＲＡＤ", PASSWORDS["rad"])
    assert session.username == "rad"


def test_new_account_must_change_password_before_anything_else(store: StoreFixture) -> None:
    """A freshly created account can only change its password; then it works normally."""
    admin = store.login("admin")
    store.services.accounts.add(admin, "newadmin", Role.ADMIN, "temporary-pass-1")
    session = store.services.auth.login("newadmin", "temporary-pass-1")
    with pytest.raises(PasswordChangeRequired, match="clinic-app passwd"):
        store.services.accounts.list(session)
    with pytest.raises(AuthenticationError, match="current password"):
        store.services.auth.change_password(session, "wrong-current-1", "a-brand-new-pass-1")
    with pytest.raises(InvalidInput, match="differ"):
        store.services.auth.change_password(session, "temporary-pass-1", "temporary-pass-1")
    store.services.auth.change_password(session, "temporary-pass-1", "a-brand-new-pass-1")
    assert [u.username for u in store.services.accounts.list(session)]
    with pytest.raises(AuthenticationError):
        store.services.auth.login("newadmin", "temporary-pass-1")
    assert store.services.auth.login("newadmin", "a-brand-new-pass-1").role is Role.ADMIN


def test_disabled_account_cannot_sign_in(store: StoreFixture) -> None:
    """Disabling refuses sign-in with a specific message and revokes the stored clinical key."""
    admin = store.login("admin")
    summary = store.services.accounts.set_enabled(admin, "phys", False)
    assert summary.status == "disabled" and summary.clinical_key == "none"
    with pytest.raises(AuthenticationError, match="disabled"):
        store.login("phys")
    summary = store.services.accounts.set_enabled(admin, "phys", True)
    assert summary.clinical_key == "pending grant"


def test_idle_session_locks_and_drops_keys(store: StoreFixture) -> None:
    """After the idle timeout the next call fails, keys are gone, and only the password reopens."""
    auth = store.services.auth
    session = store.login("admin")
    store.clock.advance(minutes=9)
    store.services.accounts.list(session)  # activity resets the idle timer
    store.clock.advance(minutes=10)
    with pytest.raises(AuthenticationError, match="locked after 10 minutes"):
        store.services.accounts.list(session)
    assert session.locked and session.system is None
    with pytest.raises(AuthenticationError, match="locked"):
        store.services.accounts.list(session)
    with pytest.raises(AuthenticationError):
        auth.unlock(session, "wrong-password-xx")
    assert session.locked
    auth.unlock(session, PASSWORDS["admin"])
    assert not session.locked
    assert store.services.accounts.list(session)
    actions = [a for a, _, _ in _audit_actions(store)]
    assert "session.lock" in actions


def test_clinician_session_locks_clinical_store_too(store: StoreFixture) -> None:
    """Locking a clinician's session closes the clinical database and wipes its key."""
    session = store.login("rad")
    assert session.has_clinical_key and session.clinical is not None
    store.services.auth.lock(session)
    assert session.clinical is None and not session.has_clinical_key
    store.services.auth.unlock(session, PASSWORDS["rad"])
    assert session.has_clinical_key
