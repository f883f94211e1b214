"""Lesion-level evaluation of an imaging model: what ``clinic-app models evaluate`` measures.

The numbers in a model card have to be reproducible by anyone with the data, so they
come from this one module, fed with the findings the app's own pipeline produced.

Matching (the rule every number below uses): a finding *hits* a lesion when its centre
lies within ``max(radius, 5 mm)`` of the lesion's centre (in the finding's frame: LPS mm
for CT, image-plane mm for radiographs). A lesion's findings are the hits that are
*flagged* (score ≥ the manifest threshold). Per lesion:

* ``findings`` — how many flagged findings hit it (the goal is exactly one);
* ``centre_error_mm``, ``diameter_error``, ``volume_error`` — of its best-scoring hit,
  relative errors as (estimate − truth) / truth;
* ``meets_goal`` — one finding, centre within 2 mm, diameter within ±15 %, volume within
  ±25 % (volume only where both truth and finding have one).

FROC: every finding of every scan (flagged or not) is a candidate with its score; at a
score cut, a lesion is detected if a candidate at or above the cut hits it; a candidate
that hits no lesion is a false positive; a second hit on a lesion is neither (the
"one finding" column counts those). Sensitivity at 0.5, 1, 2 and 4 false positives per
scan is the best sensitivity at a cut whose false-positive rate does not exceed it.

By diameter: lesions found and meeting the size goal per diameter band (``DIAMETER_BANDS_MM``),
so a model card shows where a detector's misses gather instead of averaging them away.

Calibration: findings by score decile-width bins (0–0.1 … 0.9–1), each bin's mean score
against the share of its findings that hit a lesion; ``ece`` weights the gaps by count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clinic_app.core.inference.findings import Finding

FROC_RATES = (0.5, 1.0, 2.0, 4.0)
GOAL_CENTRE_MM = 2.0
GOAL_DIAMETER = 0.15
GOAL_VOLUME = 0.25
#: Diameter bands (mm; lower bound in, upper out) for the per-size counts. 6 mm is where
#: follow-up of a solid pulmonary nodule starts (Fleischner Society, 2017) and where a
#: small detector's misses gather; 10 and 20 mm split the rest of the 5–30 mm range.
DIAMETER_BANDS_MM = ((0.0, 6.0), (6.0, 10.0), (10.0, 20.0), (20.0, math.inf))


@dataclass(frozen=True)
class Lesion:
    """A true lesion: centre in the frame its scan's findings use, size in mm and mL."""

    lesion_id: str
    centre_mm: tuple[float, ...]
    diameter_mm: float
    volume_ml: float | None = None


@dataclass(frozen=True)
class ScanResult:
    """One scan: its truth, the findings the model gave, and how it was sampled."""

    scan_id: str
    lesions: tuple[Lesion, ...]
    findings: tuple[Finding, ...]
    slice_mm: float | None = None


@dataclass(frozen=True)
class LesionRow:
    scan_id: str
    lesion_id: str
    diameter_mm: float
    slice_mm: float | None
    findings: int
    score: float | None
    centre_error_mm: float | None
    found_diameter_mm: float | None
    diameter_error: float | None
    volume_error: float | None
    meets_goal: bool

    def as_dict(self) -> dict[str, object]:
        return {k: (round(float(v), 4) if isinstance(v, float) else v)
                for k, v in vars(self).items()}


def _hits(finding: Finding, lesion: Lesion) -> bool:
    if not finding.center_mm:
        return False
    n = min(len(finding.center_mm), len(lesion.centre_mm))
    d = math.dist(finding.center_mm[:n], lesion.centre_mm[:n])
    return d <= max(lesion.diameter_mm / 2.0, 5.0)


def _rel(estimate: float | None, truth: float | None) -> float | None:
    if estimate is None or truth is None or truth <= 0:
        return None
    return (estimate - truth) / truth


def lesion_rows(scans: Sequence[ScanResult]) -> list[LesionRow]:
    """The per-lesion table (rule in the module doc)."""
    rows: list[LesionRow] = []
    for scan in scans:
        for lesion in scan.lesions:
            hits = [f for f in scan.findings if f.flagged and _hits(f, lesion)]
            best = max(hits, key=lambda f: f.score) if hits else None
            if best is None:
                rows.append(LesionRow(scan.scan_id, lesion.lesion_id, lesion.diameter_mm,
                                      scan.slice_mm, 0, None, None, None, None, None, False))
                continue
            n = min(len(best.center_mm), len(lesion.centre_mm))
            err = math.dist(best.center_mm[:n], lesion.centre_mm[:n])
            dd = _rel(best.diameter_mm, lesion.diameter_mm)
            dv = _rel(best.volume_ml, lesion.volume_ml)
            goal = (len(hits) == 1 and err <= GOAL_CENTRE_MM and dd is not None
                    and abs(dd) <= GOAL_DIAMETER and (dv is None or abs(dv) <= GOAL_VOLUME))
            rows.append(LesionRow(scan.scan_id, lesion.lesion_id, lesion.diameter_mm,
                                  scan.slice_mm, len(hits), best.score, err, best.diameter_mm,
                                  dd, dv, bool(goal)))
    return rows


def scan_rows(scans: Sequence[ScanResult]) -> list[dict[str, object]]:
    """Per scan: lesions, flagged findings, and flagged findings that hit no lesion."""
    return [{"scan": s.scan_id, "lesions": len(s.lesions),
             "flagged": sum(1 for f in s.findings if f.flagged),
             "false_positives": sum(1 for f in s.findings if f.flagged
                                    and not any(_hits(f, les) for les in s.lesions))}
            for s in scans]


def froc(scans: Sequence[ScanResult], rates: Sequence[float] = FROC_RATES) -> dict[str, float]:
    """Sensitivity at each false-positive rate per scan (rule in the module doc)."""
    total = sum(len(s.lesions) for s in scans)
    # (score, scan, lesion index or -1 for a false positive)
    events: list[tuple[float, int, int]] = []
    for n, scan in enumerate(scans):
        for f in scan.findings:
            hit = next((m for m, les in enumerate(scan.lesions) if _hits(f, les)), -1)
            events.append((f.score, n, hit))
    events.sort(key=lambda e: -e[0])
    detected: set[tuple[int, int]] = set()
    fps = 0
    curve: list[tuple[float, float]] = [(0.0, 0.0)]
    i = 0
    while i < len(events):
        cut = events[i][0]
        while i < len(events) and events[i][0] == cut:
            _, scan_n, hit = events[i]
            if hit < 0:
                fps += 1
            else:
                detected.add((scan_n, hit))
            i += 1
        curve.append((fps / max(1, len(scans)), len(detected) / max(1, total)))
    return {f"{r:g}": round(max(s for fp, s in curve if fp <= r), 3) for r in rates}


def calibration(scans: Sequence[ScanResult], bins: int = 10) -> dict[str, object]:
    """Reliability of the finding score: per bin mean score vs share of true findings."""
    scores, truth = [], []
    for scan in scans:
        for f in scan.findings:
            scores.append(f.score)
            truth.append(any(_hits(f, les) for les in scan.lesions))
    table = []
    ece = 0.0
    s, t = np.asarray(scores, dtype=float), np.asarray(truth, dtype=float)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = (s >= lo) & ((s < hi) if b < bins - 1 else (s <= hi))
        if not sel.any():
            continue
        mean, share = float(s[sel].mean()), float(t[sel].mean())
        ece += sel.sum() / len(s) * abs(mean - share)
        table.append({"bin": [lo, hi], "findings": int(sel.sum()), "mean_score": round(mean, 3),
                      "true_share": round(share, 3)})
    return {"bins": table, "ece": round(ece, 3) if len(s) else None}


def by_diameter(rows: Sequence[LesionRow]) -> list[dict[str, object]]:
    """Per diameter band with lesions in it: how many, found, meeting the size goal. The
    open upper band's bound is None (JSON has no infinity)."""
    bands = []
    for lo, hi in DIAMETER_BANDS_MM:
        inside = [r for r in rows if lo <= r.diameter_mm < hi]
        if inside:
            bands.append({"diameter_mm": [lo, hi if math.isfinite(hi) else None],
                          "lesions": len(inside),
                          "found": sum(1 for r in inside if r.findings > 0),
                          "meets_size_goal": sum(1 for r in inside if r.meets_goal)})
    return bands


def summary(scans: Sequence[ScanResult], rows: Sequence[LesionRow]) -> dict[str, object]:
    """The model card's metrics."""
    found = [r for r in rows if r.findings > 0]
    fp = sum(1 for s in scans for f in s.findings
             if f.flagged and not any(_hits(f, les) for les in s.lesions))
    negatives = [s for s in scans if not s.lesions]
    fp_negative = sum(1 for s in negatives for f in s.findings if f.flagged)

    def median(values: list[float]) -> float | None:
        return round(float(np.median(values)), 3) if values else None

    return {
        "scans": len(scans), "lesions": len(rows), "scans_without_lesion": len(negatives),
        "sensitivity": round(len(found) / max(1, len(rows)), 3),
        "false_positives_per_scan": round(fp / max(1, len(scans)), 3),
        "false_positives_per_scan_without_lesion":
            round(fp_negative / len(negatives), 3) if negatives else None,
        "froc_sensitivity": froc(scans),
        "one_finding_per_lesion": round(sum(1 for r in found if r.findings == 1)
                                        / max(1, len(found)), 3),
        "median_centre_error_mm": median([r.centre_error_mm for r in found
                                          if r.centre_error_mm is not None]),
        "median_abs_diameter_error": median([abs(r.diameter_error) for r in found
                                             if r.diameter_error is not None]),
        "median_abs_volume_error": median([abs(r.volume_error) for r in found
                                           if r.volume_error is not None]),
        "meets_size_goal": round(sum(1 for r in rows if r.meets_goal) / max(1, len(rows)), 3),
        "by_diameter": by_diameter(rows),
        "calibration_ece": calibration(scans)["ece"],
    }
