"""FHIR R4 pieces of the synthetic cohort: observations, the race extension, codings.

Resource ids and bundle ``fullUrl`` UUIDs are derived from the patient's MRN, so the same
cohort always writes the same resources.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.synthetic.patients import Measurement

UCUM = "http://unitsofmeasure.org"

SMOKING_CODES = {"current": ("449868002", "Smokes tobacco daily"),
                 "former": ("8517006", "Ex-smoker"),
                 "never": ("266919005", "Never smoked tobacco")}
CONDITIONS = {  # flag → (SNOMED code, display, ICD-10 code)
    "diabetes": ("44054006", "Diabetes mellitus type 2", "E11.9"),
    "hypertension": ("59621000", "Essential hypertension", "I10"),
    "atrial_fibrillation": ("49436004", "Atrial fibrillation", "I48.91"),
    "heart_failure": ("42343007", "Congestive heart failure", "I50.9"),
    "stroke": ("230690007", "Cerebrovascular accident", "I63.9"),
    "vascular_disease": ("22298006", "Myocardial infarction", "I21.9"),
}


def race_extension(race_codes: tuple[str, ...]) -> dict[str, Any]:
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



def resource_uuid(text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"clinic-app-cohort/{text}"))


def value_quantity(m: Measurement) -> dict[str, Any]:
    return {"value": m.value, "unit": m.unit, "system": UCUM, "code": m.unit}


def component(m: Measurement) -> dict[str, Any]:
    return {"code": {"coding": [{"system": codes.LOINC, "code": m.loinc,
                                 "display": codes.OBSERVATIONS[m.loinc].display}]},
            "valueQuantity": value_quantity(m)}


def observation(rid: str, subject: dict[str, str], loinc: str, display: str,
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
        res["valueQuantity"] = value_quantity(quantity)
    if components:
        res["component"] = components
    return res
