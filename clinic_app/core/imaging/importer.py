"""Import DICOM files into the encrypted store: idempotent, batched, cancellable.

Each file is read, hashed and its header parsed and validated *before* anything is
written, so a bad file is reported and skipped without touching the store. Good files
are written in batches: one database transaction and one blob batch per few hundred
instances, because a transaction (and its fsyncs) per file would make a 10,000-file
import crawl. Within a batch every instance is whole (blob + rows) or absent: a failure
rolls the batch back and deletes its blobs, and cancelling finishes the instance in hand,
commits the batch, and stops. Nothing half-written is ever committed.

Idempotence: an instance whose SOPInstanceUID is already stored with the same content
hash is a duplicate (counted, not written); with different content the first copy is
kept and the new one reported. A study whose StudyInstanceUID already belongs to another
patient is flagged ``patient_conflict`` and the new instance refused, never merged.

Test decode: every frame of compressed (or deflated) pixel data is decoded once, behind the
decoder wall, before the instance is stored. A well-formed file whose compressed data is
corrupt is refused here with its instance number, and the rest of its series imports;
stored, it would only fail later as a gap in the viewer and in analysis. Native pixel
data needs no decode: its length was checked by the header parse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from clinic_app.core.imaging import index, index_writer, journal
from clinic_app.core.imaging.decode import decode_frame
from clinic_app.core.imaging.header_types import InstanceHeader
from clinic_app.core.imaging.headers import parse_header
from clinic_app.core.imaging.pixel_data import NO_PIXELS, is_image_class
from clinic_app.core.imaging.sources import Skipped, SourceError, SourceItem
from clinic_app.core.store.blobs import BlobBatch, BlobStore
from clinic_app.core.store.database import Database, Row
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import DecodeError, HeaderError

BATCH_INSTANCES = 200
BATCH_BYTES = 256 * 1024**2

FLAG_PATIENT_CONFLICT = "patient_conflict"
FLAG_DEMOGRAPHICS = "demographics_differ"

#: Decode compressed frames at import (see the module docstring). Off only to build a store
#: as versions before it wrote one (tests of gaps in stored series).
TEST_DECODE = True


@dataclass
class StudyTally:
    """What one import did to one study (for the report and the audit entry)."""

    study_uid: str
    patient_id: str
    imported: int = 0
    duplicates: int = 0
    refused: int = 0
    replaced: int = 0


@dataclass
class ImportTally:
    files: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    studies: dict[str, StudyTally] = field(default_factory=dict)
    cancelled: bool = False
    #: Damaged copies stored earlier that an intact copy replaced (label, what happened).
    replaced: list[Skipped] = field(default_factory=list)
    #: Blobs of replaced rows, deleted once the batch that replaced them has committed.
    stale_blobs: list[str] = field(default_factory=list)
    #: What the last committed batch left in the store: instances per study UID.
    committed: dict[str, int] = field(default_factory=dict)

    def checkpoint(self) -> None:
        """Record that everything counted so far is committed."""
        self.committed = {uid: t.imported for uid, t in self.studies.items()}

    @property
    def committed_instances(self) -> int:
        return sum(self.committed.values())

    def study(self, header: InstanceHeader) -> StudyTally:
        tally = self.studies.get(header.study_uid)
        if tally is None:
            tally = StudyTally(header.study_uid, header.patient.patient_id)
            self.studies[header.study_uid] = tally
        return tally


class _Resolver:
    """Patient/study/series rows seen in this import, so each file costs two queries.

    Rows are never deleted and their owners never change, so what one batch learned stays
    true for the next; a failed batch raises out of the import, taking the cache with it.
    """

    def __init__(self, db: Database, now: str) -> None:
        self.db = db
        self.now = now
        self.patients: dict[tuple[str, str, str | None, str], tuple[int, bool]] = {}
        self.studies: dict[str, tuple[int, str]] = {}  # uid -> (row id, owner identity key)
        self.series: dict[str, tuple[int, str]] = {}  # uid -> (row id, study uid)
        self.flags: set[tuple[int, str]] = set()

    def study_owner(self, study_uid: str) -> tuple[int, str] | None:
        if study_uid not in self.studies:
            row = index_writer.study_owner(self.db, study_uid)
            if row is None:
                return None
            self.studies[study_uid] = (int(row["id"]), row["identity_key"])
        return self.studies[study_uid]

    def series_study(self, series_uid: str) -> str | None:
        if series_uid not in self.series:
            row = index_writer.series_owner(self.db, series_uid)
            if row is None:
                return None
            self.series[series_uid] = (int(row["id"]), row["study_uid"])
        return self.series[series_uid][1]

    def flag(self, study_id: int, flag: str) -> None:
        if (study_id, flag) not in self.flags:
            index_writer.add_study_flag(self.db, study_id, flag)
            self.flags.add((study_id, flag))

    def series_row(self, header: InstanceHeader) -> int:
        """The series row for a header, creating patient, study and series rows as needed."""
        p = header.patient
        key = (p.identity_key, p.name, p.birth_date, p.sex)
        if key not in self.patients:
            self.patients[key] = index_writer.ensure_patient(self.db, p, self.now)
        patient_row, differs = self.patients[key]
        known = self.study_owner(header.study_uid)
        if known is None:
            study_id = index_writer.ensure_study(self.db, header, patient_row, self.now)
            self.studies[header.study_uid] = (study_id, p.identity_key)
        else:
            study_id = known[0]
        if differs:
            self.flag(study_id, FLAG_DEMOGRAPHICS)
        if header.series_uid not in self.series:
            self.series[header.series_uid] = (index_writer.ensure_series(self.db, header, study_id),
                                              header.study_uid)
        return self.series[header.series_uid][0]


def import_items(db: Database, blobs: BlobStore, items: Sequence[SourceItem], *, now: str,
                 progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED,
                 batch_instances: int = BATCH_INSTANCES, batch_bytes: int = BATCH_BYTES,
                 tally: ImportTally | None = None, import_id: str = "") -> ImportTally:
    """Import ``items`` (see :func:`sources.enumerate_sources`); never raises for bad input.

    Store failures (disk full, database busy) do raise: the batch in hand is rolled back,
    earlier batches stay committed whole. Pass ``tally`` to see, after such a failure, what
    was committed (``tally.committed``). With ``import_id``, every batch also records its
    studies' counts in the import journal, in the batch's own transaction (journal.py).
    """
    tally = tally if tally is not None else ImportTally()
    resolver = _Resolver(db, now)
    total = len(items)
    pos = 0
    progress(0, total, "Importing DICOM files")
    while pos < total and not cancel.cancelled:
        with db.transaction(), blobs.batch() as batch:
            written = 0
            count = 0
            while pos < total and count < batch_instances and written < batch_bytes:
                if cancel.cancelled:
                    tally.cancelled = True
                    break
                item = items[pos]
                pos += 1
                written += _import_one(resolver, batch, item, tally)
                count += 1
                progress(pos, total, "Importing DICOM files")
            if written:  # the batch's blobs are synced to disk before its rows commit
                progress(pos, total, "Saving to the encrypted store")
                if import_id:
                    journal.record(db, import_id, now, {
                        uid: (t.patient_id, t.imported) for uid, t in tally.studies.items()})
        tally.checkpoint()
        for blob_id in tally.stale_blobs:  # after the commit: a crash leaves an orphan, not a hole
            blobs.delete(blob_id)
        tally.stale_blobs.clear()
    if pos < total:
        tally.cancelled = True
    return tally


def _import_one(resolver: _Resolver, batch: BlobBatch, item: SourceItem,
                tally: ImportTally) -> int:
    """Import one file inside the open batch; returns the bytes written (0 if none)."""
    tally.files += 1
    try:
        data = item.read()
    except SourceError as exc:
        tally.skipped.append(Skipped(item.label, str(exc)))
        return 0
    except OSError as exc:
        tally.skipped.append(Skipped(item.label, f"cannot be read ({exc.strerror or 'I/O error'})"))
        return 0
    try:
        header = parse_header(data)
    except HeaderError as exc:
        tally.skipped.append(Skipped(item.label, str(exc)))
        return 0
    digest = hashlib.sha256(data).hexdigest()
    existing = index_writer.find_instance(resolver.db, header.sop_instance_uid)
    damaged = (existing is not None and existing["content_sha256"] != digest
               and stored_copy_is_damaged(existing) and header.pixels is not None)
    reason = _refusal(resolver, header, digest, tally, None if damaged else existing)
    if reason is not None:
        if reason:
            tally.skipped.append(Skipped(item.label, reason))
        return 0
    damage = test_decode(data, header) if TEST_DECODE else None
    if damage is not None:
        tally.study(header).refused += 1
        tally.skipped.append(Skipped(item.label, damage))
        return 0
    if damaged:
        assert existing is not None
        index_writer.delete_instance(resolver.db, int(existing["id"]))
        tally.stale_blobs.append(existing["blob_id"])
        tally.study(header).replaced += 1
        tally.replaced.append(Skipped(item.label, "replaced a damaged copy stored earlier (it "
                                                  "had no pixel data); this intact copy is kept"))
    series_id = resolver.series_row(header)
    blob_id = batch.put(index.BLOB_KIND, data)
    index_writer.insert_instance(resolver.db, header, series_id, blob_id, len(data), digest, resolver.now,
                          source_name(item.label))
    tally.imported += 1
    tally.study(header).imported += 1
    return len(data)


def test_decode(data: bytes, header: InstanceHeader) -> str | None:
    """None if every frame of compressed pixel data decodes, else why the file is refused
    (instance number and frame named; the decoder's own text never)."""
    px = header.pixels
    if px is None or not header.decodable or not (px.encapsulated or px.offset is None):
        return None
    # Deflated data is inflated whole on every frame's decode: its first frame proves the
    # stream inflates, its last that the inflated data is long enough.
    frames = range(px.frames) if px.offset is not None else sorted({0, px.frames - 1})
    for frame in frames:
        try:
            decode_frame(data, header, frame)
        except DecodeError as exc:
            return ("pixel data cannot be decoded, so this instance was "
                             f"not imported (the rest of its series was): {exc}")
    return None


def source_name(label: str) -> str:
    """The file name of a source label (``/a/b/IM1.dcm`` or ``x.zip!dir/IM1``): no folders."""
    return label.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1][:255]


def stored_copy_is_damaged(row: Row) -> bool:
    """A stored row of an image SOP class without pixel data: what earlier versions kept of
    a truncated image file. An intact copy with the same UID replaces it."""
    return row["rows"] is None and row["status"] == NO_PIXELS and is_image_class(
        row["sop_class_uid"])


def _refusal(resolver: _Resolver, header: InstanceHeader, digest: str,
             tally: ImportTally, existing: Row | None) -> str | None:
    """None to import; "" for a silent duplicate; else the reason the file is refused."""
    if existing is not None:
        if existing["content_sha256"] == digest:
            tally.duplicates += 1
            tally.study(header).duplicates += 1
            return ""
        tally.study(header).refused += 1
        return ("an instance with this SOPInstanceUID is already stored with different "
                "content; the first copy was kept")
    owner = resolver.study_owner(header.study_uid)
    if owner is not None and owner[1] != header.patient.identity_key:
        resolver.flag(owner[0], FLAG_PATIENT_CONFLICT)
        tally.study(header).refused += 1
        return ("this StudyInstanceUID already belongs to a different patient (PatientID or "
                "issuer differ); not merged, and the study is flagged for review")
    series_study = resolver.series_study(header.series_uid)
    if series_study is not None and series_study != header.study_uid:
        tally.study(header).refused += 1
        return "this SeriesInstanceUID already belongs to a different study; not merged"
    return None
