"""Export of the patient risk report from the workspace: choose where, then the service.

The report itself (PDF/A-1b laid out in real point sizes, with the explanation charts,
inputs with dates and sources, and FHIR RiskAssessments beside it) is made by
:class:`clinic_app.services.risk_report.RiskReportService`, the same code as
``clinic-app report MRN --out FILE``. This module only asks for the destination (the
suggested name is ``<MRN>-risk-<date>.pdf``; the file dialog asks before replacing a
file, so a confirmed name may be replaced) and reports the outcome. The service audits
the export before it moves the files into place, so a refusal leaves no file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from clinic_app.services import Services, Session
from clinic_app.services.records import PatientView
from clinic_app.services.risk_report import ReportFiles, default_file_name
from clinic_app.ui.dialogs import choose_save_path, inform
from clinic_app.ui.physician.views import ScoreView


def export_report(services: Services, session: Session, view: PatientView,
                  scores: Sequence[ScoreView], path: Path) -> int:
    """Write the report to ``path`` (audited; replaces a file the user confirmed); pages."""
    del scores  # the service scores the record itself, as of now
    files = services.risk_report.export(session, view.patient.mrn, path,
                                        issuer=view.patient.issuer or None, overwrite=True)
    return files.pages


def choose_report_path(parent: QWidget, services: Services, view: PatientView) -> Path | None:
    suggested = Path.home() / default_file_name(view.patient.mrn, services.clock())
    path = choose_save_path(
        parent,
        QCoreApplication.translate("physician.report", "Export risk report"),
        suggested,
        QCoreApplication.translate("physician.report", "PDF (*.pdf)"),
    )
    if path is not None and path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    return path


def report_written(parent: QWidget, files: ReportFiles) -> None:
    inform(parent, QCoreApplication.translate("physician.report", "Report exported"),
           QCoreApplication.translate("physician.report", "The risk report ({pages} page{value}) was written "
                                                          "to {pdf}, with {len} FHIR RiskAssessments in "
                                                          "{name} beside it.").format(
               pages=files.pages, value='s' if files.pages != 1 else '', pdf=files.pdf,
               len=len(files.models), name=files.fhir.name))
