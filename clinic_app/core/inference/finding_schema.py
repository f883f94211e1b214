"""The findings tables (runs, findings, reviews, added findings), as numbered migrations.

Kept apart from ``finding_store`` (which reads and writes the rows) because a migration
is never edited once shipped: a store opened by any later version applies only the
steps it has not seen. The steps are the schema's history; the row code in
``finding_store`` follows the latest one.
"""

from __future__ import annotations

MIGRATIONS = [
    """
    CREATE TABLE ai_runs (
        id INTEGER PRIMARY KEY,
        run_uid TEXT NOT NULL UNIQUE,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        stack_index INTEGER NOT NULL DEFAULT 0,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        demo INTEGER NOT NULL,
        provider TEXT NOT NULL,
        heatmap_kind TEXT NOT NULL,
        timing TEXT NOT NULL,
        trigger TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'import')),
        user TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        n_findings INTEGER NOT NULL,
        n_flagged INTEGER NOT NULL
    );
    CREATE INDEX ai_runs_study ON ai_runs(study_uid, model_id);
    CREATE TABLE ai_findings (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES ai_runs(id),
        label TEXT NOT NULL,
        score REAL NOT NULL,
        flagged INTEGER NOT NULL,
        threshold REAL NOT NULL,
        slice_index INTEGER NOT NULL,
        slice_first INTEGER NOT NULL,
        slice_last INTEGER NOT NULL,
        source_sop_uid TEXT NOT NULL DEFAULT '',
        source_frame INTEGER,
        geometry TEXT NOT NULL,
        volume_ml REAL,
        diameter_mm REAL,
        frame TEXT NOT NULL,
        location_method TEXT NOT NULL,
        heatmap_blob TEXT
    );
    CREATE INDEX ai_findings_run ON ai_findings(run_id);
    CREATE TABLE ai_reviews (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES ai_findings(id),
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        comment TEXT NOT NULL DEFAULT '',
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL
    );
    CREATE INDEX ai_reviews_finding ON ai_reviews(finding_id)
    """,
    # v2: a run's heatmaps share one blob (heatmaps.encode_bundle); this is the position.
    """
    ALTER TABLE ai_findings ADD COLUMN heatmap_index INTEGER
    """,
    # v3: trigger 'demo' (runs made by the demo store builder). SQLite cannot change a
    # CHECK constraint, so the three tables are rebuilt with every row and id kept: new
    # tables referencing each other, copy, drop the old child-first (no foreign key ever
    # dangles), rename (SQLite rewrites the references to the new names), re-index.
    """
    CREATE TABLE ai_runs_v3 (
        id INTEGER PRIMARY KEY,
        run_uid TEXT NOT NULL UNIQUE,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        stack_index INTEGER NOT NULL DEFAULT 0,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        demo INTEGER NOT NULL,
        provider TEXT NOT NULL,
        heatmap_kind TEXT NOT NULL,
        timing TEXT NOT NULL,
        trigger TEXT NOT NULL DEFAULT 'manual'
            CHECK (trigger IN ('manual', 'import', 'demo')),
        user TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        n_findings INTEGER NOT NULL,
        n_flagged INTEGER NOT NULL
    );
    INSERT INTO ai_runs_v3(id, run_uid, study_uid, series_uid, stack_index, model_id,
        model_version, manifest_sha256, demo, provider, heatmap_kind, timing, trigger, user,
        started_at, finished_at, n_findings, n_flagged)
    SELECT id, run_uid, study_uid, series_uid, stack_index, model_id, model_version,
        manifest_sha256, demo, provider, heatmap_kind, timing, trigger, user, started_at,
        finished_at, n_findings, n_flagged FROM ai_runs;
    CREATE TABLE ai_findings_v3 (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES ai_runs_v3(id),
        label TEXT NOT NULL,
        score REAL NOT NULL,
        flagged INTEGER NOT NULL,
        threshold REAL NOT NULL,
        slice_index INTEGER NOT NULL,
        slice_first INTEGER NOT NULL,
        slice_last INTEGER NOT NULL,
        source_sop_uid TEXT NOT NULL DEFAULT '',
        source_frame INTEGER,
        geometry TEXT NOT NULL,
        volume_ml REAL,
        diameter_mm REAL,
        frame TEXT NOT NULL,
        location_method TEXT NOT NULL,
        heatmap_blob TEXT,
        heatmap_index INTEGER
    );
    INSERT INTO ai_findings_v3(id, run_id, label, score, flagged, threshold, slice_index,
        slice_first, slice_last, source_sop_uid, source_frame, geometry, volume_ml,
        diameter_mm, frame, location_method, heatmap_blob, heatmap_index)
    SELECT id, run_id, label, score, flagged, threshold, slice_index, slice_first,
        slice_last, source_sop_uid, source_frame, geometry, volume_ml, diameter_mm, frame,
        location_method, heatmap_blob, heatmap_index FROM ai_findings;
    CREATE TABLE ai_reviews_v3 (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES ai_findings_v3(id),
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        comment TEXT NOT NULL DEFAULT '',
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL
    );
    INSERT INTO ai_reviews_v3(id, finding_id, decision, comment, user, role, reviewed_at,
        model_id, model_version)
    SELECT id, finding_id, decision, comment, user, role, reviewed_at, model_id,
        model_version FROM ai_reviews;
    DROP TABLE ai_reviews;
    DROP TABLE ai_findings;
    DROP TABLE ai_runs;
    ALTER TABLE ai_runs_v3 RENAME TO ai_runs;
    ALTER TABLE ai_findings_v3 RENAME TO ai_findings;
    ALTER TABLE ai_reviews_v3 RENAME TO ai_reviews;
    CREATE INDEX ai_runs_study ON ai_runs(study_uid, model_id);
    CREATE INDEX ai_findings_run ON ai_findings(run_id);
    CREATE INDEX ai_reviews_finding ON ai_reviews(finding_id)
    """,
    # v4: the radiologist's own geometry (review_edits): decision 'modified' with the
    # reviewer's box in ai_reviews.geometry (the CHECK needs a rebuild, every row and id
    # kept), and ai_added_findings for findings the radiologist drew.
    """
    CREATE TABLE ai_reviews_r1 (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES ai_findings(id),
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'modified')),
        comment TEXT NOT NULL DEFAULT '',
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        geometry TEXT
    );
    INSERT INTO ai_reviews_r1(id, finding_id, decision, comment, user, role, reviewed_at,
        model_id, model_version)
    SELECT id, finding_id, decision, comment, user, role, reviewed_at, model_id,
        model_version FROM ai_reviews;
    DROP TABLE ai_reviews;
    ALTER TABLE ai_reviews_r1 RENAME TO ai_reviews;
    CREATE INDEX ai_reviews_finding ON ai_reviews(finding_id);
    CREATE TABLE ai_added_findings (
        id INTEGER PRIMARY KEY,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        stack_index INTEGER NOT NULL,
        label TEXT NOT NULL,
        slice_index INTEGER NOT NULL,
        source_sop_uid TEXT NOT NULL,
        source_frame INTEGER NOT NULL,
        geometry TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX ai_added_study ON ai_added_findings(study_uid)
    """,
]
