"""Code tables: conditions by SNOMED CT / ICD-10, medication classes by ATC / RxNorm."""

from __future__ import annotations

import pytest

from clinic_app.core.records import codes


@pytest.mark.parametrize(("system", "code", "expected"), [
    (codes.SNOMED, "44054006", ("diabetes",)),
    (codes.SNOMED, "714628002", ()),  # prediabetes is not diabetes
    (codes.SNOMED, "49436004", ("atrial_fibrillation",)),
    (codes.SNOMED, "5370000", ()),  # atrial flutter is not AF
    (codes.ICD10, "E11.9", ("diabetes",)),
    (codes.ICD10_CM, "E119", ("diabetes",)),
    (codes.ICD10, "I10", ("hypertension",)),
    (codes.ICD10, "I11.0", ("hypertension", "heart_failure")),
    (codes.ICD10_CM, "I48.91", ("atrial_fibrillation",)),
    (codes.ICD10_CM, "I48.92", ()),  # unspecified atrial flutter
    (codes.ICD10, "I48.3", ()),  # typical atrial flutter
    (codes.ICD10, "G45.9", ("stroke_tia_thromboembolism",)),
    (codes.ICD10, "G45.4", ()),  # transient global amnesia is not a TIA
    (codes.ICD10, "I70.0", ("vascular_disease",)),
    (codes.ICD10_CM, "I25.10", ("vascular_disease",)),  # CAD, as a US Core export codes it
    (codes.ICD10, "I20.9", ()),  # angina without a CAD diagnosis is not counted
    (codes.ICD10, "K74.60", ("liver_cirrhosis",)),
    (codes.ICD10, "Z99.2", ("dialysis",)),
    ("http://example.org/local", "44054006", ()),
])
def test_condition_categories(system, code, expected):
    """Codes map to canonical categories; near-misses (flutter, prediabetes, TGA) do not."""
    assert codes.condition_categories(system, code) == expected


def test_every_mapped_category_is_declared():
    """Every category in the tables has a declared kind (history or state)."""
    used = set(codes.snomed_conditions().values()) | {c for _, c in codes.ICD10_CONDITIONS if c}
    assert used <= set(codes.CONDITION_CATEGORIES)
    assert {c.kind for c in codes.CONDITION_CATEGORIES.values()} == {"history", "state"}


@pytest.mark.parametrize(("system", "code", "expected"), [
    (codes.ATC, "C09AA05", ("antihypertensive", "ace_inhibitor")),
    (codes.ATC, "C07AB07", ("antihypertensive", "beta_blocker")),
    (codes.ATC, "C10AA05", ("statin",)),
    (codes.ATC, "N02BE01", ()),  # paracetamol: a real ATC code in no tracked class
    (codes.ATC, "not-atc", None),
    (codes.RXNORM, "314076", ("antihypertensive", "ace_inhibitor")),
    (codes.RXNORM, "11289", ("anticoagulant",)),
    (codes.RXNORM, "999999999", None),  # unknown: flagged by the importer, never guessed
])
def test_medication_classes(system, code, expected):
    """ATC prefixes and listed RxNorm codes give classes; unknown RxNorm codes give None."""
    assert codes.medication_classes(system, code) == expected


def test_smoking_answers():
    """SNOMED smoking answers map to current / former / never / unknown."""
    assert codes.smoking_category("449868002") == "current"
    assert codes.smoking_category("8517006") == "former"
    assert codes.smoking_category("266919005") == "never"
    assert codes.smoking_category("123") is None
    assert codes.smoking_category(None) is None


def test_observation_table_is_consistent():
    """Every quantity code has its canonical unit among its accepted units and sane ranges."""
    for code, spec in codes.OBSERVATIONS.items():
        if spec.coded:
            continue
        assert spec.unit in spec.units, code
        assert spec.plausible and spec.expected
        assert spec.plausible.low <= spec.expected.low < spec.expected.high <= spec.plausible.high


def test_documentation_lists_every_code_and_range():
    """docs/records.md lists every LOINC code we read with its fact name and ranges."""
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "records.md").read_text(encoding="utf-8")
    for code, spec in codes.OBSERVATIONS.items():
        assert code in doc and f"`{spec.name}`" in doc, code
        if spec.plausible and spec.expected:
            assert f"{spec.plausible} | {spec.expected}" in doc, code
    for answer in codes.SMOKING_ANSWERS:
        assert answer in doc
