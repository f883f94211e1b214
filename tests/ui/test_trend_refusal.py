"""A refusal says "cannot compute" once: the trends gap line, the CLI, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication

from clinic_app.core.reports.wording import refusal_detail
from clinic_app.i18n import Language
from clinic_app.ui.physician.trends import TrendsView
from clinic_app.ui.physician.views import ModelCard, ScoreView
from clinic_app.ui.translators import install_language

MISSING = ("Cannot compute ACC/AHA Pooled Cohort Equations (10-year ASCVD risk): missing "
           "hdl_cholesterol (an HDL cholesterol result within 24 months).")
OUTSIDE = ("Cannot compute ACC/AHA Pooled Cohort Equations (10-year ASCVD risk): age 39 a "
           "is outside the valid range 40–79 a (Goff 2013 ACC/AHA guideline (valid ranges "
           "of the Pooled Cohort Equations))")
CARD = ModelCard(id="pce-ascvd-10y", name="ACC/AHA Pooled Cohort Equations (10-year ASCVD risk)",
                 version="1", references=(), intended_use="", valid_ranges=(), demo=False)


@pytest.fixture
def language(qapp):
    """Switches the interface language for one test and back to English after it."""
    yield lambda lang: install_language(QApplication.instance(), lang)
    install_language(QApplication.instance(), Language.ENGLISH)


def _refused(day: int, reason: str) -> ScoreView:
    return ScoreView(model_id=CARD.id, as_of=datetime(2025, 10, day, 12, tzinfo=UTC), value=None,
                     value_text="", category=None, flags=(), inputs=(), missing=(), reason=reason,
                     contribution_unit="", card=CARD, provider="")


@pytest.mark.parametrize("reason", [MISSING, OUTSIDE])
@pytest.mark.parametrize(("lang", "refusal"), [("en", "ompute"), ("zh_CN", "无法计算")])
def test_trend_gap_line_says_cannot_compute_once(qtbot, language, reason, lang, refusal):
    """"Could not be computed on <day>: <why>" carries no second "Cannot compute <model>:"
    (it read "无法计算：无法计算<model>：…" in Chinese)."""
    language(lang)
    view = TrendsView()
    qtbot.addWidget(view)
    view.show_scores([_refused(2, reason)])
    text = view.gaps.text()
    assert text.count(refusal) == 1, text
    assert "2025-10-02" in text and "ASCVD risk)" not in text
    if lang == "zh_CN":
        assert "Cannot" not in text and "missing" not in text and "outside" not in text, text


def test_refusal_detail_keeps_the_reason_in_both_languages(language):
    """Only the lead goes: the missing input and the range stay, in the reader's language."""
    assert refusal_detail(MISSING, {"hdl_cholesterol": "HDL cholesterol"}).startswith(
        "missing HDL cholesterol (HDL cholesterol result within 24 months")
    assert "is outside the valid range 40–79" in refusal_detail(OUTSIDE, {"age": "Age"})
    language("zh_CN")
    missing = refusal_detail(MISSING, {"hdl_cholesterol": "HDL cholesterol"})
    assert missing.startswith("缺少") and "高密度脂蛋白胆固醇" in missing, missing
    outside = refusal_detail(OUTSIDE, {"age": "Age"})
    assert "39 岁" in outside and not outside.startswith("无法计算"), outside


def test_labelling_an_english_refusal_twice_changes_nothing():
    """The physician screens label a refusal when loaded and again when shown: "smoker"
    inside "current smoker" is not labelled a second time ("current current smoker")."""
    from clinic_app.core.reports.wording import plain_flag

    reason = ("Cannot compute ACC/AHA Pooled Cohort Equations (10-year ASCVD risk): missing smoker "
              "(a smoking status (current/former/never) within 12 months).")
    labels = {"smoker": "Current smoker"}
    once = plain_flag(reason, labels)
    assert "missing current smoker (" in once
    assert plain_flag(once, labels) == once
    assert refusal_detail(once, labels).startswith("missing current smoker ("), refusal_detail(once, labels)


def test_cli_not_computed_line_says_cannot_compute_once(language):
    """`models score` prints "<model>: cannot compute: <why>" without a second
    "Cannot compute <model>:" inside the why, in English and in Chinese."""
    from clinic_app.cli.models import _print_not_computed
    from clinic_app.services.risk import NotComputed

    printed: list[str] = []

    class Printer:
        def print(self, text: str) -> None:
            printed.append(text)

    refused = NotComputed(CARD.id, CARD.name, MISSING)
    _print_not_computed(Printer(), refused)
    language("zh_CN")
    _print_not_computed(Printer(), refused)
    english, chinese = printed
    assert english.lower().count("cannot compute") == 1 and "missing" in english, english
    assert chinese.count("无法计算") == 1 and "缺少" in chinese, chinese
