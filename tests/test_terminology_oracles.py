"""The hand-curated terminology checked against sources shipped in other packages.

No registry package ships RxNorm, the WHO ATC index or a SNOMED CT subset (see
scripts/build_terminology.py), so these oracles check what can be checked independently:

* every shipped LOINC code's mod-10 check digit and every SNOMED CT code's Verhoeff check
  digit and concept partition, with ``aimedicalcoding``'s validators (MIT): a typo in a
  hand-typed code fails here;
* the LOINC codes ``labunits`` (MIT; LOINC-keyed SI/conventional unit table) also lists:
  same analyte, a unit we accept, and the same SI factor as our unit table;
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from aimedicalcoding.core.checkdigits import is_valid_loinc, is_valid_sctid

from clinic_app.core.records import codes
from clinic_app.core.terminology.package import shipped_path

SHIPPED = json.loads(shipped_path().read_text(encoding="utf-8"))
LABUNITS = json.loads(files("labunits").joinpath("data/analytes.json").read_text("utf-8"))

#: labunits' analyte names → our fact names (only the analytes both tables hold).
ANALYTE_FACTS = {"Creatinine": codes.CREATININE, "Glucose": codes.GLUCOSE,
                 "Triglycerides": codes.TRIGLYCERIDES, "Sodium": codes.SODIUM,
                 "Glycated hemoglobin (HbA1c)": codes.HBA1C}
#: labunits' unit spellings → UCUM as our unit table spells them.
LABUNITS_UCUM = {"μmol/L": "umol/L", "mg/dL": "mg/dL", "mmol/L": "mmol/L", "mEq/L": "meq/L",
                 "% of total Hb": "%", "Fraction of total Hb": "1"}


def _loinc_codes() -> list[str]:
    return sorted({*SHIPPED["loinc"], *codes.BP_PANELS, "72166-2"})


def _snomed_codes() -> list[str]:
    found = set(codes.SMOKING_ANSWERS)
    for entry in SHIPPED["snomed"].values():
        for part in (entry, *entry.get("also", ())):
            found |= {part["concept"], *part["descendants"]}
    return sorted(found)


@pytest.mark.parametrize("code", _loinc_codes())
def test_every_loinc_code_has_a_valid_check_digit(code: str) -> None:
    """Each LOINC code the package or the reader uses passes LOINC's mod-10 check digit."""
    assert is_valid_loinc(code), code


@pytest.mark.parametrize("code", _snomed_codes())
def test_every_snomed_code_is_a_well_formed_concept_id(code: str) -> None:
    """Each SNOMED CT code passes the Verhoeff check digit and is in a concept partition."""
    assert is_valid_sctid(code, concept_only=True), code


def test_check_digit_oracle_catches_a_typo() -> None:
    """The validators refuse a one-digit slip (so the two tests above can fail)."""
    assert not is_valid_loinc("2093-4") and not is_valid_sctid("73211008")


def test_labunits_agrees_on_shared_loinc_codes() -> None:
    """Where labunits lists one of our LOINC codes: same analyte, a unit we accept for that
    code, and its SI factor equals our unit table's (to labunits' rounding, 0.1 %)."""
    shared = sorted(set(SHIPPED["loinc"]) & set(LABUNITS))
    assert len(shared) >= 5, shared  # creatinine, glucose, triglycerides, sodium, HbA1c
    for code in shared:
        ours, theirs = SHIPPED["loinc"][code], LABUNITS[code]
        assert ANALYTE_FACTS[theirs["name"]] == ours["fact"], code
        spec = codes.observation_code(codes.LOINC, code)
        assert spec is not None
        traditional = LABUNITS_UCUM[theirs["traditional_units"]]
        si = LABUNITS_UCUM[theirs["si_units"]]
        assert {traditional, si} & set(ours["units"]), code
        if traditional in spec.units and si in spec.units:
            # 1 traditional unit = factor SI units, both read into our canonical unit.
            one = spec.units[traditional].apply(1.0)
            assert spec.units[si].apply(theirs["conversion_factor"]) == pytest.approx(
                one, rel=1e-3), code


def test_labunits_serum_analytes_we_read_are_in_the_package() -> None:
    """Every serum/plasma/blood code labunits gives for an analyte the models read is one
    the package maps (a missing variant would be "not interpreted" on import)."""
    missing = [(code, entry["name"]) for code, entry in LABUNITS.items()
               if entry["name"] in ANALYTE_FACTS
               and set(entry["specimen"]) & {"serum", "plasma", "blood"}
               and code not in SHIPPED["loinc"]]
    assert missing == []

