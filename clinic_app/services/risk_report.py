"""The printed risk report (PDF/A-1b) and its FHIR RiskAssessments, made by a service so
the GUI and ``clinic-app report MRN --out FILE`` write the same files.

Order of events, so that the audit trail and the disk always agree: the scores are
computed (nothing stored), the PDF and the FHIR bundle are written to hidden temporary
files beside their destinations, the export is audited (RISK_REPORT_EXPORT; patient as a
keyed pseudonym, no file name, which could hold a name), and only then are the files
moved into place. An existing file is never replaced unless the caller says so
(``overwrite``): without it the move is a hard link, which fails if the name exists, so
not even a race can overwrite it. On any failure the temporary files are deleted.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clinic_app.core.records.display_units import system_of
from clinic_app.core.reports.risk_fhir import risk_assessment
from clinic_app.core.reports.risk_pdf import ReportNotComputed, ReportPatient, render
from clinic_app.core.reports.wording import secondary_outputs
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.risk import RiskService
from clinic_app.services.session import Session

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ReportFiles:
    pdf: Path
    fhir: Path
    pages: int
    models: tuple[str, ...]


def default_file_name(mrn: str, when: datetime) -> str:
    """``<MRN>-risk-<date>.pdf`` (characters a file system may refuse become '_')."""
    return f"{_UNSAFE.sub('_', mrn).strip('._') or 'patient'}-risk-{when.date().isoformat()}.pdf"


def fhir_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + ".fhir.json")


def _write_temp(folder: Path, data: bytes) -> Path:
    tmp = folder / f".report-{secrets.token_hex(8)}.tmp"
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def _move(tmp: Path, final: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, final)
        return
    try:
        os.link(tmp, final)  # fails if ``final`` exists: never a silent overwrite
    except FileExistsError:
        raise InvalidInput(translate("services", "{name} already exists; choose another name or allow "
                                                 "replacing it (--overwrite).").format(name=final.name)) from None
    tmp.unlink()


class RiskReportService:
    def __init__(self, ctx: ServiceContext, risk: RiskService) -> None:
        self.ctx = ctx
        self.risk = risk

    def export(self, session: Session, mrn: str, out: Path | None = None, *,
               issuer: str | None = None, as_of: datetime | None = None,
               overwrite: bool = False, folder: Path | None = None) -> ReportFiles:
        """Write ``out`` (default ``<folder or cwd>/<MRN>-risk-<date>.pdf``) and its FHIR
        RiskAssessments beside it (``<name>.fhir.json``); one audit entry."""
        self.ctx.begin(session, Permission.RISK_REPORT_EXPORT)
        repo = self.risk._repo(session)
        patient = self.risk._patient(session, repo, mrn, issuer, "risk.report.export")
        now = self.ctx.clock()
        when = as_of or now
        pdf_path = out if out is not None else (folder or Path.cwd()) / default_file_name(mrn, when)
        pdf_path = pdf_path.expanduser()
        if pdf_path.suffix.lower() != ".pdf":
            raise InvalidInput(translate("services", "{name}: the report is a PDF; give a name ending .pdf.").format(
                                   name=pdf_path.name))
        if not pdf_path.parent.is_dir():
            raise InvalidInput(translate("services", "The folder {parent} does not exist.").format(
                                   parent=pdf_path.parent))
        json_path = fhir_path(pdf_path)
        if not overwrite:
            for p in (pdf_path, json_path):
                if p.exists():
                    raise InvalidInput(translate("services", "{name} already exists; choose another name or "
                                                             "allow replacing it (--overwrite).").format(
                                           name=p.name))
        models = self.risk.ungated_risk_models(session)
        results, failed = self.risk._score(session, repo, patient, models, when)
        shown = [r for r in results if not r.demo]  # a demo model never goes on a report
        labels = {m.manifest.id: {f.name: f.label for f in m.manifest.features} for m in models}
        name = f"{patient.family.upper()}, {patient.given}".strip(", ")
        pdf = render(ReportPatient(name or "(no name)", patient.mrn,
                                   patient.birth_date.isoformat() if patient.birth_date else "—",
                                   patient.sex),
                     shown, [ReportNotComputed(n.model_name, n.reason) for n in failed],
                     generated_by=session.username, generated_at=now, labels=labels,
                     secondary={m.manifest.id: secondary_outputs(
                         m.manifest.section("outputs").get("tensors", ()),
                         str(m.manifest.section("outputs").get("primary", "")))
                         for m in models},
                     units=system_of(self.ctx.settings))
        pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
        bundle = {"resourceType": "Bundle", "type": "collection",
                  "entry": [{"resource": risk_assessment(r, patient_mrn=patient.mrn,
                                                         issuer=patient.issuer, when=when,
                                                         performer=session.username)}
                            for r in shown]}
        folder_ = pdf_path.parent
        temps = [_write_temp(folder_, pdf),
                 _write_temp(folder_, json.dumps(bundle, indent=1).encode("utf-8"))]
        try:
            self.ctx.audit(session, EventCode.EXPORT, "risk.report.export", patient_id=mrn,
                           detail={"models": sorted(r.model_id for r in shown), "pages": pages,
                                   "format": "pdf/a-1b + fhir RiskAssessment",
                                   "issuer_given": bool(issuer)})
            _move(temps[0], pdf_path, overwrite)
            try:
                _move(temps[1], json_path, overwrite)
            except BaseException:
                if not overwrite:
                    pdf_path.unlink(missing_ok=True)
                raise
        finally:
            for t in temps:
                t.unlink(missing_ok=True)
        return ReportFiles(pdf_path, json_path, pages, tuple(r.model_id for r in shown))
