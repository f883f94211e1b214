"""A tamper-evident audit log: an HMAC chain after Schneier & Kelsey (1998).

Every entry's MAC covers its own fields, its sequence number and the previous entry's
MAC, so editing, deleting or reordering any entry breaks the chain at that entry.
Cutting entries off the end leaves a valid-looking shorter chain, so the head (sequence
number and MAC) is also copied to the key ring after every append; verification compares
the chain against that copy and any exported checkpoint.

Event codes follow DICOM PS3.15 Annex A.5 / IHE ATNA. Patient ids and study UIDs are
stored as keyed pseudonyms (HMAC under a key derived from the clinical key): the log
lives in the system store, which IT reads, and IT must not see patient identifiers.
Clinicians can compute the pseudonym of a given MRN to search for it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

from clinic_app.core.clock import iso
from clinic_app.core.store.database import Database

MIGRATIONS = [
    """
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        event_code TEXT NOT NULL,
        action TEXT NOT NULL,
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        outcome INTEGER NOT NULL,
        patient TEXT NOT NULL DEFAULT '',
        study TEXT NOT NULL DEFAULT '',
        object TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}',
        prev_mac BLOB NOT NULL,
        mac BLOB NOT NULL
    );
    CREATE INDEX audit_ts ON audit(ts);
    CREATE INDEX audit_user ON audit(user);
    CREATE INDEX audit_patient ON audit(patient)
    """,
]

GENESIS = b"\x00" * 32


class Outcome(IntEnum):
    SUCCESS = 0
    MINOR_FAILURE = 4
    SERIOUS_FAILURE = 8
    MAJOR_FAILURE = 12


class EventCode:
    """DCM codes (PS3.16 CID 400/401) used for entries."""

    APPLICATION_ACTIVITY = "110100"
    AUDIT_LOG_USED = "110101"
    BEGIN_TRANSFERRING = "110102"
    DICOM_INSTANCES_ACCESSED = "110103"
    DICOM_INSTANCES_TRANSFERRED = "110104"
    EXPORT = "110106"
    IMPORT = "110107"
    PATIENT_RECORD = "110110"
    QUERY = "110112"
    SECURITY_ALERT = "110113"
    USER_AUTHENTICATION = "110114"
    # Event type codes refining 110114
    LOGIN = "110122"
    LOGOUT = "110123"

    NAMES: ClassVar[dict[str, str]] = {
        "110100": "Application Activity",
        "110101": "Audit Log Used",
        "110103": "DICOM Instances Accessed",
        "110106": "Export",
        "110107": "Import",
        "110110": "Patient Record",
        "110113": "Security Alert",
        "110102": "Begin Transferring DICOM Instances",
        "110104": "DICOM Instances Transferred",
        "110112": "Query",
        "110114": "User Authentication",
    }


@dataclass(frozen=True)
class AuditRecord:
    """What a service asks to log. ``detail`` must never hold patient data."""

    event_code: str
    action: str
    user: str
    role: str
    outcome: Outcome = Outcome.SUCCESS
    patient: str = ""
    study: str = ""
    object: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    event_code: str
    action: str
    user: str
    role: str
    outcome: int
    patient: str
    study: str
    object: str
    detail: dict[str, Any]
    prev_mac: bytes
    mac: bytes

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["prev_mac"] = self.prev_mac.hex()
        out["mac"] = self.mac.hex()
        out["event"] = EventCode.NAMES.get(self.event_code, self.event_code)
        return out


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"Audit chain intact: {self.entries} entries verified."
        return f"Audit chain BROKEN at entry {self.first_bad_seq}: {self.reason}"


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    patient: str | None = None
    event_code: str | None = None
    outcome: int | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """Stable, keyed, non-reversible token for a patient id or study UID."""
    if not value:
        return ""
    digest = hmac.new(key, f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0]}-{digest[:20]}"


def _mac(key: bytes, seq: int, ts: str, rec: AuditRecord | AuditEntry, prev: bytes) -> bytes:
    body = json.dumps(
        [seq, ts, rec.event_code, rec.action, rec.user, rec.role, int(rec.outcome),
         rec.patient, rec.study, rec.object, rec.detail],
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    ).encode()
    return hmac.new(key, body + prev, hashlib.sha256).digest()


class AuditLog:
    """Append and verify entries in the system database.

    ``on_append`` receives the new head (seq, mac) after the outermost transaction has
    committed, so the caller can copy it elsewhere without ever running ahead of the log.
    Entries committed together hand over only the last head: the copy only moves forward,
    and an import's 1,000 per-patient entries took 1,000 key-ring writes, each behind the
    store lock, to reach the same copy. ``in_commit`` runs inside the append's transaction
    (to record other stores' counters in the same commit).
    """

    def __init__(self, db: Database, mac_key: bytes,
                 on_append: Callable[[int, bytes], None] | None = None,
                 in_commit: Callable[[int], None] | None = None) -> None:
        self.db = db
        self._key = mac_key
        self._on_append = on_append
        self._in_commit = in_commit
        #: the newest entry appended (rolled-back entries' numbers are reused, so this is
        #: set, never maxed): an older entry's after-commit copy leaves the head to it
        self._newest = 0

    def append(self, record: AuditRecord, ts: datetime) -> AuditEntry:
        stamp = iso(ts)
        with self.db.transaction():
            last = self.db.query_one("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
            seq = 1 if last is None else int(last["seq"]) + 1
            prev = GENESIS if last is None else bytes(last["mac"])
            mac = _mac(self._key, seq, stamp, record, prev)
            self.db.execute(
                "INSERT INTO audit(seq, ts, event_code, action, user, role, outcome, patient, study,"
                " object, detail, prev_mac, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (seq, stamp, record.event_code, record.action, record.user, record.role,
                 int(record.outcome), record.patient, record.study, record.object,
                 json.dumps(record.detail, sort_keys=True), prev, mac),
            )
            if self._in_commit is not None:
                self._in_commit(seq)
            if self._on_append is not None:
                self._newest = seq
                self.db.after_commit(lambda: self._copy_head(seq, mac))
        return AuditEntry(seq, stamp, record.event_code, record.action, record.user, record.role,
                          int(record.outcome), record.patient, record.study, record.object,
                          dict(record.detail), prev, mac)

    def _copy_head(self, seq: int, mac: bytes) -> None:
        """After a commit: hand over the head unless a later entry committed with it (the
        database's lock is held from the commit through these actions, so no other
        append runs between them)."""
        if seq == self._newest and self._on_append is not None:
            self._on_append(seq, mac)

    def head(self) -> tuple[int, bytes] | None:
        row = self.db.query_one("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
        return None if row is None else (int(row["seq"]), bytes(row["mac"]))

    def entries(self, flt: AuditFilter | None = None) -> list[AuditEntry]:
        flt = flt or AuditFilter()
        where, params = [], []
        for column, value in (("user", flt.user), ("patient", flt.patient),
                              ("event_code", flt.event_code), ("outcome", flt.outcome)):
            if value is not None and value != "":
                where.append(f"{column} = ?")
                params.append(value)
        if flt.since:
            where.append("ts >= ?")
            params.append(flt.since)
        if flt.until:
            where.append("ts <= ?")
            params.append(flt.until)
        sql = "SELECT * FROM audit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        if flt.limit:
            sql += f" LIMIT {int(flt.limit)}"
        return [_entry(r) for r in self.db.query(sql, params)]

    def entries_from(self, seq: int) -> list[AuditEntry]:
        """Entries from sequence number ``seq`` on, in order (a forwarding backlog)."""
        return [_entry(r) for r in self.db.query("SELECT * FROM audit WHERE seq >= ? ORDER BY seq",
                                                 (seq,))]

    def verify(self, checkpoints: Iterable[tuple[int, bytes]] = ()) -> ChainVerification:
        """Walk the whole chain; name the first entry that is missing, moved or altered."""
        rows = self.db.query("SELECT * FROM audit ORDER BY seq")
        prev = GENESIS
        expected_seq = 1
        macs: dict[int, bytes] = {}
        for row in rows:
            entry = _entry(row)
            if entry.seq != expected_seq:
                return ChainVerification(False, len(rows), expected_seq,
                                         f"entry {expected_seq} is missing (deleted)")
            if entry.prev_mac != prev:
                return ChainVerification(False, len(rows), entry.seq,
                                         "entry does not follow the previous one (deleted or reordered)")
            if not hmac.compare_digest(_mac(self._key, entry.seq, entry.ts, entry, prev), entry.mac):
                return ChainVerification(False, len(rows), entry.seq, "entry content was altered")
            macs[entry.seq] = entry.mac
            prev = entry.mac
            expected_seq += 1
        last_seq = expected_seq - 1
        for seq, mac in checkpoints:
            if seq > last_seq:
                return ChainVerification(
                    False, len(rows), last_seq + 1,
                    f"log truncated: the checkpoint records {seq} entries, only {last_seq} remain")
            if not hmac.compare_digest(macs[seq], mac):
                return ChainVerification(False, len(rows), seq,
                                         "entry differs from the checkpoint copy (rewritten log)")
        return ChainVerification(True, len(rows))


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=int(row["seq"]), ts=row["ts"], event_code=row["event_code"], action=row["action"],
        user=row["user"], role=row["role"], outcome=int(row["outcome"]), patient=row["patient"],
        study=row["study"], object=row["object"], detail=json.loads(row["detail"]),
        prev_mac=bytes(row["prev_mac"]), mac=bytes(row["mac"]),
    )


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Neutralise spreadsheet formula injection: prefix risky cells with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


CSV_COLUMNS = ("seq", "ts", "event_code", "event", "action", "user", "role", "outcome",
               "patient", "study", "object", "detail", "mac")


def export_csv(entries: Sequence[AuditEntry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        data = e.as_json()
        data["detail"] = json.dumps(e.detail, sort_keys=True)
        writer.writerow([csv_safe(data[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def export_json(entries: Sequence[AuditEntry], verification: ChainVerification) -> str:
    return json.dumps(
        {"verification": asdict(verification), "entries": [e.as_json() for e in entries]},
        indent=2, sort_keys=True,
    )
