"""The radiologist's own geometry: a modified finding's new box and a missed finding added.

The tables are findings schema v4 (``finding_store.MIGRATIONS``): ``ai_reviews`` rebuilt
(SQLite cannot alter a CHECK) to admit the decision ``modified`` and a ``geometry``
column holding the reviewer's box, keeping every row and id; and ``ai_added_findings``
for findings no model reported. Like reviews, additions are never
edited: a correction is a new row, the old one stays for the history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic_app.core.store.database import Database, Row


@dataclass(frozen=True)
class Placement:
    """A box the radiologist drew: inclusive pixel indices on one slice of one stack."""

    series_uid: str
    stack_index: int
    slice_index: int
    source_sop_uid: str
    source_frame: int  # from 1
    cols: tuple[int, int]
    rows: tuple[int, int]

    def as_geometry(self) -> dict[str, Any]:
        return {"bbox_px": {"col": list(self.cols), "row": list(self.rows),
                            "slice": [self.slice_index, self.slice_index]},
                "series_uid": self.series_uid, "stack_index": self.stack_index,
                "slice_index": self.slice_index, "source_sop_uid": self.source_sop_uid,
                "source_frame": self.source_frame}

    @classmethod
    def from_geometry(cls, geometry: dict[str, Any]) -> Placement:
        box = geometry["bbox_px"]
        return cls(str(geometry["series_uid"]), int(geometry["stack_index"]),
                   int(geometry["slice_index"]), str(geometry["source_sop_uid"]),
                   int(geometry["source_frame"]), (int(box["col"][0]), int(box["col"][1])),
                   (int(box["row"][0]), int(box["row"][1])))


@dataclass(frozen=True)
class AddedFinding:
    """A finding the radiologist drew because no model reported it."""

    id: int
    study_uid: str
    label: str
    placement: Placement
    comment: str
    user: str
    role: str
    added_at: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "origin": "radiologist",
                "review_status": "added", **self.placement.as_geometry(),
                "comment": self.comment, "user": self.user, "at": self.added_at}


def add_finding(db: Database, study_uid: str, label: str, where: Placement, comment: str,
                user: str, role: str, at: str) -> int:
    return db.insert(
        "INSERT INTO ai_added_findings(study_uid, series_uid, stack_index, label, slice_index, "
        "source_sop_uid, source_frame, geometry, comment, user, role, added_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (study_uid, where.series_uid, where.stack_index, label, where.slice_index,
         where.source_sop_uid, where.source_frame, json.dumps(where.as_geometry()), comment,
         user, role, at))


def _added(row: Row) -> AddedFinding:
    return AddedFinding(int(row["id"]), row["study_uid"], row["label"],
                        Placement.from_geometry(json.loads(row["geometry"])), row["comment"],
                        row["user"], row["role"], row["added_at"])


def added_findings(db: Database, study_uid: str) -> list[AddedFinding]:
    rows = db.query("SELECT * FROM ai_added_findings WHERE study_uid = ? ORDER BY id",
                    (study_uid,))
    return [_added(r) for r in rows]


def added_finding(db: Database, added_id: int) -> AddedFinding | None:
    row = db.query_one("SELECT * FROM ai_added_findings WHERE id = ?", (added_id,))
    return _added(row) if row else None
