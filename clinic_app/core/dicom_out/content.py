"""What the writers are given: findings, regions and reviews in DICOM terms, no store rows.

Coordinates are SCOORD pixel coordinates (PS3.3 C.18.6.1.2): ``(column, row)`` with the
top-left corner of the top-left pixel at ``(0, 0)``, so pixel index ``i`` spans
``[i, i + 1)``. :func:`box_polygon` and :func:`centre_polygon` convert our inclusive pixel
indices and pixel-centre contours into that convention.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from clinic_app.core.dicom_out.codes import Decision


@dataclass(frozen=True)
class Region:
    """A closed polygon on one frame of one source image."""

    sop_instance_uid: str
    frame: int  # from 1
    polygon: tuple[tuple[float, float], ...]  # (column, row), closed: first == last


@dataclass(frozen=True)
class ReviewContent:
    decision: Decision
    reviewer: str
    role: str
    at: str  # ISO 8601 with offset
    comment: str = ""
    revised: Region | None = None  # the radiologist's box or contour for MODIFIED / ADDED


@dataclass(frozen=True)
class Algorithm:
    model_id: str
    version: str
    manifest_sha256: str


@dataclass(frozen=True)
class ResultFinding:
    """One measurement group: an AI finding (``algorithm`` set) or a radiologist's own."""

    tracking_uid: str
    tracking_id: str
    label: str
    region: Region | None
    algorithm: Algorithm | None = None
    score: float | None = None
    diameter_mm: float | None = None
    volume_ml: float | None = None
    segment: tuple[str, int] | None = None  # (SEG SOPInstanceUID, segment number)
    review: ReviewContent | None = None
    #: The size remarks the app shows beside it (``size_caveat.remarks``).
    size_approximate: bool = False
    at_series_edge: bool = False


def box_polygon(cols: Sequence[int], rows: Sequence[int]) -> tuple[tuple[float, float], ...]:
    """Inclusive pixel index ranges → the closed rectangle around those pixels."""
    c0, c1 = float(cols[0]), float(cols[1]) + 1.0
    r0, r1 = float(rows[0]), float(rows[1]) + 1.0
    return ((c0, r0), (c1, r0), (c1, r1), (c0, r1), (c0, r0))


def centre_polygon(points: Sequence[Sequence[float]]) -> tuple[tuple[float, float], ...]:
    """Pixel-centre contour points ``(col, row)`` → a closed SCOORD polygon."""
    pts = [(float(c) + 0.5, float(r) + 0.5) for c, r in points]
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])
    return tuple(pts)


def tracking_uid(*parts: str) -> str:
    """A stable 2.25 UID for a finding, so a re-export tracks the same finding."""
    digest = hashlib.sha256("/".join(("clinic-app-finding", *parts)).encode()).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))
