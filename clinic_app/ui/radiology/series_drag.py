"""The drag payload of a series: dragged from a thumbnail strip, dropped on a viewport.

Its own module so the strip (which starts the drag) and the canvas (which takes the
drop) agree on one format without importing each other.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData

#: Mime type of a series dragged from the thumbnail strip (payload: the series UID).
SERIES_MIME = "application/x-clinic-app-series"


def series_mime(series_uid: str) -> QMimeData:
    """Drag payload for a series thumbnail."""
    data = QMimeData()
    data.setData(SERIES_MIME, series_uid.encode("ascii", "replace"))
    return data
