"""Per-account key material: what a password unlocks, and how it is bound to its owner.

An account's password derives (Argon2id) a key-encryption key that wraps two secrets:
the system key and the account's X25519 private key. The associated data of each wrap is
``wrap|v1|<user_id>|<role>|<kdf params>|<purpose>``: copying a wrap to another account,
or editing the role beside it, makes it fail to open. A clinician's copy of the clinical
key is sealed to their public key with ``seal|v1|<user_id>|<role>|clinical``.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass

from clinic_app.core.security import keywrap
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.passwords import encode_for_kdf
from clinic_app.core.security.roles import Role
from clinic_app.core.store.keyring import KeyRecord, RecoveryRecord


def wrap_ad(user_id: str, role: Role | str, kdf: str, purpose: str) -> bytes:
    role_text = role.value if isinstance(role, Role) else role
    return f"wrap|v1|{user_id}|{role_text}|{kdf}|{purpose}".encode()


def seal_ad(user_id: str, role: Role | str) -> bytes:
    role_text = role.value if isinstance(role, Role) else role
    return f"seal|v1|{user_id}|{role_text}|clinical".encode()


def new_user_id() -> str:
    return "u-" + secrets.token_hex(8)


@dataclass(frozen=True)
class Unlocked:
    """What a correct password yields."""

    system_key: bytes
    private_key: bytes
    clinical_key: bytes | None


def make_key_record(user_id: str, username: str, role: Role, password: str, system_key: bytes,
                    kdf: KdfParams, *, keypair: tuple[bytes, bytes] | None = None,
                    clinical_key: bytes | None = None) -> KeyRecord:
    """Wrap keys for an account under ``password`` (already checked against the policy)."""
    private, public = keypair or keywrap.new_keypair()
    kek = kdf.derive(encode_for_kdf(password))
    encoded = kdf.encode()
    sealed = None
    if clinical_key is not None:
        sealed = keywrap.seal(public, clinical_key, seal_ad(user_id, role))
    return KeyRecord(
        user_id=user_id, username=username, role=role.value, kdf=encoded,
        wrapped_system=keywrap.wrap(kek, system_key, wrap_ad(user_id, role, encoded, "system")),
        wrapped_private=keywrap.wrap(kek, private, wrap_ad(user_id, role, encoded, "x25519")),
        public_key=public, sealed_clinical=sealed,
    )


def unlock_key_record(rec: KeyRecord, password: str) -> Unlocked:
    """Derive and unwrap; raises ``keywrap.UnwrapFailed`` for a wrong password or tampering."""
    kdf = KdfParams.decode(rec.kdf)
    kek = kdf.derive(encode_for_kdf(password))
    system_key = keywrap.unwrap(kek, rec.wrapped_system, wrap_ad(rec.user_id, rec.role, rec.kdf, "system"))
    private = keywrap.unwrap(kek, rec.wrapped_private, wrap_ad(rec.user_id, rec.role, rec.kdf, "x25519"))
    clinical = None
    if rec.sealed_clinical is not None:
        clinical = keywrap.open_sealed(private, rec.sealed_clinical, seal_ad(rec.user_id, rec.role))
    return Unlocked(system_key, private, clinical)


# -- recovery code -----------------------------------------------------------------------
RECOVERY_GROUPS = 6
_RECOVERY_AD = b"recovery|v1|"


def new_recovery_code() -> str:
    """150 random bits as six groups of five base32 characters, easy to write down."""
    raw = base64.b32encode(os.urandom(20)).decode("ascii")[: RECOVERY_GROUPS * 5]
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def normalise_recovery_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))


def make_recovery_record(code: str, system_key: bytes, clinical_key: bytes,
                         kdf: KdfParams) -> RecoveryRecord:
    kek = kdf.derive(normalise_recovery_code(code).encode())
    encoded = kdf.encode()
    return RecoveryRecord(
        kdf=encoded,
        wrapped_system=keywrap.wrap(kek, system_key, _RECOVERY_AD + encoded.encode() + b"|system"),
        wrapped_clinical=keywrap.wrap(kek, clinical_key, _RECOVERY_AD + encoded.encode() + b"|clinical"),
    )


def unlock_recovery(rec: RecoveryRecord, code: str) -> tuple[bytes, bytes]:
    kdf = KdfParams.decode(rec.kdf)
    kek = kdf.derive(normalise_recovery_code(code).encode())
    ad = _RECOVERY_AD + rec.kdf.encode()
    return (keywrap.unwrap(kek, rec.wrapped_system, ad + b"|system"),
            keywrap.unwrap(kek, rec.wrapped_clinical, ad + b"|clinical"))
