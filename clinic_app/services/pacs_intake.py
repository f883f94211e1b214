"""Store what a PACS sends, batch by batch, as it arrives (retrieve and the listener).

A batch is committed when it is large enough or has waited long enough, so a study shows up
while it is still arriving and a cancel or a dropped connection keeps what was stored;
the retrieve state (``retrievals``) records that the study is still incomplete.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from clinic_app.core.imaging.importer import ImportTally, import_items
from clinic_app.core.net import retrievals
from clinic_app.core.net.receive import InstanceQueue, Received, Transfer
from clinic_app.core.tasks import CancelToken, Progress
from clinic_app.services.session import Session

#: A batch is committed when it holds this many instances or bytes, or has waited this long.
BATCH_INSTANCES = 200
BATCH_BYTES = 128 * 1024**2
BATCH_SECONDS = 0.5


def drain(session: Session, queue: InstanceQueue, transfer: Transfer, tally: ImportTally, *,
          study_uid: str, expected: int | None, message: str, now: Callable[[], str],
          progress: Progress, cancel: CancelToken) -> bool:
    """Import what arrives, in batches, until the transfer ends; True if cancelled."""
    db, blobs = session.clinical, session.blobs
    assert db is not None and blobs is not None
    pending: list[Received] = []
    size = 0
    since = time.monotonic()
    while True:
        if cancel.cancelled:
            transfer.stop()
            return True
        got = queue.take(BATCH_INSTANCES - len(pending), BATCH_BYTES - size, 0.1)
        finished = got is None
        for r in got or []:
            pending.append(r)
            size += len(r.data)
        due = (finished or len(pending) >= BATCH_INSTANCES or size >= BATCH_BYTES
               or time.monotonic() - since >= BATCH_SECONDS)
        if pending and due:
            with db.transaction():
                import_items(db, blobs, [r.item() for r in pending], now=now(), tally=tally,
                             batch_instances=len(pending) + 1, batch_bytes=size + 1)
                if study_uid:
                    retrievals.set_flags(db, study_uid, add={retrievals.FLAG_RETRIEVING},
                                         remove=set())
            pending, size = [], 0
            total = expected if expected is not None else 0
            progress(tally.files, max(total, tally.files) if total else 0, message)
        if not pending:
            since = time.monotonic()
        if finished:
            return False


def wait_until_cancelled(cancel: CancelToken) -> int:
    """The listener's stand-in transfer: it ends when the person stops listening."""
    while not cancel.cancelled:
        time.sleep(0.1)
    return 0
