"""What the FHIR reader accepts: the R4 elements and value sets of the types it reads.

Kept apart from the reading code so the closed sets (statuses, genders) and the element
lists that make an unknown element an error can be read and reviewed in one place.
"""

from __future__ import annotations

import re

UCUM = "http://unitsofmeasure.org"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
BUNDLE_TYPES = frozenset({"collection", "transaction", "batch", "searchset", "document"})

_COMMON = {"resourceType", "id", "meta", "implicitRules", "language", "text", "contained",
           "extension", "modifierExtension"}
#: Top-level elements of the R4 resources we read (anything else is refused).
ELEMENTS: dict[str, frozenset[str]] = {
    "Patient": frozenset(_COMMON | {
        "identifier", "active", "name", "telecom", "gender", "birthDate", "deceasedBoolean",
        "deceasedDateTime", "address", "maritalStatus", "multipleBirthBoolean",
        "multipleBirthInteger", "photo", "contact", "communication", "generalPractitioner",
        "managingOrganization", "link"}),
    "Observation": frozenset(_COMMON | {
        "identifier", "basedOn", "partOf", "status", "category", "code", "subject", "focus",
        "encounter", "effectiveDateTime", "effectivePeriod", "effectiveTiming",
        "effectiveInstant", "issued", "performer", "valueQuantity", "valueCodeableConcept",
        "valueString", "valueBoolean", "valueInteger", "valueRange", "valueRatio",
        "valueSampledData", "valueTime", "valueDateTime", "valuePeriod", "dataAbsentReason",
        "interpretation", "note", "bodySite", "method", "specimen", "device",
        "referenceRange", "hasMember", "derivedFrom", "component"}),
    "Condition": frozenset(_COMMON | {
        "identifier", "clinicalStatus", "verificationStatus", "category", "severity", "code",
        "bodySite", "subject", "encounter", "onsetDateTime", "onsetAge", "onsetPeriod",
        "onsetRange", "onsetString", "abatementDateTime", "abatementAge", "abatementPeriod",
        "abatementRange", "abatementString", "recordedDate", "recorder", "asserter", "stage",
        "evidence", "note"}),
    "MedicationStatement": frozenset(_COMMON | {
        "identifier", "basedOn", "partOf", "status", "statusReason", "category",
        "medicationCodeableConcept", "medicationReference", "subject", "context",
        "effectiveDateTime", "effectivePeriod", "dateAsserted", "informationSource",
        "derivedFrom", "reasonCode", "reasonReference", "note", "dosage"}),
    "MedicationRequest": frozenset(_COMMON | {
        "identifier", "status", "statusReason", "intent", "category", "priority",
        "doNotPerform", "reportedBoolean", "reportedReference", "medicationCodeableConcept",
        "medicationReference", "subject", "encounter", "supportingInformation", "authoredOn",
        "requester", "performer", "performerType", "recorder", "reasonCode", "reasonReference",
        "instantiatesCanonical", "instantiatesUri", "basedOn", "groupIdentifier",
        "courseOfTherapyType", "insurance", "note", "dosageInstruction", "dispenseRequest",
        "substitution", "priorPrescription", "detectedIssue", "eventHistory"}),
    "Medication": frozenset(_COMMON | {
        "identifier", "code", "status", "manufacturer", "form", "amount", "ingredient",
        "batch"}),
    "AllergyIntolerance": frozenset(_COMMON | {
        "identifier", "clinicalStatus", "verificationStatus", "type", "category",
        "criticality", "code", "patient", "encounter", "onsetDateTime", "onsetAge",
        "onsetPeriod", "onsetRange", "onsetString", "recordedDate", "recorder", "asserter",
        "lastOccurrence", "note", "reaction"}),
    "Encounter": frozenset(_COMMON | {
        "identifier", "status", "statusHistory", "class", "classHistory", "type",
        "serviceType", "priority", "subject", "episodeOfCare", "basedOn", "participant",
        "appointment", "period", "length", "reasonCode", "reasonReference", "diagnosis",
        "account", "hospitalization", "location", "serviceProvider", "partOf"}),
    "DiagnosticReport": frozenset(_COMMON | {
        "identifier", "basedOn", "status", "category", "code", "subject", "encounter",
        "effectiveDateTime", "effectivePeriod", "issued", "performer", "resultsInterpreter",
        "specimen", "result", "imagingStudy", "media", "conclusion", "conclusionCode",
        "presentedForm"}),
}

OBSERVATION_STATUS = frozenset({"registered", "preliminary", "final", "amended", "corrected",
                                "cancelled", "entered-in-error", "unknown"})
CLINICAL_STATUS = frozenset({"active", "recurrence", "relapse", "inactive", "remission",
                             "resolved"})
VERIFICATION_STATUS = frozenset({"unconfirmed", "provisional", "differential", "confirmed",
                                 "refuted", "entered-in-error"})
STATEMENT_STATUS = frozenset({"active", "completed", "entered-in-error", "intended", "stopped",
                              "on-hold", "unknown", "not-taken"})
REQUEST_STATUS = frozenset({"active", "on-hold", "cancelled", "completed", "entered-in-error",
                            "stopped", "draft", "unknown"})
ALLERGY_CLINICAL = frozenset({"active", "inactive", "resolved"})
ALLERGY_VERIFICATION = frozenset({"unconfirmed", "confirmed", "refuted", "entered-in-error"})
ENCOUNTER_STATUS = frozenset({"planned", "arrived", "triaged", "in-progress", "onleave",
                              "finished", "cancelled", "entered-in-error", "unknown"})
REPORT_STATUS = frozenset({"registered", "partial", "preliminary", "final", "amended",
                           "corrected", "appended", "cancelled", "entered-in-error", "unknown"})
#: Flags of medications kept without a class (valid FHIR, not usable by a model as is).
UNCLASSIFIED_TEXT = ("medication given only as text; stored unclassified (a score that needs "
                     "a drug class shows the input as uncertain)")
UNCLASSIFIED_CODE = ("medication code not recognised; stored unclassified (a score that needs "
                     "a drug class shows the input as uncertain)")
GENDERS = frozenset({"male", "female", "other", "unknown"})
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")

