"""Conditions, allergies, encounters, diagnostic reports and medications to items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    AllergyItem,
    ConditionItem,
    EncounterItem,
    ItemError,
    MedicationItem,
    ParsedFile,
    ReportItem,
    Retraction,
    SkipItem,
)
from clinic_app.core.records.dates import (
    Moment,
)
from clinic_app.core.records.fhir_elements import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CLINICAL_STATUS,
    ENCOUNTER_STATUS,
    REPORT_STATUS,
    REQUEST_STATUS,
    STATEMENT_STATUS,
    UNCLASSIFIED_CODE,
    UNCLASSIFIED_TEXT,
    VERIFICATION_STATUS,
)
from clinic_app.core.records.fhir_json import (
    _codings,
    _concept_text,
    _list,
    _moment,
    _obj,
    _optional_moment,
    _reference,
    _status_code,
    _str,
    normalise_reference,
)


class ClinicalReading:
    """Handlers of the reader for the types other than Patient and Observation (a mixin
    of :class:`fhir_reader.Reader`)."""

    parsed: ParsedFile
    now: datetime
    medications: dict[str, dict[str, Any]]

    _effective: Callable[[dict[str, Any]], Moment]  # from ObservationReading

    def _condition(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        subject = _reference(res, "subject", required=True)
        assert subject is not None
        if "code" not in res:
            raise ItemError("no code")
        codings = [c for c in _codings(res["code"], "code") if c[1]]
        if not codings:
            raise ItemError("code has no coding (SNOMED CT or ICD-10)")
        clinical = _status_code(res, "clinicalStatus", CLINICAL_STATUS)
        verification = _status_code(res, "verificationStatus", VERIFICATION_STATUS)
        flags: list[str] = []
        if not clinical and verification != "entered-in-error":
            flags.append("clinical status not given; counted as active")
        onset = self._period_point(res, "onset", "start")
        abatement = self._period_point(res, "abatement", "end")
        if any(k in res for k in ("onsetAge", "onsetRange", "onsetString")):
            flags.append("onset given as an age or text; onset date unknown")
        found: list[tuple[str, str, str, str]] = []
        for system, code, display in codings:
            for category in codes.condition_categories(system, code):
                if category not in {f[3] for f in found}:
                    found.append((system, code, display, category))
        if not found:
            preferred = sorted(codings, key=lambda c: (c[0] != codes.SNOMED,
                                                      c[0] not in codes.ICD10_SYSTEMS))
            system, code, display = preferred[0]
            found = [(system, code, display, "other")]
        resource_id = f"Condition/{rid}" if rid else label
        for system, code, display, category in found:
            self.parsed.conditions.append(ConditionItem(
                item=label, resource_id=resource_id, subject=subject, system=system, code=code,
                category=category, display=display or _concept_text(res["code"]),
                onset=onset, abatement=abatement, clinical_status=clinical,
                verification_status=verification or "", flags=tuple(flags)))

    def _allergy(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        subject = _reference(res, "patient", required=True)
        assert subject is not None
        clinical = _status_code(res, "clinicalStatus", ALLERGY_CLINICAL)
        verification = _status_code(res, "verificationStatus", ALLERGY_VERIFICATION)
        resource_id = f"AllergyIntolerance/{rid}" if rid else label
        if verification == "entered-in-error":
            if rid:
                self.parsed.retractions.append(Retraction(label, resource_id, subject))
            raise SkipItem("entered-in-error")
        codings = [c for c in _codings(res["code"], "code") if c[1]] if "code" in res else []
        text = _concept_text(res.get("code"))
        system, code, display = codings[0] if codings else ("", "", "")
        flags = [] if codings else ["allergy has no code (text only); shown as written"]
        category = res.get("category", [])
        if not isinstance(category, list) or not all(isinstance(c, str) for c in category):
            raise ItemError("category must be a list of codes")
        criticality = _str(res, "criticality")
        onset = self._period_point(res, "onset", "start")
        recorded = (_moment(res["recordedDate"], "recordedDate", self.now).value
                    if "recordedDate" in res else None)
        self.parsed.allergies.append(AllergyItem(
            item=label, resource_id=resource_id, subject=subject, system=system, code=code,
            display=(display or text or "(no code or text)")[:200], clinical_status=clinical,
            verification_status=verification, category=",".join(category)[:80],
            criticality=criticality[:20], onset=onset, recorded=recorded, flags=tuple(flags)))

    def _encounter(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        status = _str(res, "status")
        if status not in ENCOUNTER_STATUS:
            raise ItemError(f"status '{status[:20]}' is not an Encounter status")
        subject = _reference(res, "subject", required=False)
        if subject is None:
            raise SkipItem("no subject (cannot be attached to a patient)")
        resource_id = f"Encounter/{rid}" if rid else label
        if status == "entered-in-error":
            if rid:
                self.parsed.retractions.append(Retraction(label, resource_id, subject))
            raise SkipItem("entered-in-error")
        class_code = ""
        if "class" in res:
            coding = _obj(res["class"], "class")
            class_code = _str(coding, "code", "class.code")[:20]
        type_display = ""
        for concept in _list(res, "type"):
            coded = [c for c in _codings(concept, "type") if c[1] or c[2]]
            type_display = (coded[0][2] if coded and coded[0][2] else _concept_text(concept)
                            or (coded[0][1] if coded else ""))
            if type_display:
                break
        start = end = None
        if "period" in res:
            period = _obj(res["period"], "period")
            if "start" in period:
                start = _moment(period["start"], "period.start", self.now).value
            end = _optional_moment(period, "end")
        self.parsed.encounters.append(EncounterItem(
            item=label, resource_id=resource_id, subject=subject, status=status,
            class_code=class_code, type_display=type_display[:200], start=start, end=end))

    def _report(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        status = _str(res, "status")
        if status not in REPORT_STATUS:
            raise ItemError(f"status '{status[:20]}' is not a DiagnosticReport status")
        if "code" not in res:
            raise ItemError("no code")
        subject = _reference(res, "subject", required=False)
        if subject is None:
            raise SkipItem("no subject (cannot be attached to a patient)")
        resource_id = f"DiagnosticReport/{rid}" if rid else label
        if status in ("entered-in-error", "cancelled"):
            if rid and status == "entered-in-error":
                self.parsed.retractions.append(Retraction(label, resource_id, subject))
            raise SkipItem(f"status {status}")
        codings = [c for c in _codings(res["code"], "code") if c[1]]
        system, code, display = next((c for c in codings if c[0] == codes.LOINC),
                                     codings[0] if codings else ("", "", ""))
        effective = None
        if "effectiveDateTime" in res or "effectivePeriod" in res:
            effective = self._effective(res).value
        results = []
        for ref in _list(res, "result"):
            text = _str(_obj(ref, "result"), "reference", "result.reference")
            if text:
                results.append(normalise_reference(text).rsplit("/", 2)[-2:])
        self.parsed.reports.append(ReportItem(
            item=label, resource_id=resource_id, subject=subject, status=status, system=system,
            code=code, display=(display or _concept_text(res["code"]))[:200],
            effective=effective,
            results=tuple("/".join(r) for r in results if len(r) == 2)))

    def _period_point(self, res: dict[str, Any], prefix: str, edge: str) -> datetime | None:
        if f"{prefix}DateTime" in res:
            return _moment(res[f"{prefix}DateTime"], f"{prefix}DateTime", self.now).value
        if f"{prefix}Period" in res:
            period = _obj(res[f"{prefix}Period"], f"{prefix}Period")
            for key in (edge, "start" if edge == "end" else "end"):
                if key in period:
                    return _moment(period[key], f"{prefix}Period.{key}", self.now).value
        return None

    def _medication(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        rtype = res["resourceType"]
        allowed = STATEMENT_STATUS if rtype == "MedicationStatement" else REQUEST_STATUS
        status = _str(res, "status")
        if status not in allowed:
            raise ItemError(f"status '{status[:20]}' is not a {rtype} status")
        if res.get("doNotPerform") is True:
            raise SkipItem("doNotPerform (an order not to give it)")
        subject = _reference(res, "subject", required=True)
        assert subject is not None
        concept = self._medication_concept(res, label)
        codings = [c for c in _codings(concept, "medication") if c[1]]
        start, end = self._medication_times(res, rtype)
        resource_id = f"{rtype}/{rid}" if rid else label
        text = _concept_text(concept)
        if not codings:
            if not text:
                raise ItemError("the medication has neither a coding nor text")
            self.parsed.medications.append(MedicationItem(
                item=label, resource_id=resource_id, subject=subject, system="", code="",
                display=text[:200], classes=(), status=status, start=start, end=end,
                flags=(UNCLASSIFIED_TEXT,), recognised=False))
            return
        classes: list[str] = []
        known = None
        for system, code, display in codings:
            found = codes.medication_classes(system, code, display or text)
            if found is not None:
                known = known or (system, code, display)
                classes.extend(c for c in found if c not in classes)
        flags: list[str] = []
        if known is None:
            flags.append(UNCLASSIFIED_CODE)
        system, code, display = known or codings[0]
        self.parsed.medications.append(MedicationItem(
            item=label, resource_id=resource_id, subject=subject,
            system=system, code=code, display=display or text,
            classes=tuple(classes), status=status, start=start, end=end, flags=tuple(flags),
            recognised=known is not None))

    def _medication_concept(self, res: dict[str, Any], label: str) -> Any:
        if "medicationCodeableConcept" in res:
            return res["medicationCodeableConcept"]
        if "medicationReference" not in res:
            raise ItemError("no medication (medicationCodeableConcept or medicationReference)")
        ref = _str(_obj(res["medicationReference"], "medicationReference"), "reference",
                   "medicationReference.reference")
        if ref.startswith("#"):
            for contained in _list(res, "contained"):
                if isinstance(contained, dict) and contained.get("id") == ref[1:] and \
                        contained.get("resourceType") == "Medication":
                    return contained.get("code", {})
        elif ref in self.medications:
            return self.medications[ref].get("code", {})
        raise ItemError("medicationReference does not resolve to a Medication in this file")

    def _medication_times(self, res: dict[str, Any],
                          rtype: str) -> tuple[datetime | None, datetime | None]:
        if rtype == "MedicationStatement":
            if "effectiveDateTime" in res:
                return _moment(res["effectiveDateTime"], "effectiveDateTime", self.now).value, None
            if "effectivePeriod" in res:
                period = _obj(res["effectivePeriod"], "effectivePeriod")
                return (_optional_moment(period, "start"), _optional_moment(period, "end"))
            return None, None
        start = end = None
        if "authoredOn" in res:
            start = _moment(res["authoredOn"], "authoredOn", self.now).value
        dispense = res.get("dispenseRequest")
        if isinstance(dispense, dict) and isinstance(dispense.get("validityPeriod"), dict):
            period = dispense["validityPeriod"]
            start = _optional_moment(period, "start") or start
            end = _optional_moment(period, "end")
        return start, end


