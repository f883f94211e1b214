"""The parsed header's records: patient, pixel layout, per-frame geometry, image attributes.

Kept apart from the parser so the index, the decoder and the volume code can share the
types without importing pydicom's reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clinic_app.core.imaging.ultrasound import UltrasoundRegion


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
