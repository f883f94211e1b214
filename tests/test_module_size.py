"""Every module stays small: at most 400 lines (the guide's "small modules named after what they hold").

Checked: the application (clinic_app/) and the code that ships or runs beside it, scripts/,
models/ (the model builders) and benchmarks/. tests/ is not checked: a test module holds
one area's cases side by side, and several are longer than 400 lines by design.

The allow-list below names the modules still over the limit, each with why. It only shrinks:
a listed module that is back under the limit (or gone) fails the test, so its entry is
removed once the split lands.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("clinic_app", "scripts", "models", "benchmarks")
MAX_LINES = 400

#: Modules allowed over MAX_LINES for now: path (from the repository root) -> why.
ALLOWED: dict[str, str] = {
    # Being split in parallel by other engineers (issue 12 follow-up); the lead removes
    # each entry when that branch is merged.
    # Over the limit and being edited on other branches this session (i18n and risk add
    # screens); splitting them now would conflict with
    # that work. Split each after those branches are merged.
}


def _line_counts() -> dict[str, int]:
    counts = {}
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            counts[path.relative_to(ROOT).as_posix()] = len(
                path.read_text(encoding="utf-8").splitlines())
    return counts


def test_every_module_is_at_most_400_lines() -> None:
    """No checked module is longer than 400 lines unless the allow-list names it."""
    over = {name: n for name, n in _line_counts().items() if n > MAX_LINES and name not in ALLOWED}
    assert over == {}, (f"split these into modules of at most {MAX_LINES} lines, named after "
                        f"what they hold: {over}")


def test_allow_list_only_holds_modules_still_over_the_limit() -> None:
    """An allow-listed module that is gone or back under the limit must leave the list."""
    counts = _line_counts()
    stale = sorted(name for name in ALLOWED if counts.get(name, 0) <= MAX_LINES)
    assert stale == [], f"remove these from ALLOWED in {__file__}: {stale}"


def test_allow_list_entries_say_why() -> None:
    """Each allow-list entry gives a reason, so the list reads as a to-do, not an exemption."""
    assert all(len(why.split()) >= 3 for why in ALLOWED.values())
