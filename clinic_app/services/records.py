"""Patient records: import FHIR/CSV files, list patients, show one patient.

Each file is parsed outside any transaction (pure work), then stored in one transaction
of its own: if any item in it has an error, the transaction is rolled back and the
report lists every error, so a file is imported completely or not at all. Files that
hold patients are stored before the others, so an Observation NDJSON can refer to the
Patient NDJSON given beside it on the same command line.

Audit: every file import is one 110107 event (PHI-free counts), plus one 110107 event
per patient imported (``patient_id`` = MRN, pseudonymised); every view of a patient is a
110110 event with its pseudonymised MRN.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from clinic_app.core.inference.features import FAMILY_HISTORY_SUBJECT
from clinic_app.core.records import bulk, codes
from clinic_app.core.records.batch import ParsedFile, Problem
from clinic_app.core.records.facts import (
    Allergy,
    Condition,
    Confirmation,
    Encounter,
    Medication,
    Observation,
    PatientRecord,
)
from clinic_app.core.records.files import gc_paused, parse_file
from clinic_app.core.records.importer import StoreOutcome, store_parsed
from clinic_app.core.records.kept_store import KeptResourceStore
from clinic_app.core.records.linking import LinkedStudy, linked_studies
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.core.terminology.site import choose_terminology, site_terminology_dir
from clinic_app.errors import Cancelled, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session
from clinic_app.services.uncertain_inputs import CONFIRMABLE, UncertainInput, uncertain_inputs

#: At most this many errors and flags are listed per file (the counts are always exact).
REPORT_LIMIT = 200


@dataclass(frozen=True)
class FileReport:
    file: str
    format: str
    imported: bool
    counts: dict[str, int]
    skipped: tuple[dict[str, Any], ...]
    flagged: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    error_count: int
    flag_count: int
    note: str = ""


@dataclass(frozen=True)
class ImportReport:
    files: tuple[FileReport, ...]
    cancelled: bool = False
    notes: tuple[str, ...] = ()  # about the export as a whole (its manifest's error files)
    resource_types: tuple[str, ...] = ()  # per file, as a Bulk Data manifest names them

    def by_type(self) -> dict[str, dict[str, int]]:
        """Per resource type: files, files refused, items kept, flagged and refused."""
        out: dict[str, dict[str, int]] = {}
        for index, f in enumerate(self.files):
            rtype = (self.resource_types[index] if index < len(self.resource_types) else "") \
                or f.file.split(".", 1)[0]
            row = out.setdefault(rtype, {"files": 0, "refused_files": 0, "kept": 0,
                                         "flagged": 0, "invalid": 0})
            row["files"] += 1
            row["refused_files"] += not f.imported
            row["kept"] += sum(f.counts.get(k, 0) for k in (
                "patients", "observations", "conditions", "medications", "allergies",
                "encounters", "reports", "other_resources")) if f.imported else 0
            row["flagged"] += f.flag_count
            row["invalid"] += f.error_count
        return out

    def total(self, key: str) -> int:
        return sum(f.counts.get(key, 0) for f in self.files if f.imported)

    @property
    def ok(self) -> bool:
        return not self.cancelled and all(f.imported for f in self.files)

    def as_json(self) -> dict[str, Any]:
        """The shape ``import records --json`` prints."""
        return {
            "patients": self.total("patients"),
            "observations": self.total("observations"),
            "conditions": self.total("conditions"),
            "medications": self.total("medications"),
            "skipped": [{"file": f.file, **s} for f in self.files for s in f.skipped],
            "flagged": [{"file": f.file, "item": p.item, "reason": p.reason}
                        for f in self.files for p in f.flagged],
            "errors": [{"file": f.file, "item": p.item, "reason": p.reason}
                       for f in self.files for p in f.errors],
            "files": [{"file": f.file, "format": f.format, "imported": f.imported,
                       "errors": f.error_count, "flagged": f.flag_count, "note": f.note,
                       **f.counts} for f in self.files],
            "cancelled": self.cancelled,
            "by_type": self.by_type(),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class PatientSummary:
    key: int
    mrn: str
    issuer: str
    family: str
    given: str
    birth_date: str | None
    sex: str
    deceased: bool
    observations: int
    studies: int
    flags: tuple[str, ...]
    race: str | None = None  # "white" | "african_american" | "other"; None: not recorded


@dataclass(frozen=True)
class PatientView:
    """What ``patients show`` and the physician's workspace display for one patient."""

    patient: PatientRecord
    as_of: datetime
    latest: tuple[Observation, ...]
    conditions: tuple[Condition, ...]
    medications: tuple[Medication, ...]
    studies: tuple[LinkedStudy, ...]
    conflicts: tuple[str, ...] = field(default=())
    allergies: tuple[Allergy, ...] = field(default=())
    encounters: tuple[Encounter, ...] = field(default=())
    #: fact name → (the value before the latest, or None; how many values are stored)
    history: dict[str, tuple[Observation | None, int]] = field(default_factory=dict)
    #: inputs the record leaves open (an unclassified drug), each with any confirmation
    uncertain: tuple[UncertainInput, ...] = field(default=())
    #: resource type → how many resources of a type the app does not read are kept for them
    other_resources: dict[str, int] = field(default_factory=dict)


class RecordsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _repo(self, session: Session) -> RecordRepository:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        return RecordRepository(session.clinical)

    # -- import ---------------------------------------------------------------------------
    def import_files(self, session: Session, paths: Sequence[Path], *,
                     progress: Progress = no_progress,
                     cancel: CancelToken = NEVER_CANCELLED) -> ImportReport:
        """Import each file in its own all-or-nothing transaction; report every item."""
        self.ctx.begin(session, Permission.RECORDS_IMPORT)
        # The collector stays paused for the whole import, not per stage: resuming it
        # while the parsed files are alive walks every item they hold (0.4-0.6 s of CPU
        # per 50,000 observations, measured). Here they are dropped before it resumes.
        with gc_paused():
            return self._import_files(session, paths, progress, cancel)

    def _import_files(self, session: Session, paths: Sequence[Path], progress: Progress,
                      cancel: CancelToken) -> ImportReport:
        if not paths:
            raise InvalidInput(translate("services", "Give at least one records file to import."))
        # IT's signed site terminology package when it is in force (a bad one is refused
        # loudly; 'terminology status' says which copy is used and why).
        codes.use_terminology(choose_terminology(site_terminology_dir(self.ctx.settings)).terminology)
        now = self.ctx.clock()
        sources, notes = bulk.expand([Path(p) for p in paths])
        # Whole files (bundles, CSV) are parsed first; NDJSON is streamed when its turn comes.
        parsed: list[tuple[ParsedFile, bytes] | None] = []
        for index, source in enumerate(sources):
            cancel.raise_if_cancelled()
            progress(index, len(sources), "reading files")
            parsed.append(None if bulk.is_streamed(source.path)
                          else parse_file(source.path, now))

        def has_patients(i: int) -> bool:
            entry = parsed[i]
            if entry is None:
                return bulk.type_rank(sources[i]) == 0
            return bool(entry[0].patients)

        # Patients first, so that references across files resolve; then the export order.
        order = sorted(range(len(sources)), key=lambda i: (not has_patients(i), i))
        reports: dict[int, FileReport] = {}
        cancelled = False
        medications: dict[str, dict[str, Any]] = {}  # Medication resources, across files
        for step, i in enumerate(order):
            entry = parsed[i]
            stub = ParsedFile(sources[i].path.name, "fhir-ndjson")
            parse, data = entry if entry is not None else (stub, b"")
            if cancel.cancelled or cancelled:
                cancelled = True
                reports[i] = _report(parse, None, imported=False,
                                     note="not imported: cancelled before this file")
                continue
            which = f"file {step + 1} of {len(order)}"
            progress(step, len(order), f"{which}: {parse.source_file}")

            def within(done: int, total: int, message: str = "", which: str = which) -> None:
                # each report names the file's place in the import too: the GUI throttles
                # progress, so the "file 2 of 7" report alone may never be shown
                progress(done, total, f"{which} — {message}")

            try:
                if entry is None:
                    reports[i] = self._import_stream(session, sources[i], now, within,
                                                     cancel, medications)
                else:
                    reports[i] = self._import_one(session, parse, data, now, within, cancel)
            except Cancelled:
                cancelled = True
                reports[i] = _report(parse, None, imported=False,
                                     note="not imported: cancelled, rolled back")
        progress(len(order), len(order), "done")
        return ImportReport(tuple(reports[i] for i in range(len(sources))), cancelled,
                            tuple(notes), tuple(s.resource_type for s in sources))

    def _import_stream(self, session: Session, source: bulk.Source, now: datetime,
                       progress: Progress, cancel: CancelToken,
                       medications: dict[str, dict[str, Any]]) -> FileReport:
        """One NDJSON file, streamed in batches inside one transaction (all or nothing)."""
        repo = self._repo(session)
        name = source.path.name
        try:
            sha = bulk.sha256_of(source.path)
        except OSError as exc:
            failed = ParsedFile(name, "fhir-ndjson")
            failed.errors.append(Problem(name, f"cannot read the file ({exc.strerror})"))
            return self._finish_report(session, failed, None, "")
        outcome: StoreOutcome | None = None
        try:
            with gc_paused(), repo.db.transaction():
                import_id = repo.begin_import(name, sha, "fhir-ndjson", now)
                outcome = bulk.store_stream(repo, import_id, source.path, now,
                                            progress=progress, cancel=cancel,
                                            medications=medications)
                if outcome.errors:
                    raise _RollBack
                repo.finish_import(import_id, outcome.counts())
        except _RollBack:
            pass
        return self._finish_report(session, ParsedFile(name, "fhir-ndjson"), outcome, sha)

    def _import_one(self, session: Session, parse: ParsedFile, data: bytes, now: datetime,
                    progress: Progress, cancel: CancelToken) -> FileReport:
        repo = self._repo(session)
        outcome: StoreOutcome | None = None
        sha = hashlib.sha256(data).hexdigest()
        # Store even when parsing found errors: the store stage finds the rest (unknown
        # subjects, conflicts), so one report lists every problem; it is rolled back anyway.
        if parse.item_count or not parse.errors:
            try:
                with gc_paused(), repo.db.transaction():
                    import_id = repo.begin_import(parse.source_file, sha, parse.format, now)
                    outcome = store_parsed(repo, parse, import_id, progress=progress,
                                           cancel=cancel)
                    if outcome.errors:
                        raise _RollBack
                    repo.finish_import(import_id, outcome.counts())
            except _RollBack:
                pass
        return self._finish_report(session, parse, outcome, sha)

    def _finish_report(self, session: Session, parse: ParsedFile, outcome: StoreOutcome | None,
                       sha256: str) -> FileReport:
        """The file's report, and its audit entries (one per file, one per patient)."""
        imported = outcome is not None and not outcome.errors
        report = _report(parse, outcome, imported=imported,
                         note="" if imported else "not imported: fix the errors and import "
                                                  "the file again (nothing from it was stored)")
        detail = {"format": parse.format, "errors": report.error_count,
                  "flagged": report.flag_count, "sha256": sha256[:16], **report.counts}
        assert session.system is not None and session.clinical is not None
        # One transaction per store around the entries: the chain-head checkpoint and the
        # clinical generation are written once instead of once per patient (1,000 fsyncs
        # each). Each copy still commits after the store it describes (system, then
        # clinical with the audit head it saw, then the key ring with both), so a failure
        # leaves a copy behind, never ahead.
        with self.ctx.keyring.transaction(), session.clinical.transaction(), \
                session.system.transaction():
            self.ctx.audit(session, EventCode.IMPORT, "records.import",
                           outcome=Outcome.SUCCESS if imported else Outcome.MINOR_FAILURE,
                           detail=detail)
            if imported and outcome is not None:
                for mrn in dict.fromkeys(outcome.patient_mrns):
                    self.ctx.audit(session, EventCode.IMPORT, "records.import.patient",
                                   patient_id=mrn)
        return report

    # -- views ------------------------------------------------------------------------------
    def list_patients(self, session: Session) -> list[PatientSummary]:
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        repo = self._repo(session)
        out = []
        for p in repo.patients():
            out.append(PatientSummary(
                key=p.key, mrn=p.mrn, issuer=p.issuer, family=p.family, given=p.given,
                birth_date=p.birth_date.isoformat() if p.birth_date else None, sex=p.sex,
                deceased=p.deceased, observations=repo.observation_count(p.key),
                studies=len(linked_studies(repo.db, p)), flags=p.flags, race=p.race))
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.list",
                       detail={"patients": len(out)})
        return out

    def show_patient(self, session: Session, mrn: str, issuer: str | None = None,
                     as_of: datetime | None = None) -> PatientView:
        """Demographics, latest value of each fact, present conditions, current
        medications, linked studies and conflicts, as of ``as_of`` (default now)."""
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        try:
            view = self.ungated_show_patient(session, mrn, issuer, as_of)
        except InvalidInput:
            self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.show",
                           outcome=Outcome.MINOR_FAILURE, patient_id=mrn,
                           detail={"found": False})
            raise
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.show", patient_id=mrn,
                       detail={"studies": len(view.studies), "conflicts": len(view.conflicts)})
        return view

    def ungated_show_patient(self, session: Session, mrn: str, issuer: str | None = None,
                             as_of: datetime | None = None) -> PatientView:
        """:meth:`show_patient` for another service's gated action (the patient chart)."""
        repo = self._repo(session)
        patient = repo.patient_by_mrn(mrn, issuer)
        if patient is None:
            raise InvalidInput(translate("services", "No patient with this MRN in the store; 'clinic-app patients "
                               "list' shows them."))
        when = as_of or self.ctx.clock()
        facts = repo.facts(patient.key, when)
        history = {latest.name: (previous, n)
                   for latest, previous, n in repo.latest_with_history(patient.key, when)}
        studies = tuple(linked_studies(repo.db, patient))
        conflicts = tuple(dict.fromkeys(
            [*patient.flags, *(c for s in studies for c in s.conflicts)]))
        return PatientView(patient, when, facts.observations, facts.conditions,
                           facts.medications, studies, conflicts,
                           allergies=tuple(repo.allergies(patient.key)),
                           encounters=tuple(repo.encounters(patient.key, limit=20)),
                           history=history,
                           uncertain=uncertain_inputs(repo, patient.key, when),
                           other_resources=KeptResourceStore(repo.db).counts(patient.key))

    def history(self, session: Session, patient_key: int, name: str) -> list[Observation]:
        """Every value of one fact for a trend chart, oldest first."""
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        repo = self._repo(session)
        patient = repo.patient(patient_key)
        if patient is None:
            raise InvalidInput(translate("services", "No such patient in the store."))
        values = repo.history(patient_key, name)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.history",
                       patient_id=patient.mrn, detail={"fact": name, "values": len(values)})
        return values

    def ungated_history(self, session: Session, patient_key: int,
                        names: Sequence[str]) -> dict[str, list[Observation]]:
        """Every value of each named fact, oldest first, for another service's gated action."""
        repo = self._repo(session)
        return {name: repo.history(patient_key, name) for name in names}

    # -- confirming an uncertain input ---------------------------------------------------
    def confirm_input(self, session: Session, patient_key: int, feature: str, value: bool, *,
                      subject: str, reason: str = "") -> Confirmation:
        """Record a physician's answer for an input the record left *uncertain*.

        ``subject`` is :attr:`InputState.subject` as the risk panel received it (the
        unclassified drugs' names); the answer applies while exactly those items cause
        the uncertainty. It is stored apart from the facts (never a medication or a
        class), with who and when, and audited (110110, action ``records.confirm_input``).
        """
        self.ctx.begin(session, Permission.RISK_SCORE)
        if feature not in CONFIRMABLE:
            raise InvalidInput(translate("services", "'{feature}' cannot be confirmed here (only: {join}).").format(
                                   feature=feature, join=', '.join(sorted(CONFIRMABLE))))
        if not subject.strip():
            raise InvalidInput(translate("services", "Say what is being confirmed (the uncertain items)."))
        if not reason.strip():
            raise InvalidInput(translate("RecordsService", "Say why (for example “takes it "
                                         "for blood pressure, per the patient”): a "
                                         "confirmation without a reason is not recorded."))
        repo = self._repo(session)
        patient = repo.patient(patient_key)
        if patient is None:
            raise InvalidInput(translate("services", "No such patient in the store."))
        when = self.ctx.clock()
        with repo.db.transaction():
            repo.add_confirmation(patient_key, feature, "true" if value else "false",
                                  subject, reason.strip()[:500], session.username, when)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "records.confirm_input",
                       patient_id=patient.mrn, detail={"feature": feature, "value": value})
        confirmed = repo.confirmation(patient_key, feature, subject, when)
        assert confirmed is not None
        return confirmed

    def record_family_history(self, session: Session, mrn: str, value: bool, *,
                              issuer: str | None = None, reason: str = "") -> Confirmation:
        """A physician's answer to "does a parent or sibling have MI or stroke?" for a
        patient whose record does not say (China-PAR's family-history input). Stored
        apart from the facts, with who and when; one audit entry (``records.confirm_input``).
        """
        self.ctx.begin(session, Permission.RISK_SCORE)
        patient = self._repo(session).patient_by_mrn(mrn, issuer)
        if patient is None:
            raise InvalidInput(translate("services", "No patient with this MRN in the store; 'clinic-app patients "
                               "list' shows them."))
        return self.confirm_input(session, patient.key, "family_history_ascvd", value,
                                  subject=FAMILY_HISTORY_SUBJECT, reason=reason)

    def confirm_uncertain(self, session: Session, mrn: str, feature: str, value: bool, *,
                          issuer: str | None = None, reason: str = "") -> Confirmation:
        """Confirm whatever currently leaves ``feature`` uncertain for this patient (the
        CLI's ``patients confirm``): the subject is taken from the record now, so the
        answer covers exactly the drugs the physician was shown by ``patients show``.
        Refused when the record settles the input (nothing to confirm)."""
        self.ctx.begin(session, Permission.RISK_SCORE)
        if feature not in CONFIRMABLE:
            raise InvalidInput(translate("RecordsService", "'{feature}' cannot be confirmed "
                                         "(only: {allowed}).").format(
                feature=feature, allowed=", ".join(sorted(CONFIRMABLE))))
        repo = self._repo(session)
        patient = repo.patient_by_mrn(mrn, issuer)
        if patient is None:
            raise InvalidInput(translate("services", "No patient with this MRN in the store; 'clinic-app patients "
                               "list' shows them."))
        open_now = {u.feature: u for u in uncertain_inputs(repo, patient.key, self.ctx.clock())}
        if feature not in open_now:
            raise InvalidInput(translate("RecordsService", "The record settles this input "
                                         "for this patient: there is nothing to confirm."))
        return self.confirm_input(session, patient.key, feature, value,
                                  subject=open_now[feature].subject, reason=reason)


class _RollBack(Exception):
    """Raised inside the import transaction to roll it back when items had errors."""


def _report(parse: ParsedFile, outcome: StoreOutcome | None, *, imported: bool,
            note: str = "") -> FileReport:
    errors = outcome.errors if outcome is not None else parse.errors
    flags = outcome.flags if outcome is not None else parse.flags
    skipped = outcome.skipped if outcome is not None else parse.skipped
    if outcome is not None and imported:
        counts = outcome.counts()
    else:
        counts = {"patients": 0, "observations": 0, "conditions": 0, "medications": 0}
    return FileReport(
        file=parse.source_file, format=parse.format, imported=imported, counts=counts,
        skipped=tuple({"kind": kind, "reason": reason, "count": n}
                      for (kind, reason), n in sorted(skipped.items())),
        flagged=tuple(flags[:REPORT_LIMIT]), errors=tuple(errors[:REPORT_LIMIT]),
        error_count=outcome.error_total if outcome is not None else len(errors),
        flag_count=outcome.flag_total if outcome is not None else len(flags), note=note)


def fact_display(name: str, source_display: str = "") -> str:
    """A readable label for a fact name ("systolic_bp" → "Systolic blood pressure").

    A fact no model uses is labelled with the source's own name for it, marked as not
    interpreted; with no name in the source, the code is the only label there is.
    """
    for spec in codes.OBSERVATIONS.values():
        if spec.name == name:
            return spec.display.split(" (")[0]
    if codes.is_other_fact(name):
        code = name.split(":", 1)[1] if name.startswith("loinc:") else name.rsplit("|", 1)[-1]
        return source_display or f"unnamed result (code {code})"
    return name
