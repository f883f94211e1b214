"""Password policy after NIST SP 800-63B: length, not composition rules.

Passwords are NFKC-normalised so that the same visible password typed on two keyboards
(full-width digits, ligatures, compatibility forms) derives the same key. They are never
truncated. Over-long input is refused *before* hashing so that a megabyte "password"
cannot be used to burn CPU and memory in Argon2id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from clinic_app.errors import InvalidInput

MAX_PASSWORD_CHARS = 1024


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 12
    max_length: int = MAX_PASSWORD_CHARS

    def check(self, password: str) -> str:
        """Return the normalised password, or raise InvalidInput saying what to change."""
        if len(password) > self.max_length:
            raise InvalidInput(
                f"Passwords may be at most {self.max_length} characters; choose a shorter one."
            )
        normalised = normalise(password)
        if len(normalised) < self.min_length:
            raise InvalidInput(
                f"Passwords must be at least {self.min_length} characters; "
                "a few unrelated words make a strong one."
            )
        if normalised.strip() == "":
            raise InvalidInput("A password cannot be only spaces.")
        return normalised


def normalise(password: str) -> str:
    """NFKC form used for both setting and checking a password."""
    return unicodedata.normalize("NFKC", password)


def encode_for_kdf(password: str) -> bytes:
    """Bytes fed to the KDF: bounded first, so the length check cannot be bypassed."""
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(
            f"Passwords may be at most {MAX_PASSWORD_CHARS} characters; choose a shorter one."
        )
    return normalise(password).encode("utf-8")


def normalise_username(name: str) -> str:
    """User names compare case-insensitively after NFKC (so 'ＡＤＭＩＮ' is 'admin')."""
    return unicodedata.normalize("NFKC", name).strip().casefold()
