"""De-identified export of a study or a patient (PS3.15 Annex E), for research and teaching.

Clinicians only (``deid.export``), one audit entry per export (counts, never values).
Images that may carry text burned into their pixels are refused before anything is
written, each with its reason, unless the user explicitly accepts that risk. Output
files are named by position only; all are written or none (a failure removes what was
written). The patient's pseudonym, date shift and the job's UID map stay encrypted in
the store (``core/dicom_out/deid_store``) so a later export keeps the same pseudonyms.
The patient's record goes along as a FHIR Bundle when the user may view records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pydicom.dataset import Dataset

from clinic_app.core.clock import iso
from clinic_app.core.dicom_out import deid_fhir, deid_store
from clinic_app.core.dicom_out.deid import Deidentifier, burned_in_reason
from clinic_app.core.dicom_out.sources import read_full, read_header
from clinic_app.core.imaging import index
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission, allowed
from clinic_app.core.store.blobs import BlobStore
from clinic_app.core.store.database import Database
from clinic_app.errors import ClinicAppError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

BUNDLE_NAME = "patient_record.fhir.json"


@dataclass(frozen=True)
class DeidExport:
    pseudonym: str
    files: tuple[Path, ...]
    fhir_bundle: Path | None
    studies: int
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"pseudonym": self.pseudonym, "studies": self.studies,
                "files": [str(p) for p in self.files],
                "fhir_bundle": str(self.fhir_bundle) if self.fhir_bundle else None,
                "notes": list(self.notes)}


class DeidService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @staticmethod
    def _db(session: Session) -> Database:
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        return session.clinical

    def export_study(self, session: Session, study_uid: str, to_dir: Path, *,
                     allow_burned_in: bool = False) -> DeidExport:
        """One study, de-identified, into ``to_dir``."""
        self.ctx.begin(session, Permission.DEID_EXPORT)
        rows = index.study_rows(self._db(session), study_uid=study_uid)
        if not rows:
            raise InvalidInput(translate("services", "No study with this UID in the store."))
        return self._export(session, str(rows[0]["patient_id"]), str(rows[0]["issuer"]),
                            [study_uid], Path(to_dir), allow_burned_in)

    def export_patient(self, session: Session, mrn: str, to_dir: Path, *,
                       issuer: str | None = None, allow_burned_in: bool = False) -> DeidExport:
        """Every study of the patient with this MRN, and the record, de-identified."""
        self.ctx.begin(session, Permission.DEID_EXPORT)
        rows = index.study_rows(self._db(session), patient_id=mrn)
        if issuer is not None:
            rows = [r for r in rows if r["issuer"] == issuer]
        issuers = {str(r["issuer"]) for r in rows}
        if len(issuers) > 1:
            raise InvalidInput(translate("services", "Patients from several issuers share this MRN; give "
                                                     "--issuer."))
        chosen = issuers.pop() if issuers else (issuer or "")
        record = RecordRepository(self._db(session)).patient_by_mrn(mrn, issuer)
        if not rows and record is None:
            raise InvalidInput(translate("services", "No studies or record for this MRN in the store."))
        return self._export(session, mrn, chosen, [str(r["study_uid"]) for r in rows],
                            Path(to_dir), allow_burned_in)

    def _export(self, session: Session, mrn: str, issuer: str, study_uids: list[str],
                folder: Path, allow_burned_in: bool) -> DeidExport:
        db = self._db(session)
        assert session.blobs is not None
        now = iso(self.ctx.clock())
        instances = [(n, r) for n, uid in enumerate(study_uids, 1)
                     for r in db.query("SELECT i.blob_id FROM dicom_instances i JOIN dicom_series "
                                       "se ON se.id = i.series_id JOIN dicom_studies st ON "
                                       "st.id = se.study_id WHERE st.study_uid = ? ORDER BY "
                                       "se.id, i.instance_number, i.id", (uid,))]
        blobs = session.blobs
        # Headers first (nothing is written if one is refused), then one instance at a time:
        # read, de-identify, write, drop; never the whole study in memory.
        refused = [reason for _n, r in instances
                   if (reason := burned_in_reason(_stored(blobs, r["blob_id"], read_header)))]
        audit = {"studies": len(study_uids), "instances": len(instances),
                 "allow_burned_in": allow_burned_in}
        try:
            if refused and not allow_burned_in:
                raise InvalidInput(
                    translate("services", "{len} image(s) were not exported because {value}. Nothing was "
                                          "written. Check the images and export again accepting burned-in "
                                          "text only if you have confirmed there is none.").format(
                        len=len(refused), value=sorted(set(refused))[0]))
            with db.transaction():
                secret = deid_store.site_secret(db, now)
                patient_row, pseudonym = deid_store.patient_pseudonym(
                    db, f"{issuer}|{mrn}", secret, now)
                engine = Deidentifier(pseudonym)
                written = _write_all(folder, ((n, engine.apply(_stored(blobs, r["blob_id"], read_full)))
                                              for n, r in instances))
                try:
                    bundle, records, notes = self._bundle(session, db, mrn, issuer, pseudonym,
                                                          folder, written)
                    deid_store.record_job(db, patient_row, session.username, now,
                                          len(written), records, engine.uid_map)
                except BaseException:
                    _remove(written)  # the job is not recorded, so no file may stay
                    raise
        except ClinicAppError as exc:
            self.ctx.audit(session, EventCode.EXPORT, "deid.export",
                           outcome=Outcome.MINOR_FAILURE, patient_id=mrn,
                           detail={**audit, "error": type(exc).__name__,
                                   "refused": len(refused)})
            raise
        self.ctx.audit(session, EventCode.EXPORT, "deid.export", patient_id=mrn,
                       detail={**audit, "files": len(written), "records": records})
        return DeidExport(pseudonym.patient_id, tuple(written), bundle, len(study_uids),
                          tuple(notes))

    def _bundle(self, session: Session, db: Database, mrn: str, issuer: str,
                pseudonym: Any, folder: Path, written: list[Path]
                ) -> tuple[Path | None, int, list[str]]:
        if not allowed(session.role, Permission.PATIENTS_VIEW):
            return None, 0, ["The patient's record is not included: your role does not view "
                             "patient records."]
        repo = RecordRepository(db)
        patient = repo.patient_by_mrn(mrn, issuer or None)
        if patient is None:
            return None, 0, ["No patient record with this MRN; images only."]
        latest = repo.latest_all(patient.key, self.ctx.clock())
        observations = [o for name in dict.fromkeys(o.name for o in latest)
                        for o in repo.history(patient.key, name)]
        conditions = repo.all_conditions(patient.key)
        medications = repo.all_medications(patient.key)
        doc = deid_fhir.bundle(patient, pseudonym.patient_id, pseudonym.shift_days,
                               observations, conditions, medications)
        path = folder / BUNDLE_NAME
        try:
            with open(path, "x", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=1)
        except OSError as exc:
            _remove(written)
            raise InvalidInput(translate("services", "The record could not be written ({strerror}).").format(
                                   strerror=exc.strerror)) from None
        return path, len(doc["entry"]), []


def _stored(blobs: BlobStore, blob_id: str, read: Callable[[BinaryIO], Dataset]) -> Dataset:
    """A stored instance through the store's stream (decrypted a chunk at a time if large)."""
    with blobs.open(index.BLOB_KIND, blob_id) as fh:
        return read(fh)


def _write_all(folder: Path, items: Iterable[tuple[int, Dataset]]) -> list[Path]:
    """``STUDY_n/IMG_nnnnn.dcm`` for each; all or nothing, never over an existing file."""
    written: list[Path] = []
    try:
        for count, (study_no, ds) in enumerate(items, 1):
            path = folder / f"STUDY_{study_no}" / f"IMG_{count:05d}.dcm"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as fh:
                written.append(path)
                ds.save_as(fh, enforce_file_format=True)
                fh.flush()
                os.fsync(fh.fileno())
    except FileExistsError:
        _remove(written)
        raise InvalidInput(translate("services", "The folder already holds a de-identified export; choose an empty "
                           "folder.")) from None
    except OSError as exc:
        _remove(written)
        raise InvalidInput(translate("services", "The export could not be written ({strerror}).").format(
                               strerror=exc.strerror)) from None
    except BaseException:  # an instance that cannot be read back: all or nothing still
        _remove(written)
        raise
    return written


def _remove(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)
