"""What changed between two stored results of one model, and why (follow-up visits).

The Estimator Plus shows the previous risk beside the current one; a clinician then asks
*why* it moved. Both stored results carry their whole input snapshot (value, unit, date,
source) and, for the reference-explained equations, each modifiable factor's share in
percentage points, so the answer is read from the two snapshots alone: which inputs
have a different value (with both measurement dates), whether the model version differs, and how
each factor's share moved. Nothing is recomputed and nothing is guessed: an input present
in only one snapshot is reported as added or no longer used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_app.core.inference.results import StoredResult


@dataclass(frozen=True)
class InputChange:
    """One input whose value differs between the two results (or is used in one only)."""

    name: str
    label: str
    before: Any  # None: not used the previous time
    after: Any  # None: not used this time
    unit: str
    before_date: date | None
    after_date: date | None

    @property
    def value_changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class ShareChange:
    """A modifiable factor's share of the excess risk, before and after (probabilities)."""

    label: str
    before: float
    after: float


@dataclass(frozen=True)
class ScoreChange:
    model_id: str
    before: float
    after: float
    unit: str
    before_as_of: datetime
    after_as_of: datetime
    version_before: str
    version_after: str
    inputs: tuple[InputChange, ...]
    shares: tuple[ShareChange, ...]

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def version_changed(self) -> bool:
        return self.version_before != self.version_after


def _day(text: str | None) -> date | None:
    return datetime.fromisoformat(text).date() if text else None


def _inputs(stored: StoredResult) -> Mapping[str, Mapping[str, Any]]:
    inputs = stored.detail.get("inputs") or {}
    return inputs if isinstance(inputs, Mapping) else {}


def _shares(stored: StoredResult) -> dict[str, tuple[str, float]]:
    explanation = stored.detail.get("explanation") or {}
    out: dict[str, tuple[str, float]] = {}
    for share in explanation.get("shares", ()) if isinstance(explanation, Mapping) else ():
        out[str(share["factor"])] = (str(share["label"]), float(share["amount"]))
    return out


def compare(before: StoredResult, after: StoredResult,
            labels: Mapping[str, str] | None = None) -> ScoreChange:
    """The differences between two results of the same model (``labels``: input -> words)."""
    if before.model_id != after.model_id:
        raise ValueError("compare() needs two results of the same model")
    labels = labels or {}
    old, new = _inputs(before), _inputs(after)
    changes = []
    for name in sorted(old.keys() | new.keys(), key=lambda n: (labels.get(n, n), n)):
        a, b = old.get(name), new.get(name)
        a_value = a.get("value") if a else None
        b_value = b.get("value") if b else None
        a_day = _day(a.get("date")) if a else None
        b_day = _day(b.get("date")) if b else None
        if a_value == b_value and a is not None and b is not None:
            continue  # the same value re-measured (or age on a later day) moved nothing
        unit = str((b or a or {}).get("unit") or "")
        changes.append(InputChange(name, labels.get(name, name), a_value, b_value, unit,
                                   a_day, b_day))
    old_shares, new_shares = _shares(before), _shares(after)
    shares = tuple(ShareChange(new_shares.get(k, old_shares.get(k, (k, 0.0)))[0],
                               old_shares.get(k, ("", 0.0))[1], new_shares.get(k, ("", 0.0))[1])
                   for k in sorted(old_shares.keys() | new_shares.keys()))
    return ScoreChange(after.model_id, before.value, after.value, after.unit, before.as_of,
                       after.as_of, before.model_version, after.model_version, tuple(changes),
                       shares)
