"""A language choice, saved per application account and as this machine's last choice.

Two files, both outside the encrypted store because the sign-in screen must be drawn
before any key is unlocked and neither holds a secret or patient data:

* the account's own preferences file, ``preferences-<username>.toml`` beside the user
  config (where a reader's key bindings and hanging protocols already live, one file per
  signed-in account, so two accounts sharing a desktop login keep their own language);
  it is applied when that account signs in;
* the user config's ``language`` key: the last language chosen on this machine, which
  draws the sign-in screen; without it, the site config's ``language`` is the default.

``--lang`` and ``$CLINIC_APP_LANG`` override both (see :mod:`clinic_app.i18n.choice`).
Only the ``language`` line is touched: the rest of a file, comments included, stays as
the user or IT wrote it.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
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


def _safe(username: str) -> str:
    """The account name as a file-name part (the same rule as the reader's own files)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", username)[:64] or "user"


def account_preferences_path(folder: Path, username: str) -> Path:
    """Where ``username``'s own preferences live in ``folder`` (the user config's folder)."""
    return folder / f"preferences-{_safe(username)}.toml"


def saved_language(path: Path) -> Language | None:
    """The ``language`` a TOML file at ``path`` names (top level or ``[clinic_app]``).

    A file that cannot be read or names no shipped language counts as no choice: the
    sign-in then keeps the machine's language rather than refusing a clinician entry
    over a comfort setting (the next choice from the menu rewrites the file).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError):
        return None
    table = data.get("clinic_app")
    value = data.get("language", table.get("language") if isinstance(table, dict) else None)
    try:
        return Language(str(value))
    except ValueError:
        return None


def account_language(folder: Path, username: str) -> Language | None:
    """The language ``username`` chose, or None when they never chose one."""
    return saved_language(account_preferences_path(folder, username))


def save_account_language(folder: Path, username: str, language: Language) -> Path:
    """Write ``username``'s choice into their preferences file; returns its path."""
    path = account_preferences_path(folder, username)
    save_language(path, language)
    return path
