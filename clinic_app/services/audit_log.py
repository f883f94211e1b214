"""Reading, verifying and exporting the audit log (admin). Reading it is itself audited."""

from __future__ import annotations

import json

from clinic_app.core.clock import iso
from clinic_app.core.security import audit_anchor
from clinic_app.core.security.audit import (
    AuditEntry,
    AuditFilter,
    ChainVerification,
    EventCode,
    Outcome,
    export_csv,
    export_json,
)
from clinic_app.core.security.keywrap import derive_subkey
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

#: The audit value types are part of this service's API: callers (the admin workspace,
#: the CLI) import them from here, never from the audit store in the core.
__all__ = ["AuditEntry", "AuditFilter", "AuditService", "ChainVerification", "EventCode", "Outcome"]


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def verify(self, session: Session) -> ChainVerification:
        self.ctx.begin(session, Permission.AUDIT_VERIFY)
        assert session.audit is not None
        checkpoint = self.ctx.keyring.audit_checkpoint()
        result = session.audit.verify([checkpoint] if checkpoint else [])
        # Audited after the walk, so the walk sees the chain as it was found.
        self.ctx.audit(session, EventCode.SECURITY_ALERT if not result.ok else EventCode.AUDIT_LOG_USED,
                       "audit.verify",
                       outcome=Outcome.SUCCESS if result.ok else Outcome.SERIOUS_FAILURE,
                       detail={"entries": result.entries, "first_bad": result.first_bad_seq})
        return result

    def entries(self, session: Session, flt: AuditFilter | None = None) -> list[AuditEntry]:
        self.ctx.begin(session, Permission.AUDIT_READ)
        assert session.audit is not None
        rows = session.audit.entries(flt)
        self.ctx.audit(session, EventCode.AUDIT_LOG_USED, "audit.read",
                       detail={"rows": len(rows)})
        return rows

    def export(self, session: Session, fmt: str, flt: AuditFilter | None = None) -> str:
        """JSON (with the verification result) or injection-safe CSV, as text."""
        if fmt not in ("json", "csv"):
            raise InvalidInput(translate("services", "Audit export format must be 'json' or 'csv'."))
        self.ctx.begin(session, Permission.AUDIT_EXPORT)
        assert session.audit is not None
        checkpoint = self.ctx.keyring.audit_checkpoint()
        verification = session.audit.verify([checkpoint] if checkpoint else [])
        rows = session.audit.entries(flt)
        self.ctx.audit(session, EventCode.EXPORT, "audit.export",
                       detail={"format": fmt, "rows": len(rows), "chain_ok": verification.ok})
        if fmt == "csv":
            return export_csv(rows)
        text = export_json(rows, verification)
        head = session.audit.head()
        if head is None:
            return text
        cp = audit_anchor.sign(self._anchor_key(session), self.ctx.keyring.get_meta("store_id") or "",
                               head[0], head[1], iso(self.ctx.clock()))
        data = json.loads(text)
        data["checkpoint"] = cp.as_json()
        return json.dumps(data, indent=2, sort_keys=True)

    @staticmethod
    def _anchor_key(session: Session) -> bytes:
        return derive_subkey(session.system_key, audit_anchor.PURPOSE)

    def verify_against(self, session: Session, checkpoint_text: str) -> ChainVerification:
        """Prove the current log extends an exported checkpoint (the off-machine anchor)."""
        self.ctx.begin(session, Permission.AUDIT_VERIFY)
        assert session.audit is not None
        cp = audit_anchor.parse(checkpoint_text)
        audit_anchor.check_tag(self._anchor_key(session), cp,
                               self.ctx.keyring.get_meta("store_id") or "")
        result = session.audit.verify([(cp.seq, bytes.fromhex(cp.head_mac))])
        self.ctx.audit(session, EventCode.SECURITY_ALERT if not result.ok else EventCode.AUDIT_LOG_USED,
                       "audit.verify_against",
                       outcome=Outcome.SUCCESS if result.ok else Outcome.SERIOUS_FAILURE,
                       detail={"checkpoint_seq": cp.seq, "checkpoint_time": cp.time,
                               "entries": result.entries})
        return result

