"""argparse's own words ("usage:", "options", "the following arguments are required")
in the user's language.

argparse translates its messages through gettext with the module-level name ``_``;
pointing that name at our catalogue (context ``argparse``) makes ``--help`` and usage
errors read as one language, where before a Chinese help page was framed in English.
Only the messages a user meets are listed; the rest (programming errors in parser
definitions) stay as Python writes them.
"""

from __future__ import annotations

import argparse

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate

#: argparse's messages a user reads (Python 3.11 wording), for lupdate.
MESSAGES = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "show program's version number and exit"),
    QT_TRANSLATE_NOOP("argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("argparse", "one of the arguments %s is required"),
)


def _argparse_text(text: str) -> str:
    return translate("argparse", text)


def install() -> None:
    """Route argparse's messages through the catalogue (idempotent; follows the language
    of the moment, so English stays English)."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]
