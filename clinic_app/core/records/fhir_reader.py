"""The reader: every resource passes through :meth:`Reader.resource`, which checks what all
types share (resourceType, id, duplicates, unknown elements, modifier extensions) and hands
the resource to its type's handler; problems are collected in the reader's ``parsed``.
"""

from __future__ import annotations

from collections.abc import Callable
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
from clinic_app.core.records.fhir_json import (
    _ahead,
    _str,
)
from clinic_app.core.records.fhir_kept import TYPE_NAME, keep
from clinic_app.core.records.fhir_observations import ObservationReading
from clinic_app.core.records.fhir_patient import _mrn, _name, _race

_DIGEST = (1 << 64) - 1


class Reader(ObservationReading, ClinicalReading):
    """Turns resources into items, collecting problems in ``parsed``."""

    def __init__(self, parsed: ParsedFile, now: datetime) -> None:
        codes.terminology()  # load (and verify) the package before the first lookup
        self.parsed = parsed
        self.now = now
        #: (type, id) → (where first seen, its content), for a JSON file
        self.seen: dict[tuple[str, str], tuple[str, object]] = {}
        #: "type/id" → line number << 64 | the 64-bit digest of its line, for NDJSON: one
        #: entry per resource of the file, so it is packed (~150 bytes instead of ~260)
        self.seen_lines: dict[str, int] = {}
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
            key, digest = f"{rtype}/{rid}", fingerprint & _DIGEST
            packed = self.seen_lines.get(key)
            if packed is not None:
                if packed & _DIGEST == digest:
                    self.parsed.skip(rtype, "duplicate entry (identical)")
                else:
                    self.parsed.errors.append(Problem(label, "duplicate id with different "
                                                      f"content (first at line {packed >> 64})"))
                return
            self.seen_lines[key] = (line << 64) | digest
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

