"""FHIR Bulk Data exports: a folder read by its ``manifest.json``, NDJSON streamed.

An ``$export`` folder holds one NDJSON file per resource type (often gzip-compressed)
and a manifest listing them (``output``: ``{"type", "url"}``; ``error``: OperationOutcome
files). The files are imported in a dependency-safe order — patients first, then the
medications that requests refer to, then everything that refers to patients — so each
reference resolves when its file is stored. A folder without a manifest is read the
same way, the type guessed from each file name (``Observation.ndjson``,
``Observation.000.ndjson.gz``).

NDJSON is never read whole: lines are decoded one at a time (``.gz`` decompressed as
it streams), so memory follows the batch size, not the file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from clinic_app.core.records import fhir
from clinic_app.core.records.batch import Problem
from clinic_app.core.records.fhir import read_ndjson_batches
from clinic_app.core.records.importer import FileImport, StoreOutcome
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.records.seen_ids import StoreSeenIds
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import InvalidInput
from clinic_app.errors import NdjsonLineError as LineError

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 16 << 20
STREAMED_SUFFIXES = (".ndjson", ".jsonl", ".ndjson.gz", ".jsonl.gz")
RECORD_SUFFIXES = (*STREAMED_SUFFIXES, ".json", ".csv", ".tsv")
#: Import order by resource type; types not listed come after, by name.
ORDER = ("Patient", "Medication", "Encounter", "Condition", "AllergyIntolerance",
         "Observation", "DiagnosticReport", "MedicationRequest", "MedicationStatement")


@dataclass(frozen=True)
class Source:
    """One file to import, with the resource type the export says it holds ("" if unknown)."""

    path: Path
    resource_type: str = ""


def is_streamed(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in STREAMED_SUFFIXES)


_ORDER_KEYS = {t.lower(): i for i, t in enumerate(ORDER)}


def type_rank(source: Source) -> int:
    """Position of the file's resource type in :data:`ORDER` (names such as
    ``patients.ndjson`` count as Patient); unknown types come last."""
    word = (source.resource_type or source.path.name.split(".", 1)[0]).lower()
    return _ORDER_KEYS.get(word, _ORDER_KEYS.get(word.removesuffix("s"), len(ORDER)))


def _rank(source: Source) -> tuple[int, str]:
    return (type_rank(source), source.path.name)


def read_manifest(folder: Path) -> tuple[list[Source], list[str]]:
    """The outputs a Bulk Data manifest lists (files in ``folder``), and notes on the rest."""
    path = folder / MANIFEST
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise InvalidInput(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES >> 20} MiB.")
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InvalidInput(f"{MANIFEST} is not valid JSON ({str(exc)[:80]}).") from None
    outputs = doc.get("output") if isinstance(doc, dict) else None
    if not isinstance(outputs, list):
        raise InvalidInput(f"{MANIFEST} has no 'output' list: not a Bulk Data manifest.")
    sources: list[Source] = []
    notes: list[str] = []
    for index, entry in enumerate(outputs, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise InvalidInput(f"{MANIFEST}: output {index} has no url.")
        name = PurePosixPath(urlparse(entry["url"]).path).name
        if not name or name in (".", "..") or "\\" in name:
            raise InvalidInput(f"{MANIFEST}: output {index} does not name a file.")
        local = folder / name  # the file name only: a manifest never points outside
        if not local.is_file():
            raise InvalidInput(f"{MANIFEST}: output {index} ({name[:60]}) is not in the folder.")
        rtype = entry.get("type")
        sources.append(Source(local, rtype if isinstance(rtype, str) else ""))
    errors = doc.get("error") if isinstance(doc, dict) else None
    if isinstance(errors, list) and errors:
        notes.append(f"{len(errors)} error file(s) listed by the export (OperationOutcome) "
                     "were not imported; the exporting system reported problems")
    return sorted(sources, key=_rank), notes


def expand(paths: Sequence[Path]) -> tuple[list[Source], list[str]]:
    """Files and export folders → the files to import, in dependency-safe order."""
    sources: list[Source] = []
    notes: list[str] = []
    for path in paths:
        if path.is_dir():
            if (path / MANIFEST).is_file():
                found, more = read_manifest(path)
            else:
                found = sorted((Source(p) for p in path.iterdir()
                                if p.is_file() and p.name.lower().endswith(RECORD_SUFFIXES)),
                               key=_rank)
                more = []
            if not found:
                raise InvalidInput(f"{path.name}: the folder holds no records files.")
            sources.extend(found)
            notes.extend(more)
        else:
            sources.append(Source(path))
    return sources, notes


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def iter_lines(path: Path, progress: list[int] | None = None) -> Iterator[str]:
    """Decoded lines of an NDJSON file, one at a time (``.gz`` decompressed on the fly).

    ``progress[0]`` is kept at the number of bytes read from disk (for a progress bar).
    """
    with path.open("rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if path.name.lower().endswith(".gz") else raw
        number = 0
        try:
            for number, line in enumerate(stream, start=1):
                if progress is not None:
                    progress[0] = raw.tell()
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                try:
                    yield line.decode("utf-8")
                except UnicodeDecodeError:
                    raise LineError(f"line {number} is not UTF-8 text") from None
        except (OSError, EOFError) as exc:  # a damaged or truncated gzip stream
            raise LineError(f"the compressed file is damaged after line {number} "
                            f"({str(exc)[:60]})") from None


def store_stream(repo: RecordRepository, import_id: int, path: Path, now: datetime, *,
                 progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED,
                 medications: dict[str, dict[str, Any]] | None = None,
                 batch_lines: int | None = None) -> StoreOutcome:
    """Stream one NDJSON file into the store (inside the caller's transaction).

    Progress reports bytes read of the file's size, with the count of items so far.
    Raises :class:`Cancelled` between batches when ``cancel`` is set.
    """
    size = max(path.stat().st_size, 1)
    done = [0]
    items = 0
    job = FileImport(repo, import_id)
    seen = StoreSeenIds(repo.db)
    try:
        for batch in read_ndjson_batches(iter_lines(path, done), path.name, now,
                                         medications=medications, seen=seen,
                                         batch_lines=batch_lines or fhir.BATCH_LINES):
            job.add(batch)
            items += batch.item_count
            progress(done[0], size, f"{path.name}: {items:,} items")
            cancel.raise_if_cancelled()
        out = job.finish()
    except LineError as exc:
        out = job.out
        out.error(Problem(path.name, str(exc)))
    seen.close()
    progress(size, size, f"{path.name}: {items:,} items")
    return out
