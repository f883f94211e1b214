"""Stacks of frames and the frames they hold: the records the stack planner produces.

Also the slice normal and the orientation name, which the planner, the volume builder
and the model input selection share. See ``geometry.py`` for the affine's conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clinic_app.core.imaging.index import StoredInstance
from clinic_app.core.imaging.stack_kind import StackKind

#: Positions closer than this along the normal are the same slice position (mm).
SAME_POSITION_MM = 1e-3
#: In-plane distance beyond which two frames cannot belong to one straight stack (mm).
INPLANE_SPLIT_MM = 1.0
#: Tilts below this are float noise in the positions, not a tilted gantry (degrees).
TILT_EPSILON_DEG = 0.01


@dataclass(frozen=True)
class FrameRef:
    """One frame of one stored instance, with the geometry that applies to it."""

    instance: StoredInstance
    frame: int  # 0-based frame index inside the instance
    position: tuple[float, float, float] | None
    orientation: tuple[float, ...] | None
    pixel_spacing: tuple[float, float] | None
    rescale: tuple[float, float]
    window: tuple[float, float] | None
    stack_id: str | None
    temporal_index: int | None


@dataclass(frozen=True)
class StackPlan:
    """An ordered stack of frames that can become one :class:`~volume.Volume`."""

    frames: tuple[FrameRef, ...]
    kind: StackKind
    rows: int
    cols: int
    affine: np.ndarray
    spacing: tuple[float, float, float]  # (slice, row, col) mm
    positions: np.ndarray | None  # (n, 3) LPS mm, per slice in stack order
    orientation: tuple[float, ...] | None
    regular: bool
    tilt_deg: float
    missing_slices: int
    calibrated: bool  # False: no pixel spacing in the header, distances are in pixels
    label: str  # "" for a series' only stack; "stack 2 of 3 (sagittal)" when split
    warnings: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.frames), self.rows, self.cols)


def normal(orientation: Sequence[float]) -> np.ndarray:
    """Slice normal: row direction × column direction (unit length)."""
    r = np.asarray(orientation[:3], dtype=np.float64)
    c = np.asarray(orientation[3:6], dtype=np.float64)
    n = np.cross(r, c)
    return n / np.linalg.norm(n)


def orientation_name(orientation: Sequence[float] | None) -> str:
    """axial / coronal / sagittal / oblique, from the slice normal's main axis."""
    if orientation is None:
        return "unknown"
    n = np.abs(normal(orientation))
    main = int(np.argmax(n))
    if n[main] < 0.9:
        return "oblique"
    return ("sagittal", "coronal", "axial")[main]
