"""Per-input contributions, read from the model's own outputs.

Risk graphs output their per-term contributions (``explanation.output``): for the
equations, coefficient × transformed value, summing to the linear predictor; for point
scores, the points of each item. The explanation is therefore computed by the same
verified graph that computed the score, not re-implemented beside it.

Per input, a term's amount is shared equally among the inputs it names (so an
interaction like ln age × ln HDL counts half to each); this is the Shapley split for a
product term with a zero baseline, and it keeps the per-input amounts summing to the
linear predictor (or score) minus any constant baseline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from clinic_app.core.inference.manifest import Manifest

if TYPE_CHECKING:
    from clinic_app.core.inference.risk import InputValue


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


def explain(m: Manifest, inputs: Mapping[str, InputValue], outputs: Mapping[str, np.ndarray],
            i: int) -> tuple[tuple[Contribution, ...], tuple[TermContribution, ...]]:
    spec = m.section("explanation")
    if not spec or spec.get("output") not in outputs:
        return (), ()
    row = outputs[spec["output"]][i]
    terms = tuple(TermContribution(t["name"], t.get("label", t["name"]), float(row[k]))
                  for k, t in enumerate(spec["terms"]))
    shares: dict[str, float] = {}
    for term, amount in zip(spec["terms"], terms, strict=True):
        names = term["inputs"]
        for name in names:
            shares[name] = shares.get(name, 0.0) + amount.amount / len(names)
    contributions = []
    for feature in m.features:
        if feature.name not in shares:
            continue
        given = inputs[feature.name]
        contributions.append(Contribution(feature.name, feature.label, shares[feature.name],
                                          given.value, given.unit, given.date, given.source))
    return tuple(contributions), terms
