"""Exact Shapley shares of a risk against an optimal-risk reference, through the model.

For a manifest whose ``explanation.reference`` names the reference values and the
modifiable factors ("players", each one or more inputs that move together, e.g. systolic
pressure with its treatment), every patient row is run with each of the 2^k subsets of
factors at the patient's values and the rest at the reference. One batched session run
covers all patients; the shares are then one matrix product::

    phi_i = sum over S not containing i of |S|! (k-|S|-1)! / k! * (v(S + i) - v(S))

v(all factors) is the patient's risk and v(no factor) the reference risk, so the shares
add up to their difference (efficiency, to float rounding), whatever the model's
interactions; a factor at its reference value gets exactly 0.
The model computes every value itself: nothing about the equations is re-implemented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import factorial

import numpy as np

from clinic_app.core.inference.manifest import Manifest
from clinic_app.core.inference.reference_types import RiskExplanation, Share
from clinic_app.core.inference.risk_checks import _encode
from clinic_app.core.inference.runtime import ModelSession
from clinic_app.errors import ModelError


@dataclass(frozen=True)
class ReferencePlan:
    """How to build the 2^k coalition rows for one manifest (worked out once)."""

    reference: str
    source: str
    names: tuple[str, ...]
    labels: tuple[str, ...]
    inputs: tuple[tuple[str, ...], ...]
    columns: tuple[tuple[int, ...], ...]  # tensor columns each player sets
    values: tuple[tuple[float, ...], ...]  # the encoded reference value of each column
    masks: np.ndarray  # [2^k, k] bool: player j at the patient's value in coalition s
    without: np.ndarray  # [k, 2^(k-1)]: coalitions S lacking player j
    weights: np.ndarray  # [k, 2^(k-1)]: |S|! (k-|S|-1)! / k! for those S

    @property
    def size(self) -> int:
        return len(self.masks)


_PLANS: dict[str, ReferencePlan | None] = {}


def reference_plan(m: Manifest) -> ReferencePlan | None:
    """The manifest's reference explanation, or None when it declares none."""
    if m.sha256 in _PLANS:
        return _PLANS[m.sha256]
    spec = m.section("explanation", "reference")
    if not spec:
        _PLANS[m.sha256] = None
        return None
    columns = {name: i for i, name in enumerate(m.inputs[0].columns)}
    values = spec["values"]
    names, labels, inputs, cols, refs = [], [], [], [], []
    for player in spec["players"]:
        ins = tuple(player["inputs"])
        for name in ins:
            if name not in columns or name not in values:
                raise ModelError(f"{m.label}: reference factor {player['name']!r} names "
                                 f"{name!r}, which is not a model input with a reference value")
        names.append(str(player["name"]))
        labels.append(str(player["label"]))
        inputs.append(ins)
        cols.append(tuple(columns[n] for n in ins))
        refs.append(tuple(_encode(m, m.feature(n), values[n])[0] for n in ins))
    k = len(names)
    masks = np.array([[(s >> j) & 1 == 1 for j in range(k)] for s in range(1 << k)], dtype=bool)
    without = np.array([[c for c in range(1 << k) if not (c >> j) & 1] for j in range(k)],
                       dtype=np.int64)
    sizes = masks.sum(axis=1)[without]
    weights = np.vectorize(lambda n: factorial(n) * factorial(k - n - 1) / factorial(k))(sizes)
    plan = ReferencePlan(str(spec.get("name", "reference")), str(spec.get("source", "")),
                         tuple(names), tuple(labels), tuple(inputs), tuple(cols), tuple(refs),
                         masks, without, np.asarray(weights, dtype=np.float64))
    _PLANS[m.sha256] = plan
    return plan


def coalition_rows(plan: ReferencePlan, matrix: np.ndarray) -> np.ndarray:
    """[N, F] encoded patient rows -> [N * 2^k, F]: every coalition of every patient."""
    n, f = matrix.shape
    rows = np.repeat(matrix[:, None, :], plan.size, axis=1)  # [N, 2^k, F]
    for j, (cols, refs) in enumerate(zip(plan.columns, plan.values, strict=True)):
        off = ~plan.masks[:, j]
        for c, r in zip(cols, refs, strict=True):
            rows[:, off, c] = r
    return rows.reshape(n * plan.size, f)


def explain_arrays(session: ModelSession, matrix: np.ndarray, plan: ReferencePlan
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(risk [N], reference risk [N], shares [N, k]) for each encoded row: one batched run."""
    m = session.manifest
    primary = str(m.section("outputs")["primary"])
    outputs: Mapping[str, np.ndarray] = session.run_batched(
        {m.inputs[0].name: coalition_rows(plan, matrix)})
    values = np.asarray(outputs[primary], dtype=np.float64).reshape(len(matrix), plan.size)
    # Differences first: a factor at its reference value gets exactly 0.
    shares = np.stack([(values[:, idx | (1 << j)] - values[:, idx]) @ plan.weights[j]
                       for j, idx in enumerate(plan.without)], axis=1)  # [N, k]
    return values[:, -1], values[:, 0], shares


def explain_rows(session: ModelSession, matrix: np.ndarray,
                 plan: ReferencePlan | None = None) -> list[RiskExplanation]:
    """Reference risk and exact Shapley shares for each encoded row (one batched run)."""
    plan = plan or reference_plan(session.manifest)
    if plan is None or len(matrix) == 0:
        return []
    risk, reference, shares = explain_arrays(session, matrix, plan)
    return [RiskExplanation(r, ref, plan.reference, plan.source,
                            tuple(Share(name, label, float(a), ins) for name, label, a, ins
                                  in zip(plan.names, plan.labels, row, plan.inputs,
                                         strict=True)),
                            plan.size)
            for r, ref, row in zip(risk.tolist(), reference.tolist(), shares, strict=True)]
