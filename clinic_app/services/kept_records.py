"""A patient's resources of types the app does not read (Immunization, Procedure, …).

Import keeps them as received (``core.records.fhir_kept``) so an export is never cut
short; this service lets a clinician see how many of each type a patient has and read
them back, through the same permission and audit as any view of the patient's record.
"""

from __future__ import annotations

from clinic_app.core.records.kept_store import KeptResourceStore, StoredResource
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session


class KeptRecordsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _store(self, session: Session, patient_key: int) -> tuple[KeptResourceStore, str]:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        patient = RecordRepository(session.clinical).patient(patient_key)
        if patient is None:
            raise InvalidInput(translate("records", "No such patient in the store."))
        return KeptResourceStore(session.clinical), patient.mrn

    def counts(self, session: Session, patient_key: int) -> dict[str, int]:
        """Resource type → how many resources of it are kept for the patient."""
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        store, mrn = self._store(session, patient_key)
        counts = store.counts(patient_key)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.other_resources",
                       patient_id=mrn, detail={"types": len(counts)})
        return counts

    def resources(self, session: Session, patient_key: int,
                  resource_type: str | None = None) -> list[StoredResource]:
        """The kept resources themselves (optionally of one type), as received."""
        self.ctx.begin(session, Permission.PATIENTS_VIEW)
        store, mrn = self._store(session, patient_key)
        found = store.resources(patient_key, resource_type)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "patients.other_resources.read",
                       patient_id=mrn, detail={"type": resource_type or "",
                                               "resources": len(found)})
        return found
