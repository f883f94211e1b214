"""The desktop app in Chinese: translators installed, standard dialogs too, a CJK font."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from clinic_app.i18n import Language, translate
from clinic_app.ui.login.dialog import LoginDialog
from clinic_app.ui.shell.language_menu import LanguageMenu
from clinic_app.ui.translators import install_language


@pytest.fixture
def chinese(qapp) -> Iterator[QApplication]:
    """The application in zh_CN for one test, back in English afterwards."""
    install_language(qapp, "zh_CN")
    yield qapp
    install_language(qapp, "en")


def test_app_text_and_qt_dialogs_are_chinese(chinese):
    """Our catalogue and Qt's own (standard buttons) both answer in Chinese."""
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert translate("risk_pdf", "Patient risk report") == "患者风险报告"
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"


def test_sign_in_screen_is_built_in_chinese(chinese, qtbot, store, pool):
    """A dialog built after the switch shows the Chinese labels and title."""
    dialog = LoginDialog(store.services, pool)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "clinic-app — 登录"
    assert dialog.sign_in_button.text() == "登录"


def test_switching_back_restores_english(qapp):
    """English after Chinese: no translator left behind."""
    install_language(qapp, "zh_CN")
    install_language(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_language_menu_lists_each_language_in_its_own_script(qapp):
    """English and 简体中文, the current one checked."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    menu = LanguageMenu(window)
    names = {a.text(): a.isChecked() for a in menu.actions()}
    assert names == {"English": True, "简体中文": False}
    assert {a.data() for a in menu.actions()} == {lang.value for lang in Language}
    window.deleteLater()


def test_a_cjk_font_is_available_to_the_gui(qapp):
    """Qt finds a font that covers Simplified Chinese (else the screens show boxes)."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert families, "no Simplified Chinese font: install fonts-noto-cjk"


def test_text_of_a_workspace_mixin_is_found(chinese, qtbot):
    """lupdate files a mixin's self.tr text under no context; the compiled catalogue names
    it WorkspaceWidget, which every mixin's inheritance chain holds, so it is found."""
    from clinic_app.ui.physician.toolbar_actions import ToolbarActionsMixin
    from clinic_app.ui.radiology.worklist_preview import PreviewMixin

    widget = ToolbarActionsMixin()
    qtbot.addWidget(widget)
    assert widget.tr("Recomputing all scores…") == "正在重新计算全部评分…"
    preview = PreviewMixin()
    qtbot.addWidget(preview)
    assert preview.tr("{person_name}: {n} series (double-click a series or the study "
                      "to open it)").startswith("{person_name}：")


def test_chart_dates_and_keys_read_chinese(chinese, qtbot):
    """The trend charts' month ticks ("9月", not "Sep") and a series key ("收缩压") come from
    the catalogue; an empty chart shows no made-up scale."""
    from datetime import UTC, datetime

    from clinic_app.ui.physician.charts import Series, TimeChart
    chart = TimeChart("血压", "mmHg")
    qtbot.addWidget(chart)
    axis = chart.plot.getPlotItem().getAxis("bottom")
    assert not axis.style["showValues"]  # no series yet
    chart.resize(700, 300)
    chart.grab()  # a painted axis knows its font, which its tick layout needs
    lo, hi = (datetime(2026, m, 1, tzinfo=UTC).timestamp() for m in (7, 12))
    ticks = [s for spacing, values in axis.tickValues(lo, hi, 800)
             for s in axis.tickStrings(values, 1.0, spacing)]
    assert "9月" in ticks and not any("Sep" in s for s in ticks), ticks
    chart.set_data([Series(translate("physician.trends", "systolic"),
                           (datetime(2026, 9, 15, tzinfo=UTC),), (140.0,))])
    assert axis.style["showValues"]
    assert translate("physician.trends", "systolic") == "收缩压"
