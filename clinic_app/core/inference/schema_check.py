"""A small JSON Schema (draft 2020-12) checker for the one schema the app ships.

Why not jsonschema at run time: importing it (with ``referencing`` and the bundled
meta-schemas) and building a validator cost 100-150 ms of every calculator call, a
third of the start-up budget (issue 16). The manifest schema uses a handful of
keywords, so this module implements exactly those and refuses a schema that uses any
other (an unknown keyword would otherwise be silently ignored, i.e. a check skipped).

jsonschema stays the oracle: ``tests/test_schema_check.py`` runs both over the shipped
manifests and thousands of mutated ones and requires the same verdict and the same first
error location.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from clinic_app.errors import UnsupportedSchema

__all__ = ["ANNOTATIONS", "ASSERTIONS", "SchemaChecker", "UnsupportedSchema"]

#: Keywords this checker enforces; anything not here and not an annotation is refused.
ASSERTIONS = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties",
    "minProperties", "propertyNames", "items", "prefixItems", "minItems", "maxItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "pattern", "$ref", "allOf", "oneOf", "if", "then", "else",
})
ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description",
                         "default", "examples"})

Path = tuple[str | int, ...]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_type(value: Any, wanted: str) -> bool:
    actual = _json_type(value)
    if wanted == "number":
        return actual in ("integer", "number")
    if wanted == "integer":  # 2020-12: 2.0 is an integer
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == wanted


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0, containers compared member-wise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and bool(a == b)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class SchemaChecker:
    """Validates JSON documents against one schema; construction checks the keywords."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self._audit(schema)

    def _audit(self, node: Any) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, Mapping):
            raise UnsupportedSchema(f"schema node is {type(node).__name__}, not an object")
        for key, sub in node.items():
            if key not in ASSERTIONS and key not in ANNOTATIONS:
                raise UnsupportedSchema(f"keyword {key!r} is not supported")
            if key in ("properties", "$defs"):
                for child in sub.values():
                    self._audit(child)
            elif key in ("allOf", "oneOf", "prefixItems"):
                for child in sub:
                    self._audit(child)
            elif key in ("additionalProperties", "propertyNames", "items", "if", "then", "else"):
                self._audit(sub)
            elif key == "$ref" and not sub.startswith("#/"):
                raise UnsupportedSchema(f"$ref {sub!r} is not local")

    def _resolve(self, ref: str) -> Any:
        node: Any = self.schema
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def is_valid(self, value: Any) -> bool:
        return next(self.errors(value), None) is None

    def errors(self, value: Any, schema: Any = None, path: Path = ()) -> Iterator[tuple[Path, str]]:
        """Every (location, message) the value breaks."""
        s = self.schema if schema is None else schema
        if s is True:
            return
        if s is False:
            yield path, "no value is allowed here"
            return
        if "$ref" in s:
            yield from self.errors(value, self._resolve(s["$ref"]), path)
        if "type" in s:
            kinds = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(_is_type(value, k) for k in kinds):
                yield path, f"{value!r} is not of type {' or '.join(kinds)}"
                return
        if "const" in s and not _equal(value, s["const"]):
            yield path, f"{s['const']!r} was expected"
        if "enum" in s and not any(_equal(value, e) for e in s["enum"]):
            yield path, f"{value!r} is not one of {s['enum']!r}"
        yield from self._number(value, s, path)
        yield from self._string(value, s, path)
        yield from self._array(value, s, path)
        yield from self._object(value, s, path)
        for sub in s.get("allOf", ()):
            yield from self.errors(value, sub, path)
        if "oneOf" in s:
            passed = sum(1 for sub in s["oneOf"] if self._passes(value, sub, path))
            if passed != 1:
                yield path, f"{value!r} matches {passed} of the allowed forms, not exactly one"
        if "if" in s:
            branch = "then" if self._passes(value, s["if"], path) else "else"
            if branch in s:
                yield from self.errors(value, s[branch], path)

    def _passes(self, value: Any, schema: Any, path: Path) -> bool:
        return next(self.errors(value, schema, path), None) is None

    @staticmethod
    def _number(value: Any, s: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, str]]:
        if not _is_type(value, "number"):
            return
        if "minimum" in s and value < s["minimum"]:
            yield path, f"{value!r} is less than the minimum of {s['minimum']!r}"
        if "maximum" in s and value > s["maximum"]:
            yield path, f"{value!r} is greater than the maximum of {s['maximum']!r}"
        if "exclusiveMinimum" in s and value <= s["exclusiveMinimum"]:
            yield path, f"{value!r} must be greater than {s['exclusiveMinimum']!r}"
        if "exclusiveMaximum" in s and value >= s["exclusiveMaximum"]:
            yield path, f"{value!r} must be less than {s['exclusiveMaximum']!r}"

    @staticmethod
    def _string(value: Any, s: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, str]]:
        if not isinstance(value, str):
            return
        if "minLength" in s and len(value) < s["minLength"]:
            yield path, f"{value!r} is shorter than {s['minLength']} characters"
        if "maxLength" in s and len(value) > s["maxLength"]:
            yield path, f"{value!r} is longer than {s['maxLength']} characters"
        if "pattern" in s and _regex(s["pattern"]).search(value) is None:
            yield path, f"{value!r} does not match {s['pattern']!r}"

    def _array(self, value: Any, s: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, str]]:
        if not isinstance(value, list):
            return
        if "minItems" in s and len(value) < s["minItems"]:
            yield path, f"has {len(value)} items; at least {s['minItems']} needed"
        if "maxItems" in s and len(value) > s["maxItems"]:
            yield path, f"has {len(value)} items; at most {s['maxItems']} allowed"
        prefix = s.get("prefixItems", ())
        for i, (item, sub) in enumerate(zip(value, prefix, strict=False)):
            yield from self.errors(item, sub, (*path, i))
        if "items" in s:
            for i in range(len(prefix), len(value)):
                yield from self.errors(value[i], s["items"], (*path, i))

    def _object(self, value: Any, s: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, str]]:
        if not isinstance(value, dict):
            return
        for name in s.get("required", ()):
            if name not in value:
                yield path, f"{name!r} is a required property"
        if "minProperties" in s and len(value) < s["minProperties"]:
            yield path, f"has {len(value)} properties; at least {s['minProperties']} needed"
        props = s.get("properties", {})
        for name, item in value.items():
            if name in props:
                yield from self.errors(item, props[name], (*path, name))
            elif "additionalProperties" in s:
                if s["additionalProperties"] is False:
                    yield path, f"additional property {name!r} is not allowed"
                else:
                    yield from self.errors(item, s["additionalProperties"], (*path, name))
            if "propertyNames" in s:
                for _, message in self.errors(name, s["propertyNames"], path):
                    yield path, f"property name {name!r}: {message}"
