"""The imaging index: Patient → Study → Series → Instance tables and their queries.

These tables are a contract: the records engineer links FHIR patients to
``dicom_patients`` by (patient_id, issuer) and compares ``birth_date`` (ISO text) and
``sex`` (female/male/other/unknown); viewers and AI pipelines read series and instances.

Each instance row carries everything needed to decode and place its pixels without
parsing the stored file again: the pixel layout with the byte offset of the pixel data
inside the encrypted blob, the geometry tags, rescale and window values. Enhanced
multi-frame instances keep their per-frame functional groups as JSON in
``frame_geometry`` (one small object per frame).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from clinic_app.core.imaging import journal, ultrasound
from clinic_app.core.imaging.headers import (
    FrameGeometry,
    ImageAttributes,
    InstanceHeader,
    PatientInfo,
    PixelLayout,
)
from clinic_app.core.store.database import Database, Row

BLOB_KIND = "dicom"

MIGRATIONS = [
    """
    CREATE TABLE dicom_patients (
        id INTEGER PRIMARY KEY,
        identity_key TEXT NOT NULL UNIQUE,
        patient_id TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        birth_date TEXT,
        sex TEXT NOT NULL DEFAULT 'unknown'
            CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        created_at TEXT NOT NULL
    );
    CREATE INDEX dicom_patients_id ON dicom_patients(patient_id, issuer);
    CREATE TABLE dicom_studies (
        id INTEGER PRIMARY KEY,
        study_uid TEXT NOT NULL UNIQUE,
        dicom_patient_id INTEGER NOT NULL REFERENCES dicom_patients(id),
        study_date TEXT,
        study_time TEXT,
        accession TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        modalities TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL
    );
    CREATE INDEX dicom_studies_patient ON dicom_studies(dicom_patient_id);
    CREATE INDEX dicom_studies_date ON dicom_studies(study_date);
    CREATE TABLE dicom_series (
        id INTEGER PRIMARY KEY,
        series_uid TEXT NOT NULL UNIQUE,
        study_id INTEGER NOT NULL REFERENCES dicom_studies(id),
        modality TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        body_part TEXT NOT NULL DEFAULT '',
        number INTEGER,
        frame_of_reference_uid TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX dicom_series_study ON dicom_series(study_id);
    CREATE TABLE dicom_instances (
        id INTEGER PRIMARY KEY,
        sop_instance_uid TEXT NOT NULL UNIQUE,
        sop_class_uid TEXT NOT NULL,
        series_id INTEGER NOT NULL REFERENCES dicom_series(id),
        blob_id TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        content_sha256 TEXT NOT NULL,
        transfer_syntax TEXT NOT NULL,
        instance_number INTEGER,
        acquisition_number INTEGER,
        image_type TEXT NOT NULL DEFAULT '',
        frames INTEGER NOT NULL DEFAULT 0,
        rows INTEGER,
        cols INTEGER,
        samples INTEGER,
        bits_allocated INTEGER,
        bits_stored INTEGER,
        pixel_representation INTEGER,
        photometric TEXT,
        planar_configuration INTEGER,
        encapsulated INTEGER,
        pixel_offset INTEGER,
        pixel_length INTEGER,
        position_x REAL,
        position_y REAL,
        position_z REAL,
        orientation TEXT,
        row_spacing REAL,
        col_spacing REAL,
        spacing_source TEXT NOT NULL DEFAULT '',
        slice_thickness REAL,
        spacing_between_slices REAL,
        gantry_tilt REAL,
        rescale_slope REAL NOT NULL DEFAULT 1,
        rescale_intercept REAL NOT NULL DEFAULT 0,
        rescale_type TEXT NOT NULL DEFAULT '',
        window_center TEXT NOT NULL DEFAULT '',
        window_width TEXT NOT NULL DEFAULT '',
        window_names TEXT NOT NULL DEFAULT '',
        voi_function TEXT NOT NULL DEFAULT 'LINEAR',
        presentation_lut_shape TEXT NOT NULL DEFAULT '',
        padding_value INTEGER,
        padding_limit INTEGER,
        frame_time_ms REAL,
        frame_geometry TEXT,
        has_modality_lut INTEGER NOT NULL DEFAULT 0,
        has_voi_lut INTEGER NOT NULL DEFAULT 0,
        decodable INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        warnings TEXT NOT NULL DEFAULT '[]',
        imported_at TEXT NOT NULL
    );
    CREATE INDEX dicom_instances_series ON dicom_instances(series_id)
    """,
    # v2: PatientOrientation (0020,0020), "row\\column" codes (e.g. "L\\F"): the only
    # orientation a projection radiograph has. NULL for instances imported before v2.
    """
    ALTER TABLE dicom_instances ADD COLUMN patient_orientation TEXT
    """,
    # v3: the file name the instance was imported from (no folders; inside the encrypted
    # store only), so a decode error can name the file a person can find again.
    """
    ALTER TABLE dicom_instances ADD COLUMN source_name TEXT NOT NULL DEFAULT ''
    """,
    # v4: committed-but-not-yet-audited imports (journal.py), so a crash between a batch's
    # commit and its audit entry is audited at the next import instead of never.
    journal.MIGRATION,
    # v5: every ultrasound region with its bounds and scale (JSON, ultrasound.py), so a
    # distance is measured inside one calibrated region, never with region 0's scale.
    """
    ALTER TABLE dicom_instances ADD COLUMN us_regions TEXT
    """,
]


def _join(values: Sequence[Any]) -> str:
    return "\\".join(repr(float(v)) if isinstance(v, float) else str(v) for v in values)


def _floats(text: str | None) -> tuple[float, ...]:
    if not text:
        return ()
    return tuple(float(v) for v in text.split("\\"))


# -- writing -------------------------------------------------------------------------------
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


def encode_frames(frames: tuple[FrameGeometry, ...] | None) -> str | None:
    if frames is None:
        return None
    out = []
    for f in frames:
        item = {"p": f.position, "o": f.orientation, "s": f.pixel_spacing, "t": f.slice_thickness,
                "r": f.rescale, "w": f.window, "k": f.stack_id, "n": f.in_stack_position,
                "i": f.temporal_index}
        out.append({k: v for k, v in item.items() if v is not None})
    return json.dumps(out, separators=(",", ":"))


def decode_frames(text: str | None) -> tuple[FrameGeometry, ...] | None:
    if not text:
        return None
    frames = []
    for item in json.loads(text):
        frames.append(FrameGeometry(
            position=tuple(item["p"]) if "p" in item else None,
            orientation=tuple(item["o"]) if "o" in item else None,
            pixel_spacing=tuple(item["s"]) if "s" in item else None,
            slice_thickness=item.get("t"),
            rescale=tuple(item["r"]) if "r" in item else None,
            window=tuple(item["w"]) if "w" in item else None,
            stack_id=item.get("k"),
            in_stack_position=item.get("n"),
            temporal_index=item.get("i"),
        ))
    return tuple(frames)


# -- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredInstance(ImageAttributes):
    """One instance row as the volume builder needs it (no PHI beyond UIDs)."""

    id: int
    blob_id: str
    source_name: str = field(default="", kw_only=True)


def stored_instance(row: Row) -> StoredInstance:
    px = None
    if row["rows"] is not None:
        px = PixelLayout(
            rows=row["rows"], cols=row["cols"], frames=row["frames"], samples=row["samples"],
            bits_allocated=row["bits_allocated"], bits_stored=row["bits_stored"],
            pixel_representation=row["pixel_representation"], photometric=row["photometric"],
            planar_configuration=row["planar_configuration"] or 0,
            encapsulated=bool(row["encapsulated"]), offset=row["pixel_offset"],
            length=row["pixel_length"] or 0)
    pos = None
    if row["position_x"] is not None:
        pos = (float(row["position_x"]), float(row["position_y"]), float(row["position_z"]))
    spacing = None
    if row["row_spacing"] is not None:
        spacing = (float(row["row_spacing"]), float(row["col_spacing"]))
    names = tuple(n for n in (row["window_names"] or "").split("\\") if n)
    return StoredInstance(
        id=row["id"], sop_instance_uid=row["sop_instance_uid"], sop_class_uid=row["sop_class_uid"],
        blob_id=row["blob_id"], transfer_syntax=row["transfer_syntax"],
        instance_number=row["instance_number"], acquisition_number=row["acquisition_number"],
        image_type=row["image_type"], pixels=px, position=pos,
        orientation=_floats(row["orientation"]) or None, pixel_spacing=spacing,
        spacing_source=row["spacing_source"], slice_thickness=row["slice_thickness"],
        spacing_between_slices=row["spacing_between_slices"], gantry_tilt=row["gantry_tilt"],
        rescale_slope=float(row["rescale_slope"]), rescale_intercept=float(row["rescale_intercept"]),
        rescale_type=row["rescale_type"], window_centers=_floats(row["window_center"]),
        window_widths=_floats(row["window_width"]), window_names=names,
        voi_function=row["voi_function"], presentation_lut_shape=row["presentation_lut_shape"],
        padding_value=row["padding_value"], padding_limit=row["padding_limit"],
        frame_time_ms=row["frame_time_ms"], frame_geometry=decode_frames(row["frame_geometry"]),
        has_modality_lut=bool(row["has_modality_lut"]), has_voi_lut=bool(row["has_voi_lut"]),
        decodable=bool(row["decodable"]), status=row["status"],
        warnings=tuple(json.loads(row["warnings"] or "[]")),
        patient_orientation=_codes(row["patient_orientation"]),
        source_name=row["source_name"] or "",
        us_regions=ultrasound.decode(row["us_regions"]),
    )


def _codes(text: str | None) -> tuple[str, str] | None:
    parts = (text or "").split("\\")
    return (parts[0], parts[1]) if len(parts) == 2 else None


def study_rows(db: Database, *, study_uid: str | None = None, patient_id: str | None = None,
               modality: str | None = None, date_from: str | None = None,
               date_to: str | None = None, text: str | None = None) -> list[Row]:
    """Studies with their patient and counts, newest first; every filter is optional."""
    where: list[str] = []
    params: list[Any] = []
    if study_uid is not None:
        where.append("st.study_uid = ?")
        params.append(study_uid)
    if patient_id:
        where.append("p.patient_id = ?")
        params.append(patient_id)
    if modality:
        where.append("(',' || st.modalities || ',') LIKE ?")
        params.append(f"%,{modality.upper()},%")
    if date_from:
        where.append("st.study_date >= ?")
        params.append(date_from)
    if date_to:
        where.append("st.study_date <= ?")
        params.append(date_to)
    if text:
        where.append("(lower(p.name) LIKE ? OR lower(st.description) LIKE ? OR "
                     "lower(st.accession) LIKE ?)")
        params.extend([f"%{text.lower()}%"] * 3)
    # Only the fixed clauses above are joined in; every value is a bound parameter.
    sql = (
        "SELECT st.*, p.patient_id, p.issuer, p.name, p.birth_date, p.sex,"  # noqa: S608
        " (SELECT COUNT(*) FROM dicom_series se WHERE se.study_id = st.id) AS n_series,"
        " (SELECT COUNT(*) FROM dicom_instances i JOIN dicom_series se ON se.id = i.series_id"
        "  WHERE se.study_id = st.id) AS n_instances"
        " FROM dicom_studies st JOIN dicom_patients p ON p.id = st.dicom_patient_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY st.study_date DESC, st.study_time DESC, st.id DESC")
    return db.query(sql, params)


def series_rows(db: Database, study_uid: str) -> list[Row]:
    return db.query(
        "SELECT se.* FROM dicom_series se JOIN dicom_studies st ON st.id = se.study_id "
        "WHERE st.study_uid = ? ORDER BY se.number, se.id", (study_uid,))


def series_context(db: Database, series_uid: str) -> Row | None:
    """A series' modality with its study UID and patient id (for audit participants)."""
    return db.query_one(
        "SELECT se.modality, st.study_uid, p.patient_id FROM dicom_series se "
        "JOIN dicom_studies st ON st.id = se.study_id "
        "JOIN dicom_patients p ON p.id = st.dicom_patient_id WHERE se.series_uid = ?",
        (series_uid,))


def series_instances(db: Database, series_uid: str) -> list[StoredInstance]:
    rows = db.query(
        "SELECT i.* FROM dicom_instances i JOIN dicom_series s ON s.id = i.series_id "
        "WHERE s.series_uid = ? ORDER BY i.instance_number, i.id", (series_uid,))
    return [stored_instance(r) for r in rows]

