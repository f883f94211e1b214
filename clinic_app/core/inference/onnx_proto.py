"""The ONNX protobuf messages, without importing the ``onnx`` package.

Every model package is inspected (custom operator domains, external data, inputs and
outputs) before it runs, and that needs only ONNX's protobuf message classes. Importing
``onnx`` itself pulls in its helpers, ml_dtypes and numpy extensions: seconds of CPU on
every calculator call (issue 16). The generated message module ``onnx/onnx_ml_pb2.py``
depends on protobuf alone, so it is loaded on its own from the installed onnx package.
Its descriptors go into protobuf's default pool under their usual names, so a later
``import onnx`` in the same process reuses them (the classes are the same objects).
If the file cannot be loaded that way, the ordinary ``import onnx`` is the fallback.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType
from typing import Any

_MODULE = "onnx.onnx_ml_pb2"


@cache
def onnx_messages() -> ModuleType:
    """The module holding ModelProto, GraphProto, TensorProto, ... (loaded once)."""
    if "onnx" in sys.modules or _MODULE in sys.modules:
        return _from_onnx()
    spec = importlib.util.find_spec("onnx")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        sub = importlib.util.spec_from_file_location("_clinic_app_onnx_ml_pb2",
                                                     f"{folder}/onnx_ml_pb2.py")
        if sub is None or sub.loader is None:
            continue
        module = importlib.util.module_from_spec(sub)
        try:
            sub.loader.exec_module(module)
        except Exception:  # any failure here: fall back to the real package
            break
        if hasattr(module, "ModelProto") and hasattr(module, "TensorProto"):
            return module
    return _from_onnx()


def _from_onnx() -> ModuleType:
    import onnx.onnx_ml_pb2

    return onnx.onnx_ml_pb2


def parse_model(data: bytes) -> Any:  # onnx.ModelProto (onnx is not imported)
    """A ModelProto from bytes, as ``onnx.load_model_from_string`` parses them: the whole
    buffer must decode (protobuf's DecodeError otherwise)."""
    from google.protobuf.message import DecodeError

    model = onnx_messages().ModelProto()
    decoded = model.ParseFromString(data)
    if decoded is not None and decoded != len(data):
        raise DecodeError(f"protobuf decoded {decoded} of {len(data)} bytes")
    return model
