"""The interface language is saved per application account and applied at sign-in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from clinic_app.i18n import Language, current_language
from clinic_app.i18n import choice as language_choice
from clinic_app.i18n.preference import account_language, save_account_language
from clinic_app.ui.shell.flow import ShellFlow
from clinic_app.ui.shell.language_menu import LanguageMenu
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.translators import install_language
from tests.ui.conftest import on_modal, settle
from tests.ui.test_shell import shell_specs


@pytest.fixture
def config(tmp_path, monkeypatch, qapp):
    """A user config of our own (the suite's is /dev/null); English before and after."""
    path = tmp_path / "cfg" / "config.toml"
    monkeypatch.setenv("CLINIC_APP_USER_CONFIG", str(path))
    monkeypatch.delenv(language_choice.ENV, raising=False)
    language_choice.chosen_language("en")
    install_language(qapp, "en")
    yield path
    install_language(qapp, "en")


@pytest.fixture
def flow(qtbot, store, config):
    f = ShellFlow(store.services, shell_specs())
    yield f
    f._close_window(ask=False)


def _file_menu(window) -> str:
    return window.menuBar().actions()[0].text()


def test_two_accounts_two_languages(flow, store, config):
    """admin chose Chinese, phys English: each session opens in its own account's language."""
    save_account_language(config.parent, "admin", Language.CHINESE_SIMPLIFIED)
    save_account_language(config.parent, "phys", Language.ENGLISH)
    window = flow.open(store.login("admin"))
    assert current_language() is Language.CHINESE_SIMPLIFIED
    assert _file_menu(window) == "文件(&F)"
    flow._close_window(ask=False)
    assert current_language() is Language.ENGLISH  # the sign-in screen: the machine's language
    window = flow.open(store.login("phys"))
    assert current_language() is Language.ENGLISH and _file_menu(window) == "&File"
    flow._close_window(ask=False)
    window = flow.open(store.login("admin"))
    assert _file_menu(window) == "文件(&F)"


def test_an_account_that_never_chose_gets_the_machines_language(flow, store, config):
    """No preferences file: the last language chosen on this machine, not the last account's."""
    save_account_language(config.parent, "admin", Language.CHINESE_SIMPLIFIED)
    flow.open(store.login("admin"))
    flow._close_window(ask=False)
    flow.open(store.login("rad"))
    assert current_language() is Language.ENGLISH
    flow._close_window(ask=False)
    config.write_text('language = "zh_CN"\n', encoding="utf-8")
    flow.open(store.login("rad"))
    assert current_language() is Language.CHINESE_SIMPLIFIED


def test_lang_on_the_command_line_overrides_the_account(flow, store, config):
    """--lang (or $CLINIC_APP_LANG) wins over the account's saved language."""
    save_account_language(config.parent, "admin", Language.CHINESE_SIMPLIFIED)
    language_choice.chosen_language("en", "en")
    try:
        flow.open(store.login("admin"))
        assert current_language() is Language.ENGLISH
    finally:
        language_choice.chosen_language("en")


def test_the_language_menu_saves_for_the_signed_in_account(flow, store, config):
    """Choosing 简体中文 writes the account's file and the machine's last choice."""
    on_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click())
    window = flow.open(store.login("phys"))
    menu = window.findChild(LanguageMenu)
    chinese = next(a for a in menu.actions() if a.data() == "zh_CN")
    chinese.trigger()
    assert account_language(config.parent, "phys") is Language.CHINESE_SIMPLIFIED
    assert account_language(config.parent, "admin") is None
    assert 'language = "zh_CN"' in config.read_text(encoding="utf-8")
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"


CLINICAL = ["clinic_app.ui.physician.workspace", "clinic_app.ui.radiology.workspace"]


@pytest.fixture
def clinical_flow(qtbot, store, config):
    """The shell with the real radiology and physician workspaces."""
    f = ShellFlow(store.services, load_specs(CLINICAL))
    yield f
    if f.window is not None:
        settle(qtbot, f.window.pool)
    f._close_window(ask=False)


def _filter_choices(window) -> list[str]:
    combo = window.findChild(QComboBox, "filterCategory")
    assert combo is not None, "the physician workspace has no category filter"
    return [combo.itemText(i) for i in range(combo.count())]


def _worklist_titles(window) -> list[str]:
    worklist = window.findChild(QWidget, "worklist")
    assert worklist is not None, "the radiology workspace has no worklist"
    model = worklist.model
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def _sign_out(qtbot, flow) -> None:
    settle(qtbot, flow.window.pool)
    flow._close_window(ask=False)


def test_a_second_account_reads_its_own_language(qtbot, clinical_flow, store, config):
    """English phys, then Chinese rad and phys in one app: module-level tables read Chinese."""
    flow = clinical_flow
    save_account_language(config.parent, "phys", Language.ENGLISH)
    save_account_language(config.parent, "rad", Language.CHINESE_SIMPLIFIED)
    window = flow.open(store.login("phys"))  # English first, the workspaces already imported
    choices = _filter_choices(window)
    assert choices[0] == "any category" and choices[-1] == "cannot compute"
    _sign_out(qtbot, flow)

    window = flow.open(store.login("rad"))
    titles = _worklist_titles(window)
    assert titles[0] == "患者" and "Patient" not in titles
    rows = window.shortcut_rows()
    assert ("影像", "F5", "刷新工作列表") in rows and ("影像", "Down / Right", "下一层") in rows
    _sign_out(qtbot, flow)

    save_account_language(config.parent, "phys", Language.CHINESE_SIMPLIFIED)
    window = flow.open(store.login("phys"))
    choices = _filter_choices(window)
    assert choices[0] == "任意分层" and choices[-1] == "无法计算"
    assert not {"any category", "cannot compute"} & set(choices)
    assert window.tabs.tabText(0) == "患者与风险"
    assert ("患者与风险", "Ctrl+F", "搜索患者") in window.shortcut_rows()
