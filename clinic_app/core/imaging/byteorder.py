"""Native byte order for pixel arrays, before arithmetic, OpenCV, Qt or onnxruntime.

pydicom returns Explicit VR Big Endian pixel data as big-endian arrays (``>u2``, ``>i2``).
numpy's own arithmetic honours a dtype's byte order, but everything that reads the raw
buffer does not: OpenCV, ``QImage`` and onnxruntime take the bytes as native and compute,
silently, on byte-swapped values (a stored 1 becomes 256). So every array that leaves the
decoder, enters rendering or enters the model pipeline is made native first; a native
array passes through untouched (no copy).
"""

from __future__ import annotations

import numpy as np


def native(arr: np.ndarray) -> np.ndarray:
    """``arr`` with the same values in the machine's byte order (a copy only if needed)."""
    if arr.dtype.isnative:
        return arr
    return arr.astype(arr.dtype.newbyteorder("="))
