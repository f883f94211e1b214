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


def _china_par_reports(store, tmp_path: Path, language: Language,
                       names: tuple[str | None, ...] = (None,)) -> list[str]:
    """The China-PAR site's several-page report of the synthetic patient of
    screen_patients.py in ``language``, once per name (None: the bundle's own, "Wang Wei";
    each copy its own MRN), as pdftotext reads it."""
    import importlib.util
    import json

    from clinic_app.services import Services

    spec = importlib.util.spec_from_file_location("patients", ROOT / "scripts" / "screen_patients.py")
    assert spec and spec.loader
    patients = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(patients)
    source = patients.china_patient(tmp_path).read_text()
    bundles = []
    for i, name in enumerate(names):
        data = json.loads(source.replace("cn1", f"cn{i + 1}").replace("CN-0001", f"CN-000{i + 1}"))
        if name is not None:
            data["entry"][0]["resource"]["name"] = [{"family": name[0], "given": [name[1:]]}]
        bundles.append(tmp_path / f"patient-{i + 1}.json")
        bundles[-1].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store.services.close()
    services = Services(store.settings(display_units="si", china_par_population=True,
                                       china_par_region="north", china_par_urbanisation="urban"))
    texts = []
    try:
        phys = services.auth.login("phys", PASSWORDS["phys"])
        assert services.records.import_files(phys, bundles).ok
        for i in range(len(names)):
            services.risk.score_patient(phys, f"CN-000{i + 1}")
            set_language(language)
            try:
                pdf = services.risk_report.export(phys, f"CN-000{i + 1}", folder=tmp_path).pdf
            finally:
                set_language(Language.ENGLISH)
            texts.append(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                        text=True).stdout)
    finally:
        services.close()
    return texts


def test_numbers_stay_right_on_every_page_of_a_chinese_report(store, tmp_path):
    """A several-page Chinese report (China-PAR site, explained models on pages 1 and 2)
    prints each amount and manifest hash as computed: with DejaVu as body font and the CJK
    font as fallback, page 2's numbers came out as other glyphs ("+8.2" as "8%2e")."""
    [text] = _china_par_reports(store, tmp_path, Language.CHINESE_SIMPLIFIED)
    assert text.count("\f") >= 2  # more than one page
    amounts = re.findall(r"^(\S+) 个百分点$", text, re.M)
    assert len(amounts) >= 10 and all(re.fullmatch(r"[+−-]\d+\.\d", a) for a in amounts), amounts
    hashes = re.findall(r"SHA-256\s+(\S+?)。", text)
    assert len(hashes) >= 3 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), hashes
    assert "无法计算的评分" in text and not re.search(r"[:：]\s*无法计算", text)  # said once per line


def _numbers(text: str) -> tuple[list[str], list[str], list[str]]:
    """An English report's factor amounts ("+3.9 pp"), totals ("add +8.0 percentage
    points") and manifest hashes, in page order."""
    return (re.findall(r"^(\S+) pp$", text, re.M),
            re.findall(r"factors\s+add\s+(\S+)\s+percentage\s+points", text),
            re.findall(r"SHA-256\s+(\S+?)\.$", text, re.M))


def test_numbers_stay_right_on_every_page_of_an_english_report_for_a_chinese_name(store, tmp_path):
    """An English report whose patient has a Chinese name (DejaVu body, the CJK font only as
    fallback for the name) prints every amount and manifest hash on every page exactly as
    the same report for a Latin name does (DejaVu alone: no font switching to go wrong)."""
    chinese, latin = _china_par_reports(store, tmp_path, Language.ENGLISH, names=("王伟", None))
    assert chinese.count("\f") >= 4 and "王, 伟" in chinese and "Wang, Wei" in latin.title()
    amounts, totals, hashes = _numbers(chinese)
    assert len(amounts) >= 15 and all(re.fullmatch(r"[+−-]\d+\.\d", a) for a in amounts), amounts
    assert len(totals) >= 3 and all(re.fullmatch(r"[+−-]\d+\.\d", a) for a in totals), totals
    assert len(hashes) >= 4 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), hashes
    assert (amounts, totals, hashes) == _numbers(latin)
    assert "could not be computed" in latin and "Cannot compute" not in latin  # the name leads
