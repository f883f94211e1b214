"""Observations to items: model inputs converted and checked, every other code kept as written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    ItemError,
    ObservationItem,
    ParsedFile,
    Retraction,
    SkipItem,
    SubjectRef,
)
from clinic_app.core.records.dates import (
    AHEAD_FLAG,
    Moment,
)
from clinic_app.core.records.fhir_elements import OBSERVATION_STATUS, UCUM
from clinic_app.core.records.fhir_json import (
    _ahead,
    _codings,
    _concept_text,
    _first_code,
    _list,
    _moment,
    _number_text,
    _obj,
    _raw_value,
    _reference,
    _str,
)
from clinic_app.core.records.plausibility import canonical_value


class ObservationReading:
    """The Observation handler of the reader (a mixin of :class:`fhir_reader.Reader`)."""

    parsed: ParsedFile
    now: datetime
    observation_codes: dict[str, codes.ObservationCode]

    def _observation(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        status = _str(res, "status")
        if status not in OBSERVATION_STATUS:
            raise ItemError(f"status '{status[:20]}' is not an Observation status")
        if "code" not in res:
            raise ItemError("no code")
        codings = _codings(res["code"], "code")
        subject = _reference(res, "subject", required=True)
        assert subject is not None
        resource_id = f"Observation/{rid}" if rid else ""
        if status == "entered-in-error":
            if resource_id:
                self.parsed.retractions.append(Retraction(label, resource_id, subject))
            raise SkipItem("entered-in-error")
        if status in ("registered", "cancelled"):
            raise SkipItem(f"status {status} (no result)")
        table = self.observation_codes
        known = [c for s, c, _ in codings if s == codes.LOINC and c in table]
        moment = self._effective(res)
        flags: list[str] = []
        if moment.value > self.now:  # within the tolerance (beyond it _effective refused)
            flags.append(f"effective date {AHEAD_FLAG.replace('dated ', '', 1)}")
            _ahead().clear()
        if status == "preliminary":
            flags.append("preliminary result")
        elif status == "unknown":
            flags.append("result status unknown")
        if moment.partial:
            flags.append(f"effective date given only to the {moment.precision}")
        ident = resource_id or label
        # Interpreted facts are grouped by what they are; the source's category is kept
        # for the others (one less text column per row on the hot path).
        interpretation = _first_code(res, "interpretation") if "interpretation" in res else ""
        if known:
            item = self._value(res, known[0], label, ident, subject, moment, status, flags)
            self.parsed.observations.append(
                item._replace(interpretation=interpretation) if interpretation else item)
            return
        category = _first_code(res, "category")
        components = _list(res, "component")
        if not components:
            self.parsed.observations.append(self._other(
                res, codings, _concept_text(res["code"]), label, ident, subject, moment,
                status, flags, category, interpretation))
            return
        used = 0
        for index, comp in enumerate(components):
            comp = _obj(comp, "component")
            if "code" not in comp:
                raise ItemError(f"component {index + 1} has no code")
            comp_codings = _codings(comp["code"], "component.code")
            comp_known = [c for s, c, _ in comp_codings
                          if s == codes.LOINC and c in table]
            shown = comp_known[0] if comp_known else next(
                (c for _, c, _ in comp_codings if c), str(index + 1))
            where = f"{label} component {shown[:20]}"
            try:
                if comp_known:
                    item = self._value(comp, comp_known[0], where, ident, subject, moment,
                                       status, flags)
                    if interpretation:
                        item = item._replace(interpretation=interpretation)
                else:
                    item = self._other(comp, comp_codings, _concept_text(comp["code"]), where,
                                       ident, subject, moment, status, flags, category,
                                       interpretation)
            except SkipItem as skip:
                self.parsed.skip("Observation", f"component: {skip.reason}")
                continue
            self.parsed.observations.append(item)
            used += 1
        if not used:
            raise SkipItem("panel without usable components")

    def _other(self, holder: dict[str, Any], codings: list[tuple[str, str, str]], text: str,
               label: str, resource_id: str, subject: SubjectRef, moment: Moment, status: str,
               flags: list[str], category: str, interpretation: str) -> ObservationItem:
        """An observation whose code no model input uses: kept with its value as written."""
        coded = [c for c in codings if c[1]]
        system, code, display = next((c for c in coded if c[0] == codes.LOINC),
                                     coded[0] if coded else ("", "", ""))
        value, unit, value_code, value_text = _raw_value(holder)
        return ObservationItem(
            item=label, resource_id=resource_id, subject=subject, system=system, code=code,
            name=codes.other_fact_name(system, code), value=value, unit=unit,
            effective=moment.value, value_code=value_code,
            original_value=_number_text(value) if value is not None else "",
            original_unit=unit, status=status, flags=tuple(flags),
            display=(display or text)[:200], value_text=value_text, category=category,
            interpretation=interpretation)

    def _effective(self, res: dict[str, Any]) -> Moment:
        for key in ("effectiveDateTime", "effectiveInstant"):
            if key in res:
                return _moment(res[key], key, self.now)
        if "effectivePeriod" in res:
            period = _obj(res["effectivePeriod"], "effectivePeriod")
            for key in ("start", "end"):
                if key in period:
                    return _moment(period[key], f"effectivePeriod.{key}", self.now)
        if "effectiveTiming" in res:
            raise ItemError("effectiveTiming is not supported; give effectiveDateTime")
        raise ItemError("no effective date (a fact must be dated)")

    def _value(self, holder: dict[str, Any], code: str, label: str, resource_id: str,
               subject: SubjectRef, moment: Moment, status: str,
               flags: list[str]) -> ObservationItem:
        spec = self.observation_codes[code]
        if spec.coded:
            return self._coded_value(holder, spec, code, label, resource_id, subject, moment,
                                     status, flags)
        if "valueQuantity" not in holder:
            if "dataAbsentReason" in holder:
                raise SkipItem("no value (dataAbsentReason)")
            others = [k for k in holder if k.startswith("value")]
            if others:
                raise ItemError(f"{spec.name}: expected valueQuantity, got {others[0]}")
            raise SkipItem("no value")
        qty = _obj(holder["valueQuantity"], "valueQuantity")
        raw = qty.get("value")
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ItemError(f"{spec.name}: valueQuantity.value must be a number")
        system, unit_code, unit_text = _unit_strings(qty)
        if system and system != UCUM:
            raise ItemError(f"{spec.name}: unit system '{system[:40]}' is not UCUM")
        unit = unit_code if (system == UCUM and unit_code) else (unit_code or unit_text)
        try:
            value = float(raw)
        except OverflowError:
            raise ItemError(f"{spec.name}: valueQuantity.value is too large to be a measured "
                            "value") from None
        canonical, checked = canonical_value(spec, value, unit)  # refuses inf and NaN
        item_flags = list(flags)
        comparator = _str(qty, "comparator", "valueQuantity.comparator")
        if comparator:
            item_flags.append(f"value is a bound ({comparator} {raw:g} {unit})")
        item_flags.extend(checked)
        return ObservationItem(
            item=label, resource_id=resource_id, subject=subject, system=codes.LOINC, code=code,
            name=spec.name, value=canonical, unit=spec.unit, effective=moment.value,
            original_value=_number_text(raw), original_unit=unit, status=status,
            flags=tuple(item_flags))

    def _coded_value(self, holder: dict[str, Any], spec: codes.ObservationCode, code: str,
                     label: str, resource_id: str, subject: SubjectRef, moment: Moment,
                     status: str, flags: list[str]) -> ObservationItem:
        if "valueCodeableConcept" not in holder:
            if "dataAbsentReason" in holder:
                raise SkipItem("no value (dataAbsentReason)")
            raise ItemError(f"{spec.name}: expected valueCodeableConcept (a SNOMED CT answer)")
        answers = [(s, c) for s, c, _ in _codings(holder["valueCodeableConcept"],
                                                  "valueCodeableConcept") if s == codes.SNOMED]
        if not answers:
            raise ItemError(f"{spec.name}: the answer has no SNOMED CT coding")
        known = [c for _, c in answers if c in codes.SMOKING_ANSWERS]
        answer = known[0] if known else answers[0][1]
        item_flags = list(flags)
        if not known:
            item_flags.append("smoking answer code not recognised; not interpreted")
        return ObservationItem(
            item=label, resource_id=resource_id, subject=subject, system=codes.LOINC, code=code,
            name=spec.name, value=None, unit="", effective=moment.value, value_code=answer,
            original_value=answer, status=status, flags=tuple(item_flags))


def _unit_strings(qty: dict[str, Any]) -> tuple[str, str, str]:
    """valueQuantity's system, code and unit ("" when absent), each checked to be text."""
    system, code, unit = qty.get("system"), qty.get("code"), qty.get("unit")
    if type(system) is type(code) is type(unit) is str:  # the usual case, in one test
        return system, code, unit
    return (_str(qty, "system", "valueQuantity.system"), _str(qty, "code", "valueQuantity.code"),
            _str(qty, "unit", "valueQuantity.unit"))
