"""What per-event audit forwarding costs the user, beside no forwarding, in one run.

Builds a store, then writes N audit entries through the service context (the path every
user action takes) three ways and reports the time per entry on the user's thread:
  * baseline: no collector configured (nothing forwarded);
  * live: a real rsyslog+TLS collector (the tests' fixture) and per-event forwarding on;
  * collector down: forwarding on, the collector stopped (the worker keeps failing).
For the live case it also reports how long the worker took to deliver all N entries
(first entry written to last confirmed sent).

Run:  .venv/bin/python benchmarks/audit_forwarding.py [--entries N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_app.config import Settings
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Role
from clinic_app.services import Services
from clinic_app.services.store_init import NewAccount
from tests.syslog_support import Collector

ADMIN = "benchmark-admin-pw"


def _write(services: Services, n: int) -> tuple[float, Services]:
    admin = services.auth.login("admin", ADMIN)
    started = time.perf_counter()
    for i in range(n):
        services.ctx.audit(admin, EventCode.APPLICATION_ACTIVITY, "benchmark.entry",
                           detail={"i": i})
    return (time.perf_counter() - started) / n, services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    n = parser.parse_args().entries
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        Services(Settings(store_dir=root)).auth.init_store(NewAccount("admin", Role.ADMIN, ADMIN), [])
        collector = Collector(Path(tmp) / "collector")
        collector.start()
        live = Settings(store_dir=root, audit_syslog_host="127.0.0.1", audit_syslog_port=collector.port,
                        audit_syslog_ca=collector.ca)
        base_s, s = _write(Services(Settings(store_dir=root)), n)
        s.close()
        s = Services(live)
        admin = s.auth.login("admin", ADMIN)
        assert s.audit_forwarding.live_state(admin, wait_s=60).queued == 0  # backlog sent first
        started = time.perf_counter()
        live_s, _ = _write(s, n)
        state = s.audit_forwarding.live_state(admin, wait_s=120)
        delivered = time.perf_counter() - started
        assert state is not None and state.queued == 0, state
        s.close()
        collector.stop()
        down_s, s = _write(Services(live), n)
        s.close()
    print(f"{n} audit entries, time per entry on the user's thread:")
    print(f"  baseline (no forwarding)   {base_s * 1e3:7.3f} ms")
    print(f"  live, collector up         {live_s * 1e3:7.3f} ms  ({live_s / base_s:.2f}x)")
    print(f"  live, collector down       {down_s * 1e3:7.3f} ms  ({down_s / base_s:.2f}x)")
    print(f"  all {n} delivered by the worker {delivered:.2f} s after the first was written")


if __name__ == "__main__":
    main()
