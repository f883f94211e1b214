"""Clinical-key rotation cost per GB, beside raw AES-GCM re-encryption of the same bytes.

Builds a store with one synthetic CT series (default 200 slices of 512x512, ~106 MB of
blobs), then times a full rotation by a key holder (every blob read, decrypted, re-encrypted
and fsynced; the clinical database exported under the new key and switched in) against the
baseline: decrypting and re-encrypting the same payloads in memory with AES-GCM, no files.

Run:  .venv/bin/python benchmarks/key_rotation.py [--slices N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backup import build, tree_mb  # the same synthetic store
from clinic_app.core.store import rotation


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slices", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        services = build(root, args.slices)
        store = root / "store"
        blob_mb = tree_mb(store / "blobs")
        rad_password = "benchmark-rad-pw-1-new"
        rad = services.auth.login("rad", rad_password)
        payloads = [rad.blobs.get("dicom", b) for b in rotation.blobs_under(services.ctx.layout, rad.blobs.key_id)]
        old, new = AESGCM(os.urandom(32)), AESGCM(os.urandom(32))
        sealed = [(n := os.urandom(12), old.encrypt(n, p, b"ad")) for p in payloads]
        t0 = time.perf_counter()
        for nonce, ct in sealed:
            new.encrypt(os.urandom(12), old.decrypt(nonce, ct, b"ad"), b"ad")
        raw = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = services.key_rotation.rotate(rad)
        rotate = time.perf_counter() - t0
        services.close()
    print(f"store: {blob_mb:.0f} MB of blobs in {report.blobs} files, database {report.database_bytes / 1e6:.1f} MB")
    print(f"{'operation':<44}{'s':>8}{'MB/s':>9}{'s per GB':>10}{'ratio':>8}")
    rows = (("AES-GCM re-encrypt in memory (baseline)", raw), ("key rotation (files, fsync, db switch)", rotate))
    for name, secs in rows:
        print(f"{name:<44}{secs:>8.2f}{blob_mb / secs:>9.0f}{secs / blob_mb * 1000:>10.1f}{secs / raw:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
