"""What scoring returns: a patient's results and the models that could not be computed,
and a batch run's counts. Kept apart from :mod:`clinic_app.services.risk` (the service)
so the screens, the CLI and the chart can name these types without the scoring code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinic_app.core.inference.risk import InputValue, MissingInput, RiskModel, RiskResult
from clinic_app.errors import CannotCompute
from clinic_app.services.score_outcome import ScoreOutcome, from_not_computed, from_result


@dataclass(frozen=True)
class NotComputed:
    """A model that could not be scored for this patient, and why."""

    model_id: str
    model_name: str
    reason: str
    missing: tuple[MissingInput, ...] = ()
    model_version: str = ""
    # What the record did give (live results only, never stored): the screens show it
    # beside what is missing, so the physician sees the values a what-if starts from.
    present: tuple[InputValue, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model_id, "name": self.model_name, "version": self.model_version,
                "reason": self.reason,
                "missing": [{"input": m.name, "label": m.label, "supplied_by": m.supplied_by}
                            for m in self.missing]}

    @classmethod
    def of(cls, model: RiskModel, *, missing: Sequence[MissingInput] = (),
           refused: CannotCompute | None = None,
           present: Sequence[InputValue] = ()) -> NotComputed:
        """The one wording for missing inputs (single and batch paths alike)."""
        m = model.manifest
        reason = str(refused) if refused is not None else \
            "missing " + "; ".join(x.describe() for x in missing)
        return cls(m.id, m.name, reason, tuple(missing), m.version, tuple(present))


@dataclass(frozen=True)
class PatientScores:
    patient_key: int
    as_of: datetime
    results: tuple[RiskResult, ...]
    not_computed: tuple[NotComputed, ...]
    stored_ids: tuple[int, ...] = ()

    def outcomes(self) -> list[ScoreOutcome]:
        """Every model's outcome, scored ones first, as the screens read them."""
        return [*(from_result(r, self.as_of, patient_key=self.patient_key) for r in self.results),
                *(from_not_computed(n, self.as_of, patient_key=self.patient_key)
                  for n in self.not_computed)]

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "results": [r.to_json() for r in self.results],
                "not_computed": [n.to_json() for n in self.not_computed]}


@dataclass(frozen=True)
class BatchReport:
    patients: int
    scored: int  # results stored
    not_computed: int
    by_model: dict[str, dict[str, int]] = field(default_factory=dict)
