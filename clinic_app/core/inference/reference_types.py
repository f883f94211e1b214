"""A risk explained against a reference patient: plain data, no numpy, no model.

The reference patient has the same non-modifiable inputs (age, sex, race, ...) and the
optimal value of every modifiable one (the ACC ASCVD Risk Estimator Plus definitions).
Each modifiable factor's share is its exact Shapley value over the factors, so the
shares add up to ``risk - reference_risk`` (to float rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Share:
    """One modifiable factor's share of (risk - reference risk), as a probability."""

    name: str
    label: str
    amount: float
    inputs: tuple[str, ...]

    @property
    def points(self) -> float:
        """The share in percentage points."""
        return self.amount * 100.0

    def to_json(self) -> dict[str, Any]:
        return {"factor": self.name, "label": self.label, "amount": self.amount,
                "inputs": list(self.inputs)}


@dataclass(frozen=True)
class RiskExplanation:
    risk: float
    reference_risk: float
    reference: str  # e.g. "same age, sex and race, optimal risk factors"
    source: str
    shares: tuple[Share, ...]
    evaluations: int  # model rows run for this patient (2^k)

    @property
    def excess(self) -> float:
        """What the modifiable factors add (or take away) against the reference."""
        return self.risk - self.reference_risk

    def ranked(self) -> list[Share]:
        """Largest effect first (by size, either sign)."""
        return sorted(self.shares, key=lambda s: abs(s.amount), reverse=True)

    def to_json(self) -> dict[str, Any]:
        return {"risk": self.risk, "reference_risk": self.reference_risk,
                "reference": self.reference, "source": self.source,
                "shares": [s.to_json() for s in self.shares], "method": "exact Shapley values",
                "evaluations": self.evaluations}
