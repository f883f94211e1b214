"""Inference sessions built from verified bytes, with checks around every run.

The public surface other packages build on (risk scoring here, imaging pipelines in
issue 6):

* :func:`create_session` - a :class:`ModelSession` from a :class:`PackageContents`; the
  session is built from the bytes that were hashed (never from the path), warmed up,
  and knows which provider it *actually* runs on.
* :meth:`ModelSession.run` - one call; inputs checked for name, dtype, rank, fixed
  dimensions and NaN/inf before, outputs checked for NaN/inf after.
* :meth:`ModelSession.run_batched` - slices the batch axis (axis 0) of every input,
  with progress and cooperative cancel between slices.
* :class:`SessionCache` - one session per (package manifest hash, provider policy).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from clinic_app.core.inference.manifest import Manifest, TensorSpec
from clinic_app.core.inference.package import PackageContents
from clinic_app.core.inference.providers import (
    CPU,
    installed_providers,
    quiet_onnxruntime,
    requested_providers,
)
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import ModelError

log = logging.getLogger("clinic_app.inference")


@dataclass(frozen=True)
class RuntimeOptions:
    gpu_preference: str = "auto"  # auto | cpu (Settings.gpu_preference)
    intra_op_threads: int = 0  # 0: one per core, at most 8
    warmup: bool = True


def default_threads() -> int:
    """Intra-op threads: one per core up to 8 (beyond that small graphs only pay sync cost)."""
    return max(1, min(8, os.cpu_count() or 1))


class ModelSession:
    """A verified model ready to run. Thread-safe: onnxruntime sessions allow concurrent run()."""

    def __init__(self, manifest: Manifest, session: Any, requested: list[str]) -> None:
        self.manifest = manifest
        self._session = session
        self.requested = tuple(requested)
        self.providers = tuple(session.get_providers())

    @property
    def provider(self) -> str:
        """The provider that actually runs this model (the truth, not the request)."""
        return self.providers[0]

    @property
    def ort_session(self) -> Any:
        """The onnxruntime session itself, for IO binding (``imaging_run.ModelRunner``).

        It bypasses the checks :meth:`run` makes: a caller binding its own buffers must
        check inputs and outputs itself, as ModelRunner does.
        """
        return self._session

    @property
    def fell_back(self) -> bool:
        return self.provider != self.requested[0]

    # -- checks -------------------------------------------------------------------------
    def _check_inputs(self, feeds: Mapping[str, np.ndarray]) -> int | None:
        declared = {t.name: t for t in self.manifest.inputs}
        missing = sorted(set(declared) - set(feeds))
        extra = sorted(set(feeds) - set(declared))
        if missing or extra:
            raise ModelError(f"{self.manifest.label}: inputs do not match the model "
                             f"(missing {missing}, unexpected {extra}).")
        batch: int | None = None
        for name, spec in declared.items():
            array = feeds[name]
            if not isinstance(array, np.ndarray):
                raise ModelError(f"{self.manifest.label}: input {name!r} must be a numpy array.")
            if array.dtype != np.dtype(spec.dtype):
                raise ModelError(f"{self.manifest.label}: input {name!r} is {array.dtype}, the model "
                                 f"needs {spec.dtype} (no silent conversion).")
            _check_shape(self.manifest.label, "input", spec, array.shape)
            if array.ndim and batch is None and isinstance(spec.shape[0], str):
                batch = array.shape[0]
            if np.issubdtype(array.dtype, np.floating):
                bad = ~np.isfinite(array)
                if bad.any():
                    where = _first_bad(bad)
                    raise ModelError(f"{self.manifest.label}: input {name!r} contains NaN or "
                                     f"infinity (first at index {where}); nothing was run.")
        return batch

    def _check_outputs(self, outputs: dict[str, np.ndarray]) -> None:
        for spec in self.manifest.outputs:
            array = outputs[spec.name]
            if np.issubdtype(array.dtype, np.floating):
                bad = ~np.isfinite(array)
                if bad.any():
                    raise ModelError(
                        f"{self.manifest.label}: output {spec.name!r} contains NaN or infinity "
                        f"(first at index {_first_bad(bad)}); the result was discarded.")

    # -- running ------------------------------------------------------------------------
    def run(self, feeds: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One checked run; returns every output by name."""
        self._check_inputs(feeds)
        names = [t.name for t in self.manifest.outputs]
        try:
            values = self._session.run(names, dict(feeds))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"{self.manifest.label}: the model failed to run "
                             f"({type(exc).__name__}: {str(exc)[:200]}).") from None
        outputs = dict(zip(names, values, strict=True))
        self._check_outputs(outputs)
        return outputs

    def run_batched(self, feeds: Mapping[str, np.ndarray], *, batch_size: int | None = None,
                    progress: Progress = no_progress,
                    cancel: CancelToken = NEVER_CANCELLED) -> dict[str, np.ndarray]:
        """Run in slices along axis 0; outputs are concatenated in input order."""
        total = self._check_inputs(feeds)
        if total is None:
            return self.run(feeds)
        size = batch_size or self.manifest.max_batch or 65536
        if self.manifest.max_batch:
            size = min(size, self.manifest.max_batch)
        parts: dict[str, list[np.ndarray]] = {t.name: [] for t in self.manifest.outputs}
        for start in range(0, total, size):
            cancel.raise_if_cancelled()
            chunk = {k: v[start:start + size] for k, v in feeds.items()}
            for name, value in self.run(chunk).items():
                parts[name].append(value)
            progress(min(start + size, total), total, "scoring")
        if total == 0:
            return self.run(feeds)
        return {k: np.concatenate(v, axis=0) for k, v in parts.items()}

    def warm_up(self) -> bool:
        """One run on ones (not zeros: log(0) would be -inf) so first use is not slow:
        the provider's kernels, memory arenas and (on CUDA) library handles are set up
        here rather than in the clinician's first run. The shapes are ones the model
        accepts (:func:`warmup_shape`). True if the run succeeded."""
        feeds = {t.name: np.ones(warmup_shape(self.manifest, t), dtype=np.dtype(t.dtype))
                 for t in self.manifest.inputs}
        try:
            self._session.run(None, feeds)
        except Exception as exc:  # a model that cannot run on ones still loads; run() will tell
            log.info("warm-up of %s failed (%s); its first run will be slower",
                     self.manifest.label, type(exc).__name__)
            return False
        return True


#: A symbolic image dimension the manifest gives no size for is warmed up at this many
#: pixels, rounded up to the manifest's ``pad_to_multiple``: enough for every
#: down-sampling level of the usual U-Nets, cheap on a CPU.
WARMUP_SIDE = 64

#: Axes of the spatial dimensions and of the channel, per imaging channel layout.
_SPATIAL_AXES = {"NCHW": (2, 3), "NHWC": (1, 2), "NCDHW": (2, 3, 4), "NDHWC": (1, 2, 3)}
_CHANNEL_AXIS = {"NCHW": 1, "NHWC": 3, "NCDHW": 1, "NDHWC": 4}


def warmup_shape(manifest: Manifest, tensor: TensorSpec) -> tuple[int, ...]:
    """A shape ``tensor`` accepts, from what the manifest declares.

    Fixed dimensions are kept. For imaging models the spatial dimensions come from
    ``inference.patch_size`` or ``preprocessing.size`` when given, else
    :data:`WARMUP_SIDE` rounded up to ``preprocessing.pad_to_multiple`` (a U-Net taking any
    size divisible by 8 cannot run on 1x1); the channel dimension from
    ``preprocessing.channels``. Any other symbolic dimension (the batch) is 1.
    """
    image = manifest.section("inputs", "image")
    pre = image.get("preprocessing", {})
    layout = str(pre.get("channel_layout", ""))
    spatial = _SPATIAL_AXES.get(layout, ()) if len(tensor.shape) == len(layout) else ()
    size = image.get("inference", {}).get("patch_size") or pre.get("size")
    if size is not None and len(size) != len(spatial):
        size = None
    multiple = max(1, int(pre.get("pad_to_multiple", 1)))
    shape: list[int] = []
    for axis, dim in enumerate(tensor.shape):
        if isinstance(dim, int):
            shape.append(dim)
        elif axis in spatial:
            shape.append(int(size[spatial.index(axis)]) if size is not None
                         else -(-WARMUP_SIDE // multiple) * multiple)
        elif spatial and axis == _CHANNEL_AXIS[layout]:
            shape.append(int(pre.get("channels", 1)))
        else:
            shape.append(1)
    return tuple(shape)


def _check_shape(label: str, kind: str, spec: TensorSpec, shape: tuple[int, ...]) -> None:
    if len(shape) != len(spec.shape):
        raise ModelError(f"{label}: {kind} {spec.name!r} has shape {list(shape)}; the model needs "
                         f"{list(spec.shape)}.")
    for got, want in zip(shape, spec.shape, strict=True):
        if isinstance(want, int) and got != want:
            raise ModelError(f"{label}: {kind} {spec.name!r} has shape {list(shape)}; the model "
                             f"needs {list(spec.shape)}.")


def _first_bad(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.argwhere(mask)[0]]


def create_session(contents: PackageContents, options: RuntimeOptions | None = None) -> ModelSession:
    """Build a session from the verified bytes held in ``contents``."""
    import onnxruntime as ort

    quiet_onnxruntime()
    options = options or RuntimeOptions()
    manifest = contents.manifest
    so = ort.SessionOptions()
    so.log_severity_level = 4  # a failed run is reported by our ModelError, not on stderr
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.intra_op_num_threads = options.intra_op_threads or default_threads()
    so.inter_op_num_threads = 1
    # Idle workers sleep instead of spinning: a spinning pool burnt ~30 ms of CPU after each
    # calculator call (issue 16, start-up), more than the run itself.
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # No custom-op library is ever registered (SessionOptions.register_custom_ops_library).
    external = contents.external_data
    if external:
        names = list(external)
        buffers = [external[n] for n in names]
        so.add_external_initializers_from_files_in_memory(names, buffers, [len(b) for b in buffers])
    requested = requested_providers(installed_providers(), options.gpu_preference,
                                    fp16_allowed=manifest.fp16_allowed)
    session = _open_with_fallback(ort, contents.model_bytes, so, requested, manifest.label)
    result = ModelSession(manifest, session, [name for name, _ in requested])
    if result.fell_back:
        log.info("%s: requested %s, running on %s", manifest.label, result.requested[0],
                 result.provider)
    if options.warmup and manifest.warmup:
        result.warm_up()
    return result


def _open_with_fallback(ort: Any, model: bytes, so: Any, requested: list[tuple[str, dict[str, Any]]],
                        label: str) -> Any:
    """Try the providers in order, dropping the first on failure (e.g. TensorRT libraries
    missing). onnxruntime's own fallback is off: it prints to stdout and retries
    without our provider options, which would silently re-enable TF32."""
    remaining = list(requested)
    while True:
        try:
            return ort.InferenceSession(model, sess_options=so,
                                        providers=[name for name, _ in remaining],
                                        provider_options=[opts for _, opts in remaining],
                                        enable_fallback=0)
        except Exception as exc:  # onnxruntime's exception types are not exported stably
            failed = remaining[0][0]
            if len(remaining) == 1:
                raise ModelError(f"{label}: onnxruntime could not load the model "
                                 f"({type(exc).__name__}: {str(exc)[:200]}).") from None
            log.info("%s: %s unavailable (%s); trying the next provider", label, failed,
                     type(exc).__name__)
            remaining = remaining[1:]


class SessionCache:
    """Sessions keyed by canonical manifest hash and options; safe across threads."""

    def __init__(self, options: RuntimeOptions | None = None) -> None:
        self.options = options or RuntimeOptions()
        self._sessions: dict[str, ModelSession] = {}
        self._lock = threading.Lock()

    def get(self, contents: PackageContents) -> ModelSession:
        key = contents.manifest.sha256
        with self._lock:
            cached = self._sessions.get(key)
            if cached is None:
                cached = create_session(contents, self.options)
                self._sessions[key] = cached
            return cached

    def cached(self, manifest_sha256: str) -> ModelSession | None:
        with self._lock:
            return self._sessions.get(manifest_sha256)

    def discard(self, manifest_sha256: str) -> None:
        """Forget one session (its package changed); runs in progress keep their reference."""
        with self._lock:
            self._sessions.pop(manifest_sha256, None)

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()

    def loaded(self) -> list[ModelSession]:
        """Every session built so far (the status bar reports the providers they run on)."""
        with self._lock:
            return list(self._sessions.values())


__all__ = ["CPU", "ModelSession", "RuntimeOptions", "SessionCache", "create_session"]
