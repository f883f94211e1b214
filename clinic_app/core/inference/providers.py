"""Execution providers: which to ask for, in which order, with which options.

onnxruntime-gpu lists CUDA and TensorRT as available on machines with no GPU and then
quietly runs on the CPU, so the list built here is only a request; the provider a
session really got is ``session.get_providers()[0]`` (see runtime.py), and that is what
every result reports.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

PROVIDER_ORDER = (
    "TensorrtExecutionProvider",
    "CUDAExecutionProvider",
    "DmlExecutionProvider",
    "CoreMLExecutionProvider",
    "CPUExecutionProvider",
)
CPU = "CPUExecutionProvider"

_quieted = False


def quiet_onnxruntime() -> None:
    """Keep onnxruntime's own console logging out of the user's terminal (once per process).

    Severity 4 (fatal only) is needed: on a machine without CUDA libraries the provider
    loader logs an *error* line before falling back. We report the fallback ourselves, in
    our log file, by comparing the requested and the actual provider.
    """
    global _quieted
    if _quieted:
        return
    import onnxruntime as ort

    ort.set_default_logger_severity(4)
    logging.getLogger("clinic_app.inference").debug("onnxruntime console logging limited to fatal")
    _quieted = True


def requested_providers(available: Sequence[str], gpu_preference: str, *,
                        fp16_allowed: bool) -> list[tuple[str, dict[str, Any]]]:
    """Providers to request, in PROVIDER_ORDER, restricted to ``available``; CPU always last.

    Precision is part of correctness: unless the manifest allows reduced precision, TF32
    is switched off on CUDA (it would round matmul inputs to 10 mantissa bits) and FP16
    stays off on TensorRT.
    """
    wanted = [CPU] if gpu_preference == "cpu" else list(PROVIDER_ORDER)
    chosen: list[tuple[str, dict[str, Any]]] = []
    for name in wanted:
        if name not in available and name != CPU:
            continue
        options: dict[str, Any] = {}
        if name == "CUDAExecutionProvider":
            options = {"use_tf32": "1" if fp16_allowed else "0"}
        elif name == "TensorrtExecutionProvider":
            options = {"trt_fp16_enable": "True" if fp16_allowed else "False"}
        chosen.append((name, options))
    return chosen
