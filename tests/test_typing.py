"""mypy passes on clinic_app, and the list of modules still exempt from it only shrinks."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
BEGIN, END = "# mypy-ratchet-begin", "# mypy-ratchet-end"

#: How many modules the ratchet in pyproject.toml may list. Lower it when you fix one;
#: never raise it (a new module is checked from its first commit).
RATCHET_MAX = 0

ERROR = re.compile(r"^(?P<path>[\w/.-]+\.py):\d+: error: ", re.MULTILINE)


def _ratchet() -> list[str]:
    text = PYPROJECT.read_text(encoding="utf-8")
    block = text[text.index(BEGIN):text.index(END)]
    (override,) = tomllib.loads(block.removeprefix(BEGIN))["tool"]["mypy"]["overrides"]
    assert override.get("ignore_errors") is True
    return list(override["module"])


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def _mypy(config: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    cache = ROOT / ".mypy_cache" / config.stem
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(config),
                           "--cache-dir", str(cache), *targets], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def without_ratchet(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One mypy run over clinic_app with the ratchet removed: every error in every module."""
    text = PYPROJECT.read_text(encoding="utf-8")
    unexempt = text[:text.index(BEGIN)] + text[text.index(END) + len(END):]
    config = tmp_path_factory.mktemp("mypy") / "unexempt.toml"
    config.write_text(unexempt, encoding="utf-8")
    result = _mypy(config, "clinic_app")
    assert "error: " in result.stdout or result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_mypy_passes_outside_the_ratchet(without_ratchet: subprocess.CompletedProcess[str]) -> None:
    """No module outside the ratchet list has a type error (new modules are always checked)."""
    exempt = set(_ratchet())
    errors = [line for line in without_ratchet.stdout.splitlines()
              if (m := ERROR.match(line)) and _module(m["path"]) not in exempt]
    assert errors == [], "mypy (fix these; never add the module to the ratchet):\n" + "\n".join(errors)


def test_every_ratcheted_module_still_has_errors(without_ratchet: subprocess.CompletedProcess[str]) -> None:
    """A module whose errors are all fixed must leave the ratchet, so it stays checked."""
    failing = {_module(m["path"]) for m in ERROR.finditer(without_ratchet.stdout)}
    fixed = sorted(set(_ratchet()) - failing)
    assert fixed == [], f"remove from the mypy ratchet in pyproject.toml (and lower RATCHET_MAX): {fixed}"


def test_the_ratchet_never_grows() -> None:
    """The ratchet lists at most RATCHET_MAX modules, each once, each an existing module."""
    modules = _ratchet()
    assert len(modules) == len(set(modules))
    assert len(modules) <= RATCHET_MAX, f"the mypy ratchet grew to {len(modules)} (max {RATCHET_MAX})"
    missing = [m for m in modules if not (ROOT / (m.replace(".", "/") + ".py")).is_file()
               and not (ROOT / m.replace(".", "/") / "__init__.py").is_file()]
    assert missing == [], f"ratchet entries for modules that no longer exist: {missing}"


def test_a_wrong_annotation_fails_the_check(tmp_path: Path) -> None:
    """The project's settings reject a set assigned to a list[int] and an unused type: ignore."""
    bad = tmp_path / "wrong_annotation.py"
    bad.write_text("ids: list[int] = []\nids = {1, 2}\nx: int = 1  # type: ignore[assignment]\n",
                   encoding="utf-8")
    result = _mypy(PYPROJECT, str(bad))
    assert result.returncode != 0
    assert "[assignment]" in result.stdout and "[unused-ignore]" in result.stdout, result.stdout
