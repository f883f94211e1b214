"""Moved to :mod:`clinic_app.core.imaging.planes` (it is Qt-free geometry, issue 12).

This re-export keeps ``canvas.py`` and the branches that split it (issue 20) importing
while they land; import from ``clinic_app.core.imaging.planes`` in new code. Delete this
module once nothing imports it.
"""

from __future__ import annotations

from clinic_app.core.imaging.planes import *  # noqa: F403
