"""FHIR R4 JSON → parsed items: bundles, single resources and Bulk Data NDJSON.

Why a strict reader of our own rather than ``fhir.resources`` models: we read five
resource types and a few dozen elements of them, and for those we check more than the
models do (required bindings such as Observation.status, units, codes, physiological
ranges, time zones), while a full model validation of every resource costs about
50 µs per Observation here — the whole budget of a 20,000 observations/s import. The
reader is strict where it matters: unknown top-level elements of the types we read are
refused (a typo or a wrong resourceType must not pass as "no value"), primitive types
are checked, duplicate JSON keys and non-finite numbers are refused. The tests use
``fhir.resources`` (R4B, identical on the wire for these types) as an oracle: what we
generate validates there, and what it rejects we reject too.

Resources of any other type are skipped and counted, never an error. A modifier
extension we cannot understand makes us skip the resource (FHIR forbids reading around
one), and the skip is reported.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    AllergyItem,
    ConditionItem,
    EncounterItem,
    ItemError,
    MedicationItem,
    ObservationItem,
    ParsedFile,
    PatientItem,
    Problem,
    ReportItem,
    Retraction,
    SkipItem,
    SubjectRef,
)
from clinic_app.core.records.dates import (
    AHEAD_FLAG,
    DateError,
    Moment,
    in_future,
    parse_date,
    parse_datetime,
)
from clinic_app.core.records.plausibility import canonical_value

UCUM = "http://unitsofmeasure.org"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
BUNDLE_TYPES = frozenset({"collection", "transaction", "batch", "searchset", "document"})

_COMMON = {"resourceType", "id", "meta", "implicitRules", "language", "text", "contained",
           "extension", "modifierExtension"}
#: Top-level elements of the R4 resources we read (anything else is refused).
ELEMENTS: dict[str, frozenset[str]] = {
    "Patient": frozenset(_COMMON | {
        "identifier", "active", "name", "telecom", "gender", "birthDate", "deceasedBoolean",
        "deceasedDateTime", "address", "maritalStatus", "multipleBirthBoolean",
        "multipleBirthInteger", "photo", "contact", "communication", "generalPractitioner",
        "managingOrganization", "link"}),
    "Observation": frozenset(_COMMON | {
        "identifier", "basedOn", "partOf", "status", "category", "code", "subject", "focus",
        "encounter", "effectiveDateTime", "effectivePeriod", "effectiveTiming",
        "effectiveInstant", "issued", "performer", "valueQuantity", "valueCodeableConcept",
        "valueString", "valueBoolean", "valueInteger", "valueRange", "valueRatio",
        "valueSampledData", "valueTime", "valueDateTime", "valuePeriod", "dataAbsentReason",
        "interpretation", "note", "bodySite", "method", "specimen", "device",
        "referenceRange", "hasMember", "derivedFrom", "component"}),
    "Condition": frozenset(_COMMON | {
        "identifier", "clinicalStatus", "verificationStatus", "category", "severity", "code",
        "bodySite", "subject", "encounter", "onsetDateTime", "onsetAge", "onsetPeriod",
        "onsetRange", "onsetString", "abatementDateTime", "abatementAge", "abatementPeriod",
        "abatementRange", "abatementString", "recordedDate", "recorder", "asserter", "stage",
        "evidence", "note"}),
    "MedicationStatement": frozenset(_COMMON | {
        "identifier", "basedOn", "partOf", "status", "statusReason", "category",
        "medicationCodeableConcept", "medicationReference", "subject", "context",
        "effectiveDateTime", "effectivePeriod", "dateAsserted", "informationSource",
        "derivedFrom", "reasonCode", "reasonReference", "note", "dosage"}),
    "MedicationRequest": frozenset(_COMMON | {
        "identifier", "status", "statusReason", "intent", "category", "priority",
        "doNotPerform", "reportedBoolean", "reportedReference", "medicationCodeableConcept",
        "medicationReference", "subject", "encounter", "supportingInformation", "authoredOn",
        "requester", "performer", "performerType", "recorder", "reasonCode", "reasonReference",
        "instantiatesCanonical", "instantiatesUri", "basedOn", "groupIdentifier",
        "courseOfTherapyType", "insurance", "note", "dosageInstruction", "dispenseRequest",
        "substitution", "priorPrescription", "detectedIssue", "eventHistory"}),
    "Medication": frozenset(_COMMON | {
        "identifier", "code", "status", "manufacturer", "form", "amount", "ingredient",
        "batch"}),
    "AllergyIntolerance": frozenset(_COMMON | {
        "identifier", "clinicalStatus", "verificationStatus", "type", "category",
        "criticality", "code", "patient", "encounter", "onsetDateTime", "onsetAge",
        "onsetPeriod", "onsetRange", "onsetString", "recordedDate", "recorder", "asserter",
        "lastOccurrence", "note", "reaction"}),
    "Encounter": frozenset(_COMMON | {
        "identifier", "status", "statusHistory", "class", "classHistory", "type",
        "serviceType", "priority", "subject", "episodeOfCare", "basedOn", "participant",
        "appointment", "period", "length", "reasonCode", "reasonReference", "diagnosis",
        "account", "hospitalization", "location", "serviceProvider", "partOf"}),
    "DiagnosticReport": frozenset(_COMMON | {
        "identifier", "basedOn", "status", "category", "code", "subject", "encounter",
        "effectiveDateTime", "effectivePeriod", "issued", "performer", "resultsInterpreter",
        "specimen", "result", "imagingStudy", "media", "conclusion", "conclusionCode",
        "presentedForm"}),
}

OBSERVATION_STATUS = frozenset({"registered", "preliminary", "final", "amended", "corrected",
                                "cancelled", "entered-in-error", "unknown"})
CLINICAL_STATUS = frozenset({"active", "recurrence", "relapse", "inactive", "remission",
                             "resolved"})
VERIFICATION_STATUS = frozenset({"unconfirmed", "provisional", "differential", "confirmed",
                                 "refuted", "entered-in-error"})
STATEMENT_STATUS = frozenset({"active", "completed", "entered-in-error", "intended", "stopped",
                              "on-hold", "unknown", "not-taken"})
REQUEST_STATUS = frozenset({"active", "on-hold", "cancelled", "completed", "entered-in-error",
                            "stopped", "draft", "unknown"})
ALLERGY_CLINICAL = frozenset({"active", "inactive", "resolved"})
ALLERGY_VERIFICATION = frozenset({"unconfirmed", "confirmed", "refuted", "entered-in-error"})
ENCOUNTER_STATUS = frozenset({"planned", "arrived", "triaged", "in-progress", "onleave",
                              "finished", "cancelled", "entered-in-error", "unknown"})
REPORT_STATUS = frozenset({"registered", "partial", "preliminary", "final", "amended",
                           "corrected", "appended", "cancelled", "entered-in-error", "unknown"})
#: Flags of medications kept without a class (valid FHIR, not usable by a model as is).
UNCLASSIFIED_TEXT = ("medication given only as text; stored unclassified (a score that needs "
                     "a drug class shows the input as uncertain)")
UNCLASSIFIED_CODE = ("medication code not recognised; stored unclassified (a score that needs "
                     "a drug class shows the input as uncertain)")
GENDERS = frozenset({"male", "female", "other", "unknown"})
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


# -- JSON -----------------------------------------------------------------------------------

def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ItemError(f"duplicate JSON key '{dup[:40]}'")
    return out


def _constant(name: str) -> Any:
    raise ItemError(f"'{name}' is not a JSON number (FHIR allows finite decimals only)")


#: Built once: json.loads with keyword arguments builds a new decoder on every call, which
#: dominates when NDJSON is decoded line by line.
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def loads(text: str) -> Any:
    """json.loads that refuses duplicate keys, NaN/Infinity and runaway nesting."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ItemError("JSON nested too deeply to be a FHIR resource") from None


# -- primitive helpers ---------------------------------------------------------------------

def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ItemError(f"{where} must be a JSON object")
    return value


def _list(res: dict[str, Any], key: str) -> list[Any]:
    value = res.get(key, [])
    if not isinstance(value, list):
        raise ItemError(f"{key} must be a JSON array")
    return value


def _str(obj: dict[str, Any], key: str, where: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{where or key} must be a string")
    return value


def _codings(concept: Any, where: str) -> list[tuple[str, str, str]]:
    """(system, code, display) of each coding in a CodeableConcept."""
    cc = _obj(concept, where)
    out = []
    for coding in _list(cc, "coding"):
        if not isinstance(coding, dict):
            raise ItemError(f"{where}.coding must be a JSON object")
        triple = (coding.get("system", ""), coding.get("code", ""), coding.get("display", ""))
        if not all(type(v) is str for v in triple):
            raise ItemError(f"{where}.coding system, code and display must be strings")
        out.append(triple)
    return out


def _concept_text(concept: Any) -> str:
    if isinstance(concept, dict):
        text = concept.get("text")
        if isinstance(text, str):
            return text
    return ""


def _status_code(res: dict[str, Any], key: str, allowed: frozenset[str]) -> str:
    """A CodeableConcept status (Condition.clinicalStatus/verificationStatus)."""
    if key not in res:
        return ""
    for _system, code, _display in _codings(res[key], key):
        if code in allowed:
            return code
    raise ItemError(f"{key} has no code from its value set ({', '.join(sorted(allowed))})")


def _moment(value: Any, where: str, now: datetime) -> Moment:
    try:
        moment = parse_datetime(value)
    except DateError as exc:
        raise ItemError(f"{where}: {exc}") from None
    if in_future(moment, now):
        raise ItemError(f"{where} is in the future (more than the "
                        f"{'24 hours' if moment.precision == 'time' else '2 days'} allowed for "
                        "clock skew and time zones)")
    if moment.value > now:
        _ahead().append(where)
    return moment


#: Dates read ahead of the clock (within the tolerance) since the reader last looked, per
#: thread (imports may run on GUI workers): the reader turns them into one flag per item.
_LOCAL = threading.local()


def _ahead() -> list[str]:
    found: list[str] | None = getattr(_LOCAL, "ahead", None)
    if found is None:
        found = _LOCAL.ahead = []
    return found


def _reference(res: dict[str, Any], key: str, *, required: bool) -> SubjectRef | None:
    if key not in res:
        if required:
            raise ItemError(f"no {key} (the patient it is about)")
        return None
    ref = _obj(res[key], key)
    text = _str(ref, "reference", f"{key}.reference")
    if text:
        text = normalise_reference(text)
        if not (text.startswith("Patient/") or text.startswith("urn:") or "/Patient/" in text):
            raise ItemError(f"{key} refers to '{text.split('/')[0][:30]}', not to a Patient")
        return SubjectRef(reference=text)
    if "identifier" in ref:
        ident = _obj(ref["identifier"], f"{key}.identifier")
        value = _str(ident, "value", f"{key}.identifier.value")
        if value:
            # No system: any issuer (the store refuses if the MRN exists under several).
            system = _str(ident, "system", f"{key}.identifier.system")
            return SubjectRef(mrn=value, issuer=system or None)
    raise ItemError(f"{key} has neither a reference nor an identifier")


def normalise_reference(text: str) -> str:
    """Drop a version suffix and reduce an absolute URL ending in Patient/<id> to that."""
    text = text.strip()
    if "/_history/" in text:
        text = text.split("/_history/")[0]
    if "://" in text and "/Patient/" in text:
        return "Patient/" + text.rsplit("/Patient/", 1)[1]
    return text


# -- resources -----------------------------------------------------------------------------

class _Reader:
    """Turns resources into items, collecting problems in ``parsed``."""

    def __init__(self, parsed: ParsedFile, now: datetime) -> None:
        codes.terminology()  # load (and verify) the package before the first lookup
        self.parsed = parsed
        self.now = now
        #: (type, id) → (where first seen, its content or, for NDJSON, a digest of its line)
        self.seen: dict[tuple[str, str], tuple[str, object]] = {}
        self.medications: dict[str, dict[str, Any]] = {}  # ref → Medication resource
        self.handlers: dict[str, Callable[[dict[str, Any], str, str, str], None]] = {
            "Patient": self._patient,
            "Observation": self._observation,
            "Condition": self._condition,
            "MedicationStatement": self._medication,
            "MedicationRequest": self._medication,
            "AllergyIntolerance": self._allergy,
            "Encounter": self._encounter,
            "DiagnosticReport": self._report,
        }

    # Every resource passes through here.
    def resource(self, res: Any, where: str, full_url: str = "",
                 fingerprint: int | None = None) -> None:
        try:
            if not isinstance(res, dict):
                raise ItemError("is not a JSON object (a FHIR resource)")
            rtype = res.get("resourceType")
            if not isinstance(rtype, str) or not rtype:
                raise ItemError("resourceType is missing or not a string: not a FHIR resource")
            rid = res.get("id", "")
            if not isinstance(rid, str) or (rid and not _ID.fullmatch(rid)):
                raise ItemError("id must be 1-64 letters, digits, '-' or '.'")
            label = f"{where} ({rtype}/{rid})" if rid else f"{where} ({rtype})"
        except ItemError as exc:
            self.parsed.errors.append(Problem(where, str(exc)))
            return
        if rtype not in ELEMENTS:
            self.parsed.skip(rtype[:40], "resource type not used")
            return
        if rid:
            first = self.seen.get((rtype, rid))
            content: object = res if fingerprint is None else fingerprint
            if first is not None:
                if first[1] == content:
                    self.parsed.skip(rtype, "duplicate entry (identical)")
                else:
                    self.parsed.errors.append(Problem(
                        label, f"duplicate id with different content (first at {first[0]})"))
                return
            self.seen[(rtype, rid)] = (where, content)
        try:
            unknown = sorted(k for k in res.keys() - ELEMENTS[rtype] if not k.startswith("_"))
            if unknown:
                raise ItemError(f"unknown element(s) for {rtype}: {', '.join(unknown)[:80]}")
            if res.get("modifierExtension"):
                raise SkipItem("has a modifierExtension we cannot interpret")
            if rtype == "Medication":
                for ref in (f"Medication/{rid}" if rid else "", full_url):
                    if ref:
                        self.medications[ref] = res
                return
            _ahead().clear()
            self.handlers[rtype](res, label, rid, full_url)
            if _ahead():
                self.parsed.flags.append(Problem(label, f"{', '.join(dict.fromkeys(_ahead()))} "
                                                        f"{AHEAD_FLAG}"))
                _ahead().clear()
        except SkipItem as skip:
            self.parsed.skip(rtype, skip.reason)
        except ItemError as exc:
            self.parsed.errors.append(Problem(label, str(exc)))

    def _patient(self, res: dict[str, Any], label: str, rid: str, full_url: str) -> None:
        mrn, issuer = _mrn(res)
        family, given = _name(res)
        birth, precision = None, ""
        if "birthDate" in res:
            try:
                birth, precision = parse_date(res["birthDate"])
            except DateError as exc:
                raise ItemError(f"birthDate: {exc}") from None
            if birth is not None and birth > self.now.date():
                raise ItemError("birthDate is in the future")
        if birth is None and precision:
            self.parsed.flags.append(Problem(label, f"birth date given only to the {precision}; "
                                                    "stored as unknown (age cannot be computed)"))
        gender = _str(res, "gender") or "unknown"
        if gender not in GENDERS:
            raise ItemError(f"gender '{gender[:20]}' is not one of {', '.join(sorted(GENDERS))}")
        deceased = res.get("deceasedBoolean", False) is True or "deceasedDateTime" in res
        race, race_source, race_flags = _race(res)
        self.parsed.flags.extend(Problem(label, flag) for flag in race_flags)
        refs = tuple(r for r in (f"Patient/{rid}" if rid else "", full_url) if r)
        self.parsed.patients.append(PatientItem(
            item=label, resource_id=f"Patient/{rid}" if rid else label, mrn=mrn, issuer=issuer,
            family=family, given=given, birth_date=birth, sex=gender, deceased=deceased,
            refs=refs, race=race, race_source=race_source))

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
        loinc = [c for s, c, _ in codings if s == codes.LOINC]
        known = [c for c in loinc if c in codes.OBSERVATIONS]
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
                replace(item, interpretation=interpretation) if interpretation else item)
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
                          if s == codes.LOINC and c in codes.OBSERVATIONS]
            shown = comp_known[0] if comp_known else next(
                (c for _, c, _ in comp_codings if c), str(index + 1))
            where = f"{label} component {shown[:20]}"
            try:
                if comp_known:
                    item = self._value(comp, comp_known[0], where, ident, subject, moment,
                                       status, flags)
                    if interpretation:
                        item = replace(item, interpretation=interpretation)
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
        spec = codes.OBSERVATIONS[code]
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
        system = _str(qty, "system", "valueQuantity.system")
        unit_code = _str(qty, "code", "valueQuantity.code")
        unit_text = _str(qty, "unit", "valueQuantity.unit")
        if system and system != UCUM:
            raise ItemError(f"{spec.name}: unit system '{system[:40]}' is not UCUM")
        unit = unit_code if (system == UCUM and unit_code) else (unit_code or unit_text)
        canonical, checked = canonical_value(spec, float(raw), unit)
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


def _optional_moment(period: dict[str, Any], key: str) -> datetime | None:
    if key not in period:
        return None
    try:
        return parse_datetime(period[key]).value
    except DateError as exc:
        raise ItemError(f"period.{key}: {exc}") from None


def _first_code(res: dict[str, Any], key: str) -> str:
    """The first coding's code of the first CodeableConcept in a list element ("" if none)."""
    value = res.get(key)
    if not isinstance(value, list) or not value:
        return ""
    for _system, code, _display in _codings(value[0], key):
        if code:
            return code[:40]
    return ""


#: Value types kept as text for observations we do not interpret (shown, never computed).
_TEXT_VALUES = ("valueDateTime", "valueTime", "valuePeriod", "valueRange", "valueRatio",
                "valueSampledData")


def _raw_value(holder: dict[str, Any]) -> tuple[float | None, str, str | None, str | None]:
    """(number, unit as written, answer code, text) of any FHIR value[x], unconverted."""
    if "valueQuantity" in holder:
        qty = _obj(holder["valueQuantity"], "valueQuantity")
        raw = qty.get("value")
        if raw is None:
            raise SkipItem("no value")
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ItemError("valueQuantity.value must be a number")
        unit = _str(qty, "code", "valueQuantity.code") or _str(qty, "unit", "valueQuantity.unit")
        comparator = _str(qty, "comparator", "valueQuantity.comparator")
        return float(raw), unit[:40], None, (comparator or None)
    if "valueCodeableConcept" in holder:
        concept = holder["valueCodeableConcept"]
        coded = [c for c in _codings(concept, "valueCodeableConcept") if c[1]]
        text = _concept_text(concept) or (coded[0][2] if coded else "")
        return None, "", (coded[0][1][:40] if coded else None), text[:200] or None
    if "valueString" in holder:
        text = holder["valueString"]
        if not isinstance(text, str):
            raise ItemError("valueString must be a string")
        return None, "", None, text[:500]
    if "valueBoolean" in holder:
        if not isinstance(holder["valueBoolean"], bool):
            raise ItemError("valueBoolean must be true or false")
        return None, "", None, "yes" if holder["valueBoolean"] else "no"
    if "valueInteger" in holder:
        raw = holder["valueInteger"]
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ItemError("valueInteger must be an integer")
        return float(raw), "", None, None
    for key in _TEXT_VALUES:
        if key in holder:
            return None, "", None, json.dumps(holder[key], separators=(",", ":"))[:200]
    if "dataAbsentReason" in holder:
        raise SkipItem("no value (dataAbsentReason)")
    raise SkipItem("no value")


def _number_text(raw: float) -> str:
    return repr(raw) if isinstance(raw, float) else str(raw)


def _mrn(res: dict[str, Any]) -> tuple[str, str]:
    """The medical record number and its system: type MR first, then usual/official."""
    candidates = []
    for ident in _list(res, "identifier"):
        ident = _obj(ident, "identifier")
        value = _str(ident, "value", "identifier.value").strip()
        if not value:
            continue
        is_mr = "type" in ident and any(
            s == V2_0203 and c == "MR" for s, c, _ in _codings(ident["type"], "identifier.type"))
        use = _str(ident, "use", "identifier.use")
        rank = 0 if is_mr else (1 if use in ("usual", "official") else 2)
        candidates.append((rank, value, _str(ident, "system", "identifier.system").strip()))
    if not candidates:
        raise ItemError("no identifier with a value (the MRN)")
    _rank, value, system = min(candidates, key=lambda c: c[0])
    return value, system


def _race(res: dict[str, Any]) -> tuple[str | None, str, list[str]]:
    """Race from the US Core race extension: (race, what the source said, flags).

    Only the ``ombCategory`` codings are read (the five OMB categories, "Other Race", and
    the UNK/ASKU null flavours); ``detailed`` CDC codes and ``text`` are not mapped, since
    mapping 900 detailed codes by hand is where a wrong equation would creep in. Several
    categories follow :func:`codes.race_of`: white with any other race is "other" (the
    white equations, flagged), Black or African American with any other race is left
    unchosen (None, flagged) because the two equations differ. Anything not understood is
    flagged and leaves the race not recorded; nothing is guessed.
    """
    found: list[str] = []
    unknown: list[str] = []
    flags: list[str] = []
    seen = False
    for ext in _list(res, "extension"):
        ext = _obj(ext, "extension")
        if ext.get("url") != codes.US_CORE_RACE:
            continue
        seen = True
        for part in _list(ext, "extension"):
            part = _obj(part, "us-core-race extension")
            if part.get("url") != "ombCategory":
                continue
            coding = _obj(part.get("valueCoding"), "us-core-race ombCategory.valueCoding")
            system = _str(coding, "system", "ombCategory.valueCoding.system")
            code = _str(coding, "code", "ombCategory.valueCoding.code")
            if system == codes.CDC_RACE and code in codes.OMB_RACE:
                found.append(code)
            elif system == codes.NULL_FLAVOR and code in codes.RACE_UNKNOWN:
                unknown.append(code)
            else:
                flags.append(f"race: ombCategory code '{code[:20]}' ({system[:50] or 'no system'}) "
                             "is not an OMB race category; not interpreted")
    if not seen:
        return None, "", flags
    cats = list(dict.fromkeys(found))
    said = ", ".join(f"{codes.OMB_RACE[c][0]} ({c})" for c in cats)
    if cats and unknown:
        flags.append("race: the US Core race extension gives a category together with "
                     "unknown/asked-but-unknown (US Core forbids both); race not recorded")
        return None, f"US Core race extension: {said}, {', '.join(unknown)}", flags
    if not cats:
        if unknown:
            return None, ("US Core race extension: "
                          + ", ".join(f"{codes.RACE_UNKNOWN[u]} ({u})" for u in unknown)), flags
        if not flags:  # (codes not understood are flagged already)
            flags.append("race: the US Core race extension has no OMB category (ombCategory); "
                         "race not recorded (detailed codes and text are not mapped)")
        return None, "US Core race extension without an OMB category", flags
    race = codes.race_of(cats)
    if race is None:
        flags.append("race: several OMB categories including Black or African American; the "
                     "white and African-American equations differ, so no race was chosen "
                     "(choose it in the what-if panel)")
    return race, f"US Core race extension: {said}", flags


def _name(res: dict[str, Any]) -> tuple[str, str]:
    names = [_obj(n, "name") for n in _list(res, "name")]
    if not names:
        return "", ""
    chosen = next((n for n in names if n.get("use") == "official"), names[0])
    family = _str(chosen, "family", "name.family")
    given = chosen.get("given", [])
    if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
        raise ItemError("name.given must be a list of strings")
    return family, " ".join(given)


# -- files -----------------------------------------------------------------------------------

def _entries(bundle: dict[str, Any]) -> Iterator[tuple[int, Any, str]]:
    for index, entry in enumerate(_list(bundle, "entry"), start=1):
        entry = _obj(entry, f"entry {index}")
        full_url = entry.get("fullUrl", "")
        yield index, entry, full_url if isinstance(full_url, str) else ""


def read_json(text: str, source_file: str, now: datetime) -> ParsedFile:
    """A FHIR JSON file: one Bundle (collection, transaction, batch, searchset, document)
    or one resource."""
    parsed = ParsedFile(source_file, "fhir-json")
    try:
        doc = loads(text)
        if not isinstance(doc, dict):
            raise ItemError("the file is not a JSON object (a FHIR resource or Bundle)")
        if doc.get("resourceType") != "Bundle":
            reader = _Reader(parsed, now)
            reader.resource(doc, "resource")
            return parsed
        btype = doc.get("type")
        if btype not in BUNDLE_TYPES:
            raise ItemError(f"Bundle type '{str(btype)[:30]}' is not read (use one of "
                            f"{', '.join(sorted(BUNDLE_TYPES))})")
        reader = _Reader(parsed, now)
        entries = list(_entries(doc))
    except ItemError as exc:
        parsed.errors.append(Problem(source_file, str(exc)))
        return parsed
    # Medications first: statements and requests may refer to them.
    ordered = sorted(entries, key=lambda e: not (
        isinstance(e[1].get("resource"), dict)
        and e[1]["resource"].get("resourceType") == "Medication"))
    for index, entry, full_url in ordered:
        if "resource" not in entry:
            parsed.skip("entry", "no resource (e.g. a DELETE request)")
            continue
        search = entry.get("search")
        if isinstance(search, dict) and search.get("mode") == "outcome":
            parsed.skip("OperationOutcome", "search outcome")
            continue
        request = entry.get("request")
        if isinstance(request, dict) and request.get("method") == "DELETE":
            parsed.skip("entry", "DELETE request not applied")
            continue
        resource = entry["resource"]
        if isinstance(resource, dict) and resource.get("resourceType") == "Bundle":
            parsed.skip("Bundle", "nested Bundle not read")
            continue
        reader.resource(resource, f"entry {index}", full_url)
    return parsed


def read_ndjson(lines: Iterator[str], source_file: str, now: datetime) -> ParsedFile:
    """FHIR Bulk Data NDJSON: one resource per line (blank lines ignored), as one parse."""
    whole = ParsedFile(source_file, "fhir-ndjson")
    for batch in read_ndjson_batches(lines, source_file, now, batch_lines=1 << 62):
        whole.extend(batch)
    return whole


#: Lines per batch when NDJSON is streamed (memory stays bounded by this, not the file).
BATCH_LINES = 5000


def read_ndjson_batches(lines: Iterable[str], source_file: str, now: datetime, *,
                        batch_lines: int = BATCH_LINES,
                        medications: dict[str, dict[str, Any]] | None = None,
                        ) -> Iterator[ParsedFile]:
    """NDJSON read line by line, handed out in batches of ``batch_lines`` lines.

    Only what checks need across the whole file is kept between batches: each
    (type, id) with a hash of its line (duplicates with different content are
    errors) and the Medication resources (``medications``, shared across the files of one
    import so MedicationRequest.ndjson can refer to Medication.ndjson). A request whose
    ``medicationReference`` is not known yet waits for the end of the file.
    """
    reader = _Reader(ParsedFile(source_file, "fhir-ndjson"), now)
    if medications is not None:
        reader.medications = medications
    waiting: list[tuple[int, dict[str, Any], int]] = []
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            res = loads(line)
        except ItemError as exc:
            reader.parsed.errors.append(Problem(f"line {number}", str(exc)))
            continue
        # Only compared within this import, so the process's string hash (64-bit SipHash)
        # is enough: two different lines sharing it is ~1e-10 for 100,000 resources.
        digest = hash(line.strip())
        if _waits_for_medication(res, reader.medications):
            waiting.append((number, res, digest))
        else:
            reader.resource(res, f"line {number}", fingerprint=digest)
        count += 1
        if count >= batch_lines:
            yield reader.parsed
            reader.parsed = ParsedFile(source_file, "fhir-ndjson")
            count = 0
    for number, res, digest in waiting:
        reader.resource(res, f"line {number}", fingerprint=digest)
    yield reader.parsed


def _waits_for_medication(res: Any, known: dict[str, dict[str, Any]]) -> bool:
    if not isinstance(res, dict) or res.get("resourceType") not in ("MedicationRequest",
                                                                   "MedicationStatement"):
        return False
    ref = res.get("medicationReference")
    text = ref.get("reference") if isinstance(ref, dict) else None
    return isinstance(text, str) and not text.startswith("#") and text not in known
