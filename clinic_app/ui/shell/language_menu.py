"""View → Language: the user picks the interface language; it is saved for their account.

The choice goes into the signed-in account's preferences file (applied whenever that
account signs in, see ``account_language``) and into the user config as this machine's
last choice (``language = "zh_CN"``), which draws the next sign-in screen; the site
config's ``language`` is the default for accounts that never chose. Widgets already on
screen keep their text (re-building every open screen live would lose unsaved work), and
the workspaces' module-level tables were translated when first imported, so the user is
offered to quit: the next start is entirely in the new language.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from clinic_app.config import user_config_path
from clinic_app.errors import ConfigError
from clinic_app.i18n import Language, current_language
from clinic_app.i18n.preference import save_account_language, save_language
from clinic_app.ui.translators import install_language


class LanguageMenu(QMenu):
    """One checkable entry per shipped language, each named in its own script."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window.tr("&Language"), window)
        self.setObjectName("languageMenu")
        self.window_ = window
        group = QActionGroup(self)
        group.setExclusive(True)
        for language in Language:
            action = QAction(language.native_name, self)
            action.setObjectName(f"language_{language.value}")
            action.setCheckable(True)
            action.setChecked(language is current_language())
            action.setData(language.value)
            group.addAction(action)
            self.addAction(action)
        group.triggered.connect(self._chosen)

    def _chosen(self, action: QAction) -> None:
        language = Language(action.data())
        if language is current_language():
            return
        path = user_config_path()
        session = getattr(self.window_, "session", None)
        try:
            if session is not None:
                save_account_language(path.parent, session.username, language)
            save_language(path, language)
        except OSError as exc:
            raise ConfigError(self.tr("Cannot save the language in {path}: {reason}.").format(
                path=path, reason=exc.strerror or type(exc).__name__)) from exc
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_language(app, language)
        answer = QMessageBox.question(
            self.window_, self.tr("Language"),
            self.tr("The interface language is now {language}. It applies to every screen when "
                    "clinic-app next starts; screens already open keep their text. Quit now?").format(
                language=language.native_name))
        if answer == QMessageBox.StandardButton.Yes:
            signal = getattr(self.window_, "quit_requested", None)
            if signal is not None:
                signal.emit()
