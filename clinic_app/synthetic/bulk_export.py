"""A synthetic FHIR Bulk Data export folder shaped like a hospital's ``$export``.

Built on the deterministic cohort (:mod:`clinic_app.synthetic.cohort`) and made messy
the way real exports are: 40 % of the observations carry codes no model uses (heart
rate, haemoglobin, potassium …), 5 % of the medication requests are text only ("Meclizine"),
some drugs are clinical-drug (SCD) codes, a few observations are stamped hours ahead
of the clock (an exporter writing local time as Z), encounters and allergies come in
their own files, the Observation file is gzip-compressed, and a ``manifest.json`` lists
every output. Used by the tests (small) and benchmarks/records_import.py (1,000
patients, 80,000 observations).
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from clinic_app.synthetic.cohort import generate_cohort

_OTHER = (("8867-4", "Heart rate", 72.0, "/min"), ("718-7", "Hemoglobin", 13.5, "g/dL"),
          ("2823-3", "Potassium", 4.2, "mmol/L"), ("33914-3", "eGFR", 85.0, "mL/min/{1.73_m2}"),
          ("9279-1", "Respiratory rate", 16.0, "/min"), ("777-3", "Platelets", 250.0, "10*3/uL"))
_SCD = (("979492", "losartan potassium 50 MG Oral Tablet"),
        ("314077", "lisinopril 20 MG Oral Tablet"),
        ("617310", "atorvastatin 20 MG Oral Tablet"),
        ("861007", "metformin hydrochloride 500 MG Oral Tablet"))
_TEXT_ONLY = ("Meclizine", "Diphenhydramine", "Loratadine")
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def write_export(folder: Path, n_patients: int, observations_per_patient: int, *,
                 as_of: datetime, seed: int = 0, ahead: int = 3,
                 gzip_observations: bool = True) -> dict[str, int]:
    """Write the export; returns how many resources of each type it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort = generate_cohort(n_patients, seed=seed, as_of=as_of,
                             observations_per_patient=observations_per_patient)
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    handles: dict[str, Any] = {}
    names: dict[str, str] = {}

    def write(res: dict[str, Any]) -> None:
        rtype = res["resourceType"]
        if rtype not in handles:
            gz = gzip_observations and rtype == "Observation"
            names[rtype] = f"{rtype}.ndjson" + (".gz" if gz else "")
            path = folder / names[rtype]
            handles[rtype] = (gzip.open(path, "wt", encoding="utf-8") if gz  # noqa: SIM115
                              else path.open("w", encoding="utf-8"))  # closed below
        handles[rtype].write(json.dumps(res, separators=(",", ":")) + "\n")
        counts[rtype] = counts.get(rtype, 0) + 1

    try:
        n_obs = 0
        for res in cohort.resources():
            rtype = res["resourceType"]
            if rtype == "Observation" and "valueQuantity" in res:
                n_obs += 1
                if n_obs % 5 in (1, 3):
                    code, display, value, unit = _OTHER[n_obs % len(_OTHER)]
                    res["code"] = {"coding": [{"system": "http://loinc.org", "code": code,
                                               "display": display}]}
                    res["valueQuantity"] = {"value": round(value * rng.uniform(0.8, 1.2), 1),
                                            "unit": unit, "system": "http://unitsofmeasure.org",
                                            "code": unit}
                if n_obs <= ahead:  # local time written as Z by the exporter
                    res["effectiveDateTime"] = (as_of + timedelta(hours=3)).isoformat()
            if rtype == "Patient":
                pid = res["id"]
                write(res)
                _extras(write, pid, rng, as_of)
                continue
            write(res)
    finally:
        for handle in handles.values():
            handle.close()
    manifest = {"transactionTime": as_of.isoformat(), "request": "$export",
                "requiresAccessToken": False,
                "output": [{"type": t, "url": f"https://ehr.example.org/bulk/{names[t]}",
                            "count": counts[t]} for t in sorted(names)],
                "error": []}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return counts


def _extras(write: Any, pid: str, rng: random.Random, as_of: datetime) -> None:
    """An encounter, maybe an allergy, and medication requests (SCD, text-only) per patient."""
    subject = {"reference": f"Patient/{pid}"}
    start = as_of - timedelta(days=rng.randint(10, 300))
    write({"resourceType": "Encounter", "id": f"enc-{pid}", "status": "finished",
           "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
           "type": [{"text": "General examination"}], "subject": subject,
           "period": {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}})
    if rng.random() < 0.3:
        write({"resourceType": "AllergyIntolerance", "id": f"alg-{pid}",
               "clinicalStatus": {"coding": [{"code": "active"}]},
               "verificationStatus": {"coding": [{"code": "confirmed"}]},
               "category": ["medication"], "patient": subject,
               "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005",
                                    "display": "Allergy to penicillin"}]}})
    for k in range(rng.randint(1, 6)):
        concept: dict[str, Any]
        if rng.random() < 0.05:
            concept = {"text": rng.choice(_TEXT_ONLY)}
        else:
            code, display = rng.choice(_SCD)
            concept = {"coding": [{"system": RXNORM, "code": code, "display": display}],
                       "text": display}
        write({"resourceType": "MedicationRequest", "id": f"mr-{pid}-{k}", "status": "active",
               "intent": "order", "subject": subject, "medicationCodeableConcept": concept,
               "authoredOn": (as_of - timedelta(days=rng.randint(30, 900))).date().isoformat()})
