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


class CatalogueTranslator(QTranslator):
    """Our catalogue, with the empty context as a fallback.

    ``pyside6-lupdate`` files ``self.tr`` text of a class whose Qt base it cannot see (a
    workspace mixin deriving from ``WorkspaceWidget``, defined in another module) under
    the empty context, while PySide6 looks it up under the runtime class names; without
    this fallback such text stayed English on a Chinese screen.
    """

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        found = super().translate(context, source, disambiguation, n)
        if not found and context:
            found = super().translate("", source, disambiguation, n)
        # None (a null QString), not "": Qt takes an empty string for a translation and
        # would stop asking the next translator (qtbase's standard buttons).
        return found or None


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
        translator = CatalogueTranslator(app) if name.startswith("clinic_app") else QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return chosen
