"""PACS use cases: nodes, echo, search, retrieve into the encrypted store, send, listen.

Permissions follow import: retrieving puts studies into the store, so it needs
``dicom.import`` (radiologists); searching a PACS shows patient names, so it is a
radiologist's act too; IT manages nodes and may verify them (echo) but never sees a
search result. Audit follows DICOM PS3.15 A.5 with the remote node named in ``object``:
110112 Query for a search, 110102 Begin Transferring when a retrieve or send starts and
110104 DICOM Instances Transferred when it ends (success or not, with counts), 110113
Security Alert for node changes and for a peer our listener refused.

Received instances go from the network to memory to the importer (``core/net/receive``,
batched by ``pacs_intake``) on the caller's thread, which owns the session's store;
nothing is written in plaintext. The reports it returns are in ``pacs_types``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from clinic_app.core.clock import iso
from clinic_app.core.imaging import index
from clinic_app.core.imaging.importer import ImportTally
from clinic_app.core.net import dimse, nodes, retrievals, web
from clinic_app.core.net.listener import StorageListener
from clinic_app.core.net.nodes import NodeKind, PacsNode, RetrieveMethod
from clinic_app.core.net.outgoing import Outgoing, stored_study
from clinic_app.core.net.query import QueryFilter, QueryLevel, QueryMatch
from clinic_app.core.net.receive import InstanceQueue, Transfer
from clinic_app.core.net.retrievals import RetrieveState
from clinic_app.core.security.audit import EventCode, Outcome
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.errors import ClinicAppError, InvalidInput, PacsError
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.imaging import ImagingService
from clinic_app.services.imaging_types import ImportReport
from clinic_app.services.pacs_intake import drain, wait_until_cancelled
from clinic_app.services.pacs_types import ResultSource, RetrieveReport, SendReport
from clinic_app.services.session import Session


class PacsService:
    def __init__(self, ctx: ServiceContext, imaging: ImagingService | None = None) -> None:
        self.ctx = ctx
        #: Whose ``after_import`` hooks (auto-analysis, site policy) run on a complete retrieve.
        self.imaging = imaging
        self._listener: StorageListener | None = None
        self.result_sources: list[ResultSource] = []

    # -- nodes (IT) -------------------------------------------------------------------------
    def add_node(self, session: Session, node: PacsNode, secret: str | None = None) -> PacsNode:
        """Add or replace a node; ``secret`` (password/token) None keeps the stored one."""
        self.ctx.begin(session, Permission.PACS_NODES_MANAGE, object=node.name)
        nodes.check_name(node.name)
        assert session.system is not None
        nodes.save(session.system, node, secret, iso(self.ctx.clock()))
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "pacs.node.save", object=node.name,
                       detail={"kind": node.kind.value, "secret_changed": secret is not None})
        self._refresh_listener(session)
        return self._load(session, node.name)

    def remove_node(self, session: Session, name: str) -> None:
        self.ctx.begin(session, Permission.PACS_NODES_MANAGE, object=name)
        assert session.system is not None
        if not nodes.remove(session.system, name):
            raise InvalidInput(translate("services", "There is no PACS node {name!r}; 'pacs nodes list' "
                                                     "shows them.").format(name=name))
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "pacs.node.remove", object=name)
        self._refresh_listener(session)

    def list_nodes(self, session: Session) -> list[PacsNode]:
        self.ctx.begin(session, Permission.PACS_ECHO)
        assert session.system is not None
        return nodes.load_all(session.system)

    def _load(self, session: Session, name: str) -> PacsNode:
        assert session.system is not None
        node = nodes.load(session.system, name)
        if node is None:
            raise InvalidInput(translate("services", "There is no PACS node {name!r}; 'pacs nodes list' "
                                                     "shows them (IT adds them with 'pacs nodes add').").format(
                                   name=name))
        return node

    def _secret(self, session: Session, node: PacsNode) -> str:
        assert session.system is not None
        return nodes.secret_of(session.system, node.name) if node.has_secret else ""

    def _now(self) -> str:
        return iso(self.ctx.clock())

    @property
    def _caller(self) -> dimse.Caller:
        s = self.ctx.settings
        return dimse.Caller(s.pacs_ae_title, s.pacs_timeout_seconds)

    # -- echo ---------------------------------------------------------------------------------
    def echo(self, session: Session, name: str) -> float:
        """C-ECHO (or a QIDO-RS ping); the round trip in milliseconds, or PacsError."""
        self.ctx.begin(session, Permission.PACS_ECHO, object=name)
        node = self._load(session, name)
        start = time.perf_counter()
        try:
            if node.kind is NodeKind.DIMSE:
                dimse.echo(node, self._caller)
            else:
                web.ping(node, self._secret(session, node), self.ctx.settings.pacs_timeout_seconds)
        except PacsError as exc:
            self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "pacs.echo", object=name,
                           outcome=Outcome.MINOR_FAILURE, detail={"error": type(exc).__name__})
            raise
        ms = (time.perf_counter() - start) * 1000
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "pacs.echo", object=name,
                       detail={"ms": round(ms, 1)})
        return ms

    # -- search -------------------------------------------------------------------------------
    def find(self, session: Session, name: str, flt: QueryFilter) -> list[QueryMatch]:
        """C-FIND or QIDO-RS; audited as 110112 Query with the node and the level."""
        self.ctx.begin(session, Permission.PACS_QUERY, object=name)
        node = self._load(session, name)
        outcome, matches = Outcome.SERIOUS_FAILURE, list[QueryMatch]()
        try:
            if node.kind is NodeKind.DIMSE:
                matches = dimse.find(node, self._caller, flt)
            else:
                matches = web.search(node, self._secret(session, node),
                                     self.ctx.settings.pacs_timeout_seconds, flt)
            outcome = Outcome.SUCCESS
            return matches
        finally:
            self.ctx.audit(session, EventCode.QUERY, "pacs.find", object=name, outcome=outcome,
                           patient_id=flt.patient_id, study_uid=flt.study_uid,
                           detail={"level": flt.level.value, "matches": len(matches),
                                   "filters": sorted(k for k, v in (
                                       ("name", flt.patient_name), ("id", flt.patient_id),
                                       ("accession", flt.accession), ("modality", flt.modality),
                                       ("date", flt.dicom_date)) if v)})

    def priors(self, session: Session, name: str, patient_id: str) -> list[QueryMatch]:
        """The patient's studies on the PACS, newest first (for the priors list)."""
        self.ctx.begin(session, Permission.PACS_QUERY, object=name)
        if not patient_id:
            raise InvalidInput(translate("services", "Cannot list priors: the open study has no patient ID."))
        found = self.find(session, name, QueryFilter(patient_id=patient_id))
        return sorted(found, key=lambda m: m.study_date, reverse=True)

    # -- retrieve -----------------------------------------------------------------------------
    def retrieve(self, session: Session, name: str, study_uid: str, *,
                 progress: Progress = no_progress,
                 cancel: CancelToken = NEVER_CANCELLED) -> RetrieveReport:
        """Fetch a study into the encrypted store by the node's method (C-MOVE, C-GET, WADO-RS).

        The study appears (flagged ``retrieving``) as its first batch is stored and is marked
        complete only when the PACS reports success; cancel, failure or a dropped connection
        leave it ``retrieve_incomplete`` and a retry adds only what is missing.
        """
        self.ctx.begin(session, Permission.DICOM_IMPORT, object=name)
        if not study_uid.strip():
            raise InvalidInput(translate("services", "Give the study UID to retrieve ('pacs find' lists them)."))
        node = self._load(session, name)
        db, blobs = session.clinical, session.blobs
        assert db is not None and blobs is not None
        timeout = self.ctx.settings.pacs_timeout_seconds
        progress(0, 0, f"Asking {name} for the study")
        queue = InstanceQueue()
        expected: int | None = None
        temporary_listener = False
        if node.kind is NodeKind.DICOMWEB:
            job: Any = web.WebRetrieval(node, self._secret(session, node), timeout, study_uid)
        else:
            classes, expected = self._study_contents(node, study_uid)
            if node.retrieve is RetrieveMethod.GET:
                job = dimse.Retrieval(node, self._caller, study_uid, sop_classes=classes)
            else:
                temporary_listener = self._listener is None or not self._listener.running
                listener = self.start_listener(session)
                listener.route(study_uid, queue)
                job = dimse.Retrieval(node, self._caller, study_uid,
                                      move_to=self.ctx.settings.pacs_ae_title)
        method = node.retrieve.value
        with db.transaction():
            retrievals.record(db, study_uid, name, RetrieveState.RETRIEVING, expected=expected,
                              received=0, now=iso(self.ctx.clock()))
        self.ctx.audit(session, EventCode.BEGIN_TRANSFERRING, "pacs.retrieve.begin", object=name,
                       study_uid=study_uid, detail={"method": method, "expected": expected})
        transfer = Transfer(job.run, queue, stop=job.abort).start()
        tally = ImportTally()
        error: BaseException | None = None
        cancelled = False
        try:
            cancelled = drain(session, queue, transfer, tally, study_uid=study_uid,
                              expected=expected, message=f"Retrieving from {name}",
                              now=self._now, progress=progress, cancel=cancel)
            if not cancelled:
                transfer.result(timeout)
        except BaseException as exc:
            error = exc
            transfer.stop()
        finally:
            if self._listener is not None:
                self._listener.unroute(study_uid)
                if temporary_listener:
                    self.stop_listener()
        complete = error is None and not cancelled
        state = RetrieveState.COMPLETE if complete else RetrieveState.INCOMPLETE
        received = queue.received
        with db.transaction():
            retrievals.record(db, study_uid, name, state, expected=expected,
                              received=received, now=iso(self.ctx.clock()))
        patient = next(iter(tally.studies.values())).patient_id if tally.studies else ""
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_TRANSFERRED, "pacs.retrieve",
                       object=name, study_uid=study_uid, patient_id=patient,
                       outcome=Outcome.SUCCESS if complete else
                       Outcome.MINOR_FAILURE if cancelled else Outcome.SERIOUS_FAILURE,
                       detail={"method": method, "received": received,
                               "imported": tally.imported, "duplicates": tally.duplicates,
                               "skipped": len(tally.skipped), "cancelled": cancelled,
                               "error": type(error).__name__ if error else None})
        if error is not None:
            raise error
        if complete and tally.imported and self.imaging is not None:
            self._after_import(session, tally, progress, cancel)
        return RetrieveReport(name, study_uid, method, received, tally.imported,
                              tally.duplicates, tuple((s.path, s.reason) for s in tally.skipped),
                              state, cancelled)

    def _after_import(self, session: Session, tally: ImportTally, progress: Progress,
                      cancel: CancelToken) -> None:
        """Hand the retrieved study to the import hooks (e.g. analysis on arrival)."""
        assert self.imaging is not None and session.clinical is not None
        studies = tuple(s for s in (self.imaging._study_totals(session.clinical, uid)
                                    for uid in tally.studies) if s)
        report = ImportReport(imported=tally.imported, duplicates=tally.duplicates,
                              studies=studies, skipped=tuple(tally.skipped), files=tally.files)
        for hook in self.imaging.after_import:
            hook(session, report, progress, cancel)

    def _study_contents(self, node: PacsNode, study_uid: str) -> tuple[list[str], int | None]:
        """(SOP classes, instance count) the PACS reports for the study."""
        flt = QueryFilter(level=QueryLevel.STUDY, study_uid=study_uid)
        found = dimse.find(node, self._caller, flt)
        if not found:
            raise InvalidInput(translate("services", "{name} has no study with this UID; 'pacs find' lists "
                                                     "its studies.").format(name=node.name))
        classes = dimse.sop_classes_in_study(node, self._caller, study_uid)
        return classes, found[0].instances

    def retrieve_state(self, session: Session, study_uid: str) -> RetrieveState | None:
        self.ctx.begin(session, Permission.STUDIES_VIEW)
        assert session.clinical is not None
        return retrievals.state_of(session.clinical, study_uid)

    # -- send ---------------------------------------------------------------------------------
    def send_study(self, session: Session, name: str, study_uid: str, *,
                   progress: Progress = no_progress) -> SendReport:
        """C-STORE (or STOW-RS) every stored instance of a study to ``name``."""
        self.ctx.begin(session, Permission.PACS_SEND, object=name)
        db, blobs = session.clinical, session.blobs
        assert db is not None and blobs is not None
        series = index.series_rows(db, study_uid)
        if not series:
            raise InvalidInput(translate("services", "No study with this UID in the store; 'studies list' "
                                                     "shows them."))
        items = stored_study(db, blobs, [str(s["series_uid"]) for s in series])
        study = index.study_rows(db, study_uid=study_uid)
        patient = str(study[0]["patient_id"]) if study else ""
        return self._send(session, name, items, study_uid, patient, progress)

    def send_results(self, session: Session, name: str, study_uid: str, *,
                     progress: Progress = no_progress) -> SendReport:
        """Send the study's results (from every registered :data:`ResultSource`)."""
        self.ctx.begin(session, Permission.PACS_SEND, object=name)
        if not self.result_sources:
            raise InvalidInput(translate("services", "No result writer is installed in this version, so there are no "
                               "results to send; send the study itself without --results."))
        items = [item for source in self.result_sources for item in source(session, study_uid)]
        if not items:
            raise InvalidInput(translate("services", "This study has no results to send yet (no report, "
                               "segmentation or key images saved)."))
        return self.send_datasets(session, name, items, progress=progress)

    def send_datasets(self, session: Session, name: str,
                      items: Sequence[Dataset | Path | bytes], *,
                      progress: Progress = no_progress) -> SendReport:
        """Send new objects (SR, SEG, KO from the DICOM output writers) to ``name``.

        Each item is a pydicom Dataset with file meta, a Part 10 file path, or its bytes.
        """
        self.ctx.begin(session, Permission.PACS_SEND, object=name)
        datasets = [item if isinstance(item, Dataset) else
                    _read(item if isinstance(item, bytes) else Path(item).read_bytes(), str(item))
                    for item in items]
        if not datasets:
            raise InvalidInput(translate("services", "Nothing to send."))
        study_uid = str(datasets[0].get("StudyInstanceUID", ""))
        patient = str(datasets[0].get("PatientID", ""))
        return self._send(session, name, [Outgoing.of(ds) for ds in datasets], study_uid,
                          patient, progress)

    def _send(self, session: Session, name: str, items: list[Outgoing], study_uid: str,
              patient: str, progress: Progress) -> SendReport:
        node = self._load(session, name)
        self.ctx.audit(session, EventCode.BEGIN_TRANSFERRING, "pacs.send.begin", object=name,
                       study_uid=study_uid, patient_id=patient,
                       detail={"instances": len(items)})
        sent = failed = 0
        error: ClinicAppError | None = None
        try:
            if node.kind is NodeKind.DIMSE:
                sent, failed = dimse.send(node, self._caller, items,
                                          lambda d, t: progress(d, t, f"Sending to {name}"))
            else:
                sent, failed = web.store(node, self._secret(session, node),
                                         self.ctx.settings.pacs_timeout_seconds, items)
        except ClinicAppError as exc:  # the PACS's failure, or a stored instance unreadable
            error = exc
        self.ctx.audit(session, EventCode.DICOM_INSTANCES_TRANSFERRED, "pacs.send", object=name,
                       study_uid=study_uid, patient_id=patient,
                       outcome=Outcome.SUCCESS if error is None and not failed
                       else Outcome.SERIOUS_FAILURE,
                       detail={"sent": sent, "failed": failed,
                               "error": type(error).__name__ if error else None})
        if error is not None:
            raise error
        return SendReport(name, sent, failed)

    # -- listener -----------------------------------------------------------------------------
    def start_listener(self, session: Session) -> StorageListener:
        """Start (or return) our C-STORE SCP; refusals are audited as 110113 alerts."""
        self.ctx.begin(session, Permission.DICOM_IMPORT)
        if self._listener is not None and self._listener.running:
            return self._listener
        s = self.ctx.settings
        assert session.system is not None
        configured = nodes.load_all(session.system)
        if not any(n.kind is NodeKind.DIMSE for n in configured):
            raise InvalidInput(translate("services", "No DIMSE node is configured, so no PACS could send to this "
                               "workstation; IT adds one with 'pacs nodes add'."))

        def refused(aet: str, address: str, reason: str) -> None:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "pacs.association.refused",
                           outcome=Outcome.MINOR_FAILURE, object=aet,
                           detail={"calling_ae": aet, "address": address, "reason": reason})

        self._listener = StorageListener(s.pacs_ae_title, s.pacs_listen_host, s.pacs_port,
                                         configured, refused,
                                         s.pacs_timeout_seconds)
        self._listener.start()
        return self._listener

    def stop_listener(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _refresh_listener(self, session: Session) -> None:
        if self._listener is not None and session.system is not None:
            self._listener.set_nodes(nodes.load_all(session.system))

    def listen(self, session: Session, *, progress: Progress = no_progress,
               cancel: CancelToken = NEVER_CANCELLED) -> ImportTally:
        """Store what configured peers push to us until ``cancel``; what was imported."""
        listener = self.start_listener(session)
        tally = ImportTally()
        stopper = Transfer(lambda q: wait_until_cancelled(cancel), listener.inbox).start()
        try:
            drain(session, listener.inbox, stopper, tally, study_uid="", expected=None,
                  message="Receiving", now=self._now, progress=progress, cancel=NEVER_CANCELLED)
        finally:
            self.stop_listener()
        if tally.files:
            self.ctx.audit(session, EventCode.IMPORT, "pacs.receive",
                           detail={"received": tally.files, "imported": tally.imported,
                                   "duplicates": tally.duplicates,
                                   "skipped": len(tally.skipped)})
        return tally


def _read(data: bytes, label: str) -> Dataset:
    try:
        return dcmread(io.BytesIO(data))
    except (InvalidDicomError, ValueError, EOFError, KeyError, TypeError) as exc:
        raise InvalidInput(translate("services", "An instance to send cannot be read as DICOM ({name__}).").format(
                               name__=type(exc).__name__)
                           ) from None
