"""Forward the audit log to a collector, in order, losing nothing while it is down.

The audit log itself is the queue: entries are never deleted, so the only state forwarding
needs is a cursor, the sequence number and MAC of the last entry the collector took. Each
run sends every entry after the cursor, in sequence order, and moves the cursor only after
the whole batch was written and the TLS stream closed cleanly. A collector that is down, or
a certificate that does not check out, leaves the cursor where it was; the next run replays
from there. A collector may therefore see an entry twice (after a failure mid-batch), never
a gap, and the sequence number in each message lets it drop the repeat.

The cursor holds a MAC as well as a number: if the log no longer has that MAC at that
position, the log was rolled back or rewritten after those entries left the machine, which
is reported as an integrity failure instead of silently sending a different history.
"""

from __future__ import annotations

import hmac
import json
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clinic_app.core.atna.messages import AuditSource, to_dicom_xml
from clinic_app.core.atna.syslog_tls import SyslogTarget, frame, send
from clinic_app.core.security.audit import AuditEntry, Outcome
from clinic_app.errors import IntegrityError, StoreError

#: Entries per TLS connection; a long backlog goes out in several connections, each one
#: moving the cursor, so progress survives a collector that drops off part-way.
BATCH = 500


@dataclass(frozen=True)
class Cursor:
    seq: int
    mac: bytes


@dataclass(frozen=True)
class ForwardReport:
    sent: int
    last_seq: int
    pending: int   # entries still after the cursor (0 when everything went)


class CursorFile:
    """The forwarding cursor, kept beside the store (it holds no patient data)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Cursor | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Cursor(int(data["seq"]), bytes.fromhex(data["mac"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise IntegrityError(f"the audit forwarding cursor {self.path.name} is unreadable; "
                                 "restore it, or delete it to forward the whole log again") from None

    def save(self, cursor: Cursor) -> None:
        temp = self.path.with_suffix(".tmp")
        try:
            with temp.open("w", encoding="utf-8") as fh:
                json.dump({"seq": cursor.seq, "mac": cursor.mac.hex()}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            raise StoreError(f"the audit forwarding cursor could not be written ({exc.strerror})") from None


def _check_continuity(entries: Sequence[AuditEntry], cursor: Cursor | None) -> list[AuditEntry]:
    if cursor is None:
        return list(entries)
    at = next((e for e in entries if e.seq == cursor.seq), None)
    if at is None or not hmac.compare_digest(at.mac, cursor.mac):
        raise IntegrityError(
            f"the audit log no longer holds entry {cursor.seq} as it was forwarded to the collector: "
            "the log was rolled back or rewritten after that entry left this machine")
    return [e for e in entries if e.seq > cursor.seq]


def forward_pending(entries: Callable[[], Sequence[AuditEntry]], target: SyslogTarget,
                    cursor_file: CursorFile, source: AuditSource, *, batch: int = BATCH) -> ForwardReport:
    """Send every entry after the cursor; raises AuditForwardError with the cursor unmoved."""
    cursor = cursor_file.load()
    pending = _check_continuity(entries(), cursor)
    host = source.host or socket.gethostname()
    sent = 0
    for start in range(0, len(pending), batch):
        chunk = pending[start:start + batch]
        frames = [frame(to_dicom_xml(e, source), timestamp=e.ts, hostname=host, seq=e.seq,
                        mac_hex=e.mac.hex(), warning=e.outcome != Outcome.SUCCESS) for e in chunk]
        send(target, frames)
        cursor = Cursor(chunk[-1].seq, chunk[-1].mac)
        cursor_file.save(cursor)
        sent += len(chunk)
    return ForwardReport(sent, cursor.seq if cursor else 0, len(pending) - sent)
