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
import struct
import warnings

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.tag import Tag
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from clinic_app.core.imaging import header_damage, plausibility, ultrasound
from clinic_app.core.imaging.boundary import PASS_THROUGH
from clinic_app.core.imaging.dicom_values import (
    dicom_date,
    dicom_time,
    is_valid_uid,
    read_float,
    read_floats,
    read_int,
    read_point,
    read_strings,
    read_text,
    sex_code,
)
from clinic_app.core.imaging.header_geometry import (
    plausible_frames,
    read_frame_geometry,
    read_orientation,
    read_patient_orientation,
    read_pixel_spacing,
)
from clinic_app.core.imaging.header_types import InstanceHeader, PatientInfo
from clinic_app.core.imaging.pixel_data import FLOAT_PIXEL_DATA, PIXEL_DATA, read_pixel_layout
from clinic_app.core.imaging.result_objects import result_status
from clinic_app.errors import HeaderError

#: Left to the pixel-data code (read lazily, by offset), not converted ahead.
_NOT_CONVERTED = frozenset(Tag(t) for t in (PIXEL_DATA, *FLOAT_PIXEL_DATA))


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
            raise HeaderError(f"not a readable DICOM file: {header_damage.parse_failure(exc)}") from None
        try:
            warns: list[str] = []
            refusal = header_damage.settle_damage(ds, _NOT_CONVERTED, warns)
            if refusal:
                raise HeaderError(refusal)
            return _build(ds, data, warns)
        except (HeaderError, *PASS_THROUGH):
            raise
        except BaseException as exc:
            raise HeaderError(f"damaged DICOM header: {header_damage.parse_failure(exc)}") from None


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
    sop_class = read_text(ds, "SOPClassUID") or (
        str(meta.get("MediaStorageSOPClassUID", "")) if meta is not None else "")
    sop_uid = read_text(ds, "SOPInstanceUID") or (
        str(meta.get("MediaStorageSOPInstanceUID", "")) if meta is not None else "")
    if sop_class.strip("\x00 ") == "1.2.840.10008.1.3.10":
        raise HeaderError("a DICOMDIR index, not an instance (import its folder or the DICOMDIR)")
    uids = {
        "SOPClassUID (0008,0016)": sop_class.strip("\x00 "),
        "SOPInstanceUID (0008,0018)": sop_uid.strip("\x00 "),
        "StudyInstanceUID (0020,000D)": read_text(ds, "StudyInstanceUID"),
        "SeriesInstanceUID (0020,000E)": read_text(ds, "SeriesInstanceUID"),
    }
    missing = [name for name, value in uids.items() if not value]
    if missing:
        raise HeaderError("missing required tag " + ", ".join(missing))
    for name, value in uids.items():
        if not is_valid_uid(value):
            raise HeaderError(f"{name.split(' ')[0]} is not a valid DICOM UID (only digits and "
                              "dots, at most 64 characters)")
    modality = read_text(ds, "Modality")
    if not modality:
        raise HeaderError("missing required tag Modality (0008,0060)")
    ts = _transfer_syntax(ds)
    if not is_valid_uid(ts):
        raise HeaderError("the transfer syntax UID is not a valid UID")

    birth_raw = read_text(ds, "PatientBirthDate")
    birth = dicom_date(birth_raw) if birth_raw else None
    if birth_raw and birth is None:
        warns.append("PatientBirthDate is not a valid date; stored as unknown")
    patient = PatientInfo(
        patient_id=read_text(ds, "PatientID"),
        issuer=read_text(ds, "IssuerOfPatientID"),
        name=read_text(ds, "PatientName"),
        birth_date=birth,
        sex=sex_code(read_text(ds, "PatientSex")),
    )
    pixels, decodable, status = read_pixel_layout(ds, data, ts, sop_class.strip("\x00 "))
    results_status = result_status(sop_class)  # SEG/SR/KO/PR: results, never an image stack
    if results_status is not None:
        decodable, status = False, results_status
    slope = read_float(ds, "RescaleSlope", warns) if "RescaleSlope" in ds else 1.0
    intercept = read_float(ds, "RescaleIntercept", warns) if "RescaleIntercept" in ds else 0.0
    rescale_type = read_text(ds, "RescaleType")
    if modality.upper() == "RTDOSE" and "RescaleSlope" not in ds and "DoseGridScaling" in ds:
        # RT Dose stores integers; DoseGridScaling turns them into DoseUnits (PS3.3 C.8.8.3).
        slope = read_float(ds, "DoseGridScaling", warns)
        units = read_text(ds, "DoseUnits").upper()
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
    spacing, spacing_source = read_pixel_spacing(ds, warns)
    if plausibility.spacing(spacing, spacing_source or "PixelSpacing", warns) is None:
        spacing, spacing_source = None, ""
    frames = pixels.frames if pixels else 0
    centers, widths = read_floats(ds, "WindowCenter", warns), read_floats(ds, "WindowWidth", warns)
    if len(centers) != len(widths):
        warns.append("WindowCenter and WindowWidth have different numbers of values; ignored")
        centers, widths = (), ()
    centers, widths = plausibility.windows(centers, widths, "WindowCenter/WindowWidth", warns)
    names = tuple(read_strings(ds, "WindowCenterWidthExplanation"))
    position = plausibility.position(read_point(ds, "ImagePositionPatient", warns),
                                     "ImagePositionPatient", warns)
    orientation = read_orientation(ds.get("ImageOrientationPatient"), warns)
    frame_geometry = plausible_frames(read_frame_geometry(ds, frames, position, orientation, warns),
                                       pixels, warns)
    if frame_geometry is not None and decodable:
        refusal = next((plausibility.rescale_refusal(*f.rescale, pixels.bits_stored if pixels
                                                     else None)
                        for f in frame_geometry if f.rescale is not None
                        and plausibility.rescale_refusal(*f.rescale, None)), "")
        if refusal:
            decodable, status = False, f"per-frame {refusal}"
    patient_orientation = read_patient_orientation(ds, warns)
    return InstanceHeader(
        sop_class_uid=sop_class.strip("\x00 "),
        sop_instance_uid=uids["SOPInstanceUID (0008,0018)"],
        study_uid=uids["StudyInstanceUID (0020,000D)"],
        series_uid=uids["SeriesInstanceUID (0020,000E)"],
        transfer_syntax=ts,
        patient=patient,
        study_date=dicom_date(read_text(ds, "StudyDate")) if read_text(ds, "StudyDate") else None,
        study_time=dicom_time(read_text(ds, "StudyTime")) if read_text(ds, "StudyTime") else None,
        accession=read_text(ds, "AccessionNumber"),
        study_description=read_text(ds, "StudyDescription"),
        modality=modality.upper(),
        series_description=read_text(ds, "SeriesDescription"),
        body_part=read_text(ds, "BodyPartExamined"),
        series_number=read_int(ds, "SeriesNumber", warns),
        frame_of_reference_uid=read_text(ds, "FrameOfReferenceUID"),
        instance_number=read_int(ds, "InstanceNumber", warns),
        acquisition_number=read_int(ds, "AcquisitionNumber", warns),
        image_type="\\".join(read_strings(ds, "ImageType")),
        pixels=pixels,
        position=position,
        orientation=orientation,
        pixel_spacing=spacing,
        spacing_source=spacing_source,
        slice_thickness=plausibility.thickness(read_float(ds, "SliceThickness", warns),
                                               "SliceThickness", warns),
        spacing_between_slices=plausibility.thickness(
            read_float(ds, "SpacingBetweenSlices", warns), "SpacingBetweenSlices", warns),
        gantry_tilt=read_float(ds, "GantryDetectorTilt", warns),
        rescale_slope=slope,
        rescale_intercept=intercept,
        rescale_type=rescale_type,
        window_centers=centers,
        window_widths=widths,
        window_names=names,
        voi_function=(read_text(ds, "VOILUTFunction") or "LINEAR").upper(),
        presentation_lut_shape=read_text(ds, "PresentationLUTShape").upper(),
        padding_value=read_int(ds, "PixelPaddingValue", warns),
        padding_limit=read_int(ds, "PixelPaddingRangeLimit", warns),
        frame_time_ms=read_float(ds, "FrameTime", warns),
        frame_geometry=frame_geometry,
        has_modality_lut="ModalityLUTSequence" in ds,
        has_voi_lut="VOILUTSequence" in ds,
        decodable=decodable,
        status=status,
        warnings=tuple(warns),
        patient_orientation=patient_orientation,
        us_regions=ultrasound.parse_regions(ds, warns),
    )
