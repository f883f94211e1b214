"""Localisation: one catalogue, a complete zh_CN translation, no literal Qt text, and
storage that does not depend on the language."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.config import Settings, load_settings
from clinic_app.core.reports.wording import plain_flag, plain_reason
from clinic_app.i18n import Language, current_language, set_language, translate, translate_any
from clinic_app.i18n.catalogue import compiled_dir
from clinic_app.i18n.compile import read_ts
from clinic_app.i18n.formats import format_date, format_datetime, format_number
from clinic_app.i18n.preference import save_language, with_language
from tests.i18n_checks import untranslated, variable_contexts

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "clinic_app_zh_CN.ts"
_spec = importlib.util.spec_from_file_location("update_translations",
                                               ROOT / "scripts" / "update_translations.py")
assert _spec and _spec.loader
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)
needs_lupdate = pytest.mark.skipif(not Path(update.tool("pyside6-lrelease")).exists(),
                                   reason="needs the PySide6 tools")
#: UI folders exempt from the literal-text check (none: every workspace is wrapped).
PENDING: tuple[str, ...] = ()
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves the process in English, whatever it switched to."""
    yield
    set_language(Language.ENGLISH)


@needs_lupdate
def test_compiled_catalogues_match_the_source(tmp_path):
    """The shipped .qm and .json are what the .ts compiles to (run update_translations.py)."""
    qm, js = update.compile_language("zh_CN", tmp_path)
    assert qm.read_bytes() == (compiled_dir() / qm.name).read_bytes(), "stale .qm"
    assert js.read_bytes() == (compiled_dir() / js.name).read_bytes(), "stale .json"


def test_model_terms_list_is_current():
    """The manifest texts listed for lupdate are those of the shipped manifests."""
    assert update.model_terms_source() == update.TERMS_MODULE.read_text(encoding="utf-8")


def test_record_terms_list_is_current():
    """The record-fact names listed for lupdate are those of the shipped terminology."""
    assert update.record_terms_source() == update.RECORD_TERMS_MODULE.read_text(encoding="utf-8")


def test_record_derived_names_are_shown_in_chinese():
    """Our names for labs, drug classes and statuses read Chinese; source text stays as sent."""
    set_language("zh_CN")
    assert translate("record_terms", "Hemoglobin A1c") == "糖化血红蛋白"
    assert translate("record_terms", "calcium channel blocker") == "钙通道阻滞剂"
    assert translate("record_terms", "never") == "从不吸烟"
    assert translate("record_terms", "Hydrochlorothiazide 25 MG Oral Tablet") == \
        "Hydrochlorothiazide 25 MG Oral Tablet"


def test_refusals_and_range_sources_read_chinese():
    """A stored 'Cannot compute <model>: <value> is outside the valid range' reads Chinese."""
    set_language("zh_CN")
    shown = plain_reason("Cannot compute ACC/AHA Pooled Cohort Equations (10-year ASCVD risk): age 39 a "
                         "is outside the valid range 40–79 a (Goff 2013 ACC/AHA guideline (valid ranges "
                         "of the Pooled Cohort Equations))", {"age": "Age"})
    assert shown.startswith("无法计算") and "Cannot" not in shown and "outside" not in shown
    assert "Goff 2013 ACC/AHA 指南" in shown and "39 岁" in shown


@needs_lupdate
def test_every_user_facing_string_has_a_finished_zh_cn_entry(tmp_path):
    """lupdate over today's sources finds nothing new and nothing left unfinished."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    update.extract("zh_CN", copy)
    messages = read_ts(copy.read_bytes())
    unfinished = sorted({f"{m.context}: {m.source}" for m in messages if m.state is not None})
    assert not unfinished, f"{len(unfinished)} strings without a zh_CN translation: {unfinished[:20]}"
    assert len(messages) == len(read_ts(TS.read_bytes())), "the .ts is older than the sources"


def test_translations_keep_their_placeholders():
    """A translation uses only the {placeholders} of its source, so .format() cannot fail."""
    for m in read_ts(TS.read_bytes()):
        if m.translation:
            used = set(PLACEHOLDER.findall(m.translation.replace("{{", "").replace("}}", "")))
            given = set(PLACEHOLDER.findall(m.source.replace("{{", "").replace("}}", "")))
            assert used <= given, (m.source, m.translation)


def test_clinical_terms_follow_the_chinese_guidelines():
    """Risk inputs read as the Chinese guidelines write them, never as variable names."""
    set_language("zh_CN")
    expected = {"Systolic blood pressure": "收缩压", "Total cholesterol": "总胆固醇",
                "HDL cholesterol": "高密度脂蛋白胆固醇", "On blood-pressure medication": "正在服用降压药物",
                "Diabetes": "糖尿病", "Smoking": "吸烟"}
    for english, chinese in expected.items():
        assert translate("model_terms", english) == chinese
    assert "ASCVD" in translate("model_terms", "ACC/AHA Pooled Cohort Equations (10-year ASCVD risk)")


def test_no_literal_text_reaches_a_qt_text_setter():
    """Text handed to setText, QLabel, QPushButton, setWindowTitle … goes through tr()."""
    found = [f"{p.relative_to(ROOT)}:{line}: {call}"
             for p in sorted((ROOT / "clinic_app" / "ui").rglob("*.py"))
             if p.parent.name not in PENDING
             for line, call in untranslated(p)]
    assert not found, "untranslatable text:\n" + "\n".join(found)


def test_every_translation_context_is_a_literal():
    """translate(CONTEXT, …) names its context literally, so lupdate extracts the text."""
    found = [f"{p.relative_to(ROOT)}:{line}: {call}"
             for p in sorted((ROOT / "clinic_app").rglob("*.py"))
             for line, call in variable_contexts(p)]
    assert not found, "context lupdate cannot read:\n" + "\n".join(found)


def test_translate_follows_the_language_and_falls_back_to_english():
    """zh_CN text where an entry exists, the English source where none does."""
    assert translate("risk_pdf", "Patient risk report") == "Patient risk report"
    set_language("zh_CN")
    assert current_language() is Language.CHINESE_SIMPLIFIED
    assert translate("risk_pdf", "Patient risk report") == "患者风险报告"
    assert translate("risk_pdf", "no such text") == "no such text"
    assert translate_any("IT administrator") == "IT 管理员"
    set_language("en")
    assert translate("risk_pdf", "Patient risk report") == "Patient risk report"


def test_cli_speaks_the_chosen_language():
    """--lang zh_CN turns a usage error Chinese; an unknown language is refused by name."""
    err = io.StringIO()
    assert main(["--lang", "zh_CN", "score"], io.StringIO(), err) == 2
    assert "请给出患者病历号" in err.getvalue()
    err = io.StringIO()
    assert main(["--lang", "xx", "score"], io.StringIO(), err) == 2
    assert "unknown language 'xx'" in err.getvalue() and "zh_CN" in err.getvalue()


def test_cli_help_and_usage_errors_are_chinese_throughout(capsys):
    """argparse's own frame (usage, options, errors) follows --lang too; English stays English."""
    for argv in (["--lang", "zh_CN", "--help"], ["--lang", "zh_CN", "score", "--no-such-option"],
                 ["score", "--no-such-option"]):
        main(argv, sys.stdout, sys.stderr)  # returns argparse's exit status, never raises
        set_language("en")
    shown = capsys.readouterr()
    help_text, errors = shown.out, shown.err
    assert "用法：" in help_text and "选项" in help_text
    assert "show this help" not in help_text and "version number" not in help_text
    assert "无法识别的参数" in errors and "unrecognized arguments: --no-such-option" in errors


def test_site_default_and_the_users_choice(tmp_path):
    """The site config sets the default language; a user's own file wins."""
    site, user = tmp_path / "site.toml", tmp_path / "user.toml"
    site.write_text('language = "zh_CN"\n', encoding="utf-8")
    assert load_settings(tmp_path / "store", site_path=site, user_path=user).language == "zh_CN"
    save_language(user, Language.ENGLISH)
    assert load_settings(tmp_path / "store", site_path=site, user_path=user).language == "en"


def test_saving_the_language_keeps_the_rest_of_the_users_file(tmp_path):
    """Only the language line changes: other keys and comments stay as written."""
    assert with_language("", Language.CHINESE_SIMPLIFIED) == 'language = "zh_CN"\n'
    text = '# mine\ntheme = "light"\n\n[clinic_app]\nauto_analyze_on_import = true\n'
    changed = with_language(text, Language.CHINESE_SIMPLIFIED)
    assert changed.startswith("# mine\ntheme")
    assert '[clinic_app]\nlanguage = "zh_CN"\nauto_analyze_on_import = true' in changed
    assert with_language(changed, Language.ENGLISH).count("language =") == 1
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.write_text('theme = "light"\n', encoding="utf-8")
    save_language(path, Language.CHINESE_SIMPLIFIED)
    assert load_settings(tmp_path / "s", site_path=tmp_path / "none", user_path=path).theme == "light"


def test_dates_and_numbers_shown_the_chinese_way():
    """zh_CN: YYYY-MM-DD, 24-hour time, a point as decimal mark; grouping only on request."""
    set_language("zh_CN")
    moment = datetime(2026, 1, 5, 9, 7, 3, tzinfo=UTC)
    assert format_date(moment) == "2026-01-05"
    assert format_datetime(moment) == "2026-01-05 09:07"
    assert format_datetime(moment, seconds=True) == "2026-01-05 09:07:03"
    assert format_number(1234.56, 1) == "1234.6"
    assert format_number(1234.56, 1, grouped=True) == "1,234.6"


def test_stored_values_do_not_change_with_the_language(tmp_path):
    """The same inputs give the same score, category key and inputs in either language."""
    from clinic_app.services.risk import calculate

    settings = Settings(store_dir=tmp_path / "store")
    inputs = {"age": 55, "sex": "female", "race": "other", "total_cholesterol": 213,
              "hdl_cholesterol": 50, "systolic_bp": 120, "bp_treated": False, "smoker": False,
              "diabetes": False}
    english = calculate(settings, "pce-ascvd-10y", inputs)
    set_language("zh_CN")
    chinese = calculate(settings, "pce-ascvd-10y", inputs)
    assert chinese.value == english.value
    assert chinese.category == english.category  # a key the screens colour by; shown translated
    assert {k: v.value for k, v in chinese.inputs.items()} == {k: v.value for k, v in english.inputs.items()}
    assert chinese.flags == english.flags and english.flags  # stored with the result: English
    shown = plain_flag(chinese.flags[0], {})
    assert shown.startswith("种族为“其他”") and "white equations" not in shown


def test_engine_flags_are_translated_when_shown():
    """Range, clamp and absent-input flags read Chinese, with labels and clinical units."""
    set_language("zh_CN")
    labels = {"systolic_bp": "Systolic blood pressure", "diabetes": "Diabetes"}
    assert plain_flag("extrapolated: systolic_bp 250 mm[Hg] is outside the valid range 90-200 mm[Hg] (Goff)",
                      labels) == "外推：收缩压 250 mmHg 超出有效范围 90-200 mmHg（Goff）"
    assert plain_flag("not in the record, counted as absent: diabetes", labels) == "病历中无记录，按“无”计：糖尿病"
    assert plain_reason("Cannot compute Total cholesterol model: missing systolic_bp (a vital sign).",
                        labels).startswith("无法计算")


def test_self_test_item_names_read_chinese_and_stay_aligned():
    """Item names are shown in Chinese (the JSON keeps them English) and padded by display width."""
    from clinic_app.cli.self_test import shown_check_name, text_width

    set_language("zh_CN")
    assert shown_check_name("CJK font") == "中日韩字体"
    assert shown_check_name("model pce-ascvd-10y") == "模型 pce-ascvd-10y"
    assert shown_check_name("dicom rle") == "DICOM 样例 rle"
    assert text_width("模型 x") == 6
