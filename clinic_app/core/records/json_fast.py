"""A faster JSON decode for records files that gives exactly what the checked decoder gives.

The checked decoder (:func:`fhir_json.checked_loads`) runs a Python hook on every JSON
object to refuse duplicate keys: on a 30 MB export that hook costs about a third of the
decode (0.48 s against 0.34 s with the counting below, collector paused as the import runs).
Here the same standard-library C decoder runs without the hook, so numbers, strings,
NaN/Infinity and nesting behave exactly as before, and duplicate keys are found by
counting instead:

- Outside strings, a colon is written once per object member. When no escape in the text
  can spell a colon (``\\u003a``), the colons in the text are the members plus the colons
  inside strings. Re-encoding the decoded document (orjson, in C) writes the members it
  kept plus the same string colons, so the counts are equal exactly when no member was
  dropped, i.e. when no object repeats a key.
- Anything that goes wrong (a refusal, a number orjson cannot encode, its nesting limit, a
  panic) sends the text to the checked decoder, which decides and words it as before.

``None`` means "use the checked decoder".
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def _refuse_constant(_name: str) -> Any:
    raise ValueError("not a JSON number")  # the checked decoder words it


_PLAIN = json.JSONDecoder(parse_constant=_refuse_constant)


def decode(text: str) -> Any | None:
    """The decoded document, or ``None`` when only the checked decoder can answer."""
    if "\\u003" in text:
        return None
    try:
        doc = _PLAIN.decode(text)
        kept = orjson.dumps(doc).count(b":")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a refusal, or orjson refused or panicked: the checked decoder
        return None
    return doc if kept == text.count(":") else None
