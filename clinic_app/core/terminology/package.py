"""Reading and trusting the terminology package, exactly like a model package.

The package is one JSON document (``terminology.json``) whose canonical form (sorted
keys, compact, without ``signature``; :func:`manifest.canonical_bytes`) is what a pin or
an Ed25519 signature covers, decided by the model code's own :func:`decide_trust`
against the app's trust store (``resources/trust/keys``) and the terminology pin file
(``resources/trust/shipped-terminology.json``). Unsigned packages are never accepted:
there is no admin approval path for terminology, because it changes what every score
means.

Where it comes from: the app ships one (``resources/terminology/``); IT installs a newer
one without a release as ``<models_dir>/terminology/terminology.json`` (a folder without
``manifest.json``, which the model registry ignores) with ``clinic-app terminology
install``. Which copy is used, and why, is decided in :mod:`site`; a site package that
fails verification is refused loudly (:class:`TerminologyError` names why), never silently
replaced by the shipped one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from clinic_app.core.inference.manifest import Signature, canonical_bytes, strict_json_object
from clinic_app.core.inference.package import Pin, TrustPolicy, TrustStore, decide_trust
from clinic_app.core.inference.registry import app_root, trust_dir
from clinic_app.core.terminology.lookup import Terminology
from clinic_app.errors import ModelError, TerminologyError

FORMAT = "clinic-terminology/1"
FILE_NAME = "terminology.json"
PIN_FILE = "shipped-terminology.json"
MAX_BYTES = 64 << 20
_REQUIRED = ("format", "id", "version", "sources", "loinc", "atc_classes", "ingredients",
             "rxnorm", "snomed")


@dataclass(frozen=True)
class _Document:
    """The package's identity as :func:`decide_trust` sees it."""

    id: str
    version: str
    signature: Signature | None
    canonical: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical).hexdigest()


def shipped_path() -> Path:
    return app_root() / "resources" / "terminology" / FILE_NAME


def _trust() -> TrustStore:
    store = TrustStore.from_dir(trust_dir())
    pins: dict[str, Pin] = {}
    pin_file = trust_dir() / PIN_FILE
    if pin_file.is_file():
        try:
            for entry in json.loads(pin_file.read_text(encoding="utf-8"))["packages"]:
                pins[entry["manifest_sha256"]] = Pin(entry["id"], entry["version"],
                                                      entry["manifest_sha256"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TerminologyError(f"{pin_file}: the terminology pin file is damaged ({exc}); "
                                   "reinstall the app.") from None
    return TrustStore(store.keys, MappingProxyType(pins))


def load_terminology(path: Path, trust: TrustStore | None = None) -> Terminology:
    """Read, verify (pin or trusted signature) and index the package at ``path``."""
    where = f"terminology package {path.name}"
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TerminologyError(f"{where} is larger than {MAX_BYTES >> 20} MiB.")
        doc = strict_json_object(path.read_bytes(), where=where, what="package",
                                 limit=MAX_BYTES)
    except OSError as exc:
        raise TerminologyError(f"Cannot read the {where}: {exc.strerror}.") from None
    except ModelError as exc:
        raise TerminologyError(str(exc)) from None
    missing = [k for k in _REQUIRED if k not in doc]
    if missing or doc.get("format") != FORMAT:
        raise TerminologyError(f"{where} is not a {FORMAT} package (missing: "
                               f"{', '.join(missing) or 'format'}).")
    document = _Document(str(doc["id"]), str(doc["version"]), _signature(doc, where),
                         canonical_bytes(doc))
    try:
        decide_trust(document, trust or _trust(), TrustPolicy(), where=where)
    except ModelError as exc:
        raise TerminologyError(str(exc).replace("models add", "(no approval path for "
                                                "terminology) models add")) from None
    try:
        return Terminology.from_document(doc)
    except (KeyError, TypeError, AttributeError) as exc:
        raise TerminologyError(f"{where}: malformed entry ({exc}).") from None


def _signature(doc: dict[str, Any], where: str) -> Signature | None:
    sig = doc.get("signature")
    if sig is None:
        return None
    if not isinstance(sig, dict) or not all(isinstance(sig.get(k), str)
                                            for k in ("algorithm", "key_id", "value")):
        raise TerminologyError(f"{where}: the signature member is malformed.")
    return Signature(sig["algorithm"], sig["key_id"], sig["value"])
