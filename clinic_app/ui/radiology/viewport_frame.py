"""One cell of the viewer's grid: a slice canvas with its scroll bar, and the grid's cells.

Kept apart from :mod:`~clinic_app.ui.radiology.viewer` so the panel module holds the
grid's behaviour (layouts, series, presets, cine, links) and this one the widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollBar, QWidget

from clinic_app.ui.radiology.canvas import SliceCanvas
from clinic_app.ui.radiology.viewer_toolbar import Layout

#: Grid cells (row, column) of each layout.
CELLS = {Layout.ONE: [(0, 0)], Layout.ONE_BY_TWO: [(0, 0), (0, 1)],
          Layout.TWO_BY_TWO: [(0, 0), (0, 1), (1, 0), (1, 1)],
          # axial | coronal / sagittal | a free viewport (drop another series there)
          Layout.MPR: [(0, 0), (0, 1), (1, 0), (1, 1)]}


class Viewport(QFrame):
    """A canvas with its slice scroll bar."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"viewport{index}")
        self.index = index
        self.canvas = SliceCanvas(self)
        self.canvas.setObjectName(f"canvas{index}")
        self.canvas.setAccessibleName(self.tr("Viewport {value}").format(value=index + 1))
        self.slice_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.slice_bar.setObjectName(f"sliceBar{index}")
        self.slice_bar.setAccessibleName(self.tr("Slice of viewport {value}").format(value=index + 1))
        self.slice_bar.setRange(0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.slice_bar)
        self.slice_bar.valueChanged.connect(self.canvas.set_slice)
        self.canvas.slice_changed.connect(self._sync_scroll)
        self.canvas.plane_changed.connect(self._sync_range)

    def _sync_range(self) -> None:
        self.slice_bar.blockSignals(True)
        self.slice_bar.setRange(0, max(self.canvas.slice_count - 1, 0))
        self.slice_bar.setPageStep(max(self.canvas.slice_count // 10, 1))
        self.slice_bar.setValue(self.canvas.slice_index)
        self.slice_bar.blockSignals(False)
        self.slice_bar.setVisible(self.canvas.slice_count > 1)

    def _sync_scroll(self, index: int) -> None:
        if self.slice_bar.maximum() != max(self.canvas.slice_count - 1, 0):
            self._sync_range()
        self.slice_bar.blockSignals(True)
        self.slice_bar.setValue(index)
        self.slice_bar.blockSignals(False)
