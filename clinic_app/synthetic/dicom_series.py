"""Write realistic synthetic DICOM with pydicom: CT series, enhanced multi-frame, CR, US cine.

Used by tests, the benchmark and demo data. Every writer takes the patient's
demographics as arguments, so a demo cohort's MRNs can be used and linked to records.
With a ``seed``, UIDs are derived from it (2.25 UIDs from a name-based UUID), so the same
call writes the same UIDs, run after run, and re-imports are true duplicates. Without one,
each call writes fresh random UIDs (and the writer's default pixel content), so two
calls never collide in one store.

The CT writer lays out geometry the way scanners do, and deliberately the way that
catches naive loaders: InstanceNumber runs head to feet while positions run feet to
head, files are named in a shuffled order, and SliceThickness differs from the real
spacing between slice positions.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLSLossless,
    RLELossless,
    generate_uid,
)

from clinic_app.core.imaging.phantoms import chest_radiograph, ct_body_slice

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1"
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"

COMPRESSIONS: dict[str, UID] = {
    "jpegls": JPEGLSLossless,
    "j2k": JPEG2000Lossless,
    "rle": RLELossless,
}


@dataclass(frozen=True)
class Demographics:
    patient_id: str = "SYN0001"
    name: str = "SYNTHETIC^PATIENT"
    birth_date: str = "1960-01-01"  # ISO
    sex: str = "F"  # DICOM code: F, M, O
    issuer: str = ""


#: Namespace of the seeded UIDs (a fixed random UUID, so they collide with no one else's).
_UID_NAMESPACE = uuid.UUID("5d0c1f9e-7a52-4c31-9d0e-2f6b8a4e1c73")


@dataclass(frozen=True)
class WrittenSeries:
    paths: tuple[Path, ...]
    study_uid: str
    series_uid: str
    sop_uids: tuple[str, ...]
    extra: dict[str, object] = field(default_factory=dict)


def uid(seed: object, *parts: object) -> str:
    """The UID for this seed and purpose: the same arguments give the same UID (PS3.5 B.2).

    ``seed`` None gives a fresh random UID. pydicom's ``generate_uid`` cannot do the
    seeded case: with no prefix it ignores its entropy sources and returns a random UUID.
    """
    if seed is None:
        return str(generate_uid(prefix=None))
    name = "\x1f".join(map(str, (seed, *parts)))
    return f"2.25.{uuid.uuid5(_UID_NAMESPACE, name).int}"


def _da(iso: str) -> str:
    return iso.replace("-", "")


def _base(demo: Demographics, study_uid: str, series_uid: str, sop_class: str, sop_uid: str,
          modality: str, *, study_date: str, description: str, series_number: int) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = UID(sop_class)
    ds.file_meta.MediaStorageSOPInstanceUID = UID(sop_uid)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.ImplementationClassUID = UID("1.2.826.0.1.3680043.10.1541.1")
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.PatientID = demo.patient_id
    if demo.issuer:
        ds.IssuerOfPatientID = demo.issuer
    ds.PatientName = demo.name
    ds.PatientBirthDate = _da(demo.birth_date)
    ds.PatientSex = demo.sex
    ds.StudyDate = _da(study_date)
    ds.StudyTime = "101500"
    ds.AccessionNumber = "A" + study_uid.replace(".", "")[-10:]
    ds.StudyDescription = description
    ds.StudyID = "1"
    ds.Modality = modality
    ds.SeriesNumber = series_number
    ds.Manufacturer = "clinic-app synthetic"
    return ds


def _pixels(ds: Dataset, arr: np.ndarray, compression: str | None) -> None:
    ds.PixelData = arr.tobytes()
    if compression:
        ds.compress(COMPRESSIONS[compression], arr, generate_instance_uid=False)


def _save(ds: Dataset, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def write_ct_series(out_dir: Path, *, demographics: Demographics = Demographics(),
                    slices: int = 300, rows: int = 512, cols: int = 512,
                    pixel_mm: float = 0.7, spacing_mm: float = 1.25,
                    slice_thickness_mm: float | None = 1.5,
                    origin: Sequence[float] = (-179.0, -179.0, -400.0),
                    tilt_deg: float = 0.0, missing: Sequence[int] = (),
                    compression: str | None = None, padding: bool = False,
                    study_uid: str | None = None, series_uid: str | None = None,
                    acquisition: int = 1, series_number: int = 2,
                    study_date: str = "2025-11-03", seed: int | None = None,
                    description: str = "CT CHEST ABDOMEN") -> WrittenSeries:
    """An axial CT series of ``slices`` slices (minus ``missing`` indices) in HU.

    Stored values are signed 16-bit with RescaleIntercept -1024 (HU = stored - 1024).
    With ``tilt_deg`` the gantry is tilted about the x axis: slice k sits at
    ``origin + k·spacing·(0, tan(tilt), 1)`` with unchanged orientation, the way tilted
    acquisitions are stored. With ``padding``, pixels outside the circular field of view
    hold PixelPaddingValue -2000.
    """
    study_uid = study_uid or uid(seed, "study")
    series_uid = series_uid or uid(seed, "series", series_number, acquisition)
    paths: list[Path] = []
    sops: list[str] = []
    present = [k for k in range(slices) if k not in set(missing)]
    pixel_seed = 0 if seed is None else seed
    rng = np.random.default_rng(pixel_seed)
    names = rng.permutation(len(present))
    shear = math.tan(math.radians(tilt_deg))
    yy, xx = np.mgrid[0:rows, 0:cols]
    fov = np.hypot(yy - (rows - 1) / 2, xx - (cols - 1) / 2) > min(rows, cols) / 2
    # One frame of reference for the whole series, made once: without a seed, each uid()
    # call is a new random UID.
    frame_of_reference = uid(seed, "for", study_uid)
    for n, k in enumerate(present):
        sop = uid(seed, "ct", series_uid, k)
        ds = _base(demographics, study_uid, series_uid, CT_IMAGE, sop, "CT",
                   study_date=study_date, description=description, series_number=series_number)
        ds.SeriesDescription = f"Axial {spacing_mm:g}mm"
        ds.BodyPartExamined = "CHEST"
        ds.FrameOfReferenceUID = frame_of_reference
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.AcquisitionNumber = acquisition
        ds.InstanceNumber = slices - k  # head first: numbers run against the positions
        z = k * spacing_mm
        ds.ImagePositionPatient = [f"{origin[0]:.4f}", f"{origin[1] + z * shear:.4f}",
                                   f"{origin[2] + z:.4f}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.PixelSpacing = [f"{pixel_mm:g}", f"{pixel_mm:g}"]
        if slice_thickness_mm is not None:
            ds.SliceThickness = f"{slice_thickness_mm:g}"
        if tilt_deg:
            ds.GantryDetectorTilt = f"{tilt_deg:g}"
        ds.KVP = "120"
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows, ds.Columns = rows, cols
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
        ds.PixelRepresentation = 1
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        ds.RescaleType = "HU"
        ds.WindowCenter = ["40", "-600"]
        ds.WindowWidth = ["400", "1500"]
        ds.WindowCenterWidthExplanation = ["SOFT TISSUE", "LUNG"]
        hu = ct_body_slice(z, rows, cols, pixel_mm, z_extent_mm=max(slices * spacing_mm, 1),
                           seed=pixel_seed)
        stored = (hu.astype(np.int32) + 1024).astype(np.int16)
        if padding:
            ds.PixelPaddingValue = -2000
            stored[fov] = -2000
        _pixels(ds, stored, compression)
        paths.append(_save(ds, out_dir / f"IM{names[n]:05d}.dcm"))
        sops.append(sop)
    return WrittenSeries(tuple(paths), study_uid, series_uid, tuple(sops),
                         {"present": tuple(present)})


def write_enhanced(out_path: Path, *, modality: str = "CT",
                   demographics: Demographics = Demographics(), frames: int = 12,
                   rows: int = 64, cols: int = 64, pixel_mm: float = 6.0,
                   spacing_mm: float = 3.0, stacks: int = 1, study_uid: str | None = None,
                   seed: int | None = None, study_date: str = "2025-11-04") -> WrittenSeries:
    """One enhanced multi-frame CT or MR instance with per-frame functional groups.

    Frames are stored in *reverse* position order. With ``stacks=2`` the second stack is
    sagittal (StackID "2"), so the series must be split by orientation.
    """
    sop_class = ENHANCED_CT if modality == "CT" else ENHANCED_MR
    study_uid = study_uid or uid(seed, "study")
    series_uid = uid(seed, "enhanced-series", modality)
    sop = uid(seed, "enhanced", modality)
    ds = _base(demographics, study_uid, series_uid, sop_class, sop, modality,
               study_date=study_date, description=f"Enhanced {modality}", series_number=5)
    ds.SeriesDescription = f"Enhanced {modality} multi-frame"
    ds.FrameOfReferenceUID = uid(seed, "for", study_uid)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"]
    ds.InstanceNumber = 1
    ds.ContentDate, ds.ContentTime = _da(study_date), "101600"
    ds.AcquisitionDateTime = _da(study_date) + "101600"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = 1
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = [f"{pixel_mm:g}", f"{pixel_mm:g}"]
    measures.SliceThickness = f"{spacing_mm:g}"
    shared.PixelMeasuresSequence = DicomSequence([measures])
    if modality == "CT":
        trans = Dataset()
        trans.RescaleIntercept, trans.RescaleSlope, trans.RescaleType = "-1024", "1", "HU"
        shared.PixelValueTransformationSequence = DicomSequence([trans])
    voi = Dataset()
    voi.WindowCenter, voi.WindowWidth = ("40", "400") if modality == "CT" else ("600", "1200")
    shared.FrameVOILUTSequence = DicomSequence([voi])
    ds.SharedFunctionalGroupsSequence = DicomSequence([shared])
    per: list[Dataset] = []
    arrays: list[np.ndarray] = []
    axial = ["1", "0", "0", "0", "1", "0"]
    sagittal = ["0", "1", "0", "0", "0", "-1"]
    per_stack = frames // stacks
    for s in range(stacks):
        for k in reversed(range(per_stack)):
            item = Dataset()
            pos, ori = Dataset(), Dataset()
            if s == 0:
                pos.ImagePositionPatient = ["-64", "-64", f"{k * spacing_mm:g}"]
                ori.ImageOrientationPatient = axial
            else:
                pos.ImagePositionPatient = [f"{k * spacing_mm - 20:g}", "-64", "64"]
                ori.ImageOrientationPatient = sagittal
            item.PlanePositionSequence = DicomSequence([pos])
            item.PlaneOrientationSequence = DicomSequence([ori])
            content = Dataset()
            content.StackID = str(s + 1)
            content.InStackPositionNumber = k + 1
            content.DimensionIndexValues = [s + 1, k + 1]
            item.FrameContentSequence = DicomSequence([content])
            per.append(item)
            hu = ct_body_slice(100 + k * spacing_mm * 8, rows, cols, pixel_mm,
                               seed=1 if seed is None else seed)
            stored = (hu.astype(np.int32) + 1024) if modality == "CT" else (
                np.clip(hu.astype(np.int32) + 1000, 0, 4000))
            arrays.append(stored.astype(np.int16))
    ds.PerFrameFunctionalGroupsSequence = DicomSequence(per)
    ds.NumberOfFrames = len(per)
    ds.PixelData = np.stack(arrays).tobytes()
    path = _save(ds, out_path)
    return WrittenSeries((path,), study_uid, series_uid, (sop,), {"frames": len(per)})


def write_cr(out_path: Path, *, demographics: Demographics = Demographics(),
             rows: int = 256, cols: int = 256, photometric: str = "MONOCHROME1",
             presentation_lut_shape: str | None = None, study_uid: str | None = None,
             seed: int | None = None, study_date: str = "2025-11-05") -> WrittenSeries:
    """A chest CR stored as MONOCHROME1 (or 2): stored = 4095·(1 - a) for MONOCHROME1.

    Rendered correctly, both photometrics give the same picture (bright bones); tests
    compare them pixel for pixel.
    """
    study_uid = study_uid or uid(seed, "study")
    series_uid = uid(seed, "cr-series", photometric)
    sop = uid(seed, "cr", photometric)
    ds = _base(demographics, study_uid, series_uid, CR_IMAGE, sop, "CR",
               study_date=study_date, description="CHEST PA", series_number=1)
    ds.SeriesDescription = "Chest PA"
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = "PA"
    ds.InstanceNumber = 1
    ds.ImagerPixelSpacing = ["0.139", "0.139"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.WindowCenter, ds.WindowWidth = "2048", "4096"
    if presentation_lut_shape:
        ds.PresentationLUTShape = presentation_lut_shape
    a = chest_radiograph(rows, cols, 2 if seed is None else seed)
    stored = np.rint((1 - a if photometric == "MONOCHROME1" else a) * 4095).astype(np.uint16)
    ds.PixelData = stored.tobytes()
    path = _save(ds, out_path)
    return WrittenSeries((path,), study_uid, series_uid, (sop,), {"attenuation": a})


def write_us_cine(out_path: Path, *, demographics: Demographics = Demographics(),
                  frames: int = 10, rows: int = 120, cols: int = 160, color: bool = True,
                  study_uid: str | None = None, seed: int | None = None,
                  study_date: str = "2025-11-06") -> WrittenSeries:
    """An ultrasound multi-frame cine loop (RGB or grey) with no patient positions."""
    study_uid = study_uid or uid(seed, "study")
    series_uid = uid(seed, "us-series")
    sop = uid(seed, "us")
    ds = _base(demographics, study_uid, series_uid, US_MULTIFRAME, sop, "US",
               study_date=study_date, description="US ABDOMEN", series_number=1)
    ds.SeriesDescription = "Cine"
    ds.InstanceNumber = 1
    ds.NumberOfFrames = frames
    ds.FrameTime = "33.3"
    ds.FrameIncrementPointer = 0x00181063
    ds.SamplesPerPixel = 3 if color else 1
    ds.PhotometricInterpretation = "RGB" if color else "MONOCHROME2"
    if color:
        ds.PlanarConfiguration = 0
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    ds.PixelRepresentation = 0
    region = Dataset()
    region.RegionSpatialFormat = 1
    region.RegionDataType = 1
    region.PhysicalUnitsXDirection = 3
    region.PhysicalUnitsYDirection = 3
    region.PhysicalDeltaX = 0.02
    region.PhysicalDeltaY = 0.02
    ds.SequenceOfUltrasoundRegions = DicomSequence([region])
    yy, xx = np.mgrid[0:rows, 0:cols]
    out = []
    for f in range(frames):
        grey = (((xx + 3 * f) % 40) * 4 + yy // 2).clip(0, 255).astype(np.uint8)
        out.append(np.stack([grey, grey // 2, 255 - grey], axis=-1) if color else grey)
    ds.PixelData = np.stack(out).tobytes()
    path = _save(ds, out_path)
    return WrittenSeries((path,), study_uid, series_uid, (sop,), {"frames": np.stack(out)})

