"""Run a check in a child process and read its one-line JSON answer.

Some checks can kill the process that runs them: Qt aborts (qFatal) when its platform
plugin cannot load, and onnxruntime's CUDA provider can crash inside a mismatched driver.
So the caller starts ``clinic-app --self-test-probe NAME`` (the same executable, bundle or
source install), reads one marked JSON line from its stdout, and turns a crash, a hang or
garbage into a failed :class:`ProbeResult`.

This runner sits in the core so that both the self-test (``clinic_app.selftest``) and the
admin System tab (``services/system_info.py``) can use it without the services layer
importing the self-test package; the probes themselves (what runs in the child) are in
``clinic_app/selftest/probes.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken

PROBE_TIMEOUT_S = 60.0
MARKER = "clinic-app-probe:"


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    data: dict[str, Any]
    error: str = ""
    stderr: str = ""


def self_command() -> list[str]:
    """How to start this same application: the bundle's executable, or this interpreter."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "clinic_app"]


def run_probe(name: str, *, env: dict[str, str] | None = None,
              timeout: float = PROBE_TIMEOUT_S,
              cancel: CancelToken = NEVER_CANCELLED) -> ProbeResult:
    """Run probe ``name`` in a child process and parse its one-line JSON answer.

    ``cancel`` (checked four times a second) kills the child and raises Cancelled.
    """
    child_env = dict(os.environ)
    child_env.update(env or {})
    try:
        child = subprocess.Popen([*self_command(), "--self-test-probe", name], env=child_env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 stdin=subprocess.DEVNULL)
    except OSError as exc:
        return ProbeResult(False, {}, f"could not start ({exc.strerror or exc})")
    deadline = time.monotonic() + timeout
    while True:
        try:
            stdout, stderr = child.communicate(timeout=min(0.25, max(0.0, deadline - time.monotonic())))
            break
        except subprocess.TimeoutExpired:
            if cancel.cancelled or time.monotonic() >= deadline:
                child.kill()
                child.communicate()
                cancel.raise_if_cancelled()
                return ProbeResult(False, {}, f"no answer within {timeout:.0f} s (hung)")
    return parse_answer(stdout, stderr, child.returncode)


def parse_answer(stdout: str, stderr: str, returncode: int) -> ProbeResult:
    """The child's marked JSON line, or why there is none (crash, signal, garbage)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER):])
            except ValueError:
                break
            if not isinstance(data, dict):
                break
            return ProbeResult(bool(data.get("ok")), data, str(data.get("error", "")), stderr)
    reason = f"exited with code {returncode}" if returncode >= 0 else \
        f"killed by signal {-returncode}"
    last = _last_lines(stderr)
    return ProbeResult(False, {}, f"{reason} without an answer" + (f": {last}" if last else ""),
                       stderr)


def _last_lines(text: str, count: int = 2) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-count:])[:300]
