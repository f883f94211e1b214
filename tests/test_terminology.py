"""The terminology package: contents, lookups, and trust (pinned, signed, tampered)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clinic_app.core.inference.package import TrustStore, sign_manifest
from clinic_app.core.terminology.lookup import ATC, RXNORM, SNOMED
from clinic_app.core.terminology.package import load_terminology, shipped_path
from clinic_app.core.terminology.site import active_terminology
from clinic_app.errors import TerminologyError

GROUPS = ("C02", "C03", "C07", "C08", "C09", "C10", "B01", "A10")


@pytest.fixture(scope="module")
def term():
    return load_terminology(shipped_path())


@pytest.mark.parametrize(("cui", "ingredient", "cls"), [
    ("979492", "losartan", "angiotensin_receptor_blocker"),
    ("314077", "lisinopril", "ace_inhibitor"),
    ("617310", "atorvastatin", "statin"),
    ("861007", "metformin", "antidiabetic"),
])
def test_issue_clinical_drugs_resolve(term, cui, ingredient, cls):
    """The SCD codes from the field report resolve to their ingredient and class."""
    found = term.medication(RXNORM, cui)
    assert found is not None and found.ingredients == (ingredient,) and cls in found.classes


def test_normalised_name_resolves_unknown_code(term):
    """An unlisted RxNorm code resolves through its normalised name, combinations too."""
    one = term.medication(RXNORM, "1", "losartan potassium 50 MG Oral Tablet")
    assert one is not None and one.how == "RxNorm name" and "antihypertensive" in one.classes
    combo = term.medication(RXNORM, "2", "amlodipine 5 MG / benazepril hydrochloride 10 MG "
                                         "Oral Capsule")
    assert combo is not None and set(combo.ingredients) == {"amlodipine", "benazepril"}
    us_name = term.medication(RXNORM, "3", "chlorthalidone 25 MG Oral Tablet")
    assert us_name is not None and us_name.ingredients == ("chlortalidone",)


def test_unknown_drugs_are_not_guessed(term):
    """A drug outside the package, or a word inside another word, resolves to nothing."""
    assert term.medication(RXNORM, "4", "meclizine hydrochloride 25 MG Oral Tablet") is None
    assert term.medication(RXNORM, "5", "xlosartanx 50 MG") is None
    assert term.medication("http://example.org/local", "979492") is None


def test_atc_groups_and_exclusions(term):
    """ATC prefixes give classes; PAH drugs (C02KX) are not blood-pressure treatment."""
    assert term.medication(ATC, "C09AA05").classes == ("antihypertensive", "ace_inhibitor")
    assert term.medication(ATC, "C02KX01").classes == ()
    assert term.medication(ATC, "N02BE01").classes == ()
    assert term.medication(ATC, "not-atc") is None


def test_every_ingredient_has_level5_atc_and_every_group_is_covered(term):
    """Each ingredient has well-formed level-5 ATC codes, and each of the eight covered
    groups holds ingredients."""
    seen = set()
    for name, atcs in term.ingredients.items():
        for code in atcs:
            assert re.fullmatch(r"[A-V]\d\d[A-Z][A-Z]\d\d", code), (name, code)
            seen.add(code[:3])
    assert set(GROUPS) <= seen


def test_ingredients_outside_the_covered_groups_carry_no_class(term):
    """A listed non-cardiometabolic ingredient is recognised but never given a class (so it
    can never make a patient count as treated), and C01 cardiac drugs are not listed."""
    outside = {n for n, atcs in term.ingredients.items() if not any(a[:3] in GROUPS
                                                                  for a in atcs)}
    assert {"paracetamol", "sertraline", "omeprazole", "levothyroxine"} <= outside
    for name in outside:
        found = term.medication(RXNORM, "0", f"{name} 10 MG Oral Tablet")
        assert found is not None and found.classes == (), name
    assert not any(a.startswith("C01") for atcs in term.ingredients.values() for a in atcs)


@pytest.mark.parametrize(("name", "ingredient", "atc"), [
    ("Acetaminophen 325 MG Oral Tablet", "paracetamol", "N02BE01"),
    ("sertraline 50 MG Oral Tablet", "sertraline", "N06AB06"),
    ("omeprazole 20 MG Delayed Release Oral Capsule", "omeprazole", "A02BC01"),
    ("levothyroxine sodium 0.05 MG Oral Tablet", "levothyroxine", "H03AA01"),
    ("albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", "salbutamol", "R03AC02"),
    ("amoxicillin 875 MG / clavulanate 125 MG Oral Tablet", "amoxicillin", "J01CA04"),
])
def test_common_non_cardiac_drugs_resolve_by_name(term, name, ingredient, atc):
    """Everyday non-cardiac drugs (unlisted codes) resolve by RxNorm name to their WHO ATC
    code, with no class: recognised, not blood-pressure treatment."""
    found = term.medication(RXNORM, "99999990", name)
    assert found is not None and found.how == "RxNorm name"
    assert ingredient in found.ingredients and atc in found.atc and found.classes == ()


def test_combination_with_an_unlisted_ingredient_is_unknown(term):
    """A combination resolves only when every component is listed: a known analgesic must
    not hide an unknown second ingredient, whichever side it is on."""
    assert term.medication(RXNORM, "7", "acetaminophen 325 MG / zanolol 5 MG Oral Tablet") is None
    assert term.medication(RXNORM, "8", "zanolol 5 MG / amlodipine 5 MG Oral Tablet") is None
    both = term.medication(RXNORM, "9", "hydrochlorothiazide 12.5 MG / lisinopril 20 MG "
                                        "Oral Tablet")
    assert both is not None and "antihypertensive" in both.classes


def test_snomed_descendants_count(term):
    """A listed descendant counts as its model concept (type 2 diabetes → diabetes)."""
    assert term.condition(SNOMED, "44054006") == "diabetes"
    assert term.condition(SNOMED, "5370000") is None  # atrial flutter is not AF


@pytest.mark.parametrize("code", ["53741008", "371803003", "233817007", "22298006",
                                  "840580004"])
def test_coronary_artery_disease_counts_as_vascular_disease(term, code):
    """Coronary artery disease (a second top concept beside MI and PAD) and its subtypes
    count as vascular disease."""
    assert term.condition(SNOMED, code) == "vascular_disease"


def test_package_names_sources_and_versions():
    """The shipped package names every source it was built from, with versions."""
    doc = json.loads(shipped_path().read_text(encoding="utf-8"))
    names = {s["name"] for s in doc["sources"]}
    assert {"LOINC", "RxNorm", "WHO ATC/DDD Index", "SNOMED CT International"} <= names
    assert all(s["version"] for s in doc["sources"])


def test_build_script_reproduces_the_shipped_package():
    """scripts/build_terminology.py's tables are what ships (no hand edits to the JSON)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_terminology", Path(__file__).parents[1] / "scripts" / "build_terminology.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.document() == json.loads(shipped_path().read_text(encoding="utf-8"))


def _copy(tmp_path: Path, change=None, key=None) -> Path:
    doc = json.loads(shipped_path().read_text(encoding="utf-8"))
    if change:
        change(doc)
    if key is not None:
        doc = sign_manifest(doc, key)
    path = tmp_path / "terminology.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_tampered_copy_is_refused(tmp_path):
    """Changing one ATC code breaks the pin; an unsigned package is refused."""
    def tamper(doc):
        doc["ingredients"]["meclizine"] = {"atc": ["C09AA01"], "synonyms": [], "rxcui": ""}
    with pytest.raises(TerminologyError, match="unsigned"):
        load_terminology(_copy(tmp_path, tamper))


def test_signed_update_by_trusted_key_is_accepted(tmp_path):
    """IT's update signed by a key in the trust store verifies; an unknown key does not."""
    key = Ed25519PrivateKey.generate()

    def newer(doc):
        doc["version"] = "2099.1.0"
    path = _copy(tmp_path, newer, key)
    trusted = TrustStore().with_keys([key.public_key()])
    assert load_terminology(path, trusted).version == "2099.1.0"
    with pytest.raises(TerminologyError, match="not in the trust store"):
        load_terminology(path, TrustStore())
    doc = json.loads(path.read_text())
    doc["ingredients"]["losartan"]["atc"] = ["N02BE01"]
    path.write_text(json.dumps(doc))
    with pytest.raises(TerminologyError, match="altered after signing"):
        load_terminology(path, trusted)


def test_site_package_that_fails_is_refused_loudly(tmp_path):
    """A damaged site package raises instead of quietly falling back to the shipped one."""
    folder = tmp_path / "models" / "terminology"
    folder.mkdir(parents=True)
    (folder / "terminology.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TerminologyError):
        active_terminology(tmp_path / "models")
    assert active_terminology(tmp_path / "nothing-here").id == "clinic-terminology"


def test_imported_coronary_artery_disease_is_vascular_disease():
    """The records reader files a SNOMED coronary artery disease condition as vascular
    disease (CHA2DS2-VASc's V, and known CVD for the primary-prevention scores)."""
    from clinic_app.core.records import codes

    assert codes.condition_category(SNOMED, "53741008") == "vascular_disease"
