"""Modality values → network input, and network output → the original pixel grid.

Every step is vectorised (numpy in place, OpenCV per whole slice); nothing loops over
pixels in Python. The training scripts in ``models/`` call these same functions, so a
model sees at run time exactly the preparation it was trained with.

Conventions: stacks are ``(slices, rows, cols)``; spacings are given in the same order
``(slice, row, col)`` in mm; resampling uses pixel-centre alignment (OpenCV's), so pixel
``(r, c)`` of a resized image covers the same patient area as the source pixels it
came from and the inverse resize puts probabilities back where they belong.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np

from clinic_app.core.inference.imaging_spec import PreprocessSpec
from clinic_app.errors import InvalidInput


def spacing_from_affine(affine: np.ndarray) -> tuple[float, float, float]:
    """``(slice, row, col)`` spacing in mm: the lengths of the affine's k, j, i columns."""
    a = np.asarray(affine, dtype=np.float64)
    return (float(np.linalg.norm(a[:3, 2])), float(np.linalg.norm(a[:3, 1])),
            float(np.linalg.norm(a[:3, 0])))


def inplane_shape(rows: int, cols: int, spacing_rc: tuple[float, float],
                  target_rc: tuple[float, float] | None) -> tuple[int, int]:
    """Size of a slice resampled from ``spacing_rc`` to ``target_rc`` mm (unchanged if None)."""
    if target_rc is None:
        return rows, cols
    return (max(1, round(rows * spacing_rc[0] / target_rc[0])),
            max(1, round(cols * spacing_rc[1] / target_rc[1])))


def resize_slices(stack: np.ndarray, shape: tuple[int, int], *,
                  out: np.ndarray | None = None) -> np.ndarray:
    """Resize every slice of ``(n, rows, cols)`` to ``shape`` (area when shrinking, else linear)."""
    n, rows, cols = stack.shape
    if (rows, cols) == tuple(shape):
        if out is None:
            return np.ascontiguousarray(stack, dtype=np.float32)
        out[...] = stack
        return out
    shrinking = shape[0] < rows and shape[1] < cols
    interp = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    result = out if out is not None else np.empty((n, *shape), dtype=np.float32)
    size = (int(shape[1]), int(shape[0]))
    for k in range(n):
        src = stack[k]
        if src.dtype != np.float32:
            src = src.astype(np.float32)
        cv2.resize(src, size, dst=result[k], interpolation=interp)
    return result


def resample_slices_axis(stack: np.ndarray, n_out: int) -> np.ndarray:
    """Linear resampling along axis 0 to ``n_out`` slices, pixel-centre aligned.

    One weighted sum per output slice (OpenCV, dtype kept: float32, or uint8 with
    rounding), written into one preallocated array: no full-volume gathers or temporaries.
    """
    n_in = stack.shape[0]
    if n_out == n_in:
        return stack
    pos = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out) - 0.5
    pos = np.clip(pos, 0.0, n_in - 1.0)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, n_in - 1)
    w = pos - lo
    out = np.empty((n_out, *stack.shape[1:]), dtype=stack.dtype)
    for k in range(n_out):
        a, b = np.ascontiguousarray(stack[lo[k]]), np.ascontiguousarray(stack[hi[k]])
        if w[k] < 1e-6 or lo[k] == hi[k]:
            out[k] = a
        else:
            cv2.addWeighted(a, 1.0 - float(w[k]), b, float(w[k]), 0.0, dst=out[k])
    return out


def normalize(x: np.ndarray, spec: PreprocessSpec, *, invert: bool = False) -> np.ndarray:
    """Scale ``x`` (float32 ``(n, ...)``, modified in place) as the manifest says.

    Order: window clip to [0, 1]; per-image ``minmax`` to ``out_range``; polarity flip;
    then ``zscore`` (per image) or ``fixed`` mean/std. ``invert`` is for MONOCHROME1
    images, whose modality values grow darker as attenuation grows, so a model always
    sees bright = dense.
    """
    if x.dtype != np.float32:
        raise TypeError("normalize expects float32 input")
    bounds: tuple[float, float] | None = None
    if spec.window is not None:
        lo, hi = spec.window
        np.clip(x, lo, hi, out=x)
        x -= lo
        x *= 1.0 / (hi - lo)
        bounds = (0.0, 1.0)
    if spec.normalize == "minmax":
        for k in range(x.shape[0]):
            _percentile_scale(x[k], spec.percentiles, spec.out_range)
        bounds = spec.out_range
    if invert:
        if bounds is None:
            np.negative(x, out=x)
        else:
            np.subtract(bounds[0] + bounds[1], x, out=x)
    if spec.normalize == "zscore":
        for k in range(x.shape[0]):
            image = x[k]
            sample = image[_sample_step(image)]
            mean, std = float(sample.mean()), float(sample.std())
            image -= mean
            image *= 1.0 / (std if std > 0 else 1.0)
    elif spec.normalize == "fixed":
        x -= spec.mean
        x *= 1.0 / spec.std
    return x


def _sample_step(image: np.ndarray) -> tuple[slice, ...]:
    """A strided view with about 64k pixels: statistics of a 2000² radiograph from a
    1-in-60 sample move by far less than its noise, at a tiny fraction of the cost."""
    step = max(1, int(math.sqrt(image.size / 65536)))
    return tuple(slice(None, None, step) for _ in range(image.ndim))


def _percentile_scale(image: np.ndarray, percentiles: tuple[float, float],
                      out_range: tuple[float, float]) -> None:
    """Map one image's low/high percentiles to ``out_range``, clipped (in place)."""
    lo, hi = np.percentile(image[_sample_step(image)], percentiles)
    if not hi > lo:
        hi = lo + 1.0
    np.clip(image, lo, hi, out=image)
    image -= lo
    image *= (out_range[1] - out_range[0]) / (hi - lo)
    image += out_range[0]


def pad_to_multiple(stack: np.ndarray, multiple: int) -> np.ndarray:
    """Pad the last two axes at the end (edge values) so both are multiples of ``multiple``."""
    if multiple <= 1:
        return stack
    rows, cols = stack.shape[-2:]
    pr = (-rows) % multiple
    pc = (-cols) % multiple
    if pr == 0 and pc == 0:
        return stack
    pad = [(0, 0)] * (stack.ndim - 2) + [(0, pr), (0, pc)]
    return np.pad(stack, pad, mode="edge")


def with_channels(stack: np.ndarray, channels: int, *, last: bool = False) -> np.ndarray:
    """``(n, ...)`` → ``(n, channels, ...)`` (or channels last): grey replicated as needed."""
    x = stack[..., None] if last else stack[:, None]
    if channels > 1:
        x = np.repeat(x, channels, axis=-1 if last else 1)
    return np.ascontiguousarray(x)


def prepare_slices(raw: np.ndarray, spacing_rc: tuple[float, float], spec: PreprocessSpec,
                   *, invert: bool = False) -> tuple[np.ndarray, tuple[int, int]]:
    """A batch of slices ``(n, R, C)`` → network input ``(n, ch, r', c')`` and its unpadded size.

    Resampling comes before windowing: the resized stack is smaller, so the clip and
    scale touch fewer pixels, and area averaging of modality values is the physically
    meaningful order (partial volume), not averaging of clipped values.
    """
    shape = _inplane_target(raw.shape[1], raw.shape[2], spacing_rc, spec)
    x = resize_slices(raw, shape)
    if x is raw or np.shares_memory(x, raw):
        x = x.copy()
    return _finish(x, spec, invert), shape


def _inplane_target(rows: int, cols: int, spacing_rc: tuple[float, float],
                    spec: PreprocessSpec) -> tuple[int, int]:
    if spec.target_size is not None:
        return (spec.target_size[0], spec.target_size[1])
    target = spec.target_spacing_mm
    return inplane_shape(rows, cols, spacing_rc, (target[0], target[1]) if target else None)


def _finish(x: np.ndarray, spec: PreprocessSpec, invert: bool) -> np.ndarray:
    """Resized modality values ``(n, r, c)`` (owned, float32) → windowed, padded, channels."""
    normalize(x, spec, invert=invert)
    x = pad_to_multiple(x, spec.pad_to_multiple)
    return with_channels(x, spec.channels, last=spec.channels_last)


def slices_at(stack: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Slices of ``(S, R, C)`` at fractional ``positions`` along axis 0 (linear, float32).

    Positions outside ``[0, S - 1]`` take the end slice: beyond the series there is no
    image, and the end slice is the nearest one that was measured.
    """
    pos = np.clip(np.asarray(positions, dtype=np.float64), 0.0, stack.shape[0] - 1.0)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, stack.shape[0] - 1)
    w = pos - lo
    out = np.empty((len(pos), *stack.shape[1:]), dtype=np.float32)
    for n in range(len(pos)):
        a = np.asarray(stack[lo[n]], dtype=np.float32)
        if w[n] < 1e-6 or lo[n] == hi[n]:
            out[n] = a
        else:
            cv2.addWeighted(a, 1.0 - float(w[n]), np.asarray(stack[hi[n]], dtype=np.float32),
                            float(w[n]), 0.0, dst=out[n])
    return out


def prepare_slice_batch(voxels: np.ndarray, k0: int, k1: int,
                        spacing: tuple[float, float, float], spec: PreprocessSpec, *,
                        invert: bool = False) -> tuple[np.ndarray, tuple[int, int]]:
    """Slices ``k0:k1`` of a stack → network input, as :func:`prepare_slices`.

    With ``spec.neighbour_mm`` (2.5D input) each item is three channels: the image
    ``neighbour_mm`` below the slice, the slice, and ``neighbour_mm`` above it, each
    interpolated linearly between the measured slices, so the network sees the same
    physical distance whatever the series' slice spacing (``spacing[0]``). A series whose
    slice spacing is unknown is refused: assuming one would feed the network images at
    the wrong distance without anyone knowing.
    """
    if spec.neighbour_mm is None:
        return prepare_slices(voxels[k0:k1], (spacing[1], spacing[2]), spec, invert=invert)
    step = float(spacing[0])
    if not (math.isfinite(step) and step > 0.0):
        raise InvalidInput(
            f"This model compares each slice with the images {spec.neighbour_mm:g} mm above "
            "and below it, but the series' slice spacing is unknown, so it cannot be "
            "analysed. Re-export the series with its slice positions.")
    # Every slice the three channels read is resized once, in modality units, and the
    # channels are interpolated between resized slices: resizing is linear, so this is
    # the same image as interpolating first (to float rounding) at a third of the work.
    last = voxels.shape[0] - 1.0
    index = np.arange(k0, k1, dtype=np.float64)
    offsets = (-spec.neighbour_mm / step, 0.0, spec.neighbour_mm / step)
    positions = [np.clip(index + offset, 0.0, last) for offset in offsets]
    lows = [np.floor(pos).astype(np.intp) for pos in positions]
    needed = np.unique(np.concatenate([np.concatenate((lo, np.minimum(lo + 1, int(last))))
                                       for lo in lows]))
    shape = _inplane_target(voxels.shape[1], voxels.shape[2], (spacing[1], spacing[2]), spec)
    source = resize_slices(voxels[needed], shape)
    grey = replace(spec, channels=1)
    parts = [_finish(slices_at(source, np.searchsorted(needed, lo) + (pos - lo)), grey, invert)
             for pos, lo in zip(positions, lows, strict=True)]
    return np.ascontiguousarray(np.concatenate(parts, axis=1)), shape


def prepare_volume(raw: np.ndarray, spacing: tuple[float, float, float], spec: PreprocessSpec,
                   *, invert: bool = False) -> np.ndarray:
    """A whole volume ``(S, R, C)`` → resampled, normalised ``(S', R', C')`` float32."""
    target = spec.target_spacing_mm
    if target is None:
        x = np.array(raw, dtype=np.float32, copy=True)
    else:
        rows, cols = inplane_shape(raw.shape[1], raw.shape[2], (spacing[1], spacing[2]),
                                   (target[1], target[2]))
        x = resize_slices(raw, (rows, cols))
        n_out = max(1, round(raw.shape[0] * spacing[0] / target[0]))
        x = resample_slices_axis(x, n_out)
        if np.shares_memory(x, raw):
            x = x.copy()
    return normalize(x, spec, invert=invert)


def restore_slices(prob: np.ndarray, shape: tuple[int, int], original: tuple[int, int], *,
                   out: np.ndarray | None = None) -> np.ndarray:
    """Network output ``(n, r_pad, c_pad)`` → crop to ``shape`` → resize to ``original``.

    The dtype is kept (float32, or uint8 for quantised probabilities, which OpenCV
    resizes several times faster and which take a quarter of the memory).
    """
    cropped = prob[:, : shape[0], : shape[1]]
    if cropped.shape[1:] == tuple(original):
        if out is None:
            return np.ascontiguousarray(cropped)
        out[...] = cropped
        return out
    n = cropped.shape[0]
    result = out if out is not None else np.empty((n, *original), dtype=cropped.dtype)
    size = (int(original[1]), int(original[0]))
    for k in range(n):
        cv2.resize(np.ascontiguousarray(cropped[k]), size, dst=result[k],
                   interpolation=cv2.INTER_LINEAR)
    return result


def quantise(prob: np.ndarray) -> np.ndarray:
    """Probabilities in [0, 1] → uint8 (value / 255), rounded: 1/255 is finer than any
    threshold or colour map needs, and the full-resolution maps of a 300-slice CT
    shrink from 315 MB (float32) to 79 MB."""
    q = np.multiply(prob, 255.0, dtype=np.float32)
    q += 0.5
    np.clip(q, 0.0, 255.0, out=q)
    return q.astype(np.uint8)


def restore_volume(prob: np.ndarray, original: tuple[int, int, int], *,
                   out: np.ndarray | None = None) -> np.ndarray:
    """A resampled ``(S', R', C')`` probability map → quantised uint8 on the original grid.

    The map is quantised first, then slices are interpolated at the coarse in-plane size
    and each slice is resized to full resolution, all in uint8.
    """
    x = resample_slices_axis(quantise(prob), original[0])
    return restore_slices(x, x.shape[1:], original[1:], out=out)
