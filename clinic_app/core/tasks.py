"""Progress and cancellation for long operations, as plain callables.

Long operations (import, decode, inference, scoring, export) take a ``Progress``
callback and a ``CancelToken``. The core never knows whether a GUI worker, the CLI or a
test is on the other side, which is what keeps it free of Qt.
"""

from __future__ import annotations

import threading
from typing import Protocol

from clinic_app.errors import Cancelled


class Progress(Protocol):
    """Reports ``done`` of ``total`` units of work with a short, PHI-free message."""

    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """Progress sink for callers that do not display progress."""


class CancelToken:
    """A cooperative cancel flag, safe to set from any thread.

    Workers call :meth:`raise_if_cancelled` between units of work, at points where
    stopping leaves the store consistent (whole instances written, nothing half-done).
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("The operation was cancelled; nothing partial was kept.")


NEVER_CANCELLED = CancelToken()

#: The progress argument of a worker function (``ui/workers.py``): the same callable as
#: :class:`Progress`, so a worker can hand it straight to a service.
ProgressCallback = Progress
