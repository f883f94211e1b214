"""The service layer: the only API the GUI and the CLI use.

Services check permissions, write audit events and own transactions; the store and the
core below them know nothing of users or roles.
"""

from __future__ import annotations

from clinic_app.config import Settings
from clinic_app.core.clock import Clock, utc_now
from clinic_app.services.accounts import AccountService
from clinic_app.services.analysis import AnalysisService
from clinic_app.services.audit_forwarding import AuditForwardingService
from clinic_app.services.audit_log import AuditService
from clinic_app.services.auth import AuthService
from clinic_app.services.context import ServiceContext
from clinic_app.services.deid import DeidService
from clinic_app.services.grants import GrantService
from clinic_app.services.imaging import ImagingService
from clinic_app.services.key_rotation import KeyRotationService
from clinic_app.services.measurements import MeasurementService
from clinic_app.services.model_evaluation import ModelEvaluationService
from clinic_app.services.model_trust import ModelTrustService
from clinic_app.services.models import ModelService
from clinic_app.services.pacs import PacsService
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

__all__ = ["Services", "Session"]


class Services:
    """Facade holding one instance of each service over one store."""

    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        self.ctx = ServiceContext(settings, clock)
        self.auth = AuthService(self.ctx)
        self.accounts = AccountService(self.ctx, self.auth)
        self.audit = AuditService(self.ctx)
        self.records = RecordsService(self.ctx)
        self.models = ModelService(self.ctx)
        self.risk = RiskService(self.ctx, self.models)
        self.risk_overview = RiskOverviewService(self.ctx, self.risk)
        self.imaging = ImagingService(self.ctx)
        self.analysis = AnalysisService(self.ctx, self.imaging, self.models)
        self.system = SystemInfoService(self.ctx)
        self.site_config = SiteConfigService(self.ctx)
        self.model_trust = ModelTrustService(self.ctx)
        self.audit_forwarding = AuditForwardingService(self.ctx)
        self.store_admin = StoreAdminService(self.ctx)
        self.key_rotation = KeyRotationService(self.ctx)
        self.grants = GrantService(self.ctx, self.auth)
        self.risk_report = RiskReportService(self.ctx, self.risk)
        self.review_edits = ReviewEditService(self.ctx, self.analysis)
        self.results = ResultsService(self.ctx, self.analysis)
        self.study_results = StudyResultsService(self.ctx, self.analysis)
        self.deid = DeidService(self.ctx)
        self.pacs = PacsService(self.ctx, self.imaging)
        # 'pacs send --results' sends what the DICOM output writers build (SEG, SR, KO).
        self.pacs.result_sources.append(lambda session, uid: list(self.results.build(session, uid).datasets))
        self.model_evaluation = ModelEvaluationService(self.ctx, self.models)
        self.measurements = MeasurementService(self.ctx)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def clock(self) -> Clock:
        """The clock every service stamps with; the UI and CLI read "now" here too, so a
        test's ManualClock (and a demo's) governs what the screens show."""
        return self.ctx.clock

    def close(self) -> None:
        self.pacs.stop_listener()
        self.ctx.close()
