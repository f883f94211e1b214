"""First sign-in: the person's own key pair, and their grant request.

IT creates or resets an account with a temporary password that unwraps only the system
key (IT's own). At the first sign-in the person sets a password only they know; the app
then makes their X25519 key pair under it and destroys the enrolment record. A clinician
then either creates the clinical key (the very first one in the store) or files a grant
request, which a key holder approves after comparing the key's fingerprint with the one on
the requester's screen. Nothing is granted as a side effect.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from clinic_app.core.clock import iso
from clinic_app.core.security import keywrap
from clinic_app.core.security.accounts import AccountRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.credentials import fingerprint, make_key_record
from clinic_app.core.store.database import Database
from clinic_app.services.keyring_changes import keyring_change
from clinic_app.services.session import Session

if TYPE_CHECKING:
    from clinic_app.services.auth import AuthService

log = logging.getLogger("clinic_app.auth")

CLINICAL_KEY_SETTING = "clinical_key"


def clinical_key_exists(auth: AuthService, system: Database) -> bool:
    """Whether some clinician already created the clinical key (and so clinical.db)."""
    if AccountRepository(system).get_setting(CLINICAL_KEY_SETTING) is not None:
        return True
    clinical = auth.ctx.layout.clinical
    if not clinical.exists():
        return False
    if auth.ctx.keyring.any_sealed_clinical() or auth.ctx.keyring.recovery() is not None:
        return True  # a store made before key custody, or by a completed first enrolment
    # A clinical.db nobody can open (a first enrolment that crashed before its commit):
    # set it aside, visibly, rather than leave every clinician waiting for a grant.
    aside = clinical.with_name(f"clinical.db.orphaned-{auth.ctx.clock():%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        src = clinical.with_name(clinical.name + suffix)
        if src.exists():
            src.rename(aside.with_name(aside.name + suffix))
    log.warning("set aside a clinical database left by an interrupted first enrolment")
    return False


def complete_enrolment(auth: AuthService, session: Session, password: str,
                       system_key: bytes) -> None:
    """Make the user's key pair under ``password`` (already checked) and leave enrolment."""
    ctx = auth.ctx
    assert session.system is not None
    accounts = AccountRepository(session.system)
    private, public = keywrap.new_keypair()
    now = ctx.clock()
    stamp = iso(now)
    clinical_key: bytes | None = None
    state = "none (admin)"
    with keyring_change(ctx.keyring, session.system, now) as ops:
        if session.role.is_clinician:
            if clinical_key_exists(auth, session.system):
                accounts.add_grant(session.user_id, stamp, session.username, public)
                state = "requested"
            else:
                clinical_key = keywrap.new_data_key()
                accounts.set_setting(CLINICAL_KEY_SETTING, {"created_by": session.username,
                                                            "created_at": stamp})
                state = "created"
        rec = make_key_record(session.user_id, session.username, session.role, password,
                              system_key, auth.fresh_kdf(), keypair=(private, public),
                              clinical_key=clinical_key)
        ops.put_user(rec)
        ops.delete_enrolment(session.user_id)
        accounts.update(session.user_id, must_change=False, public_key=public,
                        password_changed_at=stamp)
        session.fingerprint = fingerprint(public)
        ctx.audit(session, EventCode.SECURITY_ALERT, "enrol.complete",
                  detail={"key_fingerprint": session.fingerprint, "clinical_key": state})
        if clinical_key is not None:
            # Created inside the system transaction: if this fails, nothing is committed.
            clinical, _blobs = ctx.open_clinical(clinical_key, create=True)
            clinical.close()
    session.enrolling = False
    session.must_change_password = False
    session.password_stamp = stamp
    if clinical_key is not None:
        auth._attach_clinical_key(session, clinical_key)
