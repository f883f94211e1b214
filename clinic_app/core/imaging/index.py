"""Read the imaging index: studies, series and stored instances for viewers and pipelines.

The tables are defined in ``index_schema.py`` and written at import by ``index_writer.py``.

Each instance row carries everything needed to decode and place its pixels without
parsing the stored file again: the pixel layout with the byte offset of the pixel data
inside the encrypted blob, the geometry tags, rescale and window values. Enhanced
multi-frame instances keep their per-frame functional groups as JSON in
``frame_geometry`` (one small object per frame).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from clinic_app.core.imaging import ultrasound
from clinic_app.core.imaging.header_types import (
    FrameGeometry,
    ImageAttributes,
    PixelLayout,
)
from clinic_app.core.store.database import Database, Row

BLOB_KIND = "dicom"


def _floats(text: str | None) -> tuple[float, ...]:
    if not text:
        return ()
    return tuple(float(v) for v in text.split("\\"))


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

