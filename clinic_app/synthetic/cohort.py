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

Each patient is drawn from its own seeded generator (``seed`` and index), so patient
``i`` is the same whatever the cohort size. MRNs (``SYN000001``…) with the issuer
:data:`ISSUER` are what the DICOM generator should write as PatientID and
IssuerOfPatientID, via :func:`cohort_demographics`.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from clinic_app.core.records import codes

#: The synthetic assigning authority (a UUID-derived OID, so no registration is needed).
ISSUER = "urn:oid:2.25.167832919274569012873645091827364512"
DEFAULT_AS_OF = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
UCUM = "http://unitsofmeasure.org"

_FAMILY = ("Abbott", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
           "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
           "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz",
           "Zhang", "Novak", "Horvat", "Silva", "Murphy", "Kim")
_GIVEN = {"female": ("Anna", "Beatriz", "Chloe", "Dana", "Elena", "Fatima", "Grace", "Hana",
                     "Ines", "Julia", "Karin", "Lea", "Maria", "Nora", "Olivia", "Priya"),
          "male": ("Adam", "Bruno", "Carlos", "David", "Emil", "Felix", "Georg", "Hugo",
                   "Ivan", "Jonas", "Karl", "Luca", "Marek", "Nils", "Omar", "Pavel")}


@dataclass(frozen=True)
class Demographics:
    """What the DICOM generator needs to write studies that link to these records."""

    mrn: str
    issuer: str
    family: str
    given: str
    birth_date: date
    sex: str  # "female" | "male"

    @property
    def dicom_name(self) -> str:
        return f"{self.family}^{self.given}"


@dataclass(frozen=True)
class Measurement:
    loinc: str
    value: float
    unit: str  # UCUM as written in the source
    effective: datetime


@dataclass(frozen=True)
class SyntheticPatient:
    """One patient's ground truth (canonical units) and the records written for it."""

    demographics: Demographics
    age: int
    smoking: str | None  # "current" | "former" | "never" | None (not recorded)
    diabetes: bool
    hypertension: bool
    treated_hypertension: bool
    atrial_fibrillation: bool
    heart_failure: bool
    stroke: bool
    vascular_disease: bool
    statin: bool
    anticoagulant: bool
    si_units: bool
    measurements: tuple[Measurement, ...] = field(default=())
    smoking_effective: datetime | None = None
    #: OMB race category codes as the US Core race extension carries them (or a null
    #: flavour "UNK"/"ASKU"); () when the record says nothing about race.
    race_codes: tuple[str, ...] = ()

    @property
    def race(self) -> str | None:
        """The race the risk equations should see (ground truth for the import tests)."""
        return codes.race_of(self.race_codes)

    def latest(self, loinc: str) -> Measurement | None:
        found = [m for m in self.measurements if m.loinc == loinc]
        return max(found, key=lambda m: m.effective) if found else None


#: (cumulative probability, OMB codes): see the module docstring; the rest record nothing.
_RACE_DRAW = ((0.62, ("2106-3",)), (0.74, ("2054-5",)), (0.80, ("2028-9",)),
              (0.81, ("1002-5",)), (0.813, ("2076-8",)), (0.843, ("2131-1",)),
              (0.863, ("2106-3", "2054-5")), (0.883, ("2106-3", "2028-9")),
              (0.898, ("UNK",)), (0.913, ("ASKU",)))


def _race_codes(seed: int, index: int) -> tuple[str, ...]:
    draw = random.Random(f"clinic-app-cohort-race:{seed}:{index}").random()
    return next((found for below, found in _RACE_DRAW if draw < below), ())


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _patient(seed: int, index: int, as_of: datetime, extra: int) -> SyntheticPatient:
    rng = random.Random(f"clinic-app-cohort:{seed}:{index}")
    sex = "female" if rng.random() < 0.5 else "male"
    male = sex == "male"
    age = int(_clip(rng.triangular(35, 85, 58), 35, 84))
    birth = (as_of - timedelta(days=int(age * 365.25) + rng.randrange(365))).date()
    demo = Demographics(f"SYN{index + 1:06d}", ISSUER, rng.choice(_FAMILY),
                        rng.choice(_GIVEN[sex]), birth, sex)
    bmi = _clip(rng.gauss(27 + 0.03 * (age - 55), 4.8), 17, 48)
    smoke_draw = rng.random()
    p_current = (0.19 if male else 0.14) * (1.3 if age < 55 else 0.8)
    smoking: str | None = ("current" if smoke_draw < p_current else
                           "former" if smoke_draw < p_current + 0.27 else "never")
    p_diabetes = _clip(0.03 + 0.004 * (age - 35) + 0.012 * (bmi - 25), 0.02, 0.45)
    diabetes = rng.random() < p_diabetes
    sbp_true = rng.gauss(112 + 0.55 * (age - 35) + (4 if male else 0) + 0.6 * (bmi - 25), 14)
    hypertension = sbp_true >= 140 or rng.random() < 0.08
    treated = hypertension and rng.random() < 0.62
    sbp = sbp_true - (rng.gauss(11, 5) if treated else 0)
    p_af = _clip(0.006 * math.exp(0.08 * (age - 50)), 0.002, 0.18) * (1.4 if hypertension else 1)
    af = rng.random() < p_af
    heart_failure = rng.random() < _clip(0.01 + 0.0015 * (age - 40) + (0.08 if af else 0), 0, 0.3)
    stroke = rng.random() < _clip(0.01 + 0.0012 * (age - 40) + (0.05 if af else 0), 0, 0.25)
    vascular = rng.random() < _clip(0.02 + 0.002 * (age - 40) + (0.04 if male else 0)
                                    + (0.03 if diabetes else 0), 0, 0.35)
    statin = rng.random() < (0.55 if (diabetes or vascular) else 0.15 + 0.004 * (age - 40))
    anticoagulant = af and rng.random() < 0.65
    tc = _clip(rng.gauss(200 + (10 if (not male and age > 50) else 0), 36)
               * (0.75 if statin else 1), 110, 360)
    hdl = _clip(rng.gauss((58 if not male else 47) - 0.6 * (bmi - 25) - (4 if diabetes else 0)
                          - (4 if smoking == "current" else 0), 12), 22, 110)
    tg = _clip(math.exp(rng.gauss(math.log(115 + 4 * (bmi - 25) + (40 if diabetes else 0)), 0.4)),
               40, 900)
    ldl = _clip(tc - hdl - tg / 5, 20, 280)
    a1c = _clip(rng.gauss(7.4, 1.1) if diabetes else rng.gauss(5.4, 0.33), 4.3, 13)
    glucose = _clip(28.7 * a1c - 46.7 + rng.gauss(0, 12), 60, 400)
    creatinine = _clip(rng.gauss((1.0 if male else 0.8) + 0.004 * (age - 40), 0.18), 0.45, 3.5)
    si = rng.random() < 0.3
    if rng.random() < 0.08:
        smoking = None  # not recorded
    missing = {loinc for loinc, p in (("2085-9", 0.08), ("2093-3", 0.05), ("4548-4", 0.2),
                                      ("13457-7", 0.3), ("2571-8", 0.25))
               if rng.random() < p}

    def when(max_days: int) -> datetime:
        day = as_of - timedelta(days=rng.randrange(1, max_days))
        return day.replace(hour=rng.randrange(7, 18), minute=rng.randrange(60), second=0,
                           microsecond=0)

    out: list[Measurement] = []

    def lab(loinc: str, value_mg: float, mg_unit: str, si_unit: str | None = None,
            to_si: float = 1.0, digits: int = 1, count: int = 1, spread: float = 0.0) -> None:
        if loinc in missing:
            return
        for i in range(count):
            v = value_mg * (1 + rng.gauss(0, spread)) if spread else value_mg
            t = recent_labs if (i == 0 and recent_labs) else when(1000)
            if si and si_unit:
                out.append(Measurement(loinc, round(v * to_si, max(digits, 2)), si_unit, t))
            else:
                out.append(Measurement(loinc, round(v, digits), mg_unit, t))

    # Most patients had a visit in the past year (BP taken, smoking asked); the rest are
    # overdue, which is what makes scores "cannot compute" or stale in real practice.
    recent_visit = when(330) if rng.random() < 0.85 else None
    recent_labs = when(540) if rng.random() < 0.85 else None  # the last blood draw
    for i in range(rng.randint(2, 5)):
        t = recent_visit if (i == 0 and recent_visit) else when(1000)
        s = round(sbp + rng.gauss(0, 6))
        d = round(_clip(0.45 * s + 18 - 0.15 * (age - 55) + rng.gauss(0, 5), 45, 125))
        out.append(Measurement("8480-6", s, "mm[Hg]", t))
        out.append(Measurement("8462-4", d, "mm[Hg]", t))
    lab("2093-3", tc, "mg/dL", "mmol/L", 1 / 38.67, 0, rng.randint(1, 3), 0.05)
    lab("2085-9", hdl, "mg/dL", "mmol/L", 1 / 38.67, 0, rng.randint(1, 2), 0.05)
    lab("13457-7", ldl, "mg/dL", "mmol/L", 1 / 38.67, 0)
    lab("2571-8", tg, "mg/dL", "mmol/L", 1 / 88.57, 0)
    lab("4548-4", a1c, "%", None, 1, 1)
    lab("2345-7", glucose, "mg/dL", "mmol/L", 1 / 18.016, 0)
    lab("2160-0", creatinine, "mg/dL", "umol/L", 88.4, 2)
    lab("1975-2", _clip(math.exp(rng.gauss(math.log(0.6), 0.35)), 0.2, 3), "mg/dL", "umol/L",
        17.1, 1)
    lab("6301-6", _clip(rng.gauss(2.5, 0.4), 1.5, 4) if anticoagulant else
        _clip(rng.gauss(1.0, 0.07), 0.8, 1.3), "1", None, 1, 1)
    lab("2951-2", _clip(rng.gauss(140, 2.5), 130, 150), "mmol/L", None, 1, 0)
    height = _clip(rng.gauss(176 if male else 163, 7), 145, 205)
    weight = bmi * (height / 100) ** 2
    t = when(1000)
    out.append(Measurement("8302-2", round(height), "cm", t))
    out.append(Measurement("29463-7", round(weight, 1), "kg", t))
    out.append(Measurement("39156-5", round(bmi, 1), "kg/m2", t))
    for _ in range(extra):  # benchmark volume: further weight and BP readings
        t = when(2000)
        out.append(Measurement("29463-7", round(weight + rng.gauss(0, 1.5), 1), "kg", t))
    return SyntheticPatient(
        demographics=demo, age=age, smoking=smoking, diabetes=diabetes,
        hypertension=hypertension, treated_hypertension=treated, atrial_fibrillation=af,
        heart_failure=heart_failure, stroke=stroke, vascular_disease=vascular, statin=statin,
        anticoagulant=anticoagulant, si_units=si, measurements=tuple(out),
        smoking_effective=(recent_visit or when(700)) if smoking else None, race_codes=_race_codes(seed, index))


def generate_cohort(n_patients: int = 100, seed: int = 0, *, as_of: datetime = DEFAULT_AS_OF,
                    observations_per_patient: int | None = None) -> Cohort:
    """``n_patients`` synthetic patients; with ``observations_per_patient`` each has exactly
    that many observations (padded with weight readings; used by the benchmark)."""
    patients = []
    for i in range(n_patients):
        p = _patient(seed, i, as_of, 0)
        if observations_per_patient is not None:
            have = len(p.measurements) + (1 if p.smoking else 0)
            if have > observations_per_patient:
                raise ValueError(f"observations_per_patient must be at least {have}")
            p = _patient(seed, i, as_of, observations_per_patient - have)
        patients.append(p)
    return Cohort(tuple(patients), as_of)


def cohort_demographics(n_patients: int = 100, seed: int = 0) -> list[Demographics]:
    """The cohort's patients' demographics (for writing DICOM studies that link)."""
    return [p.demographics for p in generate_cohort(n_patients, seed).patients]


_SMOKING_CODES = {"current": ("449868002", "Smokes tobacco daily"),
                  "former": ("8517006", "Ex-smoker"),
                  "never": ("266919005", "Never smoked tobacco")}
_CONDITIONS = {  # flag → (SNOMED code, display, ICD-10 code)
    "diabetes": ("44054006", "Diabetes mellitus type 2", "E11.9"),
    "hypertension": ("59621000", "Essential hypertension", "I10"),
    "atrial_fibrillation": ("49436004", "Atrial fibrillation", "I48.91"),
    "heart_failure": ("42343007", "Congestive heart failure", "I50.9"),
    "stroke": ("230690007", "Cerebrovascular accident", "I63.9"),
    "vascular_disease": ("22298006", "Myocardial infarction", "I21.9"),
}


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
            out[0]["extension"] = [_race_extension(p.race_codes)]
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
                out.append(_observation(rid, ref, "85354-9", "Blood pressure panel", m.effective,
                                        components=[_component(m), _component(nxt)]))
                skip_next = True
                continue
            out.append(_observation(rid, ref, m.loinc, codes.OBSERVATIONS[m.loinc].display,
                                    m.effective, quantity=m))
        if p.smoking is not None and p.smoking_effective is not None:
            code, display = _SMOKING_CODES[p.smoking]
            res = _observation(f"obs-{d.mrn.lower()}-smoking", ref, "72166-2",
                               "Tobacco smoking status", p.smoking_effective)
            res["valueCodeableConcept"] = {"coding": [{"system": codes.SNOMED, "code": code,
                                                       "display": display}]}
            out.append(res)
        for flag, (snomed, display, icd) in _CONDITIONS.items():
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
            entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{_uuid(res['id'])}", "resource": res}
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
                    w.writerow([d.mrn, d.issuer, codes.LOINC, m.loinc, _num(m.value), m.unit,
                                m.effective.isoformat(), codes.OBSERVATIONS[m.loinc].display])
                if p.smoking is not None and p.smoking_effective is not None:
                    w.writerow([d.mrn, d.issuer, codes.LOINC, "72166-2",
                                _SMOKING_CODES[p.smoking][0], "",
                                p.smoking_effective.isoformat(), "Tobacco smoking status"])
        return patients, observations


def _race_extension(race_codes: tuple[str, ...]) -> dict[str, Any]:
    """The US Core race extension: one ombCategory per code, and the required text."""
    parts: list[dict[str, Any]] = []
    words = []
    for code in race_codes:
        if code in codes.RACE_UNKNOWN:
            display = "Unknown" if code == "UNK" else "Asked but unknown"
            parts.append({"url": "ombCategory", "valueCoding": {
                "system": codes.NULL_FLAVOR, "code": code, "display": display}})
        else:
            display = codes.OMB_RACE[code][0]
            parts.append({"url": "ombCategory", "valueCoding": {
                "system": codes.CDC_RACE, "code": code, "display": display}})
        words.append(display)
    parts.append({"url": "text", "valueString": ", ".join(words)})
    return {"url": codes.US_CORE_RACE, "extension": parts}


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else repr(value)


def _uuid(text: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"clinic-app-cohort/{text}"))


def _quantity(m: Measurement) -> dict[str, Any]:
    return {"value": m.value, "unit": m.unit, "system": UCUM, "code": m.unit}


def _component(m: Measurement) -> dict[str, Any]:
    return {"code": {"coding": [{"system": codes.LOINC, "code": m.loinc,
                                 "display": codes.OBSERVATIONS[m.loinc].display}]},
            "valueQuantity": _quantity(m)}


def _observation(rid: str, subject: dict[str, str], loinc: str, display: str,
                 effective: datetime, quantity: Measurement | None = None,
                 components: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    category = "vital-signs" if loinc in ("85354-9", "8480-6", "8462-4", "8302-2", "29463-7",
                                          "39156-5") else "laboratory"
    if loinc == "72166-2":
        category = "social-history"
    res: dict[str, Any] = {
        "resourceType": "Observation", "id": rid, "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": category}]}],
        "code": {"coding": [{"system": codes.LOINC, "code": loinc, "display": display}]},
        "subject": subject, "effectiveDateTime": effective.isoformat()}
    if quantity is not None:
        res["valueQuantity"] = _quantity(quantity)
    if components:
        res["component"] = components
    return res
