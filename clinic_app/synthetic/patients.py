"""One synthetic patient, drawn from its own seeded generator: ground truth and readings.

The distributions are described in ``cohort.py``'s docstring. Patient ``i`` of seed ``s``
is drawn from ``random.Random("clinic-app-cohort:s:i")`` (race from its own stream), so a
patient is the same whatever the cohort size and whatever else is added later.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from clinic_app.core.records import codes

#: The synthetic assigning authority (a UUID-derived OID, so no registration is needed).
ISSUER = "urn:oid:2.25.167832919274569012873645091827364512"
DEFAULT_AS_OF = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)

_FAMILY = ("Abbott", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
           "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
           "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz",
           "Zhang", "Novak", "Horvat", "Silva", "Murphy", "Kim")
_GIVEN = {"female": ("Anna", "Beatriz", "Chloe", "Dana", "Elena", "Fatima", "Grace", "Hana",
                     "Ines", "Julia", "Karin", "Lea", "Maria", "Nora", "Olivia", "Priya"),
          "male": ("Adam", "Bruno", "Carlos", "David", "Emil", "Felix", "Georg", "Hugo",
                   "Ivan", "Jonas", "Karl", "Luca", "Marek", "Nils", "Omar", "Pavel")}


@dataclass(frozen=True)
class Demographics:
    """What the DICOM generator needs to write studies that link to these records."""

    mrn: str
    issuer: str
    family: str
    given: str
    birth_date: date
    sex: str  # "female" | "male"

    @property
    def dicom_name(self) -> str:
        return f"{self.family}^{self.given}"


@dataclass(frozen=True)
class Measurement:
    loinc: str
    value: float
    unit: str  # UCUM as written in the source
    effective: datetime


@dataclass(frozen=True)
class SyntheticPatient:
    """One patient's ground truth (canonical units) and the records written for it."""

    demographics: Demographics
    age: int
    smoking: str | None  # "current" | "former" | "never" | None (not recorded)
    diabetes: bool
    hypertension: bool
    treated_hypertension: bool
    atrial_fibrillation: bool
    heart_failure: bool
    stroke: bool
    vascular_disease: bool
    statin: bool
    anticoagulant: bool
    si_units: bool
    measurements: tuple[Measurement, ...] = field(default=())
    smoking_effective: datetime | None = None
    #: OMB race category codes as the US Core race extension carries them (or a null
    #: flavour "UNK"/"ASKU"); () when the record says nothing about race.
    race_codes: tuple[str, ...] = ()

    @property
    def race(self) -> str | None:
        """The race the risk equations should see (ground truth for the import tests)."""
        return codes.race_of(self.race_codes)

    def latest(self, loinc: str) -> Measurement | None:
        found = [m for m in self.measurements if m.loinc == loinc]
        return max(found, key=lambda m: m.effective) if found else None


#: (cumulative probability, OMB codes): see the module docstring; the rest record nothing.
_RACE_DRAW = ((0.62, ("2106-3",)), (0.74, ("2054-5",)), (0.80, ("2028-9",)),
              (0.81, ("1002-5",)), (0.813, ("2076-8",)), (0.843, ("2131-1",)),
              (0.863, ("2106-3", "2054-5")), (0.883, ("2106-3", "2028-9")),
              (0.898, ("UNK",)), (0.913, ("ASKU",)))


def race_codes_of(seed: int, index: int) -> tuple[str, ...]:
    draw = random.Random(f"clinic-app-cohort-race:{seed}:{index}").random()
    return next((found for below, found in _RACE_DRAW if draw < below), ())


def clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def draw_patient(seed: int, index: int, as_of: datetime, extra: int) -> SyntheticPatient:
    rng = random.Random(f"clinic-app-cohort:{seed}:{index}")
    sex = "female" if rng.random() < 0.5 else "male"
    male = sex == "male"
    age = int(clip(rng.triangular(35, 85, 58), 35, 84))
    birth = (as_of - timedelta(days=int(age * 365.25) + rng.randrange(365))).date()
    demo = Demographics(f"SYN{index + 1:06d}", ISSUER, rng.choice(_FAMILY),
                        rng.choice(_GIVEN[sex]), birth, sex)
    bmi = clip(rng.gauss(27 + 0.03 * (age - 55), 4.8), 17, 48)
    smoke_draw = rng.random()
    p_current = (0.19 if male else 0.14) * (1.3 if age < 55 else 0.8)
    smoking: str | None = ("current" if smoke_draw < p_current else
                           "former" if smoke_draw < p_current + 0.27 else "never")
    p_diabetes = clip(0.03 + 0.004 * (age - 35) + 0.012 * (bmi - 25), 0.02, 0.45)
    diabetes = rng.random() < p_diabetes
    sbp_true = rng.gauss(112 + 0.55 * (age - 35) + (4 if male else 0) + 0.6 * (bmi - 25), 14)
    hypertension = sbp_true >= 140 or rng.random() < 0.08
    treated = hypertension and rng.random() < 0.62
    sbp = sbp_true - (rng.gauss(11, 5) if treated else 0)
    p_af = clip(0.006 * math.exp(0.08 * (age - 50)), 0.002, 0.18) * (1.4 if hypertension else 1)
    af = rng.random() < p_af
    heart_failure = rng.random() < clip(0.01 + 0.0015 * (age - 40) + (0.08 if af else 0), 0, 0.3)
    stroke = rng.random() < clip(0.01 + 0.0012 * (age - 40) + (0.05 if af else 0), 0, 0.25)
    vascular = rng.random() < clip(0.02 + 0.002 * (age - 40) + (0.04 if male else 0)
                                    + (0.03 if diabetes else 0), 0, 0.35)
    statin = rng.random() < (0.55 if (diabetes or vascular) else 0.15 + 0.004 * (age - 40))
    anticoagulant = af and rng.random() < 0.65
    tc = clip(rng.gauss(200 + (10 if (not male and age > 50) else 0), 36)
               * (0.75 if statin else 1), 110, 360)
    hdl = clip(rng.gauss((58 if not male else 47) - 0.6 * (bmi - 25) - (4 if diabetes else 0)
                          - (4 if smoking == "current" else 0), 12), 22, 110)
    tg = clip(math.exp(rng.gauss(math.log(115 + 4 * (bmi - 25) + (40 if diabetes else 0)), 0.4)),
               40, 900)
    ldl = clip(tc - hdl - tg / 5, 20, 280)
    a1c = clip(rng.gauss(7.4, 1.1) if diabetes else rng.gauss(5.4, 0.33), 4.3, 13)
    glucose = clip(28.7 * a1c - 46.7 + rng.gauss(0, 12), 60, 400)
    creatinine = clip(rng.gauss((1.0 if male else 0.8) + 0.004 * (age - 40), 0.18), 0.45, 3.5)
    si = rng.random() < 0.3
    if rng.random() < 0.08:
        smoking = None  # not recorded
    missing = {loinc for loinc, p in (("2085-9", 0.08), ("2093-3", 0.05), ("4548-4", 0.2),
                                      ("13457-7", 0.3), ("2571-8", 0.25))
               if rng.random() < p}

    def when(max_days: int) -> datetime:
        day = as_of - timedelta(days=rng.randrange(1, max_days))
        return day.replace(hour=rng.randrange(7, 18), minute=rng.randrange(60), second=0,
                           microsecond=0)

    out: list[Measurement] = []

    def lab(loinc: str, value_mg: float, mg_unit: str, si_unit: str | None = None,
            to_si: float = 1.0, digits: int = 1, count: int = 1, spread: float = 0.0) -> None:
        if loinc in missing:
            return
        for i in range(count):
            v = value_mg * (1 + rng.gauss(0, spread)) if spread else value_mg
            t = recent_labs if (i == 0 and recent_labs) else when(1000)
            if si and si_unit:
                out.append(Measurement(loinc, round(v * to_si, max(digits, 2)), si_unit, t))
            else:
                out.append(Measurement(loinc, round(v, digits), mg_unit, t))

    # Most patients had a visit in the past year (BP taken, smoking asked); the rest are
    # overdue, which is what makes scores "cannot compute" or stale in real practice.
    recent_visit = when(330) if rng.random() < 0.85 else None
    recent_labs = when(540) if rng.random() < 0.85 else None  # the last blood draw
    for i in range(rng.randint(2, 5)):
        t = recent_visit if (i == 0 and recent_visit) else when(1000)
        s = round(sbp + rng.gauss(0, 6))
        d = round(clip(0.45 * s + 18 - 0.15 * (age - 55) + rng.gauss(0, 5), 45, 125))
        out.append(Measurement("8480-6", s, "mm[Hg]", t))
        out.append(Measurement("8462-4", d, "mm[Hg]", t))
    lab("2093-3", tc, "mg/dL", "mmol/L", 1 / 38.67, 0, rng.randint(1, 3), 0.05)
    lab("2085-9", hdl, "mg/dL", "mmol/L", 1 / 38.67, 0, rng.randint(1, 2), 0.05)
    lab("13457-7", ldl, "mg/dL", "mmol/L", 1 / 38.67, 0)
    lab("2571-8", tg, "mg/dL", "mmol/L", 1 / 88.57, 0)
    lab("4548-4", a1c, "%", None, 1, 1)
    lab("2345-7", glucose, "mg/dL", "mmol/L", 1 / 18.016, 0)
    lab("2160-0", creatinine, "mg/dL", "umol/L", 88.4, 2)
    lab("1975-2", clip(math.exp(rng.gauss(math.log(0.6), 0.35)), 0.2, 3), "mg/dL", "umol/L",
        17.1, 1)
    lab("6301-6", clip(rng.gauss(2.5, 0.4), 1.5, 4) if anticoagulant else
        clip(rng.gauss(1.0, 0.07), 0.8, 1.3), "1", None, 1, 1)
    lab("2951-2", clip(rng.gauss(140, 2.5), 130, 150), "mmol/L", None, 1, 0)
    height = clip(rng.gauss(176 if male else 163, 7), 145, 205)
    weight = bmi * (height / 100) ** 2
    t = when(1000)
    out.append(Measurement("8302-2", round(height), "cm", t))
    out.append(Measurement("29463-7", round(weight, 1), "kg", t))
    out.append(Measurement("39156-5", round(bmi, 1), "kg/m2", t))
    for _ in range(extra):  # benchmark volume: further weight and BP readings
        t = when(2000)
        out.append(Measurement("29463-7", round(weight + rng.gauss(0, 1.5), 1), "kg", t))
    return SyntheticPatient(
        demographics=demo, age=age, smoking=smoking, diabetes=diabetes,
        hypertension=hypertension, treated_hypertension=treated, atrial_fibrillation=af,
        heart_failure=heart_failure, stroke=stroke, vascular_disease=vascular, statin=statin,
        anticoagulant=anticoagulant, si_units=si, measurements=tuple(out),
        smoking_effective=(recent_visit or when(700)) if smoking else None, race_codes=race_codes_of(seed, index))
