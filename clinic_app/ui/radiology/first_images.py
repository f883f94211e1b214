"""Every viewport's first image before the rest of any volume.

Opening a study with its prior starts two volume loads at once. Both decode outward from
their first image, on two threads sharing the interpreter lock and a two-core machine, so
the prior's first image used to wait behind the slices of today's study decoded after
today's first image. The gate makes a load that has its first image wait (on its own
worker thread, never the GUI thread) until every other load started with it has its
first image too; then all go on. Only running loads are waited for (a load queued behind
busy pool threads is not). A load that fails or is cancelled lets the others go,
and no wait lasts longer than ``WAIT_S``: a slow disk must not stall today's study.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from clinic_app.core.tasks import CancelToken

#: The longest a load waits for the other viewports' first images (seconds).
WAIT_S = 1.5
#: How often a waiting load looks at its cancel token (seconds).
POLL_S = 0.05


class FirstImageGate:
    """Loads that still owe their first image; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[Hashable] = set()
        self._clear = threading.Event()
        self._clear.set()

    def started(self, key: Hashable) -> None:
        """A load of ``key`` starts running (on its worker) and owes its first image."""
        with self._lock:
            self._pending.add(key)
            self._clear.clear()

    def arrived(self, key: Hashable) -> None:
        """``key`` has its first image (or failed, or was cancelled): it owes nothing."""
        with self._lock:
            self._pending.discard(key)
            if not self._pending:
                self._clear.set()

    def pending(self) -> frozenset[Hashable]:
        with self._lock:
            return frozenset(self._pending)

    def wait(self, cancel: CancelToken, timeout_s: float | None = None) -> bool:
        """Worker thread: block until no load owes a first image, the load is cancelled,
        or ``timeout_s`` passed; True when every first image is in."""
        limit = WAIT_S if timeout_s is None else timeout_s
        waited = 0.0
        while waited < limit:
            if self._clear.wait(POLL_S):
                return True
            if cancel.cancelled:
                return False
            waited += POLL_S
        return self._clear.is_set()
