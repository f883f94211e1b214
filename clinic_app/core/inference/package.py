"""Reading a model package from disk and deciding whether to trust it.

Models are treated as code. A package is read once: every listed file's bytes are read
into memory through a no-follow open, hashed and compared with the manifest, and those
same bytes are what the runtime later turns into a session; the path is never read again.

Trust (one of, checked in this order):

* **pinned** - the canonical manifest SHA-256 is listed in the app's own pin file
  (``resources/trust/shipped-packages.json``). Shipped packages are trusted this way: the
  pin file ships inside the app, exactly as trusted as the public keys beside it.
* **signed** - an Ed25519 signature over the canonical manifest by a key in the trust
  store (``resources/trust/keys/*.pub``). A signature by an unknown key, or one that does
  not verify, is a refusal even where unsigned packages would be allowed: a broken
  signature means tampering, not absence.
* **approved** - an unsigned package whose manifest SHA-256 an admin approved (audited).
* **site-policy** - an unsigned package loaded because IT set ``allow_unsigned_models``.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from clinic_app.core.inference.manifest import MANIFEST_NAME, Manifest, Signature, parse_manifest
from clinic_app.core.inference.onnx_proto import onnx_messages, parse_model
from clinic_app.errors import ModelError
from clinic_app.errors import PackageRefused as PackageRefused

if TYPE_CHECKING:
    import onnx

MAX_FILE_BYTES = 4 << 30  # a single file; larger models need splitting into external data
ALLOWED_DOMAINS = frozenset({"", "ai.onnx", "ai.onnx.ml", "com.microsoft"})


# -- trust store --------------------------------------------------------------------------
def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_text(public: Ed25519PublicKey) -> str:
    """The ``.pub`` file format: one line, 'ed25519 <base64 of the 32 raw bytes>'."""
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return f"ed25519 {base64.b64encode(raw).decode('ascii')}\n"


def parse_public_key(text: str, *, where: str) -> Ed25519PublicKey:
    parts = text.strip().split()
    if len(parts) != 2 or parts[0] != "ed25519":
        raise ModelError(f"{where}: expected one line 'ed25519 <base64 key>'.")
    try:
        raw = base64.b64decode(parts[1], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ModelError(f"{where}: not a valid Ed25519 public key ({exc}).") from None


@dataclass(frozen=True)
class Pin:
    package_id: str
    version: str
    manifest_sha256: str


@dataclass(frozen=True)
class TrustStore:
    """Public keys and pins the app trusts. Built explicitly (tests make their own)."""

    keys: Mapping[str, Ed25519PublicKey] = field(default_factory=dict)
    pins: Mapping[str, Pin] = field(default_factory=dict)  # manifest sha256 -> pin

    @classmethod
    def from_dir(cls, folder: Path) -> TrustStore:
        keys: dict[str, Ed25519PublicKey] = {}
        key_dir = folder / "keys"
        if key_dir.is_dir():
            for path in sorted(key_dir.glob("*.pub")):
                public = parse_public_key(path.read_text(encoding="ascii"), where=str(path))
                keys[key_id(public)] = public
        pins: dict[str, Pin] = {}
        pin_file = folder / "shipped-packages.json"
        if pin_file.is_file():
            try:
                data = json.loads(pin_file.read_text(encoding="utf-8"))
                for entry in data["packages"]:
                    pin = Pin(entry["id"], entry["version"], entry["manifest_sha256"])
                    pins[pin.manifest_sha256] = pin
            except (ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"{pin_file}: the pin file is damaged ({exc}); reinstall the app.") from None
        return cls(MappingProxyType(keys), MappingProxyType(pins))

    def with_keys(self, extra: Iterable[Ed25519PublicKey]) -> TrustStore:
        keys = dict(self.keys)
        keys.update({key_id(k): k for k in extra})
        return TrustStore(MappingProxyType(keys), self.pins)


@dataclass(frozen=True)
class TrustPolicy:
    """Site policy for unsigned packages: off unless IT or an admin said otherwise."""

    allow_unsigned: bool = False
    approved: frozenset[str] = frozenset()  # manifest sha256 values an admin approved


def sign_manifest(document: dict[str, object], private: Ed25519PrivateKey) -> dict[str, object]:
    """Return ``document`` with a ``signature`` member (used by the signing script and tests)."""
    from clinic_app.core.inference.manifest import canonical_bytes

    value = base64.b64encode(private.sign(canonical_bytes(document))).decode("ascii")
    out = {k: v for k, v in document.items() if k != "signature"}
    out["signature"] = {"algorithm": "ed25519", "key_id": key_id(private.public_key()), "value": value}
    return out


@dataclass(frozen=True)
class TrustDecision:
    kind: str  # pinned | signed | approved | site-policy
    signer: str = ""  # key id for signed packages

    @property
    def description(self) -> str:
        return {
            "pinned": "shipped with the app (hash-pinned)",
            "signed": f"signed by trusted key {self.signer}",
            "approved": "unsigned, approved by an admin",
            "site-policy": "unsigned, allowed by site policy",
        }[self.kind]


class SignedDocument(Protocol):
    """What trust is decided on: a model manifest, or another signed package (the
    terminology package) with the same canonical-bytes, pin and signature rules."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def signature(self) -> Signature | None: ...
    @property
    def canonical(self) -> bytes: ...


def decide_trust(manifest: Manifest | SignedDocument, trust: TrustStore, policy: TrustPolicy, *,
                 where: str) -> TrustDecision:
    pin = trust.pins.get(manifest.sha256)
    if pin is not None and (pin.package_id, pin.version) == (manifest.id, manifest.version):
        return TrustDecision("pinned")
    sig = manifest.signature
    if sig is not None:
        public = trust.keys.get(sig.key_id)
        if public is None:
            raise PackageRefused(
                f"{where}: signed by key {sig.key_id}, which is not in the trust store. Ask IT "
                "to add the publisher's key, or obtain the package from a trusted publisher.",
                "untrusted-signer")
        try:
            public.verify(base64.b64decode(sig.value, validate=True), manifest.canonical)
        except (InvalidSignature, binascii.Error, ValueError):
            raise PackageRefused(
                f"{where}: the signature does not match the manifest: the package was altered "
                "after signing. Do not use it; obtain a fresh copy from the publisher.",
                "bad-signature") from None
        return TrustDecision("signed", sig.key_id)
    if manifest.sha256 in policy.approved:
        return TrustDecision("approved")
    if policy.allow_unsigned:
        return TrustDecision("site-policy")
    raise PackageRefused(
        f"{where}: the package is unsigned. An admin must approve it explicitly "
        "('clinic-app models add PATH --allow-unsigned'), which is audited.", "unsigned")


# -- reading files ------------------------------------------------------------------------
def _read_no_follow(path: Path, *, limit: int, where: str) -> bytes:
    """Read a regular file without following a symlink at its last component."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise PackageRefused(f"{where}: file {path.name!r} is listed but missing.", "missing-file") from None
    if stat.S_ISLNK(st.st_mode):
        raise PackageRefused(f"{where}: {path.name!r} is a symbolic link; packages must hold "
                             "real files.", "symlink")
    if not stat.S_ISREG(st.st_mode):
        raise PackageRefused(f"{where}: {path.name!r} is not a regular file.", "not-a-file")
    if st.st_size > limit:
        raise PackageRefused(f"{where}: {path.name!r} is larger than {limit} bytes.", "too-large")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PackageRefused(f"{where}: {path.name!r} is a symbolic link.", "symlink") from None
        raise PackageRefused(f"{where}: cannot read {path.name!r} ({exc.strerror}).", "unreadable") from None
    with os.fdopen(fd, "rb") as fh:
        return _read_bounded(fh, st.st_size, limit=limit, name=path.name, where=where)


#: The most asked of the file in one call beyond its stat size: ``read(limit + 1)`` made a
#: 4 GiB buffer to read a 1 KiB manifest.
READ_CHUNK_BYTES = 64 << 10


def _read_bounded(fh: BinaryIO, expected: int, *, limit: int, name: str, where: str) -> bytes:
    """The file's bytes in one buffer of its stat size (already checked against ``limit``);
    a file that grows past ``limit`` while being read is refused, read only in small steps."""
    data = fh.read(expected)
    extra = bytearray()
    while len(data) + len(extra) <= limit:
        more = fh.read(min(READ_CHUNK_BYTES, limit + 1 - len(data) - len(extra)))
        if not more:
            return data + bytes(extra) if extra else data
        extra += more
    raise PackageRefused(f"{where}: {name!r} is larger than {limit} bytes.", "too-large")


def safe_member(root: Path, relpath: str, *, where: str) -> Path:
    """Resolve a manifest path inside ``root``; refuse escapes and links on the way."""
    pure = PurePosixPath(relpath)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relpath or relpath.startswith("~"):
        raise PackageRefused(f"{where}: path {relpath!r} points outside the package.", "path-escape")
    current = root
    for part in pure.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise PackageRefused(f"{where}: folder {part!r} is a symbolic link.", "symlink")
    target = current / pure.name
    if target.is_symlink():
        raise PackageRefused(f"{where}: {relpath!r} is a symbolic link; packages must hold real "
                             "files.", "symlink")
    try:
        target.resolve().relative_to(root.resolve())
    except ValueError:
        raise PackageRefused(f"{where}: path {relpath!r} points outside the package.", "path-escape") from None
    return target


@dataclass(frozen=True)
class PackageContents:
    """A package whose bytes matched its manifest. ``files`` holds those exact bytes."""

    root: Path
    manifest: Manifest
    files: Mapping[str, bytes]
    trust: TrustDecision
    manifest_bytes: bytes = b""  # manifest.json exactly as read and verified

    @property
    def model_bytes(self) -> bytes:
        return self.files[self.manifest.model_file]

    @property
    def external_data(self) -> Mapping[str, bytes]:
        return {p: b for p, b in self.files.items() if self.manifest.files[p].role == "external-data"}


def read_package(root: Path, trust: TrustStore, policy: TrustPolicy) -> PackageContents:
    """Read, hash-check, trust-check and inspect one package folder, or raise PackageRefused."""
    where = f"model package {root.name!r}"
    if root.is_symlink() or not root.is_dir():
        raise PackageRefused(f"{where}: not a folder (symbolic links are refused).", "not-a-folder")
    data = _read_no_follow(root / MANIFEST_NAME, limit=1 << 20, where=where)
    try:
        manifest = parse_manifest(data, where=where)
    except ModelError as exc:
        raise PackageRefused(str(exc), "bad-manifest") from None
    files: dict[str, bytes] = {}
    for relpath, entry in manifest.files.items():
        path = safe_member(root, relpath, where=where)
        content = _read_no_follow(path, limit=MAX_FILE_BYTES, where=where)
        if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
            raise PackageRefused(
                f"{where}: {relpath!r} does not match its SHA-256 in the manifest (altered, "
                "truncated or corrupted). Reinstall the package from its publisher.", "hash-mismatch")
        files[relpath] = content
    decision = decide_trust(manifest, trust, policy, where=where)
    contents = PackageContents(root, manifest, MappingProxyType(files), decision, data)
    inspect_onnx(contents, where=where)
    return contents


# -- the graph itself ---------------------------------------------------------------------
def inspect_onnx(contents: PackageContents, *, where: str) -> None:
    """Refuse graphs we cannot run safely: unparsable, custom ops, stray external data,
    or inputs and outputs that disagree with the manifest."""
    from google.protobuf.message import DecodeError

    pb = onnx_messages()
    manifest = contents.manifest
    try:
        # Protobuf message classes are built at run time: no static type to check against.
        model: Any = parse_model(contents.model_bytes)
    except (DecodeError, ValueError, RuntimeError) as exc:
        raise PackageRefused(f"{where}: {manifest.model_file!r} is not a valid ONNX model "
                             f"({type(exc).__name__}).", "bad-onnx") from None
    if not model.graph.node and not model.graph.output:
        raise PackageRefused(f"{where}: {manifest.model_file!r} holds no graph.", "bad-onnx")
    local = {f.domain for f in model.functions}
    for opset in model.opset_import:
        if opset.domain not in ALLOWED_DOMAINS and opset.domain not in local:
            raise PackageRefused(
                f"{where}: the model uses operator domain {opset.domain!r}, which needs a custom-op "
                "library; custom operators are never loaded.", "custom-op")
    external = contents.external_data
    for tensor in _all_tensors(model):
        if tensor.data_location != pb.TensorProto.EXTERNAL:
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        pure = PurePosixPath(location)
        if not location or pure.is_absolute() or ".." in pure.parts or "\\" in location:
            raise PackageRefused(f"{where}: tensor external data points outside the package.",
                                 "path-escape")
        if location not in external:
            raise PackageRefused(
                f"{where}: tensor external data {location!r} is not a hash-listed 'external-data' "
                "file of the package.", "unlisted-external-data")
    _check_io(model, manifest, where)


def _all_tensors(model: object) -> Iterable[Any]:
    pb = onnx_messages()

    def graph_tensors(graph: onnx.GraphProto) -> Iterable[onnx.TensorProto]:
        yield from graph.initializer
        for sparse in graph.sparse_initializer:
            yield sparse.values
            yield sparse.indices
        for node in graph.node:
            for attr in node.attribute:
                if attr.HasField("t"):
                    yield attr.t
                yield from attr.tensors
                if attr.HasField("g"):
                    yield from graph_tensors(attr.g)
                for sub in attr.graphs:
                    yield from graph_tensors(sub)

    assert isinstance(model, pb.ModelProto)
    yield from graph_tensors(model.graph)
    for function in model.functions:
        for node in function.node:
            for attr in node.attribute:
                if attr.HasField("t"):
                    yield attr.t


_ONNX_DTYPES = {1: "float32", 2: "uint8", 6: "int32", 7: "int64", 9: "bool", 10: "float16", 11: "float64"}


def _check_io(model: object, manifest: Manifest, where: str) -> None:
    assert isinstance(model, onnx_messages().ModelProto)
    initializers = {t.name for t in model.graph.initializer}
    graph_inputs = [v for v in model.graph.input if v.name not in initializers]
    for node in model.graph.node:
        if node.domain not in ALLOWED_DOMAINS and node.domain not in {f.domain for f in model.functions}:
            raise PackageRefused(f"{where}: node domain {node.domain!r} needs a custom-op library; "
                                 "custom operators are never loaded.", "custom-op")
    for kind, declared, actual in (("input", manifest.inputs, graph_inputs),
                                   ("output", manifest.outputs, list(model.graph.output))):
        by_name = {v.name: v for v in actual}
        if set(by_name) != {t.name for t in declared}:
            raise PackageRefused(
                f"{where}: the graph's {kind}s {sorted(by_name)} differ from the manifest's "
                f"{sorted(t.name for t in declared)}.", "io-mismatch")
        for spec in declared:
            ttype = by_name[spec.name].type.tensor_type
            dtype = _ONNX_DTYPES.get(ttype.elem_type, f"onnx-type-{ttype.elem_type}")
            if dtype != spec.dtype:
                raise PackageRefused(f"{where}: {kind} {spec.name!r} is {dtype} in the graph but "
                                     f"{spec.dtype} in the manifest.", "io-mismatch")
            if ttype.HasField("shape"):
                dims = ttype.shape.dim
                if len(dims) != len(spec.shape):
                    raise PackageRefused(f"{where}: {kind} {spec.name!r} has rank {len(dims)} in the "
                                         f"graph but {len(spec.shape)} in the manifest.", "io-mismatch")
                for dim, want in zip(dims, spec.shape, strict=True):
                    if isinstance(want, int) and dim.HasField("dim_value") and dim.dim_value != want:
                        raise PackageRefused(f"{where}: {kind} {spec.name!r} shape differs from the "
                                             "manifest.", "io-mismatch")
