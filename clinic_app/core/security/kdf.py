"""Password-based key derivation with Argon2id.

Parameters travel with every wrapped key (and are bound into its associated data), so
they can be raised later without breaking existing accounts: the stored parameters are
used to unwrap, and the current policy's parameters are used when re-wrapping.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from clinic_app.errors import ConfigError, IntegrityError

#: The floor we accept for new wraps: above OWASP's minimum because a desktop unlock is
#: rare and we can afford ~0.3 s (measured in benchmarks/store.py).
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3


@dataclass(frozen=True)
class KdfParams:
    """One Argon2id configuration plus its salt."""

    salt: bytes
    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    lanes: int = 1

    @classmethod
    def fresh(cls, memory_kib: int = MIN_MEMORY_KIB, iterations: int = MIN_ITERATIONS) -> KdfParams:
        if memory_kib < MIN_MEMORY_KIB or iterations < MIN_ITERATIONS:
            raise ConfigError(
                f"Argon2id parameters m={memory_kib} KiB, t={iterations} are below the floor "
                f"(m>={MIN_MEMORY_KIB} KiB, t>={MIN_ITERATIONS}); raise them in the site config."
            )
        return cls(salt=os.urandom(16), memory_kib=memory_kib, iterations=iterations)

    def derive(self, secret: bytes) -> bytes:
        """Derive a 256-bit key-encryption key from ``secret`` (a normalised password)."""
        return Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(secret)

    def encode(self) -> str:
        """Canonical text form, stored beside the wrap and bound into its associated data."""
        salt = base64.b64encode(self.salt).decode("ascii")
        return f"argon2id$v=19$m={self.memory_kib},t={self.iterations},p={self.lanes}${salt}"

    @classmethod
    def decode(cls, text: str) -> KdfParams:
        try:
            name, version, params, salt = text.split("$")
            if name != "argon2id" or version != "v=19":
                raise ValueError(name)
            fields = dict(item.split("=", 1) for item in params.split(","))
            return cls(
                salt=base64.b64decode(salt, validate=True),
                memory_kib=int(fields["m"]),
                iterations=int(fields["t"]),
                lanes=int(fields["p"]),
            )
        except (ValueError, KeyError) as exc:
            raise IntegrityError(
                "A stored key-derivation record is malformed; the key file may be damaged. "
                "Restore it from backup or ask IT to reset the account."
            ) from exc
