"""DICOM TLS to a real Orthanc: verified against the site's CA, refused without it."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.net.nodes import dimse_node
from clinic_app.core.net.query import QueryFilter
from clinic_app.errors import PacsError
from clinic_app.services import Services
from clinic_app.synthetic.dicom_series import write_ct_series
from tests.conftest import PASSWORDS, StoreFixture
from tests.pacs.orthanc import Orthanc, free_port


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_orthanc(tmp_path: Path):  # type: ignore[no-untyped-def]
    server_cert, server_key = _self_signed(tmp_path, "orthanc")
    client_cert, client_key = _self_signed(tmp_path, "workstation")
    server = Orthanc(tmp_path / "orthanc-tls", free_port(), free_port())
    server.extra = {"DicomTlsEnabled": True, "DicomTlsCertificate": str(server_cert),
                    "DicomTlsPrivateKey": str(server_key),
                    "DicomTlsTrustedCertificates": str(client_cert),
                    "DicomTlsRemoteCertificateRequired": True}
    server.start()
    yield server, server_cert, client_cert, client_key
    server.cleanup()


def test_tls_node_echoes_and_searches(store: StoreFixture, tls_orthanc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With the PACS's CA and our client certificate, echo and C-FIND work over TLS;
    the same node without TLS, or without our certificate, is refused."""
    server, server_cert, client_cert, client_key = tls_orthanc
    series = write_ct_series(tmp_path / "ct", slices=2, rows=32, cols=32)
    server.upload(series.paths)
    services = Services(Settings(store_dir=store.root, log_dir=tmp_path / "logs",
                                 pacs_port=free_port()), clock=ManualClock())
    admin = services.auth.login("admin", PASSWORDS["admin"])
    port = server.dicom_port
    services.pacs.add_node(admin, dimse_node("tls", "ORTHANC", "127.0.0.1", port,
                                             tls_ca=str(server_cert), tls_cert=str(client_cert),
                                             tls_key=str(client_key)))
    services.pacs.add_node(admin, dimse_node("plain", "ORTHANC", "127.0.0.1", port))
    services.pacs.add_node(admin, dimse_node("anonymous", "ORTHANC", "127.0.0.1", port,
                                             tls_ca=str(server_cert)))
    assert services.pacs.echo(admin, "tls") >= 0
    for name in ("plain", "anonymous"):
        with pytest.raises(PacsError):
            services.pacs.echo(admin, name)
    rad = services.auth.login("rad", PASSWORDS["rad"])
    found = services.pacs.find(rad, "tls", QueryFilter(patient_id="SYN0001"))
    assert [m.study_uid for m in found] == [series.study_uid]
    services.close()
