"""The records tables, as migrations of the encrypted clinical database.

Kept apart from the code that reads and writes rows so that a schema change is one
reviewable list (``store_components`` applies it; a migration is never edited once
shipped, only appended). Times are UTC ISO text with a 'Z', which sorts chronologically.
"""

from __future__ import annotations

MIGRATIONS = [
    """
    CREATE TABLE records_imports (
        id INTEGER PRIMARY KEY,
        source_file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE records_patients (
        id INTEGER PRIMARY KEY,
        mrn TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        family TEXT NOT NULL DEFAULT '',
        given TEXT NOT NULL DEFAULT '',
        birth_date TEXT,
        sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        deceased INTEGER NOT NULL DEFAULT 0,
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (mrn, issuer)
    );
    CREATE TABLE records_patient_refs (
        ref TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        PRIMARY KEY (ref, patient_id)
    );
    CREATE TABLE records_observations (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        effective TEXT NOT NULL,
        value REAL,
        unit TEXT NOT NULL,
        value_code TEXT,
        original_value TEXT,
        original_unit TEXT,
        status TEXT NOT NULL,
        flags TEXT,
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL
    );
    CREATE UNIQUE INDEX records_observations_key ON records_observations
        (patient_id, name, effective, code, ifnull(value, ''), ifnull(value_code, ''));
    CREATE TABLE records_conditions (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        category TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        onset TEXT,
        abatement TEXT,
        clinical_status TEXT NOT NULL,
        verification_status TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity, category)
    );
    CREATE TABLE records_medications (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        classes TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        start TEXT,
        end TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    )
    """,
    # 2: race for the risk equations (None = not recorded) and what the source said.
    """
    ALTER TABLE records_patients ADD COLUMN race TEXT
        CHECK (race IS NULL OR race IN ('white', 'african_american', 'other'));
    ALTER TABLE records_patients ADD COLUMN race_source TEXT NOT NULL DEFAULT ''
    """,
    # 3: every fact kept. Observations of any code (system, the source's display, category,
    # interpretation, a non-numeric value as text); medications record whether a class was
    # recognised; allergies, encounters and diagnostic reports (groupings of observations);
    # inputs a physician confirmed (never facts: kept apart, with who and when).
    """
    ALTER TABLE records_observations ADD COLUMN system TEXT;
    ALTER TABLE records_observations ADD COLUMN display TEXT;
    ALTER TABLE records_observations ADD COLUMN category TEXT;
    ALTER TABLE records_observations ADD COLUMN interpretation TEXT;
    ALTER TABLE records_observations ADD COLUMN value_text TEXT;
    DROP INDEX records_observations_key;
    CREATE UNIQUE INDEX records_observations_key ON records_observations
        (patient_id, name, effective, code, ifnull(value, ''), ifnull(value_code, ''),
         ifnull(value_text, ''));
    ALTER TABLE records_medications ADD COLUMN recognised INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE records_allergies (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        clinical_status TEXT NOT NULL,
        verification_status TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        criticality TEXT NOT NULL DEFAULT '',
        onset TEXT,
        recorded TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE TABLE records_encounters (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        status TEXT NOT NULL,
        class_code TEXT NOT NULL DEFAULT '',
        type_display TEXT NOT NULL DEFAULT '',
        start TEXT,
        end TEXT,
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE INDEX records_encounters_start ON records_encounters (patient_id, start);
    CREATE TABLE records_reports (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        identity TEXT NOT NULL,
        status TEXT NOT NULL,
        system TEXT NOT NULL,
        code TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        effective TEXT,
        results TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '',
        import_id INTEGER NOT NULL REFERENCES records_imports(id),
        resource_id TEXT NOT NULL,
        UNIQUE (patient_id, identity)
    );
    CREATE TABLE records_confirmations (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES records_patients(id),
        feature TEXT NOT NULL,
        value TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        confirmed_by TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
    );
    CREATE INDEX records_confirmations_patient ON records_confirmations (patient_id, feature)
    """,
    # The per-file duplicate-id check of streamed NDJSON (core/records/seen_ids.py): rows
    # live only inside one file's import transaction (digests, never the ids themselves).
    """
    CREATE TABLE records_import_seen (
        key BLOB PRIMARY KEY,
        line INTEGER NOT NULL,
        digest INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
]
