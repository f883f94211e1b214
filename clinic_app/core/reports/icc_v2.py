"""An sRGB ICC profile in version 2 form, for the PDF/A-1b output intent.

PDF/A-1 is built on PDF 1.4, which knows ICC profiles up to version 2; validators (veraPDF
rule 6.2.2) refuse a version-4 output profile, and LittleCMS (Pillow's ``ImageCms``)
writes version 4. So the profile is written here from the sRGB definition (IEC
61966-2-1): a matrix/TRC display profile whose colorants are the sRGB primaries adapted
to the D50 connection space (Bradford), and the sRGB transfer curve sampled at 1024
points. ``tests/test_pdfa_structure.py`` loads it with LittleCMS and checks that colours
go through it as through LittleCMS's own sRGB.
"""

from __future__ import annotations

import struct
from functools import cache

# sRGB primaries adapted to D50 (IEC 61966-2-1 with the Bradford transform, as in the
# ICC's own sRGB profiles), and the D50 illuminant of the profile connection space.
RED = (0.4360747, 0.2225045, 0.0139322)
GREEN = (0.3850649, 0.7168786, 0.0971045)
BLUE = (0.1430804, 0.0606169, 0.7141733)
D50 = (0.9642, 1.0, 0.8249)
DESCRIPTION = "sRGB IEC61966-2.1"
COPYRIGHT = "No copyright, use freely"
CURVE_POINTS = 1024


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)


def _srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _curve() -> bytes:
    samples = [round(_srgb_to_linear(i / (CURVE_POINTS - 1)) * 65535) for i in range(CURVE_POINTS)]
    return b"curv\0\0\0\0" + struct.pack(">I", CURVE_POINTS) + struct.pack(
        f">{CURVE_POINTS}H", *samples)


def _desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    # textDescriptionType: ASCII part, empty Unicode part, empty ScriptCode part (67 bytes)
    return (b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)


def _text(text: str) -> bytes:
    return b"text\0\0\0\0" + text.encode("ascii") + b"\0"


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


@cache
def srgb_v2_profile() -> bytes:
    """The profile's bytes (deterministic: the header date is fixed)."""
    curve = _curve()
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", _desc(DESCRIPTION)), (b"cprt", _text(COPYRIGHT)), (b"wtpt", _xyz(D50)),
        (b"rXYZ", _xyz(RED)), (b"gXYZ", _xyz(GREEN)), (b"bXYZ", _xyz(BLUE)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries, blobs, placed = [], [], {}  # the three curves share one copy
    for sig, data in tags:
        if data not in placed:
            placed[data] = offset
            blobs.append(_pad(data))
            offset += len(blobs[-1])
        entries.append(sig + struct.pack(">II", placed[data], len(data)))
    body = struct.pack(">I", len(tags)) + b"".join(entries) + b"".join(blobs)
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0\0\0\0" + bytes([2, 0x10, 0, 0]) + b"mntr"
              + b"RGB " + b"XYZ " + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp"
              + b"\0" * 4  # platform
              + b"\0" * 4  # flags
              + b"\0" * 8  # device manufacturer and model
              + b"\0" * 8  # device attributes
              + struct.pack(">I", 0)  # rendering intent: perceptual
              + b"".join(_s15(v) for v in D50) + b"\0" * 4  # creator
              + b"\0" * 44)  # profile ID (version 4 only) and reserved bytes
    assert len(header) == 128
    return header + body
