"""Security events seen before anyone signed in (failed logins, lockouts, recovery failures).

They happen without a key to write the audit log, so they wait in the key ring and move
into the chain at the next sign-in. Unknown typed names are queued only as keyed hashes
(people type passwords into the user-name field). No key protected the queue, so anyone
with write access to the key ring could have added an event: each enters the chain marked
``authenticated: false``. Event ids never repeat, and the system store records the last one
moved, so a deleted event leaves a gap that is reported as a Security Alert.
"""

from __future__ import annotations

import json

from clinic_app.core.security.audit import AuditRecord, EventCode, Outcome
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


def flush_security_events(ctx: ServiceContext, session: Session) -> None:
    """Move queued pre-authentication events into the audit chain, marked as such: no
    key protected them while they waited, so anyone with write access to the key ring
    could have added one. A deleted one leaves a gap in their ids, reported as an alert."""
    keyring = ctx.keyring
    events = keyring.security_events()
    if session.audit is None or session.system is None:
        return
    high = keyring.security_events_high_water()
    row = session.system.query_one("SELECT value FROM store_generations WHERE name = 'preauth'")
    expected = int(row["value"]) + 1 if row else 1
    with session.system.transaction():
        for ev in events:
            ev_id = int(str(ev["id"]))
            if ev_id > expected:
                _gap(ctx, session, expected, ev_id - 1)
            expected = max(expected, ev_id + 1)
            code = (EventCode.SECURITY_ALERT if ev["action"] == "account.lockout"
                    else EventCode.USER_AUTHENTICATION)
            detail = json.loads(str(ev["detail"]))
            detail.update(observed_at=ev["ts"], authenticated=False, queued_id=ev_id)
            session.audit.append(AuditRecord(code, str(ev["action"]), str(ev["username"]), "",
                                             Outcome(int(str(ev["outcome"]))), detail=detail),
                                 ctx.clock())
        if high >= expected:
            _gap(ctx, session, expected, high)
            expected = high + 1
        session.system.execute(
            "INSERT INTO store_generations(name, value) VALUES ('preauth', ?) ON CONFLICT(name)"
            " DO UPDATE SET value = max(value, excluded.value)", (expected - 1,))
        ids = [int(str(ev["id"])) for ev in events]
        session.system.after_commit(lambda: keyring.delete_security_events(ids))

def _gap(ctx: ServiceContext, session: Session, first: int, last: int) -> None:
    ctx.audit(session, EventCode.SECURITY_ALERT, "preauth.gap",
                   outcome=Outcome.SERIOUS_FAILURE,
                   detail={"missing_queued_ids": f"{first}-{last}",
                           "meaning": "failed sign-ins recorded before login were deleted "
                                      "from the key ring"})

