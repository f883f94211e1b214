"""The radiology workspace's Viewer tab, laid out: study column, image grid, side tabs.

Left column: back to the worklist, the study header, the series strip, the Compare box
(priors, links, hanging protocol) and "My keys…". Centre: the viewer. Right, in tabs:
the AI findings and the reader's measurements. Built here so the workspace module keeps
the behaviour; the widgets become the workspace's attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from clinic_app.ui.radiology.measurements_panel import MeasurementsPanel

if TYPE_CHECKING:
    from clinic_app.ui.radiology.workspace import RadiologyWorkspace


def build_viewer_page(ws: RadiologyWorkspace) -> QWidget:
    ws.study_label = QLabel("", ws)
    ws.study_label.setObjectName("studyHeader")
    ws.study_label.setWordWrap(True)
    ws.back_button = QPushButton(QCoreApplication.translate("radiology.viewer_page", "◀ Worklist"), ws)
    ws.back_button.setObjectName("backToWorklist")
    ws.back_button.setToolTip(QCoreApplication.translate("radiology.viewer_page", "Back to the worklist (Ctrl+W)"))
    ws.back_button.clicked.connect(lambda: ws.tabs.setCurrentIndex(0))
    ws.compare_host = QWidget(ws)  # the Compare box joins once the loader exists
    QVBoxLayout(ws.compare_host).setContentsMargins(0, 0, 0, 0)
    ws.keys_button = QPushButton(QCoreApplication.translate("radiology.viewer_page", "My keys…"), ws)
    ws.keys_button.setObjectName("myKeys")
    ws.keys_button.setToolTip(
        QCoreApplication.translate("radiology.viewer_page", "Where your key bindings are kept; reset them")
    )
    left = QWidget(ws)
    ll = QVBoxLayout(left)
    ll.setContentsMargins(0, 0, 0, 0)
    ll.addWidget(ws.back_button)
    ll.addWidget(ws.study_label)
    ll.addWidget(ws.strip, 1)
    ll.addWidget(ws.compare_host)
    ll.addWidget(ws.keys_button)
    left.setFixedWidth(ws.strip.width() + 4)
    ws.measurements = MeasurementsPanel(ws.services, ws.session, ws._submit, ws)
    ws.side_tabs = QTabWidget(ws)
    ws.side_tabs.setObjectName("viewerSideTabs")
    ws.side_tabs.setDocumentMode(True)
    ws.side_tabs.addTab(ws.findings, QCoreApplication.translate("radiology.viewer_page", "AI findings"))
    ws.side_tabs.addTab(ws.measurements, QCoreApplication.translate("radiology.viewer_page", "Measurements"))
    split = QSplitter(Qt.Orientation.Horizontal, ws)
    split.setObjectName("viewerSplit")
    split.addWidget(ws.viewer)
    split.addWidget(ws.side_tabs)
    split.setStretchFactor(0, 1)
    split.setStretchFactor(1, 0)
    split.setCollapsible(0, False)
    split.setSizes([900, 340])
    page = QWidget(ws)
    page.setObjectName("viewerPage")
    vl = QHBoxLayout(page)
    vl.setContentsMargins(2, 2, 2, 2)
    vl.addWidget(left)
    vl.addWidget(split, 1)
    return page
