"""IT operations in the admin workspace: backup (now, and nightly), blob collection, audit
forwarding and clinical-key rotation requests. Everything runs on the worker pool and shows
its outcome here; nothing on this tab can read patient data (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.core.backup_schedule import install_steps, systemd_units
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import ClinicAppError
from clinic_app.ui.dialogs import choose_open_path
from clinic_app.ui.shell.registry import WorkspaceContext


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel("", parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class OperationsPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operationsPanel")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(self._backup_box())
        row = QHBoxLayout()
        row.addWidget(self._gc_box(), 1)
        row.addWidget(self._forward_box(), 1)
        row.addWidget(self._keys_box(), 1)
        layout.addLayout(row)
        layout.addStretch(1)

    # -- backup ------------------------------------------------------------------------------
    def _backup_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Backup (encrypted; restoring it needs the same passwords)"), self)
        self.backup_folder = QLineEdit(box)
        self.backup_folder.setObjectName("backupFolder")
        self.backup_folder.setPlaceholderText(self.tr("/srv/backup/clinic-app"))
        browse = QPushButton(self.tr("&Browse…"), box)
        browse.clicked.connect(self._browse)
        self.backup_button = QPushButton(self.tr("Back up &now"), box)
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_time = QTimeEdit(box)
        self.backup_time.setDisplayFormat("HH:mm")
        self.backup_time.setTime(QTime(2, 0))  # a quiet hour at most sites
        self.schedule_button = QPushButton(self.tr("&Schedule nightly…"), box)
        self.schedule_button.setObjectName("backupSchedule")
        self.schedule_button.clicked.connect(self.show_schedule)
        self.backup_message = _label(box, "backupMessage")
        self.schedule_text = QPlainTextEdit(box)
        self.schedule_text.setObjectName("backupScheduleText")
        self.schedule_text.setReadOnly(True)
        self.schedule_text.setVisible(False)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(browse)
        folder_row.addWidget(self.backup_button)
        time_row = QHBoxLayout()
        time_row.addWidget(QLabel(self.tr("Every night at"), box))
        time_row.addWidget(self.backup_time)
        time_row.addWidget(self.schedule_button)
        time_row.addStretch(1)
        form = QFormLayout(box)
        form.addRow(self.tr("Backup folder"), folder_row)
        form.addRow("", time_row)
        form.addRow("", self.backup_message)
        form.addRow("", self.schedule_text)
        return box

    def _browse(self) -> None:
        chosen = choose_open_path(self, self.tr("Backup folder"), Path.home(), folder=True)
        if chosen is not None:
            self.backup_folder.setText(str(chosen))

    def _target(self) -> Path | None:
        text = self.backup_folder.text().strip()
        if not text or not Path(text).expanduser().is_absolute():
            self.backup_message.setText(self.tr("Choose an absolute folder for the backup first."))
            return None
        return Path(text).expanduser()

    def backup_now(self) -> None:
        target = self._target()
        if target is None:
            return
        services, session = self.ctx.services, self.ctx.session
        self.backup_button.setEnabled(False)
        self.backup_message.setText(self.tr("Backing up…"))

        def run(progress: ProgressCallback, _cancel: CancelToken) -> Any:
            return services.store_admin.backup(session, target,
                                               progress=lambda d, t: progress(d, t, "blobs"))

        def done(report: Any) -> None:
            self.backup_button.setEnabled(True)
            self.backup_message.setText(
                self.tr("Backup set {set_name} written: {blobs_total} blobs ({blobs_copied} new, {value:.1f} "
                        "MB copied).").format(
                    set_name=report.set_name, blobs_total=report.blobs_total,
                    blobs_copied=report.blobs_copied, value=report.bytes_copied / 1e6))

        def failed(exc: BaseException) -> None:
            self.backup_button.setEnabled(True)
            self.backup_message.setText(
                self.tr("Backup failed: {exc}").format(exc=exc)
                if isinstance(exc, ClinicAppError)
                else self.tr("Backup failed ({name__}); see the log.").format(name__=type(exc).__name__)
            )

        self.ctx.pool.submit(run, name="backup", on_result=done, on_error=failed,
                             on_progress=lambda d, t, _m: self.backup_message.setText(
                                 self.tr("Backing up… {d} of {t} blobs").format(d=d, t=t)))

    def show_schedule(self) -> None:
        target = self._target()
        if target is None:
            return
        try:
            units = systemd_units(self.ctx.services.settings.store_dir, target, self.ctx.session.username,
                                  self.backup_time.time().toString("HH:mm"))
        except ClinicAppError as exc:
            self.backup_message.setText(str(exc))
            return
        text = "\n".join(f"# --- {name}\n{body}" for name, body in units.items())
        text += "\n# --- install (as root), after saving the two files into a folder:\n"
        text += install_steps(Path("FOLDER"))
        self.schedule_text.setPlainText(text)
        self.schedule_text.setVisible(True)
        self.backup_message.setText(self.tr("Save these two units and install them as root (Windows: a "
                                    "Task Scheduler task running the same command; docs/operations.md)."))

    # -- blob collection ---------------------------------------------------------------------
    def _gc_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Unreferenced files"), self)
        self.gc_check = QPushButton(self.tr("&Check"), box)
        self.gc_check.setObjectName("gcCheck")
        self.gc_check.clicked.connect(lambda: self.collect(dry_run=True))
        self.gc_remove = QPushButton(self.tr("&Remove leftovers"), box)
        self.gc_remove.setObjectName("gcRemove")
        self.gc_remove.clicked.connect(lambda: self.collect(dry_run=False))
        self.gc_message = _label(box, "gcMessage")
        layout = QVBoxLayout(box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.gc_check)
        buttons.addWidget(self.gc_remove)
        layout.addLayout(buttons)
        layout.addWidget(self.gc_message)
        return box

    def collect(self, *, dry_run: bool) -> None:
        services, session = self.ctx.services, self.ctx.session

        def done(r: Any) -> None:
            verb = self.tr("would be removed") if r.dry_run else "removed"
            self.gc_message.setText(
                self.tr("{blob_files} stored files; {temp_files} leftovers of interrupted writes "
                        "({value:.1f} MB) {verb}. Files no record refers to can only be found with the "
                        "clinical key: a clinician runs 'clinic-app store gc'.").format(
                    blob_files=r.blob_files, temp_files=r.temp_files, value=r.temp_bytes / 1e6, verb=verb))

        self.ctx.pool.submit(lambda _p, _c: services.store_admin.gc(session, dry_run=dry_run),
                             name="store gc", on_result=done,
                             on_error=lambda exc: self.gc_message.setText(str(exc)))

    # -- audit forwarding --------------------------------------------------------------------
    def _forward_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Audit forwarding"), self)
        s = self.ctx.services.settings
        where = (
            self.tr("to {audit_syslog_host}:{audit_syslog_port} (syslog over TLS)").format(
                audit_syslog_host=s.audit_syslog_host, audit_syslog_port=s.audit_syslog_port
            )
            if s.audit_syslog_host
            else self.tr("not configured (site settings audit_syslog_host, audit_syslog_ca)")
        )
        self.forward_button = QPushButton(self.tr("&Forward now"), box)
        self.forward_button.setObjectName("auditForward")
        self.forward_button.setEnabled(bool(s.audit_syslog_host))
        self.forward_button.clicked.connect(self.forward)
        self.forward_message = _label(box, "forwardMessage")
        if s.audit_syslog_host and s.audit_forward_live:
            self.forward_message.setText(self.tr(
                "Each audit entry goes to {host}:{port} (syslog over TLS) as it is written; "
                "Forward now sends anything still queued.").format(
                    host=s.audit_syslog_host, port=s.audit_syslog_port))
        else:
            self.forward_message.setText(self.tr("Audit entries go {where}.").format(where=where))
        layout = QVBoxLayout(box)
        layout.addWidget(self.forward_button)
        layout.addWidget(self.forward_message)
        return box

    def forward(self) -> None:
        services, session = self.ctx.services, self.ctx.session
        self.ctx.pool.submit(lambda _p, _c: services.audit_forwarding.forward(session), name="audit forward",
                             on_result=lambda r: self.forward_message.setText(
                                 self.tr("Forwarded {sent} entries (up to entry {last_seq}).").format(
                                     sent=r.sent, last_seq=r.last_seq)),
                             on_error=lambda exc: self.forward_message.setText(str(exc)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.show_forwarding_state()

    def show_forwarding_state(self) -> None:
        """Per-event forwarding's state (in memory, no I/O): what is still queued and why."""
        try:
            state = self.ctx.services.audit_forwarding.live_state(self.ctx.session)
        except ClinicAppError as exc:
            self.forward_message.setText(str(exc))
            return
        if state is not None and state.last_error:
            self.forward_message.setText(self.tr(
                "{count} audit entries are queued, not yet at the collector (they are kept and "
                "sent in order): {error}").format(count=state.queued, error=state.last_error))

    # -- key rotation ------------------------------------------------------------------------
    def _keys_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Key to patient data"), self)
        self.rotation_reason = QLineEdit(box)
        self.rotation_reason.setObjectName("rotationReason")
        self.rotation_reason.setPlaceholderText(self.tr("Why, e.g. 'dr.x left the practice'"))
        self.rotation_button = QPushButton(self.tr("Request &rotation"), box)
        self.rotation_button.setObjectName("rotationRequest")
        self.rotation_button.clicked.connect(self.request_rotation)
        self.rotation_message = _label(box, "rotationMessage")
        layout = QVBoxLayout(box)
        layout.addWidget(self.rotation_reason)
        layout.addWidget(self.rotation_button)
        layout.addWidget(self.rotation_message)
        return box

    def refresh(self) -> None:
        try:
            status = self.ctx.services.key_rotation.status(self.ctx.session)
        except ClinicAppError as exc:
            self.rotation_message.setText(str(exc))
            return
        if status.in_progress:
            text = self.tr("Rotation in progress since {started_at} (by {started_by}).").format(
                       started_at=status.started_at, started_by=status.started_by)
        elif status.requested:
            text = self.tr("Rotation requested {requested}; a clinician who holds the key runs it.").format(
                       requested=status.requested)
        else:
            text = (self.tr("IT cannot rotate the key (it never holds it). After disabling a clinician, "
                    "request a rotation; the next key holder runs it."))
        self.rotation_message.setText(text)

    def request_rotation(self) -> None:
        try:
            self.ctx.services.key_rotation.request(self.ctx.session, self.rotation_reason.text())
        except ClinicAppError as exc:
            self.rotation_message.setText(str(exc))
            return
        self.rotation_reason.clear()
        self.refresh()
