"""clinic-app report MRN [--out FILE.pdf] [--overwrite]: the printed risk report.

The report service writes the PDF/A-1b and, beside it, ``<name>.fhir.json`` with one FHIR
RiskAssessment per score; the default name is ``<MRN>-risk-<date>.pdf`` in the current
folder, and an existing file is never replaced without ``--overwrite``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.i18n import translate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help=translate("cli", "write a patient's risk report (PDF/A) and FHIR "
                                      "RiskAssessments"))
    p.add_argument("mrn", help=translate("cli", "patient MRN"))
    p.add_argument("--out", type=Path, metavar="FILE.pdf",
                   help=translate("cli", "where to write the PDF (default: ./<MRN>-risk-<date>.pdf)"))
    p.add_argument("--issuer", help=translate("cli", "MRN issuer, when MRNs from two issuers collide"))
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=translate("cli", "the record as it stood on this date"))
    p.add_argument("--overwrite", action="store_true", help=translate("cli", "replace existing files"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_report)


def cmd_report(rt: Runtime) -> int:
    from clinic_app.cli.models import _as_of

    a = rt.args
    with rt.session() as sess:
        files = rt.services.risk_report.export(sess, a.mrn, a.out, issuer=a.issuer,
                                               as_of=_as_of(a.as_of), overwrite=a.overwrite)
    rt.print(translate("cli", "wrote {pdf} ({pages} page{value}) and {name} ({len} RiskAssessment{value2})").format(
                 pdf=files.pdf, pages=files.pages, value='s' if files.pages != 1 else '',
                 name=files.fhir.name, len=len(files.models), value2='s' if len(files.models) != 1 else ''))
    return 0
