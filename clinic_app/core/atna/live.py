"""Forward each audit entry as it is written, from a background thread.

The durable queue stays what it is for ``audit forward``: the audit log plus the cursor
(:mod:`forwarder`). This module only decides *when* to send. Each committed entry is
offered here (a list append and an event: the user's action never waits for the network);
a worker thread sends what is queued over one TLS connection, with the signed checkpoint
of the last entry sent, and moves the cursor only after the connection closed cleanly.

* The common case needs no database read: entries offered in an unbroken chain right after
  the cursor (each entry's ``prev_mac`` is the previous one's MAC, the first one's is the
  cursor's) are sent as they are.
* Anything else (the first forward ever, a backlog left by a collector outage, entries
  another process wrote in between) is read from the log from the cursor on, with the
  continuity check that refuses a rolled-back log.
* A collector that is down, or a certificate that does not check out, leaves the cursor and
  the queue as they are; the worker tries again with a growing pause (2 s up to a minute),
  and sooner (2 s after the last try) once new entries arrive. The state it reports
  (:class:`LiveState`) names the last error.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clinic_app.core.atna.forwarder import Cursor, CursorFile, forward_pending
from clinic_app.core.atna.messages import AuditSource, to_dicom_xml
from clinic_app.core.atna.syslog_tls import SyslogTarget, frame, send
from clinic_app.core.security.audit import AuditEntry, Outcome
from clinic_app.errors import AuditForwardError, ClinicAppError

log = logging.getLogger("clinic_app.audit_forwarding")

#: Reads the log from a sequence number on (``AuditLog.entries_from``).
Reader = Callable[[int], Sequence[AuditEntry]]
#: The signed checkpoint frame for the last entry sent (None: none can be signed now).
Checkpoint = Callable[[AuditEntry], bytes | None]

RETRY_FIRST_S = 2.0
RETRY_MAX_S = 60.0


@dataclass(frozen=True)
class LiveState:
    """What the Operations tab and the tests read: how far forwarding got, and why not further."""

    queued: int  # entries offered and not yet confirmed sent
    last_sent_seq: int
    last_error: str  # "" while the last attempt succeeded
    sending: bool  # an attempt is under way now


class LiveForwarder:
    """One per service context; ``lock`` is shared with the on-demand ``audit forward``."""

    def __init__(self, target: SyslogTarget, cursor_file: CursorFile, source: AuditSource,
                 lock: threading.Lock) -> None:
        self.target, self.cursor_file, self.source, self.lock = target, cursor_file, source, lock
        self._mutex = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Condition(self._mutex)
        self._queue: list[AuditEntry] = []
        self._reader: Reader | None = None
        self._checkpoint: Checkpoint | None = None
        self._busy = False
        self._attempts = 0
        self._stopping = False
        self._retry_s = 0.0
        self._grew = False  # entries arrived since the last attempt
        self._last_try = 0.0
        self._last_error = ""
        self._last_sent = 0
        self._thread: threading.Thread | None = None

    # -- called on the user's thread -------------------------------------------------------
    def offer(self, entry: AuditEntry, reader: Reader, checkpoint: Checkpoint | None) -> None:
        """Queue one committed entry; returns at once."""
        with self._mutex:
            self._queue.append(entry)
            self._grew = True
            self._reader, self._checkpoint = reader, checkpoint
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-forwarding",
                                                daemon=True)
                self._thread.start()
        self._wake.set()

    def state(self) -> LiveState:
        with self._mutex:
            return LiveState(len(self._queue), self._last_sent, self._last_error, self._busy)

    def wait_idle(self, timeout_s: float) -> LiveState:
        """Wait until the queue is empty or an attempt that started after this call failed,
        at most ``timeout_s``."""
        with self._idle:
            started = self._attempts
            self._idle.wait_for(lambda: not self._busy and (
                not self._queue or (self._attempts > started and bool(self._last_error))),
                timeout=timeout_s)
        return self.state()

    def stop(self, timeout_s: float) -> LiveState:
        """Give the worker ``timeout_s`` to send what is queued, then stop it. What is left
        stays in the log after the cursor and goes with the next forward."""
        state = self.wait_idle(timeout_s)
        with self._mutex:
            self._stopping = True
            self._reader = self._checkpoint = None
        self._wake.set()
        return state

    # -- the worker ------------------------------------------------------------------------
    def _due_in(self) -> float | None:
        """Seconds until the next attempt may start (None: wait for an entry). While the
        collector fails, new entries bring the next try forward to RETRY_FIRST_S after the
        last, not at once: a burst of actions must not become a burst of connection tries."""
        if not self._last_error:
            return None
        gap = min(self._retry_s, RETRY_FIRST_S) if self._grew else self._retry_s
        return max(0.0, self._last_try + gap - time.monotonic())

    def _run(self) -> None:
        while True:
            with self._mutex:
                due = self._due_in()
            if due is None or due > 0:
                self._wake.wait(timeout=due)
            self._wake.clear()
            with self._mutex:
                if self._stopping:
                    return
                if not self._queue and not self._last_error:
                    continue
                if (self._due_in() or 0.0) > 0:
                    continue
                entries, reader, checkpoint = list(self._queue), self._reader, self._checkpoint
                self._busy, self._grew, self._last_try = True, False, time.monotonic()
            error = ""
            try:
                with self.lock:
                    last = self._send(entries, reader, checkpoint)
            except ClinicAppError as exc:  # collector down, certificate, rolled-back log, store closed
                error = str(exc)
                last = None
            except Exception as exc:  # a reader on a closed store; never kill the worker silently
                error = f"{type(exc).__name__}: {str(exc)[:200]}"
                last = None
            with self._idle:
                self._busy = False
                self._attempts += 1
                if last is not None:
                    self._queue = [e for e in self._queue if e.seq > last]
                    self._last_sent = max(self._last_sent, last)
                if error and error != self._last_error:
                    log.warning("audit forwarding failed; events stay queued: %s", error)
                elif not error and self._last_error:
                    log.info("audit forwarding resumed")
                self._last_error = error
                self._retry_s = min(RETRY_MAX_S, max(RETRY_FIRST_S, self._retry_s * 2)) if error else 0.0
                self._idle.notify_all()

    def _send(self, entries: list[AuditEntry], reader: Reader | None,
              checkpoint: Checkpoint | None) -> int:
        """Send from the cursor on; the sequence number now at the cursor."""
        cursor = self.cursor_file.load()
        after = [e for e in entries if cursor is None or e.seq > cursor.seq]
        if cursor is not None and after and _continues(cursor, after):
            frames = [self._frame(e) for e in after]
            extra = checkpoint(after[-1]) if checkpoint else None
            send(self.target, frames + ([extra] if extra else []))
            self.cursor_file.save(Cursor(after[-1].seq, after[-1].mac))
            return after[-1].seq
        if cursor is not None and not after and not self._last_error:
            return cursor.seq  # already sent (by ``audit forward`` or another process)
        if reader is None:
            raise AuditForwardError("the audit log is closed; the backlog goes with the next entry")
        start = cursor.seq if cursor is not None else 1
        report = forward_pending(lambda: reader(start), self.target, self.cursor_file, self.source)
        head = next((e for e in reversed(entries) if e.seq == report.last_seq), None)
        extra = checkpoint(head) if checkpoint and head is not None and report.sent else None
        if extra:
            send(self.target, [extra])
        return report.last_seq

    def _frame(self, e: AuditEntry) -> bytes:
        return frame(to_dicom_xml(e, self.source), timestamp=e.ts, hostname=self.source.host,
                     seq=e.seq, mac_hex=e.mac.hex(), warning=e.outcome != Outcome.SUCCESS)


def _continues(cursor: Cursor, entries: Sequence[AuditEntry]) -> bool:
    """Whether ``entries`` follow the cursor with no entry missing between them."""
    prev_seq, prev_mac = cursor.seq, cursor.mac
    for e in entries:
        if e.seq != prev_seq + 1 or not hmac.compare_digest(e.prev_mac, prev_mac):
            return False
        prev_seq, prev_mac = e.seq, e.mac
    return True
