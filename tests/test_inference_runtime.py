"""Runtime: provider truth, checks before and after each run, batching, cancel, quiet console."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper

from clinic_app.core.inference.package import TrustPolicy, TrustStore, read_package
from clinic_app.core.inference.providers import PROVIDER_ORDER, requested_providers
from clinic_app.core.inference.runtime import RuntimeOptions, SessionCache, create_session
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import Cancelled, ModelError
from tests.model_support import make_package

OPEN = TrustPolicy(allow_unsigned=True)


def log_model() -> bytes:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])
    model = helper.make_model(helper.make_graph([helper.make_node("Log", ["x"], ["y"])], "g", [x], [y]),
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    return model.SerializeToString()


@pytest.fixture
def toy(tmp_path):
    return create_session(read_package(make_package(tmp_path), TrustStore(), OPEN))


def test_provider_reported_is_what_the_session_runs_on(toy):
    """The reported provider is get_providers()[0], not the first one requested."""
    assert toy.provider == toy.ort_session.get_providers()[0]
    assert toy.requested[-1] == "CPUExecutionProvider"


def test_cpu_preference_requests_only_the_cpu(tmp_path):
    """gpu_preference='cpu' never asks for a GPU provider."""
    contents = read_package(make_package(tmp_path), TrustStore(), OPEN)
    session = create_session(contents, RuntimeOptions(gpu_preference="cpu"))
    assert session.requested == ("CPUExecutionProvider",)
    assert session.provider == "CPUExecutionProvider"


def test_provider_order_and_precision_options():
    """TensorRT → CUDA → DirectML → CoreML → CPU, only those available; no TF32/FP16 unless allowed."""
    available = ["CPUExecutionProvider", "CUDAExecutionProvider", "TensorrtExecutionProvider"]
    chosen = requested_providers(available, "auto", fp16_allowed=False)
    assert [n for n, _ in chosen] == [p for p in PROVIDER_ORDER if p in available]
    assert dict(chosen)["CUDAExecutionProvider"] == {"use_tf32": "0"}
    assert dict(chosen)["TensorrtExecutionProvider"] == {"trt_fp16_enable": "False"}
    assert dict(requested_providers(available, "auto", fp16_allowed=True))[
        "CUDAExecutionProvider"] == {"use_tf32": "1"}


def test_onnxruntime_fallback_prints_nothing(tmp_path, capfd):
    """On a machine without TensorRT/CUDA libraries the fallback leaves the console clean."""
    create_session(read_package(make_package(tmp_path), TrustStore(), OPEN))
    out, err = capfd.readouterr()
    assert "EP Error" not in out + err
    assert "libcublas" not in out + err


@pytest.mark.parametrize(("array", "message"), [
    (np.ones((2, 2), np.float64), "float64, the model needs float32"),
    (np.ones((2, 3), np.float32), "shape"),
    (np.ones((2,), np.float32), "shape"),
    (np.array([[1.0, np.nan]], np.float32), "NaN or infinity"),
    (np.array([[np.inf, 1.0]], np.float32), "NaN or infinity"),
])
def test_bad_inputs_are_refused_before_running(toy, array, message):
    """Wrong dtype, wrong shape and NaN/inf inputs are refused with a clear message."""
    with pytest.raises(ModelError, match=message):
        toy.run({"x": array})


def test_missing_or_extra_inputs_are_refused(toy):
    """Feeds must name exactly the model's inputs."""
    with pytest.raises(ModelError, match="missing"):
        toy.run({"z": np.ones((1, 2), np.float32)})


def test_nan_output_is_discarded(tmp_path):
    """A run producing NaN (log of a negative) is an error, not a result."""
    session = create_session(read_package(make_package(tmp_path, model=log_model()), TrustStore(), OPEN))
    with pytest.raises(ModelError, match="output 'y' contains NaN"):
        session.run({"x": np.array([[-1.0, 1.0]], np.float32)})


def test_batched_run_matches_single_run_and_reports_progress(toy):
    """Slicing the batch axis gives the same outputs as one run, with progress per slice."""
    x = np.random.default_rng(0).random((1000, 2), dtype=np.float32)
    seen = []
    out = toy.run_batched({"x": x}, batch_size=128, progress=lambda d, t, m="": seen.append((d, t)))
    np.testing.assert_array_equal(out["y"], toy.run({"x": x})["y"])
    assert seen[-1] == (1000, 1000) and len(seen) == 8


def test_batched_run_stops_when_cancelled(toy):
    """A cancelled batch raises Cancelled and returns nothing partial."""
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        toy.run_batched({"x": np.ones((10, 2), np.float32)}, batch_size=2, cancel=token)


def test_session_cache_reuses_sessions_per_manifest(tmp_path):
    """The same verified package gives the same session object; a different one does not."""
    cache = SessionCache(RuntimeOptions(gpu_preference="cpu"))
    a = read_package(make_package(tmp_path / "a"), TrustStore(), OPEN)
    b = read_package(make_package(tmp_path / "b", "other-toy"), TrustStore(), OPEN)
    assert cache.get(a) is cache.get(a)
    assert cache.get(a) is not cache.get(b)


GPU_AND_CPU = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]


def test_providers_whose_library_is_missing_are_not_requested(tmp_path):
    """CUDA/TensorRT are asked for only when their provider library sits beside onnxruntime."""
    from clinic_app.core.inference.providers import provider_library_missing, usable_providers

    assert usable_providers(GPU_AND_CPU, library_dir=tmp_path, cpu_only=False) == \
        ["CPUExecutionProvider"]
    cuda = provider_library_missing("CUDAExecutionProvider", tmp_path)
    assert cuda is not None and "onnxruntime_providers_cuda" in cuda
    (tmp_path / cuda).write_bytes(b"")
    assert usable_providers(GPU_AND_CPU, library_dir=tmp_path, cpu_only=False) == \
        ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert usable_providers(GPU_AND_CPU, library_dir=tmp_path, cpu_only=True) == \
        ["CPUExecutionProvider"]


def test_cpu_only_bundle_is_known_from_bundle_info(tmp_path, monkeypatch):
    """In a bundle whose bundle-info.json says variant 'cpu', no GPU provider is usable."""
    import json
    import sys

    from clinic_app.core.bundle import bundle_info, cpu_only_build
    from clinic_app.core.inference.providers import usable_providers

    assert bundle_info() is None and not cpu_only_build()  # a source install
    (tmp_path / "bundle-info.json").write_text(json.dumps({"variant": "cpu"}))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert cpu_only_build() and bundle_info() == {"variant": "cpu"}
    assert usable_providers(GPU_AND_CPU) == ["CPUExecutionProvider"]
    (tmp_path / "bundle-info.json").write_text(json.dumps({"variant": "gpu"}))
    assert not cpu_only_build()


@pytest.mark.parametrize("preference", ["auto", "cpu"])
def test_gpu_preference_decides_the_request_end_to_end(store, preference):
    """Settings.gpu_preference reaches every session the services build: 'cpu' asks for the
    CPU only; 'auto' asks for every usable provider in order; the provider used is reported."""
    from clinic_app.config import Settings
    from clinic_app.core.inference.providers import installed_providers
    from clinic_app.services import Services
    from tests.conftest import PASSWORDS

    services = Services(Settings(store_dir=store.root, gpu_preference=preference))
    try:
        phys = services.auth.login("phys", PASSWORDS["phys"])
        session = services.models.session_for(phys, "meld-unos")
        expected = ("CPUExecutionProvider",) if preference == "cpu" else \
            tuple(p for p in PROVIDER_ORDER if p in installed_providers())
        assert session.requested == expected
        assert session.provider == session.providers[0]
        row = next(r for r in services.models.list(phys) if r.id == "meld-unos")
        assert row.provider == session.provider
    finally:
        services.close()


def test_warm_up_uses_shapes_each_shipped_model_accepts(capfd):
    """Warm-up feeds the manifest's sizes: the CT U-Net (any multiple of 8; 3 channels, the
    slice and its 2.5D neighbours) at 64x64, the
    radiograph classifier at its fixed 256x256, risk models one row; all run, nothing printed."""
    from pathlib import Path

    from clinic_app.config import Settings
    from clinic_app.core.inference.runtime import warmup_shape
    from clinic_app.services.models import offline_registry

    registry = offline_registry(Settings(store_dir=Path("/nonexistent-store")))
    expected = {"ct-hyperdense-lesion-demo": (1, 3, 64, 64), "cr-nodule-demo": (1, 1, 256, 256),
                "pce-ascvd-10y": (1, 9)}
    for package_id, shape in expected.items():
        contents = registry.load(package_id)
        assert contents.manifest.warmup
        assert warmup_shape(contents.manifest, contents.manifest.inputs[0]) == shape
        session = create_session(contents, RuntimeOptions(gpu_preference="cpu", warmup=False))
        assert session.warm_up(), package_id
    out, err = capfd.readouterr()
    assert "onnxruntime" not in out + err and "Concat" not in out + err


def test_model_session_exposes_the_onnxruntime_session_for_io_binding(toy):
    """ort_session is the session the checked run() uses (imaging IO binding needs it)."""
    assert toy.ort_session.get_providers()[0] == toy.provider
    assert [i.name for i in toy.ort_session.get_inputs()] == ["x"]
