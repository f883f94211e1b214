"""Backup and restore throughput beside ``cp -a`` of the same store, in one run.

Builds a store holding one synthetic CT series (default 200 slices of 512x512, about 100 MB
of encrypted blobs), then measures:
  * baselines: ``cp -a`` of the store folder (no consistency, no verification, not durable),
    and the same followed by an fsync of every file (durable, as a backup must be);
  * a first full backup (database copy under the store lock, blob pins, copy, SHA-256 manifest);
  * an incremental backup with nothing new (hashing only, no copies);
  * a verified restore into a new folder, admin sign-in against the restored key ring included;
  * the store lock's cost per write (shared acquire and release), which every transaction pays.

Run:  .venv/bin/python benchmarks/backup.py [--slices N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_app.config import Settings
from clinic_app.core.security.roles import Role
from clinic_app.core.store.backup import _sync_all
from clinic_app.core.store.store_lock import StoreLock
from clinic_app.services import Services
from clinic_app.services.store_admin import restore
from clinic_app.services.store_init import NewAccount
from clinic_app.synthetic.dicom_series import write_ct_series

ADMIN, RAD = "benchmark-admin-pw", "benchmark-rad-pw-1"


def tree_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6


def build(root: Path, slices: int) -> Services:
    services = Services(Settings(store_dir=root / "store"))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, ADMIN), [NewAccount("rad", Role.RADIOLOGIST, RAD)])
    rad = services.auth.login("rad", RAD)
    if rad.must_change_password:
        services.auth.change_password(rad, RAD, RAD + "-new")
        services.auth.logout(rad)
        rad = services.auth.login("rad", RAD + "-new")
    write_ct_series(root / "ct", slices=slices)
    services.imaging.import_dicom(rad, [root / "ct"])
    services.auth.logout(rad)
    return services


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slices", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        services = build(root, args.slices)
        store = root / "store"
        size = tree_mb(store)
        cp = timed(lambda: subprocess.run(["cp", "-a", str(store), str(root / "cp-copy")], check=True))
        # The same copy made durable, as a backup must be: every file and folder fsynced.
        cp_sync = timed(lambda: (subprocess.run(["cp", "-a", str(store), str(root / "cp-sync")], check=True),
                                 _sync_all([p for p in (root / "cp-sync").rglob("*") if p.is_file()])))
        admin = services.auth.login("admin", ADMIN)
        full = timed(lambda: services.store_admin.backup(admin, root / "backup"))
        incremental = timed(lambda: services.store_admin.backup(admin, root / "backup"))
        services.close()
        restored = timed(lambda: restore(Settings(store_dir=root / "restored"), root / "backup", "admin", ADMIN))
        lock = StoreLock(store)
        n = 5000
        t0 = time.perf_counter()
        for _ in range(n):
            with lock.hold(exclusive=False):
                pass
        lock_us = (time.perf_counter() - t0) / n * 1e6
        shutil.rmtree(root / "cp-copy")
        shutil.rmtree(root / "cp-sync")

    print(f"store: {size:.0f} MB ({args.slices} CT slices)")
    print(f"{'operation':<38}{'s':>8}{'MB/s':>9}{'x cp -a':>10}{'x cp+fsync':>12}")
    rows = (("cp -a (baseline)", cp), ("cp -a + fsync of every file", cp_sync), ("backup, first (full)", full),
            ("backup, incremental (nothing new)", incremental), ("restore (verified, sign-in)", restored))
    for name, secs in rows:
        print(f"{name:<38}{secs:>8.2f}{size / secs:>9.0f}{secs / cp:>10.2f}{secs / cp_sync:>12.2f}")
    print(f"store lock per write (shared acquire+release): {lock_us:.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
