"""What kind of stack a series' frames form, which decides what geometry it has."""

from __future__ import annotations

from enum import StrEnum


class StackKind(StrEnum):
    """Set by :func:`clinic_app.core.imaging.geometry.plan_series` from the frames' headers."""

    VOLUME = "volume"  # two or more positioned slices: full 3D geometry
    SINGLE = "single"  # one positioned slice: the slice axis is assumed, not measured
    PROJECTION = "projection"  # CR/DX/MG: no patient position, the affine gives pixel size only
    CINE = "cine"  # multi-frame without positions: the third axis is time
