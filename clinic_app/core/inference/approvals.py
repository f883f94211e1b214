"""Admin approvals of unsigned model packages (system store: IT's domain, no patient data).

An approval names one exact package: its canonical manifest SHA-256, which covers every
file's hash, so changing any byte of the package voids it. Approving and revoking are
audited by the service that calls these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.core.clock import iso, parse_iso
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
