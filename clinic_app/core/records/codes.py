"""Code tables: LOINC, SNOMED CT, ICD-10, ATC and RxNorm codes → canonical facts.

These tables decide what a record *means* for risk scoring, so they are closed lists
(reviewed by hand, tested, documented in docs/records.md), never fuzzy text matching.
A code not listed here is not guessed from its display text:

* an Observation with an unlisted LOINC code is skipped and counted;
* a Condition with an unlisted code is stored with category ``"other"``;
* a medication with an unlisted code is stored with no classes and flagged, so it
  cannot silently make a patient "treated for hypertension".

Physiological ranges per observation have two tiers, both in canonical units:
``plausible`` — outside it the value is not physiologically possible (SBP 1200 mmHg, HDL
0 mg/dL), almost always a unit or typing error: the item is **rejected**; ``expected`` —
outside it the value is possible but unusual for an adult: the fact is kept and
**flagged** so that whoever reads it checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinic_app.core.records import units as u

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ATC = "http://www.whocc.no/atc"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10_SYSTEMS = frozenset({ICD10, ICD10_CM, "http://hl7.org/fhir/sid/icd-10-de",
                           "http://hl7.org/fhir/sid/icd-10-nl"})

# Canonical fact names (the strings risk features and the UI ask for).
SYSTOLIC_BP = "systolic_bp"
DIASTOLIC_BP = "diastolic_bp"
TOTAL_CHOLESTEROL = "total_cholesterol"
HDL_CHOLESTEROL = "hdl_cholesterol"
LDL_CHOLESTEROL = "ldl_cholesterol"
TRIGLYCERIDES = "triglycerides"
HBA1C = "hba1c"
GLUCOSE = "glucose"
CREATININE = "creatinine"
BILIRUBIN = "bilirubin_total"
INR = "inr"
SODIUM = "sodium"
BMI = "bmi"
BODY_WEIGHT = "body_weight"
BODY_HEIGHT = "body_height"
SMOKING_STATUS = "smoking_status"


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g}"


@dataclass(frozen=True)
class ObservationCode:
    """One LOINC code we read: its fact name, canonical unit and accepted units."""

    name: str
    display: str
    unit: str  # canonical UCUM unit ("" for coded answers)
    units: Mapping[str, u.Conversion]
    plausible: Range | None  # outside: rejected
    expected: Range | None  # outside: flagged
    coded: bool = False  # value is a code (valueCodeableConcept), not a quantity


def _q(name: str, display: str, unit: str, units: Mapping[str, u.Conversion],
       plausible: tuple[float, float], expected: tuple[float, float]) -> ObservationCode:
    return ObservationCode(name, display, unit, units, Range(*plausible), Range(*expected))


_CHOL = u.mass_concentration(38.67)
_TG = u.mass_concentration(88.57)
_GLUCOSE = u.mass_concentration(18.016)
_CREATININE = u.mass_concentration(1000 / 88.4)
_BILIRUBIN = u.mass_concentration(1000 / 17.1)

#: LOINC code → what it means. Ranges: (plausible = reject outside), (expected = flag outside).
OBSERVATIONS: Mapping[str, ObservationCode] = {
    "8480-6": _q(SYSTOLIC_BP, "Systolic blood pressure", "mm[Hg]", u.PRESSURE_MM_HG,
                 (40, 300), (70, 250)),
    "8462-4": _q(DIASTOLIC_BP, "Diastolic blood pressure", "mm[Hg]", u.PRESSURE_MM_HG,
                 (20, 200), (40, 140)),
    "2093-3": _q(TOTAL_CHOLESTEROL, "Total cholesterol", "mg/dL", _CHOL, (30, 1500), (100, 400)),
    "2085-9": _q(HDL_CHOLESTEROL, "HDL cholesterol", "mg/dL", _CHOL, (3, 250), (20, 120)),
    "13457-7": _q(LDL_CHOLESTEROL, "LDL cholesterol (calculated)", "mg/dL", _CHOL,
                  (1, 1200), (10, 300)),
    "18262-6": _q(LDL_CHOLESTEROL, "LDL cholesterol (direct)", "mg/dL", _CHOL,
                  (1, 1200), (10, 300)),
    "2571-8": _q(TRIGLYCERIDES, "Triglycerides", "mg/dL", _TG, (5, 20000), (30, 1000)),
    "4548-4": _q(HBA1C, "Hemoglobin A1c", "%", u.HBA1C_PERCENT, (2, 25), (4, 15)),
    "2345-7": _q(GLUCOSE, "Glucose (serum/plasma)", "mg/dL", _GLUCOSE, (5, 3000), (40, 500)),
    "2339-0": _q(GLUCOSE, "Glucose (blood)", "mg/dL", _GLUCOSE, (5, 3000), (40, 500)),
    "2160-0": _q(CREATININE, "Creatinine", "mg/dL", _CREATININE, (0.05, 40), (0.3, 15)),
    "1975-2": _q(BILIRUBIN, "Bilirubin, total", "mg/dL", _BILIRUBIN, (0.01, 100), (0.1, 30)),
    "6301-6": _q(INR, "INR", "1", u.RATIO, (0.4, 25), (0.8, 8)),
    "2951-2": _q(SODIUM, "Sodium", "mmol/L", u.molar_concentration_monovalent(),
                 (80, 220), (120, 160)),
    "39156-5": _q(BMI, "Body mass index", "kg/m2", u.BMI_KG_M2, (5, 200), (14, 70)),
    "29463-7": _q(BODY_WEIGHT, "Body weight", "kg", u.MASS_KG, (0.2, 700), (30, 250)),
    "8302-2": _q(BODY_HEIGHT, "Body height", "cm", u.LENGTH_CM, (20, 290), (120, 220)),
    "72166-2": ObservationCode(SMOKING_STATUS, "Tobacco smoking status", "", {}, None, None,
                               coded=True),
}

#: Blood-pressure panels whose components carry 8480-6 and 8462-4.
BP_PANELS = frozenset({"85354-9", "55284-4"})

#: Smoking status answers (SNOMED CT, the US Core value set) → category.
SMOKING_ANSWERS: Mapping[str, str] = {
    "449868002": "current",  # Smokes tobacco daily
    "428041000124106": "current",  # Occasional tobacco smoker
    "428071000124103": "current",  # Heavy tobacco smoker
    "428061000124105": "current",  # Light tobacco smoker
    "77176002": "current",  # Smoker (current status unknown)
    "65568007": "current",  # Cigarette smoker
    "8517006": "former",  # Ex-smoker
    "266919005": "never",  # Never smoked tobacco
    "266927001": "unknown",  # Tobacco smoking consumption unknown
}


def smoking_category(value_code: str | None) -> str | None:
    """"current", "former", "never" or "unknown" for a stored smoking answer code."""
    return SMOKING_ANSWERS.get(value_code or "")


# -- race ------------------------------------------------------------------------------------
#: Race as the risk equations use it (the Pooled Cohort Equations have white and
#: African-American equations; the guideline sends every other race to the white ones).
RACES = ("white", "african_american", "other")
US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
#: CDC Race & Ethnicity code system (CDCREC), which holds the OMB race categories.
CDC_RACE = "urn:oid:2.16.840.1.113883.6.238"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
#: The OMB race categories of the US Core ``ombCategory`` value set → (display, race).
#: Only these codes are interpreted: a detailed CDC code put in ``ombCategory`` (e.g.
#: 2058-6 "African American", a child of 2054-5) is not guessed into a category.
OMB_RACE: Mapping[str, tuple[str, str]] = {
    "2106-3": ("White", "white"),
    "2054-5": ("Black or African American", "african_american"),
    "1002-5": ("American Indian or Alaska Native", "other"),
    "2028-9": ("Asian", "other"),
    "2076-8": ("Native Hawaiian or Other Pacific Islander", "other"),
    "2131-1": ("Other Race", "other"),
}
#: ``ombCategory`` answers that say the race is not known (v3 NullFlavor).
RACE_UNKNOWN: Mapping[str, str] = {"UNK": "unknown", "ASKU": "asked but unknown"}


def race_of(categories: Iterable[str]) -> str | None:
    """The equation race for a set of OMB category codes, or None when it is not one.

    One category maps directly. Several categories map to ``"other"`` when every one of
    them is answered by the white equations (white with Asian, say: the guideline uses
    the white equations for both, flagged as "other"); when Black or African American is
    among several, the white and African-American equations both apply and they differ,
    so no race is chosen (None) and the clinician decides.
    """
    known = {c for c in categories if c in OMB_RACE}
    races = {OMB_RACE[c][1] for c in known}
    if "african_american" in races:
        return "african_american" if len(known) == 1 else None
    if not races:
        return None
    return "white" if known == {"2106-3"} else "other"


def observation_code(system: str, code: str) -> ObservationCode | None:
    return OBSERVATIONS.get(code) if system == LOINC else None


def other_fact_name(system: str, code: str) -> str:
    """The stored fact name of a code no model input uses ("loinc:718-7").

    Every observation is kept; one whose code is not interpreted is stored under this
    name with its value and unit exactly as written (no conversion, no range check), so
    it is visible in the summary and a model added later can read it without a re-import.
    """
    if system == LOINC:
        return f"loinc:{code}"
    return f"{system}|{code}" if system or code else "uncoded"


def is_other_fact(name: str) -> bool:
    """True for a fact stored under :func:`other_fact_name` (not interpreted)."""
    return name.startswith("loinc:") or "|" in name or name == "uncoded"


# -- conditions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ConditionCategory:
    name: str
    display: str
    #: "history": counts once it has happened, even when resolved (a prior stroke or MI
    #: is risk history). "state": counts only while active at the date asked about.
    kind: str


CONDITION_CATEGORIES: Mapping[str, ConditionCategory] = {c.name: c for c in (
    ConditionCategory("diabetes", "Diabetes mellitus", "state"),
    ConditionCategory("hypertension", "Hypertension", "state"),
    ConditionCategory("atrial_fibrillation", "Atrial fibrillation", "state"),
    ConditionCategory("heart_failure", "Heart failure / LV dysfunction", "state"),
    ConditionCategory("stroke_tia_thromboembolism", "Stroke, TIA or thromboembolism", "history"),
    ConditionCategory("vascular_disease", "Vascular disease (MI, PAD, aortic plaque)", "history"),
    ConditionCategory("liver_cirrhosis", "Liver cirrhosis", "state"),
    ConditionCategory("dialysis", "Renal dialysis", "state"),
    ConditionCategory("other", "Other condition", "state"),
)}

SNOMED_CONDITIONS: Mapping[str, str] = {
    # diabetes (prediabetes 714628002 / 15777000 is deliberately absent)
    "73211009": "diabetes", "44054006": "diabetes", "46635009": "diabetes",
    "237599002": "diabetes", "313436004": "diabetes",
    # hypertension
    "38341003": "hypertension", "59621000": "hypertension", "1201005": "hypertension",
    "10725009": "hypertension", "78975002": "hypertension", "31992008": "hypertension",
    # atrial fibrillation (flutter 5370000 is not AF)
    "49436004": "atrial_fibrillation", "282825002": "atrial_fibrillation",
    "440059007": "atrial_fibrillation", "440028005": "atrial_fibrillation",
    "426749004": "atrial_fibrillation", "314208002": "atrial_fibrillation",
    # heart failure
    "84114007": "heart_failure", "42343007": "heart_failure", "88805009": "heart_failure",
    "85232009": "heart_failure", "703272007": "heart_failure", "446221000": "heart_failure",
    "417996009": "heart_failure", "10633002": "heart_failure",
    # stroke, TIA, systemic thromboembolism
    "230690007": "stroke_tia_thromboembolism", "422504002": "stroke_tia_thromboembolism",
    "266257000": "stroke_tia_thromboembolism", "432504007": "stroke_tia_thromboembolism",
    "371041009": "stroke_tia_thromboembolism", "413758000": "stroke_tia_thromboembolism",
    # vascular disease: myocardial infarction, PAD, aortic plaque
    "22298006": "vascular_disease", "399211009": "vascular_disease", "1755008": "vascular_disease",
    "57054005": "vascular_disease", "401303003": "vascular_disease", "401314000": "vascular_disease",
    "399957001": "vascular_disease", "840580004": "vascular_disease",
    # liver cirrhosis
    "19943007": "liver_cirrhosis", "420054005": "liver_cirrhosis", "266468003": "liver_cirrhosis",
    "31712002": "liver_cirrhosis",
    # dialysis
    "105502003": "dialysis", "265764009": "dialysis", "302497006": "dialysis",
    "71192002": "dialysis", "238318009": "dialysis",
}

#: ICD-10 (WHO and -CM) prefixes, matched on the code without its dot, longest first.
#: A ``None`` category excludes a narrower code from a broader prefix.
ICD10_CONDITIONS: tuple[tuple[str, str | None], ...] = (
    ("E08", "diabetes"), ("E09", "diabetes"), ("E10", "diabetes"), ("E11", "diabetes"),
    ("E12", "diabetes"), ("E13", "diabetes"), ("E14", "diabetes"),
    ("I10", "hypertension"), ("I11", "hypertension"), ("I12", "hypertension"),
    ("I13", "hypertension"), ("I15", "hypertension"), ("I16", "hypertension"),
    ("I48", "atrial_fibrillation"), ("I483", None), ("I484", None), ("I4892", None),
    ("I50", "heart_failure"), ("I110", "heart_failure"), ("I130", "heart_failure"),
    ("I132", "heart_failure"),
    ("I63", "stroke_tia_thromboembolism"), ("I64", "stroke_tia_thromboembolism"),
    ("G45", "stroke_tia_thromboembolism"), ("G454", None),
    ("I74", "stroke_tia_thromboembolism"), ("Z8673", "stroke_tia_thromboembolism"),
    ("I21", "vascular_disease"), ("I22", "vascular_disease"), ("I252", "vascular_disease"),
    ("I700", "vascular_disease"), ("I702", "vascular_disease"), ("I7020", "vascular_disease"),
    ("I739", "vascular_disease"),
    ("K703", "liver_cirrhosis"), ("K743", "liver_cirrhosis"), ("K744", "liver_cirrhosis"),
    ("K745", "liver_cirrhosis"), ("K746", "liver_cirrhosis"), ("K717", "liver_cirrhosis"),
    ("Z992", "dialysis"), ("Z49", "dialysis"),
)

_ICD10_SORTED = sorted(ICD10_CONDITIONS, key=lambda pc: len(pc[0]), reverse=True)


def condition_category(system: str, code: str) -> str | None:
    """The category of a condition code, or ``None`` when the code is not in our tables.

    ICD-10 hypertension with heart failure (I11.0, I13.0, I13.2) returns heart_failure;
    :func:`condition_categories` returns both.
    """
    cats = condition_categories(system, code)
    return cats[-1] if cats else None


def condition_categories(system: str, code: str) -> tuple[str, ...]:
    """Every category a code belongs to (I11.0 is both hypertension and heart failure)."""
    if system == SNOMED:
        cat = SNOMED_CONDITIONS.get(code)
        return (cat,) if cat else ()
    if system in ICD10_SYSTEMS:
        flat = code.replace(".", "").strip().upper()
        found: list[str] = []
        blocked: set[str] = set()
        for prefix, cat in _ICD10_SORTED:
            if flat.startswith(prefix):
                if cat is None:
                    # An exclusion hides every broader prefix of the same family.
                    blocked.update(p for p, _ in ICD10_CONDITIONS if prefix.startswith(p))
                elif prefix not in blocked and cat not in found:
                    found.append(cat)
        return tuple(reversed(found))
    return ()


# -- medications ---------------------------------------------------------------------------
ANTIHYPERTENSIVE = "antihypertensive"

#: ATC prefixes → classes. C02, C03, C07, C08, C09 are the antihypertensive groups; a
#: beta blocker or diuretic given for another reason still counts as BP-lowering
#: treatment, which is how the pooled cohort equations define "treated".
ATC_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("C02", (ANTIHYPERTENSIVE,)),
    ("C03", (ANTIHYPERTENSIVE, "diuretic")),
    ("C07", (ANTIHYPERTENSIVE, "beta_blocker")),
    ("C08", (ANTIHYPERTENSIVE, "calcium_channel_blocker")),
    ("C09A", (ANTIHYPERTENSIVE, "ace_inhibitor")),
    ("C09B", (ANTIHYPERTENSIVE, "ace_inhibitor")),
    ("C09C", (ANTIHYPERTENSIVE, "angiotensin_receptor_blocker")),
    ("C09D", (ANTIHYPERTENSIVE, "angiotensin_receptor_blocker")),
    ("C09X", (ANTIHYPERTENSIVE,)),
    ("C10AA", ("statin",)),
    ("C10BA", ("statin",)),
    ("B01AA", ("anticoagulant",)),
    ("B01AE", ("anticoagulant",)),
    ("B01AF", ("anticoagulant",)),
    ("B01AC", ("antiplatelet",)),
    ("A10A", ("antidiabetic", "insulin")),
    ("A10B", ("antidiabetic",)),
)

_AH = ANTIHYPERTENSIVE
#: RxNorm ingredient and common clinical-drug (SCD) codes → (ingredient, classes).
RXNORM_CLASSES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "29046": ("lisinopril", (_AH, "ace_inhibitor")),
    "314076": ("lisinopril", (_AH, "ace_inhibitor")),
    "35296": ("ramipril", (_AH, "ace_inhibitor")),
    "3827": ("enalapril", (_AH, "ace_inhibitor")),
    "52175": ("losartan", (_AH, "angiotensin_receptor_blocker")),
    "69749": ("valsartan", (_AH, "angiotensin_receptor_blocker")),
    "83818": ("irbesartan", (_AH, "angiotensin_receptor_blocker")),
    "214354": ("candesartan", (_AH, "angiotensin_receptor_blocker")),
    "321064": ("olmesartan", (_AH, "angiotensin_receptor_blocker")),
    "17767": ("amlodipine", (_AH, "calcium_channel_blocker")),
    "197361": ("amlodipine", (_AH, "calcium_channel_blocker")),
    "7417": ("nifedipine", (_AH, "calcium_channel_blocker")),
    "3443": ("diltiazem", (_AH, "calcium_channel_blocker")),
    "11170": ("verapamil", (_AH, "calcium_channel_blocker")),
    "5487": ("hydrochlorothiazide", (_AH, "diuretic")),
    "310798": ("hydrochlorothiazide", (_AH, "diuretic")),
    "2409": ("chlorthalidone", (_AH, "diuretic")),
    "5764": ("indapamide", (_AH, "diuretic")),
    "4603": ("furosemide", (_AH, "diuretic")),
    "9997": ("spironolactone", (_AH, "diuretic")),
    "6918": ("metoprolol", (_AH, "beta_blocker")),
    "1202": ("atenolol", (_AH, "beta_blocker")),
    "19484": ("bisoprolol", (_AH, "beta_blocker")),
    "20352": ("carvedilol", (_AH, "beta_blocker")),
    "8787": ("propranolol", (_AH, "beta_blocker")),
    "2599": ("clonidine", (_AH,)),
    "5470": ("hydralazine", (_AH,)),
    "83367": ("atorvastatin", ("statin",)),
    "36567": ("simvastatin", ("statin",)),
    "301542": ("rosuvastatin", ("statin",)),
    "42463": ("pravastatin", ("statin",)),
    "11289": ("warfarin", ("anticoagulant",)),
    "1364430": ("apixaban", ("anticoagulant",)),
    "1114195": ("rivaroxaban", ("anticoagulant",)),
    "1037042": ("dabigatran", ("anticoagulant",)),
    "1599538": ("edoxaban", ("anticoagulant",)),
    "1191": ("aspirin", ("antiplatelet",)),
    "32968": ("clopidogrel", ("antiplatelet",)),
    "6809": ("metformin", ("antidiabetic",)),
}

_ATC_SORTED = sorted(ATC_CLASSES, key=lambda pc: len(pc[0]), reverse=True)


_ATC_CODE = re.compile(r"[A-V][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?")


def medication_classes(system: str, code: str, name: str = "") -> tuple[str, ...] | None:
    """Classes of a medication code; ``None`` when the code is not in our tables.

    ATC is a complete hierarchy, so a well-formed ATC code outside our prefixes has no
    class we track (``()``). Our RxNorm list is partial, so an unlisted RxNorm code is
    unknown (``None``), which the importer flags.
    """
    if system == ATC:
        flat = code.strip().upper()
        if not _ATC_CODE.fullmatch(flat):
            return None
        classes: list[str] = []
        for prefix, cls in _ATC_SORTED:
            if flat.startswith(prefix):
                classes.extend(c for c in cls if c not in classes)
        return tuple(classes)
    if system == RXNORM:
        hit = RXNORM_CLASSES.get(code.strip())
        return hit[1] if hit else None
    return None
