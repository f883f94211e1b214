"""Per-event audit forwarding: each entry reaches a real rsyslog+TLS collector as it is
written, the user's action never waits for the network, and a down or untrusted collector
leaves the entries queued."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.services import Services
from tests.conftest import PASSWORDS, StoreFixture
from tests.syslog_support import RSYSLOGD, Collector, make_ca

pytestmark = pytest.mark.skipif(not Path(RSYSLOGD).exists(), reason="needs Debian's rsyslog and rsyslog-gnutls")


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[Collector]:
    c = Collector(tmp_path / "collector")
    c.start()
    yield c
    c.stop()


def _services(store: StoreFixture, port: int, ca: Path) -> Services:
    return Services(store.settings(audit_syslog_host="127.0.0.1", audit_syslog_port=port,
                                   audit_syslog_ca=ca, audit_source_id="ws-live"), clock=store.clock)


def _seqs(collector: Collector, at_least: int) -> list[int]:
    out = []
    for r in collector.received(at_least=at_least):
        if r.msgid == "DICOM+RFC3881":
            out.append(int(re.search(r'seq="(\d+)"', r.structured_data).group(1)))
    return out


def test_each_entry_reaches_the_collector_as_it_is_written(store: StoreFixture, collector: Collector) -> None:
    """Without any 'audit forward', the whole log (the backlog, then each new entry) arrives in
    order, each batch followed by a signed checkpoint that 'audit verify --against' accepts."""
    services = _services(store, collector.port, collector.ca)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        services.auth.logout(services.auth.login("rad", PASSWORDS["rad"]))
        state = services.audit_forwarding.live_state(admin, wait_s=20)
        assert state is not None and state.queued == 0 and state.last_error == ""
        head = services.audit.entries(admin)[-1].seq
        assert state.last_sent_seq == head
        assert _seqs(collector, head) == list(range(1, head + 1))
        checkpoints = [r for r in collector.received() if r.msgid == "CLINICAPP-CHECKPOINT"]
        assert checkpoints and services.audit.verify_against(
            admin, checkpoints[-1].message.lstrip("\ufeff")).ok
        assert json.loads((store.root / "audit-forward.json").read_text())["seq"] == head
        # Forwarding is not an action of its own: it adds no audit entries.
        assert not [e for e in services.audit.entries(admin) if e.action == "audit.forward"]
    finally:
        services.close()


def test_a_down_collector_keeps_entries_queued_and_they_follow_in_order(
        store: StoreFixture, collector: Collector) -> None:
    """Entries written while the collector is down stay queued (cursor unmoved) with the reason
    shown; once it is back, the next entry brings the whole backlog, in order, nothing lost."""
    services = _services(store, collector.port, collector.ca)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        first = services.audit_forwarding.live_state(admin, wait_s=20)
        assert first is not None and first.queued == 0
        collector.stop()
        services.auth.logout(services.auth.login("rad", PASSWORDS["rad"]))
        down = services.audit_forwarding.live_state(admin, wait_s=20)
        assert down is not None and "cannot be reached" in down.last_error and down.queued >= 2
        assert json.loads((store.root / "audit-forward.json").read_text())["seq"] == first.last_sent_seq
        collector.start()
        services.auth.logout(services.auth.login("phys", PASSWORDS["phys"]))
        back = services.audit_forwarding.live_state(admin, wait_s=30)
        assert back is not None and back.queued == 0 and back.last_error == ""
        head = services.audit.entries(admin)[-1].seq
        assert _seqs(collector, head) == list(range(1, head + 1))
    finally:
        services.close()


def test_an_untrusted_certificate_sends_nothing_and_says_why(store: StoreFixture, collector: Collector,
                                                            tmp_path: Path) -> None:
    """With a CA that did not sign the collector's certificate nothing leaves; the entries stay
    queued and the state names the certificate problem."""
    other_ca, _, _ = make_ca(tmp_path / "other-pki", "other")
    services = _services(store, collector.port, other_ca)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        state = services.audit_forwarding.live_state(admin, wait_s=20)
        assert state is not None and "not trusted" in state.last_error and state.queued >= 1
        assert not (store.root / "audit-forward.json").exists()
        assert collector.received(timeout_s=0.5) == []
    finally:
        services.close()


def test_the_users_action_never_waits_for_the_collector(store: StoreFixture, tmp_path: Path) -> None:
    """A collector that accepts the connection and never answers the TLS handshake holds the
    sender, not the user: sign-in and sign-out complete while the first entry is still going."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:
            return
    threading.Thread(target=accept, daemon=True).start()
    ca, _, _ = make_ca(tmp_path / "pki", "silent")
    services = _services(store, listener.getsockname()[1], ca)
    try:
        admin = services.auth.login("admin", PASSWORDS["admin"])
        deadline = time.monotonic() + 20
        while not accepted and time.monotonic() < deadline:  # the sender is now in the handshake
            time.sleep(0.02)
        assert accepted
        services.auth.logout(services.auth.login("rad", PASSWORDS["rad"]))  # returns at once
        state = services.audit_forwarding.live_state(admin)
        assert state is not None and state.sending and state.queued >= 3 and state.last_sent_seq == 0
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
        services.close()
