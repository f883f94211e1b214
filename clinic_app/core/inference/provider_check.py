"""Which execution providers *work* here: a real session on each, with a one-node model.

"Available" is not "working": onnxruntime-gpu lists CUDA and TensorRT on machines with no
GPU and then quietly runs on the CPU. :func:`probe_providers` therefore creates a real
session on each listed provider and reports the provider the session actually got
(``get_providers()[0]``). A provider whose library is not installed (the CPU-only bundle)
is reported as such without being tried.

A mismatched CUDA driver can crash the process that tries it, so the app runs this in a
child process (``clinic-app --self-test-probe providers``, see ``selftest/probes.py``);
calling it directly is for that child and for tests. The model is encoded here by hand (a
few protobuf fields) so the check needs nothing but onnxruntime and numpy.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from clinic_app.core.inference.providers import CPU, PROVIDER_ORDER, quiet_onnxruntime, why_unusable
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress


@dataclass(frozen=True)
class ProviderCheck:
    provider: str
    works: bool
    detail: str


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def identity_model(size: int = 4) -> bytes:
    """ModelProto: y = Identity(x), x and y float32[1, size], opset 13, IR version 8."""
    dim = _field(1, _field(1, 1)) + _field(1, _field(1, size))
    tensor_type = _field(1, _field(1, 1) + _field(2, dim))  # elem_type FLOAT, shape
    value_type = _field(2, tensor_type)
    node = _field(1, b"x") + _field(2, b"y") + _field(3, b"probe") + _field(4, b"Identity")
    graph = (_field(1, node) + _field(2, b"provider-probe")
             + _field(11, _field(1, b"x") + value_type) + _field(12, _field(1, b"y") + value_type))
    opset = _field(1, b"") + _field(2, 13)
    return _field(1, 8) + _field(8, opset) + _field(7, graph)


def probe_providers(progress: Progress = no_progress,
                    cancel: CancelToken = NEVER_CANCELLED) -> list[ProviderCheck]:
    """Create a session on every provider onnxruntime lists; report what each really got."""
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError as exc:
        return [ProviderCheck("onnxruntime", False, f"cannot be imported ({type(exc).__name__})")]
    quiet_onnxruntime()
    available = list(ort.get_available_providers())
    ordered = [p for p in PROVIDER_ORDER if p in available] + \
              [p for p in available if p not in PROVIDER_ORDER]
    model = identity_model()
    feed = {"x": np.arange(4, dtype=np.float32).reshape(1, 4)}
    checks: list[ProviderCheck] = []
    for done, provider in enumerate(ordered):
        cancel.raise_if_cancelled()
        progress(done, len(ordered), f"Testing {provider}")
        missing = why_unusable(provider)
        if missing:
            checks.append(ProviderCheck(provider, False, f"listed, but {missing}"))
            continue
        options = ort.SessionOptions()
        options.log_severity_level = 4
        try:
            requested = [provider] if provider == CPU else [provider, CPU]
            # onnxruntime's Python layer print()s "EP Error ... Falling back"; we report it.
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                sess = ort.InferenceSession(model, sess_options=options, providers=requested)
            got = sess.get_providers()[0]
            out = sess.run(None, feed)[0]
            ok = bool(np.array_equal(out, feed["x"]))
        except Exception as exc:  # a provider that fails is the finding, not an error
            checks.append(ProviderCheck(provider, False, f"session failed ({type(exc).__name__})"))
            continue
        if got != provider:
            checks.append(ProviderCheck(provider, False, f"listed, but the session ran on {got}"))
        elif not ok:
            checks.append(ProviderCheck(provider, False, "ran, but returned a wrong result"))
        else:
            checks.append(ProviderCheck(provider, True, "session created and ran"))
    progress(len(ordered), len(ordered), "")
    return checks
