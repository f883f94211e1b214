"""Models: what is installed, whether it verified, who vouches for it, where it runs.

Each row is one package as the registry found it: refused packages are listed with the
reason (a hash mismatch, an unknown signer…), not hidden. "Run test vectors" re-reads
every package, checks its hashes and trust again and runs the test vectors its manifest
ships. Adding a package verifies it before copying; an unsigned one is refused unless the
admin approves exactly that package, with a reason (audited). Approvals can be revoked;
the signing keys and pins ship with the app and are shown, not edited. Any package,
shipped ones included, can be disabled (with an optional reason) and enabled again: a
disabled package stays listed, "disabled by <admin> at <time>", and nothing runs it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate, translate_any
from clinic_app.services import Services, Session
from clinic_app.services.model_trust import TrustOverview
from clinic_app.services.models import ModelInfo, VerifyReport
from clinic_app.ui.dialogs import choose_open_path, confirm, inform
from clinic_app.ui.formatting import local_time
from clinic_app.ui.rows_model import Column, RowsTable
from clinic_app.ui.shell.registry import WorkspaceContext
from clinic_app.ui.shell.status import provider_name
from clinic_app.ui.task_dialog import TaskDialog
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import TaskFn, WorkerPool, run_with_progress

DEMO_TEXT = QT_TRANSLATE_NOOP("admin.models_view", "DEMO: not for clinical use")

#: Words the model registry writes (trust, origin, state), for lupdate; shown with _word.
REGISTRY_WORDS = (
    QT_TRANSLATE_NOOP("admin.models_view", "enabled"), QT_TRANSLATE_NOOP("admin.models_view", "verified"),
    QT_TRANSLATE_NOOP("admin.models_view", "shipped with the app (hash-pinned)"),
    QT_TRANSLATE_NOOP("admin.models_view", "unsigned, approved by an admin"),
    QT_TRANSLATE_NOOP("admin.models_view", "unsigned, allowed by site policy"),
    QT_TRANSLATE_NOOP("admin.models_view", "shipped"), QT_TRANSLATE_NOOP("admin.models_view", "site"),
)


def _word(text: str) -> str:
    """A registry word in the reader's language (other text, e.g. a key id, as written)."""
    return translate("admin.models_view", text)


def _state(m: ModelInfo) -> str:
    return m.disabled or _word("enabled")


def _state_tip(m: ModelInfo) -> str:
    if not m.disabled:
        return QCoreApplication.translate("admin.models_view", "runs when a clinician scores or analyses")
    why = f": {m.disabled_reason}" if m.disabled_reason else ""
    return QCoreApplication.translate("admin.models_view", "{disabled}{why}. Nothing runs it until an admin "
                                                           "enables it.").format(disabled=m.disabled, why=why)


MODEL_COLUMNS: list[Column[ModelInfo]] = [
    Column(QT_TRANSLATE_NOOP("admin.models_view", "Model"), lambda m: translate("model_terms", m.name) or m.id,
           tooltip=lambda m: m.id),
    Column(
        QT_TRANSLATE_NOOP("admin.models_view", "Demo"),
        lambda m: translate_any(DEMO_TEXT) if m.demo else QCoreApplication.translate("admin.models_view", "no"),
        alert=lambda m: "warn" if m.demo else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.models_view", "State"),
        _state,
        tooltip=_state_tip,
        alert=lambda m: "warn" if m.disabled else None,
    ),
    Column(QT_TRANSLATE_NOOP("admin.models_view", "Version"), lambda m: m.version),
    Column(
        QT_TRANSLATE_NOOP("admin.models_view", "Verification"),
        lambda m: (
            "refused: " + m.reason
            if m.status == "refused"
            else _word("verified")
            if m.status == "ok"
            else QCoreApplication.translate("admin.models_view", "verified when scanned; not loaded")
        ),
        tooltip=lambda m: (
            m.reason or QCoreApplication.translate("admin.models_view", "hashes and trust checked when loaded")
        ),
        alert=lambda m: "error" if m.status == "refused" else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.models_view", "Signature / trust"),
        lambda m: _word(m.trust),
        alert=lambda m: "warn" if m.trust.startswith("unsigned") else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("admin.models_view", "Runs on"), lambda m: provider_name(m.provider) if m.provider else "—"
    ),
    Column(QT_TRANSLATE_NOOP("admin.models_view", "Task"), lambda m: m.task or "—"),
    Column(QT_TRANSLATE_NOOP("admin.models_view", "Id"), lambda m: m.id),
    Column(QT_TRANSLATE_NOOP("admin.models_view", "From"), lambda m: _word(m.origin), tooltip=lambda m: m.path),
]


class AddModelDialog(TaskDialog):
    def __init__(self, services: Services, session: Session, pool: WorkerPool, start: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            pool, self.tr("Add model package"),
            self.tr("The package folder (manifest.json and model.onnx) is verified (schema, file "
            "hashes, signature against the app's trusted keys, no custom operators) before "
            "it is copied into the site models folder."), self.tr("Verify and add"), parent)
        self.setObjectName("addModelDialog")
        self.services, self.session, self.start = services, session, start
        self.path = QLineEdit(self)
        self.path.setObjectName("modelPath")
        self.path.setAccessibleName(self.tr("Package folder"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QWidget(self)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path, 1)
        row_layout.addWidget(browse)
        self.approve = QCheckBox(self.tr("If it is &unsigned, approve exactly this package"), self)
        self.approve.setObjectName("approveUnsigned")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approveReason")
        self.reason.setAccessibleName(self.tr("Reason for approving an unsigned package"))
        self.reason.setPlaceholderText(self.tr("why it may run, e.g. validated locally on …"))
        self.reason.setEnabled(False)
        self.approve.toggled.connect(self.reason.setEnabled)
        self.form.addRow(self.tr("Package &folder:"), row)
        self.form.addRow("", self.approve)
        self.form.addRow(self.tr("&Reason:"), self.reason)

    def _browse(self) -> None:
        chosen = choose_open_path(self, self.tr("Choose a model package folder"), self.start, folder=True)
        if chosen is not None:
            self.path.setText(str(chosen))

    def problem(self) -> str | None:
        if not self.path.text().strip():
            return self.tr("Choose the package folder.")
        if self.approve.isChecked() and not self.reason.text().strip():
            return self.tr("Say why this unsigned package may run; the reason is kept in the audit log.")
        return None

    def task(self) -> TaskFn:
        models, session = self.services.models, self.session
        path, approve, reason = Path(self.path.text().strip()), self.approve.isChecked(), \
            self.reason.text().strip()
        return lambda _p, _c: models.add(session, path, allow_unsigned=approve, reason=reason)


class DisableModelDialog(TaskDialog):
    """Disable one package for every user; the reason is shown in the list (optional)."""

    def __init__(self, services: Services, session: Session, pool: WorkerPool, info: ModelInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            pool, self.tr("Disable model"),
            self.tr("Disable {value} ({id} {version}) for every user? It stays listed but is no longer "
                    "loaded, scored or analysed, whatever its signature, until an admin enables it again. "
                    "Results already stored are kept. The change is recorded in the audit log.").format(
                value=info.name or info.id, id=info.id, version=info.version), self.tr("Disable"), parent)
        self.setObjectName("disableModelDialog")
        self.services, self.session, self.package_id = services, session, info.id
        self.reason = QLineEdit(self)
        self.reason.setObjectName("disableReason")
        self.reason.setAccessibleName(self.tr("Reason for disabling the model"))
        self.reason.setPlaceholderText(self.tr("optional, e.g. local validation pending"))
        self.form.addRow(self.tr("&Reason:"), self.reason)

    def task(self) -> TaskFn:
        models, session, pid, reason = self.services.models, self.session, self.package_id, \
            self.reason.text().strip()
        return lambda _p, _c: models.disable(session, pid, reason=reason)


def verification_dialog(parent: QWidget | None, reports: list[VerifyReport]) -> QDialog:
    """One line per package, one child line per test vector."""
    dialog = QDialog(parent)
    dialog.setObjectName("verifyDialog")
    dialog.setWindowTitle(QCoreApplication.translate("admin.models_view", "Model verification"))
    layout = QVBoxLayout(dialog)
    failed = [r for r in reports if not r.ok]
    skipped = sum(r.skipped for r in reports)
    summary = QLabel(QCoreApplication.translate("admin.models_view", "{value} of {value2} packages passed "
                                                                     "(hashes, trust and every test vector).").format(
                         value=len(reports) - len(failed) - skipped, value2=len(reports) - skipped)
                     + (QCoreApplication.translate("admin.models_view", " {skipped} disabled, not checked.").format(
                            skipped=skipped) if skipped else "") if reports else
                     QCoreApplication.translate("admin.models_view", "No model packages are installed."), dialog)
    set_banner(summary, "error" if failed else "ok")
    layout.addWidget(summary)
    tree = QTreeWidget(dialog)
    tree.setObjectName("verifyTree")
    tree.setHeaderLabels(
        [
            QCoreApplication.translate("admin.models_view", "Package / test vector"),
            QCoreApplication.translate("admin.models_view", "Result"),
            QCoreApplication.translate("admin.models_view", "Detail"),
        ]
    )
    for r in reports:
        item = QTreeWidgetItem(
            tree,
            [
                f"{r.id} {r.version}",
                "skipped" if r.skipped else "passed" if r.ok else "FAILED",
                r.error
                or QCoreApplication.translate("admin.models_view", "{trust}; runs on {value}").format(
                    trust=r.trust, value=provider_name(r.provider) if r.provider else "—"
                ),
            ],
        )
        for check in r.checks:
            QTreeWidgetItem(item, [check.name, "ok" if check.ok else "FAILED", check.detail])
        item.setExpanded(not r.ok)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    layout.addWidget(tree)
    close = QPushButton(QCoreApplication.translate("admin.models_view", "Close"), dialog)
    close.clicked.connect(dialog.accept)
    layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
    dialog.resize(900, 520)
    return dialog


class ModelsPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPanel")
        self.ctx = ctx
        self.last_reports: list[VerifyReport] = []
        self.trust: TrustOverview | None = None
        self.table: RowsTable[ModelInfo] = RowsTable(MODEL_COLUMNS, "modelsTable",
                                                     self.tr("Model packages"), self)
        self.model = self.table.rows_model

        self.add_button = QPushButton(self.tr("&Add package…"), self)
        self.add_button.setObjectName("addModelButton")
        self.add_button.clicked.connect(self.add_package)
        self.verify_button = QPushButton(self.tr("Run &test vectors"), self)
        self.verify_button.setObjectName("verifyModelsButton")
        self.verify_button.clicked.connect(self.verify)
        self.revoke_button = QPushButton(self.tr("Re&voke approval…"), self)
        self.revoke_button.setObjectName("revokeApprovalButton")
        self.revoke_button.clicked.connect(self.revoke)
        self.toggle_button = QPushButton(self.tr("&Disable…"), self)
        self.toggle_button.setObjectName("toggleModelButton")
        self.toggle_button.clicked.connect(self.toggle_enabled)
        reload_button = QPushButton(self.tr("Re&load"), self)
        reload_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.toggle_button, self.verify_button, self.revoke_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(reload_button)

        self.trust_tree = QTreeWidget(self)
        self.trust_tree.setObjectName("trustTree")
        self.trust_tree.setAccessibleName(self.tr("Trust store and approvals"))
        self.trust_tree.setHeaderLabels([self.tr("Trust"), self.tr("Detail")])
        self.trust_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.trust_tree)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def selected(self) -> ModelInfo | None:
        return self.table.selected_row()

    def _approval_for(self, info: ModelInfo | None) -> str | None:
        if info is None or self.trust is None:
            return None
        return next((a.manifest_sha256 for a in self.trust.approvals
                     if a.manifest_sha256 == info.manifest_sha256), None)

    def _selection_changed(self, *_args: object) -> None:
        info = self.selected()
        self.revoke_button.setEnabled(self._approval_for(info) is not None)
        self.toggle_button.setEnabled(info is not None)
        self.toggle_button.setText(self.tr("&Enable…") if info is not None and info.disabled
                                   else self.tr("&Disable…"))

    # -- data ----------------------------------------------------------------------------
    def refresh(self) -> None:
        models, trust, session = self.ctx.services.models, self.ctx.services.model_trust, \
            self.ctx.session

        def load(_p: object, _c: object) -> tuple[list[ModelInfo], TrustOverview]:
            return models.list(session), trust.overview(session)
        self.ctx.pool.submit(load, name="list models", on_result=self._loaded, error_parent=self)

    def _loaded(self, result: tuple[list[ModelInfo], TrustOverview]) -> None:
        rows, self.trust = result
        self.model.set_rows(rows)
        self.trust_tree.clear()
        keys = QTreeWidgetItem(self.trust_tree, [self.tr("Trusted signing keys (ship with the app)"),
                                                 self.trust.folder])
        for key in self.trust.key_ids:
            QTreeWidgetItem(keys, [key, self.tr("Ed25519 public key")])
        if not self.trust.key_ids:
            QTreeWidgetItem(keys, [self.tr("none installed"), self.tr("only hash-pinned or approved packages run")])
        pins = QTreeWidgetItem(self.trust_tree, [self.tr("Hash-pinned shipped packages"),
                                                 self.tr("{len} packages").format(len=len(self.trust.pinned))])
        for package_id, version in self.trust.pinned:
            QTreeWidgetItem(pins, [package_id, version])
        approved = QTreeWidgetItem(self.trust_tree, [self.tr("Unsigned packages approved by an admin"),
                                                     f"{len(self.trust.approvals)}"])
        for a in self.trust.approvals:
            QTreeWidgetItem(approved, [f"{a.package_id} {a.version}",
                                       self.tr("by {approved_by} at {local_time}: {reason}").format(
                                           approved_by=a.approved_by,
                                           local_time=local_time(a.approved_at.isoformat()), reason=a.reason)])
        for item in (keys, approved):
            item.setExpanded(True)
        self._selection_changed()
        refresh_status = getattr(self.ctx.window, "refresh_status", None)
        if callable(refresh_status):  # listing built the sessions: the provider is now known
            refresh_status()

    # -- actions -------------------------------------------------------------------------
    def add_package(self) -> None:
        dialog = AddModelDialog(self.ctx.services, self.ctx.session, self.ctx.pool,
                                Path.home(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            info: ModelInfo = dialog.result_value
            self.refresh()
            inform(self, self.tr("Model added"), self.tr("{value} {version} is installed ({trust}) and runs on "
                                                "{provider_name}.").format(
                                            value=info.name or info.id, version=info.version,
                                            trust=info.trust, provider_name=provider_name(info.provider)))

    def verify(self) -> None:
        models, session = self.ctx.services.models, self.ctx.session
        run_with_progress(self.ctx.pool, self, self.tr("Verifying models"),
                          lambda _p, _c: models.verify(session), on_result=self._verified,
                          label=self.tr("Checking hashes and trust and running every test vector…"),
                          cancellable=False)

    def _verified(self, reports: list[VerifyReport]) -> None:
        self.last_reports = reports
        verification_dialog(self, reports).exec()

    def revoke(self) -> None:
        info = self.selected()
        sha = self._approval_for(info)
        if info is None or sha is None:
            return
        if not confirm(self, self.tr("Revoke approval"),
                       self.tr("Revoke the approval of {id} {version}? The unsigned package is refused from "
                               "now on, for every user.").format(id=info.id, version=info.version), self.tr("Revoke")):
            return
        trust, session = self.ctx.services.model_trust, self.ctx.session
        self.ctx.pool.submit(lambda _p, _c: trust.revoke(session, sha), name="revoke approval",
                             on_result=lambda _r: self.refresh(), error_parent=self)

    def toggle_enabled(self) -> None:
        """Disable the selected package (with an optional reason), or enable it again."""
        info = self.selected()
        if info is None:
            return
        if not info.disabled:
            dialog = DisableModelDialog(self.ctx.services, self.ctx.session, self.ctx.pool, info,
                                        self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.refresh()
            return
        if not confirm(self, self.tr("Enable model"),
                       self.tr("Enable {value} ({id} {version}) again? It was {disabled}. Clinicians can "
                               "then score and analyse with it.").format(
                           value=info.name or info.id, id=info.id, version=info.version,
                           disabled=info.disabled),
                       self.tr("Enable")):
            return
        models, session, pid = self.ctx.services.models, self.ctx.session, info.id
        self.ctx.pool.submit(lambda _p, _c: models.enable(session, pid), name="enable model",
                             on_result=lambda _r: self.refresh(), error_parent=self)
