"""The value types of risk scoring: inputs as used, results, explanations.

Kept apart from :mod:`risk` (the scoring) and :mod:`explain` (the per-term shares) so
both, the services, the report and the features resolver import plain data without
importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from clinic_app.core.inference.reference_types import RiskExplanation
from clinic_app.core.reports.wording import score_text


@dataclass(frozen=True)
class TermContribution:
    name: str
    label: str
    amount: float


@dataclass(frozen=True)
class Contribution:
    """One input's share, shown with the value, unit, date and source it came from."""

    name: str
    label: str
    amount: float
    value: float | bool | str
    unit: str
    date: datetime | None
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"input": self.name, "label": self.label, "amount": self.amount,
                "value": self.value, "unit": self.unit,
                "date": self.date.isoformat() if self.date else None, "source": self.source}


DEMO_FLAG = "DEMO MODEL - not for clinical use"


@dataclass(frozen=True)
class InputValue:
    """One input as used: value in canonical unit, and where it came from."""

    name: str
    value: float | bool | str
    unit: str = ""
    date: datetime | None = None  # when the fact was observed / recorded
    source: str = "entered"  # "entered", or a record reference / derivation
    assumed_absent: bool = False  # a history item not in the record, counted as "no"

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit,
                "date": self.date.isoformat() if self.date else None, "source": self.source,
                "assumed_absent": self.assumed_absent}


@dataclass(frozen=True)
class MissingInput:
    name: str
    label: str
    supplied_by: str

    def describe(self) -> str:
        return f"{self.name} ({self.supplied_by})"


@dataclass(frozen=True)
class RiskResult:
    model_id: str
    model_version: str
    model_name: str
    manifest_sha256: str
    demo: bool
    provider: str
    value: float
    unit: str  # probability | points | score
    decimals: int
    horizon: str
    category: str | None
    flags: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    terms: tuple[TermContribution, ...]
    inputs: Mapping[str, InputValue]
    outputs: Mapping[str, float]
    unused_inputs: tuple[str, ...] = ()
    as_of: datetime | None = None
    # The risk against a reference patient, with exact Shapley shares (manifests that
    # declare ``explanation.reference``; one-patient scoring, or batch when asked).
    explanation: RiskExplanation | None = None

    @property
    def display_value(self) -> str:
        return score_text(self.value, self.unit, self.decimals)

    def to_json(self) -> dict[str, Any]:
        """The documented CLI/JSON shape (docs/models.md)."""
        return {
            "model": self.model_id, "version": self.model_version, "name": self.model_name,
            "value": self.value, "unit": self.unit, "decimals": self.decimals,
            "category": self.category,
            "flags": list(self.flags), "demo": self.demo,
            "contributions": {c.name: c.amount for c in self.contributions},
            "contribution_details": [c.to_json() for c in self.contributions],
            "terms": {t.name: t.amount for t in self.terms},
            "inputs": {k: v.to_json() for k, v in self.inputs.items()},
            "outputs": dict(self.outputs),
            "provider": self.provider, "manifest_sha256": self.manifest_sha256,
            "horizon": self.horizon or None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "unused_inputs": list(self.unused_inputs),
            "explanation": self.explanation.to_json() if self.explanation else None,
        }



@dataclass(frozen=True)
class PreparedRow:
    """Inputs checked and encoded, with the flags the checks raised."""

    row: np.ndarray
    inputs: Mapping[str, InputValue]
    flags: tuple[str, ...]
    unused: tuple[str, ...] = ()



@dataclass(frozen=True)
class VectorCheck:
    name: str
    ok: bool
    detail: str
    source: str



def as_input_values(raw: Mapping[str, Any]) -> dict[str, InputValue]:
    """Calculator-mode inputs (plain JSON values) as InputValues marked 'entered'."""
    return {name: value if isinstance(value, InputValue) else InputValue(name, value)
            for name, value in raw.items()}


