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

Resources of any other type are kept as received (``fhir_kept``), flagged and counted,
never an error. A modifier extension we cannot understand makes us skip the resource
(FHIR forbids reading around one), and the skip is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from clinic_app.core.records.batch import (
    ItemError,
    ParsedFile,
    Problem,
)
from clinic_app.core.records.fhir_elements import BUNDLE_TYPES
from clinic_app.core.records.fhir_json import (
    _list,
    _obj,
    loads,
)
from clinic_app.core.records.fhir_reader import Reader as _Reader

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
            reader.resource(res, f"line {number}", fingerprint=digest, line=number)
        count += 1
        if count >= batch_lines:
            yield reader.parsed
            reader.parsed = ParsedFile(source_file, "fhir-ndjson")
            count = 0
    for number, res, digest in waiting:
        reader.resource(res, f"line {number}", fingerprint=digest, line=number)
    yield reader.parsed


def _waits_for_medication(res: Any, known: dict[str, dict[str, Any]]) -> bool:
    if not isinstance(res, dict) or res.get("resourceType") not in ("MedicationRequest",
                                                                   "MedicationStatement"):
        return False
    ref = res.get("medicationReference")
    text = ref.get("reference") if isinstance(ref, dict) else None
    return isinstance(text, str) and not text.startswith("#") and text not in known
