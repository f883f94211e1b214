"""Key wrapping (AES-256-GCM) and sealing to a public key (X25519 + HKDF + AES-256-GCM).

Wrapping protects a data key under a key derived from a password. Sealing lets one user
hand the clinical key to another user's public key without knowing their password, the
way Bitwarden and 1Password share vault keys. Associated data binds every ciphertext to
its owner and purpose, so a wrapped key copied to another account fails to open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.errors import UnwrapFailed as UnwrapFailed

NONCE_BYTES = 12
KEY_BYTES = 32
_SEAL_VERSION = b"\x01"


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap(kek: bytes, secret: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, secret, ad)


def unwrap(kek: bytes, blob: bytes, ad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise UnwrapFailed("A wrapped key is too short; the key file is damaged.")
    try:
        return AESGCM(kek).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad)
    except InvalidTag as exc:
        raise UnwrapFailed("A wrapped key failed authentication.") from exc


def derive_subkey(master: bytes, purpose: str) -> bytes:
    """Independent keys for independent uses (audit MAC, blobs, pseudonyms) from one key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"clinic-app|" + purpose.encode("ascii")).derive(master)


def new_keypair() -> tuple[bytes, bytes]:
    """Return (private, public) raw 32-byte X25519 keys."""
    private = X25519PrivateKey.generate()
    return (
        private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                              serialization.NoEncryption()),
        public_bytes(private),
    )


def public_bytes(private: X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)


def _seal_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + recipient_public,
                info=b"clinic-app|seal|v1").derive(shared)


def seal(recipient_public: bytes, secret: bytes, ad: bytes) -> bytes:
    """Encrypt ``secret`` so that only the holder of the matching private key can open it."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _seal_key(shared, eph_pub, recipient_public)
    return _SEAL_VERSION + eph_pub + wrap(key, secret, ad)


def open_sealed(recipient_private: bytes, blob: bytes, ad: bytes) -> bytes:
    if len(blob) < 1 + 32 + NONCE_BYTES + 16 or blob[:1] != _SEAL_VERSION:
        raise UnwrapFailed("A sealed key is malformed; the key file is damaged.")
    eph_pub = blob[1:33]
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    key = _seal_key(shared, eph_pub, public_bytes(private))
    return unwrap(key, blob[33:], ad)
