"""Write the imaging index at import: patient, study, series and instance rows.

Also the lookups the importer makes before writing (is this instance, study or series
already stored, and under whom), so a re-import or a conflicting header is detected and
reported, never merged silently. Only the importer writes these tables.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clinic_app.core.imaging import ultrasound
from clinic_app.core.imaging.header_types import InstanceHeader, PatientInfo
from clinic_app.core.imaging.index import encode_frames
from clinic_app.core.store.database import Database, Row


def _join(values: Sequence[Any]) -> str:
    return "\\".join(repr(float(v)) if isinstance(v, float) else str(v) for v in values)


def find_instance(db: Database, sop_uid: str) -> Row | None:
    return db.query_one(
        "SELECT i.id, i.content_sha256, i.status, i.sop_class_uid, i.blob_id, i.rows, "
        "s.series_uid FROM dicom_instances i "
        "JOIN dicom_series s ON s.id = i.series_id WHERE i.sop_instance_uid = ?", (sop_uid,))


def delete_instance(db: Database, instance_id: int) -> None:
    """Remove one instance row (its blob is deleted by the caller after the commit)."""
    db.execute("DELETE FROM dicom_instances WHERE id = ?", (instance_id,))


def ensure_patient(db: Database, patient: PatientInfo, now: str) -> tuple[int, bool]:
    """The patient row for this identity (created if new), and whether demographics differ.

    The first-seen name, birth date and sex are kept; a later header that disagrees is
    reported by the caller (study flag), never merged silently into the record.
    """
    row = db.query_one("SELECT id, name, birth_date, sex FROM dicom_patients WHERE identity_key = ?",
                       (patient.identity_key,))
    if row is not None:
        differs = (row["name"] != patient.name or row["birth_date"] != patient.birth_date
                   or row["sex"] != patient.sex)
        return int(row["id"]), differs
    pid = db.insert(
        "INSERT INTO dicom_patients(identity_key, patient_id, issuer, name, birth_date, sex, "
        "created_at) VALUES (?,?,?,?,?,?,?)",
        (patient.identity_key, patient.patient_id, patient.issuer, patient.name,
         patient.birth_date, patient.sex, now))
    return pid, False


def study_owner(db: Database, study_uid: str) -> Row | None:
    return db.query_one(
        "SELECT s.id, s.flags, p.identity_key FROM dicom_studies s "
        "JOIN dicom_patients p ON p.id = s.dicom_patient_id WHERE s.study_uid = ?", (study_uid,))


def ensure_study(db: Database, header: InstanceHeader, patient_row: int, now: str) -> int:
    row = db.query_one("SELECT id FROM dicom_studies WHERE study_uid = ?", (header.study_uid,))
    if row is not None:
        return int(row["id"])
    return db.insert(
        "INSERT INTO dicom_studies(study_uid, dicom_patient_id, study_date, study_time, accession,"
        " description, imported_at) VALUES (?,?,?,?,?,?,?)",
        (header.study_uid, patient_row, header.study_date, header.study_time, header.accession,
         header.study_description, now))


def add_study_flag(db: Database, study_id: int, flag: str) -> None:
    row = db.query_one("SELECT flags FROM dicom_studies WHERE id = ?", (study_id,))
    flags = [f for f in (row["flags"].split(",") if row and row["flags"] else []) if f]
    if flag not in flags:
        flags.append(flag)
        db.execute("UPDATE dicom_studies SET flags = ? WHERE id = ?", (",".join(flags), study_id))


def series_owner(db: Database, series_uid: str) -> Row | None:
    return db.query_one(
        "SELECT se.id, st.study_uid FROM dicom_series se JOIN dicom_studies st "
        "ON st.id = se.study_id WHERE se.series_uid = ?", (series_uid,))


def ensure_series(db: Database, header: InstanceHeader, study_id: int) -> int:
    row = db.query_one("SELECT id FROM dicom_series WHERE series_uid = ?", (header.series_uid,))
    if row is not None:
        return int(row["id"])
    series_id = db.insert(
        "INSERT INTO dicom_series(series_uid, study_id, modality, description, body_part, number,"
        " frame_of_reference_uid) VALUES (?,?,?,?,?,?,?)",
        (header.series_uid, study_id, header.modality, header.series_description,
         header.body_part, header.series_number, header.frame_of_reference_uid))
    mods = sorted({r["modality"] for r in db.query(
        "SELECT DISTINCT modality FROM dicom_series WHERE study_id = ?", (study_id,))})
    db.execute("UPDATE dicom_studies SET modalities = ? WHERE id = ?", (",".join(mods), study_id))
    return series_id


def insert_instance(db: Database, header: InstanceHeader, series_id: int, blob_id: str,
                    size: int, sha256: str, now: str, source_name: str = "") -> int:
    px = header.pixels
    pos = header.position
    values: dict[str, Any] = {
        "sop_instance_uid": header.sop_instance_uid,
        "sop_class_uid": header.sop_class_uid,
        "series_id": series_id,
        "blob_id": blob_id,
        "size_bytes": size,
        "content_sha256": sha256,
        "transfer_syntax": header.transfer_syntax,
        "instance_number": header.instance_number,
        "acquisition_number": header.acquisition_number,
        "image_type": header.image_type,
        "frames": px.frames if px else 0,
        "rows": px.rows if px else None,
        "cols": px.cols if px else None,
        "samples": px.samples if px else None,
        "bits_allocated": px.bits_allocated if px else None,
        "bits_stored": px.bits_stored if px else None,
        "pixel_representation": px.pixel_representation if px else None,
        "photometric": px.photometric if px else None,
        "planar_configuration": px.planar_configuration if px else None,
        "encapsulated": int(px.encapsulated) if px else None,
        "pixel_offset": px.offset if px else None,
        "pixel_length": px.length if px else None,
        "position_x": pos[0] if pos else None,
        "position_y": pos[1] if pos else None,
        "position_z": pos[2] if pos else None,
        "orientation": _join(header.orientation) if header.orientation else None,
        "row_spacing": header.pixel_spacing[0] if header.pixel_spacing else None,
        "col_spacing": header.pixel_spacing[1] if header.pixel_spacing else None,
        "spacing_source": header.spacing_source,
        "slice_thickness": header.slice_thickness,
        "spacing_between_slices": header.spacing_between_slices,
        "gantry_tilt": header.gantry_tilt,
        "rescale_slope": header.rescale_slope,
        "rescale_intercept": header.rescale_intercept,
        "rescale_type": header.rescale_type,
        "window_center": _join(header.window_centers),
        "window_width": _join(header.window_widths),
        "window_names": "\\".join(header.window_names),
        "voi_function": header.voi_function,
        "presentation_lut_shape": header.presentation_lut_shape,
        "padding_value": header.padding_value,
        "padding_limit": header.padding_limit,
        "frame_time_ms": header.frame_time_ms,
        "frame_geometry": encode_frames(header.frame_geometry),
        "has_modality_lut": int(header.has_modality_lut),
        "has_voi_lut": int(header.has_voi_lut),
        "decodable": int(header.decodable),
        "status": header.status,
        "warnings": json.dumps(list(header.warnings)),
        "imported_at": now,
        "patient_orientation": "\\".join(header.patient_orientation)
        if header.patient_orientation else None,
        "source_name": source_name,
        "us_regions": ultrasound.encode(header.us_regions),
    }
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return db.insert(f"INSERT INTO dicom_instances({cols}) VALUES ({marks})",  # noqa: S608
                      tuple(values.values()))
