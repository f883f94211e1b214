"""The interface language follows the account that signs in.

Before anyone signs in, the process speaks the machine's language (the last one chosen
here, else the site default), or what ``--lang``/$CLINIC_APP_LANG forced. When an
account signs in, its own saved language is installed before its window is built, so
every screen of the session is drawn in it; an account that never chose gets the
machine's language back (not the previous account's). A forced language wins over both.

Why per account and not per desktop login: clinicians share workstations under one
operating-system user, and one reads Chinese while the next reads English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from clinic_app.config import user_config_path
from clinic_app.i18n import Language, current_language
from clinic_app.i18n.choice import forced_language
from clinic_app.i18n.preference import account_language, saved_language
from clinic_app.ui.translators import install_language


class AccountLanguage:
    """Remembers the machine's language and switches to each signed-in account's."""

    def __init__(self, config: Path | None = None) -> None:
        self.config = config or user_config_path()
        self.folder = self.config.parent
        self._started_in = current_language()

    @property
    def machine(self) -> Language:
        """The last language chosen on this machine (the menu may have changed it since
        start), else what the process started in (the site default)."""
        return saved_language(self.config) or self._started_in

    def for_account(self, username: str) -> Language:
        """The language ``username``'s session is drawn in."""
        forced = forced_language()
        if forced is not None:
            return forced
        return account_language(self.folder, username) or self.machine

    def signed_in(self, username: str) -> Language:
        """Install ``username``'s language (before their window is built); returns it."""
        return self._install(self.for_account(username))

    def signed_out(self) -> Language:
        """Back to the machine's language for the next sign-in screen."""
        return self._install(forced_language() or self.machine)

    @staticmethod
    def _install(language: Language) -> Language:
        app = QApplication.instance()
        if language is not current_language() and app is not None:
            install_language(app, language)
        return language
