"""DIMSE as a service user with pynetdicom: C-ECHO, C-FIND, C-GET, C-MOVE and C-STORE.

Every association goes through :func:`associate`, which turns what can go wrong before
any DICOM is exchanged into two errors a person can act on: the PACS did not answer
(:class:`PacsUnreachable`, retry later) or it answered and refused us
(:class:`AssociationRejected`, fix the AE titles). A retrieve is a producer
(:class:`~clinic_app.core.net.receive.Transfer`) filling an
:class:`~clinic_app.core.net.receive.InstanceQueue`; C-GET receives the instances on its
own association, C-MOVE asks the PACS to send them to our listener.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydicom.dataset import Dataset
from pynetdicom import AE, build_context, build_role, evt
from pynetdicom.association import Association
from pynetdicom.presentation import PresentationContext
from pynetdicom.sop_class import (  # type: ignore[attr-defined]
    PatientRootQueryRetrieveInformationModelFind,
    StudyRootQueryRetrieveInformationModelFind,
    StudyRootQueryRetrieveInformationModelGet,
    StudyRootQueryRetrieveInformationModelMove,
    Verification,
)

from clinic_app.core.net.nodes import PacsNode
from clinic_app.core.net.outgoing import Outgoing
from clinic_app.core.net.query import QueryFilter, QueryLevel, QueryMatch, identifier, match_from_dataset
from clinic_app.core.net.receive import InstanceQueue
from clinic_app.errors import AssociationRejected, PacsError, PacsUnreachable

log = logging.getLogger("clinic_app.net")

#: What we accept for stored instances: the native syntaxes and every compression the
#: importer can at least store (decoding is the viewer's business, as for files).
TRANSFER_SYNTAXES: tuple[str, ...] = (
    "1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
    "1.2.840.10008.1.2.5",
)

#: Storage SOP classes proposed for C-GET when the PACS does not list a study's classes.
COMMON_STORAGE = (
    "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.4",
    "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1",
    "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.7",
    "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.88.11",
    "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33",
    "1.2.840.10008.5.1.4.1.1.88.59", "1.2.840.10008.5.1.4.1.1.66.4",
    "1.2.840.10008.5.1.4.1.1.11.1", "1.2.840.10008.5.1.4.1.1.3.1",
)

_PENDING = (0xFF00, 0xFF01)
_CANCELLED = 0xFE00


@dataclass(frozen=True)
class Caller:
    """Who we are on an association: our AE title and how long we wait for the peer."""

    ae_title: str
    timeout: float = 30.0


def tls_context(node: PacsNode) -> tuple[ssl.SSLContext, str] | None:
    """Client TLS for a node with ``tls`` (server verified against ``tls_ca``)."""
    if not node.tls:
        return None
    try:
        ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH,
                                         cafile=node.tls_ca or None)
        if node.tls_cert:
            ctx.load_cert_chain(node.tls_cert, node.tls_key or None)
    except (OSError, ssl.SSLError) as exc:
        raise PacsError(f"The TLS files for {node.name} cannot be used "
                        f"({type(exc).__name__}); check --tls-ca/--tls-cert/--tls-key.") from None
    return ctx, node.host


def associate(node: PacsNode, caller: Caller, contexts: Sequence[PresentationContext], *,
              roles: Iterable[Any] = (),
              handlers: list[Any] | None = None) -> Association:
    """An established association with ``node`` or a PacsError saying what to do."""
    ae = AE(ae_title=caller.ae_title)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = caller.timeout
    ae.connection_timeout = min(caller.timeout, 10.0)
    ae.maximum_pdu_size = 0  # unlimited: fewer, larger PDUs for images
    ae.requested_contexts = list(contexts)
    try:
        assoc = ae.associate(node.host, node.port, ae_title=node.ae_title,
                             ext_neg=list(roles) or None, tls_args=tls_context(node),
                             evt_handlers=handlers or None, max_pdu=0)
    except (OSError, ssl.SSLError) as exc:
        raise PacsUnreachable(_unreachable(node, type(exc).__name__)) from None
    if assoc.is_established:
        low_latency(assoc)
        return assoc
    if assoc.is_rejected:
        raise AssociationRejected(
            f"{node.name} refused the association (we called AE title {node.ae_title!r} as "
            f"{caller.ae_title!r}): check the node's AE title, and ask the PACS administrator "
            f"to register {caller.ae_title} with this workstation's host and port.")
    raise PacsUnreachable(_unreachable(node, "no answer"))


def low_latency(assoc: Association) -> None:
    """Let the association's reactor poll without its 1 ms nap between events.

    pynetdicom's DUL loop sleeps ``_run_loop_delay`` whenever no event is waiting; with
    16 KiB PDUs (Orthanc's default) a 512² slice is ~32 PDUs, and the naps made a C-GET
    1.5-2x slower (benchmarks/pacs_retrieve.py). Associations here are short-lived, so
    the extra polling lasts only as long as the transfer.
    """
    dul = getattr(assoc, "dul", None)
    if dul is not None and hasattr(dul, "_run_loop_delay"):
        dul._run_loop_delay = 0.0


def _unreachable(node: PacsNode, why: str) -> str:
    return (f"{node.name} ({node.host}:{node.port}) did not answer ({why}): the PACS may be "
            "down or the host/port wrong. Check the node and retry.")


def echo(node: PacsNode, caller: Caller) -> None:
    assoc = associate(node, caller, [build_context(Verification)])
    try:
        status = assoc.send_c_echo()
    finally:
        assoc.release()
    code = int(status.get("Status", -1)) if status else -1
    if code != 0:
        raise PacsError(f"{node.name} answered the echo with status {_hex(code)}.")


def find(node: PacsNode, caller: Caller, flt: QueryFilter, *, limit: int = 1000) -> list[QueryMatch]:
    """C-FIND at the filter's level; at most ``limit`` matches (the rest are cancelled)."""
    model = (PatientRootQueryRetrieveInformationModelFind if flt.level is QueryLevel.PATIENT
             else StudyRootQueryRetrieveInformationModelFind)
    assoc = associate(node, caller, [build_context(model)])
    out: list[QueryMatch] = []
    try:
        responses = assoc.send_c_find(identifier(flt), model)
        for status, ds in responses:
            code = _status(node, status, "search")
            if code in _PENDING and ds is not None:
                out.append(match_from_dataset(flt.level, ds))
                if len(out) >= limit:
                    assoc.send_c_cancel(1, None, model)
            elif code not in (0, _CANCELLED):
                raise PacsError(f"{node.name} failed the search (status {_hex(code)}).")
    finally:
        assoc.release()
    return out


def sop_classes_in_study(node: PacsNode, caller: Caller, study_uid: str) -> list[str]:
    """The storage classes a study holds (SOPClassesInStudy), or [] if not answered."""
    model = StudyRootQueryRetrieveInformationModelFind
    ds = Dataset()
    ds.QueryRetrieveLevel = "STUDY"
    ds.StudyInstanceUID = study_uid
    ds.SOPClassesInStudy = ""
    ds.NumberOfStudyRelatedInstances = ""
    assoc = associate(node, caller, [build_context(model)])
    classes: list[str] = []
    try:
        for status, answer in assoc.send_c_find(ds, model):
            if _status(node, status, "search") in _PENDING and answer is not None:
                value = answer.get("SOPClassesInStudy", "")
                # One class is a str, several a pydicom MultiValue (neither list nor tuple).
                values = str(value).split("\\") if isinstance(value, str) else list(value)
                classes += [str(v).strip() for v in values if str(v).strip()]
    finally:
        assoc.release()
    return list(dict.fromkeys(classes))


def _study_key(study_uid: str) -> Dataset:
    ds = Dataset()
    ds.QueryRetrieveLevel = "STUDY"
    ds.StudyInstanceUID = study_uid
    return ds


def store_handler(queue: InstanceQueue, label: str) -> Callable[[Any], int]:
    """A C-STORE handler that queues the encoded instance (0xA700 once cancelled)."""
    def handle(event: Any) -> int:
        data = event.encoded_dataset(include_meta=True)
        return 0x0000 if queue.put(label, data) else 0xA700
    return handle


class Retrieval:
    """One C-GET or C-MOVE of a study, run on the producer thread by ``run``."""

    def __init__(self, node: PacsNode, caller: Caller, study_uid: str, *,
                 move_to: str = "", sop_classes: Sequence[str] = ()) -> None:
        self.node = node
        self.caller = caller
        self.study_uid = study_uid
        self.move_to = move_to
        self.sop_classes = list(sop_classes) or list(COMMON_STORAGE)
        self._assoc: Association | None = None
        self.completed = 0
        self.failed = 0
        self.remaining: int | None = None

    def abort(self) -> None:
        """Cancel from another thread: the association is aborted (A-ABORT)."""
        if self._assoc is not None:
            self._assoc.abort()

    def run(self, queue: InstanceQueue) -> int:
        if self.move_to:
            model = StudyRootQueryRetrieveInformationModelMove
            self._assoc = associate(self.node, self.caller, [build_context(model)])
            responses = self._assoc.send_c_move(_study_key(self.study_uid), self.move_to, model)
        else:
            model = StudyRootQueryRetrieveInformationModelGet
            contexts = [build_context(model)]
            classes = self.sop_classes[:127]
            contexts += [build_context(c, list(TRANSFER_SYNTAXES)) for c in classes]
            roles = [build_role(c, scp_role=True) for c in classes]
            handlers = [(evt.EVT_C_STORE, store_handler(queue, self.node.name))]
            self._assoc = associate(self.node, self.caller, contexts, roles=roles,
                                    handlers=handlers)
            responses = self._assoc.send_c_get(_study_key(self.study_uid), model)
        final = -1
        try:
            for status, _ds in responses:
                code = _status(self.node, status, "retrieve")
                self.remaining = _int(status, "NumberOfRemainingSuboperations", self.remaining)
                self.completed = _int(status, "NumberOfCompletedSuboperations", self.completed) or 0
                self.failed = _int(status, "NumberOfFailedSuboperations", self.failed) or 0
                final = code
        finally:
            if self._assoc.is_established:
                self._assoc.release()
        if final == 0:
            return self.completed
        if final == _CANCELLED:
            raise PacsError(f"{self.node.name} cancelled the retrieve.")
        if final == 0xB000:
            raise PacsError(f"{self.node.name} sent {self.completed} instance(s) but "
                            f"{self.failed} failed; the study is incomplete. Retry.")
        if final == 0xA801:
            raise PacsError(f"{self.node.name} does not know our AE title "
                            f"{self.move_to!r} as a C-MOVE destination; ask its administrator "
                            "to register this workstation (AE title, host, port).")
        raise PacsError(f"{self.node.name} failed the retrieve (status {_hex(final)}).")


def send(node: PacsNode, caller: Caller, items: Sequence[Outgoing],
         progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """C-STORE each instance in its own transfer syntax, read one at a time; (sent, failed)."""
    pairs = list(dict.fromkeys((item.sop_class, item.transfer_syntax) for item in items))
    if len(pairs) > 128:
        raise PacsError("Too many kinds of instance to send in one association (over 128).")
    assoc = associate(node, caller, [build_context(c, [ts]) for c, ts in pairs])
    sent = failed = 0
    try:
        for n, item in enumerate(items, start=1):
            code = _status(node, assoc.send_c_store(item.load()), "send")
            if code == 0 or (code & 0xF000) == 0xB000:
                sent += 1
            else:
                failed += 1
            if progress is not None:
                progress(n, len(items))
    finally:
        if assoc.is_established:
            assoc.release()
    return sent, failed


def _status(node: PacsNode, status: Dataset, what: str) -> int:
    if not status or "Status" not in status:
        raise PacsUnreachable(f"The connection to {node.name} was lost during the {what}; "
                              "nothing partial is marked complete. Retry.")
    return int(status.Status)


def _int(status: Dataset, keyword: str, default: int | None) -> int | None:
    value = status.get(keyword)
    return int(value) if value is not None and str(value) != "" else default


def _hex(code: int) -> str:
    return f"0x{code:04X}" if code >= 0 else "none"
