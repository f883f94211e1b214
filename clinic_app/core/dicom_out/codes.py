"""Coded concepts the written objects use, in one place so writer and reader agree.

Standard codes come from pydicom's code dictionary (DICOM PS3.16 CIDs), which is the
oracle for their values and meanings. The review decision and the model score have no
standard concept yet (IHE AIRAI is still a draft), so they use this application's private
coding scheme ``99CLINICAPP`` (PS3.16 allows private schemes with a ``99`` prefix); the
codes are listed in docs/dicom-output.md.
"""

from __future__ import annotations

from enum import StrEnum

from highdicom.sr import CodedConcept
from pydicom.sr.codedict import codes

PRIVATE_SCHEME = "99CLINICAPP"

#: Finding type per model label (lower case). A label not listed is coded as a lesion:
#: every model label this application ships names a focal abnormality.
FINDING_TYPES: dict[str, CodedConcept] = {
    "pulmonary nodule": CodedConcept("27925004", "SCT", "Nodule"),
    "nodule": CodedConcept("27925004", "SCT", "Nodule"),
    "mass": CodedConcept("4147007", "SCT", "Mass"),
    "hyperdense focal lesion": CodedConcept("52988006", "SCT", "Lesion"),
}
LESION = CodedConcept("52988006", "SCT", "Lesion")
ABNORMAL_STRUCTURE = CodedConcept("49755003", "SCT", "Morphologically Abnormal Structure")
ARTIFICIAL_INTELLIGENCE = CodedConcept("123110", "DCM", "Artificial Intelligence")
DIAMETER = CodedConcept("81827009", "SCT", "Diameter")
VOLUME = CodedConcept("118565006", "SCT", "Volume")
MILLIMETER = CodedConcept("mm", "UCUM", "millimeter")
MILLILITER = CodedConcept("mL", "UCUM", "milliliter")
NO_UNITS = CodedConcept("1", "UCUM", "no units")
IMAGING_PROCEDURE = CodedConcept("363679005", "SCT", "Imaging procedure")
OF_INTEREST = CodedConcept("113000", "DCM", "Of Interest")
COMMENT = CodedConcept("121106", "DCM", "Comment")
PERSON_NAME = CodedConcept("121008", "DCM", "Person Observer Name")
ORGANIZATION_ROLE = CodedConcept("121010", "DCM", "Person Observer's Role in the Organization")
ROLES = {
    "radiologist": CodedConcept("66862007", "SCT", "Radiologist"),
    "physician": CodedConcept("309343006", "SCT", "Physician"),
}
FINDING = CodedConcept(codes.DCM.Finding.value, "DCM", codes.DCM.Finding.meaning)

SCORE = CodedConcept("AISCORE", PRIVATE_SCHEME, "AI model score")
REVIEW = CodedConcept("REVIEW", PRIVATE_SCHEME, "Radiologist review of AI finding")
REVISED_REGION = CodedConcept("REVREGION", PRIVATE_SCHEME, "Region as revised by the reviewer")
#: What the size of an AI finding can be trusted for (core/inference/size_caveat.py): a
#: qualitative evaluation of its group, so the remark travels with the measurements.
SIZE_REMARK = CodedConcept("SIZEREMARK", PRIVATE_SCHEME, "Size measurement")
THICK_SLICES = CodedConcept("THICKSLICES", PRIVATE_SCHEME,
                            "Approximate: under 8 mm on slices over 1.5 mm apart")
SERIES_EDGE = CodedConcept("SERIESEDGE", PRIVATE_SCHEME,
                           "May be larger: reaches the first or last image")


class Decision(StrEnum):
    """What a radiologist did with a finding (IHE AIRAI's accept/reject/modify/add)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MODIFIED = "modified"
    ADDED = "added"

    @property
    def code(self) -> CodedConcept:
        return CodedConcept(self.value.upper(), PRIVATE_SCHEME, f"Finding {self.value}")


def finding_type(label: str) -> CodedConcept:
    return FINDING_TYPES.get(label.strip().lower(), LESION)


def decision_of(code_value: str) -> Decision | None:
    """The decision a REVIEW item's value code names, or None for a code we do not know."""
    try:
        return Decision(code_value.lower())
    except ValueError:
        return None
