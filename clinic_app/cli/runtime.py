"""Shared plumbing for CLI commands: passwords, the acting user's session, output."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from clinic_app.config import Settings, load_settings, user_config_path
from clinic_app.errors import PasswordChangeRequired, UsageError
from clinic_app.i18n import set_language, translate
from clinic_app.i18n.choice import forced_language
from clinic_app.i18n.preference import account_language

if TYPE_CHECKING:  # --version and a calculator call build no services
    from clinic_app.services import Services, Session


class PasswordSource:
    """Passwords from stdin lines (``--password-stdin``) or asked for without echo.

    With stdin, line 1 is the acting user's password and line 2 any second password
    (a new user's, a reset, a new password), in the order the command documents.
    """

    def __init__(self, from_stdin: bool, stdin: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self._stdin = stdin or sys.stdin
        self._lines: Iterator[str] | None = None

    def next(self, prompt: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            if self._lines is None:
                self._lines = iter(self._stdin.read().splitlines())
            try:
                return next(self._lines)
            except StopIteration:
                raise UsageError(
                    translate("cli", "--password-stdin: expected another line on stdin ({strip}).").format(
                        strip=prompt.strip(': '))) from None
        if not sys.stdin.isatty():
            raise UsageError(translate("cli", "No terminal to ask for a password; use --password-stdin."))
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat: ") != first:
            raise UsageError(translate("cli", "The two passwords did not match."))
        return first


class Runtime:
    """One CLI invocation: settings, services, and helpers for commands."""

    def __init__(self, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> None:
        self.args = args
        self.stdout = stdout
        self.stderr = stderr
        self._settings: Settings | None = None
        self._services: Services | None = None
        self.passwords = PasswordSource(getattr(args, "password_stdin", False))
        self.acting_password = ""

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(getattr(self.args, "store", None))
        return self._settings

    @property
    def services(self) -> Services:
        if self._services is None:
            from clinic_app.services import Services

            self._services = Services(self.settings)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()

    @contextmanager
    def session(self, *, allow_password_change: bool = False) -> Iterator[Session]:
        """Log in as ``--user`` for the duration of one command, then log out."""
        user = getattr(self.args, "user", None)
        if not user:
            raise UsageError(translate("cli", "This command needs --user NAME (the person running it)."))
        password = self.passwords.next(translate("cli", "Password for {user}: ").format(user=user))
        self.acting_password = password
        sess = self.services.auth.login(user, password)
        speak_account_language(sess.username)
        try:
            if sess.must_change_password and not allow_password_change:
                raise PasswordChangeRequired(
                    translate("cli", "User '{username}' must change their password first: run 'clinic-app "
                                     "passwd --user NAME' (current password, then the new one).").format(
                        username=sess.username))
            yield sess
        finally:
            self.services.auth.logout(sess)

    # -- output --------------------------------------------------------------------------
    def print(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def print_json(self, data: Any) -> None:
        print(json.dumps(to_jsonable(data), indent=2, sort_keys=True, ensure_ascii=False),
              file=self.stdout)

    def table(self, rows: list[dict[str, Any]], columns: list[str]) -> None:
        if not rows:
            self.print("(none)")
            return
        text_rows = [[_cell(r.get(c)) for c in columns] for r in rows]
        widths = [max(len(c), *(len(tr[i]) for tr in text_rows)) for i, c in enumerate(columns)]
        self.print("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)))
        for tr in text_rows:
            self.print("  ".join(v.ljust(w) for v, w in zip(tr, widths, strict=True)).rstrip())


def speak_account_language(username: str) -> None:
    """Once ``username`` has signed in, speak the language they chose in the GUI (their
    ``preferences-<user>.toml`` beside the user config) for the rest of the command, as
    the GUI does at sign-in; ``--lang`` or $CLINIC_APP_LANG still win, and an account
    that never chose keeps the machine's language."""
    if forced_language() is not None:
        return
    language = account_language(user_config_path().parent, username)
    if language is not None:
        set_language(language)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def to_jsonable(data: Any) -> Any:
    if is_dataclass(data) and not isinstance(data, type):
        return to_jsonable(asdict(data))
    if isinstance(data, dict):
        return {str(k): to_jsonable(v) for k, v in data.items()}
    if isinstance(data, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in data]
    if isinstance(data, Path):
        return str(data)
    if isinstance(data, bytes):
        return data.hex()
    if hasattr(data, "value") and type(data).__module__ != "builtins" and isinstance(
            data.value, (str, int, float)):
        return data.value
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data
