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
from datetime import datetime
from pathlib import Path
from typing import Any

from clinic_app.core.inference.features import FAMILY_HISTORY_SUBJECT
from clinic_app.core.records import bulk, codes
from clinic_app.core.records.batch import ParsedFile, Problem
from clinic_app.core.records.facts import Confirmation, Observation
from clinic_app.core.records.files import gc_paused, parse_file
from clinic_app.core.records.importer import StoreOutcome, store_parsed
from clinic_app.core.records.kept_store import KeptResourceStore
from clinic_app.core.records.linking import linked_studies
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.core.terminology.site import choose_terminology, site_terminology_dir
from clinic_app.errors import Cancelled, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.import_reports import (
    REPORT_LIMIT,
    FileReport,
    ImportReport,
    file_report,
)
from clinic_app.services.patient_views import PatientSummary, PatientView, fact_display
from clinic_app.services.session import Session
from clinic_app.services.uncertain_inputs import CONFIRMABLE, uncertain_inputs

# Where the UI, the CLI and other services have always imported them from.
__all__ = ["REPORT_LIMIT", "FileReport", "ImportReport", "PatientSummary", "PatientView",
           "RecordsService", "fact_display"]


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
                reports[i] = file_report(parse, None, imported=False,
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
                reports[i] = file_report(parse, None, imported=False,
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
            return self._finishfile_report(session, failed, None, "")
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
        return self._finishfile_report(session, ParsedFile(name, "fhir-ndjson"), outcome, sha)

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
        return self._finishfile_report(session, parse, outcome, sha)

    def _finishfile_report(self, session: Session, parse: ParsedFile, outcome: StoreOutcome | None,
                       sha256: str) -> FileReport:
        """The file's report, and its audit entries (one per file, one per patient)."""
        imported = outcome is not None and not outcome.errors
        report = file_report(parse, outcome, imported=imported,
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
            # One clinical generation for the import, recording the last entry's seq
            # (one per entry was 1,000 nested updates and key-ring writes per file).
            head = self.ctx.audit(session, EventCode.IMPORT, "records.import",
                                  outcome=Outcome.SUCCESS if imported else Outcome.MINOR_FAILURE,
                                  detail=detail, advance=False)
            if imported and outcome is not None:
                for mrn in dict.fromkeys(outcome.patient_mrns):
                    head = self.ctx.audit(session, EventCode.IMPORT, "records.import.patient",
                                          patient_id=mrn, advance=False) or head
            if head is not None:
                self.ctx.advance_generation(session, head)
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
