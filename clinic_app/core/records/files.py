"""One records file on disk → :class:`ParsedFile`, whatever its format.

The format comes from the extension when it is one we know (.json, .ndjson/.jsonl,
.csv/.tsv), otherwise from the content. FHIR XML is refused outright (never parsed), so
entity-expansion attacks have nothing to reach; export JSON instead.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from clinic_app.core.records.batch import ParsedFile, Problem
from clinic_app.core.records.csv_reader import NotUtf8, decode, read_csv, template_of
from clinic_app.core.records.fhir import read_json, read_ndjson

#: Larger files are refused before reading (a whole bundle is held in memory).
MAX_FILE_BYTES = 1 << 30


def sniff_format(name: str, text: str) -> str:
    """"fhir-json", "fhir-ndjson", "csv" or "xml"."""
    suffix = Path(name).suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        return "fhir-ndjson"
    if suffix in (".csv", ".tsv"):
        return "csv"
    head = text.lstrip()[:1]
    if head == "<":
        return "xml"
    if suffix == ".json":
        return "fhir-json"
    if head == "{":
        lines = [ln for ln in text.strip().splitlines()[:2] if ln.strip()]
        first = lines[0].strip() if lines else ""
        if len(lines) > 1 and first.startswith("{") and first.endswith("}"):
            return "fhir-ndjson"
        return "fhir-json"
    return "csv" if template_of(text) else "unknown"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk parse or write.

    Why: a 50,000-resource bundle allocates millions of small dicts and strings, and each
    generation-2 collection walks all of them again; measured, that is 40-70 % of the parse
    time. These structures hold no reference cycles, so reference counting frees them; the
    collector only resumes (if it was on) when the block ends, even on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_bytes(data: bytes, source_file: str, now: datetime) -> ParsedFile:
    """Parse a file's bytes (``source_file`` is the name reported and stored)."""
    with gc_paused():
        return _parse_bytes(data, source_file, now)


def _parse_bytes(data: bytes, source_file: str, now: datetime) -> ParsedFile:
    try:
        text = decode(data)
    except NotUtf8 as exc:
        return _failed(f"{source_file}:{exc.line}", "unknown", str(exc), name=source_file)
    fmt = sniff_format(source_file, text)
    if fmt == "xml":
        return _failed(source_file, fmt, "FHIR XML is not read; export the records as FHIR "
                                         "JSON or NDJSON")
    if fmt == "fhir-ndjson":
        return read_ndjson(iter(text.splitlines()), source_file, now)
    if fmt == "fhir-json":
        return read_json(text, source_file, now)
    if fmt == "csv":
        return read_csv(text, source_file, now)
    return _failed(source_file, fmt, "not a FHIR JSON/NDJSON file or one of the two CSV "
                                     "templates (see docs/records.md)")


def parse_file(path: Path, now: datetime) -> tuple[ParsedFile, bytes]:
    """Read and parse ``path``; returns the parse and the bytes (for the import log hash)."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _failed(name, "unknown", f"file is larger than {MAX_FILE_BYTES >> 20} MiB; "
                                            "split it (NDJSON per resource type)"), b""
        data = path.read_bytes()
    except OSError as exc:
        return _failed(name, "unknown", f"cannot read the file ({exc.strerror})"), b""
    return parse_bytes(data, name, now), data


def _failed(item: str, fmt: str, reason: str, *, name: str = "") -> ParsedFile:
    parsed = ParsedFile(name or item, fmt)
    parsed.errors.append(Problem(item, reason))
    return parsed
