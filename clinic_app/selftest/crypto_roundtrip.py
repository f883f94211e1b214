"""The crypto round-trip: every primitive the store depends on, end to end, in a temp folder.

Uses the store's own code (kdf, keywrap, Database, BlobStore), not a reimplementation, so
a broken OpenSSL inside the cryptography or sqlcipher3 wheel, a bundle missing one of
them, or too little memory for Argon2id at the site's parameters shows up here, before a
clinician's login fails. Each step also checks that tampering is *detected*, since a
"decryption" that accepts anything would pass a plain round trip.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from clinic_app.config import Settings
from clinic_app.errors import IntegrityError


def crypto_roundtrip(settings: Settings) -> str:
    """Run every step; return a one-line summary, or raise AssertionError/IntegrityError."""
    from clinic_app.core.security import keywrap
    from clinic_app.core.security.kdf import KdfParams

    steps: list[str] = []

    # Argon2id at the site's parameters (the memory cost is the part that fails on a
    # small VM), then AES-256-GCM key wrapping bound to its associated data.
    started = time.perf_counter()
    params = KdfParams.fresh(settings.kdf_memory_kib, settings.kdf_iterations)
    kek = params.derive(b"self-test password")
    elapsed = time.perf_counter() - started
    _require(kek == params.derive(b"self-test password"), "Argon2id is not deterministic")
    _require(kek != params.derive(b"self-test passwore"), "Argon2id ignores its input")
    steps.append(f"Argon2id m={params.memory_kib // 1024} MiB t={params.iterations} "
                 f"{elapsed:.2f} s")

    data_key = keywrap.new_data_key()
    ad = b"wrap|v1|selftest|admin|" + params.encode().encode()
    wrapped = keywrap.wrap(kek, data_key, ad)
    _require(keywrap.unwrap(kek, wrapped, ad) == data_key, "AES-GCM unwrap returned other bytes")
    _refused(lambda: keywrap.unwrap(kek, wrapped, ad + b"x"), "AES-GCM accepted the wrong AD")
    _refused(lambda: keywrap.unwrap(kek, _flip(wrapped), ad), "AES-GCM accepted a flipped bit")
    steps.append("AES-256-GCM wrap")

    # X25519 sealing, as a clinician hands the clinical key to a new colleague.
    private, public = keywrap.new_keypair()
    other_private, _ = keywrap.new_keypair()
    sealed = keywrap.seal(public, data_key, b"seal|v1|selftest")
    _require(keywrap.open_sealed(private, sealed, b"seal|v1|selftest") == data_key,
             "X25519 seal did not open")
    _refused(lambda: keywrap.open_sealed(other_private, sealed, b"seal|v1|selftest"),
             "a sealed key opened with the wrong private key")
    steps.append("X25519 seal")

    with tempfile.TemporaryDirectory(prefix="clinic-app-selftest-") as tmp:
        steps.append(_sqlcipher_roundtrip(Path(tmp), data_key))
        steps.append(_blob_roundtrip(Path(tmp) / "blobs", data_key))
    return ", ".join(steps)


def _sqlcipher_roundtrip(folder: Path, key: bytes) -> str:
    from clinic_app.core.store.database import Database

    path = folder / "selftest.db"
    marker = "clinic-app-selftest-" + secrets.token_hex(8)
    db = Database(path, key, create=True, label="self-test")
    try:
        with db.transaction():
            db.execute("CREATE TABLE t (v TEXT)")
            db.execute("INSERT INTO t VALUES (?)", (marker,))
        row = db.query_one("PRAGMA cipher_version")
        version = str(row[0]) if row is not None else "unknown"
    finally:
        db.close()
    _require(marker.encode() not in path.read_bytes(), "the database file holds plaintext")
    db = Database(path, key, label="self-test")
    try:
        row = db.query_one("SELECT v FROM t")
        _require(row is not None and row[0] == marker, "SQLCipher did not read back its row")
        _require(not db.integrity_check(), "SQLCipher's page HMAC check reported errors")
    finally:
        db.close()
    with _expected_alarms("clinic_app.store"):
        _refused(lambda: Database(path, os.urandom(32), label="self-test").close(),
                 "SQLCipher opened the database with the wrong key")
    return f"SQLCipher {version}"


@contextmanager
def _expected_alarms(logger_name: str) -> Iterator[None]:
    """Silence the store's tamper alarms while the self-test tampers on purpose.

    The store logs every failed authentication as an ERROR for IT to act on; the
    deliberate ones below would otherwise put alarming lines in the log on every run.
    """
    logger = logging.getLogger(logger_name)
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def _blob_roundtrip(folder: Path, key: bytes) -> str:
    from clinic_app.core.store.blobs import BlobStore

    store = BlobStore(folder, key, os.urandom(8))
    payload = os.urandom(4096)
    blob_id = store.put("selftest", payload)
    _require(store.get("selftest", blob_id) == payload, "a blob did not read back")
    path = store.path_for(blob_id)
    with _expected_alarms("clinic_app.store"):
        _refused(lambda: store.get("other-kind", blob_id), "a blob opened under another kind")
        path.write_bytes(_flip(path.read_bytes()))
        _refused(lambda: store.get("selftest", blob_id), "a tampered blob was accepted")
    return "AES-GCM blob"


def _flip(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def _require(condition: bool, failure: str) -> None:
    if not condition:
        raise AssertionError(failure)


def _refused(action: Callable[[], object], failure: str) -> None:
    try:
        action()
    except IntegrityError:
        return
    raise AssertionError(failure)
