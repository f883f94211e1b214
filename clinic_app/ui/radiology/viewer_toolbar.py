"""The viewer's toolbar: layouts, tools, window preset, view and cine controls.

Built by a function rather than inside :class:`~clinic_app.ui.radiology.viewer.ViewerPanel`
so the panel stays about the grid. Each button's tip names its key, read from the
panel's key map (a user's rebinding shows in the tips as in Help).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QSpinBox, QToolBar, QWidget

from clinic_app.core.imaging.viewport import Magnification
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.ui.radiology.keymap import Action
from clinic_app.ui.radiology.tools import Tool

if TYPE_CHECKING:
    from clinic_app.ui.radiology.viewer import ViewerPanel


class Layout(StrEnum):
    ONE = "1×1"
    ONE_BY_TWO = "1×2"
    TWO_BY_TWO = "2×2"
    MPR = "MPR"


_LAYOUT_TIPS = {
    Layout.ONE: QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "One viewport"),
    Layout.ONE_BY_TWO: QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Two viewports side by side"),
    Layout.TWO_BY_TWO: QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Four viewports"),
    Layout.MPR: QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Axial, coronal and sagittal with a linked cursor"),
}

# These tables hold English, marked for lupdate and translated where a button is built, so
# an account signed in later in another language reads its own.
#: Tool → (button text, tip without its key, the action whose key chooses it).
_TOOLS = {
    Tool.PAN: (
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Pan"),
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Left-drag pans"),
        Action.TOOL_PAN,
    ),
    Tool.LENGTH: (
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Length"),
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Measure a distance in mm"),
        Action.TOOL_LENGTH,
    ),
    Tool.ROI: (
        "ROI",
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Ellipse: mean and SD in modality units, area"),
        Action.TOOL_ROI,
    ),
    Tool.ANGLE: (
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Angle"),
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar",
                          "Drag the first arm to the vertex, then click the end of the second"),
        Action.TOOL_ANGLE,
    ),
    Tool.ARROW: (
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Arrow"),
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Point at something: drag from the tail to the head"),
        Action.TOOL_ARROW,
    ),
    Tool.CURSOR: (
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Cursor"),
        QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Set the linked MPR cursor (or Shift+click)"),
        Action.TOOL_CURSOR,
    ),
}

#: Action (toolbar attribute name) → (tip, key action).
_VIEW_TIPS = {
    "invert_action": (QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Invert grey scale"), Action.INVERT),
    "fit_action": (QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Fit the image to the viewport"), Action.FIT),
    "reset_action": (QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Reset zoom, pan and window"), Action.RESET),
    "smooth_action": (QT_TRANSLATE_NOOP("radiology.viewer_toolbar",
                                        "Smooth magnification (off: every pixel a square)"), Action.MAGNIFICATION),
    "cine_action": (QT_TRANSLATE_NOOP("radiology.viewer_toolbar", "Play through the slices"), Action.CINE),
}


def _tip(panel: ViewerPanel, text: str, action: Action) -> str:
    keys = panel.keymap.binding(action).key_label
    text = translate("radiology.viewer_toolbar", text)
    return f"{text} ({keys})" if keys else text


def refresh_tips(panel: ViewerPanel) -> None:
    """Write each button's key into its tip from the panel's current key map."""
    for tool, (_text, tip, action) in _TOOLS.items():
        panel.tool_actions[tool].setToolTip(_tip(panel, tip, action))
    for name, (tip, action) in _VIEW_TIPS.items():
        getattr(panel, name).setToolTip(_tip(panel, tip, action))
    presets = panel.keymap.binding(Action.PRESET).key_label
    default = panel.keymap.binding(Action.DEFAULT_WINDOW).key_label
    panel.preset_box.setToolTip(
        QCoreApplication.translate(
            "radiology.viewer_toolbar", "Window preset (keys {presets}; {default} = DICOM default)"
        ).format(presets=presets, default=default)
    )


class ToolbarRows(QWidget):
    """Two toolbars side by side, or one above the other when the row is too narrow.

    A single QToolBar outside a QMainWindow hides what does not fit behind a "»" button
    that cannot expand it; wrapping keeps every control visible at 1280 pixels."""

    def __init__(self, first: QToolBar, second: QToolBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("viewerToolbar")
        self.bars = (first, second)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(0)
        self._wrapped: bool | None = None
        self._place(False)

    @property
    def wrapped(self) -> bool:
        return bool(self._wrapped)

    def _place(self, wrapped: bool) -> None:
        if wrapped == self._wrapped:
            return
        self._wrapped = wrapped
        first, second = self.bars
        self._grid.removeWidget(first)
        self._grid.removeWidget(second)
        self._grid.addWidget(first, 0, 0)
        self._grid.addWidget(second, 1 if wrapped else 0, 0 if wrapped else 1)
        self._grid.setColumnStretch(0 if not wrapped else 1, 0)
        self._grid.setColumnStretch(1 if not wrapped else 0, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        needed = sum(b.sizeHint().width() for b in self.bars)
        self._place(needed > event.size().width())
        super().resizeEvent(event)


def _bar(panel: ViewerPanel, name: str) -> QToolBar:
    bar = QToolBar(QCoreApplication.translate("radiology.viewer_toolbar", "Viewer"), panel)
    bar.setObjectName(name)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return bar


def build_toolbar(panel: ViewerPanel) -> ToolbarRows:
    first = bar = _bar(panel, "viewerLayoutTools")
    panel.layout_actions = {}
    group = QActionGroup(panel)
    for mode in Layout:
        act = QAction(mode.value, panel, checkable=True)
        act.setToolTip(translate("radiology.viewer_toolbar", _LAYOUT_TIPS[mode]))
        act.triggered.connect(lambda _=False, m=mode: panel.set_layout(m))
        group.addAction(act)
        bar.addAction(act)
        panel.layout_actions[mode] = act
    bar.addSeparator()
    panel.tool_actions = {}
    tools = QActionGroup(panel)
    for tool, (text, _tip_text, _action) in _TOOLS.items():
        act = QAction(translate("radiology.viewer_toolbar", text), panel, checkable=True)
        act.triggered.connect(lambda _=False, t=tool: panel.set_tool(t))
        tools.addAction(act)
        bar.addAction(act)
        panel.tool_actions[tool] = act
    panel.tool_actions[Tool.PAN].setChecked(True)
    view = bar = _bar(panel, "viewerViewTools")
    panel.preset_box = QComboBox(panel)
    panel.preset_box.setObjectName("presetBox")
    panel.preset_box.setAccessibleName(QCoreApplication.translate("radiology.viewer_toolbar", "Window preset"))
    panel.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    panel.preset_box.activated.connect(panel._preset_chosen)
    bar.addWidget(panel.preset_box)
    panel.invert_action = QAction(
        QCoreApplication.translate("radiology.viewer_toolbar", "Invert"), panel, checkable=True
    )
    panel.invert_action.triggered.connect(lambda on: panel.active_canvas.set_inverted(on))
    bar.addAction(panel.invert_action)
    panel.fit_action = QAction(QCoreApplication.translate("radiology.viewer_toolbar", "Fit"), panel)
    panel.fit_action.triggered.connect(lambda: panel.active_canvas.fit())
    bar.addAction(panel.fit_action)
    panel.reset_action = QAction(QCoreApplication.translate("radiology.viewer_toolbar", "Reset"), panel)
    panel.reset_action.triggered.connect(lambda: panel.active_canvas.reset())
    bar.addAction(panel.reset_action)
    panel.smooth_action = QAction(
        QCoreApplication.translate("radiology.viewer_toolbar", "Smooth"), panel, checkable=True
    )
    panel.smooth_action.setChecked(True)
    panel.smooth_action.triggered.connect(
        lambda on: panel.set_magnification(Magnification.SMOOTH if on else Magnification.NEAREST))
    bar.addAction(panel.smooth_action)
    bar.addSeparator()
    panel.cine_action = QAction(QCoreApplication.translate("radiology.viewer_toolbar", "Cine"), panel, checkable=True)
    panel.cine_action.triggered.connect(panel.set_cine)
    bar.addAction(panel.cine_action)
    panel.fps_box = QSpinBox(panel)
    panel.fps_box.setObjectName("cineFps")
    panel.fps_box.setAccessibleName(QCoreApplication.translate("radiology.viewer_toolbar", "Cine frames per second"))
    panel.fps_box.setRange(1, 60)
    panel.fps_box.setValue(15)
    panel.fps_box.setSuffix(QCoreApplication.translate("radiology.viewer_toolbar", " fps"))
    panel.fps_box.valueChanged.connect(panel._fps_changed)
    bar.addWidget(panel.fps_box)
    refresh_tips(panel)
    return ToolbarRows(first, view, panel)
