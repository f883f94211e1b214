"""DICOM studies for the CLI and the GUI: import, list, show, load volumes and slices.

Every method passes the permission gate, works on the session's clinical store, and is
audited: imports as 110107 (one event per study touched, with its pseudonymised study
UID and patient id, plus a PHI-free summary), study views and image loads as 110103
DICOM Instances Accessed. Rendering is a pure core function
(:func:`clinic_app.core.imaging.render.render`) and needs no service call.

Long calls (import, volume load) take ``progress`` and ``cancel`` as plain callables, so
a GUI worker thread can drive them and the CLI can ignore them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from clinic_app.core.clock import iso
from clinic_app.core.imaging import geometry, index, journal, stack_types
from clinic_app.core.imaging.import_wording import shown_reason
from clinic_app.core.imaging.importer import ImportTally, import_items
from clinic_app.core.imaging.sources import enumerate_sources
from clinic_app.core.imaging.volume import (
    SliceImage,
    SlicesReady,
    Volume,
    build_slice,
    build_volume,
)
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission, Role
from clinic_app.core.store.database import Database
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.imaging_types import (
    ImportedStudy,
    ImportReport,
    SeriesDetail,
    StackSummary,
    StudyDetail,
    StudyFilter,
    StudySummary,
)
from clinic_app.services.session import Session

STUDY_NOT_FOUND = "No study with this UID in the store; 'clinic-app studies list' shows them."


#: Called after every import with (session, report, progress, cancel); the analysis
#: service registers its auto-analysis here (Settings.auto_analyze_on_import).
ImportHook = Callable[[Session, ImportReport, Progress, CancelToken], None]


class ImagingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.after_import: list[ImportHook] = []

    @staticmethod
    def _db(session: Session) -> Database:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        return session.clinical

    # -- import ---------------------------------------------------------------------------
    def import_dicom(self, session: Session, paths: Sequence[Path], *,
                     progress: Progress = no_progress,
                     cancel: CancelToken = NEVER_CANCELLED) -> ImportReport:
        """Import files, folders, DICOMDIRs and zips; bad files are reported, not fatal."""
        self.ctx.begin(session, Permission.DICOM_IMPORT)
        if not paths:
            raise InvalidInput(translate("services", "Give at least one file or folder to import."))
        db = self._db(session)
        assert session.blobs is not None
        self._audit_interrupted_imports(session)
        progress(0, 0, "Finding files")
        items, problems = enumerate_sources([Path(p) for p in paths])
        tally = ImportTally()
        import_id = uuid.uuid4().hex
        try:
            import_items(db, session.blobs, items, now=iso(self.ctx.clock()), progress=progress,
                         cancel=cancel, tally=tally, import_id=import_id)
        except BaseException as exc:
            self._audit_failed_import(session, tally, exc)
            journal.clear(db, import_id)
            raise
        studies = tuple(s for s in (self._study_totals(db, uid) for uid in tally.studies) if s)
        report = ImportReport(
            imported=tally.imported, duplicates=tally.duplicates, studies=studies,
            skipped=tuple(problems) + tuple(tally.skipped), files=tally.files,
            cancelled=tally.cancelled, replaced=tuple(tally.replaced))
        assert session.system is not None
        with session.system.transaction():
            for t in tally.studies.values():
                flags = next((s.flags for s in studies if s.study_uid == t.study_uid), ())
                self.ctx.audit(session, EventCode.IMPORT, "dicom.import.study",
                               patient_id=t.patient_id, study_uid=t.study_uid,
                               detail={"imported": t.imported, "duplicates": t.duplicates,
                                       "refused": t.refused, "flags": list(flags),
                                       "replaced_damaged": t.replaced})
            self.ctx.audit(session, EventCode.IMPORT, "dicom.import",
                           outcome=Outcome.MINOR_FAILURE if report.nothing_processed
                           else Outcome.SUCCESS,
                           detail={"files": report.files + len(problems),
                                   "imported": report.imported,
                                   "duplicates": report.duplicates,
                                   "skipped": len(report.skipped), "studies": len(studies),
                                   "cancelled": report.cancelled})
        journal.clear(db, import_id)  # audited: the journal rows have done their job
        for hook in self.after_import:
            hook(session, report, progress, cancel)
        return report

    def _audit_interrupted_imports(self, session: Session) -> None:
        """Audit imports that committed instances and died before their audit entry
        (a kill -9, a power cut): at-least-once, marked ``recovered``."""
        db = self._db(session)
        left = journal.pending(db)
        if not left or session.system is None:
            return
        with session.system.transaction():
            for p in left:
                self.ctx.audit(session, EventCode.IMPORT, "dicom.import.study",
                               outcome=Outcome.SERIOUS_FAILURE, patient_id=p.patient_id,
                               study_uid=p.study_uid,
                               detail={"imported": p.imported, "recovered": True,
                                       "started_at": p.started_at})
            self.ctx.audit(session, EventCode.IMPORT, "dicom.import",
                           outcome=Outcome.SERIOUS_FAILURE,
                           detail={"recovered": True, "imports": len({p.import_id for p in left}),
                                   "imported": sum(p.imported for p in left)})
        for import_id in {p.import_id for p in left}:
            journal.clear(db, import_id)

    def _audit_failed_import(self, session: Session, tally: ImportTally, exc: BaseException) -> None:
        """Audit what earlier batches committed before the store failed (then re-raise)."""
        if session.system is None:
            return
        with session.system.transaction():
            for uid, count in tally.committed.items():
                if count:
                    self.ctx.audit(session, EventCode.IMPORT, "dicom.import.study",
                                   patient_id=tally.studies[uid].patient_id, study_uid=uid,
                                   detail={"imported": count, "incomplete": True})
            self.ctx.audit(session, EventCode.IMPORT, "dicom.import",
                           outcome=Outcome.SERIOUS_FAILURE,
                           detail={"imported": tally.committed_instances,
                                   "error": type(exc).__name__})

    @staticmethod
    def _study_totals(db: Database, study_uid: str) -> ImportedStudy | None:
        rows = index.study_rows(db, study_uid=study_uid)
        if not rows:
            return None
        r = rows[0]
        return ImportedStudy(study_uid, r["patient_id"], _split(r["modalities"]),
                             int(r["n_series"]), int(r["n_instances"]), _split(r["flags"]))

    # -- studies ----------------------------------------------------------------------------
    def list_studies(self, session: Session, filters: StudyFilter | None = None) -> list[StudySummary]:
        """Studies in the store, newest first."""
        self.ctx.begin(session, Permission.STUDIES_VIEW)
        if session.role == Role.RADIOLOGIST:  # the importing role: its listing recovers too
            self._audit_interrupted_imports(session)
        out = study_summaries(self._db(session), filters or StudyFilter())
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "studies.list",
                       detail={"studies": len(out)})
        return out

    def show_study(self, session: Session, study_uid: str) -> StudyDetail:
        """A study's series with decodability and stack geometry (no pixels decoded)."""
        self.ctx.begin(session, Permission.STUDIES_VIEW)
        detail = self.ungated_study_detail(session, study_uid)
        if detail is None:
            self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "studies.show",
                           outcome=Outcome.MINOR_FAILURE, study_uid=study_uid,
                           detail={"found": False})
            raise InvalidInput(STUDY_NOT_FOUND)
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "studies.show",
                       patient_id=detail.study.patient_id, study_uid=study_uid,
                       detail={"series": len(detail.series), "flags": list(detail.study.flags)})
        return detail

    # -- for other services: ungated, unaudited -----------------------------------------------
    # A service whose action needs a study or its pixels (analysis) calls these after its
    # own gate (ctx.begin) and writes the action's one audit entry itself, so one user
    # action is one entry. The UI and CLI never call ``ungated_*`` methods
    # (tests/test_audit_per_action.py checks).

    def ungated_study_detail(self, session: Session, study_uid: str) -> StudyDetail | None:
        """The study's detail as :meth:`show_study` gives it, or None if it is not stored."""
        db = self._db(session)
        found = study_summaries(db, StudyFilter(), study_uid=study_uid)
        if not found:
            return None
        series = tuple(_series_detail(db, row) for row in index.series_rows(db, study_uid))
        return StudyDetail(found[0], series)

    def ungated_series_volume(self, session: Session, series_uid: str, *, stack: int = 0,
                              progress: Progress = no_progress,
                              cancel: CancelToken = NEVER_CANCELLED) -> Volume:
        """One stack decoded as :meth:`load_series_volume` does it, without gate or entry."""
        return self._volume(session, series_uid, stack, progress, cancel, 0, None)[0]

    # -- pixels -----------------------------------------------------------------------------
    def load_series_volume(self, session: Session, series_uid: str, *, stack: int = 0,
                           progress: Progress = no_progress,
                           cancel: CancelToken = NEVER_CANCELLED, first: int = 0,
                           on_slices: SlicesReady | None = None) -> Volume:
        """Decode one stack of a series (the largest by default) into a :class:`Volume`.

        Slices are decoded outward from slice ``first``; ``on_slices`` (called on the
        loading thread) receives the volume while it loads with the range of slices that
        are final, so a viewer can scroll around its first image before the rest is in.
        """
        self.ctx.begin(session, Permission.IMAGES_VIEW)
        vol, owner, frames = self._volume(session, series_uid, stack, progress, cancel, first,
                                          on_slices)
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "series.load",
                       patient_id=owner["patient_id"], study_uid=owner["study_uid"],
                       detail={"frames": frames, "stack": stack})
        return vol

    def _volume(self, session: Session, series_uid: str, stack: int, progress: Progress,
                cancel: CancelToken, first: int,
                on_slices: SlicesReady | None) -> tuple[Volume, Any, int]:
        """The decoded stack, its owner row (patient and study ids) and its frame count."""
        plans, modality, owner = self._plans(session, series_uid)
        plan = _pick(plans, stack)
        if not 0 <= first < len(plan.frames):
            raise InvalidInput(translate("services", "This stack has {len} slices; slice {first} does not "
                                                     "exist.").format(len=len(plan.frames), first=first))
        assert session.blobs is not None
        blobs = session.blobs
        vol = build_volume(plan, lambda blob_id: blobs.open(index.BLOB_KIND, blob_id),
                           series_uid=series_uid, modality=modality, stack_index=stack,
                           stack_count=len(plans), progress=progress, cancel=cancel,
                           first=first, on_slices=on_slices)
        return vol, owner, len(plan.frames)

    def first_slice(self, session: Session, series_uid: str, *, stack: int = 0,
                    index_in_stack: int = 0) -> SliceImage:
        """One slice decoded alone, for time-to-first-image (default: slice 0 of stack 0)."""
        self.ctx.begin(session, Permission.IMAGES_VIEW)
        plans, modality, owner = self._plans(session, series_uid)
        plan = _pick(plans, stack)
        if not 0 <= index_in_stack < len(plan.frames):
            raise InvalidInput(translate("services", "This stack has {len} slices; slice {index_in_stack} "
                                                     "does not exist.").format(
                                   len=len(plan.frames), index_in_stack=index_in_stack))
        assert session.blobs is not None
        blobs = session.blobs
        image = build_slice(plan, index_in_stack, lambda b: blobs.open(index.BLOB_KIND, b),
                            modality=modality)
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_ACCESSED, "series.slice",
                       patient_id=owner["patient_id"], study_uid=owner["study_uid"],
                       detail={"stack": stack, "slice": index_in_stack})
        return image

    def _plans(self, session: Session, series_uid: str) -> tuple[list[stack_types.StackPlan], str, Any]:
        db = self._db(session)
        owner = index.series_context(db, series_uid)
        if owner is None:
            raise InvalidInput(translate("services", "No series with this UID in the store; 'clinic-app studies show "
                               "STUDY_UID' lists a study's series."))
        instances = index.series_instances(db, series_uid)
        plans = geometry.plan_series(instances, owner["modality"])
        if not plans:
            reasons = [shown_reason(r) for r in sorted({i.status for i in instances if i.status})]
            raise InvalidInput(translate("services", "This series has no decodable images ({reasons}).").format(
                reasons=translate("services", "; ").join(reasons) or translate("services", "no images")))
        return plans, owner["modality"], owner


# -- helpers ------------------------------------------------------------------------------
def _split(text: str | None) -> tuple[str, ...]:
    return tuple(v for v in (text or "").split(",") if v)


def _pick(plans: list[stack_types.StackPlan], stack: int) -> stack_types.StackPlan:
    if not 0 <= stack < len(plans):
        raise InvalidInput(translate("services", "This series has {len} stack(s); stack {stack} does not "
                                                 "exist.").format(len=len(plans), stack=stack))
    return plans[stack]


def study_summaries(db: Database, flt: StudyFilter, *,
                    study_uid: str | None = None) -> list[StudySummary]:
    """Studies matching ``flt``, newest first: the listing behind ``list_studies``.

    No gate and no audit here: a service method that lists studies (``list_studies``, the
    AI worklist) checks the permission and writes the one audit entry for its listing.
    """
    rows = index.study_rows(db, study_uid=study_uid, patient_id=flt.patient_id,
                            modality=flt.modality, date_from=flt.date_from, date_to=flt.date_to,
                            text=flt.text)
    return [StudySummary(
        study_uid=r["study_uid"], patient_id=r["patient_id"], issuer=r["issuer"],
        patient_name=r["name"], birth_date=r["birth_date"], sex=r["sex"],
        study_date=r["study_date"], study_time=r["study_time"], accession=r["accession"],
        description=r["description"], modalities=_split(r["modalities"]),
        series=int(r["n_series"]), instances=int(r["n_instances"]), flags=_split(r["flags"]),
    ) for r in rows]


def _series_detail(db: Database, row: Any) -> SeriesDetail:
    instances = index.series_instances(db, row["series_uid"])
    plans = geometry.plan_series(instances, row["modality"])
    stacks = tuple(StackSummary(
        index=i, label=p.label, kind=p.kind, dimensions=p.shape, spacing=p.spacing,
        orientation=stack_types.orientation_name(p.orientation),
        orientation_cosines=p.orientation, regular=p.regular, tilt_deg=p.tilt_deg,
        missing_slices=p.missing_slices, calibrated=p.calibrated, warnings=p.warnings,
    ) for i, p in enumerate(plans))
    decodable = [i for i in instances if i.decodable]
    reasons = tuple(sorted({i.status for i in instances if not i.decodable and i.status}))
    warnings = tuple(dict.fromkeys(w for i in instances for w in i.warnings))
    from pydicom.uid import UID

    return SeriesDetail(
        series_uid=row["series_uid"], modality=row["modality"], description=row["description"],
        body_part=row["body_part"], number=row["number"], instances=len(instances),
        frames=sum(i.frames for i in instances), decodable=len(decodable),
        not_decodable=reasons,
        transfer_syntaxes=tuple(sorted({UID(i.transfer_syntax).name for i in instances})),
        stacks=stacks, warnings=warnings, frame_of_reference=row["frame_of_reference_uid"] or "")
