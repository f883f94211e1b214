"""The README's two commands are the ones CI runs and that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^(python3 -m venv .+)$", quick, flags=re.MULTILINE)


def test_readme_has_exactly_two_commands() -> None:
    """Quick start holds one run command and one test command."""
    commands = _readme_commands()
    assert len(commands) == 2, commands
    assert commands[0].endswith("clinic-app demo")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's last command is the README's test command, character for character."""
    ci_lines = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert ci_lines[-1] == _readme_commands()[1]
