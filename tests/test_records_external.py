"""Bulk Data exports written by simulators from outside this project, imported whole.

Two PyPI generators (dev extra): ``carebundle`` (Apache-2.0; US Core 6.1 bundles, with its
own NDJSON conversion) for a tiny export in the default suite, and ``clinosim`` (MIT; a
hospital simulator writing a ``$export`` folder with ``manifest.json``, 25 resource types)
for a 1,000-patient export, slow-marked. Expected counts come from the files themselves,
read independently of the importer: every line of a type the app reads is kept, every
other line is kept as received, and nothing is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app.core.records.repository import RecordRepository

#: Count fields of a file report for each resource type the app reads.
READ_TYPES = {"Patient": "patients", "Condition": "conditions",
              "AllergyIntolerance": "allergies", "MedicationRequest": "medications",
              "Encounter": "encounters", "DiagnosticReport": "reports"}


def _lines(folder: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*.ndjson")):
        with path.open(encoding="utf-8") as fh:
            out[path.name.removesuffix(".ndjson")] = [json.loads(x) for x in fh if x.strip()]
    return out


def _text_only(requests: list[dict]) -> int:
    return sum(1 for r in requests
               if not any(c.get("code") for c in
                          r.get("medicationCodeableConcept", {}).get("coding", []))
               and r.get("medicationCodeableConcept", {}).get("text"))


def _check_whole(store, folder: Path) -> tuple[dict[str, list[dict]], object]:
    """Import ``folder`` and check that every resource of it was kept."""
    lines = _lines(folder)
    phys = store.login("phys")
    report = store.services.records.import_files(phys, [folder])
    assert report.ok, report.as_json()["errors"][:5]
    by_type = report.by_type()
    assert all(row["invalid"] == 0 and row["refused_files"] == 0 for row in by_type.values())
    files = {f.file.removesuffix(".ndjson"): f for f in report.files}
    assert set(files) == set(lines)
    for rtype, resources in lines.items():
        counts = files[rtype].counts
        if rtype in READ_TYPES:
            assert counts[READ_TYPES[rtype]] == len(resources), rtype
        elif rtype == "Observation":  # panels give one fact per component
            assert counts["observations"] >= len(resources)
            assert not [s for s in files[rtype].skipped if s["reason"] != "already imported"]
        else:
            assert counts["other_resources"] == len(resources), rtype
    repo = RecordRepository(phys.clinical)
    assert repo.patient_count() == len(lines["Patient"])
    if "MedicationRequest" in lines:
        unclassified = repo.db.query_one("SELECT count(*) AS n FROM records_medications "
                                         "WHERE recognised = 0 AND code = ''")["n"]
        assert unclassified == _text_only(lines["MedicationRequest"])
    return lines, report


def test_carebundle_export_imports_whole(store, tmp_path):
    """A 6-patient US Core export from carebundle, with a manifest written here, imports
    whole: facts kept, the Practitioners kept as received, nothing refused."""
    from carebundle import generate_cohort, to_ndjson

    folder = tmp_path / "export"
    folder.mkdir()
    streams = to_ndjson(generate_cohort(count=6, seed=11))
    for rtype, text in streams.items():
        (folder / f"{rtype}.ndjson").write_text(text, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({
        "transactionTime": "2026-01-01T00:00:00Z", "request": "carebundle",
        "requiresAccessToken": False,
        "output": [{"type": t, "url": f"{t}.ndjson"} for t in streams], "error": []}))
    lines, report = _check_whole(store, folder)
    assert report.by_type()["Practitioner"]["kept"] == len(lines["Practitioner"]) > 0


@pytest.mark.slow
@pytest.mark.timeout(3600)  # the simulation alone takes minutes (29 on a loaded machine)
def test_clinosim_hospital_export_imports_whole(store, tmp_path):
    """clinosim's 1,000-patient hospital export (population 2,000, seed 42, ending on
    the store clock's day, so times later that day exercise the clock-skew rule): every
    patient, observation, condition, allergy and medication kept, text-only medications
    unclassified, every type the app does not read kept as received, none refused."""
    out = tmp_path / "sim"
    population = os.environ.get("CLINOSIM_POPULATION", "2000")
    # CLINOSIM_OUTPUT: a folder this same command wrote before (it takes ~10-30 minutes)
    if os.environ.get("CLINOSIM_OUTPUT"):
        out = Path(os.environ["CLINOSIM_OUTPUT"])
    else:
        subprocess.run([sys.executable, "-c", "from clinosim.simulator.cli import main; main()",
                        "simulate", "--country", "US", "--population", population, "--seed",
                        "42", "--end", store.clock.now.date().isoformat(), "--output", str(out),
                        "--format", "fhir-r4"],
                       check=True, capture_output=True, timeout=3000)
    folder = out / "fhir_r4"
    lines, report = _check_whole(store, folder)
    assert len(lines["Patient"]) >= 1000 or population != "2000"
    assert report.by_type()["MedicationRequest"]["flagged"] >= _text_only(
        lines["MedicationRequest"]) > 0
