"""A deterministic synthetic patient cohort: FHIR R4 bundles, Bulk NDJSON and CSVs.

No real patient is in it. The joint distributions follow the shape of adult US survey
data (NHANES-like), enough for risk features and their tests to see realistic
correlations, not to estimate anything:

* age 35–84, sex 50/50; BMI rises a little with age;
* SBP rises with age, BMI and male sex; hypertension is diagnosed mostly above 140 mmHg,
  about 60 % of those are treated, and treatment lowers SBP;
* total cholesterol ~200 mg/dL (higher in women after 50, lower on statins); HDL higher
  in women, lower with BMI, diabetes and smoking; triglycerides log-normal;
* diabetes prevalence rises with age and BMI (HbA1c and glucose follow it);
* smoking more common in men and the young; atrial fibrillation, heart failure, stroke
  and vascular disease rise with age (AF patients are mostly anticoagulated);
* about 30 % of patients come from a lab reporting SI units (mmol/L, µmol/L), so every
  import exercises the unit conversions;
* some patients lack some facts (no HDL, no smoking status, …), as real records do;
* race as US registries record it (OMB categories, US Core race extension): about 62 %
  White, 12 % Black or African American, 6 % Asian, 1 % American Indian or Alaska Native,
  0.3 % Native Hawaiian or Other Pacific Islander, 3 % "Other Race", 4 % two categories,
  3 % "unknown"/"asked but unknown", and about 9 % with no race recorded at all. Race is
  drawn from its own generator, independently of the other facts, so adding it left
  every other value of every patient unchanged.

Each patient is drawn from its own seeded generator (``seed`` and index; ``patients.py``),
so patient ``i`` is the same whatever the cohort size. MRNs (``SYN000001``…) with the
issuer :data:`~clinic_app.synthetic.patients.ISSUER` are what the DICOM generator should
write as PatientID and IssuerOfPatientID, via :func:`cohort_demographics`.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from clinic_app.core.records import codes
from clinic_app.synthetic.fhir_resources import (
    CONDITIONS,
    SMOKING_CODES,
    component,
    observation,
    race_extension,
    resource_uuid,
)
from clinic_app.synthetic.patients import DEFAULT_AS_OF, Demographics, SyntheticPatient, draw_patient


def generate_cohort(n_patients: int = 100, seed: int = 0, *, as_of: datetime = DEFAULT_AS_OF,
                    observations_per_patient: int | None = None) -> Cohort:
    """``n_patients`` synthetic patients; with ``observations_per_patient`` each has exactly
    that many observations (padded with weight readings; used by the benchmark)."""
    patients = []
    for i in range(n_patients):
        p = draw_patient(seed, i, as_of, 0)
        if observations_per_patient is not None:
            have = len(p.measurements) + (1 if p.smoking else 0)
            if have > observations_per_patient:
                raise ValueError(f"observations_per_patient must be at least {have}")
            p = draw_patient(seed, i, as_of, observations_per_patient - have)
        patients.append(p)
    return Cohort(tuple(patients), as_of)


def cohort_demographics(n_patients: int = 100, seed: int = 0) -> list[Demographics]:
    """The cohort's patients' demographics (for writing DICOM studies that link)."""
    return [p.demographics for p in generate_cohort(n_patients, seed).patients]


@dataclass(frozen=True)
class Cohort:
    patients: tuple[SyntheticPatient, ...]
    as_of: datetime

    @property
    def demographics(self) -> list[Demographics]:
        return [p.demographics for p in self.patients]

    # -- FHIR -------------------------------------------------------------------------------
    def patient_resources(self, index: int) -> list[dict[str, Any]]:
        """Every FHIR resource of patient ``index`` (Patient first)."""
        p = self.patients[index]
        d = p.demographics
        pid = f"pat-{d.mrn.lower()}"
        ref = {"reference": f"Patient/{pid}"}
        rng = random.Random(f"clinic-app-cohort-fhir:{d.mrn}")
        out: list[dict[str, Any]] = [{
            "resourceType": "Patient", "id": pid,
            "identifier": [{"use": "usual", "type": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                "system": d.issuer, "value": d.mrn}],
            "name": [{"use": "official", "family": d.family, "given": [d.given]}],
            "gender": d.sex, "birthDate": d.birth_date.isoformat()}]
        if p.race_codes:
            out[0]["extension"] = [race_extension(p.race_codes)]
        ms = p.measurements
        skip_next = False
        for n, m in enumerate(ms):
            if skip_next:
                skip_next = False
                continue
            rid = f"obs-{d.mrn.lower()}-{n + 1}"
            nxt = ms[n + 1] if n + 1 < len(ms) else None
            if (m.loinc == "8480-6" and nxt is not None and nxt.loinc == "8462-4"
                    and nxt.effective == m.effective and rng.random() < 0.5):
                # Half the blood pressures as the 85354-9 panel with two components.
                out.append(observation(rid, ref, "85354-9", "Blood pressure panel", m.effective,
                                        components=[component(m), component(nxt)]))
                skip_next = True
                continue
            out.append(observation(rid, ref, m.loinc, codes.OBSERVATIONS[m.loinc].display,
                                    m.effective, quantity=m))
        if p.smoking is not None and p.smoking_effective is not None:
            code, display = SMOKING_CODES[p.smoking]
            res = observation(f"obs-{d.mrn.lower()}-smoking", ref, "72166-2",
                               "Tobacco smoking status", p.smoking_effective)
            res["valueCodeableConcept"] = {"coding": [{"system": codes.SNOMED, "code": code,
                                                       "display": display}]}
            out.append(res)
        for flag, (snomed, display, icd) in CONDITIONS.items():
            if not getattr(p, flag):
                continue
            onset = self.as_of - timedelta(days=rng.randrange(200, 5000))
            coding = ({"system": codes.ICD10_CM, "code": icd, "display": display}
                      if rng.random() < 0.3 else
                      {"system": codes.SNOMED, "code": snomed, "display": display})
            out.append({
                "resourceType": "Condition", "id": f"cond-{d.mrn.lower()}-{flag.replace('_', '-')}",
                "clinicalStatus": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "resolved" if flag == "stroke" else "active"}]},
                "verificationStatus": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "confirmed"}]},
                "code": {"coding": [coding], "text": display}, "subject": ref,
                "onsetDateTime": onset.date().isoformat()})
        meds = []
        if p.treated_hypertension:
            meds.append(rng.choice([("314076", "lisinopril 10 MG Oral Tablet"),
                                    ("197361", "amlodipine 5 MG Oral Tablet"),
                                    ("310798", "Hydrochlorothiazide 25 MG Oral Tablet")]))
        if p.statin:
            meds.append(("83367", "atorvastatin"))
        if p.anticoagulant:
            meds.append(rng.choice([("11289", "warfarin"), ("1364430", "apixaban")]))
        if p.diabetes and rng.random() < 0.7:
            meds.append(("6809", "metformin"))
        for k, (code, display) in enumerate(meds):
            start = self.as_of - timedelta(days=rng.randrange(60, 3000))
            concept = {"coding": [{"system": codes.RXNORM, "code": code, "display": display}],
                       "text": display}
            if k % 2 == 0:
                out.append({"resourceType": "MedicationStatement",
                            "id": f"meds-{d.mrn.lower()}-{k}", "status": "active",
                            "medicationCodeableConcept": concept, "subject": ref,
                            "effectivePeriod": {"start": start.date().isoformat()}})
            else:
                out.append({"resourceType": "MedicationRequest",
                            "id": f"medr-{d.mrn.lower()}-{k}", "status": "active",
                            "intent": "order", "medicationCodeableConcept": concept,
                            "subject": ref, "authoredOn": start.date().isoformat()})
        return out

    def resources(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self.patients)):
            yield from self.patient_resources(i)

    def bundle(self, bundle_type: str = "collection") -> dict[str, Any]:
        entries = []
        for res in self.resources():
            entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{resource_uuid(res['id'])}", "resource": res}
            if bundle_type in ("transaction", "batch"):
                entry["request"] = {"method": "PUT", "url": f"{res['resourceType']}/{res['id']}"}
            entries.append(entry)
        return {"resourceType": "Bundle", "type": bundle_type, "entry": entries}

    def write_bundle(self, path: Path, bundle_type: str = "collection") -> Path:
        path.write_text(json.dumps(self.bundle(bundle_type)), encoding="utf-8")
        return path

    def write_ndjson(self, folder: Path) -> list[Path]:
        """Bulk Data style: one ``<ResourceType>.ndjson`` per type."""
        folder.mkdir(parents=True, exist_ok=True)
        handles: dict[str, Any] = {}
        try:
            for res in self.resources():
                rtype = res["resourceType"]
                if rtype not in handles:
                    handles[rtype] = (folder / f"{rtype}.ndjson").open("w", encoding="utf-8")
                handles[rtype].write(json.dumps(res) + "\n")
        finally:
            for h in handles.values():
                h.close()
        return sorted(folder / f"{t}.ndjson" for t in handles)

    def write_csv(self, folder: Path) -> tuple[Path, Path]:
        """The two CSV templates (observations only: the templates carry no conditions)."""
        folder.mkdir(parents=True, exist_ok=True)
        patients, observations = folder / "patients.csv", folder / "observations.csv"
        with patients.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["mrn", "issuer", "family", "given", "birth_date", "sex", "race"])
            for p in self.patients:
                d = p.demographics
                race = p.race or ("unknown" if p.race_codes else "")
                w.writerow([d.mrn, d.issuer, d.family, d.given, d.birth_date.isoformat(), d.sex,
                            race])
        with observations.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["mrn", "issuer", "system", "code", "value", "unit",
                        "effective_datetime", "display"])
            for p in self.patients:
                d = p.demographics
                for m in p.measurements:
                    w.writerow([d.mrn, d.issuer, codes.LOINC, m.loinc, _csv_number(m.value), m.unit,
                                m.effective.isoformat(), codes.OBSERVATIONS[m.loinc].display])
                if p.smoking is not None and p.smoking_effective is not None:
                    w.writerow([d.mrn, d.issuer, codes.LOINC, "72166-2",
                                SMOKING_CODES[p.smoking][0], "",
                                p.smoking_effective.isoformat(), "Tobacco smoking status"])
        return patients, observations


def _csv_number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else repr(value)
