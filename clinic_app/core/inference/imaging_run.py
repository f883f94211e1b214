"""Running an imaging network: per slice, per image, or on 3D patches with blending.

``ModelRunner`` wraps one onnxruntime session and is the only place that calls it. It
checks every output against the manifest's declared shapes (a model that disagrees with
its own manifest is refused, not trusted), converts NaN/inf outputs into a refusal, and
counts the seconds spent inside the network so the pipeline can report the split
between model time and everything else.

Where the provider actually used is CUDA (or TensorRT), runs go through IO binding: the
batch is staged in page-locked host memory when the runtime can give it, copied to a
device buffer, and outputs are bound on the device and copied back once. fp16 inputs are
fed only when the manifest allows half precision and the graph takes float16. On the
CPU provider the plain ``session.run`` path is used; both paths return identical arrays.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clinic_app.core.inference.findings import map_grid
from clinic_app.core.inference.imaging_spec import ImagingSpec, OutputSpec
from clinic_app.core.inference.preprocess import (
    prepare_slice_batch,
    prepare_slices,
    prepare_volume,
    quantise,
    restore_slices,
    restore_volume,
    with_channels,
)
from clinic_app.core.inference.runtime import ModelSession
from clinic_app.core.tasks import CancelToken, Progress
from clinic_app.errors import ModelError

log = logging.getLogger("clinic_app.inference")

GPU_PROVIDERS = frozenset({"CUDAExecutionProvider", "TensorrtExecutionProvider"})


@dataclass
class StageTimes:
    """Seconds per pipeline stage; ``inference`` is time inside the network only."""

    io: float = 0.0
    preprocess: float = 0.0
    inference: float = 0.0
    postprocess: float = 0.0
    store: float = 0.0

    @property
    def total(self) -> float:
        return self.io + self.preprocess + self.inference + self.postprocess + self.store

    def as_dict(self) -> dict[str, float]:
        return {"io_s": round(self.io, 4), "preprocess_s": round(self.preprocess, 4),
                "inference_s": round(self.inference, 4),
                "postprocess_s": round(self.postprocess, 4), "store_s": round(self.store, 4),
                "total_s": round(self.total, 4)}


@dataclass
class _Stopwatch:
    times: StageTimes
    stage: str
    start: float = field(default_factory=time.perf_counter)

    def __enter__(self) -> _Stopwatch:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        setattr(self.times, self.stage, getattr(self.times, self.stage) + elapsed)


def timed(times: StageTimes, stage: str) -> _Stopwatch:
    """``with timed(times, "preprocess"): ...`` adds the block's wall time to the stage."""
    return _Stopwatch(times, stage)


class ModelRunner:
    """One verified model session, called with batches and held to its manifest.

    The CPU path goes through :meth:`ModelSession.run` (input dtype/shape/NaN and output
    NaN checks live there); the CUDA path binds device buffers and repeats the output
    check itself. Either way every output's shape is compared with the manifest, binding
    each symbolic dimension name to the size the input gave it.
    """

    def __init__(self, session: ModelSession, spec: ImagingSpec, *,
                 io_binding: bool | None = None) -> None:
        """``io_binding`` None: bind device buffers exactly when the provider is CUDA or
        TensorRT. True on a CPU session runs the same binding code with CPU buffers
        (how the tests check that path where no GPU exists)."""
        self.session = session
        self.spec = spec
        self.provider = session.provider
        self.model_seconds = 0.0
        self.input = spec.inference.input
        self.input_dtype = np.dtype(self.input.dtype)
        self.outputs = spec.output.tensors
        on_gpu = self.provider in GPU_PROVIDERS
        self.use_io_binding = on_gpu if io_binding is None else io_binding
        self.device = "cuda" if on_gpu else "cpu"
        self._bound: dict[tuple[int, ...], tuple[Any, np.ndarray, Any, Any]] = {}

    def refuse(self, what: str) -> ModelError:
        return ModelError(f"Model {self.spec.label} {what}; it does not match its manifest, "
                          "so nothing was kept. Ask IT to replace the package.")

    def _check_shape(self, name: str, declared: tuple[int | str, ...], shape: tuple[int, ...],
                     bound: dict[str, int]) -> None:
        ok = len(shape) == len(declared) and all(
            got == want if isinstance(want, int) else got == bound.get(want, got)
            for got, want in zip(shape, declared, strict=False))
        if not ok:
            raise self.refuse(f"returned output '{name}' of shape {list(shape)}, but its "
                              f"manifest declares {list(declared)}")

    def __call__(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        feed = batch.astype(self.input_dtype, copy=False)
        bound = {str(n): int(v) for n, v in zip(self.input.shape, feed.shape, strict=False)
                 if isinstance(n, str)}
        start = time.perf_counter()
        run = self._run_bound if self.use_io_binding else self._run_plain
        values = run(feed)
        self.model_seconds += time.perf_counter() - start
        result: dict[str, np.ndarray] = {}
        for tensor in self.outputs:
            arr = np.asarray(values[tensor.name])
            self._check_shape(tensor.name, tensor.shape, arr.shape, bound)
            result[tensor.name] = arr.astype(np.float32, copy=False)
        return result

    def run_timed(self, batch: np.ndarray, times: StageTimes) -> dict[str, np.ndarray]:
        """Run ``batch`` and add the network seconds (only) to ``times.inference``."""
        before = self.model_seconds
        outputs = self(batch)
        times.inference += self.model_seconds - before
        return outputs

    def probabilities(self, batch: np.ndarray, times: StageTimes) -> np.ndarray:
        """Foreground probabilities ``(N, labels, ...)`` of a segmentation batch, checked."""
        outputs = self.run_timed(batch, times)
        with timed(times, "postprocess"):
            prob = to_probabilities(outputs[self.spec.output.probabilities.name], self.spec.output)
        n_labels = len(self.spec.output.labels)
        if prob.shape[1] != n_labels:
            raise self.refuse(f"returned {prob.shape[1]} label channels, its manifest names "
                              f"{n_labels} labels")
        return prob

    def _run_plain(self, feed: np.ndarray) -> dict[str, np.ndarray]:
        return self.session.run({self.input.name: feed})

    # -- CUDA: IO binding ----------------------------------------------------------------
    def _run_bound(self, feed: np.ndarray) -> dict[str, np.ndarray]:
        """Pinned staging → device input buffer; outputs allocated on the device."""
        if not np.isfinite(feed).all():
            raise ModelError(f"{self.spec.label}: the prepared input contains NaN or "
                             "infinity; nothing was run.")
        device_input, staging, binding = self._buffers(feed.shape, feed.dtype)
        staging[...] = feed
        device_input.update_inplace(staging)
        binding.bind_ortvalue_input(self.input.name, device_input)
        for tensor in self.outputs:
            binding.bind_output(tensor.name, self.device, 0)
        try:
            _ort_session(self.session).run_with_iobinding(binding)
            values = binding.copy_outputs_to_cpu()
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"{self.spec.label}: the model failed to run on {self.device} "
                             f"({type(exc).__name__}).") from None
        finally:
            binding.clear_binding_outputs()
        result = {t.name: np.asarray(v) for t, v in zip(self.outputs, values, strict=True)}
        for name, arr in result.items():
            if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
                raise ModelError(f"{self.spec.label}: output {name!r} contains NaN or "
                                 "infinity; the result was discarded.")
        return result

    def _buffers(self, shape: tuple[int, ...], dtype: np.dtype[Any]) -> tuple[Any, np.ndarray, Any]:
        """Device input buffer, host staging (page-locked if possible) and a binding, per shape."""
        key = tuple(shape)
        if key not in self._bound:
            import onnxruntime as ort

            device_input = ort.OrtValue.ortvalue_from_shape_and_type(list(shape), dtype,
                                                                     self.device, 0)
            staging, owner = (_pinned_host_array(shape, dtype) if self.device == "cuda"
                              else (np.empty(shape, dtype=dtype), None))
            # ``owner`` keeps the pinned allocation alive as long as the view borrowing it.
            self._bound[key] = (device_input, staging,
                                _ort_session(self.session).io_binding(), owner)
        device_input, staging, binding, _owner = self._bound[key]
        return device_input, staging, binding


def _ort_session(session: ModelSession) -> Any:
    """The onnxruntime session inside a verified ModelSession (IO binding needs it)."""
    return session.ort_session


def _pinned_host_array(shape: tuple[int, ...], dtype: np.dtype[Any]) -> tuple[np.ndarray, Any]:
    """Page-locked host memory from the CUDA provider's allocator, else ordinary memory.

    Pinned memory lets the host→device copy run by DMA at full bus speed. onnxruntime
    exposes it through the CUDA EP device's host-accessible memory info; where that is
    not available (older runtimes) the ordinary array is correct, only slower.
    """
    try:
        import onnxruntime as ort

        for device in ort.get_ep_devices():
            if device.ep_name == "CUDAExecutionProvider":
                info = device.memory_info(ort.OrtDeviceMemoryType.HOST_ACCESSIBLE)
                value = ort.OrtValue.ortvalue_from_shape_and_type(list(shape), dtype,
                                                                  memory_info=info)
                return value.numpy(), value
    except Exception as exc:  # pinned memory is an optimisation only
        log.debug("pinned host memory unavailable: %s", type(exc).__name__)
    return np.empty(shape, dtype=dtype), None


# -- output semantics ----------------------------------------------------------------------
def to_probabilities(raw: np.ndarray, out: OutputSpec) -> np.ndarray:
    """Model output ``(N, C, ...)`` → foreground probabilities ``(N, labels, ...)``."""
    if out.activation == "sigmoid":
        x = np.negative(raw)
        np.exp(x, out=x)
        x += 1.0
        np.reciprocal(x, out=x)
    elif out.activation == "softmax" and out.background_channel and raw.shape[1] == 2:
        # Two-class softmax = sigmoid of the logit difference: one exp, not two, per voxel.
        x = np.subtract(raw[:, :1], raw[:, 1:])
        np.exp(x, out=x)
        x += 1.0
        np.reciprocal(x, out=x)
        return x
    elif out.activation == "softmax":
        x = raw - raw.max(axis=1, keepdims=True)
        np.exp(x, out=x)
        x /= x.sum(axis=1, keepdims=True)
    else:
        x = raw
    return x[:, 1:] if out.background_channel else x


# -- per-slice segmentation ------------------------------------------------------------------
def run_slices(voxels: np.ndarray, spacing: tuple[float, float, float], spec: ImagingSpec,
               runner: ModelRunner, times: StageTimes, progress: Progress,
               cancel: CancelToken, *, invert: bool = False) -> np.ndarray:
    """Segment every slice in batches; returns ``(labels, S, R, C)`` uint8 probabilities
    (value / 255, see :func:`preprocess.quantise`).

    Each batch is prepared, run and put back on the original grid before the next is
    read, so memory holds one batch of network tensors plus the output maps, never a
    second full-resolution copy of the volume.
    """
    n_slices, rows, cols = voxels.shape
    n_labels = len(spec.output.labels)
    maps = np.zeros((n_labels, n_slices, rows, cols), dtype=np.uint8)
    step = spec.inference.batch_size
    for k0 in range(0, n_slices, step):
        cancel.raise_if_cancelled()
        k1 = min(n_slices, k0 + step)
        with timed(times, "preprocess"):
            batch, shape = prepare_slice_batch(voxels, k0, k1, spacing, spec.preprocess,
                                               invert=invert)
        prob = runner.probabilities(batch, times)
        with timed(times, "postprocess"):
            q = quantise(prob)
            for label in range(n_labels):
                restore_slices(q[:, label], shape, (rows, cols), out=maps[label, k0:k1])
        progress(k1, n_slices, "analysing slices")
    return maps


# -- whole-image classification ----------------------------------------------------------------
@dataclass(frozen=True)
class ImageResult:
    """Per-label probability and, if the model gives one, its class-activation map
    (on :func:`findings.map_grid` of the image, not the full image grid)."""

    scores: np.ndarray
    cam: np.ndarray | None
    network_input: np.ndarray


def run_image(image: np.ndarray, spacing_rc: tuple[float, float], spec: ImagingSpec,
              runner: ModelRunner, times: StageTimes, *, invert: bool = False) -> ImageResult:
    """Classify one 2D image ``(R, C)``; a CAM output is normalised and put on its grid."""
    rows, cols = image.shape
    with timed(times, "preprocess"):
        batch, _shape = prepare_slices(image[None], spacing_rc, spec.preprocess, invert=invert)
    outputs = runner.run_timed(batch, times)
    with timed(times, "postprocess"):
        scores = to_probabilities(outputs[spec.output.probabilities.name], spec.output)[0]
        if scores.shape != (len(spec.output.labels),):
            raise runner.refuse(f"returned {scores.shape[0]} scores, manifest names "
                                 f"{len(spec.output.labels)} labels")
        cam = None
        if spec.output.heatmap:
            raw = outputs[spec.output.heatmap.name][0]
            if spec.output.background_channel:
                raw = raw[1:]
            cam = restore_slices(normalise_heatmap(raw), raw.shape[1:], map_grid(rows, cols))
    return ImageResult(scores=scores.astype(np.float64), cam=cam, network_input=batch)


def normalise_heatmap(maps: np.ndarray) -> np.ndarray:
    """Rectify and scale each map of ``(labels, h, w)`` to [0, 1] (all-zero stays zero)."""
    x = np.maximum(maps.astype(np.float32), 0.0)
    peak = x.reshape(x.shape[0], -1).max(axis=1)
    scale = np.where(peak > 0, 1.0 / np.where(peak > 0, peak, 1.0), 0.0).astype(np.float32)
    x *= scale[:, None, None]
    return x


# -- 3D sliding window --------------------------------------------------------------------------
def window_starts(length: int, patch: int, overlap: float) -> list[int]:
    """Start offsets covering ``[0, length)`` with patches overlapping by ``overlap``."""
    if length <= patch:
        return [0]
    stride = max(1, int(patch * (1.0 - overlap)))
    count = math.ceil((length - patch) / stride) + 1
    return sorted({round(s) for s in np.linspace(0, length - patch, count)})


def gaussian_importance(patch: tuple[int, int, int], sigma_scale: float = 0.125) -> np.ndarray:
    """Blending weights peaking at the patch centre: patch edges see less context."""
    axes = []
    for size in patch:
        centre = (size - 1) / 2.0
        sigma = max(size * sigma_scale, 1e-3)
        coords = np.arange(size, dtype=np.float64)
        axes.append(np.exp(-0.5 * ((coords - centre) / sigma) ** 2))
    weights = axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]
    weights /= weights.max()
    return np.maximum(weights, 1e-3).astype(np.float32)


def run_patches(voxels: np.ndarray, spacing: tuple[float, float, float], spec: ImagingSpec,
                runner: ModelRunner, times: StageTimes, progress: Progress,
                cancel: CancelToken) -> np.ndarray:
    """Sliding-window 3D segmentation with Gaussian overlap blending → ``(labels, S, R, C)``
    uint8 probabilities on the original grid."""
    assert spec.inference.patch_size is not None
    patch = spec.inference.patch_size
    with timed(times, "preprocess"):
        vol = prepare_volume(voxels, spacing, spec.preprocess)
        shape = vol.shape
        pads = [(0, max(0, p - s)) for p, s in zip(patch, shape, strict=True)]
        if any(p[1] for p in pads):
            vol = np.pad(vol, pads, mode="constant", constant_values=float(vol.min()))
        starts = [(z, y, x)
                  for z in window_starts(vol.shape[0], patch[0], spec.inference.overlap)
                  for y in window_starts(vol.shape[1], patch[1], spec.inference.overlap)
                  for x in window_starts(vol.shape[2], patch[2], spec.inference.overlap)]
        weights = gaussian_importance(patch)
        n_labels = len(spec.output.labels)
        acc = np.zeros((n_labels, *vol.shape), dtype=np.float32)
        norm = np.zeros(vol.shape, dtype=np.float32)
    step = spec.inference.batch_size
    for b0 in range(0, len(starts), step):
        cancel.raise_if_cancelled()
        group = starts[b0:b0 + step]
        with timed(times, "preprocess"):
            batch = with_channels(np.stack([vol[z:z + patch[0], y:y + patch[1], x:x + patch[2]]
                                            for z, y, x in group]),
                                  spec.preprocess.channels, last=spec.preprocess.channels_last)
        prob = runner.probabilities(batch, times)
        with timed(times, "postprocess"):
            for p, (z, y, x) in zip(prob, group, strict=True):
                region = (slice(z, z + patch[0]), slice(y, y + patch[1]), slice(x, x + patch[2]))
                acc[(slice(None), *region)] += p * weights
                norm[region] += weights
        progress(min(len(starts), b0 + step), len(starts), "analysing 3D patches")
    with timed(times, "postprocess"):
        acc /= norm
        acc = acc[:, : shape[0], : shape[1], : shape[2]]
        maps = np.empty((n_labels, *voxels.shape), dtype=np.uint8)
        for label in range(n_labels):
            restore_volume(acc[label], voxels.shape, out=maps[label])
    return maps
