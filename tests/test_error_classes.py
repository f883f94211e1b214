"""Every application error class lives in clinic_app/errors.py, documented, in one hierarchy."""

from __future__ import annotations

import ast
import builtins
import inspect
from pathlib import Path

from clinic_app import errors

PACKAGE = Path(__file__).resolve().parents[1] / "clinic_app"

#: Exception classes allowed outside errors.py, each with why. Keep it short.
ALLOWED = {
    # Private control flow: raised inside one transaction to make it roll back, caught two
    # lines later in the same function; never reaches a caller.
    ("services/records.py", "_RollBack"),
}

#: Still to move (none left; add an entry only with a reason and an owner).
PENDING: set[tuple[str, str]] = set()


def _exception_names() -> set[str]:
    """Names that, used as a base class, make a class an exception class."""
    names = {n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException)}
    return names | {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, BaseException)}


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def test_no_error_class_is_defined_outside_errors_py() -> None:
    """A class deriving from an exception is defined only in errors.py (or allow-listed)."""
    exception_names = _exception_names()
    found = set()
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(PACKAGE))
        if rel == "errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_base_name(b) in exception_names for b in node.bases):
                found.add((rel, node.name))
    assert found - ALLOWED - PENDING == set(), "move these to clinic_app/errors.py (say who raises/catches)"
    assert found >= ALLOWED, f"stale allow-list entries: {ALLOWED - found}"


def test_every_error_class_says_who_raises_and_catches_it() -> None:
    """Each class in errors.py derives from ClinicAppError and documents raiser and catcher."""
    classes = [v for v in vars(errors).values() if inspect.isclass(v) and v.__module__ == errors.__name__]
    assert len(classes) > 10
    for cls in classes:
        assert issubclass(cls, errors.ClinicAppError), cls
        doc = inspect.getdoc(cls) or ""
        words = doc.lower()
        assert "caught" in words or "catch" in words, f"{cls.__name__}: say who catches it"
        assert "raise" in words or cls is errors.ClinicAppError, f"{cls.__name__}: say who raises it"


def test_old_import_paths_still_work() -> None:
    """Modules that used to define the parser errors still export the same classes."""
    from clinic_app.core.inference import manifest, package
    from clinic_app.core.records import batch, csv_reader, dates, units
    from clinic_app.core.security import keywrap

    assert batch.ItemError is errors.ItemError and batch.SkipItem is errors.SkipItem
    assert csv_reader.NotUtf8 is errors.NotUtf8 and dates.DateError is errors.DateError
    assert units.UnitError is errors.UnitError
    assert manifest.ManifestError is errors.ManifestError
    assert package.PackageRefused is errors.PackageRefused and keywrap.UnwrapFailed is errors.UnwrapFailed


def test_parser_errors_keep_their_value_error_base() -> None:
    """Records parser errors are ClinicAppErrors and still ValueErrors (callers catch either)."""
    for cls in (errors.ItemError, errors.NotUtf8, errors.DateError, errors.UnitError):
        assert issubclass(cls, errors.InvalidInput) and issubclass(cls, ValueError)
    assert errors.NotUtf8(7).line == 7 and errors.SkipItem("out of scope").reason == "out of scope"
