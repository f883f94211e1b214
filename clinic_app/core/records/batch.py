"""What a reader makes of one file before anything is stored: items, problems, skips.

Readers (FHIR JSON/NDJSON, CSV) are pure: text in, :class:`ParsedFile` out. Facts here
are already coded, converted to canonical units and checked against physiological
ranges; what readers cannot know (which stored patient a subject means, whether an
item was imported before) is settled by the repository inside the import transaction.

Item locators ("entry 12 (Observation/abc)", "line 14") name the place in the file, never
patient data, because reports end up in logs and dialogs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from clinic_app.errors import ItemError as ItemError
from clinic_app.errors import SkipItem as SkipItem


@dataclass(frozen=True)
class Problem:
    """One item and what is wrong with it (an error rejects the file, a flag does not)."""

    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


@dataclass(frozen=True)
class SubjectRef:
    """Who an item is about: a reference to a Patient, or an MRN (with its issuer).

    ``reference`` is a FHIR reference as written ("Patient/123", "urn:uuid:…");
    ``issuer`` ``None`` means "any issuer" (CSV without an issuer column).
    """

    reference: str = ""
    mrn: str = ""
    issuer: str | None = None

    def describe(self) -> str:
        """Text for error messages: the reference, never the MRN (which is PHI)."""
        return self.reference if self.reference else "the patient identifier given"


@dataclass(frozen=True)
class PatientItem:
    item: str
    resource_id: str
    mrn: str
    issuer: str
    family: str
    given: str
    birth_date: date | None
    sex: str
    deceased: bool = False
    refs: tuple[str, ...] = ()  # how other items in the file may refer to it
    race: str | None = None  # "white" | "african_american" | "other"; None: not recorded
    race_source: str = ""  # what the source said about race, in words ("" when nothing)


class ObservationItem(NamedTuple):
    """One observation as read, ready to store.

    An immutable named tuple rather than a frozen dataclass: an export holds tens of
    thousands of these, and a frozen dataclass's ``__init__`` sets its 18 fields one
    ``object.__setattr__`` call at a time (measured: 3x the cost of building the tuple,
    a tenth of the whole import). Change one with ``item._replace(...)``.
    """

    item: str
    resource_id: str
    subject: SubjectRef
    system: str
    code: str
    name: str
    value: float | None
    unit: str
    effective: datetime
    value_code: str | None = None
    original_value: str = ""  # as written in the source, e.g. "5.2"
    original_unit: str = ""
    status: str = "final"
    flags: tuple[str, ...] = ()
    display: str = ""  # the source's name for a code we do not interpret ("" for known codes)
    category: str = ""  # Observation.category code ("laboratory", "vital-signs", …)
    interpretation: str = ""  # Observation.interpretation code ("H", "L", "A", …)
    value_text: str | None = None  # a non-numeric value (string, coded answer's text, …)


@dataclass(frozen=True)
class ConditionItem:
    item: str
    resource_id: str
    subject: SubjectRef
    system: str
    code: str
    category: str
    display: str
    onset: datetime | None
    abatement: datetime | None
    clinical_status: str
    verification_status: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class MedicationItem:
    item: str
    resource_id: str
    subject: SubjectRef
    system: str
    code: str
    display: str
    classes: tuple[str, ...]
    status: str
    start: datetime | None
    end: datetime | None
    flags: tuple[str, ...] = ()
    #: False when no code of the medication is in the terminology package (or it has only
    #: text): the drug is shown "unclassified" and a model needing a drug class treats the
    #: input as uncertain, never as "not taking it".
    recognised: bool = True


@dataclass(frozen=True)
class AllergyItem:
    item: str
    resource_id: str
    subject: SubjectRef
    system: str
    code: str
    display: str
    clinical_status: str
    verification_status: str
    category: str  # "food", "medication", "environment", "biologic" (comma-joined)
    criticality: str
    onset: datetime | None
    recorded: datetime | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class EncounterItem:
    item: str
    resource_id: str
    subject: SubjectRef
    status: str
    class_code: str  # v3 ActCode ("AMB", "IMP", "EMER", …)
    type_display: str  # first type's display or text
    start: datetime | None
    end: datetime | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportItem:
    """A DiagnosticReport: a grouping of observations ("Lipid panel") with its own date."""

    item: str
    resource_id: str
    subject: SubjectRef
    status: str
    system: str
    code: str
    display: str
    effective: datetime | None
    results: tuple[str, ...]  # "Observation/<id>" references, as normalised
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retraction:
    """A resource marked entered-in-error: earlier imports of the same id are withdrawn."""

    item: str
    resource_id: str
    subject: SubjectRef


@dataclass(frozen=True)
class KeptResource:
    """A valid resource of a type the app does not read (Immunization, Procedure, …): kept
    as received, flagged, never interpreted, so an export imports whole.

    ``content`` is the resource's JSON; ``subject`` is the patient it names (``subject``,
    ``patient`` or ``beneficiary``), None when it names none (Practitioner, Location, …).
    """

    item: str
    resource_type: str
    resource_id: str
    subject: SubjectRef | None
    content: str


@dataclass
class ParsedFile:
    """Everything one reader produced for one file."""

    source_file: str  # file name only
    format: str  # "fhir-json", "fhir-ndjson", "csv-patients", "csv-observations"
    patients: list[PatientItem] = field(default_factory=list)
    observations: list[ObservationItem] = field(default_factory=list)
    conditions: list[ConditionItem] = field(default_factory=list)
    medications: list[MedicationItem] = field(default_factory=list)
    allergies: list[AllergyItem] = field(default_factory=list)
    encounters: list[EncounterItem] = field(default_factory=list)
    reports: list[ReportItem] = field(default_factory=list)
    retractions: list[Retraction] = field(default_factory=list)
    kept: list[KeptResource] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, reason) → n

    def extend(self, other: ParsedFile) -> None:
        """Append another batch of the same file (streamed NDJSON read as a whole)."""
        for name in ("patients", "observations", "conditions", "medications", "allergies",
                     "encounters", "reports", "retractions", "kept", "errors", "flags"):
            getattr(self, name).extend(getattr(other, name))
        self.skipped.update(other.skipped)

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        self.skipped[(kind, reason)] += n

    @property
    def item_count(self) -> int:
        return (len(self.patients) + len(self.observations) + len(self.conditions)
                + len(self.medications) + len(self.allergies) + len(self.encounters)
                + len(self.reports) + len(self.kept))
