"""Syslog over TLS (RFC 5424 messages, RFC 5425 transport) to an audit repository.

TLS is Python's standard ``ssl`` module (OpenSSL) with certificate and host-name checks on;
nothing here implements any part of TLS. The framing is RFC 5425's octet counting
(``MSG-LEN SP SYSLOG-MSG``), so a message may hold line breaks.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clinic_app.errors import AuditForwardError

#: RFC 5424 facility 10 (security/authorization), severity 5 (notice): PRI = 10*8 + 5.
PRI_NOTICE = 85
#: Severity 4 (warning) for failures and security alerts.
PRI_WARNING = 84
#: MSGID that IHE ITI-20 gives audit messages in the DICOM schema.
MSGID = "DICOM+RFC3881"
#: Private enterprise number 32473 is reserved by IANA for documentation (RFC 5612).
SD_ID = "chain@32473"
BOM = "\ufeff"


@dataclass(frozen=True)
class SyslogTarget:
    """An audit repository's syslog-TLS endpoint and the trust to reach it."""

    host: str
    port: int = 6514
    ca_file: Path | None = None       # the collector's CA; None = the system's trust store
    cert_file: Path | None = None     # client certificate, for a collector that asks for one
    key_file: Path | None = None
    timeout_s: float = 10.0


def _sd_value(text: str) -> str:
    """RFC 5424 6.3.3: escape '"', '\\' and ']' in PARAM-VALUE."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def frame(payload_xml: bytes, *, timestamp: str, hostname: str, seq: int, mac_hex: str,
          warning: bool = False, procid: str = "-") -> bytes:
    """One RFC 5424 message carrying ``payload_xml``, octet-counted for RFC 5425."""
    pri = PRI_WARNING if warning else PRI_NOTICE
    sd = f'[{SD_ID} seq="{seq}" mac="{_sd_value(mac_hex)}"]'
    header = f"<{pri}>1 {timestamp} {hostname or '-'} clinic-app {procid} {MSGID} {sd} "
    message = header.encode("utf-8") + BOM.encode("utf-8") + payload_xml
    return str(len(message)).encode("ascii") + b" " + message


#: MSGID of the signed audit checkpoint that follows each forwarded batch.
CHECKPOINT_MSGID = "CLINICAPP-CHECKPOINT"


def checkpoint_frame(checkpoint_json: str, *, timestamp: str, hostname: str) -> bytes:
    """The signed checkpoint (core/security/audit_anchor.py) as one RFC 5424 message, so the
    collector holds the same off-machine anchor ``audit verify --against`` checks."""
    header = f"<{PRI_NOTICE}>1 {timestamp} {hostname or '-'} clinic-app - {CHECKPOINT_MSGID} - "
    message = header.encode("utf-8") + BOM.encode("utf-8") + checkpoint_json.encode("utf-8")
    return str(len(message)).encode("ascii") + b" " + message


def _context(target: SyslogTarget) -> ssl.SSLContext:
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH,
                                             cafile=str(target.ca_file) if target.ca_file else None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if target.cert_file is not None:
            context.load_cert_chain(str(target.cert_file), str(target.key_file) if target.key_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise AuditForwardError(
            f"the audit collector's certificate files could not be read ({type(exc).__name__}); "
            "check audit_syslog_ca / audit_syslog_cert / audit_syslog_key in the site config") from None
    return context


def _close(tls: ssl.SSLSocket) -> None:
    """Send our close_notify and wait for the collector to close in turn.

    Syslog over TLS has no acknowledgement. The collector closing the connection after our
    close_notify means it read the stream to its end; rsyslog closes the TCP connection
    without a close_notify of its own, which OpenSSL reports as an unexpected EOF, and that
    is the answer we wait for here, not a failure.
    """
    try:
        tls.unwrap()
    except ssl.SSLEOFError:
        pass
    except ssl.SSLError as exc:
        if "EOF" not in str(exc.reason):
            raise


def send(target: SyslogTarget, frames: Sequence[bytes]) -> None:
    """Send the frames in order over one TLS connection; raises AuditForwardError if any fails."""
    context = _context(target)
    where = f"{target.host}:{target.port}"
    try:
        with socket.create_connection((target.host, target.port), timeout=target.timeout_s) as raw, \
                context.wrap_socket(raw, server_hostname=target.host) as tls:
            for item in frames:
                tls.sendall(item)
            _close(tls)
    except ssl.SSLCertVerificationError as exc:
        raise AuditForwardError(
            f"the audit collector at {where} presented a certificate that is not trusted "
            f"({exc.verify_message}); nothing was forwarded and the events stay queued") from None
    except ssl.SSLError as exc:
        raise AuditForwardError(f"TLS with the audit collector at {where} failed ({exc.reason}); "
                                "the events stay queued") from None
    except OSError as exc:
        raise AuditForwardError(f"the audit collector at {where} cannot be reached "
                                f"({exc.strerror or type(exc).__name__}); the events stay queued "
                                "and are sent in order when it is back") from None
