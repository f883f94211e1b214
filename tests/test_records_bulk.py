"""Bulk Data exports: manifest folders, streamed NDJSON, flagged-not-refused, all-or-nothing."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main
from clinic_app.core.records import fhir
from clinic_app.core.records.repository import RecordRepository
from clinic_app.core.tasks import CancelToken
from clinic_app.synthetic.bulk_export import write_export
from tests.conftest import PASSWORDS

NOW_EXPORT = {"n_patients": 12, "observations_per_patient": 30}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    from clinic_app.core.clock import ManualClock

    folder = tmp_path_factory.mktemp("bulk") / "export"
    counts = write_export(folder, as_of=ManualClock().now, **NOW_EXPORT)
    return folder, counts


def test_manifest_folder_imports_whole_with_flags_not_errors(store, export):
    """Every listed output imports in order; text-only drugs, unknown codes and dates a
    few hours ahead are kept and flagged, never refused."""
    folder, counts = export
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [folder])
    assert report.ok, report.as_json()["errors"][:3]
    assert report.files[0].file == "Patient.ndjson"
    by_type = report.by_type()
    assert by_type["Patient"]["kept"] == counts["Patient"]
    assert by_type["MedicationRequest"]["kept"] == counts["MedicationRequest"]
    assert all(row["invalid"] == 0 and row["refused_files"] == 0 for row in by_type.values())
    obs = next(f for f in report.files if f.file == "Observation.ndjson.gz")
    assert obs.counts["observations"] >= counts["Observation"]  # BP panels give two
    assert any("ahead of this workstation's clock" in p.reason for p in obs.flagged)
    meds = next(f for f in report.files if f.file == "MedicationRequest.ndjson")
    repo = RecordRepository(phys.clinical)
    unclassified = repo.db.query_one("SELECT count(*) AS n FROM records_medications "
                                     "WHERE recognised = 0")["n"]
    assert unclassified == meds.counts["medications_unclassified"] > 0
    assert repo.observation_count() == obs.counts["observations"]


def test_invalid_item_refuses_only_its_file_naming_it(store, export, tmp_path):
    """A wrong type in one Observation line refuses that file whole, naming the line;
    the other files of the export still import."""
    folder, _ = export
    copy = tmp_path / "export"
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    with gzip.open(copy / "Observation.ndjson.gz", "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    bad = json.loads(lines[7])
    bad["status"] = 42
    lines[7] = json.dumps(bad) + "\n"
    with gzip.open(copy / "Observation.ndjson.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [copy])
    obs = next(f for f in report.files if f.file == "Observation.ndjson.gz")
    assert not obs.imported and obs.errors[0].item.startswith("line 8")
    assert RecordRepository(phys.clinical).observation_count() == 0
    assert next(f for f in report.files if f.file == "Patient.ndjson").imported
    assert report.by_type()["Observation"]["refused_files"] == 1


def test_cancel_mid_file_keeps_nothing_and_reimport_completes(store, export, monkeypatch):
    """Cancelled between batches, the file leaves no rows; importing again completes it
    and a third import adds no duplicates."""
    folder, _ = export
    monkeypatch.setattr(fhir, "BATCH_LINES", 40)
    phys = store.login("phys")
    token = CancelToken()

    def progress(done, total, label):
        if "Observation.ndjson.gz" in label:
            token.cancel()

    report = store.services.records.import_files(phys, [folder], progress=progress,
                                                 cancel=token)
    assert report.cancelled
    repo = RecordRepository(phys.clinical)
    assert repo.observation_count() == 0
    assert "Observation.ndjson.gz" not in {i.source_file for i in repo.imports()}
    again = store.services.records.import_files(phys, [folder])
    assert again.ok
    total = repo.observation_count()
    assert total > 0
    third = store.services.records.import_files(phys, [folder])
    obs = next(f for f in third.files if f.file == "Observation.ndjson.gz")
    assert third.ok and obs.counts["observations_new"] == 0
    assert repo.observation_count() == total


def test_crash_mid_file_rolls_the_file_back(store, export, monkeypatch):
    """An unexpected failure between batches leaves no half-imported file."""
    folder, _ = export
    monkeypatch.setattr(fhir, "BATCH_LINES", 40)
    phys = store.login("phys")

    def progress(done, total, label):
        if "Observation.ndjson.gz" in label:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        store.services.records.import_files(phys, [folder], progress=progress)
    assert RecordRepository(phys.clinical).observation_count() == 0


def test_cli_imports_an_export_folder_with_per_type_report(store, export, capsys):
    """`import records DIR --json` reports kept/flagged/invalid per resource type."""
    folder, counts = export
    argv = ["--store", str(store.root), "import", "records", str(folder), "--json",
            "--user", "phys", "--password-stdin"]
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(PASSWORDS["phys"] + "\n")
    try:
        code = main(argv, out, err)
    finally:
        sys.stdin = old
    assert code == 0, err.getvalue()
    report = json.loads(out.getvalue())
    assert report["by_type"]["Encounter"]["kept"] == counts["Encounter"]


@pytest.mark.slow
@pytest.mark.timeout(1800)  # the same limit as the subprocess below
def test_large_export_memory_stays_bounded(tmp_path):
    """1,000 patients and 80,000 observations import with peak memory under 400 MB."""
    script = Path(__file__).parents[1] / "benchmarks" / "records_import.py"
    out = subprocess.run([sys.executable, str(script), "--export-only", "--patients", "1000",
                          "--per-patient", "80"], capture_output=True, text=True, check=True,
                         timeout=1800)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ok"] and result["max_rss_mib"] < 400


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.integers(min_value=1, max_value=60),
       junk=st.lists(st.text(max_size=30), max_size=5))
def test_batching_never_changes_what_is_read(export, batch, junk):
    """Any batch size gives the same items, errors and skips as one whole read, and
    arbitrary junk lines are errors naming their line, never a crash."""
    from clinic_app.core.clock import ManualClock
    from clinic_app.core.records.bulk import iter_lines

    folder, _ = export
    lines = list(iter_lines(folder / "MedicationRequest.ndjson"))[:40] + [j.replace("\n", " ")
                                                                          for j in junk]
    now = ManualClock().now
    whole = fhir.read_ndjson(iter(lines), "m.ndjson", now)
    parts = list(fhir.read_ndjson_batches(iter(lines), "m.ndjson", now, batch_lines=batch))
    assert [m.resource_id for p in parts for m in p.medications] == \
        [m.resource_id for m in whole.medications]
    assert [e.item for p in parts for e in p.errors] == [e.item for e in whole.errors]
    assert sum((p.skipped for p in parts), Counter()) == whole.skipped


def test_ndjson_duplicate_ids_across_batches_are_caught_by_line():
    """In NDJSON, the same id again with the same line is skipped as identical, with a
    different line it is an error naming the first line, even batches apart."""
    from clinic_app.core.clock import ManualClock

    patient = {"resourceType": "Patient", "id": "p1", "gender": "female",
               "identifier": [{"system": "urn:x", "value": "M1"}]}
    obs = {"resourceType": "Observation", "id": "o1", "status": "final",
           "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
           "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2025-01-01",
           "valueQuantity": {"value": 70, "unit": "/min"}}
    changed = {**obs, "valueQuantity": {"value": 71, "unit": "/min"}}
    lines = [json.dumps(x) for x in (patient, obs, patient, obs, changed)]
    parts = list(fhir.read_ndjson_batches(iter(lines), "d.ndjson", ManualClock().now,
                                          batch_lines=1))
    errors = [e for p in parts for e in p.errors]
    assert [(e.item, e.reason) for e in errors] == [
        ("line 5 (Observation/o1)", "duplicate id with different content (first at line 2)")]
    skipped = sum((p.skipped for p in parts), Counter())
    assert skipped[("Patient", "duplicate entry (identical)")] == 1
    assert skipped[("Observation", "duplicate entry (identical)")] == 1
