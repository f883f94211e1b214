"""The CLI speaks the signed-in account's own language (chosen in the GUI), unless
``--lang`` or $CLINIC_APP_LANG says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.i18n import Language, set_language
from clinic_app.i18n.preference import save_account_language
from tests.conftest import PASSWORDS, StoreFixture
from tests.test_cli import run


@pytest.fixture
def config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user config folder where rad chose Chinese and admin chose nothing."""
    folder = tmp_path / "config"
    monkeypatch.setenv("CLINIC_APP_USER_CONFIG", str(folder / "config.toml"))
    monkeypatch.delenv("CLINIC_APP_LANG", raising=False)
    save_account_language(folder, "rad", Language.CHINESE_SIMPLIFIED)
    yield folder
    set_language(Language.ENGLISH)


def _denied(store: StoreFixture, monkeypatch: pytest.MonkeyPatch, user: str, *extra: str) -> str:
    """The refusal ``user`` gets for listing accounts (a message written after sign-in)."""
    code, _, err = run(["--store", str(store.root), *extra, "users", "list", "--user", user,
                        "--password-stdin"], PASSWORDS[user], monkeypatch)
    assert code == 4, err
    return err


def test_each_account_gets_its_own_language(store: StoreFixture, config_folder: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """rad (who chose Chinese in the GUI) reads Chinese after signing in; phys, who never
    chose, keeps the machine's English in the same folder."""
    assert not _denied(store, monkeypatch, "rad").isascii()
    assert _denied(store, monkeypatch, "phys").isascii()


def test_lang_option_and_environment_win(store: StoreFixture, config_folder: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang en and $CLINIC_APP_LANG=en keep rad's command in English."""
    assert _denied(store, monkeypatch, "rad", "--lang", "en").isascii()
    monkeypatch.setenv("CLINIC_APP_LANG", "en")
    assert _denied(store, monkeypatch, "rad").isascii()
    save_account_language(config_folder, "phys", Language.CHINESE_SIMPLIFIED)
    monkeypatch.delenv("CLINIC_APP_LANG")
    assert not _denied(store, monkeypatch, "phys").isascii()
