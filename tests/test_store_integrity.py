"""The encrypted store detects damage and survives crashes and concurrent processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database, migrate
from clinic_app.errors import IntegrityError
from tests.conftest import StoreFixture

KEY = bytes(range(32))


def _db_with_rows(path: Path, n: int = 3000) -> None:
    db = Database(path, KEY, create=True)
    migrate(db, "t", ["CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"])
    with db.transaction():
        db.executemany("INSERT INTO t(body) VALUES (?)", [(f"row-{i:05d}-" + "x" * 80,) for i in range(n)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def test_flipped_byte_in_a_database_page_is_an_integrity_error(tmp_path: Path) -> None:
    """A single flipped bit in a data page fails its HMAC: an error, never wrong rows."""
    path = tmp_path / "x.db"
    _db_with_rows(path)
    data = bytearray(path.read_bytes())
    data[4096 * 20 + 123] ^= 0x01
    path.write_bytes(bytes(data))
    db = Database(path, KEY)
    with pytest.raises(IntegrityError, match="integrity check"):
        db.query("SELECT body FROM t")
    assert any("HMAC" in line for line in db.integrity_check())


def test_wrong_key_is_reported_not_garbage(tmp_path: Path) -> None:
    """Opening with the wrong key says so instead of returning data."""
    path = tmp_path / "x.db"
    _db_with_rows(path, 10)
    with pytest.raises(IntegrityError, match="could not be decrypted"):
        Database(path, bytes(32))


def test_database_file_holds_no_plaintext(tmp_path: Path) -> None:
    """Row contents never appear in the file on disk."""
    path = tmp_path / "x.db"
    _db_with_rows(path, 50)
    raw = path.read_bytes()
    assert b"row-00001" not in raw and b"SQLite format" not in raw


def test_blob_flip_swap_and_rename_are_detected(tmp_path: Path) -> None:
    """Altered, swapped or re-kinded blobs fail authentication instead of showing wrong data."""
    blobs = BlobStore(tmp_path / "blobs", KEY, b"k1k1k1k1")
    a = blobs.put("dicom", b"patient A pixels" * 100)
    b = blobs.put("dicom", b"patient B pixels" * 100)
    assert blobs.get("dicom", a) == b"patient A pixels" * 100
    with pytest.raises(IntegrityError):
        blobs.get("heatmap", a)  # same bytes read as another kind
    pa, pb = blobs.path_for(a), blobs.path_for(b)
    da, db_ = pa.read_bytes(), pb.read_bytes()
    pa.write_bytes(db_)
    with pytest.raises(IntegrityError, match="altered or moved"):
        blobs.get("dicom", a)
    flipped = bytearray(da)
    flipped[-5] ^= 0x80
    pa.write_bytes(bytes(flipped))
    with pytest.raises(IntegrityError):
        blobs.get("dicom", a)
    assert blobs.get("dicom", b) == b"patient B pixels" * 100  # the rest stays usable
    assert b"patient" not in db_


def test_blob_batch_discards_files_on_rollback(tmp_path: Path) -> None:
    """Blobs written inside a failed transaction are deleted with it."""
    db = Database(tmp_path / "x.db", KEY, create=True)
    migrate(db, "t", ["CREATE TABLE t (blob_id TEXT)"])
    blobs = BlobStore(tmp_path / "blobs", KEY, b"k1k1k1k1")
    with pytest.raises(RuntimeError), db.transaction(), blobs.batch() as batch:
        blob_id = batch.put("dicom", b"data")
        db.execute("INSERT INTO t VALUES (?)", (blob_id,))
        raise RuntimeError("import failed half-way")
    assert db.query("SELECT * FROM t") == []
    assert blobs.ids_on_disk() == set()


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from clinic_app.core.store.database import Database
    db = Database(Path(sys.argv[1]), bytes(range(32)))
    with db.transaction():
        for i in range(10**9):
            db.execute("INSERT INTO t(body) VALUES (?)", ("uncommitted-%d" % i,))
            if i == 2000:
                print("mid-transaction", flush=True)
""")


def test_kill_9_mid_transaction_leaves_a_consistent_store(tmp_path: Path) -> None:
    """SIGKILL of a writer inside a transaction: the store opens and holds only committed rows."""
    path = tmp_path / "x.db"
    _db_with_rows(path, 100)
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "mid-transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    db = Database(path, KEY)
    assert db.query_one("SELECT count(*) AS n FROM t")["n"] == 100
    assert db.integrity_check() == []
    assert db.query_one("PRAGMA integrity_check")[0] == "ok"


_CONCURRENT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from clinic_app.core.store.database import Database
    db = Database(Path(sys.argv[1]), bytes(range(32)))
    for i in range(200):
        with db.transaction():
            db.execute("INSERT INTO t(body) VALUES (?)", (sys.argv[2] + "-%d" % i,))
    print("done", flush=True)
""")


def test_two_processes_write_one_store_at_once(tmp_path: Path) -> None:
    """Two processes committing interleaved transactions lose nothing and corrupt nothing."""
    path = tmp_path / "x.db"
    _db_with_rows(path, 0)
    procs = [subprocess.Popen([sys.executable, "-c", _CONCURRENT, str(path), tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    db = Database(path, KEY)
    counts = {r["tag"]: r["n"] for r in db.query(
        "SELECT substr(body, 1, 1) AS tag, count(*) AS n FROM t GROUP BY tag")}
    assert counts == {"a": 200, "b": 200}


def test_two_processes_sign_in_to_one_store(store: StoreFixture) -> None:
    """A second process can sign in and audit while this one holds a session open."""
    session = store.login("rad")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from clinic_app.config import Settings
        from clinic_app.services import Services
        s = Services(Settings(store_dir=Path({str(store.root)!r})))
        sess = s.auth.login("admin", "admin-password-123")
        print(s.audit.verify(sess).ok)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "True", result.stderr[-1000:]
    store.services.auth.logout(session)
