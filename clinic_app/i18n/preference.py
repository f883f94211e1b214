"""A user's language choice, saved in their own config file.

Why the user config file: it is where a user's comfort settings already live (theme,
auto-analysis), it is readable before anyone signs in (the sign-in screen is drawn in the
user's language), and it holds no secret. The site default is the site config's
``language`` key. Only the ``language`` line is touched: the rest of the file, comments
included, stays as the user or IT wrote it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from clinic_app.i18n import Language

_LINE = re.compile(r"""^\s*(?:language|"language"|'language')\s*=.*$""", re.MULTILINE)
_TABLE = re.compile(r"^\s*\[\s*clinic_app\s*\]\s*$", re.MULTILINE)
_ANY_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def with_language(text: str, language: Language) -> str:
    """``text`` (a TOML config) with its ``language`` key set to ``language``."""
    line = f'language = "{language.value}"'
    if _LINE.search(text):
        return _LINE.sub(line, text, count=1)
    table = _TABLE.search(text)
    if table:  # inside [clinic_app], right after its header
        return text[: table.end()] + "\n" + line + text[table.end():]
    first_table = _ANY_TABLE.search(text)
    if first_table:  # a top-level key must come before the first table
        return text[: first_table.start()] + line + "\n" + text[first_table.start():]
    return text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"


def save_language(path: Path, language: Language) -> None:
    """Write the choice into the user config at ``path`` (created if missing), atomically."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        text = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(with_language(text, language))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
