"""Measurements a reader keeps with a study: saved per user and stack, shown again on opening.

Saving is a radiologist's act on the images (``findings.review``, the same permission as
signing AI findings); reading one's own measurements back needs ``images.view``. Each
call writes one audit entry naming the study and how many measurements, never their
positions.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.core.clock import iso
from clinic_app.core.imaging import index
from clinic_app.core.imaging import measurement_store as store
from clinic_app.core.imaging.viewport import Measurement
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.core.store.database import Database
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


class MeasurementService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @staticmethod
    def _db(session: Session) -> Database:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        return session.clinical

    def _patient_of(self, db: Database, study_uid: str) -> str:
        rows = index.study_rows(db, study_uid=study_uid)
        if not rows:
            raise InvalidInput(translate("services", "No study {study_uid!r} in the store.").format(
                                   study_uid=study_uid))
        return str(rows[0]["patient_id"])

    def save(self, session: Session, study_uid: str, series_uid: str, stack_index: int,
             items: Sequence[Measurement]) -> int:
        """Replace this user's measurements on one stack of a study; returns how many are kept."""
        self.ctx.begin(session, Permission.FINDINGS_REVIEW)
        db = self._db(session)
        patient = self._patient_of(db, study_uid)
        context = index.series_context(db, series_uid)
        if context is None or not index.series_instances(db, series_uid):
            raise InvalidInput(translate("services", "No series {series_uid!r} in the store.").format(
                                   series_uid=series_uid))
        if context["study_uid"] != study_uid:  # a prior's series is measured on the prior
            raise InvalidInput(translate("services", "Series {series_uid!r} is not part of study "
                                                     "{study_uid!r}.").format(
                                   series_uid=series_uid, study_uid=study_uid))
        with db.transaction():
            kept = store.replace_for(db, session.username, study_uid, series_uid, stack_index, items,
                                     iso(self.ctx.clock()))
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "measurements.save", patient_id=patient,
                       study_uid=study_uid, object=series_uid, detail={"stack": int(stack_index), "kept": kept})
        return kept

    def for_study(self, session: Session, study_uid: str) -> list[store.SavedMeasurement]:
        """This user's saved measurements on a study (geometry only; values are recomputed)."""
        self.ctx.begin(session, Permission.IMAGES_VIEW)
        db = self._db(session)
        patient = self._patient_of(db, study_uid)
        found = store.for_user(db, session.username, study_uid)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "measurements.view", patient_id=patient,
                       study_uid=study_uid, detail={"measurements": len(found)})
        return found
