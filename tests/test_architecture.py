"""Architecture rules that keep the product headless-capable and layered."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "clinic_app"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "qtpy", "superqt", "pyqtgraph")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _non_ui_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]


def test_nothing_outside_ui_imports_qt() -> None:
    """Core, services and CLI modules never import a Qt binding (statically, anywhere in the file)."""
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if n.split(".")[0] in QT_MODULES)
        for p in _non_ui_modules()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    # The self-test's Qt probe (run in a child process) is the only sanctioned bridge, and
    # they import Qt lazily inside functions; anything else is a layering error.
    allowed = {"selftest/probes.py"}
    assert {k for k in offenders if k not in allowed} == set(), offenders


def test_core_and_services_import_with_qt_blocked() -> None:
    """Every non-UI module imports in a process where any Qt import raises."""
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in _non_ui_modules() if p.name != "__main__.py"
    )
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        f"        if name.split('.')[0] in {QT_MODULES!r}:\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_ui_is_the_only_place_that_touches_the_store_directly_from_qt() -> None:
    """UI modules go through services; they never import the store or security internals."""
    ui = PACKAGE / "ui"
    if not ui.exists():
        return
    bad = {}
    for p in ui.rglob("*.py"):
        hits = sorted(n for n in _imports(p)
                      if n.startswith(("clinic_app.core.store", "sqlcipher3", "sqlite3")))
        if hits:
            bad[str(p.relative_to(PACKAGE))] = hits
    assert bad == {}


def test_every_source_folder_is_a_regular_package() -> None:
    """Each folder of modules has an __init__.py (bundlers skip namespace packages)."""
    missing = sorted(str(d.relative_to(PACKAGE)) for d in {p.parent for p in PACKAGE.rglob("*.py")}
                     if not (d / "__init__.py").exists())
    assert missing == []


def test_ui_and_cli_never_reach_into_the_service_context() -> None:
    """UI, CLI and demo use the Services facade (services.clock, .settings), never services.ctx."""
    offenders = []
    for path in [*(PACKAGE / "ui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py"), PACKAGE / "demo.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr == "ctx"):
                continue
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name == "services":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
