"""System information: working execution providers, GPU, versions, store size, log folder.

"Working" means a session was created on the provider and ran: onnxruntime-gpu lists
CUDA on machines without a usable GPU (see ``services.system_info``). The checks run in
a worker when the tab is first shown and again on "Run checks"; the service tries the
providers in a child process, so a crashing driver shows here as a failed check.
"""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.inference.provider_wording import shown_provider_detail
from clinic_app.services.system_info import SystemReport
from clinic_app.ui.formatting import byte_size
from clinic_app.ui.shell.registry import WorkspaceContext
from clinic_app.ui.shell.status import provider_name
from clinic_app.ui.theme import set_banner


class SystemPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("systemPanel")
        self.ctx = ctx
        self.report: SystemReport | None = None
        self.summary = QLabel(self.tr("Not checked yet."), self)
        self.summary.setObjectName("systemSummary")
        self.summary.setWordWrap(True)
        self.run_button = QPushButton(self.tr("&Run checks"), self)
        self.run_button.setObjectName("runChecksButton")
        self.run_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.run_button)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("systemTree")
        self.tree.setAccessibleName(self.tr("System information"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Value"), self.tr("Detail")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        self.run_button.setEnabled(False)
        self.summary.setText(self.tr("Testing execution providers…"))
        set_banner(self.summary, None)
        system, session = self.ctx.services.system, self.ctx.session
        self.ctx.pool.submit(lambda p, c: system.report(session, progress=p, cancel=c),
                             name="system checks", on_result=self._show,
                             on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        from clinic_app.ui.dialogs import show_error

        self.run_button.setEnabled(True)
        self.summary.setText(self.tr("The checks could not run."))
        show_error(self, exc)

    def _section(self, title: str, rows: list[tuple[str, str, str]]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        for row in rows:
            child = QTreeWidgetItem(item, list(row))
            child.setToolTip(2, row[2])  # long details are cut at the window's edge
        item.setExpanded(True)
        return item

    def _show(self, report: SystemReport) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        self.tree.clear()
        working = [p.provider for p in report.providers if p.works]
        gpu_ok = any(p != "CPUExecutionProvider" for p in working)
        failure = next((shown_provider_detail(p.detail) for p in report.providers
                        if p.provider == "onnxruntime" and not p.works), "")
        probe_failed = bool(failure) and not working
        self.summary.setText(
            (failure[:1].upper() + failure[1:] if probe_failed else
             self.tr("A GPU provider works: models can run on the GPU.") if gpu_ok else
             self.tr("No GPU provider works here: models run on the CPU."))
            + (" " + " ".join(shown_provider_detail(n) for n in report.notes) if report.notes else ""))
        set_banner(self.summary, "error" if probe_failed else "ok" if gpu_ok else "info")
        self._section(self.tr("Execution providers (each tried in a separate process)"), [
            (provider_name(p.provider), self.tr("works") if p.works else self.tr("does not work"),
             shown_provider_detail(p.detail))
            for p in report.providers])
        self._section(
            "GPU",
            [
                (
                    g.name,
                    self.tr("{memory_mib} MiB").format(memory_mib=g.memory_mib)
                    if g.memory_mib
                    else self.tr("memory unknown"),
                    self.tr("driver {driver}").format(driver=g.driver),
                )
                for g in report.gpus
            ]
            or [(self.tr("none found"), "", self.tr("nvidia-smi is not installed or reports no GPU"))],
        )
        versions = [(v.name, v.version, "") for v in report.versions]
        versions[2:2] = [("Qt", qVersion(), ""), ("PySide6", pyside_version, "")]
        self._section(self.tr("Versions"), versions)
        store = report.store
        self._section(self.tr("Store"), [(self.tr("Folder"), str(store.root), ""),
                                *((name, byte_size(size), "") for name, size in store.files),
                                (self.tr("Encrypted blobs"), byte_size(store.blob_bytes),
                                 self.tr("{blob_count} files").format(blob_count=store.blob_count)),
                                (self.tr("Total"), byte_size(store.total_bytes), "")])
        self._section(self.tr("Platform"), [(self.tr("System"), report.platform, ""),
                                   (self.tr("Log folder"), str(report.log_dir), self.tr("no patient data"))])
