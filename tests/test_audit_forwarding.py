"""Audit forwarding: DICOM audit messages over syslog-TLS to a real rsyslog collector."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from clinic_app.core.atna.forwarder import CursorFile, forward_pending
from clinic_app.core.atna.messages import AuditSource, to_dicom_xml
from clinic_app.core.atna.syslog_tls import SyslogTarget
from clinic_app.core.security.audit import MIGRATIONS, AuditLog, AuditRecord, EventCode, Outcome
from clinic_app.core.store.database import Database, migrate
from clinic_app.errors import AuditForwardError, IntegrityError
from tests.syslog_support import RSYSLOGD, Collector, make_ca

pytestmark = pytest.mark.skipif(not Path(RSYSLOGD).exists(), reason="needs Debian's rsyslog and rsyslog-gnutls")

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "fixtures" / "dicom-audit-message.rng")))
SOURCE = AuditSource(source_id="ws-radiology-3", enterprise_site_id="clinic-test", host="ws-radiology-3")
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _log(tmp_path: Path) -> AuditLog:
    db = Database(tmp_path / "system.db", os.urandom(32), create=True, label="system")
    migrate(db, "audit", MIGRATIONS)
    return AuditLog(db, os.urandom(32))


def _append(log: AuditLog, n: int, first: int = 0) -> None:
    kinds = [
        AuditRecord(EventCode.USER_AUTHENTICATION, "login", "dr.lee", "physician"),
        AuditRecord(EventCode.PATIENT_RECORD, "patient.view", "dr.lee", "physician", patient="p-1a2b3c4d5e6f7a8b9c0d"),
        AuditRecord(EventCode.IMPORT, "import.dicom", "dr.kim", "radiologist", patient="p-0f0e0d0c0b0a09080706",
                    study="s-aaaabbbbccccddddeeee"),
        AuditRecord(EventCode.SECURITY_ALERT, "login.failed", "", "", outcome=Outcome.MINOR_FAILURE),
    ]
    for i in range(first, first + n):
        log.append(kinds[i % len(kinds)], START + timedelta(seconds=i))


def _seqs(received) -> list[int]:
    return [int(re.search(r'seq="(\d+)"', r.structured_data).group(1)) for r in received]


@pytest.fixture
def collector(tmp_path: Path):
    c = Collector(tmp_path / "collector")
    c.start()
    yield c
    c.stop()


def test_every_message_is_a_schema_valid_dicom_audit_message(tmp_path):
    """Each event type converts to an AuditMessage that validates against the A.5.1 structure."""
    log = _log(tmp_path)
    _append(log, 4)
    for entry in log.entries():
        document = etree.fromstring(to_dicom_xml(entry, SOURCE))
        assert SCHEMA.validate(document), SCHEMA.error_log
    login, _view, imported, alert = (etree.fromstring(to_dicom_xml(e, SOURCE)) for e in log.entries())
    assert login.find("EventIdentification/EventTypeCode").get("csd-code") == "110122"
    assert imported.find("EventIdentification").get("EventActionCode") == "C"
    assert alert.find("EventIdentification").get("EventOutcomeIndicator") == "4"
    ids = [p.get("ParticipantObjectID") for p in imported.iter("ParticipantObjectIdentification")]
    assert ids == ["p-0f0e0d0c0b0a09080706", "s-aaaabbbbccccddddeeee"]  # pseudonyms, as IT sees them


def test_events_arrive_in_order_at_a_real_collector_over_tls(tmp_path, collector):
    """All entries reach rsyslog over TLS, in sequence order, each a valid audit message."""
    log = _log(tmp_path)
    _append(log, 12)
    target = SyslogTarget("127.0.0.1", collector.port, ca_file=collector.ca)
    report = forward_pending(log.entries, target, CursorFile(tmp_path / "cursor.json"), SOURCE, batch=5)
    assert (report.sent, report.last_seq, report.pending) == (12, 12, 0)
    received = collector.received(at_least=12)
    assert _seqs(received) == list(range(1, 13))
    assert {r.msgid for r in received} == {"DICOM+RFC3881"}
    for r in received:
        assert SCHEMA.validate(etree.fromstring(r.message.lstrip("\ufeff").encode())), SCHEMA.error_log
    # Nothing new: a second run sends nothing.
    again = forward_pending(log.entries, target, CursorFile(tmp_path / "cursor.json"), SOURCE)
    assert again.sent == 0


def test_collector_down_keeps_events_queued_and_replays_them_in_order(tmp_path, collector):
    """While the collector is down nothing is lost; after its restart the backlog goes in order."""
    log = _log(tmp_path)
    cursor = CursorFile(tmp_path / "cursor.json")
    target = SyslogTarget("127.0.0.1", collector.port, ca_file=collector.ca, timeout_s=3)
    _append(log, 3)
    forward_pending(log.entries, target, cursor, SOURCE)
    collector.stop()
    _append(log, 5, first=3)
    with pytest.raises(AuditForwardError, match=r"cannot be reached.*stay queued"):
        forward_pending(log.entries, target, cursor, SOURCE)
    assert cursor.load().seq == 3
    collector.start()
    report = forward_pending(log.entries, target, cursor, SOURCE)
    assert report.sent == 5
    assert _seqs(collector.received(at_least=8)) == list(range(1, 9))


def test_an_untrusted_certificate_is_a_clear_error_and_events_stay_queued(tmp_path, collector):
    """A collector whose certificate our CA did not sign gets nothing; the cursor does not move."""
    other_ca, _, _ = make_ca(tmp_path / "other-pki", "other")
    log = _log(tmp_path)
    _append(log, 2)
    cursor = CursorFile(tmp_path / "cursor.json")
    with pytest.raises(AuditForwardError, match="not trusted"):
        forward_pending(log.entries, SyslogTarget("127.0.0.1", collector.port, ca_file=other_ca), cursor, SOURCE)
    assert cursor.load() is None
    assert collector.received(timeout_s=0.5) == []


def test_a_log_rolled_back_after_forwarding_is_an_integrity_failure(tmp_path, collector):
    """If the log no longer holds the forwarded entry with the same MAC, forwarding refuses."""
    log = _log(tmp_path)
    _append(log, 4)
    cursor = CursorFile(tmp_path / "cursor.json")
    target = SyslogTarget("127.0.0.1", collector.port, ca_file=collector.ca)
    forward_pending(log.entries, target, cursor, SOURCE)
    # A restored older copy of the store: a different history at the same positions.
    (tmp_path / "old").mkdir()
    rolled_back = _log(tmp_path / "old")
    _append(rolled_back, 2)
    with pytest.raises(IntegrityError, match="rolled back or rewritten"):
        forward_pending(rolled_back.entries, target, cursor, SOURCE)


def test_admin_forwards_the_store_log_through_the_service_and_it_is_audited(tmp_path, store, collector):
    """The admin's forward sends the store's real log; the forward itself is audited and goes next time."""
    from clinic_app.services import Services

    services = Services(store.settings(audit_syslog_host="127.0.0.1", audit_syslog_port=collector.port,
                                       audit_syslog_ca=collector.ca, audit_source_id="ws-test",
                                       audit_forward_live=False))
    admin = services.auth.login("admin", "admin-password-123")
    report = services.audit_forwarding.forward(admin)
    assert report.sent >= 2 and report.pending == 0
    received = [r for r in collector.received(at_least=report.sent + 1) if r.msgid != "CLINICAPP-CHECKPOINT"]
    assert _seqs(received) == list(range(1, report.sent + 1))
    assert all('AuditSourceID="ws-test"' in r.message for r in received)
    last = admin.audit.entries()[-1]
    assert last.action == "audit.forward" and last.detail["sent"] == report.sent
    assert services.audit_forwarding.forward(admin).sent == 1  # the audit.forward entry itself
    # Each forward ends with the signed checkpoint, which 'audit verify --against' accepts.
    checkpoints = [r for r in collector.received(at_least=report.sent + 3) if r.msgid == "CLINICAPP-CHECKPOINT"]
    assert len(checkpoints) == 2
    assert services.audit.verify_against(admin, checkpoints[-1].message.lstrip("\ufeff")).ok


def test_cli_audit_forward_reports_a_down_collector_in_one_line(store, tmp_path, collector, monkeypatch):
    """`audit forward` sends with --json, and a stopped collector gives exit 1 and one clear line."""
    import io
    import json
    import sys

    from clinic_app.cli.main import main

    site = tmp_path / "site.toml"
    site.write_text(f'audit_syslog_host = "127.0.0.1"\naudit_syslog_port = {collector.port}\n'
                    f'audit_syslog_ca = "{collector.ca}"\naudit_forward_live = false\n',
                    encoding="utf-8")
    store.services.close()

    def run() -> tuple[int, str, str]:
        out, err, old = io.StringIO(), io.StringIO(), sys.stdin
        sys.stdin = io.StringIO("admin-password-123\n")
        try:
            return main(["--store", str(store.root), "audit", "forward", "--json", "--user", "admin",
                         "--password-stdin"], stdout=out, stderr=err), out.getvalue(), err.getvalue()
        finally:
            sys.stdin = old

    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(site))
    code, out, err = run()
    assert code == 0, err
    assert json.loads(out)["sent"] >= 1
    collector.stop()
    code, out, err = run()
    assert code == 1 and err.count("\n") == 1 and "cannot be reached" in err and "Traceback" not in err
