"""A real rsyslog audit collector on loopback with TLS from a throw-away test CA.

The collector is Debian's rsyslogd with its gnutls stream driver (rsyslog-gnutls), started
per test in the foreground with a private config, work folder and free port. It writes
each message it receives as one line: MSGID, structured data and the JSON-escaped message.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def make_ca(folder: Path, label: str) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1/localhost: (ca.pem, cert.pem, key.pem)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name(f"{label} test CA")).issuer_name(_name(f"{label} test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, paths[2])
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    msgid: str
    structured_data: str
    message: str


class Collector:
    """rsyslogd listening with TLS on 127.0.0.1; start(), stop(), received()."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca, self.cert, self.key = make_ca(folder / "pki", "collector")
        self.port = free_port()
        self.out = folder / "received.log"
        self._proc: subprocess.Popen[bytes] | None = None
        (folder / "work").mkdir(exist_ok=True)
        self.config = folder / "rsyslog.conf"
        self.config.write_text(f'''
global(workDirectory="{folder / 'work'}"
       maxMessageSize="64k"
       defaultNetstreamDriver="gtls"
       defaultNetstreamDriverCAFile="{self.ca}"
       defaultNetstreamDriverCertFile="{self.cert}"
       defaultNetstreamDriverKeyFile="{self.key}")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" port="{self.port}" address="127.0.0.1")
template(name="line" type="string" string="%msgid%\\t%structured-data%\\t%msg:::json%\\n")
action(type="omfile" file="{self.out}" template="line" flushOnTXEnd="on" asyncWriting="off")
''', encoding="utf-8")

    def start(self) -> None:
        self._proc = subprocess.Popen([RSYSLOGD, "-n", "-f", str(self.config), "-i", str(self.folder / "pid")],
                                      stdout=subprocess.DEVNULL, stderr=(self.folder / "rsyslogd.err").open("ab"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"rsyslogd exited: {(self.folder / 'rsyslogd.err').read_text()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("rsyslogd did not start listening within 20 s")

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=20)
            self._proc = None
            (self.folder / "pid").unlink(missing_ok=True)

    def received(self, at_least: int = 0, timeout_s: float = 20.0) -> list[Received]:
        """Messages written so far, waiting up to ``timeout_s`` for ``at_least`` of them."""
        deadline = time.monotonic() + timeout_s
        while True:
            lines = self.out.read_text(encoding="utf-8").splitlines() if self.out.exists() else []
            if len(lines) >= at_least or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        found = []
        for line in lines:
            msgid, sd, msg = line.split("\t", 2)
            found.append(Received(msgid, sd, json.loads(f'"{msg}"')))
        return found
