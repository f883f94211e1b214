"""Storing one parsed file: resolve subjects, check against the store, write the rows.

Runs inside the caller's transaction. It never stops at the first problem: every item
is checked and every error collected, so the report names all of them at once; the
caller then rolls back if there is any error (a file is imported completely or not at
all) and commits otherwise.

What only the store can tell, and is decided here:

* a subject reference that resolves to no patient (in the file or the store) — error;
* an MRN already stored with a different birth date or sex — error, never merged;
  a different name or race — flagged, the stored one kept (a race the store lacked is
  filled in, flagged);
* an observation dated before the patient's birth — error;
* an item identical to one already stored — skipped ("already imported"), which makes
  re-importing a file harmless;
* a corrected/amended observation, or a newer version of a condition or medication with
  the same resource id — replaces the earlier one, flagged;
* an entered-in-error resource — withdraws what was imported from that id, flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

from clinic_app.core.clock import iso
from clinic_app.core.records.batch import (
    ObservationItem,
    ParsedFile,
    PatientItem,
    Problem,
    SubjectRef,
)
from clinic_app.core.records.codes import LOINC
from clinic_app.core.records.fhir_kept import kept_flag
from clinic_app.core.records.kept_store import KeptResourceStore
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.records.store_outcome import StoreOutcome
from clinic_app.core.records.subjects import SubjectResolver
from clinic_app.core.records.upsert import Upsert
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.i18n import translate

# Where the service and the streamed path have always imported it from.
__all__ = ["FileImport", "StoreOutcome", "observation_row", "store_parsed"]


def _patient(repo: RecordRepository, resolver: SubjectResolver, item: PatientItem,
             import_id: int, out: StoreOutcome) -> None:
    out.patients += 1
    row = repo.patient_row(item.mrn, item.issuer)
    if row is None:
        key = repo.insert_patient(item.mrn, item.issuer, item.family, item.given, item.birth_date,
                                  item.sex, item.deceased, import_id, item.resource_id,
                                  race=item.race, race_source=item.race_source)
        out.patients_new += 1
        resolver.births[key] = item.birth_date
    else:
        key = int(row["id"])
        stored_birth = date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
        problems = []
        if stored_birth and item.birth_date and stored_birth != item.birth_date:
            problems.append("birth date")
        if row["sex"] != "unknown" and item.sex != "unknown" and row["sex"] != item.sex:
            problems.append("sex")
        if problems:
            out.error(Problem(item.item, (
                f"the store already holds this MRN and issuer with a different "
                f"{' and '.join(problems)}; nothing was merged — correct the source or the "
                "stored record first")))
            return
        if (row["family"], row["given"]) != (item.family, item.given):
            out.flag(Problem(item.item, "name differs from the stored record for this "
                                                "MRN; the stored name was kept"))
        if stored_birth is None and item.birth_date is not None:
            out.flag(Problem(item.item, "birth date added to the stored record"))
        if item.deceased and not row["deceased"]:
            out.flag(Problem(item.item, "patient now recorded as deceased"))
        if item.race is not None and row["race"] is None:
            out.flag(Problem(item.item, "race added to the stored record"))
        elif item.race is not None and item.race != row["race"]:
            out.flag(Problem(item.item, "race differs from the stored record for this "
                                                "MRN; the stored race was kept"))
        repo.update_patient(key, birth_date=item.birth_date, deceased=item.deceased,
                            race=item.race, race_source=item.race_source)
        resolver.births[key] = stored_birth or item.birth_date
    resolver.new_refs.append((key, item.refs))
    for ref in item.refs:
        resolver.local_refs[ref] = key
    resolver.local_ids[(item.mrn, item.issuer)] = key
    out.patient_mrns.append(item.mrn)


def store_parsed(repo: RecordRepository, parsed: ParsedFile, import_id: int, *,
                 progress: Progress = no_progress,
                 cancel: CancelToken = NEVER_CANCELLED, out: StoreOutcome | None = None,
                 resolver: SubjectResolver | None = None,
                 defer: ParsedFile | None = None) -> StoreOutcome:
    """Write ``parsed`` through ``repo`` (inside the caller's transaction), every fact
    pointing at ``import_id`` (from :meth:`RecordRepository.begin_import`) for provenance.

    For a file streamed in batches (:class:`FileImport`), ``out`` and ``resolver`` carry
    over between batches, and an item whose patient is not known yet goes to ``defer``
    (retried at the end of the file, when it is an error if still unknown).
    """
    if out is None:
        out = StoreOutcome()
    out.add_problems(parsed.errors, parsed.flags)
    out.skipped.update(parsed.skipped)
    resolver = resolver or SubjectResolver(repo)
    total = parsed.item_count
    for item in parsed.patients:
        _patient(repo, resolver, item, import_id, out)
    repo.add_patient_refs([(key, ref) for key, refs in resolver.new_refs for ref in refs])
    resolver.new_refs.clear()
    progress(len(parsed.patients), total, "patients")
    cancel.raise_if_cancelled()

    def key_of(item_name: str, subject: SubjectRef, item: object = None,
               kind: str = "") -> int | None:
        hit = resolver.resolve(subject)
        if isinstance(hit, str):
            if defer is not None and item is not None:
                getattr(defer, kind).append(item)
            else:
                out.error(Problem(item_name, hit))
            return None
        return hit

    for retraction in parsed.retractions:
        key = key_of(retraction.item, retraction.subject, retraction, "retractions")
        if key is not None:
            n = repo.delete_facts_from_resource(key, retraction.resource_id)
            out.retracted += n
            if n:
                out.flag(Problem(retraction.item, f"entered-in-error: withdrew {n} "
                                                          "earlier fact(s) from this resource"))

    births = resolver.births
    rows: list[tuple[object, ...]] = []
    append = rows.append
    # An export names each patient once per fact: the resolved key (and its birth date,
    # fixed while this loop runs) of each subject is looked up by identity first (the
    # reader hands out one SubjectRef per reference).
    known: dict[int, tuple[SubjectRef, int, date | None]] = {}
    # Stored text per instant: equal instants give equal UTC text, and a patient's
    # readings share times (a blood-pressure pair, a lab panel), so about a quarter of
    # the rows reuse one.
    stamps: dict[datetime, str] = {}
    for obs in parsed.observations:
        subject = obs.subject
        hit = known.get(id(subject))
        if hit is not None and hit[0] is subject:
            key, birth = hit[1], hit[2]
        else:
            found = key_of(obs.item, subject, obs, "observations")
            if found is None:
                continue
            key = found
            if key not in births:
                births.update(repo.birth_dates([key]))
            birth = births.get(key)
            known[id(subject)] = (subject, key, birth)
        effective = obs.effective
        if birth is not None and effective.date() < birth:
            out.error(Problem(obs.item, "effective date is before the patient's birth "
                                                "date"))
            continue
        if obs.status in ("corrected", "amended") and obs.resource_id:
            n = repo.delete_facts_from_resource(key, obs.resource_id, obs.code)
            if n:
                out.flag(Problem(obs.item, f"{obs.status}: replaces {n} earlier value(s) "
                                                   "from this resource"))
        stamp = stamps.get(effective)
        if stamp is None:
            stamp = stamps[effective] = _stored_time(effective)
        append(observation_row(key, obs, import_id, stamp))
        if obs.flags:
            for flag in obs.flags:
                out.flag(Problem(obs.item, flag))
    out.observations += len(rows)
    if not out.errors:
        new = repo.insert_observations(rows)
        out.observations_new += new
        if len(rows) - new:
            out.skipped[("Observation", "already imported")] += len(rows) - new
    progress(len(parsed.patients) + len(parsed.observations), total, "observations")
    cancel.raise_if_cancelled()

    for cond in parsed.conditions:
        key = key_of(cond.item, cond.subject, cond, "conditions")
        if key is None:
            continue
        out.conditions += 1
        identity = cond.resource_id or f"{cond.system}|{cond.code}|{cond.onset}"
        result = repo.upsert_condition(
            key, identity, cond.category, cond.system, cond.code, cond.display, cond.onset,
            cond.abatement, cond.clinical_status, cond.verification_status, cond.flags,
            import_id, cond.resource_id)
        _note(out, cond.item, "Condition", result, cond.flags)

    for med in parsed.medications:
        key = key_of(med.item, med.subject, med, "medications")
        if key is None:
            continue
        out.medications += 1
        identity = med.resource_id or f"{med.system}|{med.code}|{med.start}"
        result = repo.upsert_medication(
            key, identity, med.system, med.code, med.display, med.classes, med.status,
            med.start, med.end, med.flags, import_id, med.resource_id, med.recognised)
        _note(out, med.item, "Medication", result, med.flags)
        if not med.recognised:
            out.unclassified += 1
    _store_others(repo, parsed, import_id, key_of, out)
    _store_kept(repo, parsed, import_id, resolver, defer, out)
    progress(total, total, "done")
    return out


def _stored_time(ts: datetime) -> str:
    """:func:`~clinic_app.core.clock.iso` by ``isoformat``, a fifth of ``strftime``'s
    cost per row (most observations have their own time, so a cache rarely hits); the
    two differ only for years before 1000 (strftime does not pad them), left to iso()."""
    utc = ts if ts.tzinfo is UTC else ts.astimezone(UTC)
    if utc.year < 1000:
        return iso(utc)
    return utc.isoformat(timespec="microseconds")[:-6] + "Z"


def observation_row(key: int, obs: ObservationItem, import_id: int,
                    stamp: str | None = None) -> tuple[object, ...]:
    """The stored row of one observation (columns: ``OBSERVATION_COLUMNS``); ``stamp``
    is ``_stored_time(obs.effective)`` when the caller already has it."""
    return (key, obs.name, obs.code, stamp or _stored_time(obs.effective), obs.value, obs.unit,
            obs.value_code,
            obs.original_value or None, obs.original_unit or None, obs.status,
            "\n".join(obs.flags) or None, import_id, obs.resource_id,
            None if obs.system == LOINC else obs.system, obs.display or None,
            obs.category or None, obs.interpretation or None, obs.value_text)


def _other_rows(parsed: ParsedFile) -> Iterator[tuple[str, str, str, object, str,
                                                     dict[str, object], tuple[str, ...]]]:
    """(counter, table, kind, item, item name, content, flags) of each allergy, encounter
    and report in ``parsed``."""
    for a in parsed.allergies:
        yield "allergies", "records_allergies", "AllergyIntolerance", a, a.item, {
            "system": a.system, "code": a.code, "display": a.display,
            "clinical_status": a.clinical_status, "verification_status": a.verification_status,
            "category": a.category, "criticality": a.criticality, "onset": _ts(a.onset),
            "recorded": _ts(a.recorded), "resource_id": a.resource_id}, a.flags
    for e in parsed.encounters:
        yield "encounters", "records_encounters", "Encounter", e, e.item, {
            "status": e.status, "class_code": e.class_code, "type_display": e.type_display,
            "start": _ts(e.start), "end": _ts(e.end), "resource_id": e.resource_id}, e.flags
    for r in parsed.reports:
        yield "reports", "records_reports", "DiagnosticReport", r, r.item, {
            "status": r.status, "system": r.system, "code": r.code, "display": r.display,
            "effective": _ts(r.effective), "results": "\n".join(r.results),
            "resource_id": r.resource_id}, r.flags


def _store_others(repo: RecordRepository, parsed: ParsedFile, import_id: int,
                  key_of: Callable[[str, SubjectRef, object, str], int | None],
                  out: StoreOutcome) -> None:
    """Allergies, encounters and diagnostic reports (identified by resource id)."""
    for counter, table, kind, obj, item, content, flags in _other_rows(parsed):
        key = key_of(item, obj.subject, obj, counter)  # type: ignore[attr-defined]
        if key is None:
            continue
        setattr(out, counter, getattr(out, counter) + 1)
        resource_id = str(content.pop("resource_id"))
        result = repo.upsert_other(table, key, resource_id, content, flags, import_id,
                                   resource_id)
        _note(out, item, kind, result, flags)


def _store_kept(repo: RecordRepository, parsed: ParsedFile, import_id: int,
                resolver: SubjectResolver, defer: ParsedFile | None, out: StoreOutcome) -> None:
    """Resources of types not read: linked to their patient where one resolves, kept
    unlinked (flagged) where none does, since they are never used for a computation."""
    store = KeptResourceStore(repo.db)
    for item in parsed.kept:
        key = resolver.resolve(item.subject) if item.subject is not None else None
        if isinstance(key, str):
            if defer is not None:  # the patient may come in a later batch
                defer.kept.append(item)
                continue
            out.flag(Problem(item.item, translate("records", "its patient is not in this file or "
                                                            "the store; kept without a patient")))
            key = None
        out.kept += 1
        _note(out, item.item, item.resource_type, store.put(item, key, import_id),
              (kept_flag(),))


def _ts(value: datetime | None) -> str | None:
    return None if value is None else iso(value)


def _note(out: StoreOutcome, item: str, kind: str, result: Upsert, flags: tuple[str, ...]) -> None:
    if result is Upsert.SAME:
        out.skipped[(kind, "already imported")] += 1
        return
    if result is Upsert.UPDATED:
        out.flag(Problem(item, "replaces the earlier version of this resource"))
    for flag in flags:
        out.flag(Problem(item, flag))


class FileImport:
    """One file streamed in batches inside the caller's single transaction.

    Memory is bounded by a batch, not the file: each batch is stored and dropped. The
    transaction is the caller's and spans every batch, so a cancel, a crash or any error
    leaves nothing of the file (SQLite rolls the whole transaction back); re-importing
    it is then a fresh, complete import, and facts already stored are skipped by content.
    """

    def __init__(self, repo: RecordRepository, import_id: int) -> None:
        self.repo = repo
        self.import_id = import_id
        self.out = StoreOutcome()
        self.resolver = SubjectResolver(repo)
        self.deferred = ParsedFile("", "")

    def add(self, batch: ParsedFile) -> None:
        store_parsed(self.repo, batch, self.import_id, out=self.out, resolver=self.resolver,
                     defer=self.deferred)

    def finish(self) -> StoreOutcome:
        """Store what waited for a later patient; still unknown subjects are errors now."""
        store_parsed(self.repo, self.deferred, self.import_id, out=self.out,
                     resolver=self.resolver)
        return self.out
