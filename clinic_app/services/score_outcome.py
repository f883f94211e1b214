"""One model's outcome for one patient, as the services hand it to the screens and the CLI.

A score reaches the services in four shapes: computed now (a core ``RiskResult``) or
stored earlier (``StoredResult``), and "cannot compute" now (``services.risk_scores.NotComputed``)
or stored earlier (``StoredNotComputed``). Each screen used to handle the live and the
stored shapes separately, so the list, the panel and the follow-up had two paths from a
score to its text. Every service that returns a score now returns a :class:`ScoreOutcome`,
built here once, so a caller has one type to read and one formatter
(:func:`clinic_app.core.reports.wording.score_text`) for its value, and the UI never sees
the store's row types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinic_app.core.inference.results import NotComputedOutcome, StoredNotComputed, StoredResult
from clinic_app.core.inference.risk_types import InputValue, MissingInput, RiskResult
from clinic_app.core.reports.wording import score_text


@dataclass(frozen=True)
class ScoreOutcome:
    """A score (``value`` set) or "cannot compute" (``reason`` and ``missing`` set)."""

    model_id: str
    model_name: str
    model_version: str
    as_of: datetime  # the date the inputs were read as of
    value: float | None = None  # None: could not be computed
    unit: str = ""  # probability | points | score
    decimals: int = 0
    category: str | None = None
    flags: tuple[str, ...] = ()
    provider: str = ""
    # The result's documented JSON snapshot (RiskResult.to_json(): inputs with dates and
    # sources, contribution_details, explanation, outputs); empty when not computed.
    detail: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""  # why it could not be computed ("" when it was)
    missing: tuple[MissingInput, ...] = ()  # each with what would supply it
    patient_key: int | None = None
    computed_at: datetime | None = None  # stored outcomes only
    computed_by: str = ""  # stored outcomes only
    present: tuple[InputValue, ...] = ()  # not computed now: what the record did give

    @property
    def computed(self) -> bool:
        return self.value is not None

    @property
    def value_text(self) -> str:
        """The value as every screen and the report write it ("" when not computed)."""
        return score_text(self.value, self.unit, self.decimals) if self.value is not None else ""


def from_result(r: RiskResult, as_of: datetime, *, patient_key: int | None = None
                ) -> ScoreOutcome:
    """A result computed now (``as_of`` where the result carries no date of its own)."""
    return ScoreOutcome(r.model_id, r.model_name, r.model_version, r.as_of or as_of, r.value,
                        r.unit, r.decimals, r.category, tuple(r.flags), r.provider, r.to_json(),
                        patient_key=patient_key)


def from_not_computed(n: NotComputedOutcome, as_of: datetime, *,
                      patient_key: int | None = None) -> ScoreOutcome:
    """A model that could not be scored now, and why."""
    return ScoreOutcome(n.model_id, n.model_name, n.model_version, as_of, reason=n.reason,
                        missing=tuple(n.missing), patient_key=patient_key,
                        present=tuple(getattr(n, "present", ())))


def _decimals(detail: Mapping[str, Any], unit: str) -> int:
    # Results stored before the snapshot carried its precision: the models' own defaults.
    return int(detail.get("decimals", 3 if unit == "probability" else 0))


def from_stored(s: StoredResult | StoredNotComputed) -> ScoreOutcome:
    """An outcome read back from the store (a result, or the newest failed attempt)."""
    if isinstance(s, StoredNotComputed):
        return ScoreOutcome(s.model_id, s.model_name, s.model_version, s.as_of, reason=s.reason,
                            missing=s.missing, patient_key=s.patient_key,
                            computed_at=s.computed_at, computed_by=s.computed_by)
    d = s.detail
    return ScoreOutcome(s.model_id, str(d.get("name", s.model_id)), s.model_version, s.as_of,
                        s.value, s.unit, _decimals(d, s.unit), s.category, s.flags, s.provider,
                        d, patient_key=s.patient_key, computed_at=s.computed_at,
                        computed_by=s.computed_by)

