"""Sign a model package's manifest with an Ed25519 key (publisher side; see SIGNING.md).

    python models/sign_package.py generate KEYFILE          # new key: KEYFILE + KEYFILE.pub
    python models/sign_package.py sign KEYFILE PACKAGE_DIR  # adds "signature" to manifest.json

The private key file is PEM (PKCS#8), encrypted with a passphrase read from the
environment variable CLINIC_APP_SIGNING_PASSPHRASE when set. Keep it off this repository.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clinic_app.core.inference.manifest import MANIFEST_NAME, parse_manifest
from clinic_app.core.inference.package import key_id, public_key_text, sign_manifest
from clinic_app.core.inference.packaging import manifest_text


def _encryption() -> serialization.KeySerializationEncryption:
    phrase = os.environ.get("CLINIC_APP_SIGNING_PASSPHRASE", "")
    return (serialization.BestAvailableEncryption(phrase.encode()) if phrase
            else serialization.NoEncryption())


def generate(keyfile: Path) -> None:
    if keyfile.exists():
        raise SystemExit(f"{keyfile} exists; refusing to overwrite a key.")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            _encryption())
    keyfile.write_bytes(pem)
    keyfile.chmod(0o600)
    keyfile.with_suffix(keyfile.suffix + ".pub").write_text(public_key_text(key.public_key()))
    print(f"key id {key_id(key.public_key())}; public key in {keyfile}.pub")


def sign(keyfile: Path, package: Path) -> None:
    phrase = os.environ.get("CLINIC_APP_SIGNING_PASSPHRASE", "")
    key = serialization.load_pem_private_key(keyfile.read_bytes(), phrase.encode() or None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"{keyfile} is not an Ed25519 private key.")
    path = package / MANIFEST_NAME
    signed = sign_manifest(json.loads(path.read_text(encoding="utf-8")), key)
    text = manifest_text(signed)
    parse_manifest(text.encode("utf-8"), where=str(path))  # still valid
    path.write_text(text, encoding="utf-8")
    print(f"signed {package.name} with key {signed['signature']['key_id']}")  # type: ignore[index]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "sign":
        sign(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
