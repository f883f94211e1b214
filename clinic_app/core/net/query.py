"""What a PACS search asks and what it answers, the same for C-FIND and QIDO-RS.

Dates are ISO (``2025-11-03``) on our side and DICOM DA (``20251103``) on the wire; a
range is inclusive at both ends and either end may be open. A patient name without a
wildcard matches names that start with it (``DOE`` finds ``DOE^JANE``), the way
radiologists type into every PACS client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydicom.dataset import Dataset

from clinic_app.errors import InvalidInput


class QueryLevel(StrEnum):
    PATIENT = "PATIENT"
    STUDY = "STUDY"
    SERIES = "SERIES"


@dataclass(frozen=True)
class QueryFilter:
    level: QueryLevel = QueryLevel.STUDY
    patient_name: str = ""
    patient_id: str = ""
    accession: str = ""
    modality: str = ""
    date_from: str = ""  # ISO, inclusive
    date_to: str = ""  # ISO, inclusive
    study_uid: str = ""  # required at series level

    def __post_init__(self) -> None:
        if self.level is QueryLevel.SERIES and not self.study_uid:
            raise InvalidInput("A series-level search needs the study UID (--study).")
        for iso in (self.date_from, self.date_to):
            if iso:
                _iso_date(iso)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput(f"The date range ends ({self.date_to}) before it starts "
                               f"({self.date_from}).")

    @property
    def dicom_date(self) -> str:
        """StudyDate matching key: ``A-B``, ``A-``, ``-B`` or empty (universal)."""
        if not (self.date_from or self.date_to):
            return ""
        a, b = (d.replace("-", "") for d in (self.date_from, self.date_to))
        return a if a and a == b else f"{a}-{b}"

    @property
    def name_pattern(self) -> str:
        name = self.patient_name.strip()
        if name and not any(c in name for c in "*?"):
            name += "*"
        return name


@dataclass(frozen=True)
class QueryMatch:
    """One answer row; fields the level does not carry stay empty."""

    level: QueryLevel
    patient_id: str = ""
    patient_name: str = ""
    birth_date: str = ""  # ISO or empty
    sex: str = ""
    study_uid: str = ""
    study_date: str = ""  # ISO or empty
    accession: str = ""
    description: str = ""
    modalities: tuple[str, ...] = ()
    series_uid: str = ""
    series_number: int | None = None
    instances: int | None = None


def parse_date_range(text: str) -> tuple[str, str]:
    """``2025-01-01..2025-12-31``, ``20250101-20251231``, ``2025-01-01..`` or one date."""
    value = text.strip()
    compact = re.fullmatch(r"(\d{8})?-(\d{8})?", value)
    if compact and (compact.group(1) or compact.group(2)):
        parts = [_da_to_iso(p) if p else "" for p in compact.groups()]
    elif ".." in value or "/" in value:
        parts = [p.strip() for p in re.split(r"\.\.|/", value, maxsplit=1)]
    else:
        parts = [value, value]
    for p in parts:
        if p:
            _iso_date(p)
    if not any(parts):
        raise InvalidInput(f"Cannot read the date range {text!r}; write FROM..TO, e.g. "
                           "2025-01-01..2025-06-30 (either end may be left out).")
    return parts[0], parts[1]


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date; write it as YYYY-MM-DD.") from None


def _da_to_iso(value: str) -> str:
    v = value.strip()
    if re.fullmatch(r"\d{8}", v):
        return f"{v[:4]}-{v[4:6]}-{v[6:]}"
    return ""


def identifier(flt: QueryFilter) -> Dataset:
    """The C-FIND identifier: the filter's matching keys plus the return keys we show."""
    ds = Dataset()
    ds.QueryRetrieveLevel = flt.level.value
    ds.PatientID = flt.patient_id
    ds.PatientName = flt.name_pattern
    ds.PatientBirthDate = ""
    ds.PatientSex = ""
    if flt.level is QueryLevel.PATIENT:
        return ds
    ds.StudyInstanceUID = flt.study_uid
    ds.StudyDate = flt.dicom_date
    ds.AccessionNumber = flt.accession
    ds.StudyDescription = ""
    if flt.level is QueryLevel.STUDY:
        ds.ModalitiesInStudy = flt.modality.upper()
        ds.NumberOfStudyRelatedInstances = ""
        return ds
    ds.SeriesInstanceUID = ""
    ds.Modality = flt.modality.upper()
    ds.SeriesNumber = ""
    ds.SeriesDescription = ""
    ds.NumberOfSeriesRelatedInstances = ""
    return ds


def qido_params(flt: QueryFilter) -> dict[str, Any]:
    """The same filter as QIDO-RS search parameters."""
    params: dict[str, Any] = {}
    for key, value in (("PatientID", flt.patient_id), ("PatientName", flt.name_pattern),
                       ("AccessionNumber", flt.accession), ("StudyDate", flt.dicom_date)):
        if value:
            params[key] = value
    if flt.modality:
        params["ModalitiesInStudy" if flt.level is QueryLevel.STUDY else "Modality"] = \
            flt.modality.upper()
    return params


def match_from_dataset(level: QueryLevel, ds: Dataset) -> QueryMatch:
    """A C-FIND answer (or a QIDO result read into pydicom) as a :class:`QueryMatch`."""
    def text(keyword: str) -> str:
        value = ds.get(keyword, "")
        return str(value).strip() if value is not None else ""

    def number(keyword: str) -> int | None:
        try:
            return int(str(ds.get(keyword, "")).strip())
        except ValueError:
            return None

    modalities = ds.get("ModalitiesInStudy", "") or ds.get("Modality", "") or ""
    if isinstance(modalities, str):
        mods = tuple(m for m in modalities.split("\\") if m)
    else:
        mods = tuple(str(m) for m in modalities if m)
    instances = number("NumberOfSeriesRelatedInstances" if level is QueryLevel.SERIES
                       else "NumberOfStudyRelatedInstances")
    return QueryMatch(
        level=level, patient_id=text("PatientID"), patient_name=text("PatientName"),
        birth_date=_da_to_iso(text("PatientBirthDate")), sex=text("PatientSex"),
        study_uid=text("StudyInstanceUID"), study_date=_da_to_iso(text("StudyDate")),
        accession=text("AccessionNumber"),
        description=text("SeriesDescription" if level is QueryLevel.SERIES
                         else "StudyDescription"),
        modalities=mods, series_uid=text("SeriesInstanceUID"),
        series_number=number("SeriesNumber"), instances=instances)
