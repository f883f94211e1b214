"""De-identify one DICOM dataset by PS3.15 Annex E (Basic Profile, Retain Longitudinal
Temporal Information with Modified Dates, Clean Descriptors).

Pure: the caller passes the site secret and the patient's pseudonym and date shift (kept
encrypted in the store, so a re-export reuses them). Attributes in Table E.1-1 get the
table's action; attributes it does not list are handled conservatively: private tags
and person names removed, UIDs remapped, dates shifted, free text (LT/ST/UT, such as an
SR's TextValue) cleaned like a descriptor, sequences walked item by item.
UIDs become ``2.25.<HMAC-SHA256(secret, uid)>``, the same in every job of this site.

Marking (PS3.16 codes from pydicom's dictionary): 113100 Basic Application
Confidentiality Profile, 113107 Retain Longitudinal Temporal Information Modified Dates
Option (113106 is the *Full* Dates option), 113105 Clean Descriptors Option.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence

from clinic_app.core.dicom_out.deid_profile import Action, row_for

WELL_KNOWN = "1.2.840.10008."
METHOD_CODES = (("113100", "Basic Application Confidentiality Profile"),
                ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
                ("113105", "Clean Descriptors Option"))
DUMMY = "ANONYMIZED"
TEXT_VRS = frozenset({"LO", "SH", "LT", "ST", "UT", "UC", "CS"})
#: Words a cleaned descriptor may keep: modality, anatomy and technique, never names.
_SAFE = """
CT MR MRI CR DX PET US XA NM SEG SR KO AI CHEST THORAX ABDOMEN PELVIS HEAD BRAIN NECK SPINE
LUNG LUNGS LIVER KIDNEY RENAL CARDIAC HEART BREAST KNEE HIP SHOULDER AXIAL CORONAL SAGITTAL
OBLIQUE CONTRAST NONCONTRAST WITH WITHOUT W WO AND OF PA AP LAT LATERAL FRONTAL ROUTINE LOW
DOSE HIGH RESOLUTION SOFT TISSUE BONE STANDARD SHARP SMOOTH PORTAL VENOUS ARTERIAL PHASE
DELAYED SCOUT LOCALIZER TOPOGRAM T1 T2 FLAIR DWI ADC SEGMENTATION RESULTS REPORT KEY IMAGES
"""
SAFE_WORDS = frozenset(_SAFE.split())
_NUMBER = re.compile(r"^\d+(\.\d+)?(MM|CM|ML|KV|MAS|S|MS)?$")


@dataclass(frozen=True)
class Pseudonym:
    secret: bytes
    patient_id: str  # also the PatientName: one pseudonym, no second value to link
    shift_days: int  # every date moves by this many days (never 0)


def new_uid(secret: bytes, uid: str) -> str:
    digest = hmac.new(secret, b"uid|" + uid.encode("ascii", "replace"), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))


def clean_text(text: str) -> str:
    words = re.split(r"[^A-Za-z0-9.]+", text.upper())
    return " ".join(w for w in words if w and (w in SAFE_WORDS or _NUMBER.match(w)))


def _shift_da(value: str, days: int) -> str | None:
    try:
        day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except (ValueError, IndexError):
        return None
    return (day + timedelta(days=days)).strftime("%Y%m%d")


def shift_date_value(value: str, vr: str, days: int) -> str | None:
    """A DA or DT value (single, multi-valued or a range) moved by ``days``; None if invalid."""
    out = []
    for part in str(value).split("\\"):
        pieces = []
        for end in part.split("-") if vr == "DA" else [part]:
            if not end:
                pieces.append("")
                continue
            head = _shift_da(end[:8], days) if len(end) >= 8 else None
            if head is None:
                return None
            pieces.append(head + end[8:])
        out.append("-".join(pieces))
    return "\\".join(out)


@dataclass
class Deidentifier:
    pseudonym: Pseudonym
    uid_map: dict[str, str] = field(default_factory=dict)

    def uid(self, value: str) -> str:
        if value.startswith(WELL_KNOWN) or not value:
            return value
        if value not in self.uid_map:
            self.uid_map[value] = new_uid(self.pseudonym.secret, value)
        return self.uid_map[value]

    def apply(self, source: Dataset) -> Dataset:
        ds = copy.deepcopy(source)
        self._walk(ds)
        if getattr(ds, "file_meta", None) is not None and "SOPInstanceUID" in ds:
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.PatientID = self.pseudonym.patient_id
        ds.PatientName = self.pseudonym.patient_id
        ds.PatientIdentityRemoved = "YES"
        ds.DeidentificationMethod = "PS3.15 E.1 Basic; Rtn Long Modif Dates; Clean Desc"
        codes = []
        for value, meaning in METHOD_CODES:
            item = Dataset()
            item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, "DCM", meaning
            codes.append(item)
        ds.DeidentificationMethodCodeSequence = codes
        ds.LongitudinalTemporalInformationModified = "MODIFIED"
        return ds

    def _walk(self, ds: Dataset) -> None:
        for elem in list(ds):
            if elem.tag.is_private:
                del ds[elem.tag]
                continue
            row = row_for(int(elem.tag))
            if row is None:
                self._unlisted(ds, elem)
            else:
                self._act(ds, elem, row.action)

    def _unlisted(self, ds: Dataset, elem: DataElement) -> None:
        if elem.VR == "SQ":
            self._items(elem)
        elif elem.VR == "PN":
            del ds[elem.tag]
        elif elem.VR == "UI":
            self._map_uids(elem)
        elif elem.VR in ("DA", "DT"):
            self._shift(ds, elem)
        elif elem.VR in ("LT", "ST", "UT"):  # free text the table does not list (SR TextValue)
            self._clean(ds, elem)

    def _act(self, ds: Dataset, elem: DataElement, action: Action) -> None:
        handlers: dict[Action, Callable[[], None]] = {
            Action.REMOVE: lambda: ds.__delitem__(elem.tag),
            Action.EMPTY: lambda: self._empty(elem),
            Action.DUMMY: lambda: self._dummy(ds, elem),
            Action.KEEP: lambda: self._items(elem) if elem.VR == "SQ" else None,
            Action.CLEAN: lambda: self._clean(ds, elem),
            Action.UID: lambda: self._map_uids(elem) if elem.VR == "UI" else self._items(elem),
        }
        handlers[action]()

    def _items(self, elem: DataElement) -> None:
        if elem.VR == "SQ" and elem.value is not None:
            for item in elem.value:
                self._walk(item)

    def _map_uids(self, elem: DataElement) -> None:
        if elem.value is None or elem.value == "":
            return
        if elem.VM > 1:
            elem.value = [self.uid(str(v)) for v in elem.value]
        else:
            elem.value = self.uid(str(elem.value))

    def _shift(self, ds: Dataset, elem: DataElement) -> None:
        if elem.value in (None, ""):
            return
        raw = "\\".join(str(v) for v in elem.value) if elem.VM > 1 else str(elem.value)
        moved = shift_date_value(raw, elem.VR, self.pseudonym.shift_days)
        if moved is None:
            del ds[elem.tag]  # not a date we can move: it cannot stay
        else:
            elem.value = moved

    @staticmethod
    def _empty(elem: DataElement) -> None:
        elem.value = DicomSequence([]) if elem.VR == "SQ" else None

    def _dummy(self, ds: Dataset, elem: DataElement) -> None:
        if elem.VR == "SQ":
            self._items(elem)
        elif elem.VR == "UI":
            self._map_uids(elem)
        elif elem.VR in ("DA", "DT"):
            self._shift(ds, elem)
        elif elem.VR == "TM":
            elem.value = "000000"
        elif elem.VR in ("PN", *TEXT_VRS):
            elem.value = DUMMY
        elif elem.VR in ("IS", "DS", "US", "SS", "UL", "SL", "FL", "FD"):
            elem.value = 0
        else:
            elem.value = None

    def _clean(self, ds: Dataset, elem: DataElement) -> None:
        if elem.VR in ("DA", "DT"):
            self._shift(ds, elem)
        elif elem.VR == "TM":
            return  # a whole-day shift leaves times of day as they were
        elif elem.VR == "SQ":
            self._items(elem)
        elif elem.VR in TEXT_VRS and elem.value not in (None, ""):
            cleaned = clean_text(str(elem.value))
            if cleaned:
                elem.value = cleaned
            else:
                del ds[elem.tag]
        else:
            del ds[elem.tag]


#: Modalities that often carry text burned into the pixels (and XA when unstated).
BURNED_IN_MODALITIES = {"US": "ultrasound", "SC": "secondary capture", "OT": "other"}
SECONDARY_CAPTURE_PREFIX = "1.2.840.10008.5.1.4.1.1.7"


def burned_in_reason(ds: Dataset) -> str | None:
    """Why this image may carry identifying text in its pixels, or None if it should not."""
    flag = str(getattr(ds, "BurnedInAnnotation", "")).strip().upper()
    modality = str(getattr(ds, "Modality", "")).strip().upper()
    if flag == "YES":
        return "its header says it has text burned into the pixels (BurnedInAnnotation YES)"
    if modality in BURNED_IN_MODALITIES:
        return (f"{BURNED_IN_MODALITIES[modality]} images often have the patient's details "
                "burned into the pixels, which header de-identification cannot remove")
    if str(getattr(ds, "SOPClassUID", "")).startswith(SECONDARY_CAPTURE_PREFIX):
        return "secondary captures often are screenshots with the patient's details in them"
    if modality == "XA" and flag != "NO":
        return ("angiography images may have text burned into the pixels and this one does not "
                "say it has none (BurnedInAnnotation)")
    return None
