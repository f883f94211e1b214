"""One translation catalogue for the GUI, the CLI and the clinical text the core writes.

Why a Qt-free entry point: the core and the CLI run headless (no Qt import allowed there),
yet the words they produce ("cannot compute: missing total cholesterol", a CLI error) reach
a clinician and must follow the user's language like the GUI does. The GUI translates with
Qt (``self.tr``/``QCoreApplication.translate``); everything else calls :func:`translate`
with the same context and source text, so one ``.ts`` file per language holds both.

This first version is the agreed interface only: it returns the English source text.
The localisation work (issue 21) loads the catalogue behind it.
"""

from __future__ import annotations

__all__ = ["translate"]


def translate(context: str, text: str) -> str:
    """Text in the current language; the English source text when no entry exists.

    ``context`` groups strings the way Qt does (a class or module name), so the same English
    word can carry two translations where the clinical meaning differs.
    """
    del context
    return text
