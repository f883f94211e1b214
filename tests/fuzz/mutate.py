"""Mutations of real DICOM samples into damaged cases (pydicom and stdlib only).

Independent of clinic_app on purpose: the same cases can be fed to any reader (DCMTK,
another viewer) as an oracle. Each mutator takes the sample's bytes, its parsed dataset
and a seeded ``random.Random`` and returns the files of one case, ``{name: bytes}``: a
single file, a zip archive, or a DICOMDIR media folder. Everything is deterministic in
the seed, so a failing case is reproduced from ``(seed, index)`` alone.
"""

from __future__ import annotations

import copy
import io
import random
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydicom import config, dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence


@contextmanager
def _lenient() -> Iterator[None]:
    """pydicom writes and reads invalid values while mutating (restored afterwards: the
    application under test must see pydicom's normal settings)."""
    saved = (config.settings.writing_validation_mode, config.settings.reading_validation_mode)
    config.settings.writing_validation_mode = config.IGNORE
    config.settings.reading_validation_mode = config.IGNORE
    try:
        yield
    finally:
        config.settings.writing_validation_mode, config.settings.reading_validation_mode = saved

Files = dict[str, bytes]
Mutator = Callable[[bytes, Dataset, random.Random], Files]

_LONG_VRS = {b"OB", b"OW", b"OF", b"OD", b"OL", b"OV", b"SQ", b"UT", b"UN", b"UC", b"UR", b"SV", b"UV"}
_VRS = ["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "TM", "UI", "UL", "UN", "US", "UT"]
TRANSFER_SYNTAXES = [
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
    "1.2.840.10008.1.2.4.100", "1.2.3.4.5", "not a uid",
]
_NUMBERS = ["0", "-1", "1e400", "-1e400", "nan", "inf", "1e308", "1e-320", "65536", "4294967296",
            "abc", "", "1\\2\\3\\4\\5\\6\\7", "0\\0", "-0", "1e38", "3.4e38"]


def _save(ds: Dataset, little: bool = True) -> bytes:
    out = io.BytesIO()
    try:
        ds.save_as(out, enforce_file_format=False)
    except Exception:  # a mutation pydicom refuses to write: keep the original encoding
        out = io.BytesIO()
        ds.save_as(out)
    return out.getvalue()


def _one(data: bytes) -> Files:
    return {"case.dcm": data}


# -- byte level ------------------------------------------------------------------------------
def byte_flips(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 4, 16, 64])):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return _one(bytes(out))


def header_flips(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    out = bytearray(data)
    end = min(len(out), _pixel_offset(data) or 2048)
    for _ in range(rng.choice([1, 2, 3, 8])):
        out[rng.randrange(min(128, end - 1), end)] = rng.randrange(256)
    return _one(bytes(out))


def pixel_flips(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    start = _pixel_offset(data)
    if start is None or start >= len(data) - 16:
        return byte_flips(data, ds, rng)
    out = bytearray(data)
    for _ in range(rng.choice([1, 4, 32, 256])):
        out[rng.randrange(start, len(out))] = rng.randrange(256)
    return _one(bytes(out))


def truncation(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    start = _pixel_offset(data)
    if start is not None and rng.random() < 0.5:
        return _one(data[: rng.randrange(start, len(data))])
    return _one(data[: rng.randrange(0, len(data))])


def _pixel_offset(data: bytes) -> int | None:
    at = data.rfind(b"\xe0\x7f\x10\x00")
    return at if at > 0 else None


def element_length(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    """Rewrite the length field of an explicit-VR element found in the byte stream."""
    out = bytearray(data)
    end = min(len(data) - 12, (_pixel_offset(data) or 8192) + 1, 16384)
    head = data[:end + 12]
    spots = [m for m in range(132, end) if head[m + 4:m + 6] in _LONG_VRS
             and head[m + 1] in (0x00, 0x01, 0x02, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x54, 0x7F)]
    short_vrs = {v.encode() for v in _VRS} - _LONG_VRS
    short = [m for m in range(132, min(end, 8192)) if head[m + 4:m + 6] in short_vrs
             and head[m + 1] in (0x00, 0x08, 0x10, 0x18, 0x20, 0x28)]
    if spots and rng.random() < 0.5:
        at = rng.choice(spots)
        old = struct.unpack_from("<I", data, at + 8)[0]
        new = rng.choice([0, 1, 2, old + 1, max(old - 1, 0), old * 2, 0xFFFFFFFF, 0x7FFFFFFF,
                          len(data), 0xFFFFFFFE])
        struct.pack_into("<I", out, at + 8, new & 0xFFFFFFFF)
    elif short:
        at = rng.choice(short)
        old = struct.unpack_from("<H", data, at + 6)[0]
        struct.pack_into("<H", out, at + 6, rng.choice([0, 1, old + 1, max(old - 1, 0), 0xFFFF]))
    return _one(bytes(out))


# -- dataset level ---------------------------------------------------------------------------
def _elements(ds: Dataset) -> list:
    return [e for e in ds if e.tag.group not in (0x7FE0,)]


def wrong_vr(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    """Re-label text elements with another VR (the bytes stay; readers must cope)."""
    ds = copy.deepcopy(ds)
    text_vrs = ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM",
                "UI", "UT", "UN", "OB"]
    for _ in range(rng.choice([1, 2, 5])):
        elems = [e for e in _elements(ds) if e.VR in text_vrs and isinstance(e.value, str)]
        if elems:
            elem = rng.choice(elems)
            elem.VR = rng.choice(text_vrs)
            if elem.VR in ("UN", "OB"):
                elem.value = elem.value.encode("latin-1", "replace")
    return _one(_save(ds))


def bad_values(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    keywords = ["PixelSpacing", "ImagePositionPatient", "ImageOrientationPatient", "RescaleSlope",
                "RescaleIntercept", "WindowCenter", "WindowWidth", "SliceThickness",
                "NumberOfFrames", "InstanceNumber", "AcquisitionNumber", "Rows", "Columns",
                "BitsAllocated", "BitsStored", "HighBit", "SamplesPerPixel", "PixelRepresentation",
                "PhotometricInterpretation", "PlanarConfiguration", "FrameTime",
                "PixelPaddingValue", "GridFrameOffsetVector", "DoseGridScaling",
                "SpacingBetweenSlices", "SeriesNumber", "PatientOrientation", "VOILUTFunction"]
    for _ in range(rng.choice([1, 2, 3])):
        kw = rng.choice(keywords)
        try:
            if kw in ("Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit",
                      "SamplesPerPixel", "PixelRepresentation", "PlanarConfiguration",
                      "PixelPaddingValue"):
                setattr(ds, kw, rng.choice([0, 1, 2, 3, 7, 8, 12, 15, 16, 17, 32, 33, 255, 65535]))
            else:
                ds.add_new(_tag(kw), "LO" if kw in ("PhotometricInterpretation",
                                                     "VOILUTFunction") else "DS",
                           rng.choice([*_NUMBERS, "MONOCHROME1", "PALETTE COLOR", "YBR_FULL"]))
        except Exception:  # noqa: S112 - a value pydicom will not hold: try another
            continue
    return _one(_save(ds))


def _tag(keyword: str) -> int:
    from pydicom.datadict import tag_for_keyword

    tag = tag_for_keyword(keyword)
    assert tag is not None
    return tag


def transfer_syntax(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    """Claim another transfer syntax in the file meta, bytes of the dataset unchanged."""
    at = data.find(b"\x02\x00\x10\x00UI")
    if at < 0:
        return byte_flips(data, ds, rng)
    (old_len,) = struct.unpack_from("<H", data, at + 6)
    uid = rng.choice(TRANSFER_SYNTAXES).encode()
    uid += b"\x00" * (len(uid) & 1)
    out = bytearray(data[:at + 6] + struct.pack("<H", len(uid)) + uid + data[at + 8 + old_len:])
    group = out.find(b"\x02\x00\x00\x00UL")
    if group >= 0:
        (glen,) = struct.unpack_from("<I", out, group + 8)
        struct.pack_into("<I", out, group + 8, glen + len(uid) - old_len)
    return _one(bytes(out))


def pixel_length(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    if "PixelData" not in ds:
        return truncation(data, ds, rng)
    px = bytes(ds.PixelData)
    choice = rng.randrange(5)
    if choice == 0:
        px = px[: rng.randrange(len(px) + 1)]
    elif choice == 1:
        px = px + bytes(rng.randrange(1, 4096))
    elif choice == 2:
        px = b""
    elif choice == 3:
        ds.NumberOfFrames = rng.choice([2, 10, 1000, 99999])
    else:
        del ds.PixelData
    if choice in (0, 1):
        ds.PixelData = px
    return _one(_save(ds))


def luts(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    item = Dataset()
    entries = rng.choice([0, 1, 4, 256, 4096, 65535])
    item.add_new(0x00283002, "US", [entries, rng.choice([0, 100, 32768, 65535]),
                                    rng.choice([0, 8, 12, 16, 17, 40])])
    kind = rng.randrange(4)
    if kind:
        n = rng.choice([0, 1, max(entries // 2, 1), entries, entries * 2 + 1])
        if rng.random() < 0.7:
            item.add_new(0x00283006, rng.choice(["OW", "OB"]), rng.randbytes(min(n, 70000)))
        else:
            item.add_new(0x00283006, "US", [rng.randrange(65536) for _ in range(min(n, 5000))])
    if rng.random() < 0.5:
        ds.ModalityLUTSequence = Sequence([item])
        for kw in ("RescaleSlope", "RescaleIntercept"):
            if kw in ds and rng.random() < 0.8:
                delattr(ds, kw)
    else:
        ds.VOILUTSequence = Sequence([item] * rng.choice([1, 2]))
    return _one(_save(ds))


def palettes(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    if int(getattr(ds, "SamplesPerPixel", 1) or 1) != 1:
        return luts(data, ds, rng)
    ds.PhotometricInterpretation = "PALETTE COLOR"
    for colour in ("Red", "Green", "Blue"):
        if rng.random() < 0.85:
            ds.add_new(_tag(f"{colour}PaletteColorLookupTableDescriptor"), "US",
                       [rng.choice([0, 16, 256, 4096]), rng.choice([0, 10, 65535]),
                        rng.choice([8, 16, 4])])
        if rng.random() < 0.7:
            n = rng.choice([0, 32, 512, 8192, 131072])
            ds.add_new(_tag(f"{colour}PaletteColorLookupTableData"), "OW",
                       rng.randbytes(min(n, 131072)))
        elif rng.random() < 0.3:
            ds.add_new(_tag(f"Segmented{colour}PaletteColorLookupTableData"), "OW",
                       rng.randbytes(rng.choice([0, 6, 32])))
    return _one(_save(ds))


def functional_groups(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    per = Sequence()
    for k in range(rng.choice([0, frames, frames + 1, max(frames - 1, 0)])):
        item = Dataset()
        pos = Dataset()
        pos.ImagePositionPatient = [0, 0, rng.choice([k, 0, 1e308, -1e308])]
        item.PlanePositionSequence = Sequence([pos] if rng.random() < 0.9 else [])
        meas = Dataset()
        meas.PixelSpacing = rng.choice([[0.5, 0.5], [0, 0], [1e308, 1], [-1, 0.5]])
        meas.SliceThickness = rng.choice([1, 0, -5, 1e300])
        item.PixelMeasuresSequence = Sequence([meas])
        trans = Dataset()
        trans.RescaleSlope = rng.choice([1, 0, 1e38, -1, 1e-30])
        trans.RescaleIntercept = rng.choice([0, -1024, 1e300])
        item.PixelValueTransformationSequence = Sequence([trans])
        voi = Dataset()
        voi.WindowCenter = rng.choice([40, -1e300, 1e300])
        voi.WindowWidth = rng.choice([400, 0, -1, 1e308])
        item.FrameVOILUTSequence = Sequence([voi])
        content = Dataset()
        content.StackID = rng.choice(["1", "2", ""])
        content.InStackPositionNumber = rng.choice([k + 1, 0, 99999])
        item.FrameContentSequence = Sequence([content])
        per.append(item)
    ds.PerFrameFunctionalGroupsSequence = per
    if rng.random() < 0.5:
        shared = Dataset()
        ori = Dataset()
        ori.ImageOrientationPatient = rng.choice([[1, 0, 0, 0, 1, 0], [1, 0, 0, 1, 0, 0], [0] * 6])
        shared.PlaneOrientationSequence = Sequence([ori])
        ds.SharedFunctionalGroupsSequence = Sequence([shared])
    return _one(_save(ds))


def nested_sequences(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    ds = copy.deepcopy(ds)
    depth = rng.choice([5, 50, 200])
    inner = Dataset()
    inner.CodeValue = "X"
    for _ in range(depth):
        outer = Dataset()
        # two items per level only when shallow: 2**depth items otherwise
        outer.ReferencedImageSequence = Sequence([inner] * (2 if depth <= 5 else 1))
        inner = outer
    ds.ReferencedImageSequence = inner.ReferencedImageSequence
    return _one(_save(ds))


# -- containers ------------------------------------------------------------------------------
def _member(name: str) -> zipfile.ZipInfo:
    """A member with a fixed timestamp: the same seed must give the same archive bytes."""
    return zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))


def zip_abuse(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    buf = io.BytesIO()
    method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                         zipfile.ZIP_LZMA])
    names = ["a/IM1", "a/IM1", "../evil", "/abs", "C:x", "a\\b", "DICOMDIR", "x/DICOMDIR", "ok"]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", compression=method) as zf:
            for _ in range(rng.choice([1, 2, 3, 5])):
                member = data if rng.random() < 0.7 else byte_flips(data, ds, rng)["case.dcm"]
                zf.writestr(_member(rng.choice(names)), member, compress_type=method)
            if rng.random() < 0.2:
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w") as iz:
                    iz.writestr(_member("inner.dcm"), data)
                zf.writestr(_member("nested.zip"), inner.getvalue(), compress_type=method)
    archive = bytearray(buf.getvalue())
    damage = rng.randrange(4)
    if damage == 1:  # flip bytes inside the member data
        for _ in range(rng.choice([1, 8, 64])):
            archive[rng.randrange(30, max(31, len(archive) - 60))] ^= 0xFF
    elif damage == 2:  # cut the archive (central directory gone or half there)
        archive = archive[: rng.randrange(4, len(archive))]
    elif damage == 3:  # lie about a size in the central directory
        at = archive.rfind(b"PK\x01\x02")
        if at >= 0:
            struct.pack_into("<I", archive, at + 24, rng.choice([0, 1, 0xFFFFFFFF, 10**9]))
    return {"case.zip": bytes(archive)}


def dicomdir_abuse(data: bytes, ds: Dataset, rng: random.Random) -> Files:
    from pydicom.data import get_testdata_file

    path = get_testdata_file("DICOMDIR")
    assert path is not None
    dd = dcmread(path)
    records = list(dd.DirectoryRecordSequence)
    for rec in records:
        if "ReferencedFileID" in rec and rng.random() < 0.5:
            rec.ReferencedFileID = rng.choice([["..", "..", "etc", "passwd"], ["IM1"], ["MISSING"],
                                               ["/abs"], ["a" * 80], ["IM1", "..", "IM1"], []])
    files: Files = {"IM1": data}
    raw = bytearray(_save(dd))
    if rng.random() < 0.3:
        for _ in range(rng.choice([1, 16])):
            raw[rng.randrange(132, len(raw))] = rng.randrange(256)
    files["DICOMDIR"] = bytes(raw)
    if rng.random() < 0.3:
        files["DICOMDIR"] = data  # an instance named DICOMDIR
    return files


MUTATORS: dict[str, Mutator] = {
    "byte_flip": byte_flips, "header_flip": header_flips, "pixel_flip": pixel_flips,
    "truncate": truncation, "element_length": element_length, "wrong_vr": wrong_vr,
    "bad_value": bad_values, "transfer_syntax": transfer_syntax, "pixel_length": pixel_length,
    "lut": luts, "palette": palettes, "functional_groups": functional_groups,
    "nested_sequence": nested_sequences, "zip": zip_abuse, "dicomdir": dicomdir_abuse,
}


@dataclass(frozen=True)
class Case:
    """One generated case: where it came from and its files."""

    index: int
    sample: str
    mutator: str
    files: Files


def cases(samples: dict[str, bytes], count: int, seed: int = 0, start: int = 0) -> list[Case]:
    """``count`` cases from ``start``, cycling through mutators; each has its own seed."""
    names = sorted(samples)
    kinds = sorted(MUTATORS)
    out = []
    with _lenient():
        parsed = {n: dcmread(io.BytesIO(samples[n]), force=True) for n in names}
        for i in range(start, start + count):
            rng = random.Random(f"{seed}:{i}")
            kind = kinds[i % len(kinds)]
            name = rng.choice(names)
            try:
                files = MUTATORS[kind](samples[name], parsed[name], rng)
            except Exception as exc:  # the mutator itself failed: record, keep the original
                files = {"case.dcm": samples[name]}
                kind = f"{kind} (mutator failed: {type(exc).__name__})"
            out.append(Case(i, name, kind, files))
    return out
