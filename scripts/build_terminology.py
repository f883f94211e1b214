"""Build the terminology package (resources/terminology/terminology.json) and pin it.

Why a curated table: no package on the registries reachable here (PyPI, Debian, npm)
ships RxNorm, the WHO ATC index or SNOMED CT subsets we could redistribute (searched
for rxnorm/atc/snomed/loinc packages: cumulus-library-rxnorm holds SQL over a UMLS
download, draymed/django-snomed-ct need a licensed SNOMED release). So the tables below
are typed in by hand from the named public sources and versions, reviewed, and tested
(tests/test_terminology.py). Every entry names what it is; nothing is fuzzy-matched.
Searched again in 2026-12 (PyPI, npm, Debian): still none. What packages do ship is used
as test oracles (tests/test_terminology_oracles.py): aimedicalcoding's LOINC mod-10 and
SNOMED CT Verhoeff validators check every code typed here, and labunits' LOINC-keyed unit
table checks the analyte, units and SI factor of the codes it shares with ours.

* LOINC 2.78 (loinc.org; LOINC Table Core): each model input's codes, including the SI
  (moles/volume) and mass variants and common method variants, with their units.
* WHO ATC/DDD Index 2025 (atcddd.fhi.no): the ingredients of ATC groups C02, C03, C07,
  C08, C09, C10, B01 and A10 marketed in the US or EU, with their ATC codes and the
  US adopted names (aspirin, chlorthalidone, glyburide …) as synonyms.
* RxNorm (NLM, monthly release 2025-11; rxnav.nlm.nih.gov): ingredient (IN) RxCUIs we
  could check, and clinical/branded drugs (SCD/SBD) commonly sent by US EHRs. A code not
  listed resolves through its RxNorm normalised name ("losartan potassium 50 MG Oral
  Tablet" -> losartan), which every SCD/SBD/GPCK/BPCK display carries.
* SNOMED CT International 2025-01: the descendants of each condition concept the models
  use, as listed (a hand subset, not the full transitive closure).

IT updates the package without a release by shipping a newer, signed terminology.json in
``<models_dir>/terminology/`` (signed with models/sign_package.py's key format; see
docs/records.md). Run:  .venv/bin/python scripts/build_terminology.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERSION = "2026.12.3"
SOURCES = [
    {"name": "LOINC", "version": "2.78", "url": "https://loinc.org",
     "use": "model input codes with units (SI, mass and method variants)"},
    {"name": "WHO ATC/DDD Index", "version": "2025", "url": "https://atcddd.fhi.no",
     "use": "ingredients of C02, C03, C07, C08, C09, C10, B01, A10 and their ATC codes; "
            "common ingredients outside them (analgesics, SSRIs, PPIs, thyroid, …) with "
            "their ATC codes, so they count as recognised and not blood-pressure treatment"},
    {"name": "RxNorm", "version": "2025-11 monthly", "url": "https://www.nlm.nih.gov/research/umls/rxnorm",
     "use": "ingredient RxCUIs, common SCD/SBD codes; normalised names resolve the rest"},
    {"name": "SNOMED CT International", "version": "2025-01", "url": "https://www.snomed.org",
     "use": "descendants of the condition concepts the models use (hand subset)"},
]

# -- LOINC: code -> (model input fact, display, units the code is reported in) -----------
LOINC = {
    "8480-6": ("systolic_bp", "Systolic blood pressure", ["mm[Hg]"]),
    "8459-0": ("systolic_bp", "Systolic blood pressure, sitting", ["mm[Hg]"]),
    "8460-8": ("systolic_bp", "Systolic blood pressure, standing", ["mm[Hg]"]),
    "8461-6": ("systolic_bp", "Systolic blood pressure, supine", ["mm[Hg]"]),
    "8462-4": ("diastolic_bp", "Diastolic blood pressure", ["mm[Hg]"]),
    "8453-3": ("diastolic_bp", "Diastolic blood pressure, sitting", ["mm[Hg]"]),
    "8454-1": ("diastolic_bp", "Diastolic blood pressure, standing", ["mm[Hg]"]),
    "8455-8": ("diastolic_bp", "Diastolic blood pressure, supine", ["mm[Hg]"]),
    "2093-3": ("total_cholesterol", "Total cholesterol", ["mg/dL"]),
    "14647-2": ("total_cholesterol", "Total cholesterol (moles/volume)", ["mmol/L"]),
    "2085-9": ("hdl_cholesterol", "HDL cholesterol", ["mg/dL"]),
    "14646-4": ("hdl_cholesterol", "HDL cholesterol (moles/volume)", ["mmol/L"]),
    "13457-7": ("ldl_cholesterol", "LDL cholesterol (calculated)", ["mg/dL"]),
    "18262-6": ("ldl_cholesterol", "LDL cholesterol (direct)", ["mg/dL"]),
    "2089-1": ("ldl_cholesterol", "LDL cholesterol", ["mg/dL"]),
    "39469-2": ("ldl_cholesterol", "LDL cholesterol (calculated, moles/volume)", ["mmol/L"]),
    "22748-8": ("ldl_cholesterol", "LDL cholesterol (moles/volume)", ["mmol/L"]),
    "2571-8": ("triglycerides", "Triglycerides", ["mg/dL"]),
    "14927-8": ("triglycerides", "Triglycerides (moles/volume)", ["mmol/L"]),
    "4548-4": ("hba1c", "Hemoglobin A1c", ["%"]),
    "17856-6": ("hba1c", "Hemoglobin A1c (HPLC)", ["%"]),
    "4549-2": ("hba1c", "Hemoglobin A1c (electrophoresis)", ["%"]),
    "59261-8": ("hba1c", "Hemoglobin A1c (IFCC)", ["mmol/mol"]),
    "2345-7": ("glucose", "Glucose (serum/plasma)", ["mg/dL"]),
    "9318-7": ("uacr", "Albumin/creatinine ratio (urine)", ["mg/g"]),
    "14959-1": ("uacr", "Microalbumin/creatinine ratio (urine)", ["mg/g"]),
    "32294-1": ("uacr", "Albumin/creatinine ratio (urine, mg/mmol)", ["mg/mmol"]),
    "2339-0": ("glucose", "Glucose (blood)", ["mg/dL"]),
    "1558-6": ("glucose", "Glucose, fasting (serum/plasma)", ["mg/dL"]),
    "41653-7": ("glucose", "Glucose (capillary blood, glucometer)", ["mg/dL"]),
    "14749-6": ("glucose", "Glucose (serum/plasma, moles/volume)", ["mmol/L"]),
    "15074-8": ("glucose", "Glucose (blood, moles/volume)", ["mmol/L"]),
    "2160-0": ("creatinine", "Creatinine", ["mg/dL"]),
    "38483-4": ("creatinine", "Creatinine (blood)", ["mg/dL"]),
    "14682-9": ("creatinine", "Creatinine (moles/volume)", ["umol/L"]),
    "1975-2": ("bilirubin_total", "Bilirubin, total", ["mg/dL"]),
    "42719-5": ("bilirubin_total", "Bilirubin, total (blood)", ["mg/dL"]),
    "14631-6": ("bilirubin_total", "Bilirubin, total (moles/volume)", ["umol/L"]),
    "6301-6": ("inr", "INR", ["{INR}"]),
    "34714-6": ("inr", "INR (coagulation assay)", ["{INR}"]),
    "46418-0": ("inr", "INR (capillary blood, coagulation assay)", ["{INR}"]),
    "2951-2": ("sodium", "Sodium", ["mmol/L"]),
    "2947-0": ("sodium", "Sodium (blood)", ["mmol/L"]),
    "39156-5": ("bmi", "Body mass index", ["kg/m2"]),
    "29463-7": ("body_weight", "Body weight", ["kg"]),
    "3141-9": ("body_weight", "Body weight (measured)", ["kg"]),
    "8302-2": ("body_height", "Body height", ["cm"]),
    "8306-3": ("body_height", "Body height (lying)", ["cm"]),
    "8280-0": ("waist_circumference", "Waist circumference at umbilicus (tape measure)",
               ["cm", "[in_i]"]),
    "56086-2": ("waist_circumference", "Adult waist circumference (NIH protocol)",
                ["cm", "[in_i]"]),
}

# -- ATC groups -> the classes the models ask about (longest prefix wins) ---------------
AH = "antihypertensive"
ATC_CLASSES = [
    ("C02", [AH]), ("C02KX", []),  # C02KX: pulmonary arterial hypertension, not systemic BP
    ("C03", [AH, "diuretic"]), ("C03X", []),  # vasopressin antagonists
    ("C07", [AH, "beta_blocker"]),
    ("C08", [AH, "calcium_channel_blocker"]),
    ("C09A", [AH, "ace_inhibitor"]), ("C09B", [AH, "ace_inhibitor"]),
    ("C09C", [AH, "angiotensin_receptor_blocker"]), ("C09D", [AH, "angiotensin_receptor_blocker"]),
    ("C09X", [AH]),
    ("C10", ["lipid_lowering"]), ("C10AA", ["statin"]), ("C10BA", ["statin"]),
    ("B01", ["antithrombotic"]),
    ("B01AA", ["anticoagulant"]), ("B01AB", ["anticoagulant"]), ("B01AE", ["anticoagulant"]),
    ("B01AF", ["anticoagulant"]), ("B01AX05", ["anticoagulant"]), ("B01AC", ["antiplatelet"]),
    ("A10A", ["antidiabetic", "insulin"]), ("A10B", ["antidiabetic"]),
]

# -- ingredients: name -> (ATC codes, synonyms, RxNorm IN RxCUI or "") ---------------------
# (RxCUIs only where checked; names resolve every normalised RxNorm drug name.)
INGREDIENTS: dict[str, tuple[list[str], list[str], str]] = {
    # C02
    "clonidine": (["C02AC01"], [], "2599"), "guanfacine": (["C02AC02"], [], ""),
    "moxonidine": (["C02AC05"], [], ""), "rilmenidine": (["C02AC06"], [], ""),
    "methyldopa": (["C02AB01"], [], ""), "reserpine": (["C02AA02"], [], ""),
    "doxazosin": (["C02CA04"], [], ""), "prazosin": (["C02CA01"], [], ""),
    "terazosin": (["C02CA05"], [], ""), "urapidil": (["C02CA06"], [], ""),
    "hydralazine": (["C02DB02"], [], "5470"), "minoxidil": (["C02DC01"], [], ""),
    "bosentan": (["C02KX01"], [], ""), "ambrisentan": (["C02KX02"], [], ""),
    "macitentan": (["C02KX04"], [], ""), "riociguat": (["C02KX05"], [], ""),
    # C03
    "hydrochlorothiazide": (["C03AA03"], [], "5487"), "chlorothiazide": (["C03AA04"], [], ""),
    "bendroflumethiazide": (["C03AA01"], ["bendrofluazide"], ""),
    "methyclothiazide": (["C03AA08"], [], ""), "cyclopenthiazide": (["C03AA07"], [], ""),
    "chlortalidone": (["C03BA04"], ["chlorthalidone"], "2409"),
    "indapamide": (["C03BA11"], [], "5764"), "metolazone": (["C03BA08"], [], ""),
    "xipamide": (["C03BA10"], [], ""), "clopamide": (["C03BA03"], [], ""),
    "furosemide": (["C03CA01"], ["frusemide"], "4603"), "bumetanide": (["C03CA02"], [], ""),
    "torasemide": (["C03CA04"], ["torsemide"], ""),
    "etacrynic acid": (["C03CC01"], ["ethacrynic acid"], ""),
    "spironolactone": (["C03DA01"], [], "9997"), "eplerenone": (["C03DA04"], [], ""),
    "finerenone": (["C03DA05"], [], ""), "canrenone": (["C03DA03"], [], ""),
    "potassium canrenoate": (["C03DA02"], [], ""),
    "amiloride": (["C03DB01"], [], ""), "triamterene": (["C03DB02"], [], ""),
    "tolvaptan": (["C03XA01"], [], ""), "conivaptan": (["C03XA02"], [], ""),
    # C07
    "propranolol": (["C07AA05"], [], "8787"), "atenolol": (["C07AB03"], [], "1202"),
    "metoprolol": (["C07AB02"], [], "6918"), "bisoprolol": (["C07AB07"], [], "19484"),
    "carvedilol": (["C07AG02"], [], "20352"), "labetalol": (["C07AG01"], [], ""),
    "nebivolol": (["C07AB12"], [], ""), "nadolol": (["C07AA12"], [], ""),
    "pindolol": (["C07AA03"], [], ""), "acebutolol": (["C07AB04"], [], ""),
    "betaxolol": (["C07AB05"], [], ""), "sotalol": (["C07AA07"], [], ""),
    "timolol": (["C07AA06"], [], ""), "esmolol": (["C07AB09"], [], ""),
    "celiprolol": (["C07AB08"], [], ""), "oxprenolol": (["C07AA02"], [], ""),
    "carteolol": (["C07AA15"], [], ""), "landiolol": (["C07AB14"], [], ""),
    # C08
    "amlodipine": (["C08CA01"], [], "17767"), "levamlodipine": (["C08CA17"], [], ""),
    "felodipine": (["C08CA02"], [], ""), "isradipine": (["C08CA03"], [], ""),
    "nicardipine": (["C08CA04"], [], ""), "nifedipine": (["C08CA05"], [], "7417"),
    "nimodipine": (["C08CA06"], [], ""), "nisoldipine": (["C08CA07"], [], ""),
    "nitrendipine": (["C08CA08"], [], ""), "lacidipine": (["C08CA09"], [], ""),
    "lercanidipine": (["C08CA13"], [], ""), "clevidipine": (["C08CA16"], [], ""),
    "manidipine": (["C08CA11"], [], ""), "barnidipine": (["C08CA12"], [], ""),
    "verapamil": (["C08DA01"], [], "11170"), "diltiazem": (["C08DB01"], [], "3443"),
    # C09
    "captopril": (["C09AA01"], [], ""), "enalapril": (["C09AA02"], [], "3827"),
    "lisinopril": (["C09AA03"], [], "29046"), "perindopril": (["C09AA04"], [], ""),
    "ramipril": (["C09AA05"], [], "35296"), "quinapril": (["C09AA06"], [], ""),
    "benazepril": (["C09AA07"], [], ""), "cilazapril": (["C09AA08"], [], ""),
    "fosinopril": (["C09AA09"], [], ""), "trandolapril": (["C09AA10"], [], ""),
    "moexipril": (["C09AA13"], [], ""), "zofenopril": (["C09AA15"], [], ""),
    "imidapril": (["C09AA16"], [], ""),
    "losartan": (["C09CA01"], [], "52175"), "eprosartan": (["C09CA02"], [], ""),
    "valsartan": (["C09CA03"], [], "69749"), "irbesartan": (["C09CA04"], [], "83818"),
    "candesartan": (["C09CA06"], [], "214354"), "telmisartan": (["C09CA07"], [], ""),
    "olmesartan": (["C09CA08"], [], "321064"), "azilsartan": (["C09CA09"], [], ""),
    "sacubitril": (["C09DX04"], [], ""), "aliskiren": (["C09XA02"], [], ""),
    # C10
    "simvastatin": (["C10AA01"], [], "36567"), "lovastatin": (["C10AA02"], [], ""),
    "pravastatin": (["C10AA03"], [], "42463"), "fluvastatin": (["C10AA04"], [], ""),
    "atorvastatin": (["C10AA05"], [], "83367"), "rosuvastatin": (["C10AA07"], [], "301542"),
    "pitavastatin": (["C10AA08"], [], ""),
    "fenofibrate": (["C10AB05"], [], ""), "gemfibrozil": (["C10AB04"], [], ""),
    "bezafibrate": (["C10AB02"], [], ""), "ciprofibrate": (["C10AB08"], [], ""),
    "colestyramine": (["C10AC01"], ["cholestyramine"], ""),
    "colestipol": (["C10AC02"], [], ""), "colesevelam": (["C10AC04"], [], ""),
    "nicotinic acid": (["C10AD02"], ["niacin"], ""),
    "ezetimibe": (["C10AX09"], [], ""), "icosapent ethyl": (["C10AX06"], [], ""),
    "omega-3-acid ethyl esters": (["C10AX06"], [], ""),
    "evolocumab": (["C10AX13"], [], ""), "alirocumab": (["C10AX14"], [], ""),
    "bempedoic acid": (["C10AX15"], [], ""), "inclisiran": (["C10AX16"], [], ""),
    "lomitapide": (["C10AX12"], [], ""),
    # B01
    "warfarin": (["B01AA03"], [], "11289"), "acenocoumarol": (["B01AA07"], [], ""),
    "phenprocoumon": (["B01AA04"], [], ""),
    "heparin": (["B01AB01"], [], ""), "enoxaparin": (["B01AB05"], [], ""),
    "dalteparin": (["B01AB04"], [], ""), "tinzaparin": (["B01AB10"], [], ""),
    "nadroparin": (["B01AB06"], [], ""), "fondaparinux": (["B01AX05"], [], ""),
    "clopidogrel": (["B01AC04"], [], "32968"), "ticlopidine": (["B01AC05"], [], ""),
    "prasugrel": (["B01AC22"], [], ""), "ticagrelor": (["B01AC24"], [], ""),
    "cangrelor": (["B01AC25"], [], ""),
    "acetylsalicylic acid": (["B01AC06"], ["aspirin"], "1191"),
    "dipyridamole": (["B01AC07"], [], ""), "cilostazol": (["B01AC23"], [], ""),
    "vorapaxar": (["B01AC26"], [], ""), "eptifibatide": (["B01AC16"], [], ""),
    "tirofiban": (["B01AC17"], [], ""),
    "dabigatran etexilate": (["B01AE07"], ["dabigatran"], "1037042"),
    "argatroban": (["B01AE03"], [], ""), "bivalirudin": (["B01AE06"], [], ""),
    "rivaroxaban": (["B01AF01"], [], "1114195"), "apixaban": (["B01AF02"], [], "1364430"),
    "edoxaban": (["B01AF03"], [], "1599538"),
    "alteplase": (["B01AD02"], [], ""), "tenecteplase": (["B01AD11"], [], ""),
    "reteplase": (["B01AD07"], [], ""),
    # A10
    "insulin human": (["A10AB01"], ["insulin regular", "insulin isophane"], ""),
    "insulin lispro": (["A10AB04"], [], ""), "insulin aspart": (["A10AB05"], [], ""),
    "insulin glulisine": (["A10AB06"], [], ""), "insulin glargine": (["A10AE04"], [], ""),
    "insulin detemir": (["A10AE05"], [], ""), "insulin degludec": (["A10AE06"], [], ""),
    "metformin": (["A10BA02"], [], "6809"),
    "glibenclamide": (["A10BB01"], ["glyburide"], ""), "glipizide": (["A10BB07"], [], ""),
    "gliclazide": (["A10BB09"], [], ""), "glimepiride": (["A10BB12"], [], ""),
    "tolbutamide": (["A10BB03"], [], ""),
    "acarbose": (["A10BF01"], [], ""), "miglitol": (["A10BF02"], [], ""),
    "pioglitazone": (["A10BG03"], [], ""), "rosiglitazone": (["A10BG02"], [], ""),
    "sitagliptin": (["A10BH01"], [], ""), "vildagliptin": (["A10BH02"], [], ""),
    "saxagliptin": (["A10BH03"], [], ""), "alogliptin": (["A10BH04"], [], ""),
    "linagliptin": (["A10BH05"], [], ""),
    "exenatide": (["A10BJ01"], [], ""), "liraglutide": (["A10BJ02"], [], ""),
    "lixisenatide": (["A10BJ03"], [], ""), "dulaglutide": (["A10BJ05"], [], ""),
    "semaglutide": (["A10BJ06"], [], ""), "tirzepatide": (["A10BX16"], [], ""),
    "dapagliflozin": (["A10BK01"], [], ""), "canagliflozin": (["A10BK02"], [], ""),
    "empagliflozin": (["A10BK03"], [], ""), "ertugliflozin": (["A10BK04"], [], ""),
    "repaglinide": (["A10BX02"], [], ""), "nateglinide": (["A10BX03"], [], ""),
    "pramlintide": (["A10BX05"], [], ""),
}

# Common drugs outside the cardiometabolic groups (scripts/terminology_other_drugs.py):
# recognised, with no class, so they no longer make blood-pressure treatment uncertain.
sys.path.insert(0, str(ROOT / "scripts"))
from terminology_other_drugs import OTHER_INGREDIENTS  # noqa: E402

INGREDIENTS.update({name: (atc, syn, "") for name, (atc, syn) in OTHER_INGREDIENTS.items()})

# -- RxNorm clinical/branded drugs: RxCUI -> (TTY, normalised name, ingredients) ---------
RXNORM_DRUGS = {
    "979492": ("SCD", "losartan potassium 50 MG Oral Tablet", ["losartan"]),
    "314077": ("SCD", "lisinopril 20 MG Oral Tablet", ["lisinopril"]),
    "314076": ("SCD", "lisinopril 10 MG Oral Tablet", ["lisinopril"]),
    "617310": ("SCD", "atorvastatin 20 MG Oral Tablet", ["atorvastatin"]),
    "861007": ("SCD", "metformin hydrochloride 500 MG Oral Tablet", ["metformin"]),
    "197361": ("SCD", "amlodipine 5 MG Oral Tablet", ["amlodipine"]),
    "310798": ("SCD", "hydrochlorothiazide 25 MG Oral Tablet", ["hydrochlorothiazide"]),
}

# -- SNOMED CT: category -> (concept, its descendants we list) ----------------------------
SNOMED = {
    "diabetes": ("73211009", ["44054006", "46635009", "237599002", "313436004"]),
    "hypertension": ("38341003", ["59621000", "1201005", "10725009", "78975002", "31992008"]),
    "atrial_fibrillation": ("49436004", ["282825002", "440059007", "440028005", "426749004",
                                         "314208002"]),
    "heart_failure": ("84114007", ["42343007", "88805009", "85232009", "703272007", "446221000",
                                   "417996009", "10633002"]),
    "stroke_tia_thromboembolism": ("230690007", ["422504002", "266257000", "432504007",
                                                 "371041009", "413758000"]),
    "vascular_disease": ("22298006", ["399211009", "1755008", "57054005", "401303003",
                                      "401314000", "399957001", "840580004"]),
    "liver_cirrhosis": ("19943007", ["420054005", "266468003", "31712002"]),
    "dialysis": ("265764009", ["105502003", "302497006", "71192002", "238318009"]),
}
# -- SNOMED CT: further top concepts of a category, each with its listed descendants.
# Why a second concept: a category can span hierarchies that share no parent the models
# could use (vascular disease = myocardial infarction, peripheral arterial disease and
# significant coronary artery disease, ESC 2020's CHA2DS2-VASc definition); the package
# names each concept apart instead of passing one off as the other's descendant.
SNOMED_ALSO = {
    "vascular_disease": [
        # coronary arteriosclerosis ("coronary artery disease"), with its multi-vessel,
        # double-, triple-vessel and left-main subtypes
        ("53741008", ["371803003", "194843003", "233817007", "371804009"]),
    ],
}


def _snomed_entry(category: str, concept: str, descendants: list[str]) -> dict[str, object]:
    entry: dict[str, object] = {"concept": concept, "descendants": descendants}
    if category in SNOMED_ALSO:
        entry["also"] = [{"concept": c, "descendants": d} for c, d in SNOMED_ALSO[category]]
    return entry


def document() -> dict[str, object]:
    return {
        "format": "clinic-terminology/1", "id": "clinic-terminology", "version": VERSION,
        "sources": SOURCES,
        "loinc": {code: {"fact": fact, "display": display, "units": units}
                  for code, (fact, display, units) in sorted(LOINC.items())},
        "atc_classes": [[prefix, classes] for prefix, classes in ATC_CLASSES],
        "ingredients": {name: {"atc": atc, "synonyms": syn, "rxcui": rxcui}
                        for name, (atc, syn, rxcui) in sorted(INGREDIENTS.items())},
        "rxnorm": {cui: {"tty": tty, "name": name, "ingredients": ingr}
                   for cui, (tty, name, ingr) in sorted(RXNORM_DRUGS.items())},
        "snomed": {cat: _snomed_entry(cat, concept, desc)
                   for cat, (concept, desc) in SNOMED.items()},
    }


def main() -> int:
    from clinic_app.core.inference.manifest import canonical_bytes

    doc = document()
    out = ROOT / "resources" / "terminology" / "terminology.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    pin = {"comment": "Canonical SHA-256 of the shipped terminology package. Regenerate with "
                      "scripts/build_terminology.py after review.",
           "packages": [{"id": doc["id"], "version": doc["version"],
                         "manifest_sha256": hashlib.sha256(canonical_bytes(doc)).hexdigest()}]}
    pin_file = ROOT / "resources" / "trust" / "shipped-terminology.json"
    pin_file.write_text(json.dumps(pin, indent=2) + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(INGREDIENTS)} ingredients, {len(RXNORM_DRUGS)} drugs, "
          f"{len(LOINC)} LOINC codes; pinned in {pin_file.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
