"""DICOMweb with dicomweb-client: QIDO-RS search, WADO-RS retrieve, STOW-RS send.

WADO-RS asks for ``multipart/related; type="application/dicom"; transfer-syntax=*`` so
the server sends each instance as stored, and the parts are taken as raw bytes from
dicomweb-client's multipart decoder (streamed, never parsed here and re-encoded): the
importer parses each once, as it does a file. requests' exceptions become PacsError.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import requests
from dicomweb_client.api import DICOMwebClient
from pydicom.dataset import Dataset

from clinic_app.core.net.nodes import PacsNode, WebAuth
from clinic_app.core.net.outgoing import Outgoing
from clinic_app.core.net.query import QueryFilter, QueryLevel, QueryMatch, match_from_dataset, qido_params
from clinic_app.core.net.receive import InstanceQueue
from clinic_app.errors import AssociationRejected, PacsError, PacsUnreachable

log = logging.getLogger("clinic_app.net")

ACCEPT_ANY = 'multipart/related; type="application/dicom"; transfer-syntax=*'


class _Session(requests.Session):
    """Sends QIDO wildcards literally: '*' and '?' are legal in a query string, and
    Orthanc's DICOMweb plugin matches '%2A' as a literal asterisk (found in testing)."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if request.url and "?" in request.url:
            base, _, query = request.url.partition("?")
            request.url = base + "?" + query.replace("%2A", "*").replace("%3F", "?")
        return super().send(request, **kwargs)


def client(node: PacsNode, secret: str, timeout: float) -> DICOMwebClient:
    session = _Session()
    if node.auth is WebAuth.BASIC:
        session.auth = (node.username, secret)
    elif node.auth is WebAuth.BEARER:
        session.headers["Authorization"] = f"Bearer {secret}"
    session.request = _with_timeout(session.request, timeout)  # type: ignore[method-assign]
    web = DICOMwebClient(url=node.url, session=session, timeout=timeout)
    # The library's own retry (5 attempts, exponential back-off) also retries a refused
    # connection, which made "PACS down" take 30 s to report; the user retries instead.
    web.set_http_retry_params(retry=False)
    return web


def _with_timeout(request: Callable[..., Any], timeout: float) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout)
        return request(*args, **kwargs)
    return call


class _Errors:
    """Maps requests' failures to the messages a person can act on."""

    def __init__(self, node: PacsNode, what: str) -> None:
        self.node = node
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if exc is None or not isinstance(exc, Exception):
            return
        n = self.node
        if isinstance(exc, requests.HTTPError) and exc.response is not None:
            code = exc.response.status_code
            if code in (401, 403):
                raise AssociationRejected(
                    f"{n.name} refused the {self.what} (HTTP {code}): check the user name and "
                    "password or token stored for this node.") from None
            raise PacsError(f"{n.name} failed the {self.what} (HTTP {code}).") from None
        if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
            raise PacsUnreachable(f"{n.name} ({n.url}) did not answer during the {self.what}: "
                                  "the server may be down or the URL wrong. Retry.") from None
        if isinstance(exc, (requests.RequestException, ValueError)):
            raise PacsError(f"{n.name} sent an answer that cannot be read during the "
                            f"{self.what} ({type(exc).__name__}).") from None


def ping(node: PacsNode, secret: str, timeout: float) -> None:
    """A QIDO-RS search for one study: proves the URL, the service and the credentials."""
    with _Errors(node, "connection check"):
        client(node, secret, timeout).search_for_studies(limit=1)


def search(node: PacsNode, secret: str, timeout: float, flt: QueryFilter,
           limit: int = 1000) -> list[QueryMatch]:
    cl = client(node, secret, timeout)
    params = qido_params(flt)
    with _Errors(node, "search"):
        if flt.level is QueryLevel.SERIES:
            rows = cl.search_for_series(study_instance_uid=flt.study_uid, search_filters=params,
                                        limit=limit)
        elif flt.level is QueryLevel.STUDY:
            rows = cl.search_for_studies(search_filters=params, limit=limit,
                                         fields=["PatientBirthDate", "PatientSex",
                                                 "NumberOfStudyRelatedInstances",
                                                 "StudyDescription"])
        else:
            rows = cl.search_for_patients(search_filters=params, limit=limit) \
                if hasattr(cl, "search_for_patients") else []
    return [match_from_dataset(flt.level, Dataset.from_json(row)) for row in rows]


class WebRetrieval:
    """WADO-RS of a study (or one series), streamed part by part into the queue."""

    def __init__(self, node: PacsNode, secret: str, timeout: float, study_uid: str,
                 series_uid: str = "") -> None:
        self.node = node
        self.study_uid = study_uid
        self.series_uid = series_uid
        self._client = client(node, secret, timeout)
        self._response: requests.Response | None = None
        self.completed = 0

    def abort(self) -> None:
        if self._response is not None:
            self._response.close()

    def run(self, queue: InstanceQueue) -> int:
        url = f"{self.node.url}/studies/{self.study_uid}"
        if self.series_uid:
            url += f"/series/{self.series_uid}"
        with _Errors(self.node, "retrieve"):
            self._response = self._client._http_get(url, headers={"Accept": ACCEPT_ANY},
                                                    stream=True)
            for part in self._client._decode_multipart_message(self._response, stream=True):
                if not queue.put(self.node.name, bytes(part)):
                    break
                self.completed += 1
        return self.completed


def store(node: PacsNode, secret: str, timeout: float, items: Sequence[Outgoing]) -> tuple[int, int]:
    """STOW-RS; returns (stored, failed) from the server's answer.

    One request carries the whole study, so every instance is read before it is sent
    (DIMSE reads them one at a time).
    """
    datasets = [item.load() for item in items]
    with _Errors(node, "send"):
        answer = client(node, secret, timeout).store_instances(datasets)
    failed = len(answer.get("FailedSOPSequence", []) or []) if answer is not None else 0
    return len(datasets) - failed, failed
