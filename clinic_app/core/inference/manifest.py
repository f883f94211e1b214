"""Model manifests: parsing, schema validation and the canonical bytes that get signed.

A manifest is untrusted input until its package is verified, so parsing is strict: a
size cap, duplicate JSON keys refused (two parsers could otherwise disagree on what was
signed), non-finite numbers refused, then the JSON Schema in
``clinic_app/schemas/model-manifest.schema.json``, then the cross-field rules the schema
cannot express (names unique, primary output exists, ...).

The canonical form, which signatures and pins cover, is the manifest without its
``signature`` member, serialised with sorted keys, no insignificant whitespace, UTF-8
(non-ASCII kept), and Python's shortest round-trip float repr. It covers every file's
SHA-256, so a signature over it covers the whole package.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from clinic_app.core.inference.schema_check import SchemaChecker
from clinic_app.errors import ManifestError as ManifestError

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 1 << 20
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "model-manifest.schema.json"



@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str  # numpy dtype name: float32, float64, int64, ...
    shape: tuple[int | str, ...]  # ints are fixed dimensions, strings symbolic (batch)
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeatureSpec:
    """One named input of a risk model, in canonical units."""

    name: str
    label: str
    kind: str  # number | boolean | category
    unit: str
    role: str = "tensor"  # tensor | context
    valid_range: tuple[float, float] | None = None
    out_of_range: str | None = None  # refuse | flag
    range_source: str = ""
    categories: Mapping[str, float] = field(default_factory=dict)
    category_flags: Mapping[str, str] = field(default_factory=dict)
    clamp_min: float | None = None
    clamp_max: float | None = None
    clamp_note: str = ""
    description: str = ""

    def describe_range(self) -> str:
        if self.valid_range is None:
            return "no published range"
        lo, hi = self.valid_range
        unit = "" if self.unit in ("1", "") else f" {self.unit}"
        return f"{lo:g}–{hi:g}{unit}"


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    size: int
    role: str  # model | external-data | document


@dataclass(frozen=True)
class Signature:
    algorithm: str
    key_id: str
    value: str  # base64


@dataclass(frozen=True)
class Manifest:
    """A validated manifest. ``raw`` is the full JSON (read-only) for task-specific parts."""

    raw: Mapping[str, Any]
    id: str
    name: str
    version: str
    task: str
    demo: bool
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    features: tuple[FeatureSpec, ...]
    files: Mapping[str, FileEntry]
    signature: Signature | None
    canonical: bytes  # the bytes a signature covers

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the canonical manifest: the package's identity for pins and approvals."""
        return hashlib.sha256(self.canonical).hexdigest()

    @property
    def model_file(self) -> str:
        return str(self.raw["runtime"]["model_file"])

    @property
    def fp16_allowed(self) -> bool:
        return bool(self.raw["runtime"].get("fp16_allowed", False))

    @property
    def warmup(self) -> bool:
        return bool(self.raw["runtime"].get("warmup", True))

    @property
    def max_batch(self) -> int | None:
        value = self.raw["runtime"].get("max_batch")
        return int(value) if value is not None else None

    def section(self, *path: str) -> Mapping[str, Any]:
        """A nested part of the manifest, e.g. ``section("inputs", "image")`` ({} if absent)."""
        node: Any = self.raw
        for key in path:
            # exact types (the frozen JSON is MappingProxyType): an ABC check is slow per call
            if type(node) not in (MappingProxyType, dict) or key not in node:
                return MappingProxyType({})
            node = node[key]
        return node

    def entries(self, *path: str) -> Sequence[Mapping[str, Any]]:
        """A nested list of objects, e.g. ``entries("test_vectors")`` (() if absent).
        :meth:`section` is for objects: iterating it would walk keys, not entries."""
        node: Any = self.raw
        for key in path:
            if type(node) not in (MappingProxyType, dict) or key not in node:
                return ()
            node = node[key]
        return node if isinstance(node, list | tuple) else ()

    def feature(self, name: str) -> FeatureSpec:
        for spec in self.features:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def output(self, name: str) -> TensorSpec:
        for spec in self.outputs:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The signed form: without ``signature``, sorted keys, compact, UTF-8."""
    body = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ManifestError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ManifestError(f"non-finite number {name} is not allowed")


@cache
def _validator() -> SchemaChecker:
    # The schema ships inside the app; tests/test_startup.py checks it against its
    # meta-schema and tests/test_schema_check.py checks this checker against jsonschema
    # (which cost 100-150 ms of every calculator call here).
    return SchemaChecker(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def strict_json_object(data: bytes, *, where: str, what: str,
                       limit: int = MAX_MANIFEST_BYTES) -> dict[str, Any]:
    """A JSON object from bytes: size-capped, UTF-8, no duplicate keys, no NaN/Infinity."""
    if len(data) > limit:
        raise ManifestError(f"{where}: {what} is larger than {limit} bytes.")
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates,
                              parse_constant=_no_constant)
    except ManifestError as exc:
        raise ManifestError(f"{where}: {what} is not acceptable JSON: {exc}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{where}: {what} is not valid UTF-8 JSON ({exc}).") from None
    if not isinstance(document, dict):
        raise ManifestError(f"{where}: {what} must be a JSON object.")
    return document


def load_document(data: bytes, *, where: str) -> dict[str, Any]:
    """Bytes → JSON object, strictly (size, UTF-8, duplicates, NaN), then the schema."""
    document = strict_json_object(data, where=where, what="manifest")
    errors = sorted(_validator().errors(document), key=lambda e: [str(p) for p in e[0]])
    if errors:
        path, message = errors[0]
        location = "/".join(str(p) for p in path) or "(top level)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ManifestError(
            f"{where}: manifest breaks the schema at {location}: {message}{more}.")
    return document


def parse_manifest(data: bytes, *, where: str = MANIFEST_NAME) -> Manifest:
    """Validate and convert; raises :class:`ManifestError` naming the first problem."""
    doc = load_document(data, where=where)
    inputs = tuple(_tensor(t) for t in doc["inputs"]["tensors"])
    outputs = tuple(_tensor(t) for t in doc["outputs"]["tensors"])
    features = tuple(_feature(f) for f in doc["inputs"].get("features", ()))
    files = {p: FileEntry(p, e["sha256"], int(e["size"]), e["role"]) for p, e in doc["files"].items()}
    sig = doc.get("signature")
    manifest = Manifest(
        raw=_freeze(doc), id=doc["id"], name=doc["name"], version=doc["version"],
        task=doc["task"], demo=bool(doc["demo"]), inputs=inputs, outputs=outputs,
        features=features, files=MappingProxyType(files),
        signature=Signature(sig["algorithm"], sig["key_id"], sig["value"]) if sig else None,
        canonical=canonical_bytes(doc),
    )
    _cross_check(manifest, where)
    return manifest


def _tensor(t: Mapping[str, Any]) -> TensorSpec:
    return TensorSpec(t["name"], t["dtype"], tuple(t["shape"]), tuple(t.get("columns", ())))


def _feature(f: Mapping[str, Any]) -> FeatureSpec:
    clamp = f.get("clamp", {})
    rng = f.get("valid_range")
    return FeatureSpec(
        name=f["name"], label=f["label"], kind=f["kind"], unit=f["unit"],
        role=f.get("role", "tensor"),
        valid_range=(float(rng[0]), float(rng[1])) if rng else None,
        out_of_range=f.get("out_of_range"), range_source=f.get("range_source", ""),
        categories=MappingProxyType(dict(f.get("categories", {}))),
        category_flags=MappingProxyType(dict(f.get("category_flags", {}))),
        clamp_min=clamp.get("min"), clamp_max=clamp.get("max"), clamp_note=clamp.get("note", ""),
        description=f.get("description", ""),
    )


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _unique(names: list[str], what: str, where: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ManifestError(f"{where}: {what} {name!r} is declared twice.")
        seen.add(name)


def _cross_check(m: Manifest, where: str) -> None:
    """Rules the schema cannot state: references between sections must resolve."""
    _unique([t.name for t in m.inputs], "input tensor", where)
    _unique([t.name for t in m.outputs], "output tensor", where)
    _unique([f.name for f in m.features], "feature", where)
    out_names = {t.name for t in m.outputs}
    if m.model_file not in m.files or m.files[m.model_file].role != "model":
        raise ManifestError(f"{where}: runtime.model_file {m.model_file!r} must be listed in "
                            "files with role 'model'.")
    for f in m.features:
        if f.valid_range and f.valid_range[0] > f.valid_range[1]:
            raise ManifestError(f"{where}: feature {f.name!r} has an empty valid_range.")
    outputs = m.section("outputs")
    for key in ("primary", "heatmap"):
        if key in outputs and outputs[key] not in out_names:
            raise ManifestError(f"{where}: outputs.{key} names {outputs[key]!r}, which is not an "
                                "output tensor.")
    bounds_out = m.section("outputs", "bounds").get("output")
    if bounds_out is not None and bounds_out not in out_names:
        raise ManifestError(f"{where}: outputs.bounds.output {bounds_out!r} is not an output tensor.")
    cat_out = m.section("outputs", "categories").get("output")
    if cat_out is not None and cat_out not in out_names:
        raise ManifestError(f"{where}: outputs.categories.output {cat_out!r} is not an output tensor.")
    expl = m.section("explanation")
    if expl.get("output") is not None and expl["output"] not in out_names:
        raise ManifestError(f"{where}: explanation.output {expl['output']!r} is not an output tensor.")
    feature_names = {f.name for f in m.features}
    for term in expl.get("terms", ()):
        unknown = [i for i in term["inputs"] if i not in feature_names]
        if unknown:
            raise ManifestError(f"{where}: explanation term {term['name']!r} names unknown "
                                f"inputs {unknown}.")
    for rule in m.section().get("applicability", ()):
        if rule["feature"] not in feature_names:
            raise ManifestError(f"{where}: applicability names unknown feature {rule['feature']!r}.")
    if m.task == "risk-score":
        tensor_features = [f.name for f in m.features if f.role == "tensor"]
        x = m.inputs[0]
        if len(m.inputs) != 1 or list(x.columns) != tensor_features:
            raise ManifestError(
                f"{where}: a risk-score model takes one input tensor whose 'columns' list the "
                "tensor features in order.")
