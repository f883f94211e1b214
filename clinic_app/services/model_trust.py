"""What the app trusts to run: signing keys, pinned packages, and admin approvals.

The trust store ships inside the app (``resources/trust``: Ed25519 public keys and hash
pins), as trusted as the code beside it, so it is shown and never edited at run time;
adding a key is a signed release. What an admin decides at run time is which *unsigned*
package may run: an approval names one exact package (its manifest hash). Revoking it
makes that package refused again at the next scan. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.core.inference import approvals as approvals_db
from clinic_app.core.inference.package import TrustStore
from clinic_app.core.inference.registry import trust_dir
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


@dataclass(frozen=True)
class TrustOverview:
    folder: str
    key_ids: tuple[str, ...]
    pinned: tuple[tuple[str, str], ...]  # (package id, version)
    approvals: tuple[approvals_db.Approval, ...]


class ModelTrustService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def overview(self, session: Session) -> TrustOverview:
        self.ctx.begin(session, Permission.MODELS_LIST)
        assert session.system is not None
        store = TrustStore.from_dir(trust_dir())
        return TrustOverview(
            folder=str(trust_dir()),
            key_ids=tuple(sorted(store.keys)),
            pinned=tuple(sorted((p.package_id, p.version) for p in store.pins.values())),
            approvals=tuple(approvals_db.approvals(session.system)))

    def revoke(self, session: Session, manifest_sha256: str) -> None:
        """Withdraw an admin approval of an unsigned package (it is refused from now on)."""
        self.ctx.begin(session, Permission.MODELS_MANAGE, object=manifest_sha256[:12])
        assert session.system is not None
        match = [a for a in approvals_db.approvals(session.system)
                 if a.manifest_sha256 == manifest_sha256]
        if not match:
            raise InvalidInput(translate("services", "That package has no approval to revoke; reload the list."))
        with session.system.transaction():
            approvals_db.revoke(session.system, manifest_sha256)
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.approval_revoked",
                           object=match[0].package_id,
                           detail={"version": match[0].version, "manifest_sha256": manifest_sha256})
