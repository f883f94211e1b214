"""Clinical wording for what the engine writes in its own terms (no Qt; screens and report).

The engine's flags and refusals name inputs by their manifest names and units by UCUM
("systolic_bp 250 mm[Hg]", "age 35 a"); a clinician reads labels and the units people
write ("systolic blood pressure 250 mmHg", "age 35 years"). Sources carry the record
reference without the LOINC code in front.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

UNITS = {"mm[Hg]": "mmHg", "a": "years", "kg/m2": "kg/m²", "mL/min/{1.73_m2}": "mL/min/1.73 m²",
         "1": "", "{boolean}": "", "umol/L": "µmol/L"}
_LOINC = re.compile(r"\b\d{1,5}-\d\b ?")
_YEARS = re.compile(r"(\d) a\b")


def clinical_unit(unit: str) -> str:
    """UCUM as people write it: mm[Hg] -> mmHg, a -> years."""
    return UNITS.get(unit, unit)


def lower_label(label: str) -> str:
    """"Heart failure" -> "heart failure"; "INR" and "HDL cholesterol" keep their capitals."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def plain_source(source: str) -> str:
    """A source without the LOINC code ("cohort.json Observation/x", not "2093-3 …")."""
    return _LOINC.sub("", source).replace("( ", "(").strip()


def plain_flag(text: str, labels: Mapping[str, str]) -> str:
    """A flag or refusal with input labels for names and clinical units for UCUM."""
    if labels:
        pattern = r"\b(" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")\b"
        text = re.sub(pattern, lambda m: lower_label(labels[m.group(0)]), text)
    for ucum, shown in UNITS.items():
        if len(ucum) > 1 and shown:
            text = text.replace(ucum, shown)
    return _YEARS.sub(r"\1 years", text)


def secondary_outputs(tensors: Sequence[Mapping[str, Any]],
                      primary: str) -> tuple[tuple[str, str], ...]:
    """A risk model's other probability outputs (the manifest's output tensors), named in
    words from their semantics ("10-year risk of heart failure, probability 0-1" ->
    "heart failure"): PREVENT's ASCVD and heart-failure risks beside total CVD."""
    found = []
    for spec in tensors:
        text = str(spec.get("semantics", ""))
        if spec["name"] == primary or len(spec["shape"]) != 1 or "probability 0-1" not in text:
            continue
        found.append((str(spec["name"]), text.split("risk of ", 1)[-1].split(", probability")[0]))
    return tuple(found)


def score_text(value: float, unit: str, decimals: int) -> str:
    """A score as every screen, the PDF report and the CLI show it, from one place: a
    probability as a percentage with a space before the sign ("2.1 %", ISO 80000-1),
    points with the word ("1 point", "3 points"), anything else as the number."""
    if unit == "probability":
        return percent_text(value, max(decimals - 2, 1))
    text = f"{value:.{decimals}f}"
    if unit != "points":
        return text
    return f"{text} point" if text == "1" else f"{text} points"


def percent_text(fraction: float, decimals: int = 1) -> str:
    """A fraction (0.021) as a percentage ("2.1 %"): secondary outputs, reference risks."""
    return f"{fraction * 100:.{decimals}f} %"
