"""Real model packages for tests: tiny ONNX graphs written with the onnx helper API."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import onnx
from onnx import TensorProto, helper, numpy_helper

from clinic_app.core.inference.packaging import write_package
from clinic_app.core.inference.registry import shipped_models_dir


def scale_model(*, domain: str = "", op: str = "Mul", external: str | None = None,
                dtype: int = TensorProto.FLOAT) -> bytes:
    """y = x * w with w an initializer (optionally stored as external data at ``external``)."""
    import numpy as np

    x = helper.make_tensor_value_info("x", dtype, ["N", 2])
    y = helper.make_tensor_value_info("y", dtype, ["N", 2])
    w = numpy_helper.from_array(np.array([2.0, 3.0], dtype=np.float32 if dtype == 1 else np.float64), "w")
    if external is not None:
        w.data_location = TensorProto.EXTERNAL
        raw = w.raw_data
        w.ClearField("raw_data")
        for key, value in (("location", external), ("offset", "0"), ("length", str(len(raw)))):
            entry = w.external_data.add()
            entry.key, entry.value = key, value
    node = helper.make_node(op, ["x", "w"], ["y"], domain=domain)
    graph = helper.make_graph([node], "g", [x], [y], [w])
    opsets = [helper.make_opsetid("", 17)]
    if domain:
        opsets.append(helper.make_opsetid(domain, 1))
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 9
    return model.SerializeToString()


def external_weights() -> bytes:
    import numpy as np

    return np.array([2.0, 3.0], dtype=np.float32).tobytes()


def toy_manifest(pid: str = "toy-scale", **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "manifest_version": 1, "id": pid, "name": "Toy scaler", "version": "1.0.0",
        "task": "image-classification", "description": "Multiplies by (2, 3); for tests.",
        "authors": ["tests"], "license": "test-only",
        "changelog": [{"version": "1.0.0", "date": "2026-01-01", "changes": "first"}],
        "demo": True,
        "intended_use": {"population": "none", "references": [{"citation": "none"}]},
        "runtime": {"model_file": "model.onnx", "opset": 17},
        "inputs": {"tensors": [{"name": "x", "dtype": "float32", "shape": ["N", 2]}],
                   "image": {"series_selection": {"modality": ["CT"]},
                             "preprocessing": {"channel_layout": "NCHW",
                                               "normalisation": {"method": "none"}}}},
        "outputs": {"tensors": [{"name": "y", "dtype": "float32", "shape": ["N", 2]}],
                    "labels": ["a", "b"]},
        "test_vectors": [{"name": "t", "inputs": {}, "expected": {"y": 0}, "tolerance": 0,
                          "source": "tests"}],
    }
    doc.update(changes)
    return doc


def make_package(root: Path, pid: str = "toy-scale", *, model: bytes | None = None,
                 extra: dict[str, tuple[bytes, str]] | None = None, private_key: Any = None,
                 **changes: Any) -> Path:
    files = {"model.onnx": (model if model is not None else scale_model(), "model")}
    files.update(extra or {})
    write_package(root / pid, toy_manifest(pid, **changes), files, private_key=private_key)
    return root / pid


def make_imaging_package(root: Path, pid: str) -> Path:
    """An unsigned package the imaging pipeline can run (``models add`` refuses the toy
    scaler: it declares an image classifier but takes a rank-2 input)."""
    from tests.ai_support import manifest, package, threshold_model

    package(root / pid, threshold_model(level=0.85), manifest(id=pid))
    return root / pid


def copy_shipped(dest: Path, pid: str) -> Path:
    """A copy of one shipped package (to tamper with in a temp folder)."""
    target = dest / pid
    shutil.copytree(shipped_models_dir() / pid, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def deep(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


__all__ = ["copy_shipped", "deep", "external_weights", "make_package", "onnx", "scale_model",
           "toy_manifest"]
