"""The hand-written manifest schema checker against jsonschema, the oracle (issue 16)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema.validators
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.inference.manifest import SCHEMA_PATH, ManifestError, load_document
from clinic_app.core.inference.schema_check import SchemaChecker, UnsupportedSchema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
ORACLE = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
CHECKER = SchemaChecker(SCHEMA)
MANIFESTS = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "models").glob("*/manifest.json"))]
ODD_VALUES = [None, True, False, 0, 1, -1, 2.5, 1.0, "", "x", "risk-score", "image-x", "../a",
              [], [1], [1, 2], ["a"], {}, {"a": 1}, 10**6, -0.0]


def _verdicts(doc: Any) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    ours = {tuple(str(p) for p in path) for path, _ in CHECKER.errors(doc)}
    theirs = {tuple(str(p) for p in e.absolute_path) for e in ORACLE.iter_errors(doc)}
    return ours, theirs


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*here, i))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last]["zz_extra"] = value
    elif action == "add" and isinstance(parent[last], list):
        parent[last].append(value)
    else:
        parent[last] = value
    return doc


def test_every_shipped_manifest_passes_both() -> None:
    """Each shipped manifest is valid to the checker and to jsonschema."""
    assert len(MANIFESTS) >= 10
    for doc in MANIFESTS:
        assert _verdicts(doc) == (set(), set())


@pytest.mark.slow
def test_every_single_mutation_of_a_manifest_agrees_with_jsonschema() -> None:
    """Deleting, replacing or extending any node of a risk manifest gives the same error locations."""
    doc = next(m for m in MANIFESTS if m["id"] == "pce-ascvd-10y")
    checked = 0
    for path in _paths(doc):
        for action, value in [("delete", None), ("add", 1), *[("set", v) for v in ODD_VALUES]]:
            if action == "delete" and not path:
                continue
            mutated = _mutate(doc, path, action, value)
            ours, theirs = _verdicts(mutated)
            assert ours == theirs, (path, action, value)
            checked += 1
    assert checked > 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(MANIFESTS))), st.data())
def test_random_double_mutations_agree_with_jsonschema(which: int, data: st.DataObject) -> None:
    """Two random mutations anywhere in any shipped manifest: same verdict and locations."""
    doc = MANIFESTS[which]
    for _ in range(2):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["delete", "add", "set"]))
        value = data.draw(st.sampled_from(ODD_VALUES))
        doc = _mutate(doc, path, action, value)
    ours, theirs = _verdicts(doc)
    assert ours == theirs


def test_a_schema_keyword_the_checker_does_not_know_is_refused() -> None:
    """A schema with an unimplemented keyword fails at construction, never skips the check."""
    with pytest.raises(UnsupportedSchema, match="patternProperties"):
        SchemaChecker({"type": "object", "properties": {"a": {"patternProperties": {}}}})
    with pytest.raises(UnsupportedSchema, match="not local"):
        SchemaChecker({"$ref": "https://example.org/s.json"})


def test_a_manifest_that_breaks_the_schema_names_the_place() -> None:
    """load_document names the first broken location in its refusal."""
    doc = copy.deepcopy(next(m for m in MANIFESTS if m["id"] == "pce-ascvd-10y"))
    doc["inputs"]["features"][0]["kind"] = "colour"
    with pytest.raises(ManifestError, match=r"inputs/features/0/kind"):
        load_document(json.dumps(doc).encode(), where="test")


def test_json_equality_keeps_booleans_apart_from_numbers() -> None:
    """const 1 refuses true, and enum [true] refuses 1, as JSON (and jsonschema) say."""
    for schema, value in [({"const": 1}, True), ({"enum": [True]}, 1), ({"const": 0}, False)]:
        assert not SchemaChecker(schema).is_valid(value)
        assert not jsonschema.validators.validator_for(schema)(schema).is_valid(value)
    assert SchemaChecker({"const": 1}).is_valid(1.0)
