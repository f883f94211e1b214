"""Therapy impact on a 10-year ASCVD risk, by the ACC ASCVD Risk Estimator Plus method.

The Estimator Plus projects a patient's risk under a therapy by multiplying the current
10-year ASCVD risk by the relative risk (RR) the systematic review behind it found, and
multiplies the RRs of combined therapies. Source of every RR here:

    Lloyd-Jones DM, Huffman MD, Karmali KN, et al. Estimating Longitudinal Risks and
    Benefits From Cardiovascular Preventive Therapies Among Medicare Patients: The
    Million Hearts Longitudinal ASCVD Risk Assessment Tool. A Special Report From the
    American Heart Association and American College of Cardiology. Circulation
    2017;135:e793-e813, Table 2.

* statin: RR 0.75 per 1 mmol/L (38.7 mg/dL) lower LDL cholesterol; the LDL lowering of
  a statin by intensity is the 2018 ACC/AHA cholesterol guideline's definition (Grundy
  SM et al., Circulation 2019;139:e1082-e1143): moderate intensity 30-49 %, high
  intensity >= 50 %; the lower bound of each is used (never overstating the benefit);
* blood-pressure lowering: RR 0.65 per 10 mmHg lower systolic pressure (aggregate ASCVD,
  Table 2 footnote), down to the 2017 ACC/AHA target of 130 mmHg (Whelton PK et al.,
  Hypertension 2018;71:e13-e115);
* stopping smoking: RR 0.73 (overall);
* aspirin: RR 0.90, with the review's warning: major bleeding RR 1.54. The 2019 ACC/AHA
  primary prevention guideline (Arnett DK et al.) allows it only as IIb for adults 40-70
  at higher risk and not at increased bleeding risk, so it is never shown alone as advice.

Only for 10-year ASCVD risk from the Pooled Cohort Equations, ages 40-79, as the tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

MG_DL_PER_MMOL_L = 38.67  # cholesterol
RR_PER_MMOL_LDL = 0.75
RR_PER_10_MMHG = 0.65
RR_STOP_SMOKING = 0.73
RR_ASPIRIN = 0.90
SBP_TARGET = 130.0
STATIN_LDL_LOWERING = {"moderate": 0.30, "high": 0.50}
SOURCE = ("Lloyd-Jones DM et al. Circulation 2017;135:e793-e813, Table 2 (relative risks); "
          "statin intensity: 2018 ACC/AHA cholesterol guideline; SBP target: 2017 ACC/AHA "
          "blood-pressure guideline")


class Therapy(StrEnum):
    MODERATE_STATIN = "moderate-intensity statin"
    HIGH_STATIN = "high-intensity statin"
    SBP_TO_TARGET = "systolic pressure to 130 mmHg"
    STOP_SMOKING = "stop smoking"
    ASPIRIN = "aspirin"


@dataclass(frozen=True)
class TherapyEffect:
    therapies: tuple[Therapy, ...]
    relative_risk: float
    risk: float  # projected 10-year risk
    note: str = ""

    def label(self) -> str:
        return " + ".join(t.value for t in self.therapies)


@dataclass(frozen=True)
class TherapyImpact:
    current: float
    effects: tuple[TherapyEffect, ...]
    not_offered: Mapping[Therapy, str]  # therapy -> why it is not shown for this patient
    source: str = SOURCE


def relative_risks(*, ldl: float | None, sbp: float | None, smoker: bool | None
                   ) -> tuple[dict[Therapy, float], dict[Therapy, str]]:
    """Each single therapy's RR for this patient, and why others are not offered."""
    rr: dict[Therapy, float] = {}
    why: dict[Therapy, str] = {}
    if ldl is None:
        for t in (Therapy.MODERATE_STATIN, Therapy.HIGH_STATIN):
            why[t] = "needs an LDL cholesterol result"
    else:
        for t, key in ((Therapy.MODERATE_STATIN, "moderate"), (Therapy.HIGH_STATIN, "high")):
            lowered = ldl * STATIN_LDL_LOWERING[key] / MG_DL_PER_MMOL_L
            rr[t] = RR_PER_MMOL_LDL ** lowered
    if sbp is None:
        why[Therapy.SBP_TO_TARGET] = "needs a systolic blood pressure"
    elif sbp <= SBP_TARGET:
        why[Therapy.SBP_TO_TARGET] = "systolic pressure already at or below 130 mmHg"
    else:
        rr[Therapy.SBP_TO_TARGET] = RR_PER_10_MMHG ** ((sbp - SBP_TARGET) / 10.0)
    if smoker is True:
        rr[Therapy.STOP_SMOKING] = RR_STOP_SMOKING
    else:
        why[Therapy.STOP_SMOKING] = "not a current smoker" if smoker is False else \
            "smoking status not recorded"
    rr[Therapy.ASPIRIN] = RR_ASPIRIN
    return rr, why


def therapy_impact(risk: float, *, ldl: float | None, sbp: float | None, smoker: bool | None,
                   on_statin: bool = False) -> TherapyImpact:
    """The projected risk under each therapy and the usual combinations (RRs multiply)."""
    if not 0.0 <= risk <= 1.0:
        raise ValueError("risk must be a probability")
    rr, why = relative_risks(ldl=ldl, sbp=sbp, smoker=smoker)
    if on_statin:
        for t in (Therapy.MODERATE_STATIN, Therapy.HIGH_STATIN):
            rr.pop(t, None)
            why[t] = "already on a statin"
    bleeding = "bleeding risk rises (major bleeding RR 1.54); consider only with a low bleeding risk"
    singles = [TherapyEffect((t,), r, risk * r, bleeding if t is Therapy.ASPIRIN else "")
               for t, r in rr.items()]
    statin = Therapy.HIGH_STATIN if Therapy.HIGH_STATIN in rr else None
    others = [t for t in (Therapy.SBP_TO_TARGET, Therapy.STOP_SMOKING) if t in rr]
    combos = []
    if statin is not None and others:
        combos.append((statin, *others))
    if len(others) == 2:
        combos.append(tuple(others))
    for combo in combos:
        product = 1.0
        for t in combo:
            product *= rr[t]
        singles.append(TherapyEffect(combo, product, risk * product))
    return TherapyImpact(risk, tuple(singles), why)
