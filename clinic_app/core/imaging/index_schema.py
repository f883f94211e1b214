"""The imaging index's tables: Patient → Study → Series → Instance, as ordered migrations.

The list only grows (one entry per schema version); ``store_components`` applies it.
These tables are a contract: the records engineer links FHIR patients to
``dicom_patients`` by (patient_id, issuer) and compares ``birth_date`` (ISO text) and
``sex`` (female/male/other/unknown); viewers and AI pipelines read series and instances.
"""

from __future__ import annotations

from clinic_app.core.imaging import journal

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
