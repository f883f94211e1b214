"""A patient's record as a de-identified FHIR R4 Bundle: pseudonym, shifted dates, codes.

Only coded content travels: no names, record numbers, free text or source file names.
Every date moves by the patient's shift, so intervals (age at each visit, time between
results) stay exact, as the Modified Dates option keeps them in the images.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from clinic_app.core.records.facts import Condition, Medication, Observation, PatientRecord

UCUM = "http://unitsofmeasure.org"
PSEUDONYM_SYSTEM = "urn:clinic-app:pseudonym"


def _day(value: date | None, shift: int) -> str | None:
    return (value + timedelta(days=shift)).isoformat() if value is not None else None


def _moment(value: datetime | None, shift: int) -> str | None:
    return (value + timedelta(days=shift)).isoformat() if value is not None else None


def _coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return {"coding": [out]}


def bundle(patient: PatientRecord, pseudonym: str, shift_days: int,
           observations: Sequence[Observation], conditions: Sequence[Condition],
           medications: Sequence[Medication]) -> dict[str, Any]:
    ref = {"reference": f"Patient/{pseudonym}"}
    entries: list[dict[str, Any]] = [{"resource": {
        "resourceType": "Patient", "id": pseudonym,
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": pseudonym}],
        "gender": patient.sex, "birthDate": _day(patient.birth_date, shift_days),
        "deceasedBoolean": patient.deceased}}]
    for n, o in enumerate(observations, 1):
        resource: dict[str, Any] = {
            "resourceType": "Observation", "id": f"obs-{n}", "status": "final",
            "code": _coding(o.system, o.code), "subject": ref,
            "effectiveDateTime": _moment(o.effective, shift_days)}
        if o.value_code:
            resource["valueCodeableConcept"] = _coding("http://snomed.info/sct", o.value_code)
        elif o.value is not None:
            resource["valueQuantity"] = {"value": o.value, "unit": o.unit, "system": UCUM,
                                         "code": o.unit}
        entries.append({"resource": resource})
    for n, c in enumerate(conditions, 1):
        resource = {"resourceType": "Condition", "id": f"cond-{n}",
                    "code": _coding(c.system, c.code, c.display), "subject": ref,
                    "clinicalStatus": _coding(
                        "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        c.clinical_status)}
        if c.onset is not None:
            resource["onsetDateTime"] = _moment(c.onset, shift_days)
        if c.abatement is not None:
            resource["abatementDateTime"] = _moment(c.abatement, shift_days)
        entries.append({"resource": resource})
    for n, m in enumerate(medications, 1):
        resource = {"resourceType": "MedicationStatement", "id": f"med-{n}",
                    "status": m.status if m.status else "unknown",
                    "medicationCodeableConcept": _coding(m.system, m.code, m.display),
                    "subject": ref}
        period = {k: v for k, v in (("start", _moment(m.start, shift_days)),
                                    ("end", _moment(m.end, shift_days))) if v}
        if period:
            resource["effectivePeriod"] = period
        entries.append({"resource": resource})
    return {"resourceType": "Bundle", "type": "collection",
            "meta": {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                                   "code": "PSEUDED", "display": "pseudonymized"}]},
            "entry": entries}
