"""The terminology package for users: which copy is in use and why, and IT's install.

``install`` goes through the model packages' trust store (a pin or a trusted Ed25519
signature; no unsigned path) and their rollback-safe rule (:mod:`update_rule`): a package
not newer than the one in use is refused unless IT forces it with a reason, and the forced
rollback is audited as a security event naming the version it replaced.

``status`` needs no store: which copy is used is decided from files alone (the self-test
and ``terminology status`` without a login show the same answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.config import Settings
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.terminology import site
from clinic_app.errors import TerminologyError
from clinic_app.services.session import Session

if TYPE_CHECKING:
    from clinic_app.services.context import ServiceContext


@dataclass(frozen=True)
class TerminologyStatus:
    """What ``terminology status`` shows."""

    source: site.TerminologySource
    id: str
    version: str
    why: str
    shipped_version: str
    site_version: str | None
    site_ignored: bool  # a site package exists and is not used
    rollback_reason: str  # the reason IT gave for the forced rollback in force ("" if none)
    folder: str


def terminology_status(settings: Settings) -> TerminologyStatus:
    """The choice as the app makes it, read from files (no login needed)."""
    folder = site.site_terminology_dir(settings)
    choice = site.choose_terminology(folder)
    return TerminologyStatus(choice.source, choice.terminology.id, choice.version,
                             choice.why, choice.shipped_version, choice.site_version,
                             choice.site_ignored,
                             choice.rollback.reason if choice.rollback else "", str(folder))


class TerminologyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def status(self, session: Session) -> TerminologyStatus:
        """Which copy is in use and why (anyone who may list models; a read, not audited)."""
        self.ctx.begin(session, Permission.MODELS_LIST)
        return terminology_status(self.ctx.settings)

    def install(self, session: Session, path: Path, *, allow_older: bool = False,
                reason: str = "") -> TerminologyStatus:
        """Verify a terminology file and make it the site copy (admin, audited)."""
        self.ctx.begin(session, Permission.MODELS_MANAGE, object=path.name)
        folder = site.site_terminology_dir(self.ctx.settings)
        source = path.expanduser()
        try:
            candidate, check = site.check_candidate(folder, source, allow_older=allow_older,
                                                    reason=reason)
        except TerminologyError as exc:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "terminology.install",
                           outcome=Outcome.SERIOUS_FAILURE, object=source.name,
                           detail={"reason": "not verified", "message": str(exc)[:300]})
            raise
        if not check.allowed:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "terminology.install",
                           outcome=Outcome.MINOR_FAILURE, object=candidate.id,
                           detail={"reason": "not newer", "version": candidate.version,
                                   "installed": check.installed})
        installed = site.install(folder, source, check, user=session.username,
                                 when_iso=self.ctx.clock().isoformat(timespec="seconds"),
                                 reason=reason)
        self.ctx.audit(session, EventCode.SECURITY_ALERT if check.rollback else
                       EventCode.APPLICATION_ACTIVITY, "terminology.install", object=candidate.id,
                       detail={"version": candidate.version, "sha256": installed.sha256,
                               "replaced": check.installed,
                               "rollback_reason": reason.strip() if check.rollback else ""})
        return terminology_status(self.ctx.settings)
