"""One translation catalogue for the GUI, the CLI and the clinical text the core writes.

Why a Qt-free entry point: the core and the CLI run headless (no Qt import allowed there),
yet the words they produce ("cannot compute: missing total cholesterol", a CLI error) reach
a clinician and must follow the user's language like the GUI does. The GUI translates with
Qt (``self.tr``/``QCoreApplication.translate``); everything else calls :func:`translate`
with the same context and source text, so one ``.ts`` file per language holds both.

The source catalogue is ``resources/i18n/clinic_app_<lang>.ts`` (written by
``pyside6-lupdate``, translated by a person); ``scripts/update_translations.py`` compiles
it to the ``.qm`` Qt loads and to the small JSON table this module reads, both shipped in
``clinic_app/resources/i18n``. ``pyside6-lupdate`` recognises ``translate("ctx", "text")``
as written here, so every call site must pass the context and the text as literals.

The language is process-wide: one person uses a workstation at a time, and the CLI runs
one command for one user. It is chosen per user (the user config's ``language`` key,
written by the shell's Language menu), with the site default from the site config.
"""

from __future__ import annotations

import threading
from enum import StrEnum

from clinic_app.i18n.catalogue import Catalogue, load_catalogue

__all__ = ["QT_TRANSLATE_NOOP", "Language", "current_language", "set_language", "translate",
           "translate_any"]


class Language(StrEnum):
    """The interface languages shipped; the value is the catalogue's locale name."""

    ENGLISH = "en"
    CHINESE_SIMPLIFIED = "zh_CN"

    @property
    def native_name(self) -> str:
        """How the language names itself (a menu lists each in its own script)."""
        return _NATIVE_NAMES[self]


_NATIVE_NAMES = {Language.ENGLISH: "English", Language.CHINESE_SIMPLIFIED: "简体中文"}

_lock = threading.Lock()
_language = Language.ENGLISH
_catalogue: Catalogue | None = None


def set_language(language: str | Language) -> Language:
    """Switch the process to ``language`` (a :class:`Language` value); returns it.

    An unknown name raises ValueError: config values are checked before they get here,
    so this is a programming error, not a user's.
    """
    global _language, _catalogue
    chosen = Language(language)
    table = None if chosen is Language.ENGLISH else load_catalogue(chosen.value)
    with _lock:
        _language, _catalogue = chosen, table
    return chosen


def current_language() -> Language:
    return _language


def translate(context: str, text: str) -> str:
    """Text in the current language; the English source text when no entry exists.

    ``context`` groups strings the way Qt does (a class or module name), so the same English
    word can carry two translations where the clinical meaning differs.
    """
    table = _catalogue
    if table is None:
        return text
    return table.lookup(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Mark ``text`` for the catalogue where it is defined (a module-level table) and
    return it unchanged; the code that shows it translates it with :func:`translate_any`
    or ``translate(context, text)``."""
    del context
    return text


def translate_any(text: str) -> str:
    """Text in the current language, found under any context.

    For strings defined once in a table (column titles, workspace titles, role names) and
    shown by generic code that does not know the table's context. Where one English text
    has different translations in two contexts this returns one of them, so clinical
    words that need a context-specific rendering use :func:`translate` instead.
    """
    table = _catalogue
    if table is None:
        return text
    return table.lookup_any(text)
