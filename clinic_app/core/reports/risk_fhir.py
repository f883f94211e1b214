"""A FHIR R4 RiskAssessment for each computed score (written beside the PDF report).

``method`` names the model id, version and manifest SHA-256 (what exactly computed it);
``basis`` references the resources the inputs came from: the Observation, Condition or
MedicationStatement ids recorded in each input's source. Built and validated with
``fhir.resources`` (R4B models, which RiskAssessment shares with R4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from clinic_app.core.inference.risk_types import InputValue, RiskResult

METHOD_SYSTEM = "urn:clinic-app:risk-model"
#: "<code> <file> <resource id>" as features._src writes an observation's source.
_OBSERVATION_SOURCE = re.compile(r"^\S+ \S+ (?:Observation/)?(?P<id>[A-Za-z0-9\-.]{1,64})$")
_CONDITION_SOURCE = re.compile(r"^condition ")
_MEDICATION_SOURCE = re.compile(r"^medication ")


def basis(inputs: Mapping[str, InputValue]) -> list[dict[str, Any]]:
    """References to the record entries the inputs were read from (observations by id)."""
    refs = []
    for item in inputs.values():
        text = item.source.split(" (", 1)[-1].rstrip(")") if "(" in item.source else item.source
        match = _OBSERVATION_SOURCE.match(text)
        if match and item.date is not None:
            refs.append({"reference": f"Observation/{match.group('id')}",
                         "display": item.name.replace("_", " ")})
        elif _CONDITION_SOURCE.match(item.source) or _MEDICATION_SOURCE.match(item.source):
            refs.append({"display": item.source})
    seen: set[str] = set()
    unique = []
    for ref in refs:
        key = ref.get("reference") or ref["display"]
        if key not in seen:
            seen.add(key)
            unique.append(ref)
    return unique


def risk_assessment(r: RiskResult, *, patient_mrn: str, issuer: str, when: datetime,
                    performer: str) -> dict[str, Any]:
    """One score as a validated FHIR RiskAssessment (JSON-ready dict)."""
    from fhir.resources.R4B.riskassessment import RiskAssessment

    prediction: dict[str, Any] = {"outcome": {"text": r.model_name}}
    if r.unit == "probability":
        prediction["probabilityDecimal"] = round(r.value, 6)
        if r.horizon:
            prediction["rationale"] = f"risk over {r.horizon}"
    else:
        prediction["rationale"] = f"{r.model_name}: {r.value:g} {r.unit}"
    if r.category:
        prediction["qualitativeRisk"] = {"text": r.category}
    doc = {
        "resourceType": "RiskAssessment", "status": "final",
        "subject": {"identifier": {"value": patient_mrn, **({"system": issuer} if issuer else {})}},
        "occurrenceDateTime": (r.as_of or when).isoformat(),
        "performer": {"display": performer},
        "method": {"coding": [{"system": METHOD_SYSTEM, "code": r.model_id,
                               "version": r.model_version,
                               "display": f"{r.model_name} (manifest SHA-256 "
                                          f"{r.manifest_sha256})"}],
                   "text": f"{r.model_id} {r.model_version} sha256:{r.manifest_sha256}"},
        "basis": basis(r.inputs) or None,
        "prediction": [prediction],
        "note": [{"text": f} for f in r.flags] or None,
    }
    doc = {k: v for k, v in doc.items() if v is not None}
    return RiskAssessment.model_validate(doc).model_dump(mode="json", exclude_none=True)
