"""The synthetic cohort: deterministic, valid FHIR, realistic correlations, imports cleanly."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from clinic_app.core.records.repository import RecordRepository
from clinic_app.synthetic.cohort import cohort_demographics, generate_cohort
from clinic_app.synthetic.patients import ISSUER


def test_deterministic_and_size_independent():
    """The same seed gives the same cohort; patient i does not depend on the cohort size."""
    a = generate_cohort(20, seed=5)
    assert a == generate_cohort(20, seed=5)
    assert generate_cohort(5, seed=5).patients == a.patients[:5]
    assert generate_cohort(20, seed=6).patients != a.patients
    demo = cohort_demographics(3, seed=5)
    assert [d.mrn for d in demo] == ["SYN000001", "SYN000002", "SYN000003"]
    assert all(d.issuer == ISSUER and d.sex in ("female", "male") for d in demo)


def test_bundle_validates_against_r4b_models():
    """Every generated resource validates with fhir.resources (R4B, same wire format as R4)."""
    Bundle.model_validate(generate_cohort(30, seed=1).bundle("transaction"))


def test_joint_distributions_look_like_a_population():
    """Correlations a risk model relies on are present (age↔SBP, sex↔HDL, AF↔age, treatment)."""
    cohort = generate_cohort(600, seed=0)
    ps = cohort.patients

    def latest(p, loinc):
        m = p.latest(loinc)
        return None if m is None else (m.value * 38.67 if m.unit == "mmol/L" else m.value)

    old = [latest(p, "8480-6") for p in ps if p.age >= 65]
    young = [latest(p, "8480-6") for p in ps if p.age < 50]
    assert statistics.mean(old) > statistics.mean(young) + 5
    hdl_f = [v for p in ps if p.demographics.sex == "female" and (v := latest(p, "2085-9"))]
    hdl_m = [v for p in ps if p.demographics.sex == "male" and (v := latest(p, "2085-9"))]
    assert statistics.mean(hdl_f) > statistics.mean(hdl_m) + 5
    af_old = sum(p.atrial_fibrillation for p in ps if p.age >= 70)
    af_young = sum(p.atrial_fibrillation for p in ps if p.age < 50)
    assert af_old > af_young
    assert all(p.hypertension for p in ps if p.treated_hypertension)
    assert 0.05 < sum(p.diabetes for p in ps) / len(ps) < 0.3
    assert 0.08 < sum(p.smoking == "current" for p in ps) / len(ps) < 0.3
    assert any(p.smoking is None for p in ps) and any(p.latest("2085-9") is None for p in ps)
    assert any(p.si_units for p in ps) and not all(p.si_units for p in ps)


def test_cohort_imports_cleanly_and_matches_ground_truth(store, tmp_path: Path):
    """Bundle and CSV forms import without errors; stored latest values equal the truth."""
    cohort = generate_cohort(12, seed=2)
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [cohort.write_bundle(tmp_path / "b.json")])
    assert report.ok, report.as_json()["errors"]
    repo = RecordRepository(phys.clinical)
    as_of = datetime(2026, 1, 1, tzinfo=UTC)
    for p in cohort.patients:
        rec = repo.patient_by_mrn(p.demographics.mrn, ISSUER)
        assert rec is not None and rec.birth_date == p.demographics.birth_date
        sbp = repo.latest(rec.key, "systolic_bp", as_of)
        assert sbp is not None and sbp.value == p.latest("8480-6").value
        treated = any("antihypertensive" in m.classes for m in repo.medications(rec.key, as_of))
        assert treated == p.treated_hypertension
        cats = {c.category for c in repo.conditions(rec.key, as_of)}
        assert ("atrial_fibrillation" in cats) == p.atrial_fibrillation
        assert ("diabetes" in cats) == p.diabetes
    patients_csv, observations_csv = cohort.write_csv(tmp_path / "csv")
    again = store.services.records.import_files(phys, [observations_csv, patients_csv])
    assert again.ok, again.as_json()["errors"]
    assert again.total("observations") > 0
    assert sum(f.counts.get("observations_new", 0) for f in again.files) == 0  # same facts
