"""Encrypted store cost, measured beside plain baselines in one run.

Measures:
  * unlock: one Argon2id derivation at the store's parameters + unwraps + opening SQLCipher;
  * records: insert and read of 20,000 small rows in SQLCipher vs stdlib sqlite3 (plain);
  * blobs: 1 MiB payloads through BlobStore (AES-256-GCM + file write, and with the
    per-transaction fsync) vs raw AESGCM.encrypt/decrypt on the same bytes in memory.

Target: encrypted blob write >= 0.5x raw AES-GCM throughput.

Run:  .venv/bin/python benchmarks/store.py [--rows N] [--blobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_app.config import Settings
from clinic_app.core.security.roles import Role
from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database
from clinic_app.services import Services
from clinic_app.services.store_init import NewAccount


def timed(fn, repeat: int = 1) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def bench_unlock(root: Path) -> float:
    services = Services(Settings(store_dir=root / "store"))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                             [NewAccount("rad", Role.RADIOLOGIST, "benchmark-rad-pw-1")])
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        s = services.auth.login("rad", "benchmark-rad-pw-1")
        times.append(time.perf_counter() - t0)
        services.auth.logout(s)
    services.close()
    return statistics.median(times)


def bench_records(root: Path, n: int) -> dict[str, float]:
    rows = [(i, f"MRN{i:07d}", "8480-6", 120.0 + i % 40, "2025-01-01T00:00:00Z") for i in range(n)]
    schema = "CREATE TABLE obs (id INTEGER PRIMARY KEY, mrn TEXT, code TEXT, value REAL, ts TEXT)"

    enc = Database(root / "enc.db", os.urandom(32), create=True)
    enc.execute(schema)
    plain = sqlite3.connect(root / "plain.db", isolation_level=None)
    plain.execute("PRAGMA journal_mode=WAL")
    plain.execute("PRAGMA synchronous=FULL")
    plain.execute(schema)

    def enc_write() -> None:
        with enc.transaction():
            enc.executemany("INSERT INTO obs VALUES (?,?,?,?,?)", rows)

    def plain_write() -> None:
        plain.execute("BEGIN")
        plain.executemany("INSERT INTO obs VALUES (?,?,?,?,?)", rows)
        plain.execute("COMMIT")

    t_enc_w = timed(enc_write)
    t_plain_w = timed(plain_write)
    t_enc_r = timed(lambda: enc.query("SELECT * FROM obs"), 3)
    t_plain_r = timed(lambda: plain.execute("SELECT * FROM obs").fetchall(), 3)
    enc.close()
    plain.close()
    return {"enc_write": n / t_enc_w, "plain_write": n / t_plain_w,
            "enc_read": n / t_enc_r, "plain_read": n / t_plain_r}


def bench_blobs(root: Path, n: int) -> dict[str, float]:
    key = os.urandom(32)
    payloads = [os.urandom(1 << 20) for _ in range(n)]
    mib = n
    aead = AESGCM(key)
    nonce = os.urandom(12)

    t_raw_enc = timed(lambda: [aead.encrypt(nonce, p, b"ad") for p in payloads], 3)
    sealed = [aead.encrypt(nonce, p, b"ad") for p in payloads]
    t_raw_dec = timed(lambda: [aead.decrypt(nonce, c, b"ad") for c in sealed], 3)

    store = BlobStore(root / "blobs", key, b"benchkey")
    ids: list[str] = []
    t_put = timed(lambda: ids.extend(store.put("dicom", p) for p in payloads))

    def put_synced() -> None:
        with store.batch() as batch:
            for p in payloads:
                batch.put("dicom", p)

    t_put_sync = timed(put_synced)
    t_get = timed(lambda: [store.get("dicom", i) for i in ids], 3)

    plain_dir = root / "plainfiles"
    plain_dir.mkdir()

    def plain_files() -> None:
        for i, p in enumerate(payloads):
            (plain_dir / str(i)).write_bytes(p)

    t_plain_files = timed(plain_files)
    return {"raw_enc": mib / t_raw_enc, "raw_dec": mib / t_raw_dec, "put": mib / t_put,
            "put_sync": mib / t_put_sync, "get": mib / t_get, "plain_files": mib / t_plain_files}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--blobs", type=int, default=64, help="number of 1 MiB blobs")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    try:
        unlock = bench_unlock(root)
        rec = bench_records(root, args.rows)
        blob = bench_blobs(root, args.blobs)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"cpu count: {os.cpu_count()}  python {sys.version.split()[0]}")
    print(f"unlock (Argon2id m=64 MiB t=3 + unwrap + open SQLCipher x2), median of 5: {unlock * 1000:.0f} ms")
    print()
    print(f"{'operation':44s} {'ours':>12s} {'baseline':>12s} {'ratio':>7s}")
    rows = [
        (f"records write ({args.rows} rows, rows/s)", rec["enc_write"], rec["plain_write"], "sqlite3 plain"),
        (f"records read ({args.rows} rows, rows/s)", rec["enc_read"], rec["plain_read"], "sqlite3 plain"),
        ("blob write 1 MiB, page cache (MiB/s)", blob["put"], blob["raw_enc"], "raw AES-GCM"),
        ("blob write 1 MiB, fsync per batch (MiB/s)", blob["put_sync"], blob["raw_enc"], "raw AES-GCM"),
        ("blob read 1 MiB (MiB/s)", blob["get"], blob["raw_dec"], "raw AES-GCM"),
        ("blob write 1 MiB vs plain file write (MiB/s)", blob["put"], blob["plain_files"], "plain files"),
    ]
    for name, ours, base, base_name in rows:
        print(f"{name:44s} {ours:12.0f} {base:12.0f} {ours / base:7.2f}  (baseline: {base_name})")
    ratio = blob["put"] / blob["raw_enc"]
    print()
    print(f"target: encrypted blob write >= 0.5x raw AES-GCM -> {ratio:.2f}x "
          f"{'MET' if ratio >= 0.5 else 'NOT MET'}")


if __name__ == "__main__":
    main()
