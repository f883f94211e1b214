"""One lock for the whole store: writers share it, backup and blob collection take it alone.

A consistent online backup needs a moment when no transaction of any process is between
BEGIN and COMMIT, in any of the store's databases, and no blob of an uncommitted transaction
is on disk. The SQLite locks of one database cannot give that across three databases and
a blob folder, and the clinical database cannot even be opened without the clinical key,
which IT never holds. So every write transaction (and every close, which may checkpoint the
WAL) holds this lock shared; backup and ``store gc`` hold it exclusively for the short time
they need a still store. Readers never take it.

POSIX ``flock`` locks belong to an open file description, so threads of one process and
separate processes exclude each other alike. Where ``flock`` does not exist (Windows) the
lock is a no-op and backup requires the application to be closed (docs/operations.md).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clinic_app.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".store.lock"
#: How long a writer waits for a backup to finish before it reports the store busy.
WRITER_WAIT_S = 120.0

SUPPORTED = fcntl is not None


#: Lock files this thread holds exclusively. A shared request for one of them from the same
#: thread is already satisfied (the holder is the only writer), and waiting for it would
#: deadlock: flock locks belong to open file descriptions, not to threads.
_held = threading.local()


def _exclusive_here() -> set[str]:
    if not hasattr(_held, "paths"):
        _held.paths = set()
    held: set[str] = _held.paths
    return held


class StoreLock:
    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME

    @contextmanager
    def hold(self, *, exclusive: bool, timeout_s: float = WRITER_WAIT_S) -> Iterator[None]:
        if fcntl is None or not self.path.parent.is_dir():
            yield
            return
        key = str(self.path.resolve())
        if key in _exclusive_here():
            yield  # this thread already holds the store alone (e.g. a key rotation's switch)
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _acquire(fd, exclusive, timeout_s)
            if exclusive:
                _exclusive_here().add(key)
            try:
                yield
            finally:
                if exclusive:
                    _exclusive_here().discard(key)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _acquire(fd: int, exclusive: bool, timeout_s: float) -> None:
    assert fcntl is not None
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    deadline = time.monotonic() + timeout_s
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                what = ("other users are writing to the store" if exclusive
                        else "a backup or blob collection is running")
                raise StoreError(f"The store is busy ({what}); try again in a moment.") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
