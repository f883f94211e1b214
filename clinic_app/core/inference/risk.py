"""Risk scoring: named inputs → checked tensor → verified model → value, category, flags.

Everything model-specific (features, units, valid ranges and what to do outside them,
categories, flags, explanation) comes from the manifest, so the same code serves the
shipped equations, the demo model and third-party packages. Rules that keep it safe:

* a missing input is :class:`CannotCompute` naming the input and what would supply it;
  nothing is ever defaulted;
* an input outside its published range is refused, or computed and flagged
  "extrapolated", as the manifest says for that input; never silently computed;
* a category value the manifest does not list (e.g. race "asian") is refused;
* every clamp a rule applies (MELD's UNOS rules), every substitution (race "other"),
  every applicability failure (no AF for CHA2DS2-VASc) becomes a flag on the result.
"""


from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from clinic_app.core.inference.explain import explain, explain_many
from clinic_app.core.inference.manifest import Manifest
from clinic_app.core.inference.reference import explain_rows
from clinic_app.core.inference.risk_checks import (
    _absent_flags,
    _advice,
    _applicability,
    _calculator_hint,
    _categories,
    _category,
    _encode,
    _encode_column,
)
from clinic_app.core.inference.risk_types import (
    DEMO_FLAG,
    Contribution,
    InputValue,
    MissingInput,
    PreparedRow,
    RiskResult,
    TermContribution,
    VectorCheck,
    as_input_values,
)
from clinic_app.core.inference.runtime import ModelSession
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import CannotCompute, ModelError

__all__ = ["DEMO_FLAG", "Contribution", "InputValue", "MissingInput", "PreparedRow", "RiskModel",
           "RiskResult", "TermContribution", "VectorCheck", "as_input_values"]


@dataclass(frozen=True)
class _Batch:
    """Rows checked and encoded column-wise: the computable ones, in order, and refusals."""

    matrix: np.ndarray  # one encoded row per computable row
    index: list[int]  # which input rows those are
    inputs: list[dict[str, InputValue]]
    flags: list[tuple[str, ...]]
    unused: list[tuple[str, ...]]
    refused: list[RiskResult | CannotCompute]  # CannotCompute at refused rows, else None




@dataclass
class RiskModel:
    """A verified risk-score package with its session."""

    session: ModelSession
    manifest: Manifest = field(init=False)

    def __post_init__(self) -> None:
        self.manifest = self.session.manifest
        if self.manifest.task != "risk-score":
            raise ModelError(f"{self.manifest.label} is a {self.manifest.task} model, not a risk score.")

    # -- checking and encoding ----------------------------------------------------------
    def missing(self, inputs: Mapping[str, Any], hints: Mapping[str, str] | None = None) -> list[MissingInput]:
        hints = hints or {}
        out = []
        for spec in self.manifest.features:
            if spec.role == "tensor" and inputs.get(spec.name) is None:
                hint = hints.get(spec.name) or _calculator_hint(spec)
                out.append(MissingInput(spec.name, spec.label, hint))
        return out

    def prepare(self, inputs: Mapping[str, InputValue],
                hints: Mapping[str, str] | None = None) -> PreparedRow:
        """Check every input against the manifest and encode the tensor row."""
        m = self.manifest
        missing = self.missing(inputs, hints)
        known = {f.name for f in m.features}
        unused = tuple(sorted(n for n in inputs if n not in known))
        if missing:
            # Stored as written (batch results keep the reason): English, translated when
            # shown (core/reports/wording.py: plain_reason).
            extra = f" Unrecognised inputs given: {', '.join(unused)}." if unused else ""
            raise CannotCompute(f"Cannot compute {m.name}: missing "
                                f"{'; '.join(x.describe() for x in missing)}.{extra}")
        flags: list[str] = []
        row = np.empty(len(m.inputs[0].columns), dtype=np.float64)
        used: dict[str, InputValue] = {}
        columns = {name: i for i, name in enumerate(m.inputs[0].columns)}
        for spec in m.features:
            given = inputs.get(spec.name)
            if given is None:  # only context features can get here
                continue
            encoded, value_flags = _encode(m, spec, given.value)
            flags.extend(value_flags)
            used[spec.name] = InputValue(spec.name, given.value, spec.unit if spec.unit != "1" else "",
                                         given.date, given.source, given.assumed_absent)
            if spec.role == "tensor":
                row[columns[spec.name]] = encoded
        flags.extend(_applicability(m, used))
        absent = sorted(v.name for v in used.values() if v.assumed_absent)
        if absent:
            flags.append("not in the record, counted as absent: " + ", ".join(absent))
        if m.demo:
            flags.insert(0, DEMO_FLAG)
        return PreparedRow(row, used, tuple(flags), unused)

    # -- scoring ------------------------------------------------------------------------
    def score(self, inputs: Mapping[str, InputValue], *, as_of: datetime | None = None,
              hints: Mapping[str, str] | None = None) -> RiskResult:
        prepared = self.prepare(inputs, hints)
        outputs = self.session.run({self.manifest.inputs[0].name: prepared.row[None, :]})
        result = self._result(prepared, outputs, 0, as_of)
        explained = explain_rows(self.session, prepared.row[None, :])
        return replace(result, explanation=explained[0]) if explained else result

    def score_many(self, rows: Sequence[Mapping[str, InputValue]], *,
                   as_of: Sequence[datetime | None] | None = None,
                   hints: Sequence[Mapping[str, str] | None] | None = None,
                   batch_size: int | None = None, progress: Progress = no_progress,
                   cancel: CancelToken = NEVER_CANCELLED,
                   reference: bool = False) -> list[RiskResult | CannotCompute]:
        """Vectorised: checks, encoding, flags and explanations column by column with
        numpy, and every computable row through one batched session run.

        Each row's result is the one :meth:`score` assembles from the same model outputs:
        same value, category, flags (in the same order, with the same text), inputs,
        contributions and terms (tests/test_risk_batch.py compares the two paths). Rows the
        column checks do not pass (a missing or unusable input, a refused range) are handed
        to :meth:`prepare`, so the refusal is the one-row path's own message.
        ``reference=True`` adds the explanation against the reference patient (2^k model
        rows per patient, one more batched run); :meth:`score` always adds it.
        """
        from clinic_app.core.records.files import gc_paused  # not on a calculator call

        with gc_paused():  # results are acyclic; the collector only re-walks them
            batch = self._prepare_many(rows, hints)
            outputs: Mapping[str, np.ndarray] = {}
            if batch.index:
                outputs = self.session.run_batched({self.manifest.inputs[0].name: batch.matrix},
                                                   batch_size=batch_size, progress=progress,
                                                   cancel=cancel)
            scored = self._results_many(batch, outputs,
                                        [as_of[i] if as_of else None for i in batch.index])
            if reference and batch.index:
                explained = explain_rows(self.session, batch.matrix)
                if explained:
                    scored = [replace(r, explanation=e)
                              for r, e in zip(scored, explained, strict=True)]
            results: list[RiskResult | CannotCompute] = list(batch.refused)
            for i, result in zip(batch.index, scored, strict=True):
                results[i] = result
            return results

    def score_one_by_one(self, rows: Sequence[Mapping[str, InputValue]], *,
                         as_of: Sequence[datetime | None] | None = None
                         ) -> list[RiskResult | CannotCompute]:
        """The one-row path (:meth:`prepare`, :meth:`_result`) for each row around one
        batched run: the reference :meth:`score_many` must equal exactly (its test and
        ``benchmarks/risk.py`` run both), and what batch scoring cost before it was
        vectorised."""
        prepared: list[PreparedRow | CannotCompute] = []
        for row in rows:
            try:
                prepared.append(self.prepare(row))
            except CannotCompute as exc:
                prepared.append(exc)
        ok = [p for p in prepared if isinstance(p, PreparedRow)]
        outputs: Mapping[str, np.ndarray] = {}
        if ok:
            outputs = self.session.run_batched({self.manifest.inputs[0].name:
                                                np.stack([p.row for p in ok])})
        out: list[RiskResult | CannotCompute] = []
        k = 0
        for i, p in enumerate(prepared):
            if isinstance(p, CannotCompute):
                out.append(p)
                continue
            out.append(self._result(p, outputs, k, as_of[i] if as_of else None))
            k += 1
        return out

    def _prepare_many(self, rows: Sequence[Mapping[str, InputValue]],
                      hints: Sequence[Mapping[str, str] | None] | None) -> _Batch:
        """:meth:`prepare` for all rows at once, one feature (column) at a time."""
        m = self.manifest
        n = len(rows)
        columns = {name: k for k, name in enumerate(m.inputs[0].columns)}
        matrix = np.zeros((n, len(columns)), dtype=np.float64)
        odd = np.zeros(n, dtype=bool)  # rows for the one-row path (it refuses, or decides)
        flags: list[list[str]] = [[] for _ in range(n)]
        used: dict[str, list[InputValue | None]] = {}
        for spec in m.features:
            given = [r.get(spec.name) for r in rows]
            present = np.array([g is not None for g in given], dtype=bool)
            if spec.role == "tensor":
                odd |= ~present
            encoded, bad = _encode_column(m, spec, [None if g is None else g.value for g in given],
                                          present, flags)
            odd |= bad
            if spec.role == "tensor":
                matrix[:, columns[spec.name]] = encoded
            unit = spec.unit if spec.unit != "1" else ""
            used[spec.name] = [g if g is None or (g.name == spec.name and g.unit == unit) else
                               InputValue(spec.name, g.value, unit, g.date, g.source,
                                          g.assumed_absent) for g in given]
        for rule in m.section().get("applicability", ()):
            column = used.get(rule["feature"], [None] * n)
            equals, otherwise, when_missing = rule["equals"], rule["otherwise"], rule.get("when_missing")
            for i, g in enumerate(column):
                if g is None:
                    if when_missing:
                        flags[i].append(when_missing)
                elif g.value != equals:
                    flags[i].append(otherwise)
        _absent_flags(used, flags)
        names = list(used)
        inputs = [{k: v for k, v in zip(names, values, strict=True) if v is not None}
                  for values in zip(*used.values(), strict=True)] if names else [{} for _ in rows]
        known = frozenset(names)
        unused = [() if r.keys() <= known else tuple(sorted(r.keys() - known)) for r in rows]
        refused: list[RiskResult | CannotCompute] = [None] * n  # type: ignore[list-item]
        final: list[tuple[str, ...]] = [
            (DEMO_FLAG, *f) if m.demo else tuple(f) for f in flags]
        for i in np.flatnonzero(odd).tolist():
            try:
                one = self.prepare(rows[i], hints[i] if hints else None)
            except CannotCompute as exc:
                refused[i] = exc
                continue
            matrix[i] = one.row
            inputs[i], final[i], unused[i] = dict(one.inputs), one.flags, one.unused
        index = [i for i in range(n) if refused[i] is None]
        keep = index if len(index) < n else slice(None)
        return _Batch(matrix[keep], index, [inputs[i] for i in index],
                      [final[i] for i in index], [unused[i] for i in index], refused)

    def _results_many(self, batch: _Batch, outputs: Mapping[str, np.ndarray],
                      as_of: Sequence[datetime | None]) -> list[RiskResult]:
        """:meth:`_result` for every computable row, column by column."""
        if not batch.index:
            return []
        m = self.manifest
        out = m.section("outputs")
        primary = np.asarray(outputs[str(out["primary"])], dtype=np.float64)
        names = [t.name for t in m.outputs if len(t.shape) == 1]
        arrays = {name: np.asarray(outputs[name], dtype=np.float64) for name in names}
        flags = [list(f) for f in batch.flags]
        bounds = out.get("bounds")
        if bounds is not None:
            raw = arrays[bounds["output"]]
            for i in np.flatnonzero((raw < bounds["min"]) | (raw > bounds["max"])).tolist():
                flags[i].append(f"{bounds['note']} (unbounded value {float(raw[i]):.2f})")
        if out.get("unit") == "probability" and not np.all((primary >= 0.0) & (primary <= 1.0)):
            raise ModelError(f"{m.label}: produced a probability outside [0, 1]; result discarded.")
        categories = _categories(m, arrays, primary)
        if m.demo or m.section("advice"):
            categories = [_advice(m, inputs, c)
                          for inputs, c in zip(batch.inputs, categories, strict=True)]
        explained = explain_many(m, batch.inputs, outputs)
        scalars = [dict(zip(names, values, strict=True))
                   for values in zip(*(arrays[name].tolist() for name in names), strict=True)] \
            if names else [{} for _ in batch.index]
        unit, decimals, horizon = str(out["unit"]), int(out.get("decimals", 3)), \
            str(out.get("horizon", ""))
        identity = (m.id, m.version, m.name, m.sha256, m.demo, self.session.provider)
        # Positional, in RiskResult's field order (keywords cost a dict per row here).
        return [RiskResult(*identity, value, unit, decimals, horizon, category, tuple(row_flags),
                           contributions, terms, inputs, row_scalars, unused, when)
                for value, category, row_flags, (contributions, terms), inputs, row_scalars,
                unused, when in zip(primary.tolist(), categories, flags, explained, batch.inputs,
                                    scalars, batch.unused, as_of, strict=True)]

    def _result(self, prepared: PreparedRow, outputs: Mapping[str, np.ndarray], i: int,
                as_of: datetime | None) -> RiskResult:
        m = self.manifest
        out = m.section("outputs")
        primary = str(out["primary"])
        value = float(outputs[primary][i])
        scalars = {t.name: float(outputs[t.name][i]) for t in m.outputs if len(t.shape) == 1}
        flags = list(prepared.flags)
        bounds = out.get("bounds")
        if bounds is not None:
            raw = scalars[bounds["output"]]
            if raw < bounds["min"] or raw > bounds["max"]:
                flags.append(f"{bounds['note']} (unbounded value {raw:.2f})")
        if out.get("unit") == "probability" and not 0.0 <= value <= 1.0:
            raise ModelError(f"{m.label}: produced a probability outside [0, 1]; result discarded.")
        contributions, terms = explain(m, prepared.inputs, outputs, i)
        return RiskResult(
            model_id=m.id, model_version=m.version, model_name=m.name, manifest_sha256=m.sha256,
            demo=m.demo, provider=self.session.provider, value=value, unit=str(out["unit"]),
            decimals=int(out.get("decimals", 3)), horizon=str(out.get("horizon", "")),
            category=_advice(m, prepared.inputs, _category(m, scalars, value)), flags=tuple(flags),
            contributions=contributions, terms=terms, inputs=prepared.inputs, outputs=scalars,
            unused_inputs=prepared.unused, as_of=as_of)

    # -- verification -------------------------------------------------------------------
    def check_vectors(self) -> list[VectorCheck]:
        """Run the manifest's test vectors (``models verify``)."""
        checks = []
        vectors: Sequence[Mapping[str, Any]] = self.manifest.raw.get("test_vectors") or ()
        for vector in vectors:
            name, tol = str(vector["name"]), float(vector["tolerance"])
            try:
                result = self.score(as_input_values(vector["inputs"]))
            except (CannotCompute, ModelError) as exc:
                checks.append(VectorCheck(name, False, f"refused: {exc}", vector["source"]))
                continue
            bad = []
            for key, want in vector["expected"].items():
                got = result.category if key == "category" else result.outputs.get(key)
                if got is None:
                    bad.append(f"{key}: no such output")
                elif isinstance(want, str):
                    if got != want:
                        bad.append(f"{key}: got {got!r}, expected {want!r}")
                elif abs(float(got) - float(want)) > tol:
                    bad.append(f"{key}: got {float(got):.6g}, expected {want} ± {tol:g}")
            checks.append(VectorCheck(name, not bad, "; ".join(bad) or "ok", str(vector["source"])))
        return checks


