"""Emergency access split among custodians: SLIP-39 Shamir shares of one recovery secret.

The recovery secret is 256 random bits. It never exists on the workstation at rest: a
key-holding clinician creates it, the app splits it k-of-n into SLIP-39 word lists (one per
named custodian, for example the privacy officer and a clinical lead) and forgets it. The
key ring keeps only the system and clinical keys wrapped under a key derived from it. IT
alone never sees the secret, and one custodian alone cannot use it.

With 256 bits of entropy a password KDF adds nothing, so the wrapping key is HKDF-derived.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import shamir_mnemonic
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.core.security import keywrap
from clinic_app.core.store.keyring import RecoveryRecord
from clinic_app.errors import InvalidInput

SCHEME = "slip39-v1"
_AD = b"recovery|v2|slip39|"


@dataclass(frozen=True)
class CustodianShare:
    custodian: str
    words: str


def _kek(secret: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"clinic-app|recovery-slip39-v1").derive(secret)


def split(custodians: Sequence[str], threshold: int, system_key: bytes,
          clinical_key: bytes) -> tuple[RecoveryRecord, list[CustodianShare]]:
    """A new recovery record and one share per custodian; any ``threshold`` of them open it."""
    names = [c.strip() for c in custodians if c.strip()]
    if len(set(names)) != len(names) or len(names) < 2:
        raise InvalidInput("Name at least two different recovery custodians.")
    if not 2 <= threshold <= len(names):
        raise InvalidInput(f"The number of custodians needed must be between 2 and {len(names)}.")
    secret = os.urandom(32)
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, len(names))], secret)
    kek = _kek(secret)
    rec = RecoveryRecord(kdf=SCHEME, wrapped_system=keywrap.wrap(kek, system_key, _AD + b"system"),
                         wrapped_clinical=keywrap.wrap(kek, clinical_key, _AD + b"clinical"))
    return rec, [CustodianShare(n, w) for n, w in zip(names, groups[0], strict=True)]


def unlock(rec: RecoveryRecord, shares: Sequence[str]) -> tuple[bytes, bytes]:
    """(system key, clinical key) from enough shares; ``keywrap.UnwrapFailed`` otherwise."""
    if rec.kdf != SCHEME:
        raise keywrap.UnwrapFailed("This store's recovery record predates split recovery.")
    words = [" ".join(s.lower().split()) for s in shares if s.strip()]
    try:
        secret = shamir_mnemonic.combine_mnemonics(words)
    except (shamir_mnemonic.MnemonicError, ValueError) as exc:
        raise keywrap.UnwrapFailed("The recovery shares are not valid or not enough.") from exc
    kek = _kek(secret)
    return (keywrap.unwrap(kek, rec.wrapped_system, _AD + b"system"),
            keywrap.unwrap(kek, rec.wrapped_clinical, _AD + b"clinical"))
