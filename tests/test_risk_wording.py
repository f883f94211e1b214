"""Engine wording in clinical words: labels for input names, units people write, no LOINC."""

from __future__ import annotations

from clinic_app.core.reports.wording import clinical_unit, plain_flag, plain_source

LABELS = {"systolic_bp": "Systolic blood pressure", "bp_treated": "On blood-pressure medication",
          "age": "Age", "inr": "INR", "hdl_cholesterol": "HDL cholesterol"}


def test_flags_name_inputs_by_label_and_units_as_written():
    """systolic_bp 250 mm[Hg] -> systolic blood pressure 250 mmHg; 40–79 a -> 40–79 years."""
    assert plain_flag("extrapolated: systolic_bp 250 mm[Hg] is outside the valid range "
                      "90–200 mm[Hg]", LABELS) == ("extrapolated: systolic blood pressure 250 "
                                                   "mmHg is outside the valid range 90–200 mmHg")
    assert plain_flag("age 35 a is outside the valid range 40–79 a (guideline)", LABELS) == \
        "age 35 years is outside the valid range 40–79 years (guideline)"
    assert plain_flag("not in the record, counted as absent: bp_treated, inr", LABELS) == \
        "not in the record, counted as absent: on blood-pressure medication, INR"


def test_names_inside_words_are_left_alone():
    """Only whole input names are replaced (an 'age' inside 'dosage' stays)."""
    assert plain_flag("dosage unchanged", LABELS) == "dosage unchanged"


def test_sources_drop_the_loinc_code_and_units_read_clinically():
    """'2093-3 cohort.json Observation/x' -> 'cohort.json Observation/x'; UCUM to clinical."""
    assert plain_source("2093-3 cohort.json Observation/obs-1") == "cohort.json Observation/obs-1"
    assert plain_source("smoking status 'never' (72166-2 cohort.json Observation/s)") == \
        "smoking status 'never' (cohort.json Observation/s)"
    assert [clinical_unit(u) for u in ("mm[Hg]", "a", "mg/dL", "mL/min/{1.73_m2}")] == \
        ["mmHg", "years", "mg/dL", "mL/min/1.73 m²"]


def test_prevent_names_its_other_outcomes_in_words():
    """PREVENT's ASCVD and heart-failure outputs are found and named from their semantics."""
    from clinic_app.core.inference.registry import ModelRegistry
    from clinic_app.core.reports.wording import secondary_outputs

    m = ModelRegistry.default(None).load("prevent-10y").manifest
    out = m.section("outputs")
    found = dict(secondary_outputs(out["tensors"], out["primary"]))
    assert set(found) == {"ascvd", "heart_failure"}
    assert found["heart_failure"] == "heart failure"
    assert found["ascvd"].startswith("atherosclerotic cardiovascular disease")
    pce = ModelRegistry.default(None).load("pce-ascvd-10y").manifest.section("outputs")
    assert secondary_outputs(pce["tensors"], pce["primary"]) == ()


def test_race_source_reads_as_categories_not_extension_and_codes() -> None:
    """The race source names the OMB categories only: no "US Core race extension", no CDC
    code, and no "()" left where plain_source cut a code that looks like a LOINC one."""
    from clinic_app.core.reports.wording import plain_source
    said = "race on the patient record (US Core race extension: White (2106-3), Asian (2028-9))"
    assert plain_source(said) == "race on the patient record (White, Asian)"
    assert plain_source("race on the patient record (CSV race column)") == \
        "race on the patient record (CSV race column)"
