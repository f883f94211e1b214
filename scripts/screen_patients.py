"""Synthetic patients (FHIR bundles) that some screens import: one with every China-PAR input
in SI units, one whose record lacks HDL cholesterol. Tests import them too."""

from __future__ import annotations

from pathlib import Path


def china_patient(root: Path) -> Path:
    """A synthetic patient with every input China-PAR, PCE and PREVENT need (SI lab units)."""
    import json

    pid = "cn1"

    def obs(code: str, value: float, unit: str, day: str = "2026-11-20") -> dict:
        return {"resourceType": "Observation", "id": f"{pid}-{code}-{day}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": day,
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}

    race = {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
            "extension": [{"url": "ombCategory", "valueCoding": {
                "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2028-9"}}]}
    entries = [
        {"resourceType": "Patient", "id": pid, "extension": [race],
         "identifier": [{"system": "urn:mrn", "value": "CN-0001"}],
         "name": [{"family": "Wang", "given": ["Wei"]}], "gender": "male",
         "birthDate": "1966-04-12"},
        obs("14647-2", 5.6, "mmol/L"), obs("14646-4", 1.05, "mmol/L"),
        obs("14647-2", 6.1, "mmol/L", "2025-10-02"), obs("14646-4", 1.0, "mmol/L", "2025-10-02"),
        obs("8480-6", 146, "mm[Hg]"), obs("8462-4", 88, "mm[Hg]"),
        obs("8480-6", 152, "mm[Hg]", "2025-10-02"),
        obs("8280-0", 94, "cm"), obs("39156-5", 26.4, "kg/m2"), obs("38483-4", 84, "umol/L"),
        obs("15074-8", 6.2, "mmol/L"), obs("2571-8", 1.9, "mmol/L"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "449868002"}]}},
        {"resourceType": "Condition", "id": f"{pid}-fh",
         "clinicalStatus": {"coding": [{
             "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
             "code": "active"}]},
         "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "Z82.4",
                              "display": "Family history of ischaemic heart disease"}]},
         "subject": {"reference": f"Patient/{pid}"}, "onsetDateTime": "2020-01-01"},
    ]
    path = root / "china-patient.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}))
    return path



def no_hdl_patient(root: Path) -> Path:
    """A synthetic patient whose record has every PCE input but HDL cholesterol."""
    import json

    pid = "nh1"

    def obs(code: str, value: float, unit: str) -> dict:
        return {"resourceType": "Observation", "id": f"{pid}-{code}", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}

    race = {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
            "extension": [{"url": "ombCategory", "valueCoding": {
                "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3"}}]}
    entries = [
        {"resourceType": "Patient", "id": pid, "extension": [race],
         "identifier": [{"system": "urn:mrn", "value": "NH-0001"}],
         "name": [{"family": "Hall", "given": ["Nora"]}], "gender": "female",
         "birthDate": "1962-03-08"},
        obs("2093-3", 212, "mg/dL"), obs("8480-6", 138, "mm[Hg]"),
        {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
         "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2026-11-20",
         "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                              "code": "266919005"}]}},
    ]
    path = root / "no-hdl-patient.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}))
    return path

