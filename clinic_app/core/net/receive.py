"""Instances arriving from the network, handed to the importer from memory.

A transfer (C-GET, C-MOVE to our listener, WADO-RS) runs on a producer thread and puts
each received instance's bytes (a complete Part 10 stream) into an
:class:`InstanceQueue`; the thread that owns the store drains it into
``import_items`` in batches. Received bytes never touch the disk in plaintext: they go
from the socket to memory to an AES-GCM blob. The queue is bounded in bytes, so a huge
study applies back-pressure to the network instead of filling memory.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from clinic_app.core.imaging.sources import SourceItem

#: Received-but-not-yet-stored bytes held at most (a producer waits beyond this).
QUEUE_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class Received:
    label: str
    data: bytes

    def item(self) -> SourceItem:
        data = self.data
        return SourceItem(self.label, len(data), lambda: data)


class InstanceQueue:
    """A byte-bounded queue between one or more producers and one consumer."""

    def __init__(self, max_bytes: int = QUEUE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: deque[Received] = deque()
        self._bytes = 0
        self._closed = False
        self._aborted = False
        self._cond = threading.Condition()
        self.received = 0

    def put(self, label: str, data: bytes) -> bool:
        """Queue one instance; waits while the queue is full. False once aborted."""
        with self._cond:
            while (self._bytes > 0 and self._bytes + len(data) > self.max_bytes
                   and not self._aborted):
                self._cond.wait(0.5)
            if self._aborted:
                return False
            self._items.append(Received(label, data))
            self._bytes += len(data)
            self.received += 1
            self._cond.notify_all()
            return True

    def close(self) -> None:
        """No more instances will come (the transfer ended, well or not)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def abort(self) -> None:
        """Drop what is queued and refuse more (cancel): producers stop waiting."""
        with self._cond:
            self._aborted = True
            self._closed = True
            self._items.clear()
            self._bytes = 0
            self._cond.notify_all()

    def take(self, max_items: int, max_bytes: int, timeout: float) -> list[Received] | None:
        """Up to ``max_items``/``max_bytes`` instances; [] on timeout; None when finished."""
        with self._cond:
            if not self._items and not self._closed:
                self._cond.wait(timeout)
            if not self._items:
                return None if self._closed else []
            out: list[Received] = []
            size = 0
            while self._items and len(out) < max_items and (not out or size < max_bytes):
                item = self._items.popleft()
                out.append(item)
                size += len(item.data)
            self._bytes -= size
            self._cond.notify_all()
            return out


class Transfer:
    """A producer thread: ``run(queue)`` fetches instances and returns a PHI-free outcome.

    The thread's exception (network error, rejection) is kept and re-raised by
    :meth:`result` on the consumer's thread, so no error is lost in a background thread.
    """

    def __init__(self, run: Callable[[InstanceQueue], int], queue: InstanceQueue,
                 stop: Callable[[], None] | None = None) -> None:
        self.queue = queue
        self._run = run
        self._stop = stop
        self._error: BaseException | None = None
        self._outcome = 0
        self._thread = threading.Thread(target=self._main, name="pacs-transfer", daemon=True)

    def start(self) -> Transfer:
        self._thread.start()
        return self

    def _main(self) -> None:
        try:
            self._outcome = self._run(self.queue)
        except BaseException as exc:  # handed to the consumer thread by result()
            self._error = exc
        finally:
            self.queue.close()

    def stop(self) -> None:
        """Cancel: abort the network side, then the queue."""
        if self._stop is not None:
            with contextlib.suppress(Exception):  # best effort; the queue abort decides
                self._stop()
        self.queue.abort()

    def result(self, timeout: float = 30.0) -> int:
        """The producer's count of instances it was told about (0 if unknown)."""
        self._thread.join(timeout)
        if self._error is not None:
            raise self._error
        return self._outcome
