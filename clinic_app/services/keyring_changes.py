"""Crash-safe key-ring changes: a two-phase intent record.

The key ring (plain SQLite) and the system store (SQLCipher) are two files, so one change
to an account (create, reset, role change, disable, enrolment, grant) cannot commit in
one transaction. Instead:

1. the key-ring operations are written to the key ring as an *intent*;
2. the system-store transaction commits, marking the intent applied inside it;
3. the operations are applied to the key ring in one key-ring transaction, and the
   intent removed.

A crash between 1 and 2 leaves an intent the system store never marked: it is dropped
(undone) at the next sign-in. A crash between 2 and 3 leaves a marked intent: it is
completed at the next sign-in. Either way no orphan rows, no lost keys, and the audit head
copy is advanced only after the outer commit (``Database.after_commit``), so there is no
false tamper alarm.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, assert_never

from clinic_app.core.clock import iso
from clinic_app.core.security.accounts import AccountRepository
from clinic_app.core.store.database import Database
from clinic_app.core.store.keyring import EnrolmentRecord, KeyRecord, Keyring


class KeyringOp(StrEnum):
    """One key-ring operation of an intent; the values are what the stored intent holds, so a
    crash-time intent written by an older version still reads back (never rename them)."""

    PUT_USER = "put_user"
    DELETE_USER = "delete_user"
    PUT_ENROLMENT = "put_enrolment"
    DELETE_ENROLMENT = "delete_enrolment"
    SET_SEALED = "set_sealed"
    CLEAR_THROTTLE = "clear_throttle"


@dataclass
class KeyringOps:
    """What the key ring becomes once the system store has committed."""

    ops: list[dict[str, Any]] = field(default_factory=list)

    def put_user(self, rec: KeyRecord) -> None:
        self.ops.append({"op": KeyringOp.PUT_USER, "rec": _encode(asdict(rec))})

    def delete_user(self, user_id: str) -> None:
        self.ops.append({"op": KeyringOp.DELETE_USER, "user_id": user_id})

    def put_enrolment(self, rec: EnrolmentRecord) -> None:
        self.ops.append({"op": KeyringOp.PUT_ENROLMENT, "rec": _encode(asdict(rec))})

    def delete_enrolment(self, user_id: str) -> None:
        self.ops.append({"op": KeyringOp.DELETE_ENROLMENT, "user_id": user_id})

    def set_sealed(self, user_id: str, sealed: bytes | None) -> None:
        self.ops.append({"op": KeyringOp.SET_SEALED, "user_id": user_id,
                         "sealed": None if sealed is None else base64.b64encode(sealed).decode()})

    def clear_throttle(self, name_key: str) -> None:
        self.ops.append({"op": KeyringOp.CLEAR_THROTTLE, "name_key": name_key})


def _encode(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: {"b64": base64.b64encode(v).decode()} if isinstance(v, bytes) else v
            for k, v in rec.items()}


def _decode(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: base64.b64decode(v["b64"]) if isinstance(v, dict) else v for k, v in rec.items()}


def _apply(keyring: Keyring, ops: list[dict[str, Any]]) -> None:
    for op in ops:
        kind = KeyringOp(op["op"])  # ValueError for an operation this version does not know
        if kind is KeyringOp.PUT_USER:
            keyring.put_user(KeyRecord(**_decode(op["rec"])))
        elif kind is KeyringOp.DELETE_USER:
            keyring.delete_user(op["user_id"])
        elif kind is KeyringOp.PUT_ENROLMENT:
            keyring.put_enrolment(EnrolmentRecord(**_decode(op["rec"])))
        elif kind is KeyringOp.DELETE_ENROLMENT:
            keyring.delete_enrolment(op["user_id"])
        elif kind is KeyringOp.SET_SEALED:
            sealed = op["sealed"]
            keyring.set_sealed_clinical(op["user_id"],
                                        None if sealed is None else base64.b64decode(sealed))
        elif kind is KeyringOp.CLEAR_THROTTLE:
            keyring.set_throttle(op["name_key"], 0, None)
        else:  # the type checker proves every operation has a branch
            assert_never(kind)


@contextmanager
def keyring_change(keyring: Keyring, system: Database, now: Any) -> Iterator[KeyringOps]:
    """Collect key-ring operations inside one system transaction, then apply them in two
    phases. The caller fills the yielded ops and does its system writes in the block."""
    ops = KeyringOps()
    intent_id = "i-" + secrets.token_hex(8)
    accounts = AccountRepository(system)
    with system.transaction():
        yield ops
        keyring.add_intent(intent_id, iso(now), json.dumps(ops.ops))
        accounts.mark_intent_applied(intent_id, iso(now))
        system.after_commit(lambda: _finish(keyring, intent_id, ops.ops))
    # A failed commit leaves the intent unmarked; the next sign-in drops it.


def _finish(keyring: Keyring, intent_id: str, ops: list[dict[str, Any]]) -> None:
    with keyring.transaction():
        _apply(keyring, ops)
        keyring.drop_intent(intent_id)


def resolve_intents(keyring: Keyring, system: Database) -> int:
    """At sign-in: complete intents the system store committed, drop the others."""
    accounts = AccountRepository(system)
    done = 0
    for intent_id, text in keyring.intents():
        if accounts.intent_applied(intent_id):
            _finish(keyring, intent_id, json.loads(text))
            done += 1
        else:
            keyring.drop_intent(intent_id)
    return done
