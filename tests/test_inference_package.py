"""Model packages: hashes, trust (pins, Ed25519, approvals), refusal of unsafe packages."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.manifest import ManifestError, parse_manifest
from clinic_app.core.inference.package import (
    PackageRefused,
    TrustPolicy,
    TrustStore,
    public_key_text,
    read_package,
)
from clinic_app.core.inference.registry import ModelRegistry, PackageRoot, trust_dir
from clinic_app.core.inference.runtime import create_session
from clinic_app.errors import ModelError
from tests.model_support import copy_shipped, external_weights, make_package, scale_model

OPEN = TrustPolicy(allow_unsigned=True)


def refused(path: Path, trust: TrustStore | None = None, policy: TrustPolicy = OPEN) -> str:
    with pytest.raises(PackageRefused) as info:
        read_package(path, trust or TrustStore(), policy)
    return info.value.reason


def rewrite_manifest(pkg: Path, change) -> None:
    doc = json.loads((pkg / "manifest.json").read_text())
    change(doc)
    (pkg / "manifest.json").write_text(json.dumps(doc))


def test_unsigned_package_is_refused_unless_allowed_or_approved(tmp_path):
    """An unsigned package loads only under site policy or an admin approval of its exact hash."""
    pkg = make_package(tmp_path)
    assert refused(pkg, policy=TrustPolicy()) == "unsigned"
    assert read_package(pkg, TrustStore(), OPEN).trust.kind == "site-policy"
    sha = parse_manifest((pkg / "manifest.json").read_bytes()).sha256
    assert read_package(pkg, TrustStore(), TrustPolicy(approved=frozenset({sha}))).trust.kind == "approved"


def test_approval_is_void_once_any_byte_changes(tmp_path):
    """Approving a manifest hash does not approve a later, edited manifest."""
    pkg = make_package(tmp_path)
    sha = parse_manifest((pkg / "manifest.json").read_bytes()).sha256
    rewrite_manifest(pkg, lambda d: d.update(description="changed"))
    assert refused(pkg, policy=TrustPolicy(approved=frozenset({sha}))) == "unsigned"


def test_signed_package_verifies_against_trust_store(tmp_path):
    """A package signed by a key in the trust store is trusted as 'signed' with its key id."""
    key = Ed25519PrivateKey.generate()
    pkg = make_package(tmp_path, private_key=key)
    (tmp_path / "trust" / "keys").mkdir(parents=True)
    (tmp_path / "trust" / "keys" / "pub.pub").write_text(public_key_text(key.public_key()))
    trust = TrustStore.from_dir(tmp_path / "trust")
    contents = read_package(pkg, trust, TrustPolicy())
    assert contents.trust.kind == "signed"
    assert contents.trust.signer == contents.manifest.signature.key_id


def test_unknown_signer_and_altered_signed_manifest_are_refused(tmp_path):
    """Unknown keys and broken signatures are refusals even where unsigned packages are allowed."""
    key = Ed25519PrivateKey.generate()
    trust = TrustStore().with_keys([key.public_key()])
    pkg = make_package(tmp_path, private_key=key)
    assert refused(pkg) == "untrusted-signer"
    rewrite_manifest(pkg, lambda d: d.update(description="quietly changed after signing"))
    assert refused(pkg, trust) == "bad-signature"


@pytest.mark.parametrize("damage", ["flip", "truncate", "append"])
def test_modified_model_bytes_fail_the_hash(tmp_path, damage):
    """A flipped, truncated or extended model file is refused with 'hash-mismatch'."""
    pkg = make_package(tmp_path)
    model = pkg / "model.onnx"
    data = bytearray(model.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data += b"\x00"
    model.write_bytes(bytes(data))
    assert refused(pkg) == "hash-mismatch"


def test_garbage_model_with_matching_hash_is_not_a_valid_onnx(tmp_path):
    """Bytes that hash correctly but are not an ONNX protobuf are refused before onnxruntime."""
    pkg = make_package(tmp_path, model=b"\xff\xfe not a protobuf" * 10)
    assert refused(pkg) == "bad-onnx"


def test_custom_operator_domain_is_refused(tmp_path):
    """A graph needing a custom-op library is refused; no library is ever registered."""
    pkg = make_package(tmp_path, model=scale_model(domain="com.example.evil", op="Evil"))
    assert refused(pkg) == "custom-op"


def test_manifest_that_disagrees_with_the_graph_is_refused(tmp_path):
    """Declared dtypes must match the graph's inputs and outputs."""
    pkg = make_package(tmp_path, model=scale_model(dtype=11))  # float64 graph, float32 manifest
    assert refused(pkg) == "io-mismatch"


@pytest.mark.parametrize("path", ["../escape.onnx", "/etc/passwd", "a/../../b", "C:/x.onnx", "a\\b"])
def test_file_paths_outside_the_package_break_the_schema(tmp_path, path):
    """Manifest file paths must be relative, inside the package, without '..'."""
    pkg = make_package(tmp_path)
    rewrite_manifest(pkg, lambda d: d["files"].update({path: d["files"]["model.onnx"]}))
    assert refused(pkg) == "bad-manifest"


def test_symlinked_model_file_is_refused(tmp_path):
    """A model file that is a symbolic link is refused even when its target hashes correctly."""
    pkg = make_package(tmp_path)
    real = tmp_path / "elsewhere.onnx"
    (pkg / "model.onnx").rename(real)
    os.symlink(real, pkg / "model.onnx")
    assert refused(pkg) == "symlink"


def test_symlinked_package_folder_is_refused(tmp_path):
    """A package folder that is itself a link is refused."""
    pkg = make_package(tmp_path / "real")
    os.symlink(pkg, tmp_path / "linked")
    assert refused(tmp_path / "linked") == "not-a-folder"


def test_external_data_inside_the_package_runs_from_memory(tmp_path):
    """Listed external data is hashed, fed from memory, and the files are not read again."""
    pkg = make_package(tmp_path, model=scale_model(external="weights.bin"),
                       extra={"weights.bin": (external_weights(), "external-data")})
    contents = read_package(pkg, TrustStore(), OPEN)
    for name in ("model.onnx", "weights.bin", "manifest.json"):
        (pkg / name).unlink()  # the session must come from the verified bytes alone
    session = create_session(contents)
    out = session.run({"x": np.ones((1, 2), np.float32)})
    assert out["y"].tolist() == [[2.0, 3.0]]


@pytest.mark.parametrize("location", ["../weights.bin", "/tmp/weights.bin", "unlisted.bin"])
def test_external_data_outside_or_unlisted_is_refused(tmp_path, location):
    """External-data references must name a hash-listed file inside the package."""
    pkg = make_package(tmp_path, model=scale_model(external=location),
                       extra={"weights.bin": (external_weights(), "external-data")})
    assert refused(pkg) in ("path-escape", "unlisted-external-data")


def test_duplicate_json_keys_are_refused(tmp_path):
    """Two parsers must never disagree on what a manifest says, so duplicates are refused."""
    pkg = make_package(tmp_path)
    text = (pkg / "manifest.json").read_text()
    (pkg / "manifest.json").write_text(text.replace('"demo": true', '"demo": true, "demo": false'))
    assert refused(pkg) == "bad-manifest"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_manifest_parser_never_crashes_on_garbage(data):
    """Arbitrary bytes give ManifestError, never another exception."""
    with contextlib.suppress(ManifestError):
        parse_manifest(data)


def test_shipped_packages_verify_against_their_pins():
    """Every package in models/ is trusted because its manifest hash is pinned."""
    registry = ModelRegistry.default(None)
    scan = registry.scan()
    assert not scan.refused
    assert {p.manifest.id for p in scan.available} >= {
        "pce-ascvd-10y", "framingham-cvd-10y", "cha2ds2-vasc", "meld-unos", "pima-diabetes-demo"}
    assert all(p.trust.kind == "pinned" for p in scan.available if p.origin == "shipped")


def test_edited_shipped_package_loses_its_pin(tmp_path):
    """Editing a shipped manifest (even with recomputed hashes) voids the pin: refused as unsigned."""
    pkg = copy_shipped(tmp_path, "pce-ascvd-10y")
    rewrite_manifest(pkg, lambda d: d["inputs"]["features"][0].update(valid_range=[20, 99]))
    trust = TrustStore.from_dir(trust_dir())
    assert refused(pkg, trust, TrustPolicy()) == "unsigned"


def test_tampered_shipped_model_is_refused_and_listed(tmp_path):
    """A changed coefficient in a shipped model file is caught and listed with its reason."""
    pkg = copy_shipped(tmp_path, "meld-unos")
    data = bytearray((pkg / "model.onnx").read_bytes())
    data[-20] ^= 0xFF
    (pkg / "model.onnx").write_bytes(bytes(data))
    registry = ModelRegistry([PackageRoot(tmp_path, "shipped")], TrustStore.from_dir(trust_dir()))
    scan = registry.scan()
    assert not scan.available
    assert [(r.package_id, r.reason) for r in scan.refused] == [("meld-unos", "hash-mismatch")]
    with pytest.raises(ModelError, match="refused"):
        registry.load("meld-unos")


def test_registry_refuses_duplicate_ids_and_rechecks_on_load(tmp_path):
    """A second package with the same id is refused; a file swapped after the scan is caught at load."""
    make_package(tmp_path / "a")
    make_package(tmp_path / "b")
    registry = ModelRegistry([PackageRoot(tmp_path / "a", "site"), PackageRoot(tmp_path / "b", "site")],
                             TrustStore(), OPEN)
    scan = registry.scan()
    assert [r.reason for r in scan.refused] == ["duplicate-id"]
    (tmp_path / "a" / "toy-scale" / "model.onnx").write_bytes(scale_model(op="Add"))
    contents = registry.load("toy-scale")  # the first copy is now refused; the second verifies
    assert contents.root == tmp_path / "b" / "toy-scale"


def test_rescan_notices_a_file_changed_after_the_first_scan(tmp_path):
    """Scan results are reused only while the package's files are unchanged."""
    pkg = make_package(tmp_path)
    registry = ModelRegistry([PackageRoot(tmp_path, "site")], TrustStore(), OPEN)
    assert registry.scan().available
    data = bytearray((pkg / "model.onnx").read_bytes())
    data[10] ^= 0x01
    (pkg / "model.onnx").write_bytes(bytes(data))
    assert [r.reason for r in registry.scan().refused] == ["hash-mismatch"]


def test_reading_a_small_file_never_allocates_the_size_limit(tmp_path):
    """A 1 KiB manifest under a 4 GiB limit is read with about 1 KiB of buffers, not limit+1."""
    import tracemalloc

    from clinic_app.core.inference.package import MAX_FILE_BYTES, _read_no_follow

    path = tmp_path / "small.bin"
    path.write_bytes(b"x" * 1024)
    tracemalloc.start()
    try:
        data = _read_no_follow(path, limit=MAX_FILE_BYTES, where="test")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == b"x" * 1024
    assert peak < 256 * 1024


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path):
    """Bytes beyond the stat size are read in bounded steps and refused past the limit."""
    import io

    from clinic_app.core.inference.package import _read_bounded

    grown = io.BytesIO(b"y" * 5000)  # stat said 100 bytes; the file grew meanwhile
    with pytest.raises(PackageRefused) as info:
        _read_bounded(grown, 100, limit=4096, name="model.onnx", where="test")
    assert info.value.reason == "too-large"
    assert _read_bounded(io.BytesIO(b"z" * 300), 100, limit=4096, name="m", where="t") == b"z" * 300
