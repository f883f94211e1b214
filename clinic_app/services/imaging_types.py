"""What the imaging service publishes: import reports, study listings and study details.

Plain frozen values built from the index rows by :mod:`clinic_app.services.imaging`, so the
CLI and the UI read studies without importing the service's store access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinic_app.core.imaging.sources import Skipped
from clinic_app.core.imaging.stack_kind import StackKind


@dataclass(frozen=True)
class ImportedStudy:
    study_uid: str
    patient_id: str
    modalities: tuple[str, ...]
    series: int  # series of this study now in the store
    instances: int  # instances of this study now in the store
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    imported: int
    duplicates: int
    studies: tuple[ImportedStudy, ...]
    skipped: tuple[Skipped, ...]
    files: int
    cancelled: bool = False
    #: Damaged copies stored earlier that an intact copy of the same instance replaced.
    replaced: tuple[Skipped, ...] = ()

    @property
    def nothing_processed(self) -> bool:
        """No file became (or already was) an instance: the CLI exits non-zero."""
        return self.imported == 0 and self.duplicates == 0

    def as_json(self) -> dict[str, Any]:
        """The object ``import dicom --json`` prints (issue 3 format, plus flags/cancelled)."""
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "studies": [{"study_uid": s.study_uid, "patient_id": s.patient_id,
                         "modalities": list(s.modalities), "series": s.series,
                         "instances": s.instances, "flags": list(s.flags)}
                        for s in self.studies],
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "cancelled": self.cancelled,
            "replaced": [{"path": s.path, "reason": s.reason} for s in self.replaced],
        }


@dataclass(frozen=True)
class StudyFilter:
    """Optional filters for :meth:`ImagingService.list_studies` (all must match)."""

    patient_id: str | None = None
    modality: str | None = None
    date_from: str | None = None  # ISO, inclusive
    date_to: str | None = None  # ISO, inclusive
    text: str | None = None  # in name, description or accession (case-insensitive)


@dataclass(frozen=True)
class StudySummary:
    study_uid: str
    patient_id: str
    issuer: str
    patient_name: str
    birth_date: str | None
    sex: str
    study_date: str | None
    study_time: str | None
    accession: str
    description: str
    modalities: tuple[str, ...]
    series: int
    instances: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class StackSummary:
    """Geometry of one stack of a series (what ``studies show`` prints)."""

    index: int
    label: str
    kind: StackKind
    dimensions: tuple[int, int, int]  # (slices, rows, cols)
    spacing: tuple[float, float, float]  # (slice, row, col) mm
    orientation: str  # axial / coronal / sagittal / oblique / unknown
    orientation_cosines: tuple[float, ...] | None
    regular: bool
    tilt_deg: float
    missing_slices: int
    calibrated: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class SeriesDetail:
    series_uid: str
    modality: str
    description: str
    body_part: str
    number: int | None
    instances: int
    frames: int
    decodable: int  # instances whose pixels can be decoded
    not_decodable: tuple[str, ...]  # distinct reasons, e.g. "pixel data not decodable: …"
    transfer_syntaxes: tuple[str, ...]
    stacks: tuple[StackSummary, ...]
    warnings: tuple[str, ...] = field(default=())
    #: FrameOfReferenceUID: series sharing it share patient coordinates (scroll links).
    frame_of_reference: str = ""


@dataclass(frozen=True)
class StudyDetail:
    study: StudySummary
    series: tuple[SeriesDetail, ...]
