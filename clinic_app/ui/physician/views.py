"""What the physician's screens show for a risk result, as plain frozen values.

The risk service returns its own result types (a score, or "cannot compute" with the
missing inputs). :mod:`clinic_app.ui.physician.adapt` copies them into these view
values once, so the list, the panel, the what-if and the report all show the same
text, and a change in a service's result shape is one edit in the adapter. Nothing
here is computed: every number, category and staleness verdict comes from a service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InputUsed:
    """One model input as used for a score: its value and where the value came from."""

    name: str
    label: str
    value: object  # float, bool or a category string, in the model's canonical unit
    unit: str
    effective: datetime | None  # when the fact was measured/recorded (None: derived at as_of)
    source: str  # "<file> · <resource id>", or how it was derived ("age at scoring date")
    stale: bool  # older than the model's look-back for this input (service decides)
    contribution: float | None  # term in the linear predictor, or points


@dataclass(frozen=True)
class MissingInput:
    name: str
    label: str
    supplied_by: str  # what would supply it ("a total cholesterol result (LOINC 2093-3)")


@dataclass(frozen=True)
class ModelCard:
    id: str
    name: str
    version: str
    references: tuple[str, ...]
    intended_use: str
    valid_ranges: tuple[str, ...]  # "age 40–79 years", …
    demo: bool


@dataclass(frozen=True)
class FactorShare:
    """One modifiable factor's share of the risk above the reference, in percentage points."""

    label: str  # "Blood pressure (systolic, and its treatment)"
    points: float
    values: str  # the patient's values of its inputs, in words: "150 mmHg; not treated"
    inputs: tuple[str, ...] = ()  # the model inputs the factor moves together
    value: str = ""  # the first input's value, short ("127 mmHg", "yes")


@dataclass(frozen=True)
class ExplanationView:
    """The risk against a reference patient (same non-modifiable inputs, optimal factors)."""

    risk_points: float  # the patient's risk, percent
    reference_points: float  # the reference patient's risk, percent
    reference: str  # "same age, sex and race, optimal risk factors"
    source: str  # where the optimal values come from
    shares: tuple[FactorShare, ...]  # largest effect first


@dataclass(frozen=True)
class ScoreView:
    """One model's result for one patient at one date (``value`` None: cannot compute)."""

    model_id: str
    as_of: datetime
    value: float | None
    value_text: str  # "12.3 %", "4 points": formatting with the unit belongs to the model
    category: str | None
    flags: tuple[str, ...]
    inputs: tuple[InputUsed, ...]
    missing: tuple[MissingInput, ...]
    reason: str  # why it cannot be computed ("" when it can)
    contribution_unit: str  # "linear predictor (log hazard)" or "points"
    card: ModelCard
    provider: str
    explanation: ExplanationView | None = None
    also: tuple[str, ...] = ()  # other outputs in words: "heart failure: 8.1 %"
