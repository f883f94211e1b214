"""The printed risk report in Chinese: clinical terms, the CJK font embedded, ISO dates."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from clinic_app.i18n import Language, set_language
from tests.test_risk_service import clinic  # noqa: F401  (the fixture)

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
    assert "CJK" in fonts and "DejaVuSans" in fonts
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", line  # every font embedded (PDF/A)
