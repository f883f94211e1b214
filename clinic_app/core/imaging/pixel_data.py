"""Locate and check one instance's pixel data from the header, without decoding it.

The declared matrix is checked against decompression-bomb limits and against the bytes
the file actually holds (native length, encapsulated fragments), so a truncated or
absurd file is refused before any decoder allocates memory.
"""

from __future__ import annotations

import struct

from pydicom.dataset import Dataset
from pydicom.uid import UID, DeflatedExplicitVRLittleEndian

from clinic_app.core.imaging.header_types import PixelLayout
from clinic_app.core.imaging.quoting import quoted
from clinic_app.errors import HeaderError

#: Decompression-bomb guards, applied to the *declared* matrix before anything decodes.
MAX_ROWS_COLS = 32_768
MAX_FRAMES = 100_000
MAX_DECODED_BYTES = 2 * 1024**3

PHOTOMETRICS = frozenset({
    "MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "YBR_FULL", "YBR_FULL_422",
    "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_420",
})
PIXEL_DATA = 0x7FE00010
FLOAT_PIXEL_DATA = (0x7FE00008, 0x7FE00009)
UNDEFINED_LENGTH = 0xFFFFFFFF


def is_image_class(sop_class: str) -> bool:
    """Whether instances of this SOP class always carry pixel data (an "… Image Storage")."""
    uid = UID(sop_class)
    return "Image Storage" in uid.name and "Presentation State" not in uid.name


#: The status of an instance stored without pixel data (reports, SR, RT plans …).
NO_PIXELS = "no pixel data (not an image)"


def read_pixel_layout(ds: Dataset, data: bytes, ts: str,
            sop_class: str) -> tuple[PixelLayout | None, bool, str]:
    elem = ds.get_item(PIXEL_DATA, keep_deferred=True)
    if elem is None:
        if any(ds.get_item(t, keep_deferred=True) is not None for t in FLOAT_PIXEL_DATA):
            return None, False, "pixel data not decodable: float pixel data is not supported"
        if "Rows" in ds and "Columns" in ds:
            raise HeaderError("missing Pixel Data (7FE0,0010) although the header describes an "
                              "image; the file may be truncated")
        if is_image_class(sop_class):
            raise HeaderError(f"the file is truncated or damaged: a {UID(sop_class).name} "
                              "object without its image (no Pixel Data)")
        return None, False, NO_PIXELS
    required = ("Rows", "Columns", "BitsAllocated", "BitsStored", "SamplesPerPixel",
                "PhotometricInterpretation", "PixelRepresentation")
    missing = [k for k in required if k not in ds or ds[k].value in (None, "")]
    if missing:
        raise HeaderError("missing required image tag " + ", ".join(missing))
    rows, cols = int(ds.Rows), int(ds.Columns)
    bits, stored = int(ds.BitsAllocated), int(ds.BitsStored)
    samples, rep = int(ds.SamplesPerPixel), int(ds.PixelRepresentation)
    photometric = str(ds.PhotometricInterpretation).strip().upper()
    frames_raw = ds.get("NumberOfFrames")
    try:
        frames = int(frames_raw) if frames_raw not in (None, "") else 1
    except (TypeError, ValueError):
        raise HeaderError("NumberOfFrames is not a number") from None
    planar = int(ds.get("PlanarConfiguration", 0) or 0) if samples > 1 else 0
    if rows <= 0 or cols <= 0 or frames <= 0:
        raise HeaderError(f"image has no pixels (rows {rows}, columns {cols}, frames {frames})")
    if rows > MAX_ROWS_COLS or cols > MAX_ROWS_COLS or frames > MAX_FRAMES:
        raise HeaderError(f"absurd image dimensions ({rows} × {cols} × {frames} frames); refused "
                          "before decoding (decompression-bomb guard)")
    if bits not in (1, 8, 16, 32) or not 1 <= stored <= bits or samples not in (1, 3) or rep not in (0, 1):
        raise HeaderError(f"impossible pixel format (BitsAllocated {bits}, BitsStored {stored}, "
                          f"SamplesPerPixel {samples}, PixelRepresentation {rep})")
    decoded = rows * cols * frames * samples * max(1, bits // 8)
    if decoded > MAX_DECODED_BYTES:
        raise HeaderError(f"pixel data would decode to {decoded / 1024**3:.1f} GiB, over the "
                          f"{MAX_DECODED_BYTES // 1024**3} GiB limit (decompression-bomb guard)")
    # A raw element read with keep_deferred: where its value starts in the file, its length.
    tell = getattr(elem, "value_tell", None)
    offset = int(tell) if tell is not None else None
    declared = int(getattr(elem, "length"))  # noqa: B009 - RawDataElement field, untyped here
    encapsulated = declared == UNDEFINED_LENGTH
    if encapsulated:
        if offset is None:
            raise HeaderError("compressed pixel data could not be located in the file")
        length, fragments = encapsulated_extent(data, offset)
        if fragments < frames:
            raise HeaderError(f"compressed pixel data holds {fragments} fragments for {frames} "
                              "frames; the file is damaged or truncated")
    else:
        length = declared
        expected = native_length(rows, cols, frames, samples, bits, photometric)
        if ts == DeflatedExplicitVRLittleEndian:
            offset = None  # the offset is inside the inflated stream, not the file
        elif offset is None or offset + length > len(data):
            raise HeaderError("the file is truncated: the pixel data ends past the end of the file")
        if length not in (expected, expected + (expected & 1)):
            raise HeaderError(f"pixel data length {length} bytes does not match rows × columns "
                              f"× frames × samples ({rows} × {cols} × {frames} × {samples} at "
                              f"{bits} bits = {expected} bytes)")
    layout = PixelLayout(rows, cols, frames, samples, bits, stored, rep, photometric, planar,
                         encapsulated, offset, length)
    ok, status = decodability(ts, photometric)
    return layout, ok, status


def native_length(rows: int, cols: int, frames: int, samples: int, bits: int,
                  photometric: str) -> int:
    """Bytes that uncompressed pixel data must hold (PS3.5 §8.1.1)."""
    if bits == 1:
        return (rows * cols * frames * samples + 7) // 8
    per_pixel = samples * (bits // 8)
    if photometric == "YBR_FULL_422" and samples == 3:
        per_pixel = 2 * (bits // 8)
    return rows * cols * frames * per_pixel


def encapsulated_extent(data: bytes, offset: int) -> tuple[int, int]:
    """(bytes up to and including the sequence delimiter, number of fragments).

    Walks the item tags of encapsulated pixel data (PS3.5 §A.4); the first item is the
    Basic Offset Table and is not counted as a fragment.
    """
    pos = offset
    items = 0
    end = len(data)
    while True:
        if pos + 8 > end:
            raise HeaderError("the file is truncated inside the compressed pixel data")
        group, elem, length = struct.unpack_from("<HHI", data, pos)
        pos += 8
        if (group, elem) == (0xFFFE, 0xE0DD):
            return pos - offset, max(items - 1, 0)
        if (group, elem) != (0xFFFE, 0xE000) or length == UNDEFINED_LENGTH:
            raise HeaderError("compressed pixel data is malformed (an item tag is wrong)")
        pos += length
        items += 1
        if pos > end:
            raise HeaderError("the file is truncated inside the compressed pixel data")


def decodability(ts: str, photometric: str) -> tuple[bool, str]:
    """Whether this app can decode the pixel data, and the status text when it cannot."""
    from pydicom.pixels import get_decoder

    name = UID(ts).name if UID(ts).is_transfer_syntax else quoted(ts)
    try:
        decoder = get_decoder(UID(ts))
    except (NotImplementedError, ValueError):
        return False, f"pixel data not decodable: {name}"
    if not decoder.is_available and ts != DeflatedExplicitVRLittleEndian:
        return False, f"pixel data not decodable: {name} (no codec installed)"
    if photometric not in PHOTOMETRICS:
        return False, f"pixel data not decodable: unknown photometric interpretation {quoted(photometric)}"
    return True, ""
