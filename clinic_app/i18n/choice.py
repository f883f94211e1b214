"""Which language this process speaks: ``--lang``, then $CLINIC_APP_LANG, then the settings.

The settings already merge the site default with the user's own choice (the user config
wins), so a command line or environment override is the only thing left to weigh. A
misspelt override is refused with the list of languages, never silently ignored.
"""

from __future__ import annotations

import os

from clinic_app.errors import UsageError
from clinic_app.i18n import Language

ENV = "CLINIC_APP_LANG"


#: The language ``--lang`` or $CLINIC_APP_LANG forced on this process, if any: an account's
#: saved language does not replace it at sign-in.
_forced: list[Language] = []


def forced_language() -> Language | None:
    """What the command line or the environment chose for this process (None: nothing)."""
    return _forced[-1] if _forced else None


def chosen_language(setting: str, override: str | None = None) -> Language:
    _forced.clear()
    for source, value in (("--lang", override), (f"${ENV}", os.environ.get(ENV))):
        if value:
            try:
                _forced.append(Language(value.replace("-", "_")))
                return _forced[-1]
            except ValueError:
                names = ", ".join(lang.value for lang in Language)
                raise UsageError(f"{source}: unknown language {value!r}; choose one of {names}.") \
                    from None
    return Language(setting)
