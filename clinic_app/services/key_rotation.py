"""Clinical-key rotation (core/store/rotation.py), run by a key holder, asked for by IT.

IT cannot rotate the key: it never holds it. After disabling a clinician (or when the site's
rotation interval has passed), IT records a request; the next key holder runs the rotation,
from the CLI (``keys rotate``) or the GUI, while the store stays in use. The new key is
sealed only to the clinicians who hold the key and are active when the rotation starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from clinic_app.core.clock import iso
from clinic_app.core.imaging.index import BLOB_KIND
from clinic_app.core.inference.finding_store import HEATMAP_BLOB
from clinic_app.core.security import keywrap
from clinic_app.core.security.accounts import AccountRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.credentials import seal_ad
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.store import rotation
from clinic_app.core.store.store_lock import StoreLock
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

#: Every kind of blob the application writes (bound into each blob's associated data).
BLOB_KINDS = (BLOB_KIND, HEATMAP_BLOB)
REQUEST_META = "rotation_requested"
CLINICIAN_ROLES = (Role.RADIOLOGIST, Role.PHYSICIAN)


@dataclass(frozen=True)
class RotationStatus:
    in_progress: bool
    phase: str
    started_at: str
    started_by: str
    requested: str           # "" or "<time> by <admin>: <reason>"
    blobs_left: int | None   # None when the caller cannot count (no clinical key)


@dataclass(frozen=True)
class RotationReport:
    clinicians: int
    blobs: int
    unreadable: int
    database_bytes: int
    seconds: float


class KeyRotationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def status(self, session: Session) -> RotationStatus:
        self.ctx.begin(session, Permission.SYSTEM_INFO)
        current = rotation.state(self.ctx.keyring)
        left = None
        if session.has_clinical_key and session.blobs is not None:
            left = len(rotation.blobs_under(self.ctx.layout, session.blobs.key_id))
        return RotationStatus(current is not None, current.phase if current else "",
                              current.started_at if current else "", current.started_by if current else "",
                              self.ctx.keyring.get_meta(REQUEST_META) or "", left)

    def request(self, session: Session, reason: str) -> None:
        """IT asks the key holders to rotate (after a disable, or by policy); audited."""
        self.ctx.begin(session, Permission.USERS_MANAGE)
        if not reason.strip():
            raise InvalidInput(translate("services", "Say why the key should be rotated (for example: 'dr.x "
                                                     "left')."))
        text = f"{iso(self.ctx.clock())} by {session.username}: {reason.strip()[:200]}"
        self.ctx.keyring.set_meta(REQUEST_META, text)
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "keys.rotation_requested", detail={"reason": reason[:200]})

    def rotate(self, session: Session, *, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> RotationReport:
        """Start or resume a rotation and carry it to the end (see core/store/rotation.py)."""
        ctx = self.ctx
        ctx.begin(session, Permission.KEYS_ROTATE)
        if not session.has_clinical_key or session.clinical is None or session.blobs is None:
            raise PermissionDenied(translate("services", "Only a clinician who holds the key to patient data "
                                                         "can rotate it."))
        started = time.perf_counter()
        keyring, layout = ctx.keyring, ctx.layout
        current = rotation.state(keyring)
        if current is None:
            new_key, clinicians = self._start(session)
        else:
            if session._rotation_key is None:
                raise InvalidInput(
                    translate(
                        "services",
                        "A key rotation is in progress that this session did not join; sign in again to continue it.",
                    )
                )
            new_key = bytes(session._rotation_key)
            clinicians = -1
        new_blobs = rotation.blob_store_for(layout, new_key)
        old_blobs = session.blobs
        count, unreadable = rotation.reencrypt_blobs(layout, old_blobs, new_blobs, BLOB_KINDS,
                                                     progress=progress, cancelled=cancelled)
        rotating = layout.clinical.with_name(layout.clinical.name + rotation.ROTATING_SUFFIX)
        with StoreLock(layout.root).hold(exclusive=True):
            more, lost = rotation.reencrypt_blobs(layout, old_blobs, new_blobs, BLOB_KINDS)
            rotation.export_database(session.clinical, rotating, new_key)
            size = rotating.stat().st_size
            rotation.mark_switch(keyring)
            session.clinical.close()
            rotation.replace_database(layout)
            rotation.finish(keyring, self._still_current(session))
            keyring.set_meta(REQUEST_META, "")
        clinical, blobs = ctx.open_clinical(new_key)
        session.clinical, session.blobs = clinical, blobs
        session._clinical_key = bytearray(new_key)
        session._rotation_key = None
        report = RotationReport(clinicians, count + more, len(unreadable) + len(lost), size,
                                time.perf_counter() - started)
        ctx.audit(session, EventCode.SECURITY_ALERT, "keys.rotate",
                  detail={"clinicians": report.clinicians, "blobs": report.blobs,
                          "unreadable_blobs": report.unreadable, "seconds": round(report.seconds, 1)})
        return report

    def _start(self, session: Session) -> tuple[bytes, int]:
        ctx = self.ctx
        new_key = keywrap.new_data_key()
        seals = {}
        assert session.system is not None and session.clinical is not None
        for account in AccountRepository(session.system).all():
            rec = ctx.keyring.user_by_id(account.user_id)
            if account.active and account.role in CLINICIAN_ROLES and rec is not None \
                    and rec.sealed_clinical is not None:
                seals[account.user_id] = keywrap.seal(rec.public_key, new_key, seal_ad(account.user_id, account.role))
        rotation.keep_lineage(session.clinical, session.clinical_key)
        rotation.start(ctx.keyring, seals, new_key, iso(ctx.clock()), session.username)
        session._rotation_key = bytearray(new_key)
        assert session.blobs is not None
        session.blobs.also_read(keywrap.derive_subkey(new_key, "blobs-v1"), rotation.blob_key_id(new_key))
        ctx.audit(session, EventCode.SECURITY_ALERT, "keys.rotate.start", detail={"clinicians": len(seals)})
        return new_key, len(seals)

    def _still_current(self, session: Session) -> set[str]:
        """Those sealed into the rotation who are still active clinicians now."""
        assert session.system is not None
        return {a.user_id for a in AccountRepository(session.system).all()
                if a.active and a.role in CLINICIAN_ROLES}
