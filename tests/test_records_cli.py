"""The records CLI: import records, patients list, patients show (text, JSON, exit codes)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.core.security.audit import AuditFilter
from clinic_app.synthetic.cohort import generate_cohort
from tests.conftest import PASSWORDS, StoreFixture

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _as(store: StoreFixture, user: str, *args: str) -> list[str]:
    return ["--store", str(store.root), *args, "--user", user, "--password-stdin"]


def test_import_records_json_shape(store: StoreFixture, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """import records --json prints counts, skipped and errors; exit 0 when all files imported."""
    cohort = generate_cohort(5, seed=3)
    files = [*cohort.write_ndjson(tmp_path / "nd")]
    code, out, err = run(_as(store, "phys", "import", "records", *map(str, files), "--json"),
                         PASSWORDS["phys"], monkeypatch)
    assert code == 0, err
    doc = json.loads(out)
    assert {"patients", "observations", "conditions", "medications", "skipped",
            "errors"} <= set(doc)
    assert doc["patients"] == 5 and doc["errors"] == []
    assert doc["observations"] == sum(len(p.measurements) + (p.smoking is not None)
                                      for p in cohort.patients)


def test_import_with_errors_exits_1_and_names_items(store: StoreFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused file makes the command exit 1 and print each item's problem."""
    code, out, _ = run(_as(store, "phys", "import", "records",
                           str(FIXTURES / "out_of_range.json")), PASSWORDS["phys"], monkeypatch)
    assert code == 1
    assert "NOT IMPORTED" in out
    assert "ERROR entry 2 (Observation/oor-sbp): systolic_bp 1200" in out
    assert "nothing from it was stored" in out


def test_patients_list_and_show(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """patients list shows the imported patients; show prints values with units and sources."""
    run(_as(store, "phys", "import", "records", str(FIXTURES / "transaction_bundle.json"),
            str(FIXTURES / "conditions_medications.json")), PASSWORDS["phys"], monkeypatch)
    code, out, _ = run(_as(store, "phys", "patients", "list"), PASSWORDS["phys"], monkeypatch)
    assert code == 0 and "TX-1001" in out and "Lindqvist, Bo Erik" in out
    code, out, _ = run(_as(store, "phys", "patients", "show", "TX-1001"), PASSWORDS["phys"],
                       monkeypatch)
    assert code == 0
    assert "HDL cholesterol" in out and "(from 1.2 mmol/L)" in out
    assert "transaction_bundle.json" in out
    code, out, _ = run(_as(store, "phys", "patients", "show", "CM-1", "--json",
                           "--as-of", "2020-09-01"), PASSWORDS["phys"], monkeypatch)
    doc = json.loads(out)
    assert {c["category"] for c in doc["conditions"]} >= {"heart_failure",
                                                           "stroke_tia_thromboembolism"}
    assert [m["code"] for m in doc["medications"]] == ["11289"]


def test_unknown_mrn_and_wrong_role(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown MRN exits 1 with a PHI-free message; a radiologist gets exit code 4."""
    code, _, err = run(_as(store, "phys", "patients", "show", "NOBODY-42"), PASSWORDS["phys"],
                       monkeypatch)
    assert code == 1 and "No patient with this MRN" in err and "NOBODY-42" not in err
    code, _, err = run(_as(store, "rad", "patients", "list"), PASSWORDS["rad"], monkeypatch)
    assert code == 4


def test_patients_show_names_uncertain_inputs_and_confirmations(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unclassified drug is listed as an uncertain input (text and JSON); after a
    confirmation the text says who confirmed it and that it is not a record fact."""
    from tests.test_records_inputs import _bundle, _drug, _facts

    path = tmp_path / "uncertain.json"
    path.write_text(json.dumps(_bundle(*_facts(), _drug("m1", "99999901",
                                                        "zanolol 5 MG Oral Tablet"))))
    code, _, err = run(_as(store, "phys", "import", "records", str(path)), PASSWORDS["phys"],
                       monkeypatch)
    assert code == 0, err
    code, out, _ = run(_as(store, "phys", "patients", "show", "IN-1"), PASSWORDS["phys"],
                       monkeypatch)
    assert code == 0
    assert ("On blood-pressure medication: uncertain. zanolol 5 MG Oral Tablet — drug class "
            "not recognised.") in out
    code, out, _ = run(_as(store, "phys", "patients", "show", "IN-1", "--json"),
                       PASSWORDS["phys"], monkeypatch)
    item = json.loads(out)["uncertain"][0]
    assert item["feature"] == "bp_treated" and item["confirmation"] is None
    phys = store.login("phys")
    key = store.services.records.list_patients(phys)[0].key
    store.services.records.confirm_input(phys, key, "bp_treated", False,
                                         subject=item["subject"], reason="eye drops")
    code, out, _ = run(_as(store, "phys", "patients", "show", "IN-1"), PASSWORDS["phys"],
                       monkeypatch)
    assert "On blood-pressure medication: no, confirmed by phys on" in out
    assert "not a record fact" in out


def test_patients_confirm_settles_an_uncertain_input(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`patients confirm` records the answer for exactly the drugs `patients show` named,
    audited once; it needs a reason, and is refused once the record settles the input."""
    from tests.test_records_inputs import _bundle, _drug, _facts

    path = tmp_path / "uncertain.json"
    path.write_text(json.dumps(_bundle(*_facts(), _drug("m1", "99999901",
                                                        "zanolol 5 MG Oral Tablet"))))
    assert run(_as(store, "phys", "import", "records", str(path)), PASSWORDS["phys"],
               monkeypatch)[0] == 0
    code, _, _ = run(_as(store, "phys", "patients", "confirm", "IN-1", "bp-medication",
                         "no"), PASSWORDS["phys"], monkeypatch)
    assert code == 2  # argparse: --reason is required
    code, out, err = run(_as(store, "phys", "patients", "confirm", "IN-1", "bp-medication",
                             "no", "--reason", "eye drops for glaucoma"),
                         PASSWORDS["phys"], monkeypatch)
    assert code == 0, err
    assert "On blood-pressure medication: no, by phys" in out
    assert "zanolol 5 MG Oral Tablet" in out and "not a record fact" in out
    code, out, _ = run(_as(store, "phys", "patients", "show", "IN-1"), PASSWORDS["phys"],
                       monkeypatch)
    assert "On blood-pressure medication: no, confirmed by phys on" in out
    admin = store.login("admin")
    entries = [e for e in store.services.audit.entries(admin, AuditFilter())
               if e.action == "records.confirm_input"]
    assert len(entries) == 1 and entries[0].detail["feature"] == "bp_treated"
    code, _, _ = run(_as(store, "rad", "patients", "confirm", "IN-1", "bp-medication", "no",
                         "--reason", "x"), PASSWORDS["rad"], monkeypatch)
    assert code == 4
    path.write_text(json.dumps(_bundle(_drug("m2", "979492", ""))))  # losartan: settled
    assert run(_as(store, "phys", "import", "records", str(path)), PASSWORDS["phys"],
               monkeypatch)[0] == 0
    code, _, err = run(_as(store, "phys", "patients", "confirm", "IN-1", "bp-medication",
                           "yes", "--reason", "asked"), PASSWORDS["phys"], monkeypatch)
    assert code == 1 and "nothing to confirm" in err
