"""Built-in DICOM samples, one per transfer syntax, and the pixels each must decode to.

The samples under ``clinic_app/resources/selftest/`` are written by
``scripts/make_selftest_samples.py`` from the integer patterns below, so the expected
pixels are computed here, not stored: a decoder that returns the wrong values (a missing
byte swap, a lost sign, rows and columns swapped, a codec plugin missing from a bundle)
fails on the spot. Lossless syntaxes must reproduce every pixel exactly; lossy ones must
stay within the per-sample error bounds recorded in ``samples.json``.

Each sample is decoded with *every* pydicom plugin available for its syntax (pylibjpeg,
pyjpegls, pydicom's own RLE, Pillow if installed), because the plugin pydicom picks first
is not always the one that runs: a bundle that lost pylibjpeg's entry-point metadata
still decodes JPEG with Pillow in a source install and fails in the field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

#: Decoding plugins our declared dependencies provide (pyproject: pydicom, pylibjpeg-*,
#: pyjpegls): each must decode every sample of a syntax it is registered for. Others
#: (Pillow, GDCM) are optional; pydicom uses them when installed, so they must never
#: return wrong pixels, but one refusing a sample (Pillow and 12-bit JPEG) is only noted.
REQUIRED_PLUGINS = ("pydicom", "pylibjpeg", "pyjpegls")

SAMPLES_PACKAGE = "clinic_app"
SAMPLES_FOLDER = ("resources", "selftest")
MANIFEST = "samples.json"


@dataclass(frozen=True)
class Sample:
    """One sample file and what decoding it must give."""

    file: str
    transfer_syntax: str
    description: str
    rows: int
    cols: int
    frames: int
    samples_per_pixel: int
    bits_allocated: int
    bits_stored: int
    signed: bool
    pattern: str  # "detail" (lossless) | "smooth" (lossy)
    max_error: int  # 0 for lossless
    mean_error: float
    sha256: str

    @property
    def lossless(self) -> bool:
        return self.max_error == 0


@dataclass(frozen=True)
class DecodeOutcome:
    """One plugin's result on one sample."""

    plugin: str
    ok: bool
    detail: str
    required: bool = True
    raised: bool = False

    @property
    def fails(self) -> bool:
        """A required plugin that did not decode correctly, or any plugin giving wrong pixels."""
        return not self.ok and (self.required or not self.raised)


def samples_dir() -> Any:
    """The folder of samples as an importlib Traversable (works inside a bundle too)."""
    folder = resources.files(SAMPLES_PACKAGE)
    for part in SAMPLES_FOLDER:
        folder = folder.joinpath(part)
    return folder


def load_samples() -> list[Sample]:
    data = json.loads(samples_dir().joinpath(MANIFEST).read_text(encoding="utf-8"))
    return [Sample(**entry) for entry in data["samples"]]


def dtype_for(bits_allocated: int, signed: bool) -> np.dtype:
    return np.dtype(("i" if signed else "u") + str(bits_allocated // 8))


def expected_pixels(sample: Sample) -> np.ndarray:
    """The array pydicom must return for ``sample`` (frames, rows, cols[, samples])."""
    frames = [_frame(sample, index) for index in range(sample.frames)]
    array = np.stack(frames)
    if sample.frames == 1:
        array = array[0]
    return array


def _frame(sample: Sample, index: int) -> np.ndarray:
    channels = [_channel(sample, index * 3 + c) for c in range(sample.samples_per_pixel)]
    if sample.samples_per_pixel == 1:
        return channels[0]
    return np.stack(channels, axis=-1)


def _channel(sample: Sample, seed: int) -> np.ndarray:
    """Integer-only arithmetic, so every platform computes the same values."""
    rows, cols, bits = sample.rows, sample.cols, sample.bits_stored
    y, x = np.mgrid[0:rows, 0:cols].astype(np.int64)
    full = 1 << bits
    if sample.pattern == "detail":
        # A multiplicative hash: every bit plane busy, neighbours unrelated, so a decoder
        # that drops the high byte, swaps bytes or mis-predicts cannot match by luck.
        values = (x * 2654435761 + y * 40503 + x * y * 97 + seed * 7919) % full
        values[0, 0], values[0, -1] = 0, full - 1  # the extremes of the range
        values[-1, 0], values[-1, -1] = 1, full - 2
    elif sample.pattern == "smooth":
        # A paraboloid over 3/4 of the range: smooth, which lossy codecs keep well.
        if seed % 3 == 1:
            x = (cols - 1) - x
        peak = (cols - 1) ** 2 * (rows - 1) ** 2 // 2
        bowl = x * (cols - 1 - x) * (rows - 1) ** 2 + y * (rows - 1 - y) * (cols - 1) ** 2
        values = full // 8 + bowl * (3 * full // 4) // peak + (seed % 3) * (full // 64)
    else:
        raise ValueError(f"unknown pattern {sample.pattern!r}")
    if sample.signed:
        values = values - (full // 2)
    return values.astype(dtype_for(sample.bits_allocated, sample.signed))


def plugins_for(transfer_syntax: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """(available plugin names, {registered but unavailable plugin: why}) for a syntax."""
    from pydicom.pixels import get_decoder

    try:
        decoder = get_decoder(transfer_syntax)
    except NotImplementedError:
        return (), {}
    if decoder.is_native:
        return ("pydicom",), {}
    missing: dict[str, str] = {}
    for text in decoder.missing_dependencies:
        name, _, why = text.partition(" - ")
        missing[name.strip()] = why.strip()
    return tuple(decoder.available_plugins), missing


def available_plugins(transfer_syntax: str) -> tuple[str, ...]:
    return plugins_for(transfer_syntax)[0]


def check_sample(sample: Sample) -> list[DecodeOutcome]:
    """Decode ``sample`` with every available plugin and compare to the expected pixels."""
    raw = samples_dir().joinpath(sample.file).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sample.sha256:
        return [DecodeOutcome("-", False, f"sample file {sample.file} is damaged (SHA-256 "
                              "mismatch); reinstall the application")]
    available, missing = plugins_for(sample.transfer_syntax)
    outcomes = [DecodeOutcome(name, False, f"not available ({why})")
                for name, why in missing.items() if name in REQUIRED_PLUGINS]
    if not available:
        outcomes.append(DecodeOutcome("-", False, "no decoder plugin available for this "
                                      "transfer syntax (a codec package or its metadata is missing)"))
    expected = expected_pixels(sample)
    outcomes += [_decode_with(sample, raw, plugin, expected) for plugin in available]
    return outcomes


def _decode_with(sample: Sample, raw: bytes, plugin: str, expected: np.ndarray) -> DecodeOutcome:
    import io

    from pydicom import dcmread
    from pydicom.pixels import pixel_array

    required = plugin in REQUIRED_PLUGINS
    try:
        ds = dcmread(io.BytesIO(raw))
        options: dict[str, Any] = {} if plugin == "pydicom" else {"decoding_plugin": plugin}
        array = pixel_array(ds, **options)
    except Exception as exc:
        return DecodeOutcome(plugin, False, f"cannot decode: {type(exc).__name__}: "
                             f"{_first_line(str(exc))[:160]}", required, raised=True)
    return DecodeOutcome(plugin, *compare(sample, array, expected), required)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def compare(sample: Sample, array: np.ndarray, expected: np.ndarray) -> tuple[bool, str]:
    """(ok, detail) for a decoded array against the expected pixels."""
    if array.shape != expected.shape:
        return False, f"shape {array.shape}, expected {expected.shape}"
    if array.dtype.newbyteorder('=') != expected.dtype.newbyteorder('='):
        return False, f"dtype {array.dtype}, expected {expected.dtype}"
    diff = np.abs(array.astype(np.int64) - expected.astype(np.int64))
    worst, mean = int(diff.max()), float(diff.mean())
    if sample.lossless:
        if worst:
            return False, f"{int(np.count_nonzero(diff))} pixels differ (lossless must be exact)"
        return True, "exact"
    if worst > sample.max_error or mean > sample.mean_error:
        return False, (f"error max {worst} / mean {mean:.2f} exceeds the bound "
                       f"{sample.max_error} / {sample.mean_error}")
    return True, f"within bound (max error {worst})"
