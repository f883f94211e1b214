"""The printed risk report: real point sizes, a full page, identity on every page, PDF/A, FHIR."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from statistics import median

import pytest

from clinic_app.cli.main import main
from clinic_app.core.security.audit import AuditFilter
from clinic_app.errors import InvalidInput
from tests.conftest import PASSWORDS
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pages(pdf):
    """Per page: (width, height, [(x0, y0, x1, y1, text)]) from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return [(float(w), float(h), [(float(a), float(b), float(c), float(d), t)
                                  for a, b, c, d, t in WORD.findall(body)])
            for w, h, body in PAGE.findall(out)]


@pytest.fixture
def report(clinic, tmp_path):  # noqa: F811
    store, phys = clinic
    files = store.services.risk_report.export(phys, "MRN-1", folder=tmp_path)
    return store, phys, files


def test_default_name_has_mrn_and_date_and_fhir_sits_beside_it(report):
    """<MRN>-risk-<date>.pdf, with <name>.fhir.json next to it."""
    store, _, files = report
    assert files.pdf.name == f"MRN-1-risk-{store.clock.now.date().isoformat()}.pdf"
    assert files.fhir.name == files.pdf.stem + ".fhir.json" and files.fhir.is_file()


def test_body_text_is_10_to_11_point_and_fills_the_page(report):
    """Word heights match 10-11 pt body text; text spans the page width and runs down it."""
    *_, files = report
    laid = pages(files.pdf)
    assert len(laid) == files.pages >= 1
    width, height, words = laid[0]
    heights = [y1 - y0 for _, y0, _, y1, _ in words]
    # DejaVu Sans bounding boxes are 1.164 em tall: 10.5 pt text gives 12.2 pt boxes
    assert 10 * 1.164 - 0.3 <= median(heights) <= 11 * 1.164 + 0.3
    assert min(h for h in heights) >= 9 * 1.164 - 0.3  # nothing smaller than 9 pt
    left = min(x0 for x0, *_ in words)
    right = max(x1 for _, _, x1, _, _ in words)
    assert (right - left) / width > 0.8
    if len(laid) > 1:
        assert max(y1 for _, _, _, y1, _ in words) / height > 0.85


def test_every_page_names_patient_mrn_and_date(report):
    """The header repeats name, MRN and the report date on each page."""
    store, _, files = report
    for _, _, words in pages(files.pdf):
        text = " ".join(w[4] for w in words)
        assert "TEST," in text and "MRN-1" in text
        assert store.clock.now.date().isoformat() in text


def test_report_is_plain_clinical_text(report):
    """No variable names, LOINC codes, UCUM brackets or 'ln hazard' in the printed text."""
    *_, files = report
    text = " ".join(w[4] for _, _, words in pages(files.pdf) for w in words)
    for bad in ("ln hazard", "mm[Hg]", "bp_treated", "known_cvd", "systolic_bp"):
        assert bad not in text
    assert "percentage" in text or "points" in text


def test_pdfa_markers_and_embedded_fonts(report):
    """PDF/A-1b identification in XMP, an sRGB output intent, and embedded TrueType fonts."""
    *_, files = report
    data = files.pdf.read_bytes()
    assert b"<pdfaid:part>1</pdfaid:part>" in data and b"<pdfaid:conformance>B" in data
    assert b"/GTS_PDFA1" in data and b"/DestOutputProfile" in data
    assert b"/FontFile2" in data and b"/Encrypt" not in data


def test_fhir_risk_assessments_name_model_version_and_hash(report):
    """One RiskAssessment per score; method has id, version and manifest SHA-256; basis refs."""
    *_, files = report
    bundle = json.loads(files.fhir.read_text())
    resources = [e["resource"] for e in bundle["entry"]]
    assert {r["resourceType"] for r in resources} == {"RiskAssessment"}
    assert len(resources) == len(files.models)
    frs = next(r for r in resources if r["method"]["coding"][0]["code"] == "framingham-cvd-10y")
    assert re.search(r"sha256:[0-9a-f]{64}", frs["method"]["text"])
    assert {"reference": "Observation/p1-sbp", "display": "systolic bp"} in frs["basis"]
    assert frs["subject"]["identifier"]["value"] == "MRN-1"


def test_never_overwrites_silently(report, tmp_path):
    """A second export to the same name is refused; --overwrite replaces; one audit per export."""
    store, phys, files = report
    before = files.pdf.read_bytes()
    with pytest.raises(InvalidInput, match="already exists"):
        store.services.risk_report.export(phys, "MRN-1", files.pdf)
    assert files.pdf.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report-")]
    store.services.risk_report.export(phys, "MRN-1", files.pdf, overwrite=True)
    entries = store.services.audit.search(phys, AuditFilter(action="risk.report.export")) \
        if hasattr(AuditFilter, "action") else None
    if entries is not None:
        assert len(entries) == 2


def test_cli_report_writes_the_files(clinic, tmp_path):  # noqa: F811
    """clinic-app report MRN --out FILE writes the PDF and the FHIR bundle; a second run refuses."""
    store, _ = clinic
    out = tmp_path / "r.pdf"

    def run() -> tuple[int, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        old = sys.stdin
        sys.stdin = io.StringIO(PASSWORDS["phys"] + "\n")
        try:
            code = main(["--store", str(store.root), "report", "MRN-1", "--out", str(out),
                         "--as-of", "2026-01-05", "--user", "phys", "--password-stdin"],
                        stdout, stderr)
        finally:
            sys.stdin = old
        return code, stdout.getvalue() + stderr.getvalue()

    code, text = run()
    assert code == 0 and out.is_file() and (tmp_path / "r.fhir.json").is_file(), text
    code, text = run()
    assert code == 1 and "already exists" in text
