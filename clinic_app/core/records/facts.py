"""Clinical facts: the contract between the records layer and everything that reads it.

A fact is coded, in canonical units, dated, and traceable to its source. Risk features,
the physician's workspace and ``patients show`` read facts only through these types and
the :class:`RecordQuery` protocol, so they never depend on FHIR or CSV details.

Canonical units (the records layer converts to these, or refuses the value):
    blood pressure mmHg; cholesterol (total, HDL, LDL) and triglycerides mg/dL;
    glucose mg/dL; HbA1c %; creatinine mg/dL; bilirubin mg/dL; INR ratio ("1");
    sodium mmol/L; BMI kg/m2; weight kg; height cm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class Provenance:
    """Where a fact came from: enough to find the original item again."""

    source_file: str  # file name only (no folders: paths can identify patients)
    resource_id: str  # FHIR resource id, or "csv:<line>"
    imported_at: datetime


@dataclass(frozen=True)
class PatientRecord:
    key: int  # internal row id in the clinical store
    mrn: str
    issuer: str  # identifier system / IssuerOfPatientID ("" when not given)
    family: str
    given: str
    birth_date: date | None
    sex: str  # "female" | "male" | "other" | "unknown"
    deceased: bool = False
    flags: tuple[str, ...] = ()  # e.g. "record conflict: birth date differs from a study"
    #: Race as the risk equations use it: "white" | "african_american" | "other", or None
    #: when the record does not say (never defaulted: the PCE then cannot be computed).
    race: str | None = None
    #: What the source said about race, in words, with the codes ("US Core race extension:
    #: White (2106-3)", "patients CSV race column"); "" when it said nothing.
    race_source: str = ""


@dataclass(frozen=True)
class Observation:
    patient_key: int
    system: str  # "http://loinc.org"
    code: str  # LOINC code, e.g. "8480-6"
    name: str  # canonical feature name, e.g. "systolic_bp"
    value: float | None  # numeric value in the canonical unit
    unit: str  # canonical UCUM unit, e.g. "mm[Hg]"
    effective: datetime
    provenance: Provenance
    value_code: str | None = None  # coded answers (smoking status SNOMED code)
    flags: tuple[str, ...] = ()  # e.g. "outside physiological range"
    original_value: str = ""  # the value as the source wrote it, before unit conversion
    original_unit: str = ""  # the unit as the source wrote it ("mmol/L")
    display: str = ""  # the source's name for a code no model uses ("Hemoglobin [Mass/volume]…")
    category: str = ""  # Observation.category code: "laboratory", "vital-signs", …
    interpretation: str = ""  # "H", "L", "A", … as the source flagged the value
    value_text: str | None = None  # a non-numeric value as written (string, answer text)


@dataclass(frozen=True)
class Condition:
    patient_key: int
    system: str  # SNOMED CT or ICD-10 system URI
    code: str
    category: str  # canonical category: "diabetes", "hypertension", "atrial_fibrillation", …
    display: str
    onset: datetime | None
    abatement: datetime | None
    clinical_status: str  # "active", "resolved", …
    verification_status: str  # "confirmed", "provisional", … (refuted/entered-in-error excluded)
    provenance: Provenance


@dataclass(frozen=True)
class Medication:
    patient_key: int
    system: str  # ATC or RxNorm URI
    code: str
    display: str
    classes: tuple[str, ...]  # e.g. ("antihypertensive", "statin")
    status: str
    start: datetime | None
    end: datetime | None
    provenance: Provenance
    #: False when the terminology package could not classify the drug (unknown code or text
    #: only): shown "unclassified"; models needing a class treat the input as uncertain.
    recognised: bool = True


@dataclass(frozen=True)
class Allergy:
    patient_key: int
    system: str
    code: str
    display: str
    clinical_status: str
    verification_status: str
    category: str
    criticality: str
    onset: datetime | None
    recorded: datetime | None
    provenance: Provenance


@dataclass(frozen=True)
class Encounter:
    patient_key: int
    status: str
    class_code: str  # "AMB" ambulatory, "IMP" inpatient, "EMER" emergency, …
    type_display: str
    start: datetime | None
    end: datetime | None
    provenance: Provenance


@dataclass(frozen=True)
class Report:
    """A DiagnosticReport: which observations belong together ("Lipid panel")."""

    patient_key: int
    status: str
    system: str
    code: str
    display: str
    effective: datetime | None
    results: tuple[str, ...]  # "Observation/<id>"
    provenance: Provenance


@dataclass(frozen=True)
class Confirmation:
    """A physician's answer for an input the record left uncertain: never a fact.

    It applies only while the same items cause the uncertainty (``subject``, e.g. the
    unclassified drugs' names); a new unclassified drug makes the input uncertain again.
    """

    patient_key: int
    feature: str  # model input name, e.g. "bp_treated"
    value: str  # "true" / "false"
    subject: str
    reason: str
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True)
class PatientFacts:
    """Everything known about one patient as of a date (used by risk features)."""

    patient: PatientRecord
    as_of: datetime
    observations: tuple[Observation, ...] = field(default=())
    conditions: tuple[Condition, ...] = field(default=())
    medications: tuple[Medication, ...] = field(default=())


class RecordQuery(Protocol):
    """Read access to stored records (implemented by the records layer over the store)."""

    def patient_by_mrn(self, mrn: str, issuer: str | None = None) -> PatientRecord | None: ...

    def latest(self, patient_key: int, name: str, as_of: datetime,
               lookback_months: int | None = None) -> Observation | None:
        """Newest observation of feature ``name`` effective on or before ``as_of``."""
        ...

    def history(self, patient_key: int, name: str) -> list[Observation]:
        """All observations of ``name``, oldest first (for trend charts)."""
        ...

    def conditions(self, patient_key: int, as_of: datetime) -> list[Condition]:
        """Conditions counting as present at ``as_of`` (refuted/entered-in-error excluded)."""
        ...

    def medications(self, patient_key: int, as_of: datetime) -> list[Medication]:
        """Medications active at ``as_of``."""
        ...

    def confirmation(self, patient_key: int, feature: str, subject: str,
                     as_of: datetime) -> Confirmation | None:
        """The newest confirmation of ``feature`` for exactly ``subject`` made by ``as_of``."""
        ...
