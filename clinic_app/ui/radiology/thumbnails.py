"""Series thumbnails: rendered in memory on a worker, dragged into viewports.

A thumbnail is the middle slice of a series' first stack, rendered with its default
window and shrunk on the worker (numpy/OpenCV, no Qt), then wrapped in a QPixmap on the
GUI thread. Thumbnails are patient images: they are never written to disk, never cached
beyond the open study, and dropped when the study closes or the screen locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QCoreApplication, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from clinic_app.core.imaging.render import render
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import SeriesDetail, StudyDetail
from clinic_app.ui.radiology.display import SeriesDisplay, display_from_slice
from clinic_app.ui.radiology.series_drag import SERIES_MIME, series_mime

THUMB_PX = 96
UID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, eq=False)
class Thumbnail:
    series_uid: str
    pixels: np.ndarray | None  # uint8 (rows, cols) or (rows, cols, 3), at most THUMB_PX
    note: str = ""  # why there is no picture


def series_caption(series: SeriesDetail) -> str:
    number = f"{series.number}: " if series.number is not None else ""
    frames = series.stacks[0].dimensions[0] if series.stacks else 0
    count = (
        QCoreApplication.translate("radiology.thumbnails", "{frames} im").format(frames=frames)
        if frames != 1
        else QCoreApplication.translate("radiology.thumbnails", "1 im")
    )
    return f"{number}{series.modality} {series.description or ''}".strip() + f"\n{count}"


def shrink(image: np.ndarray, size: int = THUMB_PX, aspect: float = 1.0) -> np.ndarray:
    """Fit an 8-bit image in ``size``² (area averaging), honouring the pixel aspect
    (row spacing / column spacing) so a reformat or radiograph is not squashed."""
    rows, cols = image.shape[:2]
    height, width = rows * aspect, float(cols)
    scale = size / max(height, width)
    out = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.ascontiguousarray(cv2.resize(image, out, interpolation=cv2.INTER_AREA))


def thumbnail_from(display: SeriesDisplay, spacing_rc: tuple[float, float]) -> np.ndarray:
    window = None if display.is_color else display.initial_window()
    img = render(display.voxels[0], window, invert=display.inverted and not display.is_color,
                 padding_value=display.padding_value)
    aspect = spacing_rc[0] / spacing_rc[1] if spacing_rc[1] > 0 else 1.0
    return shrink(img, THUMB_PX, aspect)


def make_thumbnails(services: Services, session: Session, study: StudyDetail,
                    progress: ProgressCallback, cancel: CancelToken) -> list[Thumbnail]:
    """Render one thumbnail per series (worker side; plain numpy results)."""
    out: list[Thumbnail] = []
    total = len(study.series)
    for n, series in enumerate(study.series):
        cancel.raise_if_cancelled()
        if not series.stacks:
            out.append(
                Thumbnail(series.series_uid, None, QCoreApplication.translate("radiology.thumbnails", "no images"))
            )
            continue
        stack = series.stacks[0]
        try:
            image = services.imaging.first_slice(session, series.series_uid,
                                                 index_in_stack=stack.dimensions[0] // 2)
        except ClinicAppError:
            out.append(
                Thumbnail(series.series_uid, None, QCoreApplication.translate("radiology.thumbnails", "cannot decode"))
            )
            continue
        display = display_from_slice(image, stack, series.series_uid)
        out.append(Thumbnail(series.series_uid, thumbnail_from(display, image.spacing_rc)))
        progress(n + 1, total, QCoreApplication.translate("radiology.thumbnails", "Thumbnails"))
    return out


def to_pixmap(pixels: np.ndarray) -> QPixmap:
    h, w = pixels.shape[:2]
    fmt = QImage.Format.Format_RGB888 if pixels.ndim == 3 else QImage.Format.Format_Grayscale8
    image = QImage(pixels.data, w, h, pixels.strides[0], fmt)
    return QPixmap.fromImage(image.copy())  # copy: the QImage must not outlive the array


class SeriesStrip(QListWidget):
    """The open study's series as thumbnails; drag one into a viewport, or double-click."""

    series_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("seriesStrip")
        self.setAccessibleName(self.tr("Series of the open study"))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight if horizontal else QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.setGridSize(QSize(THUMB_PX + 40, THUMB_PX + 44))
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        if horizontal:
            self.setFixedHeight(THUMB_PX + 58)
        else:
            self.setFixedWidth(THUMB_PX + 58)
        self.itemActivated.connect(lambda item: self.series_chosen.emit(item.data(UID_ROLE)))
        self.itemDoubleClicked.connect(lambda item: self.series_chosen.emit(item.data(UID_ROLE)))

    def set_study(self, study: StudyDetail | None) -> None:
        self.clear()
        if study is None:
            return
        placeholder = QPixmap(THUMB_PX, THUMB_PX)
        placeholder.fill(Qt.GlobalColor.black)
        for series in study.series:
            item = QListWidgetItem(QIcon(placeholder), series_caption(series))
            item.setData(UID_ROLE, series.series_uid)
            item.setToolTip(series.description or series.modality)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.addItem(item)

    def set_thumbnails(self, thumbs: list[Thumbnail]) -> None:
        for thumb in thumbs:
            item = self.item_for(thumb.series_uid)
            if item is None:
                continue
            if thumb.pixels is not None:
                item.setIcon(QIcon(to_pixmap(thumb.pixels)))
            elif thumb.note:
                item.setToolTip(f"{item.toolTip()} ({thumb.note})")

    def item_for(self, series_uid: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(UID_ROLE) == series_uid:
                return item
        return None

    def series_uids(self) -> list[str]:
        return [self.item(r).data(UID_ROLE) for r in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [SERIES_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return series_mime(items[0].data(UID_ROLE)) if items else QMimeData()
