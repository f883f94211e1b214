"""What the physician sees of the records: the patient list's rows and one patient's view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from clinic_app.core.records import codes
from clinic_app.core.records.facts import (
    Allergy,
    Condition,
    Encounter,
    Medication,
    Observation,
    PatientRecord,
)
from clinic_app.core.records.linking import LinkedStudy
from clinic_app.services.uncertain_inputs import UncertainInput


@dataclass(frozen=True)
class PatientSummary:
    key: int
    mrn: str
    issuer: str
    family: str
    given: str
    birth_date: str | None
    sex: str
    deceased: bool
    observations: int
    studies: int
    flags: tuple[str, ...]
    race: str | None = None  # "white" | "african_american" | "other"; None: not recorded


@dataclass(frozen=True)
class PatientView:
    """What ``patients show`` and the physician's workspace display for one patient."""

    patient: PatientRecord
    as_of: datetime
    latest: tuple[Observation, ...]
    conditions: tuple[Condition, ...]
    medications: tuple[Medication, ...]
    studies: tuple[LinkedStudy, ...]
    conflicts: tuple[str, ...] = field(default=())
    allergies: tuple[Allergy, ...] = field(default=())
    encounters: tuple[Encounter, ...] = field(default=())
    #: fact name → (the value before the latest, or None; how many values are stored)
    history: dict[str, tuple[Observation | None, int]] = field(default_factory=dict)
    #: inputs the record leaves open (an unclassified drug), each with any confirmation
    uncertain: tuple[UncertainInput, ...] = field(default=())
    #: resource type → how many resources of a type the app does not read are kept for them
    other_resources: dict[str, int] = field(default_factory=dict)


def fact_display(name: str, source_display: str = "") -> str:
    """A readable label for a fact name ("systolic_bp" → "Systolic blood pressure").

    A fact no model uses is labelled with the source's own name for it, marked as not
    interpreted; with no name in the source, the code is the only label there is.
    """
    for spec in codes.OBSERVATIONS.values():
        if spec.name == name:
            return spec.display.split(" (")[0]
    if codes.is_other_fact(name):
        code = name.split(":", 1)[1] if name.startswith("loinc:") else name.rsplit("|", 1)[-1]
        return source_display or f"unnamed result (code {code})"
    return name
