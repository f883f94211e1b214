"""The service layer: the only API the GUI and the CLI use.

Services check permissions, write audit events and own transactions; the store and the
core below them know nothing of users or roles.
"""

from __future__ import annotations

from clinic_app.config import Settings
from clinic_app.core.clock import Clock, utc_now
from clinic_app.services.accounts import AccountService
from clinic_app.services.analysis import AnalysisService
from clinic_app.services.audit_log import AuditService
from clinic_app.services.auth import AuthService
from clinic_app.services.context import ServiceContext
from clinic_app.services.imaging import ImagingService
from clinic_app.services.model_evaluation import ModelEvaluationService
from clinic_app.services.model_trust import ModelTrustService
from clinic_app.services.models import ModelService
from clinic_app.services.records import RecordsService
from clinic_app.services.risk import RiskService
from clinic_app.services.risk_overview import RiskOverviewService
from clinic_app.services.session import Session
from clinic_app.services.site_config import SiteConfigService
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
        self.model_evaluation = ModelEvaluationService(self.ctx, self.models)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def close(self) -> None:
        self.ctx.close()
