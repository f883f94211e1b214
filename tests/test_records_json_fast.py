"""The C-decoded records JSON equals what the checked decoder gives, refusals included.

The oracle is the standard library's decoder (with the duplicate-key hook): every text
here is decoded both ways and compared value by value and type by type (1 and 1.0 differ).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.records import fhir_json, json_fast
from clinic_app.core.records.batch import ItemError


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (json.loads is the oracle)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return bool(a == b)


def _checked(text: str) -> Any:
    """What the checked decoder alone gives (or the ItemError it words)."""
    try:
        return fhir_json.checked_loads(text)
    except ItemError as exc:
        return exc


_keys = st.text(alphabet=st.sampled_from("ab:c\"\\é1-/ "), min_size=0, max_size=4)
_scalars = (st.none() | st.booleans()
            | st.integers(min_value=-(10**30), max_value=10**30)
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(_keys, inner, max_size=4), max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_values, st.booleans())
def test_decoded_documents_equal_the_checked_decoder(value: Any, ascii_only: bool) -> None:
    """Random documents (long integers, colons in keys and strings, escapes) decode to
    exactly the checked decoder's values and types."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert _same(fhir_json.loads(text), json.loads(text))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _scalars, min_size=1, max_size=4), st.data())
def test_a_repeated_key_is_refused_wherever_it_is(members: dict[str, Any],
                                                   data: st.DataObject) -> None:
    """A key written twice in one object, at any depth and with any value, is refused with
    the checked decoder's words, never resolved to one of the two values."""
    key = data.draw(st.sampled_from(sorted(members)))
    second = json.dumps(data.draw(_scalars), ensure_ascii=data.draw(st.booleans()))
    inner = json.dumps(members)[:-1] + f", {json.dumps(key)}: {second}}}"
    depth = data.draw(st.integers(min_value=0, max_value=3))
    text = '{"entry": [' * depth + inner + "]}" * depth
    with pytest.raises(ItemError, match="duplicate JSON key"):
        fhir_json.loads(text)


def test_an_escaped_colon_cannot_hide_a_repeated_key() -> None:
    """"\\u003a" decodes to a colon: a count of colons alone would call this duplicate
    harmless (two colons in the text, two in the re-encoded document)."""
    with pytest.raises(ItemError, match="duplicate JSON key 'a'"):
        fhir_json.loads('{"a": 1, "a": "\\u003a"}')


@pytest.mark.parametrize("text", [
    '{"value": 123456789012345678901234567890}',
    '[-9223372036854775809]',
    '18446744073709551616',
    '{"a": [1,\n 99999999999999999999]}',
])
def test_integers_beyond_64_bits_stay_exact_integers(text: str) -> None:
    """orjson would read these as floats; the exact int is kept (whichever decoder
    answers)."""
    assert _same(fhir_json.loads(text), json.loads(text))


def test_long_digit_runs_in_strings_decode_fast() -> None:
    """An OID made of a UUID's digits (urn:oid:2.25.<39 digits>) is text: such
    documents are not sent to the slow decoder."""
    text = json.dumps({"system": "urn:oid:2.25.167832919274569012873645091827364512",
                       "value": "MRN-1"})
    assert json_fast.decode(text) == json.loads(text)


@pytest.mark.parametrize(("text", "words"), [
    ('{"value": NaN}', "'NaN' is not a JSON number"),
    ('{"value": -Infinity}', "'-Infinity' is not a JSON number"),
    ('{"a": 1', "malformed JSON at line 1"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("1" * 5000, "more digits than any value can have"),
])
def test_refusals_keep_their_words(text: str, words: str) -> None:
    """What the C decoder refuses is read again by the checked decoder, which names it."""
    with pytest.raises(ItemError, match=words):
        fhir_json.loads(text)


@pytest.mark.parametrize("text", ['[1e400]', '["\\ud800"]', "[" * 300 + "]" * 300,
                                  "[" * 990 + "]" * 990])
def test_what_only_the_checked_decoder_reads_is_unchanged(text: str) -> None:
    """Overflowing decimals, lone surrogates and deep (but legal) nesting: the answer is
    the checked decoder's, value or refusal."""
    expected = _checked(text)
    try:
        got: Any = fhir_json.loads(text)
    except ItemError as exc:
        got = exc
    if isinstance(expected, ItemError):
        assert isinstance(got, ItemError) and str(got) == str(expected)
    else:
        assert _same(got, expected)


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False)
       | st.from_regex(r"-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?",
                       fullmatch=True).map(lambda s: s))
def test_numbers_are_rounded_like_the_standard_library(number: float | str) -> None:
    """Every decimal, written by Python or typed with many digits, gives the same float
    (or int) both ways."""
    text = f'{{"v": {number!r}}}' if isinstance(number, float) else f'{{"v": {number}}}'
    expected = _checked(text)
    got: Any
    try:
        got = fhir_json.loads(text)
    except ItemError as exc:
        got = exc
    if isinstance(expected, ItemError):
        assert isinstance(got, ItemError)
    else:
        assert _same(got, expected)


class _Panic(BaseException):
    """What a Rust panic surfaces as: not an Exception."""


class _PanickingOrjson:
    @staticmethod
    def dumps(_doc: Any) -> bytes:
        raise _Panic("encoder panicked")


def test_a_decoder_panic_falls_back_to_the_checked_decoder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The third-party encoder is behind a boundary that also catches BaseException
    (not Ctrl-C): the file is still read, by the checked decoder."""
    monkeypatch.setattr(json_fast, "orjson", _PanickingOrjson)
    assert fhir_json.loads('{"a": [1, 2.5]}') == {"a": [1, 2.5]}

    class _Interrupted:
        @staticmethod
        def dumps(_doc: Any) -> bytes:
            raise KeyboardInterrupt

    monkeypatch.setattr(json_fast, "orjson", _Interrupted)
    with pytest.raises(KeyboardInterrupt):
        fhir_json.loads("{}")
