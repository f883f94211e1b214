"""Backup, restore and blob collection: IT's operations on the store as a whole.

Backup copies ciphertext and needs no clinical key, so IT runs it; what it writes is as
encrypted as the store. Restore puts a verified backup into an empty folder and then proves
the restoring admin's password against the backup's own key ring before the restored store
is kept. Blob collection is split by what the caller can prove (core/store/blob_gc.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from clinic_app import __version__
from clinic_app.config import Settings
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.store import backup as store_backup
from clinic_app.core.store.blob_gc import GcReport, collect
from clinic_app.core.store.keyring import SEEN_CLINICAL
from clinic_app.errors import AuthenticationError, ClinicAppError
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


class StoreAdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def backup(self, session: Session, target: Path,
               progress: store_backup.Progress | None = None) -> store_backup.BackupReport:
        """A consistent online backup of the whole store into ``target`` (incremental)."""
        self.ctx.begin(session, Permission.STORE_BACKUP)
        try:
            report = store_backup.backup(self.ctx.settings.store_dir, target, app_version=__version__,
                                         now=self.ctx.clock(), generations=self._generations,
                                         progress=progress)
        except ClinicAppError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "store.backup", outcome=Outcome.SERIOUS_FAILURE,
                           detail={"error": type(exc).__name__})
            raise
        self.ctx.audit(session, EventCode.EXPORT, "store.backup",
                       detail={"set": report.set_name, "blobs": report.blobs_total,
                               "blobs_copied": report.blobs_copied, "bytes_copied": report.bytes_copied})
        return report

    def gc(self, session: Session, *, dry_run: bool) -> GcReport:
        """Remove unreferenced blob files: temporary leftovers always, orphans with the clinical key."""
        self.ctx.begin(session, Permission.STORE_GC)
        clinical = session.clinical if session.has_clinical_key else None
        report = collect(self.ctx.settings.store_dir, self.ctx.layout.blobs, clinical, dry_run=dry_run)
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "store.gc",
                       detail={"dry_run": dry_run, "temp_files": report.temp_files, "orphans": report.orphans,
                               "removed": report.removed, "removed_bytes": report.removed_bytes})
        return report

    def _generations(self) -> dict[str, int]:
        """The counters rollback detection compares (core/security/generations.py), as the key
        ring holds them at the moment of the copy: recorded so IT can tell which backup is newer."""
        keyring = self.ctx.keyring
        checkpoint = keyring.audit_checkpoint()
        return {"keyring": keyring.generation(),
                "audit_head": checkpoint[0] if checkpoint else 0,
                "clinical_seen": int(keyring.get_meta(SEEN_CLINICAL) or 0)}


def restore(settings: Settings, source: Path, username: str, password: str, *,
            set_name: str | None = None, progress: store_backup.Progress | None = None) -> tuple[str, int]:
    """Restore a verified backup into the empty store folder of ``settings``.

    The admin signs in against the restored key ring before the store is kept; a wrong
    password or a non-admin account removes what was restored. Returns (set, blob count).
    """
    from clinic_app.services import Services  # the composition root; imported late to avoid a cycle

    root = settings.store_dir
    name, manifest = store_backup.restore(source, root, set_name=set_name, progress=progress)
    services = Services(settings)
    try:
        session = services.auth.login(username, password)
        if session.role is not Role.ADMIN:
            raise AuthenticationError(translate("services", "Only an administrator of the backed-up store "
                                                            "can restore it."))
        services.ctx.audit(session, EventCode.IMPORT, "store.restore",
                           detail={"set": name, "blobs": len(manifest.blobs), "from_store": manifest.store_id[:8]})
        services.auth.logout(session)
    except BaseException:
        services.close()
        shutil.rmtree(root, ignore_errors=True)
        raise
    services.close()
    return name, len(manifest.blobs)
