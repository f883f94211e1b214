"""The import-linter contracts in pyproject.toml hold, and a breach fails naming the rule."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_LINTER = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports over ``root``'s clinic_app with ``root``'s pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "300"}
    return subprocess.run([sys.executable, "-c", RUN_LINTER, "--no-cache", "--no-logo"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def _lint_with(tmp_path: Path, module: str, source: str) -> subprocess.CompletedProcess[str]:
    """Lint a copy of the tree with one extra module (``module`` is a path under clinic_app)."""
    shutil.copytree(ROOT / "clinic_app", tmp_path / "clinic_app",
                    ignore=shutil.ignore_patterns("__pycache__", "resources"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "clinic_app" / module).write_text(source, encoding="utf-8")
    return _lint(tmp_path)


def _broken(output: str) -> list[str]:
    return [line.removesuffix("BROKEN").strip() for line in output.splitlines()
            if line.rstrip().endswith("BROKEN") or " BROKEN (" in line]


def test_import_contracts_are_kept() -> None:
    """Every contract (layers, forbidden edges) is kept; the failure names the broken ones."""
    result = _lint(ROOT)
    assert result.returncode == 0, (
        f"broken contracts: {_broken(result.stdout)}\n{result.stdout[-6000:]}{result.stderr[-2000:]}")
    assert "0 broken" in result.stdout


def test_contracts_cover_the_layers_named_in_the_guide() -> None:
    """The layers contract lists every top-level module and package of clinic_app."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    named = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    package = ROOT / "clinic_app"
    top = {f"clinic_app.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    top |= {f"clinic_app.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert top - named == set(), "add new top-level modules to a layer in pyproject.toml"


def test_allow_lists_are_commented() -> None:
    """Each contract with ignored imports explains them in a comment right above the list."""
    lines = (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("ignore_imports"):
            entries = []
            for entry in lines[i + 1:]:
                if entry.strip() == "]":
                    break
                entries.append(entry.strip())
            # Every entry is preceded (directly or through earlier entries) by a comment.
            assert entries and entries[0].startswith("#"), f"uncommented allow-list at line {i + 1}"


def test_a_module_in_the_wrong_layer_fails_naming_the_rule(tmp_path: Path) -> None:
    """A core module that imports the services (a copy of the tree) breaks the layers contract."""
    result = _lint_with(tmp_path, "core/wrong_layer.py",
                        "from clinic_app.services.session import Session\n\nSESSION = Session\n")
    assert result.returncode != 0
    assert any(name.startswith("Layers") for name in _broken(result.stdout)), result.stdout[-3000:]
    assert "clinic_app.core.wrong_layer -> clinic_app.services.session" in result.stdout


def test_the_ui_reaching_into_the_store_fails_naming_the_rule(tmp_path: Path) -> None:
    """A UI module that imports a persistence module breaks the forbidden contract."""
    result = _lint_with(tmp_path, "ui/sneaky.py",
                        "from clinic_app.core.records import repository\n\nREPO = repository\n")
    assert result.returncode != 0
    assert any("through services" in name for name in _broken(result.stdout)), result.stdout[-3000:]
