"""Saved measurements: each reader's lines, ellipses, angles and arrows on a stack.

Only the geometry is stored (kind, plane, slice, display points); lengths, angles and
ROI statistics are computed again from the images when the study opens, so a value on
screen always comes from the pixels shown, never from a copy that could disagree.
Rows live in the clinical (SQLCipher) store, one set per user and stack, replaced as a
whole when the reader changes it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from clinic_app.core.imaging.planes import Plane
from clinic_app.core.imaging.viewport import MeasureKind, Measurement
from clinic_app.core.store.database import Database
from clinic_app.errors import InvalidInput

MIGRATIONS = [
    """
    CREATE TABLE measurements (
        id INTEGER PRIMARY KEY,
        user TEXT NOT NULL,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        stack_index INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('length', 'roi', 'angle', 'arrow')),
        plane TEXT NOT NULL,
        slice_index INTEGER NOT NULL,
        points TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX measurements_study ON measurements(study_uid, user)
    """,
]

#: More than this on one stack is not reading, it is a runaway script.
MAX_PER_STACK = 500
#: Display points a measurement of each kind is made of.
POINTS = {MeasureKind.LENGTH: 2, MeasureKind.ROI: 2, MeasureKind.ARROW: 2, MeasureKind.ANGLE: 3}


@dataclass(frozen=True)
class SavedMeasurement:
    series_uid: str
    stack_index: int
    measurement: Measurement  # geometry only: values are recomputed from the pixels


def _points(m: Measurement) -> list[list[float]]:
    pts = [[float(x), float(y)] for x, y in m.points()]
    if len(pts) != POINTS[MeasureKind(m.kind)] or not all(math.isfinite(v) for p in pts for v in p):
        raise InvalidInput(f"A {m.kind} measurement needs {POINTS[MeasureKind(m.kind)]} finite points.")
    return pts


def replace_for(db: Database, user: str, study_uid: str, series_uid: str, stack_index: int,
                items: Sequence[Measurement], saved_at: str) -> int:
    """This user's measurements on one stack become ``items`` (call inside a transaction)."""
    if len(items) > MAX_PER_STACK:
        raise InvalidInput(f"At most {MAX_PER_STACK} measurements can be kept on one series.")
    rows = [(user, study_uid, series_uid, int(stack_index), MeasureKind(m.kind).value, Plane(m.plane).value,
             int(m.slice_index), json.dumps(_points(m)), saved_at) for m in items]
    db.execute("DELETE FROM measurements WHERE user = ? AND study_uid = ? AND series_uid = ? "
               "AND stack_index = ?", (user, study_uid, series_uid, int(stack_index)))
    for row in rows:
        db.execute("INSERT INTO measurements (user, study_uid, series_uid, stack_index, kind, plane, "
                   "slice_index, points, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    return len(rows)


def for_user(db: Database, user: str, study_uid: str) -> list[SavedMeasurement]:
    """This user's measurements on a study, in the order they were made."""
    out = []
    for r in db.query("SELECT series_uid, stack_index, kind, plane, slice_index, points FROM measurements "
                      "WHERE user = ? AND study_uid = ? ORDER BY id", (user, study_uid)):
        pts = [tuple(p) for p in json.loads(r["points"])]
        kind = MeasureKind(r["kind"])
        vertex = pts[1] if kind is MeasureKind.ANGLE else None
        m = Measurement(kind, Plane(r["plane"]), int(r["slice_index"]), pts[0], pts[-1], vertex=vertex)
        out.append(SavedMeasurement(str(r["series_uid"]), int(r["stack_index"]), m))
    return out
