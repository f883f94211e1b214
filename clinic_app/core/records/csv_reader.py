"""The two CSV templates (patients, observations) → parsed items.

Spreadsheets are where records get hand-edited, so this reader is strict and says
exactly where a problem is (``file:line: what is wrong``), with the line where the
record *starts* even when a quoted field spans several lines:

* UTF-8 only (a BOM is fine). Other encodings are refused with the line of the first
  bad byte, not decoded by guess: a wrong guess silently garbles names.
* The delimiter (``,`` ``;`` tab ``|``) is the one that splits the header into the
  template's column names; columns are matched by name in any order, case-insensitively.
  An unknown column is refused (a misspelt ``efective_datetime`` must not vanish).
* Every row must have exactly as many fields as the header.
* Values use a dot as the decimal separator; "5,2" is refused rather than read as 5.2
  or 52. Dates and times are FHIR-style (``2024-03-01`` or ``2024-03-01T10:30:00+01:00``;
  a space may stand for the ``T``); a time needs its time zone.

docs/records.md documents both templates.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime

from clinic_app.core.records import codes
from clinic_app.core.records.batch import (
    ItemError,
    ObservationItem,
    ParsedFile,
    PatientItem,
    Problem,
    SkipItem,
    SubjectRef,
)
from clinic_app.core.records.dates import (
    AHEAD_FLAG,
    DateError,
    ahead,
    in_future,
    parse_date,
    parse_datetime,
)
from clinic_app.core.records.plausibility import canonical_value
from clinic_app.errors import NotUtf8 as NotUtf8

PATIENT_COLUMNS = ("mrn", "issuer", "family", "given", "birth_date", "sex", "race")
PATIENT_REQUIRED = frozenset(PATIENT_COLUMNS) - {"race"}
OBSERVATION_COLUMNS = ("mrn", "issuer", "system", "code", "value", "unit",
                       "effective_datetime", "display")
OBSERVATION_REQUIRED = frozenset({"mrn", "system", "code", "value", "unit",
                                  "effective_datetime"})
DELIMITERS = (",", ";", "\t", "|")
SEX = {"female": "female", "f": "female", "male": "male", "m": "male", "other": "other",
       "o": "other", "unknown": "unknown", "u": "unknown", "": "unknown"}
SYSTEMS = {"http://loinc.org": codes.LOINC, "loinc": codes.LOINC}
#: The optional ``race`` column: the equation races, or "unknown"/empty for not recorded.
RACE = {"white": "white", "african_american": "african_american", "other": "other",
        "unknown": None, "": None}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def decode(data: bytes) -> str:
    """UTF-8 text without a BOM; refuses other encodings (raises :class:`NotUtf8`)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(data[:exc.start].count(b"\n") + 1) from None


def _header(first_line: str) -> tuple[str, list[str]] | None:
    """(delimiter, column names) for the delimiter that yields a template header."""
    best: tuple[str, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader([first_line], delimiter=delimiter))
        except csv.Error:  # e.g. a bare carriage return inside the line: not a header
            return None
        names = [c.strip().lower() for c in fields]
        if "mrn" in names and (best is None or len(names) > len(best[1])):
            best = (delimiter, names)
    return best


def template_of(text: str) -> str | None:
    """"csv-patients", "csv-observations", or None when the header matches neither."""
    found = _header(text.split("\n", 1)[0].rstrip("\r"))
    if found is None:
        return None
    names = set(found[1])
    if names >= OBSERVATION_REQUIRED:
        return "csv-observations"
    if names >= PATIENT_REQUIRED:
        return "csv-patients"
    return None


def read_csv(text: str, source_file: str, now: datetime) -> ParsedFile:
    """Read one CSV file of either template (chosen by its header)."""
    fmt = template_of(text)
    parsed = ParsedFile(source_file, fmt or "csv")
    found = _header(text.split("\n", 1)[0].rstrip("\r"))
    if fmt is None or found is None:
        parsed.errors.append(Problem(f"{source_file}:1", (
            "the header matches neither CSV template: patients need "
            f"{', '.join(c for c in PATIENT_COLUMNS if c in PATIENT_REQUIRED)} (race optional); "
            f"observations need {', '.join(sorted(OBSERVATION_REQUIRED))} (display and issuer "
            "optional)")))
        return parsed
    delimiter, names = found
    allowed = PATIENT_COLUMNS if fmt == "csv-patients" else OBSERVATION_COLUMNS
    unknown = [n for n in names if n not in allowed]
    duplicate = sorted({n for n in names if names.count(n) > 1})
    if unknown or duplicate:
        what = (f"unknown column(s) {', '.join(repr(n[:30]) for n in unknown)}" if unknown
                else f"repeated column(s) {', '.join(duplicate)}")
        parsed.errors.append(Problem(f"{source_file}:1", f"{what}; the template's columns are "
                                                         f"{', '.join(allowed)}"))
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        next(reader)
        start = reader.line_num + 1
        for fields in reader:
            where = f"{source_file}:{start}"
            line_start, start = start, reader.line_num + 1
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(names):
                parsed.errors.append(Problem(where, f"expected {len(names)} fields, found "
                                                    f"{len(fields)}"))
                continue
            row = {n: f.strip() for n, f in zip(names, fields, strict=True)}
            try:
                if fmt == "csv-patients":
                    parsed.patients.append(_patient(row, where, line_start, now))
                else:
                    parsed.observations.append(_observation(row, where, line_start, now))
            except SkipItem as skip:
                parsed.skip("csv row", skip.reason)
            except ItemError as exc:
                parsed.errors.append(Problem(where, str(exc)))
    except csv.Error as exc:
        parsed.errors.append(Problem(f"{source_file}:{reader.line_num}",
                                     f"malformed CSV ({exc}); check the quoting"))
    return parsed


def _patient(row: dict[str, str], where: str, line: int, now: datetime) -> PatientItem:
    if not row["mrn"]:
        raise ItemError("mrn is empty")
    birth = None
    if row["birth_date"]:
        try:
            birth, precision = parse_date(row["birth_date"])
        except DateError as exc:
            raise ItemError(f"birth_date: {exc}") from None
        if birth is None:
            raise ItemError(f"birth_date is given only to the {precision}; give YYYY-MM-DD "
                            "or leave it empty")
        if birth > now.date():
            raise ItemError("birth_date is in the future")
    sex = SEX.get(row["sex"].lower())
    if sex is None:
        raise ItemError(f"sex '{row['sex'][:20]}' is not female, male, other or unknown "
                        "(or F, M, O, U)")
    written = row.get("race", "")
    if written.lower() not in RACE:
        raise ItemError(f"race '{written[:30]}' is not white, african_american, other or unknown "
                        "(races other than white or African-American are 'other'; leave it "
                        "empty when not recorded)")
    race = RACE[written.lower()]
    return PatientItem(item=where, resource_id=f"csv:{line}", mrn=row["mrn"],
                       issuer=row["issuer"], family=row["family"], given=row["given"],
                       birth_date=birth, sex=sex, race=race,
                       race_source=f"patients CSV race column: {written.lower()}" if written else "")


def _observation(row: dict[str, str], where: str, line: int, now: datetime) -> ObservationItem:
    if not row["mrn"]:
        raise ItemError("mrn is empty")
    system = SYSTEMS.get(row["system"].lower())
    if system is None:
        raise ItemError(f"system '{row['system'][:40]}' is not LOINC (use http://loinc.org)")
    spec = codes.observation_code(system, row["code"])
    if not row["code"]:
        raise ItemError("code is empty")
    try:
        moment = parse_datetime(row["effective_datetime"].replace(" ", "T", 1))
    except DateError as exc:
        raise ItemError(f"effective_datetime: {exc}") from None
    if in_future(moment, now):
        raise ItemError("effective_datetime is in the future (beyond the tolerance for clock "
                        "skew and time zones)")
    flags: list[str] = [f"effective_datetime {AHEAD_FLAG}"] if ahead(moment, now) else []
    if moment.partial:
        flags.append(f"effective date given only to the {moment.precision}")
    issuer = row.get("issuer")
    subject = SubjectRef(mrn=row["mrn"], issuer=issuer if issuer else None)
    if spec is None:  # kept as written: no model input uses this code
        return _other(row, where, line, subject, system, moment.value, flags)
    common = {"item": where, "resource_id": f"csv:{line}", "subject": subject,
              "system": system, "code": row["code"], "name": spec.name,
              "effective": moment.value}
    if spec.coded:
        if row["unit"]:
            raise ItemError(f"{spec.name}: a coded answer has no unit; leave unit empty")
        answer = row["value"]
        if not answer:
            raise ItemError(f"{spec.name}: value (the SNOMED CT answer code) is empty")
        if answer not in codes.SMOKING_ANSWERS:
            flags.append("smoking answer code not recognised; not interpreted")
        return ObservationItem(**common, value=None, unit="", value_code=answer,  # type: ignore[arg-type]
                               original_value=answer, flags=tuple(flags))
    text = row["value"]
    if not _NUMBER.fullmatch(text):
        hint = " (use a dot as the decimal separator)" if "," in text else ""
        raise ItemError(f"{spec.name}: value '{text[:20]}' is not a number{hint}")
    value, checked = canonical_value(spec, float(text), row["unit"])
    return ObservationItem(**common, value=value, unit=spec.unit,  # type: ignore[arg-type]
                           original_value=text, original_unit=row["unit"],
                           flags=tuple(flags + checked))


def _other(row: dict[str, str], where: str, line: int, subject: SubjectRef, system: str,
           effective: datetime, flags: list[str]) -> ObservationItem:
    """A row whose code no model input uses: a number with its unit as written, or text."""
    text = row["value"]
    if not text:
        raise SkipItem("no value")
    number = float(text) if _NUMBER.fullmatch(text) else None
    if number is not None and not math.isfinite(number):
        raise ItemError(f"value '{text[:20]}' is not a finite number")
    return ObservationItem(
        item=where, resource_id=f"csv:{line}", subject=subject, system=system,
        code=row["code"], name=codes.other_fact_name(system, row["code"]), value=number,
        unit=row["unit"][:40] if number is not None else "", effective=effective,
        original_value=text[:200], original_unit=row["unit"][:40], flags=tuple(flags),
        display=(row.get("display") or "")[:200],
        value_text=None if number is not None else text[:500])
