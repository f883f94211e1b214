"""Forwarding the audit log to the site's audit repository (admin; IHE ATNA).

Forwarding is an export of the audit log, so it needs the audit-export permission and is
itself audited. What leaves the machine is what IT already sees: pseudonyms, never patient
identifiers. The forwarding cursor sits beside the store; it holds a sequence number and a
MAC, nothing about patients.
"""

from __future__ import annotations

import json
import socket

from clinic_app.core.atna.forwarder import CursorFile, ForwardReport, forward_pending
from clinic_app.core.atna.messages import AuditSource
from clinic_app.core.atna.syslog_tls import SyslogTarget, checkpoint_frame, send
from clinic_app.core.clock import iso
from clinic_app.core.security import audit_anchor
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.keywrap import derive_subkey
from clinic_app.core.security.roles import Permission
from clinic_app.errors import AuditForwardError, InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

CURSOR_NAME = "audit-forward.json"


class AuditForwardingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

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
            raise InvalidInput("Audit forwarding is not configured: set audit_syslog_host (and "
                               "audit_syslog_ca) in the site config.")
        assert session.audit is not None
        host = socket.gethostname()
        source = AuditSource(self.ctx.settings.audit_source_id or host, host=host)
        cursor = CursorFile(self.ctx.settings.store_dir / CURSOR_NAME)
        try:
            report = forward_pending(session.audit.entries, target, cursor, source)
        except AuditForwardError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "audit.forward", outcome=Outcome.SERIOUS_FAILURE,
                           detail={"collector": f"{target.host}:{target.port}", "error": str(exc)})
            raise
        if report.sent:
            self._send_checkpoint(session, target, host)
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
