"""The audit chain detects edits, deletions, reordering and truncation; exports are safe."""

from __future__ import annotations

import csv
import io
import json

import pytest

from clinic_app.core.security.audit import AuditFilter, csv_safe
from clinic_app.core.security.roles import Role
from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import Keyring
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.services.session import Session
from tests.conftest import StoreFixture


def _with_entries(store: StoreFixture) -> Session:
    admin = store.login("admin")
    for name in ("alpha", "beta", "gamma"):
        store.services.accounts.add(admin, name, Role.ADMIN, "temporary-pass-123")
    return admin


def _raw(session: Session) -> Database:
    assert session.system is not None
    return session.system


def test_intact_chain_verifies(store: StoreFixture) -> None:
    """A chain nobody touched verifies, counting every entry."""
    admin = _with_entries(store)
    result = store.services.audit.verify(admin)
    assert result.ok and result.entries >= 8


def test_edited_entry_is_named(store: StoreFixture) -> None:
    """Changing one field of one entry breaks the chain at exactly that entry."""
    admin = _with_entries(store)
    _raw(admin).execute("UPDATE audit SET object = 'mallory' WHERE seq = 5")
    result = store.services.audit.verify(admin)
    assert not result.ok and result.first_bad_seq == 5 and "altered" in result.reason


def test_deleted_entry_is_named(store: StoreFixture) -> None:
    """Deleting an entry from the middle is reported at the gap."""
    admin = _with_entries(store)
    _raw(admin).execute("DELETE FROM audit WHERE seq = 4")
    result = store.services.audit.verify(admin)
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.reason


def test_deleted_and_renumbered_entry_is_detected(store: StoreFixture) -> None:
    """Deleting an entry and renumbering the rest to close the gap still breaks the chain."""
    admin = _with_entries(store)
    db = _raw(admin)
    with db.transaction():
        db.execute("DELETE FROM audit WHERE seq = 4")
        db.execute("UPDATE audit SET seq = seq - 1 WHERE seq > 4")
    result = store.services.audit.verify(admin)
    assert not result.ok and result.first_bad_seq == 4


def test_reordered_entries_are_detected(store: StoreFixture) -> None:
    """Swapping the contents of two entries (keeping their numbers) is reported."""
    admin = _with_entries(store)
    db = _raw(admin)
    rows = {r["seq"]: dict(r) for r in db.query("SELECT * FROM audit WHERE seq IN (3, 4)")}
    with db.transaction():
        for seq, other in ((3, 4), (4, 3)):
            src = rows[other]
            db.execute("UPDATE audit SET ts=?, action=?, object=?, detail=?, prev_mac=?, mac=? WHERE seq=?",
                       (src["ts"], src["action"], src["object"], src["detail"], src["prev_mac"],
                        src["mac"], seq))
    result = store.services.audit.verify(admin)
    assert not result.ok and result.first_bad_seq == 3


def test_truncated_tail_is_detected_from_the_checkpoint(store: StoreFixture) -> None:
    """Cutting the newest entries off leaves a valid prefix, but the head copy exposes it."""
    admin = _with_entries(store)
    db = _raw(admin)
    last = db.query_one("SELECT max(seq) AS m FROM audit")["m"]
    db.execute("DELETE FROM audit WHERE seq > ?", (last - 2,))
    result = store.services.audit.verify(admin)
    assert not result.ok and "truncated" in result.reason
    assert result.first_bad_seq == last - 1


def test_checkpoint_in_key_ring_moves_forward(store: StoreFixture) -> None:
    """Every append advances the head copy kept outside the system database."""
    admin = store.login("admin")
    ring = Keyring(store.root / "keyring.db")
    before = ring.audit_checkpoint()
    store.services.accounts.add(admin, "delta", Role.ADMIN, "temporary-pass-123")
    after = ring.audit_checkpoint()
    assert before is not None and after is not None and after[0] > before[0]


def test_csv_export_neutralises_formulas(store: StoreFixture) -> None:
    """Cells starting with = + - @ tab or CR are prefixed so spreadsheets show text."""
    for raw, safe in (("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
                      ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", "")):
        assert csv_safe(raw) == safe
    admin = store.login("admin")
    with pytest.raises(InvalidInput):
        store.services.accounts.add(admin, "=cmd", Role.ADMIN, "temporary-pass-123")
    _raw(admin).execute("UPDATE audit SET object = '=HYPERLINK(\"http://x\")' WHERE seq = 2")
    text = store.services.audit.export(admin, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["object"].startswith("'=")
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)


def test_json_export_includes_verification(store: StoreFixture) -> None:
    """JSON export carries every entry and the verification result."""
    admin = _with_entries(store)
    data = json.loads(store.services.audit.export(admin, "json"))
    assert data["verification"]["ok"] is True
    assert {"seq", "ts", "event_code", "user", "role", "outcome", "mac"} <= set(data["entries"][0])


def test_reading_the_log_is_itself_audited_and_admin_only(store: StoreFixture) -> None:
    """Audit reads appear in the log; clinicians are refused and the refusal is logged."""
    admin = store.login("admin")
    store.services.audit.entries(admin)
    rad = store.login("rad")
    with pytest.raises(PermissionDenied):
        store.services.audit.entries(rad)
    actions = [(e.action, e.user) for e in store.services.audit.entries(admin, AuditFilter())]
    assert ("audit.read", "admin") in actions and ("permission.denied", "rad") in actions


def test_entries_committed_together_hand_over_only_their_last_head(tmp_path) -> None:
    """The copy of the chain head gets the head each commit left, never an older one, and a
    rolled-back batch hands over nothing (its sequence numbers are used again)."""
    import os
    from datetime import UTC, datetime

    from clinic_app.core.security.audit import MIGRATIONS, AuditLog, AuditRecord, EventCode
    from clinic_app.core.store.database import migrate

    db = Database(tmp_path / "system.db", os.urandom(32), create=True, label="system")
    migrate(db, "audit", MIGRATIONS)
    copies: list[tuple[int, bytes]] = []
    log = AuditLog(db, os.urandom(32), on_append=lambda seq, mac: copies.append((seq, mac)))
    record = AuditRecord(EventCode.IMPORT, "records.import.patient", "dr.lee", "physician")
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    log.append(record, when)
    assert copies == [log.head()]
    with db.transaction():
        for _ in range(5):
            log.append(record, when)
        assert copies == [(1, copies[0][1])]  # nothing before the commit
    assert copies[-1] == log.head() == (6, copies[-1][1]) and len(copies) == 2
    with pytest.raises(RuntimeError), db.transaction():
        log.append(record, when)
        log.append(record, when)
        raise RuntimeError("rolled back")
    assert len(copies) == 2
    log.append(record, when)
    assert copies[-1] == log.head() and copies[-1][0] == 7 and len(copies) == 3
    assert log.verify().ok
