"""Site settings: the policy IT sets for every account on this workstation.

The form starts from the values this session runs with and writes a site configuration
file (``SiteConfigService.write``: validated, merged with keys not shown here, audited).
Nothing changes in the running app: security policy is read once at start-up, so a
session never runs half under the old policy and half under the new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.config import RANGES, Settings, site_config_path
from clinic_app.ui.dialogs import choose_open_path, choose_save_path, confirm, inform
from clinic_app.ui.shell.registry import WorkspaceContext


def _double(key: str, parent: QWidget, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    low, high = RANGES[key]
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSuffix(suffix)
    box.setObjectName(key)
    return box


def _int(key: str, parent: QWidget, suffix: str = "") -> QSpinBox:
    box = QSpinBox(parent)
    low, high = RANGES[key]
    box.setRange(int(low), int(high))
    box.setSuffix(suffix)
    box.setObjectName(key)
    return box


class _PathEdit(QWidget):
    def __init__(self, key: str, placeholder: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(key)
        self.edit.setPlaceholderText(placeholder)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)
        self.setFocusProxy(self.edit)

    def _browse(self) -> None:
        start = Path(self.edit.text()) if self.edit.text() else Path.home()
        chosen = choose_open_path(self, self.tr("Choose a folder"), start, folder=True)
        if chosen is not None:
            self.edit.setText(str(chosen))
            self.edit.setModified(True)

    def value(self) -> Path | None:
        """The folder as typed: a leading ~ is kept, so each user's app expands it to their
        own home (expanding it here would write the admin's home for everyone)."""
        text = self.edit.text().strip()
        return Path(text) if text else None


class SettingsPanel(QWidget):
    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        self.ctx = ctx
        intro = QLabel(
            self.tr("These settings are IT policy for every account on this workstation. They are saved to "
                    "the site configuration file and take effect the next time clinic-app starts. The usual "
                    "site file is {site_config_path}; only administrators can write it. Users cannot "
                    "override these keys.").format(site_config_path=site_config_path()), self)
        intro.setWordWrap(True)
        intro.setProperty("banner", "info")

        self.store_dir = _PathEdit("store_dir", self.tr("the per-user default"), self)
        self.models_dir = _PathEdit("models_dir", self.tr("none: only the models shipped with the app"),
                                    self)
        self.idle = _double("idle_timeout_minutes", self, " min")
        self.min_length = _int("password_min_length", self, " characters")
        self.lockout_threshold = _int("lockout_threshold", self, self.tr(" failed sign-ins"))
        self.lockout_minutes = _double("lockout_minutes", self, " min")
        self.gpu = QComboBox(self)
        self.gpu.setObjectName("gpu_preference")
        self.gpu.addItem(self.tr("Automatic: the GPU when it works, else the CPU"), "auto")
        self.gpu.addItem(self.tr("CPU only"), "cpu")
        self.unsigned = QCheckBox(self.tr("Allow unsigned model packages (each use is audited)"), self)
        self.unsigned.setObjectName("allow_unsigned_models")

        short = self.fontMetrics().horizontalAdvance("0" * 28)
        for box in (self.idle, self.min_length, self.lockout_threshold, self.lockout_minutes):
            box.setMaximumWidth(short)
        self.gpu.setMaximumWidth(short * 2)
        form = QFormLayout()
        form.addRow(self.tr("&Store location:"), self.store_dir)
        form.addRow(self.tr("Site &models folder:"), self.models_dir)
        form.addRow(self.tr("&Idle lock after:"), self.idle)
        form.addRow(self.tr("&Password minimum length:"), self.min_length)
        form.addRow(self.tr("&Lock sign-in after:"), self.lockout_threshold)
        form.addRow(self.tr("Lockout &duration:"), self.lockout_minutes)
        form.addRow(self.tr("&GPU preference:"), self.gpu)
        form.addRow("", self.unsigned)

        self.save_button = QPushButton(self.tr("&Save site configuration…"), self)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.clicked.connect(self.save)
        revert = QPushButton(self.tr("&Revert to current values"), self)
        revert.setObjectName("revertSettingsButton")
        revert.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(revert)
        buttons.addWidget(self.save_button)

        body = QWidget(self)  # a readable line length on wide screens
        body.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 110))
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        s: Settings = self.ctx.services.settings
        self.store_dir.edit.setText(str(s.store_dir))
        self.models_dir.edit.setText(str(s.models_dir) if s.models_dir else "")
        for edit in (self.store_dir.edit, self.models_dir.edit):
            edit.setModified(False)
        self.idle.setValue(s.idle_timeout_minutes)
        self.min_length.setValue(s.password_min_length)
        self.lockout_threshold.setValue(s.lockout_threshold)
        self.lockout_minutes.setValue(s.lockout_minutes)
        self.gpu.setCurrentIndex(self.gpu.findData(s.gpu_preference))
        self.unsigned.setChecked(s.allow_unsigned_models)

    def values(self) -> dict[str, Any]:
        """The keys to write. Folders only when edited: the store location shown may be
        this user's own default, which must not become every user's store."""
        values: dict[str, Any] = {
            key: edit.value() for key, edit in (("store_dir", self.store_dir),
                                                ("models_dir", self.models_dir))
            if edit.edit.isModified()
        }
        return values | {
            "idle_timeout_minutes": self.idle.value(),
            "password_min_length": self.min_length.value(),
            "lockout_threshold": self.lockout_threshold.value(),
            "lockout_minutes": self.lockout_minutes.value(),
            "gpu_preference": self.gpu.currentData(),
            "allow_unsigned_models": self.unsigned.isChecked(),
        }

    def save(self) -> None:
        path = choose_save_path(self, self.tr("Save site configuration"), site_config_path(),
                                self.tr("TOML (*.toml)"))
        if path is None:
            return
        if path.exists() and not confirm(
                self, self.tr("Replace site configuration?"),
                self.tr("{path} exists. Its keys not shown here are kept, but its comments are not.").format(
                    path=path),
                self.tr("Replace")):
            return
        site, session, values = self.ctx.services.site_config, self.ctx.session, self.values()
        self.ctx.pool.submit(lambda _p, _c: site.write(session, path, values),
                             name="save settings", on_result=self._saved, error_parent=self)

    def _saved(self, path: Path) -> None:
        inform(self, self.tr("Site configuration saved"),
               self.tr("Saved to {path}. The new policy applies when clinic-app next starts.").format(path=path))
