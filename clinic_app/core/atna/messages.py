"""Audit entries as DICOM audit messages (PS3.15 Annex A.5), for an audit repository.

An audit repository (IHE ATNA) expects the DICOM XML form, not our JSON. The message keeps
exactly what the local log keeps and no more: patient ids and study UIDs leave as the same
keyed pseudonyms IT already sees, so forwarding adds no patient data to IT's view.

The entry's chain position (sequence number and MAC) travels in the syslog structured data
(see :mod:`clinic_app.core.atna.syslog_tls`), so the collector can prove nothing was dropped
or altered between two entries it received.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET  # only writes XML; input is never parsed here

from clinic_app.core.security.audit import AuditEntry, EventCode

#: PS3.15 A.5.3.1 EventActionCode per event: C create, R read, U update, D delete, E execute.
ACTION_CODES: dict[str, str] = {
    EventCode.APPLICATION_ACTIVITY: "E",
    EventCode.AUDIT_LOG_USED: "R",
    EventCode.BEGIN_TRANSFERRING: "E",
    EventCode.DICOM_INSTANCES_ACCESSED: "R",
    EventCode.EXPORT: "R",
    EventCode.IMPORT: "C",
    EventCode.PATIENT_RECORD: "R",
    EventCode.SECURITY_ALERT: "E",
    EventCode.USER_AUTHENTICATION: "E",
}

#: Event names the standard gives each DCM code (PS3.16 CID 400).
EVENT_NAMES: dict[str, str] = {**EventCode.NAMES, EventCode.BEGIN_TRANSFERRING: "Begin Transferring DICOM Instances"}


@dataclass(frozen=True)
class AuditSource:
    """Who is reporting: this workstation, as the repository will list it."""

    source_id: str            # e.g. the host name or the site's name for this workstation
    enterprise_site_id: str = ""
    host: str = ""            # network access point of the application


def _coded(parent: ET.Element, tag: str, code: str, system: str, text: str) -> ET.Element:
    return ET.SubElement(parent, tag, {"csd-code": code, "codeSystemName": system, "originalText": text})


def _event_type(entry: AuditEntry) -> tuple[str, str] | None:
    """Login and logout refine 110114 with an EventTypeCode (CID 401)."""
    if entry.event_code != EventCode.USER_AUTHENTICATION:
        return None
    action = entry.action.lower()
    if "logout" in action or "lock" in action:
        return EventCode.LOGOUT, "Logout"
    return EventCode.LOGIN, "Login"


def to_dicom_xml(entry: AuditEntry, source: AuditSource) -> bytes:
    """One entry as a PS3.15 A.5.1 ``AuditMessage`` document (UTF-8 bytes)."""
    root = ET.Element("AuditMessage")
    event = ET.SubElement(root, "EventIdentification", {
        "EventActionCode": ACTION_CODES.get(entry.event_code, "E"),
        "EventDateTime": entry.ts,
        "EventOutcomeIndicator": str(int(entry.outcome)),
    })
    _coded(event, "EventID", entry.event_code, "DCM", EVENT_NAMES.get(entry.event_code, entry.event_code))
    if (refined := _event_type(entry)) is not None:
        _coded(event, "EventTypeCode", refined[0], "DCM", refined[1])
    if entry.action:
        ET.SubElement(event, "EventOutcomeDescription").text = entry.action

    user = ET.SubElement(root, "ActiveParticipant", {"UserID": entry.user or "(unauthenticated)",
                                                     "UserIsRequestor": "true"})
    if entry.role:
        _coded(user, "RoleIDCode", entry.role, "99CLINICAPP", entry.role)
    app = {"UserID": "clinic-app", "UserIsRequestor": "false"}
    if source.host:
        app |= {"NetworkAccessPointID": source.host, "NetworkAccessPointTypeCode": "1"}
    _coded(ET.SubElement(root, "ActiveParticipant", app), "RoleIDCode", "110150", "DCM", "Application")

    audit_source = {"AuditSourceID": source.source_id}
    if source.enterprise_site_id:
        audit_source["AuditEnterpriseSiteID"] = source.enterprise_site_id
    _coded(ET.SubElement(root, "AuditSourceIdentification", audit_source), "AuditSourceTypeCode",
           "1", "DCM", "End User Display Device")

    if entry.patient:
        patient = ET.SubElement(root, "ParticipantObjectIdentification", {
            "ParticipantObjectID": entry.patient, "ParticipantObjectTypeCode": "1",
            "ParticipantObjectTypeCodeRole": "1"})
        _coded(patient, "ParticipantObjectIDTypeCode", "2", "RFC-3881", "Patient Number (pseudonymised)")
    if entry.study:
        study = ET.SubElement(root, "ParticipantObjectIdentification", {
            "ParticipantObjectID": entry.study, "ParticipantObjectTypeCode": "2",
            "ParticipantObjectTypeCodeRole": "3"})
        _coded(study, "ParticipantObjectIDTypeCode", "110180", "DCM", "Study Instance UID (pseudonymised)")
    # One line: collectors store a message per line and escape control characters.
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode").encode("utf-8")
