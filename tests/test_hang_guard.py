"""The suite's guards against hangs: one hung test fails alone and the run still summarises.

Each case runs a throw-away test module in a child pytest with this project's configuration,
so what is checked is the real ``pyproject.toml`` setting and the real GUI conftest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_probe(folder: Path, body: str, *args: str, env: dict[str, str] | None = None) -> str:
    probe = folder / f"_hang_probe_{uuid.uuid4().hex}.py"
    probe.write_text(body)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
             "-p", "no:cacheprovider", "-q", str(probe), *args],
            cwd=ROOT, capture_output=True, text=True, timeout=240, env={**os.environ, **(env or {})},
        )
    finally:
        probe.unlink()
    return done.stdout + done.stderr


def test_a_hung_test_fails_alone_and_the_run_prints_its_summary(tmp_path: Path) -> None:
    """A test stuck in a blocking call is stopped by the timeout; the next test still runs."""
    out = _run_probe(tmp_path, (
        '"""Probe."""\n\nimport time\n\n\n'
        "def test_hangs():\n    time.sleep(600)\n\n\n"
        "def test_after():\n    assert True\n"
    ), "--timeout=3")
    assert "1 failed, 1 passed" in out, out
    assert "Timeout" in out


def test_a_modal_dialog_left_open_fails_only_its_test() -> None:
    """A GUI test whose modal dialog nobody closes fails by itself, naming the dialog."""
    out = _run_probe(ROOT / "tests" / "ui", (
        '"""Probe."""\n\nfrom PySide6.QtWidgets import QMessageBox\n\n\n'
        "def test_modal_never_answered(qtbot):\n"
        "    box = QMessageBox()\n    box.setObjectName('stuckBox')\n    box.exec()\n\n\n"
        "def test_after():\n    assert True\n"
    ), env={"CLINIC_TEST_MODAL_DEADLINE_S": "2"})
    # The dialog is closed at its deadline, so the test body returns and its teardown
    # reports the stuck modal: an error on that test alone, and the next test still runs.
    assert "2 passed, 1 error" in out, out
    assert "ERROR at teardown of test_modal_never_answered" in out
    assert "stuckBox" in out
