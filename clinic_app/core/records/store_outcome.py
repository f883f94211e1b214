"""What storing one file did: counts per kind, and the problems found on the way.

Kept apart from the importer so the service's reports and the streamed (NDJSON) path
read one shape; the lists are bounded, the totals exact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from clinic_app.core.records.batch import Problem

#: Problems listed per file (reports show fewer; counts are always exact).
KEPT_PROBLEMS = 2000


@dataclass
class StoreOutcome:
    """What storing one file did (counts are of items in the file)."""

    patients: int = 0
    patients_new: int = 0
    observations: int = 0
    observations_new: int = 0
    conditions: int = 0
    medications: int = 0
    allergies: int = 0
    encounters: int = 0
    reports: int = 0
    unclassified: int = 0  # medications kept without a recognised class
    kept: int = 0  # resources of types not read, kept as received (fhir_kept)
    retracted: int = 0
    errors: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    patient_mrns: list[str] = field(default_factory=list)  # for the per-patient audit only
    error_total: int = 0  # problems from the reader (the lists above keep the first ones)
    flag_total: int = 0

    def error(self, problem: Problem) -> None:
        self.add_problems([problem], [])

    def flag(self, problem: Problem) -> None:
        self.add_problems([], [problem])

    def add_problems(self, errors: list[Problem], flags: list[Problem]) -> None:
        """Keep at most :data:`KEPT_PROBLEMS` of each (memory stays bounded for huge
        files); the totals stay exact."""
        self.error_total += len(errors)
        self.flag_total += len(flags)
        self.errors.extend(errors[:max(0, KEPT_PROBLEMS - len(self.errors))])
        self.flags.extend(flags[:max(0, KEPT_PROBLEMS - len(self.flags))])

    def counts(self) -> dict[str, int]:
        return {"patients": self.patients, "patients_new": self.patients_new,
                "observations": self.observations, "observations_new": self.observations_new,
                "conditions": self.conditions, "medications": self.medications,
                "allergies": self.allergies, "encounters": self.encounters,
                "reports": self.reports, "medications_unclassified": self.unclassified,
                "retracted": self.retracted, "other_resources": self.kept}
