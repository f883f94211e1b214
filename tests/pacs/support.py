"""Building app instances (separate stores) wired to one Orthanc, for the PACS tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.net.nodes import dimse_node, web_node
from clinic_app.services import Services, Session
from tests.conftest import PASSWORDS, StoreFixture
from tests.pacs.orthanc import Orthanc, add_modality


def workstation(store: StoreFixture, orthanc: Orthanc, port: int, *, aet: str = "CLINICAPP",
                copy_to: Path | None = None) -> Services:
    """Services over ``store`` (or a copy of it at ``copy_to``) with nodes for ``orthanc``:
    ``move`` (C-MOVE to our listener on ``port``), ``get`` (C-GET) and ``web`` (DICOMweb)."""
    root = store.root
    if copy_to is not None:
        shutil.copytree(store.root, copy_to)
        root = copy_to
    services = Services(Settings(store_dir=root, log_dir=root.parent / "logs", pacs_ae_title=aet,
                                 pacs_port=port), clock=ManualClock())
    add_modality(orthanc, aet.lower(), aet, "127.0.0.1", port)
    admin = services.auth.login("admin", PASSWORDS["admin"])
    for node in (dimse_node("move", orthanc.aet, "127.0.0.1", orthanc.dicom_port, retrieve="move"),
                 dimse_node("get", orthanc.aet, "127.0.0.1", orthanc.dicom_port, retrieve="get"),
                 web_node("web", orthanc.dicomweb)):
        services.pacs.add_node(admin, node)
    services.auth.logout(admin)
    return services


def rad(services: Services) -> Session:
    return services.auth.login("rad", PASSWORDS["rad"])


def audit_actions(services: Services) -> list[tuple[str, str, str, int]]:
    """(event code, action, object, outcome) of every audit entry, oldest first."""
    admin = services.auth.login("admin", PASSWORDS["admin"])
    try:
        from clinic_app.core.security.audit import AuditFilter

        entries = services.audit.entries(admin, AuditFilter(limit=10000))
    finally:
        services.auth.logout(admin)
    return [(e.event_code, e.action, e.object, e.outcome) for e in
            sorted(entries, key=lambda e: e.seq)]
