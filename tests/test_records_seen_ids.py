"""The NDJSON duplicate-id check kept in the encrypted store: same answers, bounded memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.core.clock import ManualClock
from clinic_app.core.records import fhir
from clinic_app.core.records.repository import MIGRATIONS
from clinic_app.core.records.seen_ids import StoreSeenIds
from clinic_app.core.store.database import Database, migrate

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "records_memory.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Database:
    database = Database(tmp_path_factory.mktemp("seen") / "c.db", os.urandom(32), create=True)
    migrate(database, "records", MIGRATIONS)
    return database


def _old_check(lines: list[str]) -> tuple[list[tuple[str, str]], Counter]:
    """The check as it was (a dict of "type/id" → first line and line hash), as oracle."""
    seen: dict[str, tuple[int, int]] = {}
    errors, skipped = [], Counter()
    for number, line in enumerate(lines, start=1):
        res = json.loads(line)
        key = f"{res['resourceType']}/{res['id']}"
        if key in seen:
            first, digest = seen[key]
            if digest == hash(line.strip()):
                skipped[res["resourceType"]] += 1
            else:
                errors.append((f"line {number} ({key})",
                               f"duplicate id with different content (first at line {first})"))
        else:
            seen[key] = (number, hash(line.strip()))
    return errors, skipped


def _line(rtype: str, rid: str, version: int) -> str:
    if rtype == "Patient":
        return json.dumps({"resourceType": "Patient", "id": rid, "gender": "female",
                           "identifier": [{"system": "urn:x", "value": f"M-{rid}-{version}"}]})
    return json.dumps({"resourceType": rtype, "id": rid, "meta": {"versionId": str(version)}})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["Patient", "Basic", "Flag"]),
                          st.sampled_from(["a", "b", "c", "d1", "e.2"]),
                          st.integers(0, 1)), min_size=1, max_size=40),
       st.integers(1, 7), st.integers(1, 5))
def test_store_check_gives_the_old_checks_answers(db, items, batch, flush):
    """Streamed through the store table (any batch and flush size), the duplicate-id
    check skips and refuses exactly what the in-memory check did, naming the same lines."""
    lines = [_line(*item) for item in items]
    errors, skipped = _old_check(lines)
    now = ManualClock().now
    with db.transaction():
        seen = StoreSeenIds(db, flush_keys=flush)
        parts = list(fhir.read_ndjson_batches(iter(lines), "d.ndjson", now, batch_lines=batch,
                                              seen=seen))
        seen.close()
    memory = list(fhir.read_ndjson_batches(iter(lines), "d.ndjson", now, batch_lines=batch))
    for run in (parts, memory):
        got = [(e.item, e.reason) for p in run for e in p.errors
               if e.reason.startswith("duplicate id")]
        assert got == errors
        total = sum((p.skipped for p in run), Counter())
        assert {t: n for (t, why), n in total.items()
                if why == "duplicate entry (identical)"} == dict(skipped)


def test_table_holds_digests_only_and_rolls_back_with_the_file(db):
    """Inside the import transaction the table holds 16-byte digests, never the id; a
    rolled-back file leaves the table empty."""
    class Abort(Exception):
        pass

    with pytest.raises(Abort), db.transaction():
        seen = StoreSeenIds(db, flush_keys=1)
        assert seen.first("Observation", "secret-id-123", 7, 1) is None
        assert seen.first("Observation", "secret-id-123", 8, 9) == (1, 7)
        rows = db.query("SELECT key, line, digest FROM records_import_seen")
        assert [(len(r[0]), r[1], r[2]) for r in rows] == [(16, 1, 7)]
        assert b"secret" not in bytes(rows[0][0])
        raise Abort
    assert db.query("SELECT count(*) FROM records_import_seen")[0][0] == 0


def test_store_check_refuses_to_run_outside_a_transaction(db):
    """Rows written outside the import transaction would outlive a cancelled file."""
    with pytest.raises(RuntimeError):
        StoreSeenIds(db)


def _memory_run(observations: int) -> dict:
    out = subprocess.run([sys.executable, str(SCRIPT), "--observations", str(observations)],
                         capture_output=True, text=True, check=True, timeout=3000,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_streamed_file_imports_whole_with_repeat_skipped():
    """A generated Observation NDJSON streams into the store: every line stored, the
    identical repeat skipped, memory well under 400 MB (small size for the default suite)."""
    result = _memory_run(20_000)
    assert result["ok"] and result["observations"] == 20_000
    assert result["identical_repeats_skipped"] == 1
    assert result["max_rss_mib"] < 400


@pytest.mark.slow
@pytest.mark.timeout(3000)
def test_two_million_observations_stay_under_400_mb():
    """Two million Observation lines in one file import with peak RSS under 400 MB."""
    result = _memory_run(2_000_000)
    assert result["ok"] and result["observations"] == 2_000_000
    assert result["identical_repeats_skipped"] == 1
    assert result["max_rss_mib"] < 400
