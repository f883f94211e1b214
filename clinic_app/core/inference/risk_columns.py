"""Columnar batch scoring: inputs as columns in, value and category columns out.

``RiskModel.score_many`` builds a full :class:`RiskResult` (inputs, flags, contributions,
optionally the 2^k-row Shapley explanation) for every patient, which made the batch path
40-75x slower than the model run itself (issue 16). A patient list needs two numbers per
patient; the rest is wanted when one patient is opened. So this path:

* checks and encodes whole columns with numpy (numbers: finite and inside a refusing
  range; booleans: a bool column; categories: a listed value), and runs every usable row
  through one batched session run;
* keeps the value, the category (with the advice guard, so "not applicable: no AF
  recorded" holds here too) and which rows were refused, as arrays;
* builds a patient's full result only when asked, :meth:`ColumnarScores.result`, through
  the one-row path (:meth:`RiskModel.score`: same checks, flags and exact Shapley
  explanation), so the detail a clinician opens is exactly the one-patient answer;
* explains every row at once only when asked (:meth:`ColumnarScores.explanations`, for an
  export): exact Shapley shares cost 2^k model rows per patient whatever the layout.

A row the column checks do not pass (a missing, non-finite or mistyped value, a value
outside a refusing range, a category the model does not list) is refused with the
one-row path's own message, never defaulted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from clinic_app.core.inference.reference import explain_arrays, reference_plan
from clinic_app.core.inference.risk_checks import _categories
from clinic_app.core.inference.risk_types import InputValue, RiskResult
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import CannotCompute, ModelError

if TYPE_CHECKING:
    from clinic_app.core.inference.manifest import FeatureSpec, Manifest
    from clinic_app.core.inference.risk import RiskModel

Column = Sequence[Any] | np.ndarray


def _encode_array(spec: FeatureSpec, column: Column) -> tuple[np.ndarray, np.ndarray]:
    """(tensor numbers, rows to hand to the one-row path) for one input column."""
    arr = np.asarray(column)
    n = len(arr)
    if spec.kind == "boolean":
        if arr.dtype == np.bool_:
            return arr.astype(np.float64), np.zeros(n, dtype=bool)
        ok = np.fromiter((type(v) is bool for v in column), dtype=bool, count=n)
        encoded = np.fromiter((v is True for v in column), dtype=np.float64, count=n)
        return encoded, ~ok
    if spec.kind == "category":
        cats = spec.categories
        codes = np.fromiter((cats.get(v, np.nan) if type(v) is str else np.nan for v in column),
                            dtype=np.float64, count=n)
        bad = np.isnan(codes)
        return np.where(bad, 0.0, codes), bad
    if arr.dtype.kind not in "fiu":  # objects, strings, booleans: the one-row path decides
        return np.zeros(n), np.ones(n, dtype=bool)
    encoded = arr.astype(np.float64)
    bad = ~np.isfinite(encoded)
    if spec.valid_range is not None and spec.out_of_range == "refuse":
        lo, hi = spec.valid_range
        bad |= ~((encoded >= lo) & (encoded <= hi))
    return np.where(bad, 0.0, encoded), bad


def _advice_columns(m: Manifest, columns: Mapping[str, Column], keep: np.ndarray,
                    categories: np.ndarray) -> np.ndarray:
    """``risk_checks._advice`` for the categories of the computed rows (``keep``)."""
    if m.demo:
        return np.full(len(categories), None, dtype=object)
    spec = m.section("advice")
    out = categories.copy()
    for name in spec.get("requires", ()):
        given = columns.get(name)
        if given is None:
            applies = np.zeros(len(out), dtype=bool)
        else:  # only a true boolean counts (the one-row rule: ``value is not True``)
            arr = np.asarray(given)
            applies = (arr if arr.dtype == np.bool_ else np.fromiter(
                (v is True for v in given), dtype=bool, count=len(keep)))[keep]
        out[~applies] = str(spec.get("not_applicable", "not applicable"))
    return out


@dataclass(frozen=True, eq=False)
class ExplanationColumns:
    """Shapley explanations of the computed rows (in row order), as arrays."""

    names: tuple[str, ...]  # the modifiable factors
    labels: tuple[str, ...]
    risk: np.ndarray  # [M]
    reference_risk: np.ndarray  # [M]: same age, sex and race, optimal factors
    shares: np.ndarray  # [M, k] probabilities; each row sums to risk - reference_risk


@dataclass(frozen=True, eq=False)
class ColumnarScores:
    """One model's scores for N patients as arrays; a patient's detail built on demand."""

    model: RiskModel
    columns: Mapping[str, Column]
    as_of: datetime | None
    computed: np.ndarray  # [N] bool: a value exists
    values: np.ndarray  # [N] float, NaN where refused
    categories: np.ndarray  # [N] object: band label, advice text, or None
    refused: Mapping[int, CannotCompute]  # row -> the one-row path's refusal
    matrix: np.ndarray  # [computed rows, F] encoded inputs of the computed rows

    def __len__(self) -> int:
        return len(self.values)

    def row(self, i: int) -> dict[str, InputValue]:
        """Patient ``i``'s inputs as the one-row path takes them (missing ones left out)."""
        out = {}
        for name, column in self.columns.items():
            value = column[i]
            if value is None or (isinstance(value, float) and value != value):
                continue
            out[name] = InputValue(name, value.item() if isinstance(value, np.generic) else value)
        return out

    def result(self, i: int) -> RiskResult | CannotCompute:
        """Patient ``i`` in full: the one-row path (checks, flags, explanation)."""
        if i in self.refused:
            return self.refused[i]
        return self.model.score(self.row(i), as_of=self.as_of)

    def explanations(self) -> ExplanationColumns | None:
        """Every computed row's exact Shapley explanation, as arrays (one batched run of 2^k
        rows each); None when the model declares no reference explanation."""
        plan = reference_plan(self.model.manifest)
        if plan is None:
            return None
        n = len(self.matrix)
        risk, reference, shares = explain_arrays(self.model.session, self.matrix, plan) \
            if n else (np.zeros(0), np.zeros(0), np.zeros((0, len(plan.names))))
        return ExplanationColumns(plan.names, plan.labels, risk, reference, shares)


def score_columns(model: RiskModel, columns: Mapping[str, Column], *,
                  as_of: datetime | None = None, batch_size: int | None = None,
                  progress: Progress = no_progress,
                  cancel: CancelToken = NEVER_CANCELLED) -> ColumnarScores:
    """Score N patients given as columns (name -> N values); see the module docstring."""
    m = model.manifest
    lengths = {len(c) for c in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"input columns differ in length: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    names = list(m.inputs[0].columns)
    matrix = np.zeros((n, len(names)), dtype=np.float64)
    odd = np.zeros(n, dtype=bool)
    for spec in m.features:
        if spec.role != "tensor":
            continue
        column = columns.get(spec.name)
        if column is None:
            odd[:] = True
            continue
        encoded, bad = _encode_array(spec, column)
        matrix[:, names.index(spec.name)] = encoded
        odd |= bad
    refused: dict[int, CannotCompute] = {}
    scores = ColumnarScores(model, columns, as_of, np.zeros(0, bool), np.zeros(0), np.zeros(0),
                            refused, matrix)
    for i in np.flatnonzero(odd).tolist():  # the one-row path refuses, or accepts an odd type
        try:
            matrix[i] = model.prepare(scores.row(i)).row
            odd[i] = False
        except CannotCompute as exc:
            refused[i] = exc
    keep = ~odd
    computed_matrix = matrix[keep]
    values = np.full(n, np.nan)
    categories = np.full(n, None, dtype=object)
    if len(computed_matrix):
        outputs = model.session.run_batched({m.inputs[0].name: computed_matrix},
                                            batch_size=batch_size, progress=progress,
                                            cancel=cancel)
        out = m.section("outputs")
        primary = np.asarray(outputs[str(out["primary"])], dtype=np.float64)
        if out.get("unit") == "probability" and not np.all((primary >= 0.0) & (primary <= 1.0)):
            raise ModelError(f"{m.label}: produced a probability outside [0, 1]; results "
                             "discarded.")
        arrays = {t.name: np.asarray(outputs[t.name], dtype=np.float64)
                  for t in m.outputs if len(t.shape) == 1}
        values[keep] = primary
        categories[keep] = np.asarray(_categories(m, arrays, primary), dtype=object)
        categories[keep] = _advice_columns(m, columns, keep, categories[keep])
    return ColumnarScores(model, columns, as_of, keep, values, categories, refused,
                          computed_matrix)
