"""Reading, verifying and exporting the audit log (admin). Reading it is itself audited."""

from __future__ import annotations

from clinic_app.core.security.audit import (
    AuditEntry,
    AuditFilter,
    ChainVerification,
    EventCode,
    Outcome,
    export_csv,
    export_json,
)
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
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
            raise InvalidInput("Audit export format must be 'json' or 'csv'.")
        self.ctx.begin(session, Permission.AUDIT_EXPORT)
        assert session.audit is not None
        checkpoint = self.ctx.keyring.audit_checkpoint()
        verification = session.audit.verify([checkpoint] if checkpoint else [])
        rows = session.audit.entries(flt)
        self.ctx.audit(session, EventCode.EXPORT, "audit.export",
                       detail={"format": fmt, "rows": len(rows), "chain_ok": verification.ok})
        return export_json(rows, verification) if fmt == "json" else export_csv(rows)
