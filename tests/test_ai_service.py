"""Imaging AI through the services: DICOM in, findings stored, reviewed, audited; refusals store nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.encaps import encapsulate
from pydicom.uid import MPEG2MPML

from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import Cancelled, InvalidInput, ModelError, PermissionDenied
from clinic_app.services import Services, Session
from clinic_app.services.imaging_types import StudyFilter
from clinic_app.synthetic.dicom_series import Demographics, write_cr, write_ct_series
from clinic_app.synthetic.lesions import CtLesion, plant_ct_lesions
from tests.ai_support import STACK_LESION, classifier_model, manifest, threshold_model, two_stack_series
from tests.ai_support import package as write_test_package
from tests.conftest import PASSWORDS, StoreFixture

PIXEL = 1.5
SPACING = 2.5
ORIGIN = (-120.0, -110.0, -300.0)
# Only planted lesions (2000 HU) pass this window+threshold; cortical bone (1000 HU) does not.
BRIGHT = {"inputs__image__preprocessing__window": {"center": 1000, "width": 1000}}
LESIONS = [CtLesion((6.0, 40.0, 50.0), (4.0, 4.0, 4.0), 2000.0),
           CtLesion((15.0, 100.0, 110.0), (5.0, 5.0, 5.0), 2000.0)]


@dataclass
class AI:
    services: Services
    site: Path
    root: Path

    def login(self, name: str = "rad") -> Session:
        return self.services.auth.login(name, PASSWORDS[name])

    def install(self, pid: str, model: bytes, **changes: object) -> None:
        write_test_package(self.site / pid, model, manifest(id=pid, **changes))


@pytest.fixture
def ai(store: StoreFixture, tmp_path: Path) -> Iterator[AI]:
    """Services over the test store with a site models folder that accepts unsigned packages."""
    site = tmp_path / "site-models"
    site.mkdir()
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True),
                        clock=store.clock)
    yield AI(services, site, store.root)
    services.close()


def ct_study(folder: Path, *, slices: int = 20, lesions=LESIONS, seed: int = 7,
             orientation: tuple[float, ...] | None = None) -> tuple[str, dict[int, tuple]]:
    """A phantom CT series with bright lesions; returns the study UID and, per stack index,
    (SOP UID, IPP, IOP) read back from the files written."""
    written = write_ct_series(folder, slices=slices, rows=160, cols=160, pixel_mm=PIXEL,
                              spacing_mm=SPACING, origin=ORIGIN, seed=seed)
    plant_ct_lesions(written.paths, lesions, np.random.default_rng(seed))
    if orientation is not None:
        _reorient(written.paths, orientation)
    tags = {}
    for path in written.paths:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        ipp = np.array(ds.ImagePositionPatient, dtype=float)
        iop = np.array(ds.ImageOrientationPatient, dtype=float)
        normal = np.cross(iop[:3], iop[3:])
        tags[float(np.dot(ipp, normal))] = (ds.SOPInstanceUID, ipp, iop)
    by_index = {k: tags[key] for k, key in enumerate(sorted(tags))}
    return written.study_uid, by_index


def _reorient(paths: list[Path], orientation: tuple[float, ...]) -> None:
    """Relabel an axial series with another orientation, slices stepping along its normal."""
    row, col = np.array(orientation[:3]), np.array(orientation[3:])
    normal = np.cross(row, col)
    for path in paths:
        ds = pydicom.dcmread(path)
        k = round((float(ds.ImagePositionPatient[2]) - ORIGIN[2]) / SPACING)
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in orientation]
        ds.ImagePositionPatient = [f"{v:.4f}" for v in np.array(ORIGIN) + k * SPACING * normal]
        ds.save_as(path, enforce_file_format=True)


def expected_lps(tags: dict[int, tuple], k: float, j: float, i: float) -> np.ndarray:
    """Patient position of voxel (k, j, i) from the DICOM tags: IPP + i·Δc·row + j·Δr·col."""
    _sop, ipp, iop = tags[int(k)]
    return ipp + i * PIXEL * iop[:3] + j * PIXEL * iop[3:]


def imported(ai: AI, sess: Session, folder: Path) -> None:
    report = ai.services.imaging.import_dicom(sess, [folder])
    assert report.imported > 0, report.skipped


def _count_blobs(root: Path) -> int:
    return sum(1 for p in (root / "blobs").rglob("*") if p.is_file()) if (root / "blobs").exists() else 0


def _runs(sess: Session) -> int:
    assert sess.clinical is not None
    return int(sess.clinical.query_one("SELECT COUNT(*) AS n FROM ai_runs")["n"])


def _analysis_audit(ai: AI) -> list:
    admin = ai.services.auth.login("admin", PASSWORDS["admin"])
    return [e for e in ai.services.audit.entries(admin, AuditFilter()) if e.action == "analysis.run"]


# -- known lesions, checked against the DICOM geometry -------------------------------------------
@pytest.mark.parametrize("orientation", [None, (1.0, 0.0, 0.0, 0.0, 0.0, -1.0)],
                         ids=["axial", "coronal"])
def test_planted_lesions_are_found_on_their_slices_at_their_dicom_positions(ai: AI, tmp_path: Path,
                                                                          orientation):
    """Each planted lesion gives one flagged finding on its slice, centred where IPP/IOP put it."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, tags = ct_study(tmp_path / "ct", orientation=orientation)
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    (run,) = ai.services.analysis.analyze(sess, study, "bright")
    assert run.provider == "CPUExecutionProvider" and run.model_id == "bright"
    flagged = [f for f in run.findings if f.flagged]
    assert len(flagged) == 2
    for lesion in LESIONS:
        k, j, i = lesion.centre
        f = min(flagged, key=lambda f: abs(f.slice_index - k))
        assert f.slice_index == k
        assert f.source_sop_uid == tags[int(k)][0]
        assert np.allclose(f.center_mm, expected_lps(tags, k, j, i), atol=0.3)
        box = f.bbox_px
        assert box is not None and box.rows[0] < j < box.rows[1] and box.cols[0] < i < box.cols[1]
        assert f.volume_ml == pytest.approx(4 / 3 * np.pi * lesion.radii_mm[0] ** 3 / 1000, rel=0.5)
        assert f.frame == "LPS" and f.has_heatmap and f.review_status == "unreviewed"
    hm = ai.services.analysis.heatmap(sess, flagged[0].id)
    assert hm.kind == "segmentation-probability" and hm.values().max() > 0.9


def test_model_for_axial_series_refuses_a_coronal_one_with_the_reason(ai: AI, tmp_path: Path):
    """An axial-only model names the coronal series and stores nothing."""
    ai.install("axial-only", threshold_model(level=0.85), **BRIGHT,
               inputs__image__series_selection={"modality": ["CT"], "orientation": "axial"})
    study, _ = ct_study(tmp_path / "ct", orientation=(1.0, 0.0, 0.0, 0.0, 0.0, -1.0))
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    with pytest.raises(InvalidInput, match="series 2: coronal slices, the model needs axial"):
        ai.services.analysis.analyze(sess, study, "axial-only")
    assert _runs(sess) == 0


def test_radiograph_classifier_reports_a_located_flagged_finding(ai: AI, tmp_path: Path):
    """A MONOCHROME1 CR is inverted before the model; the CAM locates the bright disc."""
    ai.install("cr-test", classifier_model(), task="image-classification",
               inputs__tensors=[{"name": "image", "dtype": "float32", "shape": ["N", 1, 64, 64]}],
               inputs__image__series_selection={"modality": ["CR"]},
               inputs__image__preprocessing={"size": [64, 64], "window": {"center": 2048, "width": 4096},
                                             "normalisation": {"method": "none"},
                                             "channel_layout": "NCHW"},
               outputs__tensors=[{"name": "prob", "dtype": "float32", "shape": ["N", 1]},
                                 {"name": "cam", "dtype": "float32", "shape": ["N", 1, 64, 64]}],
               outputs__heatmap="cam")
    written = write_cr(tmp_path / "cr" / "cr.dcm", rows=256, cols=256, photometric="MONOCHROME1")
    ds = pydicom.dcmread(written.paths[0])
    pixels = np.full((256, 256), 4000, dtype=np.uint16)  # MONOCHROME1: high = dark
    pixels[150:190, 60:100] = 300  # a bright opacity once inverted
    ds.PixelData = pixels.tobytes()
    ds.save_as(written.paths[0], enforce_file_format=True)
    sess = ai.login()
    imported(ai, sess, tmp_path / "cr")
    (run,) = ai.services.analysis.analyze(sess, written.study_uid, "cr-test")
    (finding,) = run.findings
    assert finding.flagged and finding.location_method == "class-activation-map"
    box = finding.bbox_px
    assert box is not None and 140 <= box.rows[0] <= 155 and 185 <= box.rows[1] <= 200
    assert 50 <= box.cols[0] <= 65 and 95 <= box.cols[1] <= 110
    assert finding.frame == "image" and finding.volume_ml is None
    assert ai.services.analysis.heatmap(sess, finding.id).kind == "class-activation-map"


# -- refusals and cancel store nothing ---------------------------------------------------------
def test_cancel_stores_nothing_and_is_audited(ai: AI, tmp_path: Path):
    """Cancelling mid-run leaves no run, no finding and no heatmap blob; the audit says so."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct")
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    blobs_before = _count_blobs(ai.root)
    token = CancelToken()

    def progress(done: int, total: int, message: str = "") -> None:
        if "analysing" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        ai.services.analysis.analyze(sess, study, "bright", progress, token)
    assert _runs(sess) == 0 and _count_blobs(ai.root) == blobs_before
    last = _analysis_audit(ai)[-1]
    assert last.outcome == 4 and last.detail["result"] == "cancelled"


def test_study_without_a_matching_series_is_refused_with_reasons(ai: AI, tmp_path: Path):
    """Too few slices for the model: a clear refusal naming the series, nothing stored."""
    ai.install("needs-30", threshold_model(), **BRIGHT,
               inputs__image__series_selection={"modality": ["CT"], "min_slices": 30})
    study, _ = ct_study(tmp_path / "ct", slices=12, lesions=[])
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    with pytest.raises(InvalidInput, match=r"series 2: 12 slice\(s\), the model needs at least 30"):
        ai.services.analysis.analyze(sess, study, "needs-30")
    assert _runs(sess) == 0


def test_image_beyond_the_manifest_limits_is_refused_before_decoding(ai: AI, tmp_path: Path):
    """A slice larger than the model's limit is refused from the index alone (no pixels read)."""
    ai.install("small-only", threshold_model(), **BRIGHT,
               inputs__image__limits={"max_slice_pixels": 128 * 128})
    study, _ = ct_study(tmp_path / "ct", slices=6, lesions=[])
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    with pytest.raises(InvalidInput, match="160×160 pixels per image, beyond the model's limit"):
        ai.services.analysis.analyze(sess, study, "small-only")
    admin = ai.services.auth.login("admin", PASSWORDS["admin"])
    assert not [e for e in ai.services.audit.entries(admin, AuditFilter()) if e.action == "series.load"]


def test_undecodable_pixels_are_refused(ai: AI, tmp_path: Path):
    """A series whose transfer syntax cannot be decoded is refused with the reason."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct", slices=6, lesions=[])
    for path in sorted((tmp_path / "ct").glob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds.file_meta.TransferSyntaxUID = MPEG2MPML  # video: no decoder for a still image
        ds.PixelData = encapsulate([b"\x00\x00\x01\xb3" + b"\x00" * 60])
        ds.save_as(path)
    sess = ai.login()
    ai.services.imaging.import_dicom(sess, [tmp_path / "ct"])
    with pytest.raises(InvalidInput, match="cannot be decoded"):
        ai.services.analysis.analyze(sess, study, "bright")
    assert _runs(sess) == 0


def test_model_output_shape_differing_from_its_manifest_stores_nothing(ai: AI, tmp_path: Path):
    """A model whose output is half the size its manifest declares is refused; nothing kept."""
    ai.install("shrinks", threshold_model(downsample=True), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct", slices=6)
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    blobs_before = _count_blobs(ai.root)
    with pytest.raises(ModelError, match="does not match its manifest"):
        ai.services.analysis.analyze(sess, study, "shrinks")
    assert _runs(sess) == 0 and _count_blobs(ai.root) == blobs_before
    assert _analysis_audit(ai)[-1].detail["result"] == "model-error"


# -- review, status, permissions, audit ----------------------------------------------------------
def test_review_is_signed_and_drives_the_worklist_status(ai: AI, tmp_path: Path, store: StoreFixture):
    """not analysed → running → flagged → reviewed; the review names user, time, model version."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct")
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    analysis = ai.services.analysis
    assert analysis.study_status(sess, [study]) == {study: "not analysed"}
    seen: list[str] = []

    def progress(done: int, total: int, message: str = "") -> None:
        if not seen:
            seen.append(analysis.study_status(sess, [study])[study])

    (run,) = analysis.analyze(sess, study, "bright", progress)
    assert seen == ["running"]
    assert analysis.study_status(sess, [study]) == {study: "flagged"}
    for f in run.findings:
        if f.flagged:
            reviewed = analysis.review(sess, f.id, "accepted" if f.slice_index < 10 else "rejected",
                                       "seen on the source images")
            assert reviewed.review.user == "rad" and reviewed.review.model_version == "1.0.0"
            assert reviewed.review.reviewed_at.startswith("2026-01-05T09:00")
    assert analysis.study_status(sess, [study]) == {study: "reviewed"}
    phys = ai.login("phys")
    assert {f.review_status for f in analysis.findings(phys, study) if f.flagged} == {"accepted", "rejected"}
    with pytest.raises(PermissionDenied):
        analysis.review(phys, run.findings[0].id, "rejected")
    with pytest.raises(PermissionDenied):
        analysis.analyze(phys, study, "bright")
    with pytest.raises(PermissionDenied):
        analysis.findings(ai.services.auth.login("admin", PASSWORDS["admin"]), study)
    with pytest.raises(InvalidInput):
        analysis.review(sess, run.findings[0].id, "maybe")


def test_every_run_is_audited_without_phi(ai: AI, tmp_path: Path):
    """Runs and refusals are audited with model, version and provider; no patient id in detail."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct", slices=8, lesions=[])
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    ai.services.analysis.analyze(sess, study, "bright")
    with pytest.raises(InvalidInput):
        ai.services.analysis.analyze(sess, study, "not-installed")
    entries = _analysis_audit(ai)
    ok = [e for e in entries if e.outcome == 0]
    assert ok and ok[-1].detail["model"] == "bright" and ok[-1].detail["provider"] == "CPUExecutionProvider"
    assert entries[-1].outcome == 4
    text = json.dumps([e.detail for e in entries]) + "".join(e.object for e in entries)
    assert "SYN0001" not in text and study not in text
    assert all(e.study and e.study != study for e in entries)


def test_auto_analysis_on_import_runs_applicable_models(store: StoreFixture, tmp_path: Path):
    """With auto_analyze_on_import, importing a study stores a run triggered by the import."""
    site = tmp_path / "site"
    write_test_package(site / "bright", threshold_model(level=0.85), manifest(id="bright", **BRIGHT))
    services = Services(store.settings(models_dir=site, allow_unsigned_models=True,
                                       auto_analyze_on_import=True), clock=store.clock)
    try:
        study, _ = ct_study(tmp_path / "ct", slices=8, lesions=LESIONS[:1])
        sess = services.auth.login("rad", PASSWORDS["rad"])
        services.imaging.import_dicom(sess, [tmp_path / "ct"])
        assert sess.clinical is not None
        runs = sess.clinical.query("SELECT model_id, trigger FROM ai_runs")
        # Every applicable model runs: the test model and the shipped CT demo model.
        assert {(r["model_id"], r["trigger"]) for r in runs} == {
            ("bright", "import"), ("ct-hyperdense-lesion-demo", "import")}
        assert services.analysis.study_status(sess, [study])[study] == "flagged"
    finally:
        services.close()


# -- findings on the right stack of a series that splits into stacks -----------------------------
#: Selects only 1–1.6 mm pixels, so the 2 mm stack of the two-stack series is refused.
FINE_PIXELS = {**BRIGHT, "inputs__image__series_selection__pixel_spacing_mm": [1.0, 1.6]}


def test_a_finding_on_the_second_stack_records_and_reports_that_stack(ai: AI, tmp_path: Path):
    """A model that can read only stack 2 of a split series stores its findings against
    stack 2: the stack index, the slice and its SOP UID name the lesion's image there."""
    ai.install("bright", threshold_model(level=0.85), **FINE_PIXELS)
    study, series, sops = two_stack_series(tmp_path / "ct", pixel_mm=PIXEL, spacing_mm=SPACING,
                                           origin=ORIGIN)
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    stacks = ai.services.imaging.show_study(sess, study).series[0].stacks
    assert [s.dimensions[0] for s in stacks] == [24, 16]
    (run,) = ai.services.analysis.analyze(sess, study, "bright")
    (found,) = [f for f in run.findings if f.flagged]
    assert found.stack_index == 1 and found.slice_index == STACK_LESION.centre[0]
    assert found.source_sop_uid == sops[6] and found.location_note == ""
    listed = ai.services.analysis.findings(sess, study)
    assert [f.stack_index for f in listed if f.flagged] == [1]
    assert found.as_json()["stack_index"] == 1 and found.as_json()["location_note"] is None
    # The stack and slice the finding names hold its image, and the lesion is there.
    volume = ai.services.imaging.load_series_volume(sess, series, stack=found.stack_index)
    assert volume.slice_refs[found.slice_index] == (found.source_sop_uid, 1)
    i, j, _k = (round(v) for v in found.center_px)
    assert volume.voxels[found.slice_index, j, i] > 1500


def test_images_added_later_do_not_move_a_finding_off_its_image(ai: AI, tmp_path: Path):
    """Importing more images into the series after the analysis renumbers its stacks and
    shifts the slices of the analysed one; the finding (and its heat map) follows its
    source image and says so."""
    ai.install("bright", threshold_model(level=0.85), **FINE_PIXELS)
    study, series, sops = two_stack_series(tmp_path / "ct", pixel_mm=PIXEL, spacing_mm=SPACING,
                                           origin=ORIGIN)
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    (run,) = ai.services.analysis.analyze(sess, study, "bright")
    (before,) = [f for f in run.findings if f.flagged]
    heat_before = ai.services.analysis.heatmap(sess, before.id)
    # Four slices below the analysed stack (same acquisition, same grid) and a larger
    # third stack (1 mm pixels, 30 slices) that now sorts first.
    write_ct_series(tmp_path / "more" / "below", slices=4, rows=160, cols=160, pixel_mm=PIXEL,
                    spacing_mm=SPACING, origin=(ORIGIN[0], ORIGIN[1], ORIGIN[2] - 4 * SPACING),
                    seed=23, acquisition=2, study_uid=study, series_uid=series)
    write_ct_series(tmp_path / "more" / "big", slices=30, rows=64, cols=64, pixel_mm=1.0,
                    spacing_mm=SPACING, origin=ORIGIN, seed=24, acquisition=3,
                    study_uid=study, series_uid=series)
    imported(ai, sess, tmp_path / "more")
    stacks = ai.services.imaging.show_study(sess, study).series[0].stacks
    assert [s.dimensions[0] for s in stacks] == [30, 24, 20]
    (after,) = [f for f in ai.services.analysis.findings(sess, study) if f.flagged]
    assert (after.id, after.stack_index, after.slice_index) == (before.id, 2, before.slice_index + 4)
    assert after.slice_range == (before.slice_range[0] + 4, before.slice_range[1] + 4)
    assert after.bbox_px is not None and before.bbox_px is not None and after.bbox_px.slices is not None
    assert before.bbox_px.slices is not None
    assert after.bbox_px.slices == (before.bbox_px.slices[0] + 4, before.bbox_px.slices[1] + 4)
    assert after.center_mm == before.center_mm
    assert "added to this series after the analysis" in after.location_note
    volume = ai.services.imaging.load_series_volume(sess, series, stack=2)
    assert volume.slice_refs[after.slice_index] == (sops[6], 1)
    i, j, _k = (round(v) for v in after.center_px)
    assert volume.voxels[after.slice_index, j, i] > 1500
    heat_after = ai.services.analysis.heatmap(sess, after.id)
    assert heat_after.origin == (heat_before.origin[0] + 4, *heat_before.origin[1:])


# -- audit volume of the worklist ----------------------------------------------------------------
def test_worklist_of_many_studies_is_one_audit_entry(ai: AI, tmp_path: Path):
    """Listing N studies with their AI status writes exactly one audit entry (a listing,
    naming no study); a batch status read of N studies is one entry too."""
    sess = ai.login()
    uids = []
    for n in range(4):
        written = write_ct_series(tmp_path / f"ct{n}", slices=2, rows=32, cols=32, seed=40 + n,
                                  demographics=Demographics(f"MRN-{n}", f"P^{n}", "1960-01-01", "F"))
        uids.append(written.study_uid)
    imported(ai, sess, tmp_path)
    admin = ai.services.auth.login("admin", PASSWORDS["admin"])

    def entries() -> list:
        return ai.services.audit.entries(admin, AuditFilter(user="rad"))

    before = len(entries())
    rows = ai.services.analysis.worklist(sess)
    after = entries()[before:]
    assert sorted(r.study.study_uid for r in rows) == sorted(uids)
    assert {r.ai_status for r in rows} == {"not analysed"}
    assert [(e.action, e.detail, e.study, e.patient) for e in after] == [
        ("studies.list", {"studies": 4, "ai_status": True}, "", "")]
    before = len(entries())
    assert set(ai.services.analysis.study_status(sess, uids).values()) == {"not analysed"}
    assert [e.action for e in entries()[before:]] == ["findings.status"]
    # Filters narrow the list like imaging.list_studies does.
    only = ai.services.analysis.worklist(sess, StudyFilter(patient_id="MRN-2"))
    assert [r.study.study_uid for r in only] == [uids[2]]


# -- what started a run ----------------------------------------------------------------------------
def test_findings_store_upgrades_to_the_demo_trigger_keeping_every_row(tmp_path: Path):
    """Findings schema v2 → v3 rebuilds the tables for the 'demo' trigger: runs, findings and
    reviews keep their ids and links; unknown triggers and dangling references stay refused."""
    from clinic_app.core.inference import finding_store
    from clinic_app.core.store.database import Database, migrate

    db = Database(tmp_path / "c.db", bytes(range(32)), create=True)
    migrate(db, "findings", finding_store.MIGRATIONS[:2])
    with db.transaction():
        run = db.execute(
            "INSERT INTO ai_runs(run_uid, study_uid, series_uid, stack_index, model_id, model_version, "
            "manifest_sha256, demo, provider, heatmap_kind, timing, trigger, user, started_at, "
            "finished_at, n_findings, n_flagged) VALUES ('r1', '1.2', '1.3', 1, 'm', '1.0.0', 'h', 1, "
            "'CPUExecutionProvider', 'segmentation-probability', '{}', 'import', 'rad', 't0', 't1', 1, 1)")
        found = db.execute(
            "INSERT INTO ai_findings(run_id, label, score, flagged, threshold, slice_index, slice_first, "
            "slice_last, source_sop_uid, source_frame, geometry, frame, location_method, heatmap_blob, "
            "heatmap_index) VALUES (?, 'x', 0.9, 1, 0.5, 3, 2, 4, '1.4', 1, '{}', 'LPS', 'segmentation', "
            "'b', 0)", (run,))
        finding_store.add_review(db, found, finding_store.Review(
            "accepted", "ok", "rad", "radiologist", "t2", "m", "1.0.0"))
    assert migrate(db, "findings", finding_store.MIGRATIONS) == len(finding_store.MIGRATIONS)
    (old,) = finding_store.current_findings(db, "1.2")
    assert (old.id, old.run_uid, old.stack_index, old.trigger, old.run_by) == (found, "r1", 1, "import", "rad")
    assert old.review is not None and old.review.comment == "ok"
    assert finding_store.heatmap_location(db, found) == ("b", 0)
    assert db.query("PRAGMA foreign_key_check") == []
    with db.transaction():
        db.execute("UPDATE ai_runs SET trigger = 'demo'")
    with pytest.raises(Exception, match="CHECK"):
        db.execute("UPDATE ai_runs SET trigger = 'batch'")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.execute("INSERT INTO ai_reviews(finding_id, decision, user, role, reviewed_at, model_id, "
                   "model_version) VALUES (999, 'accepted', 'rad', 'radiologist', 't', 'm', '1')")
    db.close()


def test_an_unknown_trigger_is_refused_before_anything_runs(ai: AI, tmp_path: Path):
    """analyze() takes only the documented triggers; the stored run names the one given."""
    ai.install("bright", threshold_model(level=0.85), **BRIGHT)
    study, _ = ct_study(tmp_path / "ct", slices=8, lesions=LESIONS[:1])
    sess = ai.login()
    imported(ai, sess, tmp_path / "ct")
    with pytest.raises(InvalidInput, match="trigger"):
        ai.services.analysis.analyze(sess, study, "bright", trigger="batch")
    assert _runs(sess) == 0
    (run,) = ai.services.analysis.analyze(sess, study, "bright", trigger="demo")
    assert {(f.trigger, f.run_by) for f in run.findings} == {("demo", "rad")}
    assert run.findings[0].as_json()["trigger"] == "demo"
