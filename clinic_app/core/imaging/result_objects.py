"""Non-image objects that carry results (SEG, SR, KO, presentation states): which is which.

Import stores them like any instance; this module only names them, so the index shows
"segmentation (overlay on its source series)" rather than "no pixel data", and the
volume planner never mistakes a SEG's frames for an image stack. Reading their content
lives in :mod:`clinic_app.core.dicom_out.foreign`.
"""

from __future__ import annotations

from enum import StrEnum

from clinic_app.core.store.database import Database, Row


class ResultKind(StrEnum):
    SEG = "SEG"
    SR = "SR"
    KO = "KO"
    PR = "PR"


SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4"
KEY_OBJECT_SELECTION = "1.2.840.10008.5.1.4.1.1.88.59"
#: SR storage classes whose content tree can hold a TID 1500 report.
STRUCTURED_REPORTS = frozenset({
    "1.2.840.10008.5.1.4.1.1.88.11",  # Basic Text SR
    "1.2.840.10008.5.1.4.1.1.88.22",  # Enhanced SR
    "1.2.840.10008.5.1.4.1.1.88.33",  # Comprehensive SR
    "1.2.840.10008.5.1.4.1.1.88.34",  # Comprehensive 3D SR
    "1.2.840.10008.5.1.4.1.1.88.35",  # Extensible SR
})
PRESENTATION_STATES = frozenset({
    "1.2.840.10008.5.1.4.1.1.11.1",  # Grayscale Softcopy Presentation State
    "1.2.840.10008.5.1.4.1.1.11.2",  # Color Softcopy Presentation State
})

STATUS = {
    ResultKind.SEG: "segmentation: shown as an overlay on its source series",
    ResultKind.SR: "structured report: its measurements are listed with the study",
    ResultKind.KO: "key object selection: its images are listed as key images",
    ResultKind.PR: "presentation state: not applied yet",
}


def result_kind(sop_class_uid: str) -> ResultKind | None:
    uid = sop_class_uid.strip("\x00 ")
    if uid == SEGMENTATION:
        return ResultKind.SEG
    if uid == KEY_OBJECT_SELECTION:
        return ResultKind.KO
    if uid in STRUCTURED_REPORTS:
        return ResultKind.SR
    if uid in PRESENTATION_STATES:
        return ResultKind.PR
    return None


def result_status(sop_class_uid: str) -> str | None:
    """The index status for a results object (never decoded as an image), else None."""
    kind = result_kind(sop_class_uid)
    return STATUS[kind] if kind is not None else None


def study_result_instances(db: Database, study_uid: str) -> list[Row]:
    """The study's stored results objects: SOP class and instance UID, blob, series."""
    classes = sorted({SEGMENTATION, KEY_OBJECT_SELECTION, *STRUCTURED_REPORTS,
                      *PRESENTATION_STATES})
    marks = ",".join("?" * len(classes))
    return db.query(
        "SELECT i.sop_instance_uid, i.sop_class_uid, i.blob_id, se.series_uid "  # noqa: S608
        "FROM dicom_instances i JOIN dicom_series se ON se.id = i.series_id "
        "JOIN dicom_studies st ON st.id = se.study_id "
        f"WHERE st.study_uid = ? AND i.sop_class_uid IN ({marks}) ORDER BY i.id",
        [study_uid, *classes])
