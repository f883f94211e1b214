"""Lazy pixel decoding of stored instances, one frame at a time.

The header parse at import recorded where the Pixel Data value sits in the stored file,
so a frame is decoded by handing exactly those bytes to pydicom's decoder (with the
pixel layout from the index) instead of parsing the dataset again. Deflated files (the
offset is inside the inflated stream) and 8-bit big-endian data (byte-swapped words)
take pydicom's full path. Colour comes back as RGB: YBR is converted, palette colour is
applied by the volume builder, which has the LUTs.

The decompression-bomb guard is re-checked here: the declared matrix was validated at
import, but a frame is refused if it would allocate more than the limit anyway.
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate, get_frame
from pydicom.pixels import get_decoder, pixel_array
from pydicom.uid import (
    HTJ2K,
    JPEG2000,
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    JPEG2000Lossless,
    JPEGLSLossless,
    JPEGLSNearLossless,
)

from clinic_app.core.imaging import j2k
from clinic_app.core.imaging.boundary import InstanceRef, decode_error, decoder_wall
from clinic_app.core.imaging.byteorder import native
from clinic_app.core.imaging.header_types import ImageAttributes, PixelLayout
from clinic_app.core.imaging.pixel_data import MAX_DECODED_BYTES
from clinic_app.errors import DecodeError

__all__ = ["DecodeError", "decode_frame", "header_dataset", "instance_ref"]


#: The fastest installed plugin per transfer syntax, measured on 512² CT slices:
#: pyjpegls (CharLS) decodes JPEG-LS ~5× faster than pylibjpeg-libjpeg; openjpeg through
#: pylibjpeg beats Pillow on JPEG 2000. pydicom's default order would pick the slower ones.
PREFERRED_PLUGINS = {
    JPEGLSLossless: "pyjpegls", JPEGLSNearLossless: "pyjpegls",
    JPEG2000Lossless: "pylibjpeg", JPEG2000: "pylibjpeg",
}


#: Syntaxes whose greyscale frames may take the multithreaded OpenJPEG path (j2k.py).
J2K_SYNTAXES = frozenset({JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K})


def plugin_for(ts: UID) -> str:
    preferred = PREFERRED_PLUGINS.get(ts, "")
    if preferred and preferred in get_decoder(ts).available_plugins:
        return preferred
    return ""


def decode_buffer(buf: bytes, ts: str, frame: int, options: dict[str, Any]) -> np.ndarray:
    """Decode frame ``frame`` of a Pixel Data value (native or encapsulated) given its layout."""
    uid = UID(ts)
    if uid in J2K_SYNTAXES and options.get("samples_per_pixel") == 1:
        fast = _j2k_fast(buf, frame, options)
        if fast is not None:
            return fast
    arr, _meta = get_decoder(uid).as_array(buf, index=frame, decoding_plugin=plugin_for(uid),
                                           **options)
    return arr


def _j2k_fast(buf: bytes, frame: int, options: dict[str, Any]) -> np.ndarray | None:
    frames = int(options.get("number_of_frames") or 1)
    try:
        codestream = get_frame(buf, frame, number_of_frames=frames)
    except (ValueError, IndexError, KeyError):
        return None  # let pydicom's full path report the damage
    return j2k.decode_grey(codestream, int(options["bits_stored"]), int(options["bits_allocated"]),
                           bool(options["pixel_representation"]))


def _options(px: PixelLayout, ts: UID) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "rows": px.rows, "columns": px.cols, "samples_per_pixel": px.samples,
        "bits_allocated": px.bits_allocated, "bits_stored": px.bits_stored,
        "pixel_representation": px.pixel_representation,
        "photometric_interpretation": px.photometric, "number_of_frames": px.frames,
        "transfer_syntax_uid": ts,
    }
    if px.samples > 1:
        opts["planar_configuration"] = px.planar_configuration
    if not px.encapsulated:
        opts["pixel_keyword"] = "PixelData"
    return opts


def instance_ref(inst: ImageAttributes) -> InstanceRef:
    """How messages name ``inst`` (a stored row, or a header being imported)."""
    return InstanceRef(inst.sop_instance_uid, str(getattr(inst, "source_name", "") or ""),
                       inst.instance_number, getattr(inst, "id", None))


def decode_frame(source: bytes | BinaryIO, inst: ImageAttributes, frame: int) -> np.ndarray:
    """Stored values of one frame: (rows, cols) grey, or (rows, cols, 3) RGB/palette index.

    ``source`` is the stored file: its bytes, or a seekable file of them (a blob opened
    with ``BlobStore.open``), from which only this frame's bytes are read.
    Every failure is a :class:`DecodeError` naming the instance and the frame; the
    third-party decoders run behind :func:`boundary.decoder_wall` (panics included).
    """
    fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    ref = instance_ref(inst)
    px = inst.pixels
    if px is None or not inst.decodable:
        raise decode_error(ref, None, f"no decodable pixel data ({inst.status or 'none'})")
    if not 0 <= frame < px.frames:
        raise decode_error(ref, frame, f"no such frame (the instance has {px.frames})")
    if px.frame_bytes > MAX_DECODED_BYTES:
        raise decode_error(ref, frame, "would decode to more memory than allowed; refused")
    ts = UID(inst.transfer_syntax)
    with decoder_wall(ref, frame, f"{ts.name if ts.is_transfer_syntax else ts} pixel data"):
        if px.offset is None or ts == DeflatedExplicitVRLittleEndian or (
                ts == ExplicitVRBigEndian and px.bits_allocated == 8):
            fh.seek(0)
            ds = dcmread(fh, force=True)  # inflates deflated datasets
            arr = pixel_array(ds, index=frame)
        else:
            arr = _decode_part(fh, ts, frame, px)
    return checked(arr, px, frame, ref)


def _decode_part(fh: BinaryIO, ts: UID, frame: int, px: PixelLayout) -> np.ndarray:
    """Decode one frame from the bytes of that frame only (no copy of the whole value).

    Native data: the frame's own byte range. Encapsulated data: the frame's fragments,
    found from the offset table (or by scanning the items), decoded as a one-frame value.
    1-bit and 4:2:2 native data, whose frames are not whole rows of whole bytes, read the
    whole value as before.
    """
    opts = _options(px, ts)
    assert px.offset is not None
    if px.encapsulated:
        fh.seek(px.offset)
        one = get_frame(fh, frame, number_of_frames=px.frames)
        opts["number_of_frames"] = 1
        return decode_buffer(encapsulate([one]), ts, 0, opts)
    if px.bits_allocated % 8 == 0 and px.photometric != "YBR_FULL_422":
        fh.seek(px.offset + frame * px.frame_bytes)
        opts["number_of_frames"] = 1
        return decode_buffer(fh.read(px.frame_bytes), ts, 0, opts)
    fh.seek(px.offset)
    return decode_buffer(fh.read(px.length), ts, frame, opts)


def checked(arr: np.ndarray, px: PixelLayout, frame: int,
            ref: InstanceRef | None = None) -> np.ndarray:
    """The decoded frame in native byte order, if its shape is the one the header declared.

    Explicit VR Big Endian frames come back from pydicom as ``>u2``/``>i2``; they are
    swapped here, once, so nothing downstream ever sees a non-native array.
    """
    expected = (px.rows, px.cols) if px.samples == 1 else (px.rows, px.cols, 3)
    if arr.shape != expected:
        raise decode_error(ref or InstanceRef(""), frame,
                           f"decoded to shape {arr.shape} instead of {expected}")
    return native(arr)


def header_dataset(source: bytes | BinaryIO, ref: InstanceRef | None = None) -> Dataset:
    """The dataset without pixel data: for palette, modality LUT and VOI LUT tables."""
    fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    with decoder_wall(ref or InstanceRef(""), None, "header", "could not be read"):
        fh.seek(0)
        return dcmread(fh, stop_before_pixels=True, force=True)
