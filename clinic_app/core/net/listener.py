"""Our C-STORE SCP: receives instances pushed to us (C-MOVE destinations, sends).

Only configured peers get in. An association from an AE title that is not a configured
node is rejected at negotiation (A-ASSOCIATE-RJ, "calling AE title not recognised");
one from a known AE title but from a host that is not that node's is aborted as soon as
it is established. Both are reported to ``on_refused`` so the service can audit them.

Received instances are routed by StudyInstanceUID to the queue of the retrieve that
asked for them; anything else from a configured peer goes to the ``inbox`` queue, which
the service drains while listening.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pynetdicom import AE, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]

from clinic_app.core.net.dimse import TRANSFER_SYNTAXES, low_latency
from clinic_app.core.net.nodes import NodeKind, PacsNode
from clinic_app.core.net.receive import InstanceQueue
from clinic_app.errors import PacsError

log = logging.getLogger("clinic_app.net")

#: (calling AE title, peer address, reason) -> None; called on the listener's threads.
OnRefused = Callable[[str, str, str], None]


def _addresses(host: str) -> set[str]:
    try:
        return {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return set()


class StorageListener:
    def __init__(self, ae_title: str, host: str, port: int, nodes: Iterable[PacsNode],
                 on_refused: OnRefused, timeout: float = 30.0) -> None:
        self.ae_title = ae_title
        self.host = host
        self.port = port
        self.on_refused = on_refused
        self.timeout = timeout
        self.inbox = InstanceQueue()
        self._peers: dict[str, set[str]] = {}
        self._routes: dict[str, InstanceQueue] = {}
        self._lock = threading.Lock()
        self._server: Any = None
        self.set_nodes(nodes)

    def set_nodes(self, nodes: Iterable[PacsNode]) -> None:
        """Who may call us: each DIMSE node's AE title from that node's host addresses."""
        peers: dict[str, set[str]] = {}
        for n in nodes:
            if n.kind is NodeKind.DIMSE:
                peers.setdefault(n.ae_title, set()).update(_addresses(n.host) or {n.host})
        self._peers = peers
        if self._server is not None:
            self._server.ae.require_calling_aet = sorted(peers) or ["\x00none"]

    # -- routing --------------------------------------------------------------------------
    def route(self, study_uid: str, queue: InstanceQueue) -> None:
        with self._lock:
            self._routes[study_uid] = queue

    def unroute(self, study_uid: str) -> None:
        with self._lock:
            self._routes.pop(study_uid, None)

    # -- server ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            return
        ae = AE(ae_title=self.ae_title)
        ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = self.timeout
        ae.maximum_pdu_size = 0
        for cx in AllStoragePresentationContexts:
            if cx.abstract_syntax is not None:
                ae.add_supported_context(cx.abstract_syntax, list(TRANSFER_SYNTAXES))
        ae.add_supported_context(Verification)
        # An empty list would mean "anyone": with no node configured nobody is accepted.
        ae.require_calling_aet = sorted(self._peers) or ["\x00none"]
        handlers: list[Any] = [(evt.EVT_C_STORE, self._on_store), (evt.EVT_REJECTED, self._on_rejected),
                    (evt.EVT_ESTABLISHED, self._on_established)]
        try:
            self._server = ae.start_server((self.host, self.port), block=False,
                                           evt_handlers=handlers)
        except OSError as exc:
            raise PacsError(f"Cannot listen on {self.host}:{self.port} ({exc.strerror}): another "
                            "program may use the port; set pacs_port in the site config.") from None
        log.info("storage listener on %s:%s as %s", self.host, self.port, self.ae_title)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        self.inbox.close()

    # -- handlers (listener threads) ------------------------------------------------------
    def _on_rejected(self, event: Any) -> None:
        requestor = event.assoc.requestor
        self.on_refused(str(requestor.ae_title).strip(), str(requestor.address),
                        "calling AE title is not a configured node")

    def _on_established(self, event: Any) -> None:
        requestor = event.assoc.requestor
        aet = str(requestor.ae_title).strip()
        address = str(requestor.address)
        allowed = self._peers.get(aet, set())
        if address not in allowed:
            self.on_refused(aet, address, "host is not the configured node's host")
            event.assoc.abort()
            return
        low_latency(event.assoc)

    def _on_store(self, event: Any) -> int:
        data = event.encoded_dataset(include_meta=True)
        queue = self.inbox
        with self._lock:
            routes = dict(self._routes)
        if routes:
            try:
                study = str(event.dataset.get("StudyInstanceUID", ""))
            except Exception:  # unparseable: the importer will say why
                study = ""
            queue = routes.get(study, self.inbox)
        label = f"from {str(event.assoc.requestor.ae_title).strip()}"
        return 0x0000 if queue.put(label, data) else 0xA700
