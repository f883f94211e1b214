"""Clinical-key rotation: a revoked clinician's copy of the key stops opening anything."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinic_app.core.store import rotation
from clinic_app.core.store.database import Database
from clinic_app.core.store.layout import StoreLayout
from clinic_app.errors import IntegrityError, InvalidInput, PermissionDenied, StoreError
from clinic_app.services import Services
from tests.conftest import PASSWORDS, StoreFixture
from tests.imaging_support import copy_pydicom_files

ROOT = Path(__file__).resolve().parents[1]
FILES = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm"]


def _import(store: StoreFixture, folder: Path) -> None:
    copy_pydicom_files(FILES, folder)
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [folder])
    store.services.auth.logout(rad)


def _images_readable(services: Services) -> int:
    rad = services.auth.login("rad", PASSWORDS["rad"])
    try:
        count = 0
        for blob in rotation.blobs_under(services.ctx.layout, rad.blobs.key_id):
            assert rad.blobs.get("dicom", blob)
            count += 1
        return count
    finally:
        services.auth.logout(rad)


def test_rotation_locks_out_the_old_key_and_keeps_data_and_pseudonyms(store, tmp_path):
    """After IT disables a clinician and a key holder rotates, the old key opens nothing."""
    _import(store, tmp_path / "in")
    phys = store.login("phys")
    old_key = phys.clinical_key  # what a departing clinician could have kept
    token_before = phys.patient_token("MRN-1")
    store.services.auth.logout(phys)
    admin = store.login("admin")
    store.services.accounts.set_enabled(admin, "phys", False)
    store.services.key_rotation.request(admin, "phys left the practice")
    assert "phys left" in store.services.key_rotation.status(admin).requested

    with pytest.raises(PermissionDenied):
        store.services.key_rotation.rotate(admin)  # IT never holds the key
    rad = store.login("rad")
    report = store.services.key_rotation.rotate(rad)
    assert report.clinicians == 1 and report.blobs == 3 and report.unreadable == 0
    assert store.services.key_rotation.status(rad).requested == ""
    store.services.auth.logout(rad)

    layout = StoreLayout(store.root)
    with pytest.raises(IntegrityError):
        Database(layout.clinical, old_key, label="clinical")
    old_blobs = rotation.blob_store_for(layout, old_key)
    blob = next(layout.blobs.glob("??/*")).name
    assert old_blobs.try_get("dicom", blob) is None
    assert _images_readable(store.services) == 3
    rad = store.login("rad")
    assert rad.patient_token("MRN-1") == token_before  # IT's log keeps naming patients the same
    assert [e.action for e in rad.audit.entries()][-1] == "login"
    store.services.auth.logout(rad)

    # Re-enabled, the clinician gets no key until a key holder approves a new request.
    store.services.accounts.set_enabled(admin, "phys", True)
    phys = store.login("phys")
    assert not phys.has_clinical_key


def test_a_session_open_before_the_rotation_cannot_write_to_the_replaced_file(store, tmp_path):
    """A second process's open session is told to sign in again; nothing it writes is lost."""
    _import(store, tmp_path / "in")
    other = Services(store.settings())
    try:
        stale = other.auth.login("rad", PASSWORDS["rad"])
        rad = store.login("rad")
        store.services.key_rotation.rotate(rad)
        blob = next(StoreLayout(store.root).blobs.glob("??/*")).name
        with pytest.raises(StoreError, match="sign in again"):
            stale.blobs.get("dicom", blob)
        with pytest.raises(StoreError, match="replaced since you signed in"), stale.clinical.transaction():
            stale.clinical.execute("CREATE TABLE never_written (x)")
    finally:
        other.close()


def test_rotation_needs_a_request_reason_and_a_key_holder(store):
    """IT must say why; a clinician without the key cannot rotate."""
    admin = store.login("admin")
    with pytest.raises(InvalidInput, match="Say why"):
        store.services.key_rotation.request(admin, "  ")


_ROTATE = """
import sys
from pathlib import Path
from clinic_app.services import Services
services = Services(Settings(store_dir=Path(sys.argv[1])))
rad = services.auth.login("rad", sys.argv[2])
services.key_rotation.rotate(rad)
print("done", flush=True)
"""


def _kill_runs(store: StoreFixture, tmp_path: Path, runs: int, seed: int) -> None:
    _import(store, tmp_path / "in")
    copy_pydicom_files(["MR_small_RLE.dcm", "emri_small.dcm", "rtdose.dcm", "CT_small.dcm"], tmp_path / "more")
    rad = store.login("rad")
    store.services.imaging.import_dicom(rad, [tmp_path / "more"])
    store.services.auth.logout(rad)
    store.services.close()
    expected = len([p for p in StoreLayout(store.root).blobs.glob("??/*") if not p.name.startswith(".")])
    assert expected >= 5, expected
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(seed)
    for _ in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", _ROTATE, str(store.root), PASSWORDS["rad"]], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        services = Services(store.settings())
        try:
            # Whatever moment the kill hit, a key holder signs in and the data is all there.
            rad = services.auth.login("rad", PASSWORDS["rad"])
            n = len(services.imaging.list_studies(rad))
            assert n >= 1
            services.key_rotation.rotate(rad)  # resumes or starts again, and finishes
            services.auth.logout(rad)
            assert _images_readable(services) == expected
            assert rotation.state(services.ctx.keyring) is None
        finally:
            services.close()


def test_rotation_killed_at_a_random_moment_resumes_without_loss(store, tmp_path):
    """Two kill -9 runs at random moments; a key holder's next rotation finishes the job."""
    _kill_runs(store, tmp_path, runs=2, seed=3)


@pytest.mark.slow
def test_rotation_survives_ten_kills(store, tmp_path):
    """Ten kill -9 runs at random moments, each followed by a completed rotation."""
    _kill_runs(store, tmp_path, runs=10, seed=11)


def test_keys_of_the_rotation_are_sealed_only_to_current_key_holders(store, tmp_path):
    """A clinician disabled before the rotation starts is not sealed into it."""
    admin = store.login("admin")
    store.services.accounts.set_enabled(admin, "phys", False)
    rad = store.login("rad")
    store.services.key_rotation._start(rad)
    keyring = store.services.ctx.keyring
    assert rotation.sealed_new_key(keyring, rad.user_id) is not None
    phys_id = keyring.user_by_name("phys").user_id
    assert rotation.sealed_new_key(keyring, phys_id) is None


def test_cli_keys_request_and_rotate(store, tmp_path):
    """IT requests with a reason; a clinician rotates; status shows each step."""
    import io
    import json

    from clinic_app.cli.main import main

    _import(store, tmp_path / "in")
    store.services.close()

    def run(*argv: str, password: str) -> tuple[int, str, str]:
        out, err, old = io.StringIO(), io.StringIO(), sys.stdin
        sys.stdin = io.StringIO(password + "\n")
        try:
            return main(["--store", str(store.root), *argv, "--password-stdin"], stdout=out, stderr=err), \
                out.getvalue(), err.getvalue()
        finally:
            sys.stdin = old

    code, out, err = run("keys", "request", "--reason", "dr.x left", "--user", "admin", password=PASSWORDS["admin"])
    assert code == 0, err
    code, out, err = run("keys", "rotate", "--user", "admin", password=PASSWORDS["admin"])
    assert code == 4, err
    code, out, err = run("keys", "status", "--json", "--user", "rad", password=PASSWORDS["rad"])
    assert "dr.x left" in json.loads(out)["requested"]
    code, out, err = run("keys", "rotate", "--json", "--user", "rad", password=PASSWORDS["rad"])
    assert code == 0, err
    assert json.loads(out)["blobs"] == 3
