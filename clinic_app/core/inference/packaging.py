"""Writing model packages: the publisher's side of manifest.py and package.py.

Build scripts (``models/build_risk_models.py``, ``models/train_pima.py``, the imaging
packages) call :func:`write_package`; it fills in the ``files`` hashes, validates the
result against the schema, and writes a stable, reviewable ``manifest.json``.
:func:`write_pins` records the canonical manifest hashes of shipped packages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clinic_app.core.inference.manifest import MANIFEST_NAME, Manifest, parse_manifest
from clinic_app.core.inference.package import sign_manifest


def file_entry(data: bytes, role: str) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "role": role}


def manifest_text(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_package(folder: Path, document: dict[str, Any], files: Mapping[str, tuple[bytes, str]],
                  *, private_key: Ed25519PrivateKey | None = None) -> Manifest:
    """Write ``files`` ({relpath: (bytes, role)}) and a manifest listing their hashes.

    Returns the parsed manifest (so a build fails here, not at load time, if it is invalid).
    """
    folder.mkdir(parents=True, exist_ok=True)
    doc = dict(document)
    doc["files"] = {path: file_entry(data, role) for path, (data, role) in sorted(files.items())}
    if private_key is not None:
        doc = sign_manifest(doc, private_key)
    text = manifest_text(doc)
    manifest = parse_manifest(text.encode("utf-8"), where=str(folder))
    for relpath, (data, _role) in files.items():
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / MANIFEST_NAME).write_text(text, encoding="utf-8")
    return manifest


def write_pins(pin_file: Path, manifests: Sequence[Manifest]) -> None:
    """Replace the pin file with the given manifests' canonical hashes (sorted by id)."""
    entries = [{"id": m.id, "version": m.version, "manifest_sha256": m.sha256}
               for m in sorted(manifests, key=lambda m: m.id)]
    text = json.dumps({"comment": "Canonical manifest SHA-256 of each package shipped in models/. "
                                  "Regenerate with models/pin_shipped.py after review.",
                       "packages": entries}, indent=2) + "\n"
    pin_file.parent.mkdir(parents=True, exist_ok=True)
    pin_file.write_text(text, encoding="utf-8")
