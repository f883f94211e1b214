"""Values from damaged files are quoted readably in one-line reasons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.core.imaging.quoting import LIMIT, quoted
from clinic_app.core.imaging.sources import safe_file_id


def test_printable_value_is_quoted_as_is() -> None:
    """A readable value is shown in quotes, unchanged."""
    assert quoted("MONOCHROME2") == "'MONOCHROME2'"


def test_unreadable_value_is_described_not_escaped() -> None:
    """Control bytes never reach the message as escape codes (fuzz seed 7, case 4411)."""
    text = quoted("MONOC\x8fROME2")
    assert "\\x" not in text and "\x8f" not in text
    assert "unreadable" in text


def test_long_value_is_cut() -> None:
    """A long value is cut to the limit with an ellipsis."""
    assert quoted("A" * 500) == "'" + "A" * LIMIT + "…'"


@given(st.text(max_size=200))
def test_any_value_gives_one_printable_line(value: str) -> None:
    """Whatever the file holds, the quoted form is one printable line without escapes."""
    text = quoted(value)
    assert text.isprintable()
    if not value.isprintable():
        assert text == "(a value with unreadable characters)"


def test_dicomdir_reason_with_control_bytes_is_one_line() -> None:
    """The unsafe-component reason (fuzz seed 7, case 452) carries no escape codes."""
    reason = safe_file_id(["C\x862"])
    assert reason is not None and "\\x" not in reason and reason.isprintable()
