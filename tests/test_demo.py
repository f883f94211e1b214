"""The demo store: users who can sign in at once, linked synthetic records and images, AI results."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.config import Settings
from clinic_app.core.security.roles import Role
from clinic_app.demo import DEMO_USERS, MARKER, SMALL_PLAN, build_demo, is_demo_store
from clinic_app.errors import PermissionDenied
from clinic_app.services import Services


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo store (a CT with two lesions, a CR with a nodule) for the module."""
    root = tmp_path_factory.mktemp("demo") / "store"
    result = build_demo(Settings(store_dir=root, log_dir=root.parent / "logs"), SMALL_PLAN,
                        report=lambda _text: None)
    assert result.built and result.flagged == 3
    return root


def services_for(root: Path) -> Services:
    return Services(Settings(store_dir=root, log_dir=root.parent / "logs"))


def test_every_demo_user_signs_in_with_the_printed_password_and_no_forced_change(demo_store):
    """Each role's demo account opens with its documented password; nobody must change it."""
    services = services_for(demo_store)
    try:
        for user in DEMO_USERS:
            session = services.auth.login(user.username, user.password)
            assert session.role is user.role
            assert not session.must_change_password
            assert session.has_clinical_key == (user.role is not Role.ADMIN)
            services.auth.logout(session)
    finally:
        services.close()


def test_the_radiologist_finds_flagged_studies_with_their_findings(demo_store):
    """CT and CR studies exist for cohort patients, analysed by the shipped demo models."""
    services = services_for(demo_store)
    try:
        rad = services.auth.login("radiologist", "demo-radiologist-1")
        studies = services.imaging.list_studies(rad)
        assert sorted(m for s in studies for m in s.modalities) == ["CR", "CT"]
        status = services.analysis.study_status(rad, [s.study_uid for s in studies])
        assert set(status.values()) == {"flagged"}
        ct = next(s for s in studies if s.modalities == ("CT",))
        findings = services.analysis.findings(rad, ct.study_uid)
        flagged = [f for f in findings if f.flagged]
        assert len(flagged) == 2
        assert {f.model_id for f in flagged} == {"ct-hyperdense-lesion-demo"} and all(f.demo for f in flagged)
        # on the slices where the lesions were planted (centres k = 12 and 36; the reported
        # slice is where the finding is largest, so ±1 for a sphere centred between slices)
        found, planted = sorted(f.slice_index for f in flagged), [12, 36]
        assert all(abs(a - b) <= 1 for a, b in zip(found, planted, strict=True))
        assert all(f.has_heatmap for f in flagged)
        # Recorded as the demo builder's runs, not as analyses a radiologist asked for.
        assert rad.clinical is not None
        assert {r["trigger"] for r in rad.clinical.query("SELECT trigger FROM ai_runs")} == {"demo"}
        assert {f.trigger for f in findings} == {"demo"}
    finally:
        services.close()


def test_the_images_belong_to_patients_with_records(demo_store):
    """Every study's PatientID is a cohort MRN the physician sees with records."""
    services = services_for(demo_store)
    try:
        rad = services.auth.login("radiologist", "demo-radiologist-1")
        mrns = {s.patient_id for s in services.imaging.list_studies(rad)}
        phys = services.auth.login("physician", "demo-physician-1")
        patients = services.records.list_patients(phys)
        assert len(patients) == SMALL_PLAN.patients
        assert mrns <= {p.mrn for p in patients}
        assert all(p.observations > 0 for p in patients)
        assert sum(p.studies for p in patients) == len(SMALL_PLAN.studies)  # linked by MRN + issuer
        with pytest.raises(PermissionDenied):  # demo data follow the same rules as real data
            services.analysis.review(phys, services.analysis.findings(phys, next(iter(
                s.study_uid for s in services.imaging.list_studies(phys))))[0].id, "accepted")
    finally:
        services.close()


def test_an_existing_demo_store_is_reused_and_a_foreign_folder_refused(demo_store, tmp_path):
    """`demo --no-gui` on an existing demo says so and prints the logins; a non-demo folder is left alone."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["demo", "--store", str(demo_store), "--no-gui"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "already exists" in text
    for user in DEMO_USERS:
        assert user.username in text and user.password in text
    assert is_demo_store(demo_store)
    foreign = tmp_path / "real-store"
    foreign.mkdir()
    (foreign / "clinical.db").write_bytes(b"not a demo")
    code = main(["--store", str(foreign), "demo", "--no-gui"], stdout=io.StringIO(), stderr=err)
    assert code != 0 and "not a demo store" in err.getvalue()
    assert (foreign / "clinical.db").read_bytes() == b"not a demo"
    assert not (foreign / MARKER).exists()


@pytest.mark.slow
def test_the_readme_demo_command_builds_the_full_demo_from_a_subprocess(tmp_path):
    """`clinic-app demo --no-gui` (the README's run command, without a display) builds the full demo."""
    store = tmp_path / "demo"
    env = {"CLINIC_APP_SITE_CONFIG": "/dev/null", "CLINIC_APP_USER_CONFIG": "/dev/null",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "clinic_app", "demo", "--store", str(store), "--no-gui"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "5 flagged AI finding(s)" in result.stdout
    assert json.loads((store / MARKER).read_text())["demo"] is True


def test_the_physician_sees_the_ai_status_of_a_patients_linked_studies(demo_store):
    """The physician's chart shows the linked studies' real states, all under one audit entry."""
    services = services_for(demo_store)
    try:
        rad = services.auth.login("radiologist", "demo-radiologist-1")
        mrn = services.imaging.list_studies(rad)[0].patient_id
        services.auth.logout(rad)
        phys = services.auth.login("physician", "demo-physician-1")
        assert phys.audit is not None
        before = phys.audit.head()
        chart = services.patient_chart.open(phys, mrn)
        assert chart.view.studies
        statuses = chart.study_states
        assert set(statuses) == {s.study_uid for s in chart.view.studies}
        assert set(statuses.values()) <= {"not analysed", "flagged", "no findings", "reviewed", "running"}
        entries = [e for e in phys.audit.entries() if before is not None and e.seq > before[0]]
        assert [e.action for e in entries] == ["patient.open"]
        with pytest.raises(TypeError, match="sequence of study UIDs"):
            services.analysis.study_status(phys, chart.view.studies[0].study_uid)
    finally:
        services.close()


def test_a_complete_demo_store_has_no_orphan_blobs(demo_store):
    """Every blob the demo wrote (images, heat maps) is named by a *blob / *blob_id column.

    Blob collection finds references by that naming rule (core/store/blob_gc.py); a table that
    stored blob ids under another name would make its blobs look orphaned here.
    """
    services = services_for(demo_store)
    try:
        user = next(u for u in DEMO_USERS if u.role is Role.RADIOLOGIST)
        session = services.auth.login(user.username, user.password)
        report = services.store_admin.gc(session, dry_run=True)
        assert report.blob_files > 0
        assert (report.orphans, report.temp_files) == (0, 0)
    finally:
        services.close()


def test_demo_studies_are_dated_from_the_day_the_demo_is_built(demo_store):
    """Every demo study lies within the month before the build (records are dated from it too)."""
    from datetime import date, timedelta

    services = services_for(demo_store)
    try:
        session = services.auth.login("radiologist", "demo-radiologist-1")
        today = services.clock().date()
        dates = [date.fromisoformat(s.study_date) for s in services.imaging.list_studies(session)]
        assert dates and all(today - timedelta(days=31) <= d < today for d in dates)
    finally:
        services.close()


def test_the_full_plan_has_a_prior_ct_within_a_year():
    """The README demo gives the first patient's CT a prior ten months earlier, for side by side."""
    from clinic_app.demo import DEMO_STUDIES

    cts = [s for s in DEMO_STUDIES if s.patient == 0 and s.modality == "CT"]
    assert sorted(s.days_ago for s in cts) == [2, 300]


@pytest.mark.parametrize(("env", "platform", "needs"), [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux", True),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_demo_says_up_front_when_there_is_no_display(env, platform, needs):
    """No X/Wayland display on Linux, or a headless Qt platform, is named before building."""
    from clinic_app.cli.demo import missing_display

    assert (missing_display(env, platform) is not None) is needs


def test_most_demo_patients_have_what_the_ascvd_equations_need():
    """At least 10 of the 12 demo patients have race, HDL and total cholesterol (24 months),
    a blood pressure (12 months) and smoking status on file, so most get a PCE score."""
    from datetime import UTC, datetime

    from clinic_app.demo import COHORT_SEED, COHORT_SIZE
    from clinic_app.synthetic.cohort import generate_cohort

    as_of = datetime(2026, 12, 5, 12, tzinfo=UTC)

    def recent(p, loinc: str, days: int) -> bool:
        return any(m.loinc == loinc and (as_of - m.effective).days <= days for m in p.measurements)

    ready = [p for p in generate_cohort(COHORT_SIZE, COHORT_SEED, as_of=as_of).patients
             if p.race is not None and p.smoking is not None and recent(p, "2085-9", 730)
             and recent(p, "2093-3", 730) and recent(p, "8480-6", 365)]
    assert 10 <= len(ready) < COHORT_SIZE  # and a "cannot compute" case is left to show
