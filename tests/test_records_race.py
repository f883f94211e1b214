"""Race in the record: US Core race extension, the CSV race column, storage, display, PCE."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.patient import Patient as R4BPatient
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main
from clinic_app.core.records import codes
from clinic_app.core.records.csv_reader import read_csv
from clinic_app.core.records.fhir import read_json
from clinic_app.core.records.repository import MIGRATIONS, RecordRepository
from clinic_app.core.store.database import Database, migrate
from clinic_app.services.risk import calculate
from clinic_app.synthetic.cohort import generate_cohort
from clinic_app.synthetic.patients import ISSUER
from tests.conftest import PASSWORDS, StoreFixture

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NULL = codes.NULL_FLAVOR


def _coding(code: str, system: str = codes.CDC_RACE) -> dict:
    return {"url": "ombCategory", "valueCoding": {"system": system, "code": code}}


def _patient(*parts: dict, pid: str = "p1", mrn: str = "R-1", **extra) -> dict:
    res = {"resourceType": "Patient", "id": pid,
           "identifier": [{"system": "urn:mrn", "value": mrn}],
           "name": [{"family": "Race", "given": ["Test"]}], "gender": "male",
           "birthDate": "1966-03-10", **extra}
    if parts:
        res["extension"] = [{"url": codes.US_CORE_RACE,
                             "extension": [*parts, {"url": "text", "valueString": "as given"}]}]
    return res


def _read(res: dict):
    parsed = read_json(json.dumps(res), "p.json", NOW)
    assert not parsed.errors, parsed.errors
    (item,) = parsed.patients
    return item, [p.reason for p in parsed.flags]


@pytest.mark.parametrize(("code", "race", "words"), [
    ("2106-3", "white", "White (2106-3)"),
    ("2054-5", "african_american", "Black or African American (2054-5)"),
    ("2028-9", "other", "Asian (2028-9)"),
    ("1002-5", "other", "American Indian or Alaska Native (1002-5)"),
    ("2076-8", "other", "Native Hawaiian or Other Pacific Islander (2076-8)"),
    ("2131-1", "other", "Other Race (2131-1)"),
])
def test_one_omb_category_gives_the_equation_race(code, race, words):
    """Each OMB category maps to white, african_american or other, and the source says which code."""
    item, flags = _read(_patient(_coding(code)))
    assert (item.race, item.race_source) == (race, f"US Core race extension: {words}")
    assert flags == []
    R4BPatient.model_validate(_patient(_coding(code)))  # the test input is valid FHIR


def test_no_race_extension_is_not_recorded():
    """A Patient without the race extension has no race (None), never a default."""
    item, flags = _read(_patient())
    assert (item.race, item.race_source, flags) == (None, "", [])


@pytest.mark.parametrize(("parts", "race", "flag"), [
    ([_coding("2106-3"), _coding("2028-9")], "other", None),
    ([_coding("2028-9"), _coding("1002-5")], "other", None),
    ([_coding("2106-3"), _coding("2106-3")], "white", None),
    ([_coding("2106-3"), _coding("2054-5")], None, "several OMB categories including Black"),
    ([_coding("2054-5"), _coding("2028-9")], None, "several OMB categories including Black"),
    ([_coding("UNK", NULL)], None, None),
    ([_coding("ASKU", NULL)], None, None),
    ([_coding("UNK", NULL), _coding("2106-3")], None, "together with unknown"),
    ([_coding("2058-6")], None, "is not an OMB race category"),  # a detailed code (African American)
    ([_coding("2106-3", "http://example.org/race")], None, "is not an OMB race category"),
    ([{"url": "detailed", "valueCoding": {"system": codes.CDC_RACE, "code": "2108-9"}}], None,
     "has no OMB category"),
])
def test_several_or_odd_categories_follow_the_documented_rule(parts, race, flag):
    """Several categories: all-white-equation sets are 'other'; with Black none is chosen; odd codes are flagged."""
    item, flags = _read(_patient(*parts))
    assert item.race == race
    if flag is None:
        assert flags == []
    else:
        assert len(flags) == 1 and flag in flags[0] and flags[0].startswith("race: ")


def test_malformed_race_extension_is_an_error_naming_the_element():
    """An ombCategory without a valueCoding object rejects the Patient with a clear reason."""
    parsed = read_json(json.dumps(_patient({"url": "ombCategory", "valueCode": "2106-3"})),
                       "p.json", NOW)
    assert [p.reason for p in parsed.errors] == [
        "us-core-race ombCategory.valueCoding must be a JSON object"]


_CODES = st.sampled_from([(c, codes.CDC_RACE) for c in codes.OMB_RACE]
                         + [("UNK", NULL), ("ASKU", NULL), ("2058-6", codes.CDC_RACE),
                            ("2106-3", ""), ("", codes.CDC_RACE)])


@settings(max_examples=200)
@given(st.lists(_CODES, max_size=5))
def test_any_combination_of_codes_reads_without_crashing_and_never_guesses(pairs):
    """Whatever the ombCategory codings, the race is race_of the OMB codes, or None when anything is odd."""
    item, flags = _read(_patient(*[_coding(c, s) for c, s in pairs]))
    omb = [c for c, s in pairs if s == codes.CDC_RACE and c in codes.OMB_RACE]
    nulls = [c for c, s in pairs if s == NULL]
    expected = None if (nulls and omb) else codes.race_of(omb)
    assert item.race == expected
    assert item.race in (*codes.RACES, None)
    if pairs and item.race is None and not (nulls and not omb):
        assert flags  # not recorded for a reason the import report states


# -- CSV ----------------------------------------------------------------------------------

def test_csv_race_column_values_and_errors():
    """The optional race column takes white/african_american/other/unknown/empty; other text is an error."""
    text = ("mrn,issuer,family,given,birth_date,sex,race\n"
            "A,,X,Y,1960-01-01,F,white\nB,,X,Y,1960-01-01,M,African_American\n"
            "C,,X,Y,1960-01-01,M,other\nD,,X,Y,1960-01-01,M,\nE,,X,Y,1960-01-01,M,unknown\n"
            "F,,X,Y,1960-01-01,M,asian\n")
    parsed = read_csv(text, "pats.csv", NOW)
    assert [p.race for p in parsed.patients] == ["white", "african_american", "other", None, None]
    assert parsed.patients[0].race_source == "patients CSV race column: white"
    assert parsed.patients[3].race_source == ""
    [error] = parsed.errors
    assert error.item == "pats.csv:7" and "race 'asian' is not white, african_american, other" \
        in error.reason and "'other'" in error.reason


def test_csv_without_race_column_still_reads_with_race_not_recorded():
    """The race column is optional: the six-column template reads as before, race None."""
    parsed = read_csv("mrn,issuer,family,given,birth_date,sex\nA,,X,Y,1960-01-01,F\n", "p.csv", NOW)
    assert not parsed.errors and parsed.patients[0].race is None


# -- store ----------------------------------------------------------------------------------

def _bundle(tmp_path: Path, name: str, *resources: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in resources]}))
    return path


def test_race_is_stored_filled_in_later_and_never_overwritten(store: StoreFixture, tmp_path: Path):
    """Race is stored; a later import fills a missing race (flagged) but never replaces one (flagged)."""
    phys = store.login("phys")
    first = _bundle(tmp_path, "a.json", _patient(pid="a", mrn="R-A"),
                    _patient(_coding("2054-5"), pid="b", mrn="R-B"))
    assert store.services.records.import_files(phys, [first]).ok
    repo = RecordRepository(phys.clinical)
    assert repo.patient_by_mrn("R-A").race is None
    b = repo.patient_by_mrn("R-B")
    assert (b.race, b.race_source) == ("african_american",
                                       "US Core race extension: Black or African American (2054-5)")
    second = _bundle(tmp_path, "b.json", _patient(_coding("2106-3"), pid="a", mrn="R-A"),
                     _patient(_coding("2106-3"), pid="b", mrn="R-B"))
    report = store.services.records.import_files(phys, [second])
    assert report.ok
    flagged = {p.item: p.reason for p in report.files[0].flagged}
    assert flagged["entry 1 (Patient/a)"] == "race added to the stored record"
    assert "the stored race was kept" in flagged["entry 2 (Patient/b)"]
    assert repo.patient_by_mrn("R-A").race == "white"
    assert repo.patient_by_mrn("R-B").race == "african_american"


def test_race_migration_upgrades_a_store_without_the_column(tmp_path: Path):
    """A records store at the first schema gains the race columns; existing patients are 'not recorded'."""
    db = Database(tmp_path / "c.db", bytes(range(32)), create=True)
    migrate(db, "records", MIGRATIONS[:1])
    with db.transaction():
        imp = db.execute("INSERT INTO records_imports(source_file, sha256, format, imported_at) "
                         "VALUES ('x.json', '00', 'fhir-json', '2025-01-01T00:00:00Z')")
        db.execute("INSERT INTO records_patients(mrn, sex, import_id, resource_id) "
                   "VALUES ('OLD-1', 'female', ?, 'Patient/1')", (imp,))
    assert migrate(db, "records", MIGRATIONS) == len(MIGRATIONS)
    old = RecordRepository(db).patient_by_mrn("OLD-1")
    assert old is not None and (old.race, old.race_source) == (None, "")
    with pytest.raises(Exception, match="CHECK"):
        db.execute("UPDATE records_patients SET race = 'asian'")
    db.close()


# -- CLI: patients show, and the PCE from a stored patient ------------------------------------

def _run(store: StoreFixture, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(PASSWORDS["phys"] + "\n")
    try:
        code = main(["--store", str(store.root), *args, "--user", "phys", "--password-stdin"],
                     out, err)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def _obs(rid: str, pid: str, code: str, value: float, unit: str, when: str = "2025-11-01") -> dict:
    return {"resourceType": "Observation", "id": rid, "status": "final",
            "code": {"coding": [{"system": codes.LOINC, "code": code}]},
            "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": when,
            "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org",
                              "code": unit}}


def _scorable(pid: str, mrn: str, *race: dict) -> list[dict]:
    """A 59-year-old man with the guideline example's values (TC 213, HDL 50, SBP 120), non-smoker."""
    return [_patient(*race, pid=pid, mrn=mrn),
            _obs(f"{pid}-tc", pid, "2093-3", 213, "mg/dL"),
            _obs(f"{pid}-hdl", pid, "2085-9", 50, "mg/dL"),
            _obs(f"{pid}-sbp", pid, "8480-6", 120, "mm[Hg]"),
            {"resourceType": "Observation", "id": f"{pid}-smk", "status": "final",
             "code": {"coding": [{"system": codes.LOINC, "code": "72166-2"}]},
             "subject": {"reference": f"Patient/{pid}"}, "effectiveDateTime": "2025-11-01",
             "valueCodeableConcept": {"coding": [{"system": codes.SNOMED, "code": "266919005"}]}}]


@pytest.fixture
def scored_store(store: StoreFixture, tmp_path: Path) -> StoreFixture:
    """Three scorable patients: African-American, Asian ('other') and race not recorded."""
    path = _bundle(tmp_path, "race.json", *_scorable("aa", "PCE-AA", _coding("2054-5")),
                   *_scorable("as", "PCE-AS", _coding("2028-9")), *_scorable("nr", "PCE-NR"))
    store.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert store.services.records.import_files(store.login("phys"), [path]).ok
    store.services.close()
    return store


def test_patients_show_prints_the_race_and_where_it_came_from(scored_store: StoreFixture):
    """patients show prints race with its source, 'not recorded' when absent, and JSON carries it."""
    code, out, _ = _run(scored_store, "patients", "show", "PCE-AA")
    assert code == 0
    assert "race African-American (US Core race extension: Black or African American (2054-5))" in out
    code, out, _ = _run(scored_store, "patients", "show", "PCE-NR")
    assert "race not recorded" in out
    code, out, _ = _run(scored_store, "patients", "show", "PCE-AS", "--json")
    assert json.loads(out)["patient"]["race"] == "other"


@pytest.mark.parametrize(("mrn", "race"), [("PCE-AA", "african_american"), ("PCE-AS", "other")])
def test_score_mrn_computes_the_pce_from_the_stored_race(scored_store: StoreFixture, mrn, race):
    """`clinic-app score MRN` gives the PCE from stored facts, equal to the calculator for the same inputs."""
    code, out, err = _run(scored_store, "score", mrn, "--model", "pce-ascvd-10y", "--as-of",
                          "2026-01-05", "--json")
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert result["inputs"]["race"]["value"] == race
    assert "US Core race extension" in result["inputs"]["race"]["source"]
    assert result["inputs"]["age"]["value"] == 59
    expected = calculate(scored_store.settings(), "pce-ascvd-10y", {
        "age": 59, "sex": "male", "race": race, "total_cholesterol": 213.0,
        "hdl_cholesterol": 50.0, "systolic_bp": 120.0, "bp_treated": False, "smoker": False,
        "diabetes": False})
    assert result["value"] == expected.value
    other_flag = any("white equations were used" in f for f in result["flags"])
    assert other_flag == (race == "other")


def test_score_mrn_without_race_says_what_to_record(scored_store: StoreFixture):
    """No race on the record: the PCE is 'cannot compute: missing race (…)' and the command exits 1."""
    code, out, _ = _run(scored_store, "score", "PCE-NR", "--model", "pce-ascvd-10y", "--as-of",
                          "2026-01-05")
    assert code == 1
    assert ("cannot compute: missing race (record the patient's race, e.g. US Core race extension "
            "or the CSV race column)") in out


# -- synthetic cohort -----------------------------------------------------------------------

def test_cohort_race_is_realistic_valid_and_imports_as_its_ground_truth(store: StoreFixture,
                                                                        tmp_path: Path):
    """The cohort carries US Core race (some not recorded); FHIR and CSV imports store the truth."""
    big = generate_cohort(400, seed=0).patients
    share = {r: sum(p.race == r for p in big) / len(big) for r in (*codes.RACES, None)}
    assert 0.5 < share["white"] < 0.75 and 0.07 < share["african_american"] < 0.2
    assert 0.05 < share["other"] < 0.2 and 0.04 < share[None] < 0.25
    assert any(len(p.race_codes) > 1 for p in big) and any(not p.race_codes for p in big)
    cohort = generate_cohort(40, seed=4)
    phys = store.login("phys")
    assert store.services.records.import_files(phys, [cohort.write_bundle(tmp_path / "b.json")]).ok
    repo = RecordRepository(phys.clinical)
    for p in cohort.patients:
        assert repo.patient_by_mrn(p.demographics.mrn, ISSUER).race == p.race
    patients_csv, _ = cohort.write_csv(tmp_path / "csv")
    parsed = read_csv(patients_csv.read_text(encoding="utf-8"), "patients.csv", NOW)
    assert not parsed.errors
    assert [i.race for i in parsed.patients] == [p.race for p in cohort.patients]
