"""Load the interface language into Qt: our catalogue and Qt's own dialogs' strings.

Qt looks a string up in every installed translator, newest first; ours carries the app's
text, ``qtbase_<lang>`` the standard buttons and dialogs (OK, Cancel, the file dialog).
The Qt-free catalogue (:mod:`clinic_app.i18n`) is switched at the same moment, so text
the core and the services produce follows the same language as the widgets.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from clinic_app.i18n import Language, set_language
from clinic_app.i18n.catalogue import compiled_dir

_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, language: str | Language) -> Language:
    """Make ``language`` the interface language of ``app`` (and of the Qt-free side).

    Widgets built afterwards show it; widgets already on screen keep their text, which is
    why the shell applies a change at the next sign-in (see ``MainWindow``).
    """
    chosen = set_language(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(chosen.value if chosen is not Language.ENGLISH else "en_US"))
    if chosen is Language.ENGLISH:
        return chosen
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{chosen.value}", qt_dir),
                         (f"clinic_app_{chosen.value}", str(compiled_dir()))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return chosen
