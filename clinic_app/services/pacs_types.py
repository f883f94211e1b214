"""What the PACS service returns: retrieve and send reports, and the result-source hook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydicom.dataset import Dataset

from clinic_app.core.net.retrievals import RetrieveState
from clinic_app.services.session import Session


@dataclass(frozen=True)
class RetrieveReport:
    node: str
    study_uid: str
    method: str
    received: int  # instances that arrived
    imported: int
    duplicates: int
    skipped: tuple[tuple[str, str], ...]  # (label, reason)
    state: RetrieveState
    cancelled: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"node": self.node, "study_uid": self.study_uid, "method": self.method,
                "received": self.received, "imported": self.imported,
                "duplicates": self.duplicates, "state": self.state.value,
                "cancelled": self.cancelled,
                "skipped": [{"from": a, "reason": b} for a, b in self.skipped]}


@dataclass(frozen=True)
class SendReport:
    node: str
    sent: int
    failed: int

    def as_json(self) -> dict[str, Any]:
        return {"node": self.node, "sent": self.sent, "failed": self.failed}


#: Produces a study's result objects (SR, SEG, KO) for ``pacs send --results``; the DICOM
#: output service appends one to ``PacsService.result_sources``.
ResultSource = Callable[[Session, str], Sequence[Dataset | Path | bytes]]
