"""Damaged DICOM files for the robustness tests and the fuzz harness (no clinic_app imports).

Each function writes a real file that a real third-party decoder chokes on in a known way,
so tests exercise the actual failure (a Rust panic, a zlib error) instead of a mock.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from pydicom import dcmread
from pydicom.encaps import encapsulate


def panicking_rle_frame(rows: int, cols: int, segments: int = 2) -> bytes:
    """An RLE frame whose segments replicate past the frame: pylibjpeg-rle panics
    ("index out of bounds") instead of raising a Python exception."""
    seg = bytes([0x81, 0x00]) * (rows * cols // 128 + 3)
    offsets = [64 + n * len(seg) for n in range(segments)] + [0] * (15 - segments)
    return struct.pack("<16I", segments, *offsets) + seg * segments


def make_rle_panic(path: Path) -> Path:
    """Rewrite an RLE Lossless file in place so every frame panics pylibjpeg-rle."""
    ds = dcmread(path)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.5", "needs an RLE file"
    segments = int(ds.SamplesPerPixel) * int(ds.BitsAllocated) // 8
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    ds.PixelData = encapsulate([panicking_rle_frame(ds.Rows, ds.Columns, segments)] * frames)
    ds.save_as(path, enforce_file_format=True)
    return path


def corrupt_zip_member(zip_path: Path, member: str) -> None:
    """Flip bytes inside one member's compressed data (the CRC/inflate fails on read)."""
    with zipfile.ZipFile(zip_path) as zf:
        info = zf.getinfo(member)
    data = bytearray(zip_path.read_bytes())
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(8, min(info.compress_size, 64)):
        data[start + k] ^= 0x5A
    zip_path.write_bytes(bytes(data))
