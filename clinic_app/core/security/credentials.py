"""Per-account key material: what a password unlocks, and how it is bound to its owner.

An account's password derives (Argon2id) a key-encryption key that wraps two secrets:
the system key and the account's X25519 private key. The associated data of each wrap is
``wrap|v1|<user_id>|<role>|<kdf params>|<purpose>``: copying a wrap to another account,
or editing the role beside it, makes it fail to open. A clinician's copy of the clinical
key is sealed to their public key with ``seal|v1|<user_id>|<role>|clinical``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from clinic_app.core.security import keywrap
from clinic_app.core.security.kdf import KdfParams
from clinic_app.core.security.passwords import encode_for_kdf
from clinic_app.core.security.roles import Role
from clinic_app.core.store.keyring import EnrolmentRecord, KeyRecord


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


# -- enrolment ------------------------------------------------------------------------------
def make_enrolment(user_id: str, username: str, role: Role, password: str, system_key: bytes,
                   kdf: KdfParams) -> EnrolmentRecord:
    """What an account IT creates or resets holds: the system key (IT's own key) under the
    temporary password, and nothing else. The key pair is made at the person's first
    sign-in, under the password only they know."""
    kek = kdf.derive(encode_for_kdf(password))
    encoded = kdf.encode()
    return EnrolmentRecord(user_id=user_id, username=username, role=role.value, kdf=encoded,
                           wrapped_system=keywrap.wrap(kek, system_key,
                                                       wrap_ad(user_id, role, encoded, "enrol")))


def unlock_enrolment(rec: EnrolmentRecord, password: str) -> bytes:
    kdf = KdfParams.decode(rec.kdf)
    kek = kdf.derive(encode_for_kdf(password))
    return keywrap.unwrap(kek, rec.wrapped_system, wrap_ad(rec.user_id, rec.role, rec.kdf, "enrol"))


def fingerprint(public_key: bytes) -> str:
    """Short fingerprint of a public key, read aloud or compared on two screens."""
    digest = hashlib.sha256(b"clinic-app|x25519|" + public_key).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def public_from_private(private: bytes) -> bytes:
    """The requester's fingerprint is computed from the private key they unwrapped, so a
    public key swapped in the stores shows a different fingerprint on the approver's screen."""
    return keywrap.public_bytes(X25519PrivateKey.from_private_bytes(private))
