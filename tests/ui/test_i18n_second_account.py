"""A second account signed in to a running app reads its own language in tables that the
workspaces define at module level (filter choices, column titles), not the first's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from clinic_app.i18n import Language
from clinic_app.i18n import choice as language_choice
from clinic_app.i18n.preference import save_account_language
from clinic_app.ui.shell.flow import ShellFlow
from clinic_app.ui.shell.registry import load_specs
from clinic_app.ui.translators import install_language
from tests.ui.conftest import settle

CLINICAL = ["clinic_app.ui.physician.workspace", "clinic_app.ui.radiology.workspace"]


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


def test_a_second_account_reads_its_own_language(qtbot, flow, store, config):
    """phys signs in in English first; rad (Chinese), then phys switched to Chinese, read Chinese."""
    save_account_language(config.parent, "phys", Language.ENGLISH)
    save_account_language(config.parent, "rad", Language.CHINESE_SIMPLIFIED)
    window = flow.open(store.login("phys"))  # imports the workspaces in English
    choices = _filter_choices(window)
    assert choices[0] == "any category" and choices[-1] == "cannot compute"
    _sign_out(qtbot, flow)

    window = flow.open(store.login("rad"))
    titles = _worklist_titles(window)
    assert titles[0] == "患者" and "Patient" not in titles
    _sign_out(qtbot, flow)

    save_account_language(config.parent, "phys", Language.CHINESE_SIMPLIFIED)
    window = flow.open(store.login("phys"))
    choices = _filter_choices(window)
    assert choices[0] == "任意分层" and choices[-1] == "无法计算"
    assert not {"any category", "cannot compute"} & set(choices)
    assert window.tabs.tabText(0) == "患者与风险"
    assert ("患者与风险", "Ctrl+F", "搜索患者") in window.shortcut_rows()
