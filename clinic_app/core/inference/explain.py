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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from clinic_app.core.inference.manifest import Manifest
from clinic_app.core.inference.risk_types import Contribution, InputValue, TermContribution


@dataclass(frozen=True)
class _Plan:
    output: str
    terms: tuple[tuple[str, str, tuple[str, ...]], ...]  # name, label, inputs
    features: tuple[tuple[str, str], ...]  # inputs that receive a share: name, label


_PLANS: dict[str, _Plan | None] = {}


def _plan(m: Manifest) -> _Plan | None:
    """The explanation layout of a manifest, worked out once (batch scoring calls per row)."""
    key = m.sha256
    if key not in _PLANS:
        spec = m.section("explanation")
        if not spec or "output" not in spec:
            _PLANS[key] = None
        else:
            terms = tuple((t["name"], t.get("label", t["name"]), tuple(t["inputs"]))
                          for t in spec["terms"])
            named = {name for _, _, inputs in terms for name in inputs}
            _PLANS[key] = _Plan(spec["output"], terms,
                                tuple((f.name, f.label) for f in m.features if f.name in named))
    return _PLANS[key]


def explain(m: Manifest, inputs: Mapping[str, InputValue], outputs: Mapping[str, np.ndarray],
            i: int) -> tuple[tuple[Contribution, ...], tuple[TermContribution, ...]]:
    plan = _plan(m)
    if plan is None or plan.output not in outputs:
        return (), ()
    row = outputs[plan.output][i].tolist()
    terms = tuple(TermContribution(name, label, row[k])
                  for k, (name, label, _) in enumerate(plan.terms))
    shares: dict[str, float] = {}
    for (_, _, names), amount in zip(plan.terms, row, strict=True):
        part = amount / len(names)
        for name in names:
            shares[name] = shares.get(name, 0.0) + part
    contributions = []
    for name, label in plan.features:
        given = inputs[name]
        contributions.append(Contribution(name, label, shares[name], given.value, given.unit,
                                          given.date, given.source))
    return tuple(contributions), terms


def explain_many(m: Manifest, inputs: Sequence[Mapping[str, InputValue]],
                 outputs: Mapping[str, np.ndarray]
                 ) -> list[tuple[tuple[Contribution, ...], tuple[TermContribution, ...]]]:
    """:func:`explain` for every row of a batch (row ``i`` of ``outputs`` is ``inputs[i]``).

    The per-input shares are computed column by column with numpy in exactly the order
    :func:`explain` adds them (0.0 + first part, then each later part, term by term), in
    float64, so every amount is bit-for-bit what the one-row path gives; only building
    the result objects is left per row.
    """
    plan = _plan(m)
    if plan is None or plan.output not in outputs:
        return [((), ())] * len(inputs)
    table = np.asarray(outputs[plan.output], dtype=np.float64)
    shares: dict[str, np.ndarray] = {}
    for k, (_, _, term_inputs) in enumerate(plan.terms):
        part = table[:, k] / len(term_inputs)
        for name in term_inputs:
            shares[name] = shares.get(name, 0.0) + part
    names = [name for name, _ in plan.features]
    labels = [label for _, label in plan.features]
    given = [[row[name] for row in inputs] for name in names]
    per_row = [zip(*(shares[name].tolist() for name in names), strict=True)]
    for attribute in ("value", "unit", "date", "source"):
        per_row.append(zip(*([getattr(g, attribute) for g in column] for column in given),
                           strict=True))
    term_names = [name for name, _, _ in plan.terms]
    term_labels = [label for _, label, _ in plan.terms]
    if table.shape[1] != len(term_names):
        raise ValueError(f"{m.label}: {plan.output} has {table.shape[1]} terms, the manifest "
                         f"names {len(term_names)}")
    return [(tuple(map(Contribution, names, labels, amounts, values, units, dates, sources)),
             tuple(map(TermContribution, term_names, term_labels, row)))
            for row, amounts, values, units, dates, sources
            in zip(table.tolist(), *per_row, strict=True)]
