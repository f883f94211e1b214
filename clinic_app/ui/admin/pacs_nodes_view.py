"""PACS nodes for IT: add a DIMSE or DICOMweb node and verify it (C-ECHO / QIDO ping).

Verification runs on the worker pool; the answer (round trip, or what is wrong and what
to do) is shown beside the node. Node definitions hold no patient data; a DICOMweb
password or token is typed here, stored in the encrypted system store and never shown.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.ui.shell.registry import WorkspaceContext


class PacsNodesPanel(QWidget):
    #: A verification ended: (node name, True if it answered).
    verified = Signal(str, bool)

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pacsNodesPanel")
        self.ctx = ctx
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("pacsNodesTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Node"), self.tr("Address"), self.tr("Check")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.verify_button = QPushButton(self.tr("&Verify selected"), self)
        self.verify_button.setObjectName("pacsVerify")
        self.verify_button.clicked.connect(self.verify_selected)
        self.own = QLabel(self)
        s = ctx.services.settings
        self.own.setText(self.tr("This workstation is {pacs_ae_title}, listening on "
                                 "{pacs_listen_host}:{pacs_port} (site settings pacs_ae_title, "
                                 "pacs_listen_host, pacs_port). Register it in the PACS for C-MOVE.").format(
                             pacs_ae_title=s.pacs_ae_title, pacs_listen_host=s.pacs_listen_host,
                             pacs_port=s.pacs_port))
        self.own.setWordWrap(True)

        self.name = QLineEdit(self)
        self.name.setObjectName("pacsNodeName")
        self.kind = QComboBox(self)
        self.kind.addItems([self.tr("DIMSE (AE title, host, port)"), self.tr("DICOMweb (URL)")])
        self.aet = QLineEdit(self)
        self.host = QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(104)
        self.retrieve = QComboBox(self)
        self.retrieve.addItems(["move", "get"])
        self.url = QLineEdit(self)
        self.url.setPlaceholderText(self.tr("https://pacs.example.org/dicom-web"))
        self.auth = QComboBox(self)
        self.auth.addItems(["none", "basic", "bearer"])
        self.username = QLineEdit(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_button = QPushButton(self.tr("&Save node"), self)
        self.save_button.setObjectName("pacsSaveNode")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel("", self)
        self.message.setObjectName("pacsNodesMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("AE title"), self.aet)
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Retrieve by"), self.retrieve)
        form.addRow(self.tr("DICOMweb URL"), self.url)
        form.addRow(self.tr("Authentication"), self.auth)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password or token"), self.secret)
        form.addRow("", self.save_button)
        box = QGroupBox(self.tr("Add or replace a node"), self)
        box.setLayout(form)
        box.setMaximumWidth(460)

        left = QVBoxLayout()
        left.addWidget(self.own)
        left.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        left.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(box)

    def refresh(self) -> None:
        self.tree.clear()
        try:
            found = self.ctx.services.pacs.list_nodes(self.ctx.session)
        except ClinicAppError as exc:
            self.message.setText(str(exc))
            return
        for n in found:
            item = QTreeWidgetItem([n.name, n.describe().split(" (", 1)[-1].rstrip(")"), ""])
            item.setData(0, 256, n.name)
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self.message.setText(self.tr("No PACS node yet: add one on the right."))

    def save(self) -> None:
        try:
            if self.kind.currentIndex() == 0:
                node = dimse_node(self.name.text().strip(), self.aet.text(), self.host.text(),
                                  self.port.value(), retrieve=self.retrieve.currentText())
            else:
                node = web_node(self.name.text().strip(), self.url.text(),
                                auth=self.auth.currentText(), username=self.username.text())
            secret = self.secret.text() if node.auth.value != "none" else None
            self.ctx.services.pacs.add_node(self.ctx.session, node, secret)
        except ClinicAppError as exc:
            self.message.setText(str(exc))
            return
        self.secret.clear()
        self.message.setText(self.tr("Saved {name}. Select it and press Verify.").format(name=node.name))
        self.refresh()

    def verify_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self.message.setText(self.tr("Select a node to verify."))
            return
        name = str(item.data(0, 256))
        services, session = self.ctx.services, self.ctx.session
        item.setText(2, self.tr("Checking…"))

        def run(progress: ProgressCallback, cancel: CancelToken) -> float:
            return services.pacs.echo(session, name)

        def ok(ms: float) -> None:
            item.setText(2, self.tr("Answered in {ms:.0f} ms").format(ms=ms))
            self.verified.emit(name, True)

        def failed(exc: BaseException) -> None:
            item.setText(2, str(exc) if isinstance(exc, ClinicAppError)
                         else self.tr("Check failed ({name__})").format(name__=type(exc).__name__))
            self.verified.emit(name, False)

        self.ctx.pool.submit(run, name="pacs echo", on_result=ok, on_error=failed)
