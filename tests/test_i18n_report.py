"""The printed risk report in Chinese: clinical terms, the CJK font embedded, ISO dates."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_app.i18n import Language, set_language
from tests.conftest import PASSWORDS
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def test_chinese_report_reads_chinese_with_an_embedded_cjk_font(clinic, tmp_path):  # noqa: F811
    """Headings and input labels are Chinese, units stay, the CJK font is embedded."""
    store, phys = clinic
    set_language(Language.CHINESE_SIMPLIFIED)
    try:
        files = store.services.risk_report.export(phys, "MRN-1", folder=tmp_path)
    finally:
        set_language(Language.ENGLISH)
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for words in ("患者风险报告", "收缩压", "总胆固醇", "输入项", "来源", "mmHg"):
        assert words in text, words
    assert "Patient risk report" not in text
    assert store.clock.now.date().isoformat() in text  # YYYY-MM-DD
    fonts = subprocess.run(["pdffonts", str(files.pdf)], check=True, capture_output=True,
                           text=True).stdout
    assert "CJK" in fonts  # the body font of a Chinese report (DejaVu only as fallback)
    # Latin runs keep their own glyphs: fpdf2 once drew them with the other font's ids
    # ("+8.2" as "8%2e") once text switched fonts in every line.
    amounts = re.findall(r"(\S+) 个百分点$", text, re.M)
    assert amounts and all(re.fullmatch(r"[+−-]\d+\.\d", a) for a in amounts), amounts
    assert re.search(r"SHA-256\s+[0-9a-f]{64}", text)
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", line  # every font embedded (PDF/A)


def test_numbers_stay_right_on_every_page_of_a_chinese_report(store, tmp_path):
    """A several-page Chinese report (China-PAR site, explained models on pages 1 and 2)
    prints each amount and manifest hash as computed: with DejaVu as body font and the CJK
    font as fallback, page 2's numbers came out as other glyphs ("+8.2" as "8%2e")."""
    import importlib.util

    from clinic_app.services import Services

    spec = importlib.util.spec_from_file_location("patients", ROOT / "scripts" / "screen_patients.py")
    assert spec and spec.loader
    patients = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(patients)
    store.services.close()
    services = Services(store.settings(display_units="si", china_par_population=True,
                                       china_par_region="north", china_par_urbanisation="urban"))
    try:
        phys = services.auth.login("phys", PASSWORDS["phys"])
        assert services.records.import_files(phys, [patients.china_patient(tmp_path)]).ok
        services.risk.score_patient(phys, "CN-0001")
        set_language(Language.CHINESE_SIMPLIFIED)
        try:
            pdf = services.risk_report.export(phys, "CN-0001", folder=tmp_path).pdf
        finally:
            set_language(Language.ENGLISH)
    finally:
        services.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert text.count("\f") >= 2  # more than one page
    amounts = re.findall(r"^(\S+) 个百分点$", text, re.M)
    assert len(amounts) >= 10 and all(re.fullmatch(r"[+−-]\d+\.\d", a) for a in amounts), amounts
    hashes = re.findall(r"SHA-256\s+(\S+?)。", text)
    assert len(hashes) >= 3 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), hashes
