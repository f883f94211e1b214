"""Shipped layout names and site-supplied inputs read as clinical words in both languages,
never as our file's English names or our configuration keys."""

from __future__ import annotations

import pytest

from clinic_app.core.imaging import hanging
from clinic_app.core.reports.wording import plain_source, translate_source
from clinic_app.i18n import Language, set_language


@pytest.fixture
def chinese():
    """The process in zh_CN for one test, English again after it."""
    set_language(Language.CHINESE_SIMPLIFIED)
    yield
    set_language(Language.ENGLISH)


def test_every_shipped_layout_name_is_listed_for_translation():
    """The names in hanging_protocols.json are the ones lupdate sees (a new rule must be added)."""
    assert {r.name for r in hanging.default_rules()} == set(hanging.SHIPPED_NAMES)


def test_shipped_layout_names_read_chinese_and_a_readers_own_name_stays(chinese):
    """"CT chest with prior" is shown in Chinese; a reader's saved rule keeps its name."""
    shown = {r.name: hanging.shown_name(r) for r in hanging.default_rules()}
    assert shown["CT chest with prior"] == "胸部CT（与既往检查对比）"
    assert shown["CR chest"] == "胸部X线摄影"
    assert all(not any(c.isascii() and c.isalpha() and c not in "CTX" for c in name)
               for name in shown.values()), shown
    own = hanging.Rule("My CT chest with prior", "CT", ("CHEST",), (), 1, hanging.GridLayout.ONE_BY_TWO,
                       (hanging.ViewportPick(hanging.StudyRole.CURRENT),
                        hanging.ViewportPick(hanging.StudyRole.PRIOR)))
    assert hanging.shown_name(own) == "My CT chest with prior"


def test_shipped_layout_names_stay_in_english():
    """In English the shipped name is shown as the file writes it."""
    rule = next(r for r in hanging.default_rules() if r.name == "CT chest with prior")
    assert hanging.shown_name(rule) == "CT chest with prior"


@pytest.mark.parametrize(("stored", "english", "chinese_text"), [
    ("from site settings (china_par_region = north)", "Region (site setting): northern China",
     "所在地区（机构设置）：北方"),
    ("from site settings (china_par_region = south)", "Region (site setting): southern China",
     "所在地区（机构设置）：南方"),
    ("from site settings (china_par_urbanisation = urban)", "Residence (site setting): urban",
     "居住地（机构设置）：城市"),
    ("from site settings (china_par_urbanisation = rural)", "Residence (site setting): rural",
     "居住地（机构设置）：农村"),
])
def test_a_site_supplied_input_names_the_setting_in_clinical_words(stored, english, chinese_text):
    """The stored source "from site settings (china_par_region = north)" is shown as the
    setting and its value in words, in English and in Chinese, without the config key."""
    assert translate_source(stored) == english
    assert plain_source(stored) == english
    set_language(Language.CHINESE_SIMPLIFIED)
    try:
        assert translate_source(stored) == chinese_text
    finally:
        set_language(Language.ENGLISH)
    assert "china_par" not in english and "china_par" not in chinese_text
