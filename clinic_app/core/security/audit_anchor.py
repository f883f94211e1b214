"""Signed audit checkpoints: the off-machine anchor against whole-store rollback.

A local app cannot tell a complete, consistent set of older store files from the real
ones (docs/security.md). An exported checkpoint kept elsewhere can: it records the chain
head (sequence number and MAC) at export time with an HMAC tag under a key derived from
the system key, and ``audit verify --against FILE`` proves that the current log still
contains that exact entry, i.e. that it extends the exported one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from typing import Any

from clinic_app.errors import IntegrityError, InvalidInput

PURPOSE = "audit-checkpoint-v1"


@dataclass(frozen=True)
class Checkpoint:
    store_id: str
    seq: int
    head_mac: str  # hex
    time: str
    tag: str = ""

    def body(self) -> bytes:
        return json.dumps([PURPOSE, self.store_id, self.seq, self.head_mac, self.time],
                          separators=(",", ":")).encode()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def sign(key: bytes, store_id: str, seq: int, head_mac: bytes, time: str) -> Checkpoint:
    cp = Checkpoint(store_id, seq, head_mac.hex(), time)
    return Checkpoint(**{**asdict(cp), "tag": hmac.new(key, cp.body(), hashlib.sha256).hexdigest()})


def parse(text: str) -> Checkpoint:
    """A checkpoint from an exported JSON file (a full export or the checkpoint alone)."""
    try:
        data = json.loads(text)
        raw = data.get("checkpoint", data) if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            raise ValueError("no checkpoint")
        return Checkpoint(store_id=str(raw["store_id"]), seq=int(raw["seq"]),
                          head_mac=str(raw["head_mac"]), time=str(raw["time"]), tag=str(raw["tag"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("The file holds no audit checkpoint; give a JSON file written by "
                           "'clinic-app audit export --format json'.") from exc


def check_tag(key: bytes, cp: Checkpoint, store_id: str) -> None:
    if cp.store_id != store_id:
        raise InvalidInput("That checkpoint was exported from another store.")
    expected = hmac.new(key, cp.body(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, cp.tag):
        raise IntegrityError("The checkpoint file was altered (its tag does not verify).")
