"""Key custody beyond the attack list: live sessions re-checked, informed grants, names
that cannot impersonate, the exported audit anchor, and the smaller findings of issue 13."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from clinic_app.core.security import keywrap
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.roles import Role
from clinic_app.core.store.keyring import Keyring
from clinic_app.errors import AuthenticationError, IntegrityError, InvalidInput
from clinic_app.services import Services
from tests.conftest import PASSWORDS, StoreFixture


def _enrol(store: StoreFixture, name: str, role: Role, own: str) -> str:
    """Admin creates ``name``; they sign in and set ``own``; returns their fingerprint."""
    services = store.services
    admin = store.login("admin")
    services.accounts.add(admin, name, role, "temporary-pass-12")
    services.auth.logout(admin)
    sess = services.auth.login(name, "temporary-pass-12")
    services.auth.change_password(sess, "temporary-pass-12", own)
    services.auth.logout(sess)
    return sess.fingerprint


# -- live sessions ----------------------------------------------------------------------------
@pytest.mark.parametrize("change", ["disable", "reset", "role"])
def test_open_session_stops_at_next_action_when_it_changes_the_account(
        store: StoreFixture, change: str) -> None:
    """A disabled, reset or re-roled clinician's open session ends at its next service call."""
    services = store.services
    phys = store.login("phys")
    services.records.list_patients(phys)  # works while the account is unchanged
    admin = store.login("admin")
    if change == "disable":
        services.accounts.set_enabled(admin, "phys", False)
    elif change == "reset":
        services.accounts.reset_password(admin, "phys", "temporary-reset-1")
    else:
        services.accounts.reset_password(admin, "phys", "temporary-reset-1", Role.RADIOLOGIST)
    expected = {"disable": "disabled", "reset": "reset", "role": "role"}[change]
    with pytest.raises(AuthenticationError, match=expected):
        services.records.list_patients(phys)
    assert phys.locked and not phys.has_clinical_key and phys.clinical is None
    with pytest.raises(AuthenticationError, match="sign in again"):
        services.records.list_patients(phys)


def test_unlock_after_a_role_change_is_refused(store: StoreFixture) -> None:
    """A locked session cannot be unlocked into an account IT has since given another role."""
    services = store.services
    phys = store.login("phys")
    services.auth.lock(phys)
    admin = store.login("admin")
    services.accounts.reset_password(admin, "phys", "temporary-reset-1", Role.RADIOLOGIST)
    with pytest.raises(AuthenticationError, match="sign in again"):
        services.auth.unlock(phys, "temporary-reset-1")
    assert phys.locked and phys.ended


def test_unlock_of_a_disabled_account_is_refused(store: StoreFixture) -> None:
    """A locked session of an account disabled meanwhile stays locked."""
    services = store.services
    rad = store.login("rad")
    services.auth.lock(rad)
    services.accounts.set_enabled(store.login("admin"), "rad", False)
    with pytest.raises(AuthenticationError, match="disabled"):
        services.auth.unlock(rad, PASSWORDS["rad"])
    assert rad.locked


# -- informed grants --------------------------------------------------------------------------
def test_request_shows_who_when_role_and_the_requesters_fingerprint(store: StoreFixture) -> None:
    """The approver sees the requester, the admin behind the account, the role and the
    fingerprint the requester has on their own screen; a refusal is audited."""
    seen = _enrol(store, "phys2", Role.PHYSICIAN, "phys2-own-password")
    rad = store.login("rad")
    [req] = store.services.grants.pending(rad)
    assert (req.username, req.role, req.requested_by, req.account_managed_by) == \
        ("phys2", "physician", "phys2", "admin")
    assert req.key_fingerprint == seen and len(seen.replace(" ", "")) == 20
    store.services.grants.refuse(rad, "phys2", "not expected")
    assert store.services.grants.pending(rad) == []
    entries = store.services.audit.entries(store.login("admin"))
    refusal = [e for e in entries if e.action == "grant.refuse"]
    assert refusal and refusal[0].event_code == "110113" and refusal[0].object == "phys2"


def test_a_public_key_swapped_by_it_shows_a_different_fingerprint(store: StoreFixture) -> None:
    """IT (system key, all files) replaces the requester's public key everywhere with its
    own: the approver's fingerprint no longer matches the requester's screen."""
    seen = _enrol(store, "phys2", Role.PHYSICIAN, "phys2-own-password")
    _private, it_public = keywrap.new_keypair()
    admin = store.login("admin")
    assert admin.system is not None
    with admin.system.transaction():
        admin.system.execute("UPDATE accounts SET public_key = ? WHERE username = 'phys2'", (it_public,))
        admin.system.execute("UPDATE grants SET public_key = ?", (it_public,))
    conn = sqlite3.connect(store.root / "keyring.db", isolation_level=None)
    conn.execute("UPDATE users SET public_key = ? WHERE username = 'phys2'", (it_public,))
    conn.close()
    [req] = store.services.grants.pending(store.login("rad"))
    assert req.key_fingerprint != seen


def test_two_approver_policy_needs_two_different_key_holders(store: StoreFixture,
                                                             tmp_path: Path) -> None:
    """With grant_approvers = 2 one approval is not enough, and nobody approves twice."""
    _enrol(store, "phys2", Role.PHYSICIAN, "phys2-own-password")
    store.services.close()
    services = Services(store.settings(grant_approvers=2))
    try:
        rad = services.auth.login("rad", PASSWORDS["rad"])
        assert services.grants.approve(rad, "phys2") is False
        with pytest.raises(InvalidInput, match="already approved"):
            services.grants.approve(rad, "phys2")
        assert not services.auth.login("phys2", "phys2-own-password").has_clinical_key
        phys = services.auth.login("phys", PASSWORDS["phys"])
        assert services.grants.approve(phys, "phys2") is True
        assert services.auth.login("phys2", "phys2-own-password").has_clinical_key
    finally:
        services.close()


def test_a_requester_cannot_approve_themselves_and_admins_cannot_approve(store: StoreFixture) -> None:
    """Approval needs the clinical key and another person."""
    _enrol(store, "phys2", Role.PHYSICIAN, "phys2-own-password")
    from clinic_app.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        store.services.grants.approve(store.services.auth.login("phys2", "phys2-own-password"), "phys2")
    with pytest.raises(PermissionDenied):
        store.services.grants.approve(store.login("admin"), "phys2")


# -- names -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rad_", "r-ad", "pnys", "rаd", "phys.", "ph_ys"])
def test_look_alike_user_names_are_refused(store: StoreFixture, name: str) -> None:
    """Names confusable with an existing one (TR39-style skeleton, other scripts) are refused."""
    admin = store.login("admin")
    with pytest.raises(InvalidInput):
        store.services.accounts.add(admin, name.replace("pnys", "adrnin"), Role.PHYSICIAN,
                                    "temporary-pass-12")


def test_skeleton_catches_digits_and_letter_pairs() -> None:
    """1/l, 0/o, rn/m and separators collapse; different names stay different."""
    from clinic_app.core.security.usernames import check_not_confusable, skeleton

    assert skeleton("dr.sm1th") == skeleton("dr_smlth") and skeleton("rnoore") == skeleton("moore")
    check_not_confusable("jsmith", ["jsmyth", "smith"])
    with pytest.raises(InvalidInput, match="looks too much like"):
        check_not_confusable("j0nes", ["jones"])


# -- audit anchor ----------------------------------------------------------------------------
def test_whole_store_rollback_is_caught_by_an_exported_checkpoint(store: StoreFixture,
                                                                  tmp_path: Path) -> None:
    """Putting back every file together passes local checks; the exported checkpoint does not."""
    services = store.services
    services.close()
    old = tmp_path / "old"
    shutil.copytree(store.root, old)
    admin = store.login("admin")
    services.accounts.set_enabled(admin, "rad", False)
    export = services.audit.export(admin, "json")
    assert json.loads(export)["checkpoint"]["seq"] > 0
    assert services.audit.verify_against(admin, export).ok
    services.auth.logout(admin)
    services.close()
    shutil.rmtree(store.root)
    shutil.copytree(old, store.root)
    admin = store.login("admin")  # the local checks cannot tell
    result = services.audit.verify_against(admin, export)
    assert not result.ok and "truncated" in result.reason
    forged = json.loads(export)
    forged["checkpoint"]["seq"] = 1
    with pytest.raises(IntegrityError, match="altered"):
        services.audit.verify_against(admin, json.dumps(forged))


# -- smaller findings ------------------------------------------------------------------------
def test_parallel_failures_all_count(tmp_path: Path, store: StoreFixture) -> None:
    """Twenty wrong guesses at once, each on its own connection, count twenty."""
    path = store.root / "keyring.db"
    barrier = threading.Barrier(20)

    def guess() -> None:
        ring = Keyring(path)
        barrier.wait()
        ring.add_failure("k", 1000, "2099-01-01T00:00:00Z")
        ring.close()
    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Keyring(path).throttle("k").failures == 20


def test_new_password_equal_to_current_after_normalising_is_refused(store: StoreFixture) -> None:
    """A 'new' password that is the current one in another Unicode form is refused."""
    services = store.services
    admin = store.login("admin")
    services.accounts.reset_password(admin, "phys", "ﬁxed-temporary-1")  # 'ﬁ' ligature
    phys = services.auth.login("phys", "fixed-temporary-1")
    with pytest.raises(InvalidInput, match="differ"):
        services.auth.change_password(phys, "ﬁxed-temporary-1", "fixed-temporary-1")


def test_unknown_names_cost_a_stored_accounts_kdf_after_a_raise(store: StoreFixture) -> None:
    """With the KDF raised by policy, unknown names use existing accounts' parameters (the
    ones a known name costs), not the new policy's."""
    store.services.close()
    services = Services(store.settings(kdf_memory_kib=128 * 1024))
    try:
        stored = {KdfParams.decode(k).memory_kib for k in services.ctx.keyring.kdf_texts()}
        decoy = services.auth._decoy_kdf(services.ctx.name_key("nobody-here"))
        assert stored == {64 * 1024} and decoy.memory_kib == 64 * 1024
    finally:
        services.close()


@pytest.mark.parametrize("mode", [0o644, 0o666])
def test_site_config_override_needs_a_file_only_root_can_write(tmp_path: Path, mode: int) -> None:
    """Outside the test suite $CLINIC_APP_SITE_CONFIG is honoured only for a root-owned file
    that nobody else can write; otherwise the standard site config is read."""
    import os
    import subprocess
    import sys

    path = tmp_path / "site.toml"
    path.write_text("lockout_threshold = 100\n", encoding="utf-8")
    path.chmod(mode)
    env = {**os.environ, "CLINIC_APP_SITE_CONFIG": str(path)}
    out = subprocess.run([sys.executable, "-c", "from clinic_app.config import site_config_path;"
                          "print(site_config_path())"], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    honoured = os.stat(path).st_uid == 0 and mode == 0o644
    assert (out == str(path)) is honoured


def test_onnxruntime_keeps_no_device_id_or_event_database(tmp_path: Path) -> None:
    """Running a model through clinic_app leaves nothing under ~/.cache/Microsoft (the
    onnxruntime 1DS telemetry device id and event database)."""
    import os
    import subprocess
    import sys

    probe = (
        "import clinic_app\n"
        "from onnx import TensorProto, helper\n"
        "import onnxruntime as ort\n"
        "g = helper.make_graph([helper.make_node('Identity', ['x'], ['y'])], 'g',"
        " [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1])],"
        " [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1])])\n"
        "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)], ir_version=8)\n"
        "ort.InferenceSession(m.SerializeToString(), providers=['CPUExecutionProvider'])\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORT_")}
    env.update(HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / ".cache"))
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True)
    assert not (tmp_path / ".cache" / "Microsoft").exists()
