"""The emergency session opened with custodians' recovery shares.

It holds both data keys but belongs to no account, so it can approve pending grant
requests (a reset clinician regains access) and nothing else. Failed attempts are
throttled like sign-ins; every attempt and use is a Security Alert (110113).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from clinic_app.core.clock import iso, parse_iso
from clinic_app.core.security import keywrap, recovery_split
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.generations import check_system
from clinic_app.core.security.roles import Role
from clinic_app.errors import AuthenticationError, StoreError
from clinic_app.i18n import translate
from clinic_app.services.session import Session

if TYPE_CHECKING:
    from clinic_app.services.auth import AuthService

INVALID = "The recovery shares are not valid, or fewer than the number needed were given."


def open_recovery_session(auth: AuthService, shares: Sequence[str]) -> Session:
    ctx = auth.ctx
    rec = ctx.keyring.recovery()
    now = ctx.clock()
    if rec is None:
        raise StoreError(translate("services", "This store has no recovery set up: a key-holding clinician sets it up "
                         "with 'clinic-app recovery setup'."))
    throttle_key = ctx.name_key("\x00recovery")
    throttle = ctx.keyring.throttle(throttle_key)
    if throttle.locked_until and parse_iso(throttle.locked_until) > now:
        raise AuthenticationError(auth._locked_message(parse_iso(throttle.locked_until)))
    if sum(len(s) for s in shares) > 20_000:
        raise AuthenticationError(INVALID)
    try:
        system_key, clinical_key = recovery_split.unlock(rec, shares)
    except keywrap.UnwrapFailed:
        ctx.keyring.queue_security_event(iso(now), "recovery.failure", "recovery",
                                         int(Outcome.SERIOUS_FAILURE))
        ctx.keyring.add_failure(throttle_key, ctx.settings.lockout_threshold,
                                iso(now + timedelta(minutes=ctx.settings.lockout_minutes)))
        raise AuthenticationError(INVALID) from None
    ctx.keyring.set_throttle(throttle_key, 0, None)
    system, audit = ctx.open_system(system_key)
    try:
        check_system(ctx.keyring, system, audit.head())
    except BaseException:
        system.close()
        raise
    session = Session(
        user_id="recovery", username="recovery-shares", role=Role.PHYSICIAN,
        must_change_password=False, system=system, audit=audit, last_activity=now,
        idle_timeout=ctx.idle_timeout, emergency=True, _system_key=bytearray(system_key))
    auth._attach_clinical_key(session, clinical_key)
    auth._flush_security_events(session)
    ctx.audit(session, EventCode.SECURITY_ALERT, "recovery.use",
              detail={"purpose": "emergency access", "shares_given": len(shares)})
    return session
