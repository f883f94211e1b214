"""Imaging AI for users: which models apply, run them, read and review their findings.

``analyze`` is the one entry for running models on a study (GUI worker, CLI, and the
auto-analysis after import). Its steps: permission gate → pick the imaging models and,
for each, the series its manifest accepts (index facts only; nothing decoded for a
study no model can read) → decode the volume through the imaging service → run the
pipeline (``core.inference.imaging_pipeline``) → store every run, finding and
encrypted heatmap in ONE transaction at the end. A refusal, a model failure or a cancel
anywhere before that stores nothing, and is audited with a PHI-free reason.

Reviews are the radiologist's signed act: each is a new row naming the user, time,
decision, comment and the model version reviewed (FINDINGS_REVIEW, audited).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from clinic_app.core.clock import iso
from clinic_app.core.imaging import index
from clinic_app.core.inference import finding_store as store
from clinic_app.core.inference.heatmaps import Heatmap, decode_from_bundle
from clinic_app.core.inference.imaging_pipeline import AnalysisResult, analyse, geometry_of
from clinic_app.core.inference.imaging_run import ModelRunner, StageTimes
from clinic_app.core.inference.imaging_spec import ImagingSpec, is_imaging, parse_imaging_spec
from clinic_app.core.inference.registry import AvailablePackage
from clinic_app.core.inference.selection import SeriesFacts, select_series
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission, allowed
from clinic_app.core.store.database import Database
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import Cancelled, ClinicAppError, InvalidInput, ModelError
from clinic_app.i18n import translate
from clinic_app.services.analysis_index import placed_findings, series_facts
from clinic_app.services.analysis_types import (
    AnalysisState,
    ApplicableModel,
    RunningStudies,
    RunReport,
    WorklistEntry,
    study_state,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.finding_types import Finding, publish
from clinic_app.services.imaging import STUDY_NOT_FOUND, ImagingService, study_summaries
from clinic_app.services.imaging_types import ImportReport, StudyDetail, StudyFilter
from clinic_app.services.models import ModelService
from clinic_app.services.session import Session

log = logging.getLogger("clinic_app.services.analysis")

MAX_COMMENT = 2000

@dataclass(frozen=True)
class _Plan:
    package: AvailablePackage
    spec: ImagingSpec
    series: SeriesFacts


class AnalysisService:
    def __init__(self, ctx: ServiceContext, imaging: ImagingService, models: ModelService) -> None:
        self.ctx = ctx
        self.imaging = imaging
        self.models = models
        self._running = RunningStudies()
        imaging.after_import.append(self._after_import)

    _placed = staticmethod(placed_findings)  # results and review edits place findings here

    @staticmethod
    def _db(session: Session) -> Database:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        return session.clinical

    # -- which models apply ------------------------------------------------------------------
    def applicable_models(self, session: Session, study_uid: str) -> list[ApplicableModel]:
        """Every usable imaging model with the series it would analyse, or why it would not."""
        self.ctx.begin(session, Permission.ANALYSIS_RUN)
        detail = self._study(session, study_uid)
        facts = series_facts(detail)
        out: list[ApplicableModel] = []
        for pkg in self._imaging_packages(session):
            m = pkg.manifest
            try:
                spec = parse_imaging_spec(m)
            except ModelError as exc:
                out.append(ApplicableModel(m.id, m.version, m.name, m.demo, False, reason=str(exc)))
                continue
            chosen = select_series(spec, facts)
            if chosen.chosen is None:
                out.append(ApplicableModel(m.id, m.version, m.name, m.demo, False,
                                           reason=chosen.explain()))
            else:
                s = chosen.chosen
                out.append(ApplicableModel(m.id, m.version, m.name, m.demo, True, s.series_uid,
                                           s.number, s.stack_index))
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "analysis.applicable",
                       patient_id=detail.study.patient_id, study_uid=study_uid,
                       detail={"applicable": sum(1 for a in out if a.applicable)})
        return out

    def _study(self, session: Session, study_uid: str) -> StudyDetail:
        """The study, read inside this service's gated action (its own entry is the audit)."""
        detail = self.imaging.ungated_study_detail(session, study_uid)
        if detail is None:
            raise InvalidInput(STUDY_NOT_FOUND)
        return detail

    def _imaging_packages(self, session: Session) -> list[AvailablePackage]:
        scan = self.models.ungated_scan(session)
        return [p for p in scan.available if is_imaging(p.manifest)]

    def _plans(self, session: Session, detail: StudyDetail, model_id: str | None) -> list[_Plan]:
        """The (model, series) pairs to run; InvalidInput naming every reason if none."""
        facts = series_facts(detail)
        packages = self._imaging_packages(session)
        if model_id is not None:
            packages = [p for p in packages if p.manifest.id == model_id]
            if not packages:
                why = self.models.ungated_scan(session).why_unusable(model_id)
                raise InvalidInput(translate("services", "No usable imaging model with id {model_id!r}").format(
                                       model_id=model_id)
                                   + (f" ({why})" if why else "") + translate("services", "; run "
                                   "'clinic-app models list' to see what is installed."))
        if not packages:
            raise InvalidInput(translate("services", "No imaging AI model is installed; ask IT to add one."))
        plans: list[_Plan] = []
        reasons: list[str] = []
        for pkg in packages:
            spec = parse_imaging_spec(pkg.manifest)
            chosen = select_series(spec, facts)
            if chosen.chosen is None:
                reasons.append(f"{pkg.manifest.id}: {chosen.explain()}")
            else:
                plans.append(_Plan(pkg, spec, chosen.chosen))
        if not plans:
            raise InvalidInput(
                translate("services", "No series of this study can be analysed by ")
                + (translate("services", "this model") if model_id else translate("services", "any installed model"))
                + " ("
                + "; ".join(reasons)
                + ")."
            )
        return plans

    # -- running -----------------------------------------------------------------------------
    def analyze(self, session: Session, study_uid: str, model_id: str | None = None,
                progress: Progress = no_progress, cancel: CancelToken = NEVER_CANCELLED, *,
                trigger: str = "manual") -> list[RunReport]:
        """Run one model (or every applicable one) on the study and store the findings.

        ``trigger`` records why it ran: ``manual`` (a clinician asked), ``import``
        (auto-analysis after an import), ``demo`` (the demo store builder).
        """
        self.ctx.begin(session, Permission.ANALYSIS_RUN)
        if trigger not in store.TRIGGERS:
            raise InvalidInput(translate("services", "Unknown analysis trigger {trigger!r}; one of {join}.").format(
                                   trigger=trigger, join=', '.join(store.TRIGGERS)))
        started = iso(self.ctx.clock())
        patient_id = self._patient_of(session, study_uid)
        plans: list[_Plan] = []
        try:
            with self._running.marked(study_uid):
                detail = self._study(session, study_uid)
                plans = self._plans(session, detail, model_id)
                results = [self._run_one(session, plan, progress, cancel) for plan in plans]
                cancel.raise_if_cancelled()
                reports = self._store(session, study_uid, plans, results, started, trigger)
        except ClinicAppError as exc:
            self._audit_refusal(session, study_uid, patient_id, model_id, plans, exc, trigger)
            raise
        for report in reports:
            self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "analysis.run",
                           patient_id=patient_id, study_uid=study_uid, object=report.model_id,
                           detail={"model": report.model_id, "version": report.version,
                                   "provider": report.provider, "trigger": trigger,
                                   "findings": len(report.findings), "flagged": report.flagged,
                                   "demo": report.demo, "timing": report.timing})
        return reports

    def _run_one(self, session: Session, plan: _Plan, progress: Progress,
                 cancel: CancelToken) -> tuple[AnalysisResult, tuple[tuple[str, int], ...]]:
        times = StageTimes()
        model_id = plan.package.manifest.id

        def step(done: int, total: int, message: str = "") -> None:
            progress(done, total, f"{model_id}: {message}" if message else model_id)

        start = time.perf_counter()
        volume = self.imaging.ungated_series_volume(session, plan.series.series_uid,
                                                    stack=plan.series.stack_index,
                                                    progress=step, cancel=cancel)
        times.io += time.perf_counter() - start
        if volume.gaps:
            # Findings are formed across neighbouring slices (and one radiograph is one
            # slice): a hole in the stack would be analysed as tissue or split a lesion.
            raise InvalidInput(translate(
                "Analysis", "{series} cannot be analysed by model {model}: {gaps}. The model "
                "needs every slice of the series; import the missing instances again from "
                "their source.").format(series=plan.series.name, model=model_id,
                                        gaps=volume.gap_summary()))
        if volume.is_color:
            raise InvalidInput(translate("services", "{name} holds colour images; model {model_id} analyses "
                                                     "greyscale images only.").format(
                                   name=plan.series.name, model_id=model_id))
        geometry = geometry_of(volume)
        model = self.models.ungated_catalog(session).session(model_id)
        runner = ModelRunner(model, plan.spec)
        result = analyse(volume.voxels, geometry, plan.spec, runner, step, cancel,
                         invert=volume.display.invert, times=times)
        return result, volume.slice_refs

    def _store(self, session: Session, study_uid: str, plans: Sequence[_Plan],
               results: Sequence[tuple[AnalysisResult, tuple[tuple[str, int], ...]]],
               started: str, trigger: str) -> list[RunReport]:
        db = self._db(session)
        assert session.blobs is not None
        finished = iso(self.ctx.clock())
        saved: list[tuple[_Plan, AnalysisResult, str]] = []
        start = time.perf_counter()
        with db.transaction(), session.blobs.batch() as batch:
            for plan, (result, refs) in zip(plans, results, strict=True):
                m = plan.package.manifest
                record = store.RunRecord(
                    study_uid=study_uid, series_uid=plan.series.series_uid,
                    stack_index=plan.series.stack_index, model_id=m.id, model_version=m.version,
                    manifest_sha256=m.sha256, demo=m.demo, provider=result.provider,
                    heatmap_kind=result.heatmap_kind, timing=result.times.as_dict(),
                    trigger=trigger, user=session.username, started_at=started,
                    finished_at=finished, slice_mm=result.slice_mm)
                run_uid, _ids = store.save_run(db, batch, record, result.findings, refs)
                saved.append((plan, result, run_uid))
        # The write, the heatmap fsync and the commit, shared by the runs of this call.
        # (The timing stored in each run row cannot include its own write.)
        for _plan, result, _uid in saved:
            result.times.store += (time.perf_counter() - start) / len(saved)
        current = placed_findings(db, store.current_findings(db, study_uid))
        return [RunReport(run_uid, plan.package.manifest.id, plan.package.manifest.version,
                          plan.package.manifest.demo, result.provider, plan.series.series_uid,
                          result.heatmap_kind, result.times.as_dict(),
                          tuple(publish(f) for f in current if f.run_uid == run_uid))
                for plan, result, run_uid in saved]

    def _audit_refusal(self, session: Session, study_uid: str, patient_id: str,
                       model_id: str | None, plans: Sequence[_Plan], exc: ClinicAppError,
                       trigger: str) -> None:
        reason = ("cancelled" if isinstance(exc, Cancelled) else
                  "model-error" if isinstance(exc, ModelError) else "refused")
        models = [p.package.manifest.id for p in plans] or ([model_id] if model_id else [])
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "analysis.run",
                       outcome=Outcome.MINOR_FAILURE, patient_id=patient_id,
                       study_uid=study_uid, object=",".join(models),
                       detail={"result": reason, "error": type(exc).__name__,
                               "trigger": trigger, "models": models})

    def _after_import(self, session: Session, report: ImportReport, progress: Progress,
                      cancel: CancelToken) -> None:
        """Auto-analysis (Settings.auto_analyze_on_import): each model on each new study.

        Runs only for users allowed to run analyses; each (study, model) is its own
        all-or-nothing run, and a failure is audited and logged but never fails the import.
        """
        if (not self.ctx.settings.auto_analyze_on_import or report.cancelled
                or not allowed(session.role, Permission.ANALYSIS_RUN)):
            return
        for study in report.studies:
            try:
                applicable = [a for a in self.applicable_models(session, study.study_uid)
                              if a.applicable]
            except ClinicAppError as exc:
                log.warning("auto-analysis skipped a study: %s", type(exc).__name__)
                continue
            for model in applicable:
                try:
                    self.analyze(session, study.study_uid, model.model_id, progress, cancel,
                                 trigger="import")
                except Cancelled:
                    return
                except ClinicAppError as exc:
                    log.warning("auto-analysis with %s failed: %s", model.model_id,
                                type(exc).__name__)

    # -- reading -----------------------------------------------------------------------------
    def _patient_of(self, session: Session, study_uid: str) -> str:
        rows = index.study_rows(self._db(session), study_uid=study_uid)
        return str(rows[0]["patient_id"]) if rows else ""

    def findings(self, session: Session, study_uid: str) -> list[Finding]:
        """The current findings of a study (latest run of each model), with review state."""
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        db = self._db(session)
        found = placed_findings(db, store.current_findings(db, study_uid))
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.view",
                       patient_id=self._patient_of(session, study_uid), study_uid=study_uid,
                       detail={"findings": len(found),
                               "flagged": sum(1 for f in found if f.flagged)})
        return [publish(f) for f in found]

    def heatmap(self, session: Session, finding_id: int) -> Heatmap:
        """The finding's map: model output (segmentation, CAM) or occlusion, as labelled."""
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        db = self._db(session)
        found = self._finding(db, finding_id)
        location = store.heatmap_location(db, finding_id)
        if location is None:
            raise InvalidInput(translate("services", "This finding has no stored heatmap."))
        assert session.blobs is not None
        blob_id, position = location
        result = decode_from_bundle(session.blobs.get(store.HEATMAP_BLOB, blob_id), position)
        # The map sits on the analysed slices; follow the finding if its slices moved.
        shift = placed_findings(db, [found])[0].slice_index - found.slice_index
        if shift:
            k, j, i = result.origin
            result = replace(result, origin=(k + shift, j, i))
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.heatmap",
                       patient_id=self._patient_of(session, found.study_uid),
                       study_uid=found.study_uid, object=str(finding_id),
                       detail={"kind": result.kind})
        return result

    def review(self, session: Session, finding_id: int, decision: str,
               comment: str = "") -> Finding:
        """Accept or reject a finding, signed with the user, time and model version."""
        self.ctx.begin(session, Permission.FINDINGS_REVIEW)
        decision = decision.strip().lower()
        if decision not in store.DECISIONS:
            raise InvalidInput(translate("services", "A review decision is 'accepted' or 'rejected'."))
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise InvalidInput(translate("services", "The comment is longer than {MAX_COMMENT} characters.").format(
                                   MAX_COMMENT=MAX_COMMENT))
        if any(ord(c) < 32 and c not in "\n\t" for c in comment):
            raise InvalidInput(translate("services", "The comment contains control characters; type it again."))
        db = self._db(session)
        with db.transaction():
            found = self._finding(db, finding_id)
            store.add_review(db, finding_id, store.Review(
                decision, comment, session.username, session.role.value,
                iso(self.ctx.clock()), found.model_id, found.model_version))
        updated = placed_findings(db, [self._finding(db, finding_id)])[0]
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.review",
                       patient_id=self._patient_of(session, found.study_uid),
                       study_uid=found.study_uid, object=str(finding_id),
                       detail={"decision": decision, "model": found.model_id,
                               "version": found.model_version, "flagged": found.flagged,
                               "commented": bool(comment)})
        return publish(updated)

    @staticmethod
    def _finding(db: Database, finding_id: int) -> store.StoredFinding:
        found = store.finding(db, int(finding_id))
        if found is None:
            raise InvalidInput(translate("services", "No finding with id {finding_id}.").format(
                                   finding_id=finding_id))
        return found

    def worklist(self, session: Session, filters: StudyFilter | None = None) -> list[WorklistEntry]:
        """The studies (newest first) with their AI state: one audit entry for the listing.

        A worklist refresh reads every study's summary and state; auditing that as one
        ``studies.list`` access (count in detail) keeps the log readable, where a status
        read per study would bury it in entries that record nothing an auditor can use.
        """
        self.ctx.begin(session, Permission.STUDIES_VIEW)
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        studies = study_summaries(self._db(session), filters or StudyFilter())
        states = self._states(session, [s.study_uid for s in studies])
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "studies.list",
                       detail={"studies": len(studies), "ai_status": True})
        return [WorklistEntry(s, states[s.study_uid]) for s in studies]

    def study_status(self, session: Session, study_uids: Sequence[str]) -> dict[str, AnalysisState]:
        """AI state per study: not analysed / running / flagged / no findings / reviewed.

        One call for many studies writes one audit entry: pass the whole list rather than
        calling once per study. (The worklist uses :meth:`worklist`, which lists and reads
        the states under a single entry.)
        """
        if isinstance(study_uids, str):
            raise TypeError("study_status() takes a sequence of study UIDs, not one str")
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        out = self._states(session, list(study_uids))
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.status",
                       detail={"studies": len(out)})
        return out

    def ungated_study_states(self, session: Session,
                             study_uids: Sequence[str]) -> dict[str, AnalysisState]:
        """:meth:`study_status` for another service's gated action (the patient chart)."""
        return self._states(session, list(study_uids))


    def _states(self, session: Session, study_uids: Sequence[str]) -> dict[str, AnalysisState]:
        runs = store.study_runs(self._db(session), list(study_uids))
        running = self._running.now()
        return {uid: study_state(runs.get(uid, []), uid in running) for uid in study_uids}
