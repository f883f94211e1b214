"""Modify a finding's box and add a missed finding: stored (schema v4), validated, audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import InvalidInput, PermissionDenied
from tests.conftest import PASSWORDS
from tests.results_support import (
    Analysed,
    analysed_study,  # noqa: F401 - the "study" fixture
)


def test_schema_v4_keeps_reviews_and_admits_modified(tmp_path: Path):
    """Upgrading v3 → v4 keeps every review row and id; 'modified' is then accepted, junk is not."""
    from clinic_app.core.inference import finding_store
    from clinic_app.core.store.database import Database, migrate

    db = Database(tmp_path / "c.db", bytes(range(32)), create=True)
    migrate(db, "findings", finding_store.MIGRATIONS[:3])
    with db.transaction():
        run = db.insert(
            "INSERT INTO ai_runs(run_uid, study_uid, series_uid, model_id, model_version, "
            "manifest_sha256, demo, provider, heatmap_kind, timing, user, started_at, finished_at, "
            "n_findings, n_flagged) VALUES ('r1','1.2','1.3','m','1','h',1,'cpu','x','{}','rad',"
            "'t0','t1',1,1)")
        found = db.insert(
            "INSERT INTO ai_findings(run_id, label, score, flagged, threshold, slice_index, "
            "slice_first, slice_last, geometry, frame, location_method) VALUES "
            "(?, 'x', 0.9, 1, 0.5, 3, 2, 4, '{}', 'LPS', 'segmentation')", (run,))
        review = db.insert("INSERT INTO ai_reviews(finding_id, decision, comment, user, role, "
                           "reviewed_at, model_id, model_version) VALUES "
                           "(?, 'rejected', 'no', 'rad', 'radiologist', 't2', 'm', '1')", (found,))
    migrate(db, "findings", finding_store.MIGRATIONS)
    row = db.query_one("SELECT * FROM ai_reviews WHERE id = ?", (review,))
    assert (row["decision"], row["comment"], row["geometry"]) == ("rejected", "no", None)
    with db.transaction():
        db.execute("INSERT INTO ai_reviews(finding_id, decision, user, role, reviewed_at, "
                   "model_id, model_version, geometry) VALUES (?, 'modified', 'rad', "
                   "'radiologist', 't3', 'm', '1', '{}')", (found,))
    with pytest.raises(Exception, match="CHECK"):
        db.execute("INSERT INTO ai_reviews(finding_id, decision, user, role, reviewed_at, "
                   "model_id, model_version) VALUES (?, 'maybe', 'rad', 'r', 't', 'm', '1')",
                   (found,))
    db.close()


def test_modify_stores_the_box_on_its_source_image_and_audits(study: Analysed):
    """The new box is kept with the slice's SOP UID; status 'modified'; one audit entry."""
    sess = study.login()
    finding = next(f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged)
    updated = study.services.review_edits.modify(sess, finding.id, (60, 40), (30, 50),
                                                 comment="smaller")
    assert updated.review_status == "modified"
    revised = updated.review.revised
    assert (revised.cols, revised.rows, revised.slice_index) == ((40, 60), (30, 50),
                                                                 finding.slice_index)
    assert revised.source_sop_uid == finding.source_sop_uid
    assert updated.as_json()["review"]["revised"]["bbox_px"]["col"] == [40, 60]
    admin = study.services.auth.login("admin", PASSWORDS["admin"])
    entries = [e for e in study.services.audit.entries(admin, AuditFilter())
               if e.action == "findings.review" and e.detail.get("decision") == "modified"]
    assert len(entries) == 1


@pytest.mark.parametrize("cols, rows, slice_index, message", [
    ((0, 200), (0, 10), None, "leaves the image"),
    ((-1, 10), (0, 10), None, "leaves the image"),
    ((0, 10), (0, 10), 99, "slice 99 does not exist"),
])
def test_modify_refuses_boxes_off_the_image(study: Analysed, cols, rows, slice_index, message):
    """A box outside the image or on a slice that does not exist is refused, nothing stored."""
    sess = study.login()
    finding = next(f for f in study.services.analysis.findings(sess, study.study_uid) if f.flagged)
    with pytest.raises(InvalidInput, match=message):
        study.services.review_edits.modify(sess, finding.id, cols, rows, slice_index=slice_index)
    again = next(f for f in study.services.analysis.findings(sess, study.study_uid)
                 if f.id == finding.id)
    assert again.review is None


def test_add_finding_is_listed_and_physicians_cannot_add(study: Analysed):
    """A radiologist's added finding is listed with its image; a physician is refused."""
    sess = study.login()
    added = study.services.review_edits.add_finding(sess, study.study_uid, study.series_uid,
                                                    "pulmonary nodule", 2, (5, 9), (6, 8))
    (listed,) = study.services.review_edits.added_findings(study.login("phys"), study.study_uid)
    assert listed == added and listed.placement.slice_index == 2
    assert listed.as_json()["review_status"] == "added"
    with pytest.raises(PermissionDenied):
        study.services.review_edits.add_finding(study.login("phys"), study.study_uid,
                                                study.series_uid, "x", 2, (5, 9), (6, 8))
    with pytest.raises(InvalidInput, match="not part of this study"):
        study.services.review_edits.add_finding(sess, "1.2.3", study.series_uid, "x", 2,
                                                (5, 9), (6, 8))
    with pytest.raises(InvalidInput, match="Name the finding"):
        study.services.review_edits.add_finding(sess, study.study_uid, study.series_uid, "  ",
                                                2, (5, 9), (6, 8))
