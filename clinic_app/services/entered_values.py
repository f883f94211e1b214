"""Values a physician entered for a missing input, saved to the record when confirmed.

Why a separate step: the risk panel's "enter the missing values" computes with a value
the record lacks, marked "entered by you; not in the record", and stores nothing. Only
when the physician confirms it, with a reason (where the value comes from), does it
become a fact, so a number typed to try something out never turns into a measurement.

A saved value is an observation like an imported one (the risk inputs and summary read
it without special cases) but can never be taken for one: its import row has the format
``entered`` and the source ``physician entry``, and its resource id names who entered it
and on which day (``entered:<user>:<YYYY-MM-DD>``), shown as "entered by <user> on
<date>". Who, when and why are also kept with the physicians' confirmations (feature
``entered:<fact>``). The same hard bounds and unit table as an import refuse an
impossible value (a bare number is read in the canonical unit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic_app.core.clock import iso
from clinic_app.core.records import codes
from clinic_app.core.records.facts import Provenance
from clinic_app.core.records.inputs import check_input, spec_for_input
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

#: The import row every saved entry points to as its provenance (never a file name).
ENTERED_SOURCE = "physician entry"
ENTERED_FORMAT = "entered"
_RESOURCE = re.compile(r"^entered:(?P<user>[^:]+):(?P<day>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class EnteredFact:
    """One value a physician saved to the record: canonical value and unit, who, when, why."""

    patient_key: int
    feature: str  # model input name, e.g. "hdl_cholesterol"
    value: float
    unit: str  # canonical UCUM unit
    entered_by: str
    entered_at: datetime
    reason: str


def saveable(feature: str) -> bool:
    """True for inputs that are measured values (a lab or vital sign with bounds and units);
    answers such as diabetes or smoking belong in the problem list or a confirmation."""
    return spec_for_input(feature) is not None


def entered_by(provenance: Provenance) -> tuple[str, str] | None:
    """(user, YYYY-MM-DD) for a fact a physician entered, None for an imported one."""
    if provenance.source_file != ENTERED_SOURCE:
        return None
    found = _RESOURCE.match(provenance.resource_id)
    return (found["user"], found["day"]) if found else None


def entered_source_text(provenance: Provenance) -> str | None:
    """"entered by <user> on <date>" for an entered fact, None for an imported one."""
    who = entered_by(provenance)
    if who is None:
        return None
    return translate("sources", "entered by {user} on {date}").format(user=who[0], date=who[1])


class EnteredValuesService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def save(self, session: Session, patient_key: int, values: Mapping[str, Any], *,
             reason: str = "") -> tuple[EnteredFact, ...]:
        """Store the physician's confirmed values (input name → number in the canonical
        unit, or ``{"value": v, "unit": u}``, converted) as physician-entered facts dated
        now; all or nothing, one audit entry (110110, ``records.enter_value``) naming the
        inputs, never the values.

        Refused: no reason, an input that is not a measured value, an impossible value
        (the import's hard bounds), an unknown patient.
        """
        self.ctx.begin(session, Permission.RECORDS_ENTER)
        return self._save(session, patient_key, values, reason)

    def save_by_mrn(self, session: Session, mrn: str, values: Mapping[str, Any], *,
                    issuer: str | None = None, reason: str = "") -> tuple[EnteredFact, ...]:
        """:meth:`save` for the patient with this MRN (the CLI's ``patients enter``)."""
        self.ctx.begin(session, Permission.RECORDS_ENTER)
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        patient = RecordRepository(session.clinical).patient_by_mrn(mrn, issuer)
        if patient is None:
            raise InvalidInput(translate("services", "No patient with this MRN in the store; 'clinic-app patients "
                               "list' shows them."))
        return self._save(session, patient.key, values, reason)

    def _save(self, session: Session, patient_key: int, values: Mapping[str, Any],
              reason: str) -> tuple[EnteredFact, ...]:
        if not values:
            raise InvalidInput(translate("entered_values", "No value to save."))
        if not reason.strip():
            raise InvalidInput(translate("entered_values", "Say where the value comes from (for example "
                                         "“measured in clinic today”): a value without a reason is not saved."))
        checked: dict[str, tuple[float, str, str, str, str]] = {}  # value, unit, code, as typed
        for feature, value in values.items():
            spec = spec_for_input(feature)
            if spec is None:
                raise InvalidInput(translate("entered_values", "'{feature}' is not a measured value and "
                                             "cannot be saved to the record here.").format(feature=feature))
            typed_unit = spec.unit
            if isinstance(value, Mapping):  # a value with its unit ("use 34 mg/dL as entered")
                raw, typed_unit = value.get("value"), str(value.get("unit", ""))
                good = check_input(feature, raw if isinstance(raw, int | float) else float("nan"), typed_unit)
            else:  # a bare number is in the canonical unit; ImpossibleValue outside the hard bounds
                raw = value
                good = check_input(feature, value)
            checked[feature] = (good.value, spec.unit, _code_for(spec.name), f"{raw:g}", typed_unit)
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        repo = RecordRepository(session.clinical)
        patient = repo.patient(patient_key)
        if patient is None:
            raise InvalidInput(translate("services", "No such patient in the store."))
        when = self.ctx.clock()
        resource = f"entered:{session.username}:{when.date().isoformat()}"
        text = reason.strip()[:500]
        with repo.db.transaction():
            import_id = repo.begin_import(ENTERED_SOURCE, "", ENTERED_FORMAT, when)
            rows = []
            for feature, (value, unit, code, typed, typed_unit) in checked.items():
                fact = spec_for_input(feature)
                assert fact is not None
                rows.append((patient_key, fact.name, code, iso(when), value, unit, None, typed, typed_unit,
                             "final", None, import_id, resource, codes.LOINC, "", "", "", None))
                repo.add_confirmation(patient_key, f"entered:{fact.name}", f"{value:g} {unit}", resource,
                                      text, session.username, when)
            repo.insert_observations(rows)
            repo.finish_import(import_id, {"observations": len(rows)})
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "records.enter_value",
                       patient_id=patient.mrn, detail={"inputs": sorted(checked)})
        return tuple(EnteredFact(patient_key, feature, value, unit, session.username, when, text)
                     for feature, (value, unit, *_rest) in checked.items())


def _code_for(fact: str) -> str:
    """The LOINC code the record uses for a fact (the first the code table lists)."""
    return next(code for code, spec in codes.OBSERVATIONS.items() if spec.name == fact)
