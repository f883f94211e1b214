"""Model inputs the record leaves uncertain, and the physician's confirmations of them.

Why apart from the facts: an unclassified drug must not quietly count as "not on
blood-pressure medication", yet a physician's answer must not become a medication fact
either. The physician's workspace shows each uncertain input with its reason and a
Confirm… action; a confirmation is kept in its own table (who, when, why) and applies
only while exactly the same drugs cause the uncertainty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from clinic_app.core.inference.features import FAMILY_HISTORY_SUBJECT, bp_treatment_unsettled
from clinic_app.core.records.facts import Confirmation, RecordQuery
from clinic_app.i18n import translate


def _family_history_unsettled(query: RecordQuery, patient_key: int,
                              as_of: datetime) -> tuple[str, str] | None:
    """Open unless the problem list records a family history of ASCVD: a record rarely
    says "none", so only the physician can settle a "no" (China-PAR needs the answer)."""
    if any(c.category == "family_history_ascvd" for c in query.conditions(patient_key, as_of)):
        return None
    return "the record does not say whether a parent or sibling had ASCVD", FAMILY_HISTORY_SUBJECT

#: Inputs a physician may settle when the record leaves them uncertain, with how the
#: record leaves them open: (reason, subject) or None when the record settles them.
UNSETTLED: dict[str, Callable[[RecordQuery, int, datetime], tuple[str, str] | None]] = {
    "bp_treated": bp_treatment_unsettled,
    "family_history_ascvd": _family_history_unsettled,
}
CONFIRMABLE = frozenset(UNSETTLED)


def input_label(feature: str) -> str:
    """The input in clinical words, for text outside a model's own labels (the CLI)."""
    labels = {"bp_treated": translate("uncertain_inputs", "On blood-pressure medication"),
              "family_history_ascvd": translate("uncertain_inputs", "Family history of heart "
                                                "attack or stroke (parent or sibling)")}
    return labels.get(feature, feature)


@dataclass(frozen=True)
class UncertainInput:
    """One input the record cannot settle for this patient, and any confirmation of it."""

    feature: str  # model input name, e.g. "bp_treated"
    reason: str  # "zanolol 5 MG Oral Tablet — drug class not recognised"
    subject: str  # what a confirmation must name (the drugs' names)
    confirmation: Confirmation | None = None  # the physician's answer for this subject


def uncertain_inputs(query: RecordQuery, patient_key: int,
                     as_of: datetime) -> tuple[UncertainInput, ...]:
    """Every confirmable input the record leaves open at ``as_of``, confirmed or not."""
    out = []
    for feature, unsettled in sorted(UNSETTLED.items()):
        found = unsettled(query, patient_key, as_of)
        if found is None:
            continue
        reason, subject = found
        out.append(UncertainInput(feature, reason, subject,
                                  query.confirmation(patient_key, feature, subject, as_of)))
    return tuple(out)
