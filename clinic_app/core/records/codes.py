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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from clinic_app.core.records import units as u
from clinic_app.core.terminology.lookup import Terminology

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
WAIST_CIRCUMFERENCE = "waist_circumference"
UACR = "uacr"  # urine albumin-to-creatinine ratio


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


_CHOL = u.mass_concentration(38.67)
_TG = u.mass_concentration(88.57)
_GLUCOSE = u.mass_concentration(18.016)
_CREATININE = u.mass_concentration(1000 / 88.4)
_BILIRUBIN = u.mass_concentration(1000 / 17.1)

_SBP = ((40, 300), (70, 250))
_DBP = ((20, 200), (40, 140))
_TC = ((30, 1500), (100, 400))
_HDL = ((3, 250), (20, 120))
_LDL = ((1, 1200), (10, 300))
_GLU = ((5, 3000), (40, 500))
_CREA = ((0.05, 40), (0.3, 15))
_BILI = ((0.01, 100), (0.1, 30))
_A1C = ((2, 25), (4, 15))
_INR = ((0.4, 25), (0.8, 8))
_NA = ((80, 220), (120, 160))
_MOLAR_NA = u.molar_concentration_monovalent()

#: Each model input's fact: (fact name, canonical unit, accepted units, plausible =
#: reject outside (the hard bounds), expected = flag outside). Which LOINC codes feed
#: each fact (SI/mass and method variants) is terminology; see :data:`OBSERVATIONS`.
FACT_SPECS: Mapping[str, tuple[str, Mapping[str, u.Conversion], tuple[float, float],
                               tuple[float, float]]] = {
    SYSTOLIC_BP: ("mm[Hg]", u.PRESSURE_MM_HG, *_SBP),
    DIASTOLIC_BP: ("mm[Hg]", u.PRESSURE_MM_HG, *_DBP),
    TOTAL_CHOLESTEROL: ("mg/dL", _CHOL, *_TC),
    HDL_CHOLESTEROL: ("mg/dL", _CHOL, *_HDL),
    LDL_CHOLESTEROL: ("mg/dL", _CHOL, *_LDL),
    TRIGLYCERIDES: ("mg/dL", _TG, (5, 20000), (30, 1000)),
    HBA1C: ("%", u.HBA1C_PERCENT, *_A1C),
    GLUCOSE: ("mg/dL", _GLUCOSE, *_GLU),
    CREATININE: ("mg/dL", _CREATININE, *_CREA),
    BILIRUBIN: ("mg/dL", _BILIRUBIN, *_BILI),
    INR: ("1", u.RATIO, *_INR),
    SODIUM: ("mmol/L", _MOLAR_NA, *_NA),
    BMI: ("kg/m2", u.BMI_KG_M2, (5, 200), (14, 70)),
    BODY_WEIGHT: ("kg", u.MASS_KG, (0.2, 700), (30, 250)),
    BODY_HEIGHT: ("cm", u.LENGTH_CM, (20, 290), (120, 220)),
    WAIST_CIRCUMFERENCE: ("cm", u.LENGTH_CM, (20, 300), (50, 170)),
    UACR: ("mg/g", u.UACR_MG_G, (0.01, 30000), (0.1, 5000)),
}


def _spec(name: str, display: str) -> ObservationCode:
    unit, units, plausible, expected = FACT_SPECS[name]
    return ObservationCode(name, display, unit, units, Range(*plausible), Range(*expected))


def _build_observations(loinc: Mapping[str, tuple[str, str]]) -> dict[str, ObservationCode]:
    table = {code: _spec(name, display) for code, (name, display) in loinc.items()
             if name in FACT_SPECS}
    table["72166-2"] = ObservationCode(SMOKING_STATUS, "Tobacco smoking status", "", {}, None,
                                       None, coded=True)
    return table


class _Observations(Mapping[str, ObservationCode]):
    """LOINC code → what it means, from the active terminology package (loaded on first use)."""

    def _table(self) -> dict[str, ObservationCode]:
        return _state().observations

    def __getitem__(self, code: str) -> ObservationCode:
        return self._table()[code]

    def __contains__(self, code: object) -> bool:
        return code in self._table()

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


@dataclass(frozen=True)
class _Active:
    terminology: Terminology
    observations: dict[str, ObservationCode]


_ACTIVE: list[_Active] = []


def _state() -> _Active:
    if not _ACTIVE:
        from clinic_app.core.terminology.site import active_terminology

        use_terminology(active_terminology())
    return _ACTIVE[0]


def terminology() -> Terminology:
    """The terminology package in use (the shipped one until a service installs the site's)."""
    return _state().terminology


def use_terminology(term: Terminology) -> None:
    """Make ``term`` the package every reader and lookup uses (process-wide)."""
    _ACTIVE[:] = [_Active(term, _build_observations(
        {code: (fact, display) for code, (fact, display, _units) in term.loinc.items()}))]


#: LOINC code → what it means (SI/mass/method variants included), from the package.
OBSERVATIONS: Mapping[str, ObservationCode] = _Observations()


#: Each fact in clinical words (labels of inputs and messages).
FACT_LABELS: Mapping[str, str] = {
    SYSTOLIC_BP: "Systolic blood pressure", DIASTOLIC_BP: "Diastolic blood pressure",
    TOTAL_CHOLESTEROL: "Total cholesterol", HDL_CHOLESTEROL: "HDL cholesterol",
    LDL_CHOLESTEROL: "LDL cholesterol", TRIGLYCERIDES: "Triglycerides",
    HBA1C: "Hemoglobin A1c", GLUCOSE: "Glucose", CREATININE: "Creatinine",
    BILIRUBIN: "Total bilirubin", INR: "INR", SODIUM: "Sodium", BMI: "Body mass index",
    BODY_WEIGHT: "Body weight", BODY_HEIGHT: "Body height",
    WAIST_CIRCUMFERENCE: "Waist circumference",
    UACR: "Urine albumin-to-creatinine ratio",
}


def spec_for_fact(name: str) -> ObservationCode | None:
    """The unit table and ranges of a fact, labelled in clinical words."""
    if name not in FACT_SPECS:
        return None
    return _spec(name, FACT_LABELS[name])


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
    ConditionCategory("family_history_ascvd", "Family history of heart disease or stroke",
                      "history"),
    ConditionCategory("other", "Other condition", "state"),
)}

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
    # Coronary atherosclerosis (I25.1x): "angiographically significant CAD" is vascular
    # disease in CHA2DS2-VASc/-VA (ESC AF guidelines 2020, 2024) and clinical ASCVD, which
    # takes a patient out of the PCE's primary-prevention population. Angina alone is not.
    ("I251", "vascular_disease"),
    ("K703", "liver_cirrhosis"), ("K743", "liver_cirrhosis"), ("K744", "liver_cirrhosis"),
    ("K745", "liver_cirrhosis"), ("K746", "liver_cirrhosis"), ("K717", "liver_cirrhosis"),
    ("Z992", "dialysis"), ("Z49", "dialysis"),
    # Family history of ischaemic heart disease (and other circulatory disease); of stroke.
    ("Z824", "family_history_ascvd"), ("Z823", "family_history_ascvd"),
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
        cat = terminology().condition(system, code)
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

def medication_classes(system: str, code: str, name: str = "") -> tuple[str, ...] | None:
    """Classes of a medication coding; ``None`` when the terminology package cannot tell.

    ATC is a complete hierarchy, so a well-formed ATC code outside the tracked groups has
    no class (``()``). An RxNorm code resolves through the package's ingredient and drug
    lists, else through its RxNorm normalised ``name`` (the coding's display); anything
    else is unknown (``None``), which the importer stores unclassified and flags.
    """
    found = terminology().medication(system, code, name)
    return None if found is None else found.classes


def snomed_conditions() -> Mapping[str, str]:
    """SNOMED CT concept → condition category (each model concept and its listed
    descendants, from the terminology package)."""
    return terminology().snomed
