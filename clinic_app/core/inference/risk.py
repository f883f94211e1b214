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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from clinic_app.core.inference.explain import Contribution, TermContribution, explain, explain_many
from clinic_app.core.inference.manifest import FeatureSpec, Manifest
from clinic_app.core.inference.runtime import ModelSession
from clinic_app.core.records.files import gc_paused
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import CannotCompute, ModelError

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

    @property
    def display_value(self) -> str:
        if self.unit == "probability":
            return f"{self.value * 100:.{max(self.decimals - 2, 1)}f}%"
        return f"{self.value:.{self.decimals}f}"

    def to_json(self) -> dict[str, Any]:
        """The documented CLI/JSON shape (docs/models.md)."""
        return {
            "model": self.model_id, "version": self.model_version, "name": self.model_name,
            "value": self.value, "unit": self.unit, "category": self.category,
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
        }


@dataclass(frozen=True)
class PreparedRow:
    """Inputs checked and encoded, with the flags the checks raised."""

    row: np.ndarray
    inputs: Mapping[str, InputValue]
    flags: tuple[str, ...]
    unused: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Batch:
    """Rows checked and encoded column-wise: the computable ones, in order, and refusals."""

    matrix: np.ndarray  # one encoded row per computable row
    index: list[int]  # which input rows those are
    inputs: list[dict[str, InputValue]]
    flags: list[tuple[str, ...]]
    unused: list[tuple[str, ...]]
    refused: list[RiskResult | CannotCompute]  # CannotCompute at refused rows, else None


@dataclass(frozen=True)
class VectorCheck:
    name: str
    ok: bool
    detail: str
    source: str


def _fmt(value: float) -> str:
    return f"{value:g}"


def _unit(spec: FeatureSpec) -> str:
    return "" if spec.unit in ("1", "") else f" {spec.unit}"


def as_input_values(raw: Mapping[str, Any]) -> dict[str, InputValue]:
    """Calculator-mode inputs (plain JSON values) as InputValues marked 'entered'."""
    return {name: value if isinstance(value, InputValue) else InputValue(name, value)
            for name, value in raw.items()}


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
        return self._result(prepared, outputs, 0, as_of)

    def score_many(self, rows: Sequence[Mapping[str, InputValue]], *,
                   as_of: Sequence[datetime | None] | None = None,
                   hints: Sequence[Mapping[str, str] | None] | None = None,
                   batch_size: int | None = None, progress: Progress = no_progress,
                   cancel: CancelToken = NEVER_CANCELLED) -> list[RiskResult | CannotCompute]:
        """Vectorised: checks, encoding, flags and explanations column by column with
        numpy, and every computable row through one batched session run.

        Each row's result is the one :meth:`score` assembles from the same model outputs:
        same value, category, flags (in the same order, with the same text), inputs,
        contributions and terms (tests/test_risk_batch.py compares the two paths). Rows the
        column checks do not pass (a missing or unusable input, a refused range) are handed
        to :meth:`prepare`, so the refusal is the one-row path's own message.
        """
        with gc_paused():  # results are acyclic; the collector only re-walks them
            batch = self._prepare_many(rows, hints)
            outputs: Mapping[str, np.ndarray] = {}
            if batch.index:
                outputs = self.session.run_batched({self.manifest.inputs[0].name: batch.matrix},
                                                   batch_size=batch_size, progress=progress,
                                                   cancel=cancel)
            scored = self._results_many(batch, outputs,
                                        [as_of[i] if as_of else None for i in batch.index])
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
            category=_category(m, scalars, value), flags=tuple(flags),
            contributions=contributions, terms=terms, inputs=prepared.inputs, outputs=scalars,
            unused_inputs=prepared.unused, as_of=as_of)

    # -- verification -------------------------------------------------------------------
    def check_vectors(self) -> list[VectorCheck]:
        """Run the manifest's test vectors (``models verify``)."""
        checks = []
        for vector in self.manifest.section("test_vectors") or ():
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
                elif abs(float(got) - float(want)) > tol:  # type: ignore[arg-type]
                    bad.append(f"{key}: got {float(got):.6g}, expected {want} ± {tol:g}")  # type: ignore[arg-type]
            checks.append(VectorCheck(name, not bad, "; ".join(bad) or "ok", str(vector["source"])))
        return checks


def _calculator_hint(spec: FeatureSpec) -> str:
    kind = {"number": f"a number in {spec.unit}" if spec.unit not in ("", "1") else "a number",
            "boolean": "true or false",
            "category": "one of " + ", ".join(repr(c) for c in spec.categories)}[spec.kind]
    rng = f", valid {spec.describe_range()}" if spec.valid_range else ""
    return f"{spec.label}: {kind}{rng}"


def _encode(m: Manifest, spec: FeatureSpec, value: Any) -> tuple[float, list[str]]:
    """One value → its tensor number, plus flags; raises CannotCompute when unusable."""
    flags: list[str] = []
    if spec.kind == "boolean":
        if not isinstance(value, bool):
            raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be true or false, "
                                f"not {value!r}.")
        flag = spec.category_flags.get("true" if value else "false")
        if flag:
            flags.append(flag)
        return (1.0 if value else 0.0), flags
    if spec.kind == "category":
        if not isinstance(value, str) or value not in spec.categories:
            choices = ", ".join(repr(c) for c in spec.categories)
            raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be one of {choices}, "
                                f"not {value!r}.")
        flag = spec.category_flags.get(value)
        if flag:
            flags.append(flag)
        return float(spec.categories[value]), flags
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CannotCompute(f"Cannot compute {m.name}: {spec.name} must be a number in "
                            f"{spec.unit}, not {value!r}.")
    number = float(value)
    if spec.valid_range is not None:
        lo, hi = spec.valid_range
        if not lo <= number <= hi:
            if spec.out_of_range == "refuse":
                raise CannotCompute(f"Cannot compute {m.name}: {_outside(spec, number)}; the "
                                    "model is not valid there.")
            flags.append(f"extrapolated: {_outside(spec, number)}")
    if spec.clamp_min is not None and number < spec.clamp_min:
        flags.append(_clamped(spec, number, spec.clamp_min))
    if spec.clamp_max is not None and number > spec.clamp_max:
        flags.append(_clamped(spec, number, spec.clamp_max))
    return number, flags


def _outside(spec: FeatureSpec, number: float) -> str:
    return (f"{spec.name} {_fmt(number)}{_unit(spec)} is outside the valid range "
            f"{spec.describe_range()} ({spec.range_source})")


def _clamped(spec: FeatureSpec, number: float, bound: float) -> str:
    return f"{spec.name} {_fmt(number)}{_unit(spec)} counted as {_fmt(bound)} ({spec.clamp_note})"


def _encode_column(m: Manifest, spec: FeatureSpec, values: list[Any], present: np.ndarray,
                   flags: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_encode` for a whole column: (tensor numbers, rows it would refuse).

    Flags go onto each row's list in the order :func:`_encode` raises them. The checks
    are exact-type and conservative: anything unusual (a numpy scalar, a str subclass) is
    marked for the one-row path, which then decides; nothing is accepted that it refuses.
    """
    n = len(values)
    if spec.kind == "boolean":
        ok = np.array([type(v) is bool for v in values], dtype=bool)
        encoded = np.array([v is True for v in values], dtype=np.float64)
        for text, wanted in ((spec.category_flags.get("true"), True),
                             (spec.category_flags.get("false"), False)):
            if text:
                for i in np.flatnonzero(ok & (encoded == float(wanted))).tolist():
                    flags[i].append(text)
        return encoded, present & ~ok
    if spec.kind == "category":
        found = [spec.categories.get(v) if type(v) is str else None for v in values]
        ok = np.array([f is not None for f in found], dtype=bool)
        encoded = np.array([0.0 if f is None else f for f in found], dtype=np.float64)
        if spec.category_flags:
            for i in np.flatnonzero(ok).tolist():
                text = spec.category_flags.get(values[i])
                if text:
                    flags[i].append(text)
        return encoded, present & ~ok
    typed = np.array([type(v) is float or type(v) is int for v in values], dtype=bool)
    try:
        encoded = np.array([v if t else math.nan for v, t in zip(values, typed, strict=True)],
                           dtype=np.float64)
    except OverflowError:  # an int beyond float: the one-row path says what it makes of it
        return np.zeros(n), present.copy()
    ok = typed & np.isfinite(encoded)
    bad = present & ~ok
    if spec.valid_range is not None:
        lo, hi = spec.valid_range
        outside = ok & ~((encoded >= lo) & (encoded <= hi))
        if spec.out_of_range == "refuse":
            bad |= outside
        else:
            for i in np.flatnonzero(outside).tolist():
                flags[i].append(f"extrapolated: {_outside(spec, float(values[i]))}")
        ok &= ~bad
    if spec.clamp_min is not None:
        for i in np.flatnonzero(ok & (encoded < spec.clamp_min)).tolist():
            flags[i].append(_clamped(spec, float(values[i]), spec.clamp_min))
    if spec.clamp_max is not None:
        for i in np.flatnonzero(ok & (encoded > spec.clamp_max)).tolist():
            flags[i].append(_clamped(spec, float(values[i]), spec.clamp_max))
    return encoded, bad


def _absent_flags(used: Mapping[str, Sequence[InputValue | None]],
                  flags: list[list[str]]) -> None:
    """The "not in the record, counted as absent: …" flag, grouped by which inputs it names."""
    names = sorted(name for name, column in used.items()
                   if any(g is not None and g.assumed_absent for g in column))
    if not names:
        return
    groups: dict[tuple[str, ...], list[int]] = {}
    masks = [[g is not None and g.assumed_absent for g in used[name]] for name in names]
    for i, row in enumerate(zip(*masks, strict=True)):
        if any(row):
            groups.setdefault(tuple(n for n, a in zip(names, row, strict=True) if a), []).append(i)
    for absent, rows in groups.items():
        text = "not in the record, counted as absent: " + ", ".join(absent)
        for i in rows:
            flags[i].append(text)


def _applicability(m: Manifest, used: Mapping[str, InputValue]) -> list[str]:
    flags = []
    for rule in m.section().get("applicability", ()):
        given = used.get(rule["feature"])
        if given is None:
            if rule.get("when_missing"):  # a rule without it stays silent when not given
                flags.append(rule["when_missing"])
        elif given.value != rule["equals"]:
            flags.append(rule["otherwise"])
    return flags


def _categories(m: Manifest, arrays: Mapping[str, np.ndarray],
                primary: np.ndarray) -> list[str | None]:
    """:func:`_category` for a column of results (same bands, same comparisons)."""
    spec = m.section("outputs", "categories")
    if not spec:
        return [None] * len(primary)
    x = arrays.get(spec.get("output", ""), primary)
    labels = np.full(len(primary), str(spec["bands"][-1]["label"]), dtype=object)
    undecided = np.ones(len(primary), dtype=bool)
    for band in spec["bands"]:
        hit = undecided if "below" not in band else undecided & (x < band["below"])
        labels[hit] = str(band["label"])
        undecided &= ~hit
    return labels.tolist()  # type: ignore[no-any-return]


def _category(m: Manifest, scalars: Mapping[str, float], value: float) -> str | None:
    spec = m.section("outputs", "categories")
    if not spec:
        return None
    x = scalars.get(spec.get("output", ""), value)
    for band in spec["bands"]:
        if "below" not in band or x < band["below"]:
            return str(band["label"])
    return str(spec["bands"][-1]["label"])
