"""Forwarding the audit log to the site's audit repository (admin; IHE ATNA).

Forwarding is an export of the audit log, so it needs the audit-export permission and is
itself audited. What leaves the machine is what IT already sees: pseudonyms, never patient
identifiers. The forwarding cursor sits beside the store; it holds a sequence number and a
MAC, nothing about patients.

With a collector configured (and ``audit_forward_live``, the default), each entry is also
sent as it is written: :meth:`start_live` hooks :class:`LiveForwarder` into the context's
``audit_forwarders``. The user's action only queues the entry; a background thread sends
it with the signed checkpoint, through the same log-and-cursor queue as ``forward``, which
shares its lock. Forwarding is then a consequence of each action, not an action of its
own, so it writes no audit entry (a failure is logged and shown by :meth:`live_state`).
"""

from __future__ import annotations

import json
import socket
import threading

from clinic_app.core.atna.forwarder import CursorFile, ForwardReport, forward_pending
from clinic_app.core.atna.live import Checkpoint, LiveForwarder, LiveState
from clinic_app.core.atna.messages import AuditSource
from clinic_app.core.atna.syslog_tls import SyslogTarget, checkpoint_frame, send
from clinic_app.core.clock import iso
from clinic_app.core.security import audit_anchor
from clinic_app.core.security.audit import AuditEntry, EventCode, Outcome
from clinic_app.core.security.keywrap import derive_subkey
from clinic_app.core.security.roles import Permission
from clinic_app.errors import AuditForwardError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

CURSOR_NAME = "audit-forward.json"


class AuditForwardingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()  # one sender at a time: the cursor moves in order
        self._live: LiveForwarder | None = None
        self._store_id: str | None = None

    def _source(self) -> AuditSource:
        host = socket.gethostname()
        return AuditSource(self.ctx.settings.audit_source_id or host, host=host)

    def _cursor(self) -> CursorFile:
        return CursorFile(self.ctx.settings.store_dir / CURSOR_NAME)

    # -- per event ---------------------------------------------------------------------------
    def start_live(self) -> bool:
        """Forward every entry as it is written (Services calls this when a collector is
        configured); False when forwarding is off."""
        target = self._target()
        if target is None or not self.ctx.settings.audit_forward_live or self._live is not None:
            return False
        self._live = LiveForwarder(target, self._cursor(), self._source(), self._lock)
        self.ctx.audit_forwarders.append(self._offer)
        return True

    def _offer(self, session: Session, entry: AuditEntry) -> None:
        if self._live is not None and session.audit is not None:
            self._live.offer(entry, session.audit.entries_from, self._checkpointer(session))

    def _checkpointer(self, session: Session) -> Checkpoint | None:
        """Signs the checkpoint of the last entry sent, with a key derived now (the session
        may be locked by the time the worker sends)."""
        if session.system_key is None:
            return None
        key = derive_subkey(session.system_key, audit_anchor.PURPOSE)
        if self._store_id is None:
            self._store_id = self.ctx.keyring.get_meta("store_id") or ""
        store_id, host, clock = self._store_id, self._source().host, self.ctx.clock

        def make(entry: AuditEntry) -> bytes:
            now = iso(clock())
            cp = audit_anchor.sign(key, store_id, entry.seq, entry.mac, now)
            return checkpoint_frame(json.dumps(cp.as_json(), sort_keys=True), timestamp=now,
                                    hostname=host)
        return make

    def live_state(self, session: Session, *, wait_s: float = 0.0) -> LiveState | None:
        """How far per-event forwarding got and the last error (None: it is off). With
        ``wait_s``, first wait up to that long for the queue to drain or an attempt to fail."""
        self.ctx.begin(session, Permission.AUDIT_EXPORT)
        if self._live is None:
            return None
        return self._live.wait_idle(wait_s) if wait_s > 0 else self._live.state()

    def stop_live(self, timeout_s: float = 2.0) -> None:
        """Let the worker send what is queued for up to ``timeout_s``, then stop it (what is
        left stays after the cursor and goes with the next forward)."""
        if self._live is not None:
            self._live.stop(timeout_s)
            self.ctx.audit_forwarders.remove(self._offer)
            self._live = None

    def _target(self) -> SyslogTarget | None:
        """The configured collector, or None when the site forwards nothing."""
        s = self.ctx.settings
        if not s.audit_syslog_host:
            return None
        return SyslogTarget(s.audit_syslog_host, s.audit_syslog_port, ca_file=s.audit_syslog_ca,
                            cert_file=s.audit_syslog_cert, key_file=s.audit_syslog_key)

    def forward(self, session: Session) -> ForwardReport:
        """Send every entry the collector has not had yet, in order."""
        self.ctx.begin(session, Permission.AUDIT_EXPORT)
        target = self._target()
        if target is None:
            raise InvalidInput(translate("services", "Audit forwarding is not configured: set audit_syslog_host (and "
                               "audit_syslog_ca) in the site config."))
        assert session.audit is not None
        source = self._source()
        try:
            with self._lock:
                report = forward_pending(session.audit.entries, target, self._cursor(), source)
                if report.sent:
                    self._send_checkpoint(session, target, source.host)
        except AuditForwardError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "audit.forward", outcome=Outcome.SERIOUS_FAILURE,
                           detail={"collector": f"{target.host}:{target.port}", "error": str(exc)})
            raise
        self.ctx.audit(session, EventCode.EXPORT, "audit.forward",
                       detail={"collector": f"{target.host}:{target.port}", "sent": report.sent,
                               "last_seq": report.last_seq})
        return report

    def _send_checkpoint(self, session: Session, target: SyslogTarget, host: str) -> None:
        """The signed checkpoint of the head just forwarded rides along (audit verify --against)."""
        assert session.audit is not None
        head = session.audit.head()
        if head is None:
            return
        now = iso(self.ctx.clock())
        cp = audit_anchor.sign(derive_subkey(session.system_key, audit_anchor.PURPOSE),
                               self.ctx.keyring.get_meta("store_id") or "", head[0], head[1], now)
        send(target, [checkpoint_frame(json.dumps(cp.as_json(), sort_keys=True), timestamp=now, hostname=host)])
