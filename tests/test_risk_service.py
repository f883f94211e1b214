"""Scoring patients in a real store: explanations, flags, storage, audit, what-if, trends, batch."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from clinic_app.cli.main import main
from clinic_app.core.security.audit import AuditFilter
from clinic_app.core.tasks import CancelToken
from clinic_app.errors import Cancelled, PermissionDenied
from tests.conftest import PASSWORDS


def _obs(rid, pid, code, value, unit, when):
    return {"resourceType": "Observation", "id": rid, "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": when,
            "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org",
                              "code": unit}}


def _patient_entries(pid, mrn, gender, born, *, af=False, tc=213):
    entries = [
        {"resourceType": "Patient", "id": pid, "identifier": [{"system": "urn:mrn", "value": mrn}],
         "name": [{"family": "Test", "given": [pid]}], "gender": gender, "birthDate": born},
        _obs(f"{pid}-tc", pid, "2093-3", tc, "mg/dL", "2025-11-01"),
        _obs(f"{pid}-hdl", pid, "2085-9", 50, "mg/dL", "2025-11-01"),
        _obs(f"{pid}-sbp", pid, "8480-6", 124, "mm[Hg]", "2025-12-01"),
        _obs(f"{pid}-sbp-old", pid, "8480-6", 150, "mm[Hg]", "2024-12-01"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2025-12-01",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "449868002"}]}},
    ]
    if af:
        entries.append({
            "resourceType": "Condition", "id": f"{pid}-af",
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": "active"}]},
            "verificationStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004"}]},
            "subject": {"reference": f"Patient/{pid}"}, "onsetDateTime": "2024-01-01"})
    return entries


@pytest.fixture
def clinic(store, tmp_path):
    """A store with three patients imported from a FHIR bundle, and a physician session."""
    entries = (_patient_entries("p1", "MRN-1", "female", "1965-05-01", af=True)
               + _patient_entries("p2", "MRN-2", "male", "1958-02-01")
               + [{"resourceType": "Patient", "id": "p3", "identifier": [{"system": "urn:mrn",
                                                                         "value": "MRN-3"}],
                   "name": [{"family": "Test", "given": ["p3"]}], "gender": "male"}])
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in entries]}))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [bundle])
    assert report.ok, report.as_json()
    return store, phys


def test_patient_is_scored_with_explanations_flags_and_missing_inputs(clinic):
    """Every risk model is tried: results carry dated, sourced inputs; others say what is missing."""
    store, phys = clinic
    scores = store.services.risk.score_patient(phys, "MRN-1")
    by_id = {r.model_id: r for r in scores.results}
    frs = by_id["framingham-cvd-10y"]
    assert frs.provider.endswith("ExecutionProvider")
    sbp = next(c for c in frs.contributions if c.name == "systolic_bp")
    assert sbp.value == 124 and sbp.date.date().isoformat() == "2025-12-01"
    assert "bundle.json" in sbp.source
    assert frs.inputs["age"].value == 60 and frs.inputs["smoker"].value is True
    assert any("counted as absent" in f for f in frs.flags)
    cha = by_id["cha2ds2-vasc"]
    assert cha.value == 1 and not any("AF" in f for f in cha.flags)  # female, AF on record
    missing = {n.model_id: {m.name for m in n.missing} for n in scores.not_computed}
    assert missing["pce-ascvd-10y"] == {"race"}
    assert missing["meld-unos"] == {"creatinine", "bilirubin", "inr"}
    assert len(scores.stored_ids) == len(scores.results)


def test_results_are_stored_and_audited_without_phi(clinic):
    """Stored results keep model version, provider and dated inputs; the audit entry has no MRN."""
    store, phys = clinic
    store.services.risk.score_patient(phys, "MRN-1", model_ids=["framingham-cvd-10y"])
    [stored] = store.services.risk.stored(phys, "MRN-1")
    assert stored.model_id == "framingham-cvd-10y" and stored.model_version == "1.1.0"
    assert stored.provider.endswith("ExecutionProvider") and stored.computed_by == "phys"
    assert stored.detail["inputs"]["systolic_bp"]["date"].startswith("2025-12-01")
    admin = store.login("admin")
    entries = store.services.audit.entries(admin, AuditFilter())
    score_entries = [e for e in entries if e.action == "risk.score"]
    assert score_entries and score_entries[-1].patient
    assert "MRN-1" not in json.dumps([e.detail for e in entries] + [e.patient for e in entries])


def test_what_if_changes_inputs_and_stores_nothing(clinic):
    """A what-if with SBP 110 and non-smoking lowers the risk, is marked, and is not stored."""
    store, phys = clinic
    base = store.services.risk.score_patient(phys, "MRN-1", model_ids=["framingham-cvd-10y"],
                                             store=False)
    what = store.services.risk.what_if(phys, "MRN-1", "framingham-cvd-10y",
                                       {"systolic_bp": 110, "smoker": False})
    assert what.results[0].value < base.results[0].value
    assert what.results[0].inputs["systolic_bp"].source.startswith("what-if")
    assert store.services.risk.stored(phys, "MRN-1") == []


def test_what_if_can_supply_race_for_pce(clinic):
    """Race is not in the record; the what-if panel supplies it and PCE computes."""
    store, phys = clinic
    what = store.services.risk.what_if(phys, "MRN-1", "pce-ascvd-10y", {"race": "white"})
    assert what.results and 0 < what.results[0].value < 1


def test_trend_recomputes_at_past_dates(clinic):
    """As of 2025-01 the older SBP (150) applies and lipids did not exist yet."""
    store, phys = clinic
    points = store.services.risk.trend(
        phys, "MRN-1", "cha2ds2-vasc",
        [datetime(2023, 6, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)])
    assert [p.value for p in points] == [1, 1]
    assert any("applies only to patients with AF" in f for f in points[0].flags)  # AF from 2024
    assert not any("AF" in f for f in points[1].flags)


def test_batch_scoring_stores_every_computable_result(clinic):
    """All patients, one batched run per model; patients lacking inputs are counted, not defaulted."""
    store, phys = clinic
    seen = []
    report = store.services.risk.score_all(phys, progress=lambda d, t, m="": seen.append(d))
    assert report.patients == 3
    assert report.by_model["framingham-cvd-10y"] == {"scored": 2, "not_computed": 1}
    assert report.scored == sum(c["scored"] for c in report.by_model.values())
    assert seen[-1] == max(seen)
    assert len(store.services.risk.stored(phys, "MRN-2")) >= 1


def test_cancelled_batch_keeps_nothing(clinic):
    """Cancelling a batch raises Cancelled and stores no result and no not-computed outcome."""
    store, phys = clinic
    token = CancelToken()

    def progress(done, total, message=""):
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        store.services.risk.score_all(phys, progress=progress, cancel=token)
    assert store.services.risk.stored(phys, "MRN-1") == []
    assert store.services.risk_overview.latest_results(phys) == []


def _outcomes(store, phys):
    keys = {p.key: p.mrn for p in store.services.records.list_patients(phys)}
    return {(keys[r.patient_key], r.model_id): r
            for r in store.services.risk_overview.latest_results(phys)}


RACE_HINT = "record the patient's race, e.g. US Core race extension or the CSV race column"


def test_batch_records_why_each_model_could_not_be_computed(clinic):
    """score_all stores each not-computed outcome (model, version, missing inputs, time); the list reads it."""
    store, phys = clinic
    report = store.services.risk.score_all(phys)
    latest = _outcomes(store, phys)
    # every patient has an outcome for every model, except the pregnancy-count demo for the
    # two men (hidden: its inputs cannot apply to them)
    assert len(latest) == 3 * len(report.by_model) - 2
    assert report.not_computed == sum(not r.computed for r in latest.values())
    pce = latest[("MRN-1", "pce-ascvd-10y")]
    assert not pce.computed and pce.value is None
    assert (pce.model_version, pce.computed_by) == ("1.1.0", "phys")
    assert pce.computed_at == pce.as_of == store.clock.now
    assert [(m.name, m.label, m.supplied_by) for m in pce.missing] == [("race", "Race", RACE_HINT)]
    assert pce.reason == f"missing race ({RACE_HINT})"
    nobody = latest[("MRN-3", "framingham-cvd-10y")]
    assert {m.name for m in nobody.missing} == {"age", "total_cholesterol", "hdl_cholesterol",
                                                "systolic_bp", "smoker"}
    assert latest[("MRN-2", "framingham-cvd-10y")].computed
    # The single-patient path words it identically.
    single = store.services.risk.score_patient(phys, "MRN-3", model_ids=["framingham-cvd-10y"],
                                               store=False)
    assert single.not_computed[0].reason == nobody.reason
    assert single.not_computed[0].missing == nobody.missing


def test_newest_outcome_wins_in_the_list(clinic, tmp_path):
    """A later score replaces 'cannot compute'; a later 'cannot compute' hides an older score."""
    store, phys = clinic
    store.services.risk.score_all(phys, model_ids=["pce-ascvd-10y", "framingham-cvd-10y"])
    assert not _outcomes(store, phys)[("MRN-1", "pce-ascvd-10y")].computed
    patient = _patient_entries("p1", "MRN-1", "female", "1965-05-01")[0]
    patient["extension"] = [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
                             "extension": [{"url": "ombCategory", "valueCoding": {
                                 "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3"}},
                                 {"url": "text", "valueString": "White"}]}]
    bundle = tmp_path / "race.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": patient}]}))
    assert store.services.records.import_files(phys, [bundle]).ok
    store.services.risk.score_patient(phys, "MRN-1", model_ids=["pce-ascvd-10y"])
    now_scored = _outcomes(store, phys)[("MRN-1", "pce-ascvd-10y")]
    assert now_scored.computed and 0 < now_scored.value < 1
    assert now_scored.detail["inputs"]["race"]["value"] == "white"
    assert _outcomes(store, phys)[("MRN-2", "framingham-cvd-10y")].computed
    store.clock.now = datetime(2028, 6, 1, tzinfo=UTC)  # the lipids are now outside the look-back
    phys = store.login("phys")
    store.services.risk.score_all(phys, model_ids=["framingham-cvd-10y"])
    later = _outcomes(store, phys)[("MRN-2", "framingham-cvd-10y")]
    assert not later.computed and {"total_cholesterol", "hdl_cholesterol"} <= \
        {m.name for m in later.missing}
    assert len(store.services.risk.stored(phys, "MRN-2")) == 1  # the old score is kept, not shown


def test_only_physicians_score(clinic):
    """Radiologists and the admin are refused risk scoring (permission matrix)."""
    store, _ = clinic
    for name in ("rad", "admin"):
        with pytest.raises(PermissionDenied):
            store.services.risk.score_patient(store.login(name), "MRN-1")


def test_score_mrn_cli_end_to_end(clinic):
    """`clinic-app score MRN --json` prints results and the not-computed models with reasons."""
    store, _ = clinic
    store.services.close()
    out, err = io.StringIO(), io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(PASSWORDS["phys"] + "\n")
    try:
        code = main(["--store", str(store.root), "score", "MRN-2", "--model", "framingham-cvd-10y",
                     "--as-of", "2026-01-05", "--user", "phys", "--password-stdin", "--json"],
                    out, err)
    finally:
        sys.stdin = old
    assert code == 0, err.getvalue()
    data = json.loads(out.getvalue())
    [result] = data["results"]
    assert result["model"] == "framingham-cvd-10y" and result["provider"].endswith("Provider")
    assert result["inputs"]["systolic_bp"]["value"] == 124


def test_risk_store_upgrades_to_the_not_computed_table(tmp_path):
    """A store at the first risk schema gains risk_not_computed; its stored results are kept and listed."""
    from clinic_app.core.inference import results
    from clinic_app.core.records import repository
    from clinic_app.core.store.database import Database, migrate

    db = Database(tmp_path / "c.db", bytes(range(32)), create=True)
    migrate(db, "records", repository.MIGRATIONS)
    migrate(db, "risk", results.MIGRATIONS[:1])
    with db.transaction():
        imp = db.execute("INSERT INTO records_imports(source_file, sha256, format, imported_at) "
                         "VALUES ('x.json', '00', 'fhir-json', '2025-01-01T00:00:00Z')")
        key = db.execute("INSERT INTO records_patients(mrn, sex, import_id, resource_id) "
                         "VALUES ('OLD-1', 'female', ?, 'Patient/1')", (imp,))
        db.execute("INSERT INTO risk_results(patient_id, model_id, model_version, manifest_sha256, "
                   "provider, value, unit, category, flags, computed_at, as_of, computed_by, detail) "
                   "VALUES (?, 'm', '1', 'h', 'CPU', 0.1, 'probability', 'low', '[]', "
                   "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'phys', '{}')", (key,))
    assert migrate(db, "risk", results.MIGRATIONS) == len(results.MIGRATIONS)
    [old] = results.ResultStore(db).latest_outcomes()
    assert old.computed and old.value == 0.1
    db.close()
