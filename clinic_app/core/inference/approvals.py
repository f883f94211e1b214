"""Admin decisions about model packages (system store: IT's domain, no patient data).

* An **approval** lets one exact *unsigned* package run: it names the canonical manifest
  SHA-256, which covers every file's hash, so changing any byte of the package voids it.
* A **disabled** mark switches a package off by its *id*, whatever its trust (shipped,
  signed, approved) and whichever version is installed, until an admin enables it again:
  IT decides which models run, and a new version of a model IT switched off must not
  switch itself back on.

Both are audited by the service that calls these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from clinic_app.core.clock import iso, parse_iso

if TYPE_CHECKING:  # annotations only; a calculator call opens no store
    from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE model_approvals (
        manifest_sha256 TEXT PRIMARY KEY,
        package_id TEXT NOT NULL,
        version TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        approved_at TEXT NOT NULL,
        reason TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE model_disabled (
        package_id TEXT PRIMARY KEY,
        disabled_by TEXT NOT NULL,
        disabled_at TEXT NOT NULL,
        reason TEXT NOT NULL
    )
    """,
]


@dataclass(frozen=True)
class Approval:
    manifest_sha256: str
    package_id: str
    version: str
    approved_by: str
    approved_at: datetime
    reason: str


def approve(db: Database, manifest_sha256: str, package_id: str, version: str, user: str,
            when: datetime, reason: str) -> None:
    db.execute("INSERT INTO model_approvals VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(manifest_sha256) "
               "DO UPDATE SET approved_by = excluded.approved_by, approved_at = excluded.approved_at, "
               "reason = excluded.reason",
               (manifest_sha256, package_id, version, user, iso(when), reason))


def approvals(db: Database) -> list[Approval]:
    return [Approval(r["manifest_sha256"], r["package_id"], r["version"], r["approved_by"],
                     parse_iso(r["approved_at"]), r["reason"])
            for r in db.query("SELECT * FROM model_approvals ORDER BY approved_at")]


def revoke(db: Database, manifest_sha256: str) -> bool:
    """Withdraw an approval; True if there was one."""
    with db.transaction():
        found = db.query_one("SELECT 1 FROM model_approvals WHERE manifest_sha256 = ?",
                             (manifest_sha256,)) is not None
        db.execute("DELETE FROM model_approvals WHERE manifest_sha256 = ?", (manifest_sha256,))
    return found


@dataclass(frozen=True)
class Disabled:
    """A package id an admin switched off: it is listed, never loaded."""

    package_id: str
    disabled_by: str
    disabled_at: datetime
    reason: str

    def describe(self) -> str:
        """"disabled by admin at 2026-11-30 14:05 UTC" (what lists and refusals say)."""
        when = self.disabled_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"disabled by {self.disabled_by} at {when}"


def disable(db: Database, package_id: str, user: str, when: datetime, reason: str) -> None:
    db.execute("INSERT INTO model_disabled VALUES (?, ?, ?, ?) ON CONFLICT(package_id) DO UPDATE "
               "SET disabled_by = excluded.disabled_by, disabled_at = excluded.disabled_at, "
               "reason = excluded.reason", (package_id, user, iso(when), reason))


def enable(db: Database, package_id: str) -> bool:
    """Remove the disabled mark; True if there was one."""
    with db.transaction():
        found = db.query_one("SELECT 1 FROM model_disabled WHERE package_id = ?",
                             (package_id,)) is not None
        db.execute("DELETE FROM model_disabled WHERE package_id = ?", (package_id,))
    return found


def disabled(db: Database) -> dict[str, Disabled]:
    """Every disabled package id with who switched it off, when and why."""
    return {r["package_id"]: Disabled(r["package_id"], r["disabled_by"],
                                      parse_iso(r["disabled_at"]), r["reason"])
            for r in db.query("SELECT * FROM model_disabled ORDER BY package_id")}
