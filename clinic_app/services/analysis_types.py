"""What the analysis service hands out: a study's AI state (and the studies running now,
which that state reads), the models that apply to it, and the stored runs with their
findings.

Kept apart from ``analysis`` (the service's actions) so screens and the CLI can name
these types without importing the service that runs models.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from clinic_app.services.finding_types import Finding
from clinic_app.services.imaging_types import StudySummary


class AnalysisState(StrEnum):
    """Where a study stands with AI analysis, in the order it moves (the worklist's column).

    The one definition: the radiology worklist (``ui/radiology/status.py``) and the
    physician summary show these values. FAILED is only ever set by the screen that saw
    an analysis fail in this session; the store never holds it.
    """

    NOT_ANALYSED = "not analysed"
    RUNNING = "running"
    FLAGGED = "flagged"
    NO_FINDINGS = "no findings"
    REVIEWED = "reviewed"
    FAILED = "failed"


NOT_ANALYSED, RUNNING, FLAGGED, NO_FINDINGS, REVIEWED = (
    AnalysisState.NOT_ANALYSED, AnalysisState.RUNNING, AnalysisState.FLAGGED,
    AnalysisState.NO_FINDINGS, AnalysisState.REVIEWED)


@dataclass(frozen=True)
class ApplicableModel:
    """One imaging model against one study: the series it would read, or why none."""

    model_id: str
    version: str
    name: str
    demo: bool
    applicable: bool
    series_uid: str = ""
    series_number: int | None = None
    stack_index: int = 0
    reason: str = ""


@dataclass(frozen=True)
class RunReport:
    """One model's stored run: provenance, timing and its findings."""

    run_uid: str
    model_id: str
    version: str
    demo: bool
    provider: str
    series_uid: str
    heatmap_kind: str
    timing: dict[str, float]
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> int:
        return sum(1 for f in self.findings if f.flagged)


@dataclass(frozen=True)
class WorklistEntry:
    """A study as the worklist shows it: its summary and its AI state."""

    study: StudySummary
    ai_status: AnalysisState


def study_state(latest_runs: Sequence[Mapping[str, int]], running: bool) -> AnalysisState:
    """A study's state from the latest run of each model on it (``n_flagged`` and
    ``n_reviewed`` per run): running wins; then nothing run, nothing flagged, every
    flagged finding reviewed, or flagged."""
    if running:
        return RUNNING
    if not latest_runs:
        return NOT_ANALYSED
    if not any(r["n_flagged"] for r in latest_runs):
        return NO_FINDINGS
    if all(r["n_reviewed"] >= r["n_flagged"] for r in latest_runs):
        return REVIEWED
    return FLAGGED


class RunningStudies:
    """The studies being analysed now, counted: two models (or a worker and the
    auto-analysis) may run on one study at once, and it stays RUNNING until both end."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def marked(self, study_uid: str) -> Iterator[None]:
        with self._lock:
            self._counts[study_uid] = self._counts.get(study_uid, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._counts[study_uid] - 1
                if left:
                    self._counts[study_uid] = left
                else:
                    del self._counts[study_uid]

    def now(self) -> set[str]:
        with self._lock:
            return set(self._counts)
