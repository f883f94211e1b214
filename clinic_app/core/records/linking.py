"""Linking records to imaging: FHIR Patient.identifier (MRN + system) ↔ DICOM PatientID
(+ IssuerOfPatientID), with conflicts flagged and never merged.

A record and a DICOM patient are linked when the MRN equals the PatientID exactly and
the issuers are compatible: equal (ignoring a ``urn:oid:`` prefix), or one side did not
say. Two different issuers mean two assigning authorities, so the same number is not the
same person and nothing is linked.

A link whose demographics disagree (birth date, or sex where both are known) is still
shown, with a conflict flag on both the patient and the study: hiding the study would
hide the disagreement, and merging would pick one side silently. Someone must look.

The imaging tables (``dicom_patients``, ``dicom_studies``) belong to the imaging
component; this module only reads them, and tolerates a store that has none yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clinic_app.core.records.facts import PatientRecord
from clinic_app.core.store.database import Database, Row

KNOWN_SEX = frozenset({"female", "male", "other"})
#: Study flags the imaging importer sets (core/imaging/importer.py), in words.
IMAGING_FLAGS = {
    "demographics_differ": "study conflict: its DICOM demographics differ from earlier studies "
                           "of this PatientID",
    "patient_conflict": "study conflict: instances of this study name different patients",
}


@dataclass(frozen=True)
class LinkedStudy:
    study_uid: str
    study_date: str
    modalities: str
    description: str
    dicom_name: str
    dicom_birth_date: str | None
    dicom_sex: str
    conflicts: tuple[str, ...] = ()


def normalise_issuer(issuer: str | None) -> str:
    text = (issuer or "").strip()
    return text[len("urn:oid:"):] if text.lower().startswith("urn:oid:") else text


def issuers_compatible(a: str | None, b: str | None) -> bool:
    na, nb = normalise_issuer(a), normalise_issuer(b)
    return not na or not nb or na == nb


def _tables(db: Database) -> set[str]:
    rows = db.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name IN ('dicom_patients', 'dicom_studies')")
    return {r["name"] for r in rows}


def demographic_conflicts(patient: PatientRecord, birth_date: str | None,
                          sex: str | None) -> tuple[str, ...]:
    """What disagrees between a record and imaging demographics (PHI-free wording)."""
    out = []
    if patient.birth_date is not None and birth_date and birth_date != patient.birth_date.isoformat():
        out.append("record conflict: birth date differs between the record and imaging")
    if patient.sex in KNOWN_SEX and sex in KNOWN_SEX and sex != patient.sex:
        out.append("record conflict: sex differs between the record and imaging")
    return tuple(out)


def _dicom_rows(db: Database, mrns: Sequence[str]) -> list[Row]:
    if not mrns or "dicom_patients" not in _tables(db):
        return []
    rows: list[Row] = []
    for start in range(0, len(mrns), 500):
        chunk = mrns[start:start + 500]
        rows.extend(db.query(
            f"SELECT * FROM dicom_patients WHERE patient_id IN ({', '.join('?' * len(chunk))})",  # noqa: S608
            tuple(chunk)))
    return rows


def _matches(patient: PatientRecord, row: Row) -> bool:
    return row["patient_id"] == patient.mrn and issuers_compatible(patient.issuer, row["issuer"])


def conflict_flags(db: Database, patients: Iterable[PatientRecord]) -> dict[int, tuple[str, ...]]:
    """Conflict flags per patient key, for patients linked to imaging that disagrees."""
    plist = list(patients)
    rows = _dicom_rows(db, sorted({p.mrn for p in plist}))
    out: dict[int, tuple[str, ...]] = {}
    for patient in plist:
        flags: list[str] = []
        for row in rows:
            if _matches(patient, row):
                for flag in demographic_conflicts(patient, row["birth_date"], row["sex"]):
                    if flag not in flags:
                        flags.append(flag)
        if flags:
            out[patient.key] = tuple(flags)
    return out


def linked_studies(db: Database, patient: PatientRecord) -> list[LinkedStudy]:
    """Every DICOM study filed under a PatientID linked to this record."""
    tables = _tables(db)
    if "dicom_patients" not in tables or "dicom_studies" not in tables:
        return []
    out = []
    for prow in _dicom_rows(db, [patient.mrn]):
        if not _matches(patient, prow):
            continue
        conflicts = demographic_conflicts(patient, prow["birth_date"], prow["sex"])
        for srow in db.query("SELECT * FROM dicom_studies WHERE dicom_patient_id = ? "
                             "ORDER BY study_date, study_uid", (prow["id"],)):
            study_flags = [f for f in (srow["flags"] or "").split(",") if f]
            imaging = tuple(IMAGING_FLAGS.get(f, f"imaging flag: {f}") for f in study_flags)
            out.append(LinkedStudy(
                study_uid=srow["study_uid"], study_date=srow["study_date"] or "",
                modalities=srow["modalities"] or "", description=srow["description"] or "",
                dicom_name=prow["name"] or "", dicom_birth_date=prow["birth_date"],
                dicom_sex=prow["sex"] or "unknown", conflicts=conflicts + imaging))
    return out
