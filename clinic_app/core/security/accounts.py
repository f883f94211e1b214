"""Account records in the encrypted system store: the authority on status and role.

The key ring says how to unwrap an account's keys; this table says whether the account
may be used. It is written only with the system key, so editing the plaintext key ring
cannot re-enable a disabled account or promote one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic_app.core.security.roles import Role
from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE accounts (
        user_id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        must_change INTEGER NOT NULL DEFAULT 1,
        public_key BLOB NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        last_login_at TEXT,
        password_changed_at TEXT
    );
    CREATE TABLE grants (
        user_id TEXT PRIMARY KEY REFERENCES accounts(user_id),
        requested_at TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        public_key BLOB NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
    # Key custody (issue 13): who last created or reset an account, approvals collected
    # for a grant request, the other stores' counters, and two-phase key-ring changes.
    """
    ALTER TABLE accounts ADD COLUMN managed_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE grants ADD COLUMN approvals TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE store_generations (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE applied_intents (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)
    """,
]


@dataclass(frozen=True)
class Account:
    user_id: str
    username: str
    role: Role
    status: str
    must_change: bool
    public_key: bytes
    created_at: str
    created_by: str
    last_login_at: str | None
    password_changed_at: str | None
    managed_by: str = ""

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class PendingGrant:
    """A clinician's request for the clinical key, filed at their own first sign-in.

    ``requested_by`` is the requester; ``managed_by`` the admin who created or last reset
    the account (shown to the approver: a request on an account IT just reset deserves a
    phone call)."""

    user_id: str
    username: str
    role: Role
    requested_at: str
    requested_by: str
    public_key: bytes
    managed_by: str = ""
    approvals: tuple[str, ...] = ()


def _account(row: Any) -> Account:
    return Account(
        user_id=row["user_id"], username=row["username"], role=Role(row["role"]),
        status=row["status"], must_change=bool(row["must_change"]),
        public_key=bytes(row["public_key"]), created_at=row["created_at"],
        created_by=row["created_by"], last_login_at=row["last_login_at"],
        password_changed_at=row["password_changed_at"], managed_by=row["managed_by"],
    )


class AccountRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def by_name(self, username: str) -> Account | None:
        row = self.db.query_one("SELECT * FROM accounts WHERE username = ?", (username,))
        return None if row is None else _account(row)

    def by_id(self, user_id: str) -> Account | None:
        row = self.db.query_one("SELECT * FROM accounts WHERE user_id = ?", (user_id,))
        return None if row is None else _account(row)

    def all(self) -> list[Account]:
        return [_account(r) for r in self.db.query("SELECT * FROM accounts ORDER BY username")]

    def insert(self, acc: Account) -> None:
        self.db.execute(
            "INSERT INTO accounts(user_id, username, role, status, must_change, public_key,"
            " created_at, created_by, last_login_at, password_changed_at, managed_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (acc.user_id, acc.username, acc.role.value, acc.status, int(acc.must_change),
             acc.public_key, acc.created_at, acc.created_by, acc.last_login_at,
             acc.password_changed_at, acc.managed_by),
        )

    def update(self, user_id: str, **fields: Any) -> None:
        allowed = {"role", "status", "must_change", "public_key", "last_login_at",
                   "password_changed_at", "managed_by"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values = [v.value if isinstance(v, Role) else (int(v) if isinstance(v, bool) else v)
                  for v in fields.values()]
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE accounts SET {sets} WHERE user_id = ?", (*values, user_id))  # noqa: S608

    # -- grants ------------------------------------------------------------------------
    def add_grant(self, user_id: str, requested_at: str, requested_by: str, public_key: bytes) -> None:
        self.db.execute(
            "INSERT INTO grants(user_id, requested_at, requested_by, public_key) VALUES (?,?,?,?) "
            "ON CONFLICT(user_id) DO UPDATE SET requested_at=excluded.requested_at,"
            " requested_by=excluded.requested_by, public_key=excluded.public_key",
            (user_id, requested_at, requested_by, public_key))

    def remove_grant(self, user_id: str) -> None:
        self.db.execute("DELETE FROM grants WHERE user_id = ?", (user_id,))

    def pending_grants(self) -> list[PendingGrant]:
        rows = self.db.query(
            "SELECT g.user_id, a.username, a.role, g.requested_at, g.requested_by, g.public_key,"
            " a.managed_by, g.approvals FROM grants g JOIN accounts a USING (user_id)"
            " WHERE a.status = 'active' ORDER BY g.requested_at")
        return [PendingGrant(r["user_id"], r["username"], Role(r["role"]), r["requested_at"],
                             r["requested_by"], bytes(r["public_key"]), r["managed_by"],
                             tuple(json.loads(r["approvals"]))) for r in rows]

    def set_approvals(self, user_id: str, approvals: tuple[str, ...]) -> None:
        self.db.execute("UPDATE grants SET approvals = ? WHERE user_id = ?",
                        (json.dumps(list(approvals)), user_id))

    # -- two-phase key-ring changes ------------------------------------------------------
    def mark_intent_applied(self, intent_id: str, at: str) -> None:
        self.db.execute("INSERT INTO applied_intents(id, applied_at) VALUES (?, ?)", (intent_id, at))

    def intent_applied(self, intent_id: str) -> bool:
        return self.db.query_one("SELECT 1 FROM applied_intents WHERE id = ?", (intent_id,)) is not None

    # -- settings ------------------------------------------------------------------------
    def get_setting(self, key: str) -> Any:
        row = self.db.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else json.loads(row["value"])

    def set_setting(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
            " value = excluded.value", (key, json.dumps(value)))

    def all_settings(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self.db.query("SELECT * FROM settings")}
