"""Every fact kept: any observation code, allergies, encounters, reports, text-only drugs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.observation import Observation

from clinic_app.core.records import codes
from clinic_app.core.records.fhir import read_json
from clinic_app.core.records.repository import RecordRepository

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SUBJECT = {"reference": "Patient/p1"}


def _patient() -> dict:
    return {"resourceType": "Patient", "id": "p1",
            "identifier": [{"system": "urn:oid:1.2.3", "value": "EF-1"}],
            "name": [{"family": "Fact", "given": ["Every"]}], "gender": "female",
            "birthDate": "1960-01-01"}


def _resources() -> list[dict]:
    hb = {"resourceType": "Observation", "id": "hb1", "status": "final",
          "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                    "observation-category", "code": "laboratory"}]}],
          "code": {"coding": [{"system": codes.LOINC, "code": "718-7",
                               "display": "Hemoglobin [Mass/volume] in Blood"}]},
          "subject": SUBJECT, "effectiveDateTime": "2025-03-01T08:00:00Z",
          "valueQuantity": {"value": 13.1, "unit": "g/dL",
                            "system": "http://unitsofmeasure.org", "code": "g/dL"},
          "interpretation": [{"coding": [{"code": "N"}]}]}
    hb_old = {**hb, "id": "hb0", "effectiveDateTime": "2024-03-01T08:00:00Z",
              "valueQuantity": {**hb["valueQuantity"], "value": 12.4}}
    hr = {"resourceType": "Observation", "id": "hr1", "status": "final",
          "category": [{"coding": [{"code": "vital-signs"}]}],
          "code": {"coding": [{"system": codes.LOINC, "code": "8867-4", "display": "Heart rate"}]},
          "subject": SUBJECT, "effectiveDateTime": "2025-03-01T08:00:00Z",
          "valueQuantity": {"value": 64, "unit": "/min"}}
    note = {"resourceType": "Observation", "id": "bt1", "status": "final",
            "code": {"coding": [{"system": codes.LOINC, "code": "883-9",
                                 "display": "ABO group"}]},
            "subject": SUBJECT, "effectiveDateTime": "2025-03-01",
            "valueCodeableConcept": {"text": "Group A"}}
    allergy = {"resourceType": "AllergyIntolerance", "id": "a1",
               "clinicalStatus": {"coding": [{"code": "active"}]},
               "verificationStatus": {"coding": [{"code": "confirmed"}]},
               "category": ["medication"], "criticality": "high",
               "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005",
                                    "display": "Allergy to penicillin"}]},
               "patient": SUBJECT, "recordedDate": "2020-01-01"}
    encounter = {"resourceType": "Encounter", "id": "e1", "status": "finished",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                           "code": "AMB"},
                 "type": [{"text": "General examination"}], "subject": SUBJECT,
                 "period": {"start": "2025-03-01T07:30:00Z", "end": "2025-03-01T08:30:00Z"}}
    report = {"resourceType": "DiagnosticReport", "id": "r1", "status": "final",
              "code": {"coding": [{"system": codes.LOINC, "code": "58410-2",
                                   "display": "CBC panel"}]},
              "subject": SUBJECT, "effectiveDateTime": "2025-03-01T08:00:00Z",
              "result": [{"reference": "Observation/hb1"}]}
    text_drug = {"resourceType": "MedicationRequest", "id": "m1", "status": "active",
                 "intent": "order", "medicationCodeableConcept": {"text": "Meclizine"},
                 "subject": SUBJECT, "authoredOn": "2025-01-01"}
    return [hb, hb_old, hr, note, allergy, encounter, report, text_drug]


def test_new_resource_shapes_are_valid_fhir():
    """The resources these tests feed validate against fhir.resources (R4B), the oracle."""
    models = {"Observation": Observation, "AllergyIntolerance": AllergyIntolerance,
              "Encounter": Encounter, "DiagnosticReport": DiagnosticReport,
              "MedicationRequest": MedicationRequest}
    for res in _resources():
        body = {k: v for k, v in res.items() if k != "resourceType"}
        models[res["resourceType"]].model_validate(body)


def test_reader_keeps_uninterpreted_observations_and_other_resources():
    """Unknown LOINC codes, allergies, encounters, reports and text-only drugs are all read."""
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in [_patient(), *_resources()]]}
    parsed = read_json(json.dumps(bundle), "ehr.json", NOW)
    assert not parsed.errors
    by_id = {o.resource_id: o for o in parsed.observations}
    hb = by_id["Observation/hb1"]
    assert (hb.name, hb.value, hb.unit, hb.display) == ("loinc:718-7", 13.1, "g/dL",
                                                        "Hemoglobin [Mass/volume] in Blood")
    assert (hb.category, hb.interpretation) == ("laboratory", "N")
    assert by_id["Observation/bt1"].value_text == "Group A"
    (allergy,) = parsed.allergies
    assert (allergy.code, allergy.criticality, allergy.category) == ("91936005", "high",
                                                                     "medication")
    (encounter,) = parsed.encounters
    assert (encounter.class_code, encounter.type_display) == ("AMB", "General examination")
    (report,) = parsed.reports
    assert report.results == ("Observation/hb1",)
    (drug,) = parsed.medications
    assert (drug.display, drug.recognised, drug.classes) == ("Meclizine", False, ())
    assert not parsed.skipped


def test_import_stores_every_fact_and_summary_lists_them(store, tmp_path: Path):
    """Imported, every fact is queryable; the patient view carries allergies, visits, history."""
    phys = store.login("phys")
    path = tmp_path / "ehr.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in [_patient(), *_resources()]]}))
    report = store.services.records.import_files(phys, [path])
    assert report.ok, report.as_json()["errors"]
    counts = report.files[0].counts
    assert (counts["observations"], counts["allergies"], counts["encounters"],
            counts["reports"], counts["medications_unclassified"]) == (4, 1, 1, 1, 1)
    view = store.services.records.show_patient(phys, "EF-1", as_of=NOW)
    names = {o.name for o in view.latest}
    assert {"loinc:718-7", "loinc:8867-4", "loinc:883-9"} <= names
    previous, n = view.history["loinc:718-7"]
    assert n == 2 and previous is not None and previous.value == 12.4
    assert [a.display for a in view.allergies] == ["Allergy to penicillin"]
    assert [e.class_code for e in view.encounters] == ["AMB"]
    (med,) = view.medications
    assert med.recognised is False
    repo = RecordRepository(phys.clinical)
    assert repo.reports(view.patient.key)[0].display == "CBC panel"
    again = store.services.records.import_files(phys, [path])
    assert again.ok and again.files[0].counts["observations_new"] == 0


def test_summary_widget_groups_values_and_shows_unclassified(store, tmp_path: Path, qtbot):
    """The physician summary shows groups, history, allergies, visits, 'unclassified' drugs."""
    from clinic_app.ui.physician.summary import PatientSummaryView

    phys = store.login("phys")
    path = tmp_path / "ehr.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in [_patient(), *_resources()]]}))
    assert store.services.records.import_files(phys, [path]).ok
    view = store.services.records.show_patient(phys, "EF-1", as_of=NOW)
    widget = PatientSummaryView()
    qtbot.addWidget(widget)
    widget.show_view(view, NOW.date())
    latest = {row[1]: row for row in widget.shown_rows("latest")}
    hb = latest["Hemoglobin [Mass/volume] in Blood"]
    assert hb[0] == "Labs" and hb[2] == "13.1 g/dL" and hb[4].startswith("2 values")
    assert "not interpreted" in hb[6]
    assert latest["Heart rate"][0] == "Vitals"
    assert widget.shown_rows("allergies")[0][0] == "Allergy to penicillin"
    assert widget.shown_rows("medications")[0][1].startswith("unclassified")
    assert widget.shown_rows("encounters")[0][1] == "outpatient"
