"""Lifetime ASCVD risk for ages 20-59, the ACC ASCVD Risk Estimator Plus way.

The Estimator Plus reports the lifetime risk (to age 95) of the patient's risk-factor
stratum from Lloyd-Jones DM et al., Prediction of lifetime risk for cardiovascular disease
by risk factor burden at 50 years of age, Circulation 2006;113:791-798 (rounded
percentages; the extremes, 5.2 % / 68.9 % for men and 8.2 % / 50.2 % for women, are the
abstract's; the whole table as the Estimator Plus and Cerner's open-source SMART ASCVD
app use it). Strata, worst first:

* two or more major risk factors; one major: total cholesterol >= 240 mg/dL, systolic
  >= 160 mmHg (or diastolic >= 100) or treated blood pressure, smoking, diabetes;
* elevated (no major): total cholesterol 200-239, systolic 140-159 (or diastolic 90-99);
* not optimal (no major or elevated): total cholesterol 180-199, systolic 120-139 (or
  diastolic 80-89);
* all optimal: total cholesterol < 180, blood pressure < 120/80 untreated, no smoking or
  diabetes.

The diastolic pressure is optional (the record may lack it); without it the strata use
the systolic pressure alone, as the open-source implementation does, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

AGES = (20, 59)
SOURCE = ("Lloyd-Jones DM et al. Circulation 2006;113:791-798 (lifetime risk to age 95 by "
          "risk-factor strata at age 50), as used by the ACC ASCVD Risk Estimator Plus")


class Stratum(StrEnum):
    ALL_OPTIMAL = "all risk factors optimal"
    NOT_OPTIMAL = "at least one risk factor not optimal"
    ELEVATED = "at least one elevated risk factor"
    ONE_MAJOR = "one major risk factor"
    TWO_MAJOR = "two or more major risk factors"


LIFETIME_PERCENT = {
    "male": {Stratum.ALL_OPTIMAL: 5, Stratum.NOT_OPTIMAL: 36, Stratum.ELEVATED: 46,
             Stratum.ONE_MAJOR: 50, Stratum.TWO_MAJOR: 69},
    "female": {Stratum.ALL_OPTIMAL: 8, Stratum.NOT_OPTIMAL: 27, Stratum.ELEVATED: 39,
               Stratum.ONE_MAJOR: 39, Stratum.TWO_MAJOR: 50},
}


@dataclass(frozen=True)
class LifetimeRisk:
    risk: float  # probability
    stratum: Stratum
    optimal: float  # the all-optimal stratum's risk for the same sex
    note: str = ""
    source: str = SOURCE


def stratum(*, total_cholesterol: float, systolic_bp: float, bp_treated: bool, smoker: bool,
            diabetes: bool, diastolic_bp: float | None = None) -> Stratum:
    tc, sbp, dbp = total_cholesterol, systolic_bp, diastolic_bp
    major = (int(tc >= 240) + int(sbp >= 160 or bp_treated or (dbp is not None and dbp >= 100))
             + int(smoker) + int(diabetes))
    if major >= 2:
        return Stratum.TWO_MAJOR
    if major == 1:
        return Stratum.ONE_MAJOR
    if tc >= 200 or sbp >= 140 or (dbp is not None and dbp >= 90):
        return Stratum.ELEVATED
    if tc >= 180 or sbp >= 120 or (dbp is not None and dbp >= 80):
        return Stratum.NOT_OPTIMAL
    return Stratum.ALL_OPTIMAL


def lifetime_risk(*, age: float, sex: str, total_cholesterol: float, systolic_bp: float,
                  bp_treated: bool, smoker: bool, diabetes: bool,
                  diastolic_bp: float | None = None) -> LifetimeRisk | None:
    """The lifetime risk of the patient's stratum, or None outside ages 20-59."""
    if not AGES[0] <= age <= AGES[1] or sex not in LIFETIME_PERCENT:
        return None
    s = stratum(total_cholesterol=total_cholesterol, systolic_bp=systolic_bp,
                bp_treated=bp_treated, smoker=smoker, diabetes=diabetes,
                diastolic_bp=diastolic_bp)
    table = LIFETIME_PERCENT[sex]
    note = "" if diastolic_bp is not None else "diastolic pressure not used (not recorded)"
    return LifetimeRisk(table[s] / 100, s, table[Stratum.ALL_OPTIMAL] / 100, note)
