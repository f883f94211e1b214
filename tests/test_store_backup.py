"""Backup, restore and blob collection on real stores, including under concurrent writes and kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from clinic_app.config import Settings
from clinic_app.core.store import backup as store_backup
from clinic_app.core.store.store_lock import StoreLock
from clinic_app.errors import AuthenticationError, IntegrityError, InvalidInput, StoreError
from clinic_app.services import Services
from clinic_app.services.store_admin import restore
from tests.conftest import PASSWORDS, StoreFixture
from tests.imaging_support import copy_pydicom_files

FILES = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "MR_small_RLE.dcm", "rtdose.dcm"]
ROOT = Path(__file__).resolve().parents[1]


def _import(store: StoreFixture, tmp_path: Path, names=FILES) -> int:
    folder = tmp_path / f"in-{len(list(tmp_path.glob('in-*')))}"
    copy_pydicom_files(names, folder)
    rad = store.login("rad")
    report = store.services.imaging.import_dicom(rad, [folder])
    store.services.auth.logout(rad)
    return report.imported


def _studies(services: Services) -> list[tuple[str, int]]:
    rad = services.auth.login("rad", PASSWORDS["rad"])
    try:
        return sorted((s.study_uid, s.instances) for s in services.imaging.list_studies(rad))
    finally:
        services.auth.logout(rad)


def test_backup_restores_into_a_new_place_with_every_study_and_an_intact_audit_chain(store, tmp_path):
    """A backup restored elsewhere holds the same studies; the admin signs in against its key ring."""
    _import(store, tmp_path)
    admin = store.login("admin")
    report = store.services.store_admin.backup(admin, tmp_path / "backup")
    assert report.blobs_total > 0 and report.blobs_copied == report.blobs_total
    before = _studies(store.services)

    restored = tmp_path / "restored"
    set_name, blobs = restore(Settings(store_dir=restored), tmp_path / "backup", "admin", PASSWORDS["admin"])
    assert (set_name, blobs) == (report.set_name, report.blobs_total)
    other = Services(Settings(store_dir=restored))
    try:
        assert _studies(other) == before
        admin2 = other.auth.login("admin", PASSWORDS["admin"])
        assert other.audit.verify(admin2).ok
        assert "store.restore" in [e.action for e in other.audit.entries(admin2)]
    finally:
        other.close()


def test_the_backup_adds_nothing_decryptable(store, tmp_path):
    """No plaintext DICOM or patient name reaches the backup folder: files are the store's ciphertext."""
    _import(store, tmp_path)
    store.services.store_admin.backup(store.login("admin"), tmp_path / "backup")
    needles = [b"DICM", b"CompressedSamples", b"Lastname"]  # preamble marker and CT_small's patient name
    for path in (tmp_path / "backup").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path


def test_second_backup_copies_only_new_blobs(store, tmp_path):
    """An incremental run copies the blobs the folder lacks and leaves the earlier set intact."""
    _import(store, tmp_path, ["CT_small.dcm"])
    admin = store.login("admin")
    first = store.services.store_admin.backup(admin, tmp_path / "backup")
    store.clock.advance(seconds=5)
    _import(store, tmp_path, ["MR_small.dcm"])
    second = store.services.store_admin.backup(admin, tmp_path / "backup")
    assert second.set_name != first.set_name
    assert second.blobs_total == first.blobs_total + 1 and second.blobs_copied == 1
    store_backup.verify(tmp_path / "backup", first.set_name)  # the older set still restores


def test_a_damaged_or_partial_backup_is_refused_with_the_reason(store, tmp_path):
    """A flipped byte or a missing blob is named, and nothing is left at the restore target."""
    _import(store, tmp_path)
    store.services.store_admin.backup(store.login("admin"), tmp_path / "backup")
    blob = next((tmp_path / "backup" / "blobs").glob("??/*"))
    data = bytearray(blob.read_bytes())
    data[-1] ^= 1
    blob.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=f"blob {blob.name} does not match its hash"):
        restore(Settings(store_dir=tmp_path / "r1"), tmp_path / "backup", "admin", PASSWORDS["admin"])
    assert not (tmp_path / "r1").exists()
    blob.unlink()
    with pytest.raises(IntegrityError, match="is missing"):
        restore(Settings(store_dir=tmp_path / "r2"), tmp_path / "backup", "admin", PASSWORDS["admin"])
    (tmp_path / "backup" / "LATEST").unlink()
    with pytest.raises(InvalidInput, match="no complete backup"):
        restore(Settings(store_dir=tmp_path / "r3"), tmp_path / "backup", "admin", PASSWORDS["admin"])


def test_restore_needs_the_admin_password_of_the_backup_and_an_empty_target(store, tmp_path):
    """A wrong password or a clinician account restores nothing; a non-empty target is refused."""
    store.services.store_admin.backup(store.login("admin"), tmp_path / "backup")
    with pytest.raises(AuthenticationError):
        restore(Settings(store_dir=tmp_path / "r"), tmp_path / "backup", "admin", "wrong-password-123")
    assert not (tmp_path / "r").exists()
    with pytest.raises(AuthenticationError, match="Only an administrator"):
        restore(Settings(store_dir=tmp_path / "r"), tmp_path / "backup", "rad", PASSWORDS["rad"])
    assert not (tmp_path / "r").exists()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    with pytest.raises(InvalidInput, match="not empty"):
        restore(Settings(store_dir=tmp_path / "busy"), tmp_path / "backup", "admin", PASSWORDS["admin"])


def test_backup_of_another_store_into_the_same_folder_is_refused(store, tmp_path, _store_template):
    """Sets of two different stores never mix in one backup folder."""
    store.services.store_admin.backup(store.login("admin"), tmp_path / "backup")
    other_root = tmp_path / "other"
    shutil.copytree(_store_template, other_root)
    from clinic_app.core.store.keyring import Keyring

    keyring = Keyring(other_root / "keyring.db")
    keyring.set_meta("store_id", "0" * 32)
    keyring.close()
    other = Services(Settings(store_dir=other_root))
    try:
        with pytest.raises(InvalidInput, match="backup of another store"):
            other.store_admin.backup(other.auth.login("admin", PASSWORDS["admin"]), tmp_path / "backup")
    finally:
        other.close()


def test_a_full_disk_fails_clearly_and_keeps_the_previous_backup(store, tmp_path):
    """Running out of space mid-backup names the failure; LATEST still points at a verified set."""
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    _import(store, tmp_path, ["CT_small.dcm"])
    admin = store.login("admin")
    first = store.services.store_admin.backup(admin, tmp_path / "backup")
    _import(store, tmp_path, ["MR_small.dcm"])
    new_blob = sorted((store.root / "blobs").glob("??/*"), key=os.path.getmtime)[-1]
    target = tmp_path / "backup" / "blobs" / new_blob.name[:2] / new_blob.name
    target.parent.mkdir(exist_ok=True)
    target.symlink_to("/dev/full")  # writing this blob's copy fails with ENOSPC
    with pytest.raises(StoreError, match="The previous backup is untouched"):
        store.services.store_admin.backup(admin, tmp_path / "backup")
    assert (tmp_path / "backup" / "LATEST").read_text().strip() == first.set_name
    store_backup.verify(tmp_path / "backup")
    assert len(list((tmp_path / "backup" / "sets").iterdir())) == 1


def test_backup_waits_for_writers_and_writers_wait_for_backup(tmp_path):
    """The store lock is shared by writers and exclusive for backup, across threads."""
    lock = StoreLock(tmp_path)
    order: list[str] = []
    with lock.hold(exclusive=False):
        def backup_side() -> None:
            with lock.hold(exclusive=True, timeout_s=10):
                order.append("backup")
        t = threading.Thread(target=backup_side)
        t.start()
        t.join(0.3)
        assert t.is_alive()  # blocked while a writer holds the lock
        order.append("writer done")
    t.join(10)
    assert order == ["writer done", "backup"]
    refused: list[str] = []

    def writer_while_backing_up() -> None:
        try:
            with lock.hold(exclusive=False, timeout_s=0.2):
                refused.append("not refused")
        except StoreError as exc:
            refused.append(str(exc))

    with lock.hold(exclusive=True):
        other = threading.Thread(target=writer_while_backing_up)
        other.start()
        other.join(10)
        # The holder's own thread may write (a rotation's switch does): no self-deadlock.
        with lock.hold(exclusive=False, timeout_s=0.2):
            pass
    assert len(refused) == 1 and "busy" in refused[0]


_WRITER = """
import sys, itertools
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.services import Services
from tests.imaging_support import copy_pydicom_files
services = Services(Settings(store_dir=Path(sys.argv[1])))
rad = services.auth.login("rad", sys.argv[2])
names = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "MR_small_RLE.dcm", "emri_small.dcm"]
for i in itertools.count():
    folder = Path(sys.argv[3]) / f"w{i}"
    copy_pydicom_files([names[i % len(names)]], folder)
    services.imaging.import_dicom(rad, [folder])
    print(i, flush=True)
"""

_BACKUP = """
import sys
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.services import Services
services = Services(Settings(store_dir=Path(sys.argv[1])))
admin = services.auth.login("admin", sys.argv[2])
services.store_admin.backup(admin, Path(sys.argv[3]))
print("done", flush=True)
"""


@pytest.mark.slow
def test_backup_under_concurrent_import_survives_kill_9_and_restores_consistently(store, tmp_path):
    """10 backups under a concurrent import, each killed at a random moment, then one that completes."""
    import random

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(store.root), PASSWORDS["rad"], str(tmp_path)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        writer.stdout.readline()
        rng = random.Random(7)
        for _ in range(10):
            proc = subprocess.Popen([sys.executable, "-c", _BACKUP, str(store.root), PASSWORDS["admin"],
                                     str(tmp_path / "backup")], cwd=ROOT, env=env, stdout=subprocess.PIPE)
            time.sleep(rng.uniform(0.2, 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if (tmp_path / "backup" / "LATEST").exists():
                store_backup.verify(tmp_path / "backup")  # whatever LATEST names is complete
        final = subprocess.run([sys.executable, "-c", _BACKUP, str(store.root), PASSWORDS["admin"],
                                str(tmp_path / "backup")], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
        assert final.returncode == 0, final.stderr
    finally:
        writer.kill()
        writer.wait()
    restored = tmp_path / "restored"
    restore(Settings(store_dir=restored), tmp_path / "backup", "admin", PASSWORDS["admin"])
    other = Services(Settings(store_dir=restored))
    try:
        admin = other.auth.login("admin", PASSWORDS["admin"])
        assert other.audit.verify(admin).ok
        rad = other.auth.login("rad", PASSWORDS["rad"])
        for study in other.imaging.list_studies(rad):  # every study's images decrypt
            assert other.imaging.show_study(rad, study.study_uid) is not None
    finally:
        other.close()


def test_gc_as_admin_removes_only_temporary_leftovers_and_a_clinician_removes_orphans(store, tmp_path):
    """IT removes never-renamed temp files; a clinician's run also removes blobs nothing refers to."""
    _import(store, tmp_path, ["CT_small.dcm", "MR_small.dcm"])
    blobs = store.root / "blobs"
    referenced = {p.name for p in blobs.glob("??/*")}
    some = next(iter(referenced))
    (blobs / some[:2] / f".{some}.abcd1234.tmp").write_bytes(b"x" * 100)
    orphan = "f" * 32
    (blobs / "ff").mkdir(exist_ok=True)
    (blobs / "ff" / orphan).write_bytes(b"y" * 1000)

    admin = store.login("admin")
    dry = store.services.store_admin.gc(admin, dry_run=True)
    assert (dry.temp_files, dry.orphans, dry.removed) == (1, None, 0)
    done = store.services.store_admin.gc(admin, dry_run=False)
    assert (done.removed, done.removed_bytes) == (1, 100)
    assert (blobs / "ff" / orphan).exists()  # IT cannot prove it unreferenced

    rad = store.login("rad")
    dry = store.services.store_admin.gc(rad, dry_run=True)
    assert (dry.orphans, dry.orphan_bytes, dry.removed) == (1, 1000, 0)
    done = store.services.store_admin.gc(rad, dry_run=False)
    assert done.removed == 1 and not (blobs / "ff" / orphan).exists()
    assert {p.name for p in blobs.glob("??/*")} == referenced
    last = rad.audit.entries()[-1]
    assert last.action == "store.gc" and last.detail["removed"] == 1


def test_cli_backup_restore_and_gc(store, tmp_path):
    """The documented commands work end to end with --password-stdin and --json."""
    import io

    from clinic_app.cli.main import main

    _import(store, tmp_path, ["CT_small.dcm"])
    store.services.close()

    def run(*argv: str, stdin: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            code = main(list(argv), stdout=out, stderr=err)
        finally:
            sys.stdin = old
        return code, out.getvalue(), err.getvalue()

    code, out, err = run("--store", str(store.root), "backup", "--to", str(tmp_path / "b"), "--json",
                         "--user", "admin", "--password-stdin", stdin=PASSWORDS["admin"] + "\n")
    assert code == 0, err
    assert json.loads(out)["blobs_total"] == 1
    code, out, err = run("--store", str(tmp_path / "new"), "restore", "--from", str(tmp_path / "b"),
                         "--user", "admin", "--password-stdin", stdin=PASSWORDS["admin"] + "\n")
    assert code == 0, err
    assert "signed in against the backup's key ring" in out
    code, out, err = run("--store", str(tmp_path / "new"), "store", "gc", "--dry-run", "--json",
                         "--user", "rad", "--password-stdin", stdin=PASSWORDS["rad"] + "\n")
    assert code == 0, err
    assert json.loads(out)["orphans"] == 0
    code, out, err = run("--store", str(tmp_path / "new"), "backup", "--to", str(tmp_path / "b2"),
                         "--user", "rad", "--password-stdin", stdin=PASSWORDS["rad"] + "\n")
    assert code == 4 and "store.backup" in err


def test_self_test_reports_leftovers_of_interrupted_writes(store, tmp_path):
    """The self-test's store line counts blob files and names stale temporary leftovers."""
    from clinic_app.selftest import CheckStatus, _check_store

    _import(store, tmp_path, ["CT_small.dcm"])
    blobs = store.root / "blobs"
    some = next(blobs.glob("??/*"))
    stale = some.parent / f".{some.name}.00ff00ff.tmp"
    stale.write_bytes(b"z" * 2_000_000)
    fresh = some.parent / f".{some.name}.11ee11ee.tmp"  # a write in progress: not a leftover
    fresh.write_bytes(b"z" * 10)
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    status, detail = _check_store(store.settings())
    assert status == CheckStatus.PASS
    assert "1 blob files" in detail
    assert "1 leftovers of interrupted writes (2.0 MB: run 'clinic-app store gc'" in detail


def test_nightly_schedule_units_validate_their_inputs():
    """The systemd units refuse a bad time, a relative folder or an odd account name."""
    from clinic_app.core.backup_schedule import systemd_units

    units = systemd_units(Path("/var/lib/clinic-app/store"), Path("/srv/b"), "admin", "23:30")
    assert "OnCalendar=*-*-* 23:30:00" in units["clinic-app-backup.timer"]
    for bad in ({"at": "24:00"}, {"at": "2am"}):
        with pytest.raises(InvalidInput, match="HH:MM"):
            systemd_units(Path("/s"), Path("/b"), "admin", **bad)
    with pytest.raises(InvalidInput, match="absolute"):
        systemd_units(Path("store"), Path("/b"), "admin")
    with pytest.raises(InvalidInput, match="administrator account"):
        systemd_units(Path("/s"), Path("/b"), "admin; rm -rf /")
