"""Parse and validate one DICOM instance's header, without decoding its pixels.

Import reads headers only (pydicom ``defer_size``: large values, the pixel data among them,
are located but not read). Everything the index, the geometry and the display pipeline
need later is taken from the header here, once, so loading a series never parses a
dataset again for single-frame images: the pixel data's byte offset and length inside
the stored file are recorded, and decoding goes straight to those bytes.

Validation refuses what cannot be shown safely (missing UIDs, a pixel data length that
does not match the declared matrix, a truncated file, absurd dimensions that would make
a decoder allocate gigabytes) with a reason a person understands. Damaged *optional*
values (a malformed position or window) do not refuse the file: they become warnings and
the value is treated as absent, never guessed.
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.tag import Tag
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from clinic_app.core.imaging import header_damage, plausibility, ultrasound
from clinic_app.core.imaging.boundary import PASS_THROUGH
from clinic_app.core.imaging.quoting import quoted
from clinic_app.core.imaging.result_objects import result_status
from clinic_app.core.imaging.ultrasound import UltrasoundRegion
from clinic_app.errors import HeaderError
from clinic_app.i18n import translate

#: Decompression-bomb guards, applied to the *declared* matrix before anything decodes.
MAX_ROWS_COLS = 32_768
MAX_FRAMES = 100_000
MAX_DECODED_BYTES = 2 * 1024**3

_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
PHOTOMETRICS = frozenset({
    "MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "YBR_FULL", "YBR_FULL_422",
    "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_420",
})
_SEX = {"F": "female", "M": "male", "O": "other"}
PIXEL_DATA = 0x7FE00010
FLOAT_PIXEL_DATA = (0x7FE00008, 0x7FE00009)
#: Left to the pixel-data code (read lazily, by offset), not converted ahead.
_NOT_CONVERTED = frozenset(Tag(t) for t in (PIXEL_DATA, *FLOAT_PIXEL_DATA))
UNDEFINED_LENGTH = 0xFFFFFFFF


@dataclass(frozen=True)
class PatientInfo:
    patient_id: str
    issuer: str
    name: str
    birth_date: str | None  # ISO YYYY-MM-DD
    sex: str  # female | male | other | unknown

    @property
    def identity_key(self) -> str:
        """What makes two headers the same patient.

        PatientID + issuer when there is an id. Without one (a type-2 attribute that may be
        empty), name, birth date and sex stand in, so two anonymous patients are never
        merged into one record just because both lack an id.
        """
        if self.patient_id:
            return f"id|{self.issuer}|{self.patient_id}"
        return f"anon|{self.issuer}|{self.name}|{self.birth_date or ''}|{self.sex}"


@dataclass(frozen=True)
class PixelLayout:
    """How the pixel data is laid out in the stored file; enough to decode any frame."""

    rows: int
    cols: int
    frames: int
    samples: int
    bits_allocated: int
    bits_stored: int
    pixel_representation: int
    photometric: str
    planar_configuration: int
    encapsulated: bool
    offset: int | None  # byte offset of the Pixel Data value in the stored file
    length: int  # bytes of the value (encapsulated: up to and including the delimiter)

    @property
    def frame_bytes(self) -> int:
        """Decoded bytes of one frame (before any float conversion)."""
        return self.rows * self.cols * self.samples * max(1, (self.bits_allocated + 7) // 8)


@dataclass(frozen=True)
class FrameGeometry:
    """Per-frame values of an enhanced multi-frame instance (functional groups)."""

    position: tuple[float, float, float] | None = None
    orientation: tuple[float, ...] | None = None
    pixel_spacing: tuple[float, float] | None = None
    slice_thickness: float | None = None
    rescale: tuple[float, float] | None = None
    window: tuple[float, float] | None = None
    stack_id: str | None = None
    in_stack_position: int | None = None
    temporal_index: int | None = None


@dataclass(frozen=True)
class ImageAttributes:
    """What the index keeps per instance to decode, place and display its pixels.

    Shared by the parsed header (:class:`InstanceHeader`) and the stored row
    (:class:`~clinic_app.core.imaging.index.StoredInstance`), so both speak the same names.
    """

    sop_instance_uid: str
    sop_class_uid: str
    transfer_syntax: str
    instance_number: int | None
    acquisition_number: int | None
    image_type: str
    pixels: PixelLayout | None
    position: tuple[float, float, float] | None
    orientation: tuple[float, ...] | None
    pixel_spacing: tuple[float, float] | None  # (row spacing, column spacing) mm
    spacing_source: str  # PixelSpacing | ImagerPixelSpacing | UltrasoundRegion | ""
    slice_thickness: float | None
    spacing_between_slices: float | None
    gantry_tilt: float | None
    rescale_slope: float
    rescale_intercept: float
    rescale_type: str
    window_centers: tuple[float, ...]
    window_widths: tuple[float, ...]
    window_names: tuple[str, ...]
    voi_function: str
    presentation_lut_shape: str
    padding_value: int | None
    padding_limit: int | None
    frame_time_ms: float | None
    frame_geometry: tuple[FrameGeometry, ...] | None
    has_modality_lut: bool
    has_voi_lut: bool
    decodable: bool
    status: str
    warnings: tuple[str, ...]
    #: PatientOrientation (0020,0020): the patient directions of the rows (left → right)
    #: and columns (top → bottom), e.g. ("L", "F") for a PA chest shown as read; None when
    #: absent or not two human direction codes. Projection images have no other geometry.
    patient_orientation: tuple[str, str] | None = field(default=None, kw_only=True)
    #: Ultrasound regions with their own bounds and scale (ultrasound.py); () otherwise.
    us_regions: tuple[UltrasoundRegion, ...] = field(default=(), kw_only=True)

    @property
    def frames(self) -> int:
        return self.pixels.frames if self.pixels else 0


@dataclass(frozen=True)
class InstanceHeader(ImageAttributes):
    """A parsed, validated header: the image attributes plus patient, study and series."""

    study_uid: str
    series_uid: str
    patient: PatientInfo
    study_date: str | None
    study_time: str | None
    accession: str
    study_description: str
    modality: str
    series_description: str
    body_part: str
    series_number: int | None
    frame_of_reference_uid: str


def is_valid_uid(value: str) -> bool:
    """Digits and dots only, at most 64 characters (PS3.5 §9.1; leading zeros tolerated)."""
    return 0 < len(value) <= 64 and bool(_UID.match(value))


def dicom_date(text: str) -> str | None:
    """DICOM DA ``YYYYMMDD`` (or the legacy ``YYYY.MM.DD``) as ISO text, else None."""
    digits = text.strip().replace(".", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    try:
        import datetime as _dt

        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def dicom_time(text: str) -> str | None:
    """DICOM TM ``HHMMSS.FFFFFF`` (any prefix, or legacy ``HH:MM:SS``) as ``HH:MM:SS``."""
    t = text.strip().replace(":", "")
    main = t.split(".")[0]
    if not main.isdigit() or len(main) not in (2, 4, 6):
        return None
    hh, mm, ss = int(main[:2]), int(main[2:4] or 0), int(main[4:6] or 0)
    if hh > 23 or mm > 59 or ss > 60:
        return None
    return f"{hh:02d}:{mm:02d}:{min(ss, 59):02d}"


def sex_code(text: str) -> str:
    return _SEX.get(text.strip().upper(), "unknown")


def parse_header(data: bytes) -> InstanceHeader:
    """Parse and validate an instance; raises :class:`HeaderError` with the reason.

    Preamble-less files (no ``DICM`` at byte 128) are accepted only when they start with
    a plausible group 0002 or 0008 element and then parse and validate like any other.
    """
    has_marker = len(data) >= 132 and data[128:132] == b"DICM"
    if not has_marker and not _plausible_raw_dataset(data):
        if len(data) < 132:
            raise HeaderError("not a DICOM file (too short to hold a DICOM header)")
        raise HeaderError("not a DICOM file (no DICM marker and no recognisable DICOM header)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ds = dcmread(io.BytesIO(data), defer_size=header_damage.DEFERRED_BYTES,
                         force=not has_marker)
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # pydicom's own text may quote values: never shown
            raise HeaderError(translate("DicomImport", "not a readable DICOM file: {why}").format(
                why=header_damage.parse_failure(exc))) from None
        try:
            warns: list[str] = []
            refusal = header_damage.settle_damage(ds, _NOT_CONVERTED, warns)
            if refusal:
                raise HeaderError(refusal)
            return _build(ds, data, warns)
        except (HeaderError, *PASS_THROUGH):
            raise
        except BaseException as exc:
            raise HeaderError(translate("DicomImport", "damaged DICOM header: {why}").format(
                why=header_damage.parse_failure(exc))) from None


def _plausible_raw_dataset(data: bytes) -> bool:
    if len(data) < 8:
        return False
    group_le = struct.unpack_from("<H", data, 0)[0]
    group_be = struct.unpack_from(">H", data, 0)[0]
    return group_le in (0x0002, 0x0008) or group_be in (0x0002, 0x0008)


def _transfer_syntax(ds: Dataset) -> str:
    meta = getattr(ds, "file_meta", None)
    ts = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    if ts:
        return ts.strip("\x00 ")
    implicit, little = ds.original_encoding
    if implicit:
        return ImplicitVRLittleEndian
    return ExplicitVRLittleEndian if little else ExplicitVRBigEndian


def _build(ds: Dataset, data: bytes, warns: list[str]) -> InstanceHeader:
    meta = getattr(ds, "file_meta", None)
    sop_class = _text(ds, "SOPClassUID") or (
        str(meta.get("MediaStorageSOPClassUID", "")) if meta is not None else "")
    sop_uid = _text(ds, "SOPInstanceUID") or (
        str(meta.get("MediaStorageSOPInstanceUID", "")) if meta is not None else "")
    if sop_class.strip("\x00 ") == "1.2.840.10008.1.3.10":
        raise HeaderError("a DICOMDIR index, not an instance (import its folder or the DICOMDIR)")
    uids = {
        "SOPClassUID (0008,0016)": sop_class.strip("\x00 "),
        "SOPInstanceUID (0008,0018)": sop_uid.strip("\x00 "),
        "StudyInstanceUID (0020,000D)": _text(ds, "StudyInstanceUID"),
        "SeriesInstanceUID (0020,000E)": _text(ds, "SeriesInstanceUID"),
    }
    missing = [name for name, value in uids.items() if not value]
    if missing:
        raise HeaderError("missing required tag " + ", ".join(missing))
    for name, value in uids.items():
        if not is_valid_uid(value):
            raise HeaderError(f"{name.split(' ')[0]} is not a valid DICOM UID (only digits and "
                              "dots, at most 64 characters)")
    modality = _text(ds, "Modality")
    if not modality:
        raise HeaderError("missing required tag Modality (0008,0060)")
    ts = _transfer_syntax(ds)
    if not is_valid_uid(ts):
        raise HeaderError("the transfer syntax UID is not a valid UID")

    birth_raw = _text(ds, "PatientBirthDate")
    birth = dicom_date(birth_raw) if birth_raw else None
    if birth_raw and birth is None:
        warns.append("PatientBirthDate is not a valid date; stored as unknown")
    patient = PatientInfo(
        patient_id=_text(ds, "PatientID"),
        issuer=_text(ds, "IssuerOfPatientID"),
        name=_text(ds, "PatientName"),
        birth_date=birth,
        sex=sex_code(_text(ds, "PatientSex")),
    )
    pixels, decodable, status = _pixels(ds, data, ts, sop_class.strip("\x00 "))
    results_status = result_status(sop_class)  # SEG/SR/KO/PR: results, never an image stack
    if results_status is not None:
        decodable, status = False, results_status
    slope = _float(ds, "RescaleSlope", warns) if "RescaleSlope" in ds else 1.0
    intercept = _float(ds, "RescaleIntercept", warns) if "RescaleIntercept" in ds else 0.0
    rescale_type = _text(ds, "RescaleType")
    if modality.upper() == "RTDOSE" and "RescaleSlope" not in ds and "DoseGridScaling" in ds:
        # RT Dose stores integers; DoseGridScaling turns them into DoseUnits (PS3.3 C.8.8.3).
        slope = _float(ds, "DoseGridScaling", warns)
        units = _text(ds, "DoseUnits").upper()
        rescale_type = {"GY": "Gy", "RELATIVE": "relative dose"}.get(units, rescale_type)
    if slope is None or intercept is None or slope == 0:
        decodable, status = False, ("RescaleSlope/RescaleIntercept are empty, zero or not "
                                    "numbers; pixel values cannot be trusted")
        slope, intercept = 1.0, 0.0
    refusal = plausibility.rescale_refusal(slope, intercept,
                                           pixels.bits_stored if pixels else None)
    if refusal:
        decodable, status = False, refusal
        slope, intercept = 1.0, 0.0
    spacing, spacing_source = _pixel_spacing(ds, warns)
    if plausibility.spacing(spacing, spacing_source or "PixelSpacing", warns) is None:
        spacing, spacing_source = None, ""
    frames = pixels.frames if pixels else 0
    centers, widths = _floats_any(ds, "WindowCenter", warns), _floats_any(ds, "WindowWidth", warns)
    if len(centers) != len(widths):
        warns.append("WindowCenter and WindowWidth have different numbers of values; ignored")
        centers, widths = (), ()
    centers, widths = plausibility.windows(centers, widths, "WindowCenter/WindowWidth", warns)
    names = tuple(_strings(ds, "WindowCenterWidthExplanation"))
    position = plausibility.position(_point(ds, "ImagePositionPatient", warns),
                                     "ImagePositionPatient", warns)
    orientation = _orientation(ds.get("ImageOrientationPatient"), warns)
    frame_geometry = _plausible_frames(_frame_geometry(ds, frames, position, orientation, warns),
                                       pixels, warns)
    if frame_geometry is not None and decodable:
        refusal = next((plausibility.rescale_refusal(*f.rescale, pixels.bits_stored if pixels
                                                     else None)
                        for f in frame_geometry if f.rescale is not None
                        and plausibility.rescale_refusal(*f.rescale, None)), "")
        if refusal:
            decodable, status = False, f"per-frame {refusal}"
    patient_orientation = _patient_orientation(ds, warns)
    return InstanceHeader(
        sop_class_uid=sop_class.strip("\x00 "),
        sop_instance_uid=uids["SOPInstanceUID (0008,0018)"],
        study_uid=uids["StudyInstanceUID (0020,000D)"],
        series_uid=uids["SeriesInstanceUID (0020,000E)"],
        transfer_syntax=ts,
        patient=patient,
        study_date=dicom_date(_text(ds, "StudyDate")) if _text(ds, "StudyDate") else None,
        study_time=dicom_time(_text(ds, "StudyTime")) if _text(ds, "StudyTime") else None,
        accession=_text(ds, "AccessionNumber"),
        study_description=_text(ds, "StudyDescription"),
        modality=modality.upper(),
        series_description=_text(ds, "SeriesDescription"),
        body_part=_text(ds, "BodyPartExamined"),
        series_number=_int(ds, "SeriesNumber", warns),
        frame_of_reference_uid=_text(ds, "FrameOfReferenceUID"),
        instance_number=_int(ds, "InstanceNumber", warns),
        acquisition_number=_int(ds, "AcquisitionNumber", warns),
        image_type="\\".join(_strings(ds, "ImageType")),
        pixels=pixels,
        position=position,
        orientation=orientation,
        pixel_spacing=spacing,
        spacing_source=spacing_source,
        slice_thickness=plausibility.thickness(_float(ds, "SliceThickness", warns),
                                               "SliceThickness", warns),
        spacing_between_slices=plausibility.thickness(
            _float(ds, "SpacingBetweenSlices", warns), "SpacingBetweenSlices", warns),
        gantry_tilt=_float(ds, "GantryDetectorTilt", warns),
        rescale_slope=slope,
        rescale_intercept=intercept,
        rescale_type=rescale_type,
        window_centers=centers,
        window_widths=widths,
        window_names=names,
        voi_function=(_text(ds, "VOILUTFunction") or "LINEAR").upper(),
        presentation_lut_shape=_text(ds, "PresentationLUTShape").upper(),
        padding_value=_int(ds, "PixelPaddingValue", warns),
        padding_limit=_int(ds, "PixelPaddingRangeLimit", warns),
        frame_time_ms=_float(ds, "FrameTime", warns),
        frame_geometry=frame_geometry,
        has_modality_lut="ModalityLUTSequence" in ds,
        has_voi_lut="VOILUTSequence" in ds,
        decodable=decodable,
        status=status,
        warnings=tuple(warns),
        patient_orientation=patient_orientation,
        us_regions=ultrasound.parse_regions(ds, warns),
    )


# -- pixel data ----------------------------------------------------------------------------
def is_image_class(sop_class: str) -> bool:
    """Whether instances of this SOP class always carry pixel data (an "… Image Storage")."""
    uid = UID(sop_class)
    return "Image Storage" in uid.name and "Presentation State" not in uid.name


#: The status of an instance stored without pixel data (reports, SR, RT plans …).
NO_PIXELS = "no pixel data (not an image)"


def _pixels(ds: Dataset, data: bytes, ts: str,
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


# -- geometry ------------------------------------------------------------------------------
def _pixel_spacing(ds: Dataset, warns: list[str]) -> tuple[tuple[float, float] | None, str]:
    for keyword in ("PixelSpacing", "ImagerPixelSpacing", "ImagePlanePixelSpacing",
                    "NominalScannedPixelSpacing"):
        if keyword in ds:
            vec = _vector(ds, keyword, 2, warns)
            if vec is not None and vec[0] > 0 and vec[1] > 0:
                return (vec[0], vec[1]), keyword
            warns.append(f"{keyword} is not two positive numbers; ignored")
    if "SequenceOfUltrasoundRegions" in ds:
        whole = ultrasound.whole_image_spacing(ultrasound.parse_regions(ds, []), warns)
        if whole is not None:
            return whole, "UltrasoundRegion"
    sequences = ds.get("SharedFunctionalGroupsSequence")
    if sequences:
        measures = sequences[0].get("PixelMeasuresSequence")
        if measures:
            vec = _vector(measures[0], "PixelSpacing", 2, warns)
            if vec is not None and vec[0] > 0 and vec[1] > 0:
                return (vec[0], vec[1]), "PixelSpacing"
    return None, ""


_DIRECTIONS = frozenset("APRLHF")
_OPPOSITES = ({"A", "P"}, {"R", "L"}, {"H", "F"})


def _patient_orientation(ds: Dataset, warns: list[str]) -> tuple[str, str] | None:
    """PatientOrientation as (row direction, column direction), or None.

    Each value is one to three letters of A/P/R/L/H/F (PS3.3 C.7.6.1.1.1), e.g. "L\\F",
    "A\\FR". Anything else (quadruped codes, a letter and its opposite, one value) is a
    warning and treated as absent: wrong letters on a radiograph are worse than none.
    """
    if "PatientOrientation" not in ds:
        return None
    values = _strings(ds, "PatientOrientation")
    if not values or values == [""]:
        return None
    codes = [v.strip().upper() for v in values]
    ok = len(codes) == 2 and all(
        0 < len(c) <= 3 and set(c) <= _DIRECTIONS and len(set(c)) == len(c)
        and not any(pair <= set(c) for pair in _OPPOSITES) for c in codes)
    # Rows and columns are perpendicular: their main directions lie on different axes.
    ok = ok and not any({codes[0][0], codes[1][0]} <= pair for pair in _OPPOSITES)
    if not ok:
        warns.append("PatientOrientation is not two patient direction codes (A/P/R/L/H/F); "
                      "ignored, no orientation letters are shown")
        return None
    return codes[0], codes[1]


def _orientation(elem: Any, warns: list[str]) -> tuple[float, ...] | None:
    if elem is None:
        return None
    value = elem.value if hasattr(elem, "value") else elem
    try:
        vec = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        warns.append("ImageOrientationPatient is not numeric; ignored")
        return None
    if len(vec) != 6 or not all(math.isfinite(v) for v in vec):
        warns.append("ImageOrientationPatient does not hold six numbers; ignored")
        return None
    r, c = vec[:3], vec[3:]
    nr, nc = math.sqrt(sum(x * x for x in r)), math.sqrt(sum(x * x for x in c))
    dot = sum(a * b for a, b in zip(r, c, strict=True))
    if abs(nr - 1) > 0.01 or abs(nc - 1) > 0.01 or abs(dot) > 0.01:
        warns.append("ImageOrientationPatient is not two orthogonal unit vectors; ignored")
        return None
    return vec


def _frame_geometry(ds: Dataset, frames: int, position: tuple[float, float, float] | None,
                    orientation: tuple[float, ...] | None,
                    warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    per = ds.get("PerFrameFunctionalGroupsSequence")
    if per is not None:
        return _functional_groups(ds, per, frames, warns)
    offsets = ds.get("GridFrameOffsetVector")
    if offsets is not None and frames > 1 and position is not None and orientation is not None:
        values = [float(offsets)] if isinstance(offsets, (int, float, str)) else [
            float(v) for v in offsets]
        if len(values) != frames:
            warns.append("GridFrameOffsetVector does not list one offset per frame; ignored")
            return None
        n = _cross(orientation[:3], orientation[3:])
        base = sum(p * q for p, q in zip(position, n, strict=True))
        # PS3.3 C.8.8.3.2: relative offsets when the first is 0, else absolute along n.
        rel = [v if values[0] == 0 else v - base for v in values]
        return tuple(FrameGeometry(position=(position[0] + r * n[0], position[1] + r * n[1],
                                             position[2] + r * n[2]),
                                   orientation=orientation) for r in rel)
    return None


def _functional_groups(ds: Dataset, per: Any, frames: int,
                       warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    shared_seq = ds.get("SharedFunctionalGroupsSequence")
    shared = shared_seq[0] if shared_seq else None
    if len(per) != frames:
        warns.append(f"PerFrameFunctionalGroupsSequence has {len(per)} items for {frames} "
                     "frames; per-frame geometry ignored")
        return None

    def first(item: Dataset, name: str) -> Dataset | None:
        for src in (item, shared):
            if src is not None and name in src and src[name].value:
                return src[name].value[0]
        return None

    out: list[FrameGeometry] = []
    for item in per:
        pos_item = first(item, "PlanePositionSequence")
        ori_item = first(item, "PlaneOrientationSequence")
        meas = first(item, "PixelMeasuresSequence")
        trans = first(item, "PixelValueTransformationSequence")
        voi = first(item, "FrameVOILUTSequence")
        content = first(item, "FrameContentSequence")
        spacing = _vector(meas, "PixelSpacing", 2, warns) if meas is not None else None
        rescale = None
        if trans is not None and "RescaleSlope" in trans:
            s, i = _float(trans, "RescaleSlope", warns), _float(trans, "RescaleIntercept", warns)
            if s is not None and s != 0:
                rescale = (s, i or 0.0)
        window = None
        if voi is not None:
            wc, ww = _floats_any(voi, "WindowCenter", warns), _floats_any(voi, "WindowWidth", warns)
            if wc and ww:
                window = (wc[0], ww[0])
        out.append(FrameGeometry(
            position=_point(pos_item, "ImagePositionPatient", warns) if pos_item else None,
            orientation=_orientation(ori_item.get("ImageOrientationPatient"), warns)
            if ori_item is not None else None,
            pixel_spacing=(spacing[0], spacing[1]) if spacing else None,
            slice_thickness=_float(meas, "SliceThickness", warns) if meas is not None else None,
            rescale=rescale,
            window=window,
            stack_id=(_text(content, "StackID") or None) if content is not None else None,
            in_stack_position=_int(content, "InStackPositionNumber", warns),
            temporal_index=_int(content, "TemporalPositionIndex", warns),
        ))
    return tuple(out)


def _plausible_frames(frames: tuple[FrameGeometry, ...] | None, pixels: PixelLayout | None,
                      warns: list[str]) -> tuple[FrameGeometry, ...] | None:
    """Per-frame geometry with implausible spacing/positions/windows dropped (one warning each)."""
    if frames is None:
        return None
    out = []
    seen: set[str] = set()
    for f in frames:
        local: list[str] = []
        sp = plausibility.spacing(f.pixel_spacing, "per-frame PixelSpacing", local)
        pos = plausibility.position(f.position, "per-frame ImagePositionPatient", local)
        thick = plausibility.thickness(f.slice_thickness, "per-frame SliceThickness", local)
        window = f.window
        if window is not None:
            c, w = plausibility.windows((window[0],), (window[1],), "per-frame window", local)
            window = (c[0], w[0]) if c else None
        for w_ in local:
            key = w_.split(" ")[0] + w_.split(" ")[1]
            if key not in seen:
                seen.add(key)
                warns.append(w_)
        out.append(replace(f, pixel_spacing=sp, position=pos, slice_thickness=thick,
                           window=window))
    return tuple(out)


def _cross(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float]:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


# -- tolerant value readers: a damaged optional value becomes a warning, never a guess -----
def _text(ds: Dataset | None, keyword: str) -> str:
    if ds is None:
        return ""
    try:
        value = ds.get(keyword)
    except Exception:  # a damaged value reads as absent
        return ""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "\\".join(str(v) for v in value)
    return str(value).strip("\x00 ").strip()


def _strings(ds: Dataset, keyword: str) -> list[str]:
    try:
        value = ds.get(keyword)
    except Exception:  # a damaged optional value reads as absent
        return []
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    return [str(v).strip() for v in value]


def _float(ds: Dataset | None, keyword: str, warns: list[str]) -> float | None:
    if ds is None or keyword not in ds:
        return None
    try:
        value = ds[keyword].value
        if value in (None, ""):
            return None
        if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
            value = value[0]
        result = float(value)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        # pydicom converts IS/DS on access: "1e400" in an IS raises OverflowError there
        warns.append(f"{keyword} is not a usable number; ignored")
        return None
    if not math.isfinite(result):
        warns.append(f"{keyword} is not a finite number; ignored")
        return None
    return result


def _int(ds: Dataset | None, keyword: str, warns: list[str]) -> int | None:
    value = _float(ds, keyword, warns)
    if value is None:
        return None
    if abs(value) >= 2**31:  # IS is a 32-bit integer (PS3.5 6.2); SQLite stores 64 bits
        warns.append(f"{keyword} {value:.6g} is not a valid integer; ignored")
        return None
    return int(value)


def _floats_any(ds: Dataset, keyword: str, warns: list[str]) -> tuple[float, ...]:
    if keyword not in ds:
        return ()
    try:
        value = ds[keyword].value
        if value in (None, ""):
            return ()
        values = list(value) if isinstance(value, (list, tuple)) or type(
            value).__name__ == "MultiValue" else [value]
        out = tuple(float(v) for v in values)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        warns.append(f"{keyword} is not numeric; ignored")
        return ()
    if not all(math.isfinite(v) for v in out):
        warns.append(f"{keyword} is not finite; ignored")
        return ()
    return out


def _point(ds: Dataset | None, keyword: str, warns: list[str]) -> tuple[float, float, float] | None:
    """A 3-vector value (a position), or None (absent, or warned about and ignored)."""
    vec = _vector(ds, keyword, 3, warns)
    return None if vec is None else (vec[0], vec[1], vec[2])


def _vector(ds: Dataset | None, keyword: str, n: int,
            warns: list[str]) -> tuple[float, ...] | None:
    if ds is None or keyword not in ds:
        return None
    try:
        value = ds[keyword].value
        vec = tuple(float(v) for v in value)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        warns.append(f"{keyword} is not numeric; ignored")
        return None
    if len(vec) != n or not all(math.isfinite(v) for v in vec):
        warns.append(f"{keyword} does not hold {n} numbers; ignored")
        return None
    return vec
