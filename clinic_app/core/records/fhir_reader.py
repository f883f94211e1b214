"""The reader: every resource passes through :meth:`Reader.resource`, which checks what all
types share (resourceType, id, duplicates, unknown elements, modifier extensions) and hands
the resource to its type's handler; problems are collected in the reader's ``parsed``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    ItemError,
    ParsedFile,
    PatientItem,
    Problem,
    SkipItem,
)
from clinic_app.core.records.dates import (
    AHEAD_FLAG,
    DateError,
    parse_date,
)
from clinic_app.core.records.fhir_clinical import ClinicalReading
from clinic_app.core.records.fhir_elements import _ID, ELEMENTS, GENDERS
from clinic_app.core.records.fhir_fast import plain_observation
from clinic_app.core.records.fhir_json import (
    _ahead,
    _str,
)
from clinic_app.core.records.fhir_kept import TYPE_NAME, keep
from clinic_app.core.records.fhir_observations import ObservationReading
from clinic_app.core.records.fhir_patient import _mrn, _name, _race
from clinic_app.core.records.seen_ids import MemorySeenIds, SeenIds

#: resource type → the reader's method for it
_HANDLERS = {"Patient": "_patient", "Observation": "_observation", "Condition": "_condition",
             "MedicationStatement": "_medication", "MedicationRequest": "_medication",
             "AllergyIntolerance": "_allergy", "Encounter": "_encounter",
             "DiagnosticReport": "_report"}


class Reader(ObservationReading, ClinicalReading):
    """Turns resources into items, collecting problems in ``parsed``."""

    def __init__(self, parsed: ParsedFile, now: datetime) -> None:
        codes.terminology()  # load (and verify) the package before the first lookup
        #: LOINC code → model input, as the package in force defines it (looked up per fact)
        self.observation_codes: dict[str, codes.ObservationCode] = dict(codes.OBSERVATIONS)
        self.parsed = parsed
        self.now = now
        #: (type, id) → (where first seen, its content), for a JSON file
        self.seen: dict[tuple[str, str], tuple[str, object]] = {}
        #: where each (type, id) of an NDJSON file was first seen, with its line's hash: in
        #: the import transaction's table when streamed into the store (bounded memory)
        self.seen_ids: SeenIds = MemorySeenIds()
        self.medications: dict[str, dict[str, Any]] = {}  # ref → Medication resource
        # Handlers by name, looked up per resource: a dict of bound methods would make
        # a reference cycle, keeping the reader and every resource it has seen (the whole
        # JSON document) alive until the cyclic collector finds them (0.4 s, measured).
        self.handlers: dict[str, str] = _HANDLERS
        #: effective dates the plain Observation path has read (see fhir_fast)
        self.moments: dict[str, datetime] = {}

    # Every resource passes through here.
    def resource(self, res: Any, where: str, full_url: str = "",
                 fingerprint: int | None = None, line: int = 0) -> None:
        """Read one resource; ``fingerprint`` (a hash of its NDJSON line) and ``line``
        are given for NDJSON, where only the hash is kept for the duplicate check."""
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
        read = rtype in ELEMENTS
        if not read and not TYPE_NAME.fullmatch(rtype):
            self.parsed.skip(rtype[:40], "not a FHIR resource type name; not kept")
            return
        if rid and fingerprint is not None:
            first_seen = self.seen_ids.first(rtype, rid, fingerprint, line)
            if first_seen is not None:
                if first_seen[1] == fingerprint:
                    self.parsed.skip(rtype, "duplicate entry (identical)")
                else:
                    self.parsed.errors.append(Problem(label, "duplicate id with different "
                                                      f"content (first at line {first_seen[0]})"))
                return
        elif rid:
            first = self.seen.get((rtype, rid))
            if first is not None:
                if first[1] == res:
                    self.parsed.skip(rtype, "duplicate entry (identical)")
                else:
                    self.parsed.errors.append(Problem(
                        label, f"duplicate id with different content (first at {first[0]})"))
                return
            self.seen[(rtype, rid)] = (where, res)
        if not read:
            self.parsed.kept.append(keep(res, label, rtype, rid))
            return
        if rtype == "Observation":  # the common shape in one pass; None: the general path
            item = plain_observation(res, label, rid, self.now, self.observation_codes,
                                     self.moments)
            if item is not None:
                self.parsed.observations.append(item)
                return
        try:
            extra = res.keys() - ELEMENTS[rtype]
            unknown = sorted(k for k in extra if not k.startswith("_")) if extra else None
            if unknown:
                raise ItemError(f"unknown element(s) for {rtype}: {', '.join(unknown)[:80]}")
            if res.get("modifierExtension"):
                raise SkipItem("has a modifierExtension we cannot interpret")
            if rtype == "Medication":
                for ref in (f"Medication/{rid}" if rid else "", full_url):
                    if ref:
                        self.medications[ref] = res
                return
            ahead = _ahead()
            ahead.clear()
            getattr(self, self.handlers[rtype])(res, label, rid, full_url)
            if ahead:
                self.parsed.flags.append(Problem(label, f"{', '.join(dict.fromkeys(ahead))} "
                                                        f"{AHEAD_FLAG}"))
                ahead.clear()
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

