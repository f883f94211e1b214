"""PACS nodes: who we talk to, how, and the table that holds them.

Nodes live in the encrypted *system* database, not in the TOML site file, because a
DICOMweb node can carry a password or bearer token and nothing secret may sit in a
plain file (docs/pacs.md). IT adds them from the admin workspace or ``pacs nodes add``.
The workstation's own AE title and listening port are ordinary site settings
(``pacs_ae_title``, ``pacs_port``, ``pacs_listen_host`` in config.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from clinic_app.core.store.database import Database, Row
from clinic_app.errors import InvalidInput

MIGRATIONS = [
    """
    CREATE TABLE pacs_nodes (
        name TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        secret TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )
    """,
]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


class NodeKind(StrEnum):
    DIMSE = "dimse"
    DICOMWEB = "dicomweb"


class RetrieveMethod(StrEnum):
    MOVE = "move"
    GET = "get"
    WADO = "wado"


class WebAuth(StrEnum):
    NONE = "none"
    BASIC = "basic"
    BEARER = "bearer"


def check_ae_title(text: str, what: str = "AE title") -> str:
    """The AE title as sent on the wire, or InvalidInput saying what PS3.5 forbids."""
    value = text.strip()
    if not value:
        raise InvalidInput(f"The {what} is empty; give 1 to 16 characters such as ORTHANC.")
    if len(value) > 16:
        raise InvalidInput(f"The {what} {value!r} is {len(value)} characters; DICOM allows 16.")
    if any(ord(c) < 0x20 or ord(c) > 0x7E or c == "\\" for c in value):
        raise InvalidInput(f"The {what} {value!r} may only hold printable ASCII without '\\'.")
    return value


def check_port(port: int) -> int:
    if not 1 <= port <= 65535:
        raise InvalidInput(f"Port {port} is not a TCP port; give a number from 1 to 65535.")
    return port


@dataclass(frozen=True)
class PacsNode:
    """One remote archive. A DIMSE node has ``ae_title``/``host``/``port``; a DICOMweb
    node has ``url``. ``tls_*`` are file paths of PEM files IT placed (never secret text)."""

    name: str
    kind: NodeKind
    ae_title: str = ""
    host: str = ""
    port: int = 0
    retrieve: RetrieveMethod = RetrieveMethod.MOVE
    tls: bool = False
    tls_ca: str = ""
    tls_cert: str = ""
    tls_key: str = ""
    url: str = ""
    auth: WebAuth = WebAuth.NONE
    username: str = ""
    has_secret: bool = False

    def describe(self) -> str:
        """One line for lists and messages (no secret, ever)."""
        if self.kind is NodeKind.DICOMWEB:
            return f"{self.name} (DICOMweb {self.url}, auth {self.auth.value})"
        tls = ", TLS" if self.tls else ""
        return (f"{self.name} ({self.ae_title} at {self.host}:{self.port}, "
                f"retrieve by C-{self.retrieve.value.upper()}{tls})")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind.value}
        if self.kind is NodeKind.DIMSE:
            data.update(ae_title=self.ae_title, host=self.host, port=self.port,
                        retrieve=self.retrieve.value, tls=self.tls, tls_ca=self.tls_ca,
                        tls_cert=self.tls_cert, tls_key=self.tls_key)
        else:
            data.update(url=self.url, auth=self.auth.value, username=self.username,
                        has_secret=self.has_secret, retrieve=self.retrieve.value)
        return data


def dimse_node(name: str, ae_title: str, host: str, port: int, *,
               retrieve: str = "move", tls_ca: str = "", tls_cert: str = "",
               tls_key: str = "") -> PacsNode:
    """A checked DIMSE node definition (InvalidInput names the bad field)."""
    method = _choice(RetrieveMethod, retrieve, "retrieve method")
    if method is RetrieveMethod.WADO:
        raise InvalidInput("A DIMSE node retrieves by 'move' or 'get'; 'wado' is for DICOMweb.")
    if not host.strip() or any(c.isspace() for c in host.strip()):
        raise InvalidInput(f"The host {host!r} is not a host name or address.")
    if tls_cert and not tls_key:
        raise InvalidInput("A TLS client certificate needs its key file (--tls-key).")
    return PacsNode(name=check_name(name), kind=NodeKind.DIMSE,
                    ae_title=check_ae_title(ae_title), host=host.strip(), port=check_port(port),
                    retrieve=method, tls=bool(tls_ca or tls_cert), tls_ca=tls_ca,
                    tls_cert=tls_cert, tls_key=tls_key)


def web_node(name: str, url: str, *, auth: str = "none", username: str = "") -> PacsNode:
    """A checked DICOMweb node; the password or token is stored separately."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"The DICOMweb URL {url!r} must start with http:// or https:// "
                           "and name a host, e.g. https://pacs.example.org/dicom-web.")
    if parts.username or parts.password:
        raise InvalidInput("Do not put a user name or password in the URL; use --auth and "
                           "--username, and give the password on stdin.")
    method = _choice(WebAuth, auth, "authentication")
    if method is WebAuth.BASIC and not username:
        raise InvalidInput("Basic authentication needs --username.")
    return PacsNode(name=check_name(name), kind=NodeKind.DICOMWEB, url=url.strip().rstrip("/"),
                    auth=method, username=username, retrieve=RetrieveMethod.WADO)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(f"The node name {name!r} must be 1-40 letters, digits, '.', '_' or "
                           "'-', starting with a letter or digit.")
    return name


def _choice(enum: Any, value: str, what: str) -> Any:
    try:
        return enum(value.strip().lower())
    except ValueError:
        choices = ", ".join(repr(e.value) for e in enum)
        raise InvalidInput(f"Unknown {what} {value!r}; choose one of {choices}.") from None


# -- the table ------------------------------------------------------------------------------
def save(db: Database, node: PacsNode, secret: str | None, now: str) -> None:
    """Insert or replace ``node``; ``secret`` None keeps the stored one."""
    definition = {k: v for k, v in node.as_json().items() if k not in ("name", "has_secret")}
    with db.transaction():
        row = db.query_one("SELECT secret FROM pacs_nodes WHERE name = ?", (node.name,))
        kept = row["secret"] if row is not None and secret is None else (secret or "")
        db.execute("INSERT OR REPLACE INTO pacs_nodes(name, definition, secret, updated_at) "
                   "VALUES (?,?,?,?)", (node.name, json.dumps(definition), kept, now))


def remove(db: Database, name: str) -> bool:
    return db.execute("DELETE FROM pacs_nodes WHERE name = ?", (name,)) > 0


def load_all(db: Database) -> list[PacsNode]:
    return [_node(r) for r in db.query("SELECT * FROM pacs_nodes ORDER BY name")]


def load(db: Database, name: str) -> PacsNode | None:
    row = db.query_one("SELECT * FROM pacs_nodes WHERE name = ?", (name,))
    return _node(row) if row is not None else None


def secret_of(db: Database, name: str) -> str:
    row = db.query_one("SELECT secret FROM pacs_nodes WHERE name = ?", (name,))
    return str(row["secret"]) if row is not None else ""


def _node(row: Row) -> PacsNode:
    data = json.loads(row["definition"])
    node = PacsNode(name=row["name"], kind=NodeKind(data["kind"]))
    fields = {k: v for k, v in data.items() if k != "kind"}
    if "retrieve" in fields:
        fields["retrieve"] = RetrieveMethod(fields["retrieve"])
    if "auth" in fields:
        fields["auth"] = WebAuth(fields["auth"])
    return replace(node, **fields, has_secret=bool(row["secret"]))
