"""Execution providers: which to ask for, in which order, with which options.

onnxruntime-gpu lists CUDA and TensorRT as available on machines with no GPU and then
quietly runs on the CPU, so the list built here is only a request; the provider a
session really got is ``session.get_providers()[0]`` (see runtime.py), and that is what
every result reports.

onnxruntime-gpu lists CUDA and TensorRT even where their provider libraries
(``libonnxruntime_providers_cuda.so`` …) are not beside it, which is what the CPU-only
bundle ships. :func:`usable_providers` drops those (and, in the CPU-only bundle, every GPU
provider), so the runtime never asks for a provider that cannot even be loaded and
never pays for, or logs, the failed attempt.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clinic_app.core.bundle import cpu_only_build

PROVIDER_ORDER = (
    "TensorrtExecutionProvider",
    "CUDAExecutionProvider",
    "DmlExecutionProvider",
    "CoreMLExecutionProvider",
    "CPUExecutionProvider",
)
CPU = "CPUExecutionProvider"
GPU_PROVIDERS = frozenset({"TensorrtExecutionProvider", "CUDAExecutionProvider",
                           "DmlExecutionProvider", "CoreMLExecutionProvider"})

#: Providers onnxruntime loads from a separate library beside its own (name stem).
PROVIDER_LIBRARIES = {
    "CUDAExecutionProvider": "onnxruntime_providers_cuda",
    "TensorrtExecutionProvider": "onnxruntime_providers_tensorrt",
}

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


def onnxruntime_library_dir() -> Path | None:
    """The folder onnxruntime loads its provider libraries from (beside its own binary)."""
    try:
        from onnxruntime.capi import onnxruntime_pybind11_state as binding
    except ImportError:
        return None
    where = getattr(binding, "__file__", None)
    return Path(where).parent if where else None


def provider_library_missing(provider: str, library_dir: Path | None) -> str | None:
    """The provider library ``provider`` needs that is not in ``library_dir``, else None."""
    stem = PROVIDER_LIBRARIES.get(provider)
    if stem is None or library_dir is None:
        return None
    expected = (f"{stem}.dll" if sys.platform == "win32" else
                f"lib{stem}.dylib" if sys.platform == "darwin" else f"lib{stem}.so")
    return None if (library_dir / expected).is_file() else expected


def usable_providers(available: Sequence[str], *, library_dir: Path | None = None,
                     cpu_only: bool | None = None) -> list[str]:
    """The providers onnxruntime lists that can be loaded here, in its order.

    Left out: every GPU provider in the CPU-only bundle (``cpu_only``, default from
    ``bundle-info.json``), and CUDA/TensorRT when their provider library is not beside
    onnxruntime (``library_dir``, default onnxruntime's own folder). The CPU provider is
    always kept. Whether a kept GPU provider *works* (driver, CUDA runtime) is still only
    known after a session is created.
    """
    if cpu_only is None:
        cpu_only = cpu_only_build()
    if library_dir is None:
        library_dir = onnxruntime_library_dir()
    return [p for p in available
            if p == CPU or (not (cpu_only and p in GPU_PROVIDERS)
                            and provider_library_missing(p, library_dir) is None)]


@functools.cache
def installed_providers() -> tuple[str, ...]:
    """:func:`usable_providers` of the installed onnxruntime (computed once per process)."""
    import onnxruntime as ort

    return tuple(usable_providers(ort.get_available_providers()))


def why_unusable(provider: str) -> str:
    """Why :func:`usable_providers` leaves ``provider`` out here ("" if it does not)."""
    if cpu_only_build() and provider in GPU_PROVIDERS:
        return "not in the CPU-only build"
    missing = provider_library_missing(provider, onnxruntime_library_dir())
    return f"its library {missing} is not installed beside onnxruntime" if missing else ""
