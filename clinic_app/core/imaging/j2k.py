"""Multithreaded JPEG 2000 decoding for greyscale frames, via imagecodecs' OpenJPEG.

pydicom's JPEG 2000 plugins (pylibjpeg-openjpeg, Pillow) decode a frame on one core and
hold the interpreter lock, so a 300-slice J2K CT loads no faster than SimpleITK however
many cores the workstation has. imagecodecs wraps the same OpenJPEG library but lets it
use several threads per frame (1.9× on 2 cores, measured in benchmarks/dicom_load.py).

The fast path is taken only when it provably returns what pydicom would: one sample per
pixel, a raw codestream whose SIZ marker declares the same signedness as
PixelRepresentation and the same precision as BitsStored. Anything else (colour with a
multi-component transform, JP2 boxes, a codestream that disagrees with its header) goes
through pydicom, which knows how to reconcile those cases.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import numpy as np

try:  # optional at import time so the app still starts without it (falls back to pydicom)
    import imagecodecs

    AVAILABLE = bool(imagecodecs.JPEG2K.available)
except ImportError:  # pragma: no cover - imagecodecs is a declared dependency
    imagecodecs = None  # type: ignore[assignment]  # every use checks AVAILABLE first
    AVAILABLE = False

THREADS = max(1, min(8, os.cpu_count() or 1))
_SOC, _SIZ = b"\xff\x4f", b"\xff\x51"


@dataclass(frozen=True)
class CodestreamInfo:
    components: int
    precision: int
    signed: bool


def codestream_info(frame: bytes) -> CodestreamInfo | None:
    """SIZ parameters of a raw J2K codestream, or None if it is not one we can read."""
    if len(frame) < 45 or frame[:2] != _SOC or frame[2:4] != _SIZ:
        return None
    (csiz,) = struct.unpack(">H", frame[40:42])
    if csiz < 1 or len(frame) < 42 + 3 * csiz:
        return None
    ssiz = frame[42]
    precisions = {(frame[42 + 3 * c] & 0x7F) + 1 for c in range(csiz)}
    if len(precisions) != 1:
        return None
    return CodestreamInfo(components=csiz, precision=precisions.pop(), signed=bool(ssiz & 0x80))


def decode_grey(frame: bytes, bits_stored: int, bits_allocated: int, signed: bool) -> np.ndarray | None:
    """Decoded frame as pydicom would return it, or None when the fast path does not apply."""
    if not AVAILABLE or bits_allocated not in (8, 16):
        return None
    info = codestream_info(frame)
    if info is None or info.components != 1 or info.signed != signed or info.precision != bits_stored:
        return None
    arr = imagecodecs.jpeg2k_decode(frame, numthreads=THREADS)
    if arr.ndim != 2:
        return None
    dtype = np.dtype(f"{'i' if signed else 'u'}{bits_allocated // 8}")
    return arr.astype(dtype, copy=False)
