"""The service layer: the only API the GUI and the CLI use.

Services check permissions, write audit events and own transactions; the store and the
core below them know nothing of users or roles.

The facade builds each service, and imports its module, on first use: a calculator call or
``models list`` must not pay for pydicom, highdicom, pynetdicom and the rest (issue 16,
start-up). ``services.X`` works as before; ``Services.SERVICE_NAMES`` lists them all.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

from clinic_app.config import Settings
from clinic_app.core.clock import Clock, utc_now

if TYPE_CHECKING:
    from clinic_app.services.accounts import AccountService
    from clinic_app.services.analysis import AnalysisService
    from clinic_app.services.audit_forwarding import AuditForwardingService
    from clinic_app.services.audit_log import AuditService
    from clinic_app.services.auth import AuthService
    from clinic_app.services.context import ServiceContext
    from clinic_app.services.deid import DeidService
    from clinic_app.services.entered_values import EnteredValuesService
    from clinic_app.services.grants import GrantService
    from clinic_app.services.imaging import ImagingService
    from clinic_app.services.kept_records import KeptRecordsService
    from clinic_app.services.key_rotation import KeyRotationService
    from clinic_app.services.measurement_report import MeasurementReportService
    from clinic_app.services.measurements import MeasurementService
    from clinic_app.services.model_evaluation import ModelEvaluationService
    from clinic_app.services.model_trust import ModelTrustService
    from clinic_app.services.models import ModelService
    from clinic_app.services.pacs import PacsService
    from clinic_app.services.patient_chart import PatientChartService
    from clinic_app.services.records import RecordsService
    from clinic_app.services.results import ResultsService
    from clinic_app.services.review_edits import ReviewEditService
    from clinic_app.services.risk import RiskService
    from clinic_app.services.risk_overview import RiskOverviewService
    from clinic_app.services.risk_report import RiskReportService
    from clinic_app.services.session import Session
    from clinic_app.services.site_config import SiteConfigService
    from clinic_app.services.store_admin import StoreAdminService
    from clinic_app.services.study_results import StudyResultsService
    from clinic_app.services.system_info import SystemInfoService
    from clinic_app.services.terminology import TerminologyService

__all__ = ["Services", "Session"]

#: attribute -> (module under clinic_app.services, class, services passed after the context).
_SERVICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "auth": ("auth", "AuthService", ()),
    "accounts": ("accounts", "AccountService", ("auth",)),
    "audit": ("audit_log", "AuditService", ()),
    "records": ("records", "RecordsService", ()),
    "models": ("models", "ModelService", ()),
    "risk": ("risk", "RiskService", ("models",)),
    "risk_overview": ("risk_overview", "RiskOverviewService", ("risk",)),
    "imaging": ("imaging", "ImagingService", ()),
    "analysis": ("analysis", "AnalysisService", ("imaging", "models")),
    "system": ("system_info", "SystemInfoService", ()),
    "site_config": ("site_config", "SiteConfigService", ()),
    "model_trust": ("model_trust", "ModelTrustService", ()),
    "audit_forwarding": ("audit_forwarding", "AuditForwardingService", ()),
    "store_admin": ("store_admin", "StoreAdminService", ()),
    "key_rotation": ("key_rotation", "KeyRotationService", ()),
    "grants": ("grants", "GrantService", ("auth",)),
    "risk_report": ("risk_report", "RiskReportService", ("risk",)),
    "review_edits": ("review_edits", "ReviewEditService", ("analysis",)),
    "results": ("results", "ResultsService", ("analysis",)),
    "study_results": ("study_results", "StudyResultsService", ("analysis",)),
    "deid": ("deid", "DeidService", ()),
    "pacs": ("pacs", "PacsService", ("imaging",)),
    "model_evaluation": ("model_evaluation", "ModelEvaluationService", ("models",)),
    "measurements": ("measurements", "MeasurementService", ()),
    "terminology": ("terminology", "TerminologyService", ()),
    "measurement_report": ("measurement_report", "MeasurementReportService", ("imaging",)),
    "kept_records": ("kept_records", "KeptRecordsService", ()),
    "patient_chart": ("patient_chart", "PatientChartService", ("records", "risk", "analysis")),
    "entered_values": ("entered_values", "EnteredValuesService", ()),
}

#: Services built together with another because they hook into it when built: imaging's
#: after-import hooks (auto-analysis) must be in place before the first import runs.
_COMPANIONS: dict[str, tuple[str, ...]] = {
    "imaging": ("analysis",),
}


class Services:
    """Facade holding one instance of each service over one store, each built on first use."""

    SERVICE_NAMES: tuple[str, ...] = tuple(_SERVICES)

    ctx: ServiceContext
    auth: AuthService
    accounts: AccountService
    audit: AuditService
    records: RecordsService
    models: ModelService
    risk: RiskService
    risk_overview: RiskOverviewService
    imaging: ImagingService
    analysis: AnalysisService
    system: SystemInfoService
    site_config: SiteConfigService
    model_trust: ModelTrustService
    audit_forwarding: AuditForwardingService
    store_admin: StoreAdminService
    key_rotation: KeyRotationService
    grants: GrantService
    risk_report: RiskReportService
    review_edits: ReviewEditService
    results: ResultsService
    study_results: StudyResultsService
    deid: DeidService
    pacs: PacsService
    model_evaluation: ModelEvaluationService
    measurements: MeasurementService
    terminology: TerminologyService
    measurement_report: MeasurementReportService
    kept_records: KeptRecordsService
    patient_chart: PatientChartService
    entered_values: EnteredValuesService

    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        from clinic_app.services.context import ServiceContext

        # Re-entrant: building one service builds the services it is given first.
        self._building = threading.RLock()
        self.ctx = ServiceContext(settings, clock)
        if settings.audit_syslog_host and settings.audit_forward_live:
            self.audit_forwarding.start_live()  # each audit entry goes out as it is written

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not yet set: the services not built so far.
        if name not in _SERVICES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        with self._building:
            if name in vars(self):  # another thread built it while this one waited
                return vars(self)[name]
            module, cls_name, needs = _SERVICES[name]
            cls = getattr(importlib.import_module(f"clinic_app.services.{module}"), cls_name)
            deps = [getattr(self, dep) for dep in needs]
            if name in vars(self):  # built as a companion of one of its own dependencies
                return vars(self)[name]
            service = cls(self.ctx, *deps)
            if name == "pacs":
                # 'pacs send --results' sends what the DICOM output writers build (SEG, SR, KO).
                service.result_sources.append(
                    lambda session, uid: list(self.results.build(session, uid).datasets))
            setattr(self, name, service)
            for companion in _COMPANIONS.get(name, ()):
                getattr(self, companion)
            return service

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def clock(self) -> Clock:
        """The clock every service stamps with; the UI and CLI read "now" here too, so a
        test's ManualClock (and a demo's) governs what the screens show."""
        return self.ctx.clock

    def close(self) -> None:
        if "pacs" in vars(self):  # a listener runs only if the PACS service was built
            self.pacs.stop_listener()
        if "audit_forwarding" in vars(self):
            self.audit_forwarding.stop_live()
        self.ctx.close()


def __getattr__(name: str) -> Any:
    """``Session`` on first use: importing it loads the audit log and the store, which a
    calculator call (``clinic_app.services.models``) never needs (issue 16, start-up)."""
    if name == "Session":
        from clinic_app.services.session import Session

        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
