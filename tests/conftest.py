"""Shared fixtures: real stores (SQLCipher files in temp dirs), never mocks of our own code.

Creating a store costs several Argon2id derivations (~0.1–0.3 s each at production
parameters, which tests keep). One template store is built per test session and copied
for each test that needs one, so every test gets its own independent real store cheaply.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep tests away from the developer's real config, store and logs.
os.environ["CLINIC_APP_SITE_CONFIG"] = os.devnull
os.environ["CLINIC_APP_USER_CONFIG"] = os.devnull
os.environ.pop("CLINIC_APP_STORE", None)

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clinic_app.config import Settings
from clinic_app.core.clock import ManualClock
from clinic_app.core.security.roles import Role
from clinic_app.services import Services, Session
from clinic_app.services.store_init import NewAccount

PASSWORDS = {
    "admin": "admin-password-123",
    "rad": "radiologist-pass-1",
    "phys": "physician-pass-123",
}
INITIAL = {"rad": "initial-rad-pass-1", "phys": "initial-phys-pass-1"}


@dataclass
class StoreFixture:
    root: Path
    services: Services
    clock: ManualClock

    def login(self, name: str) -> Session:
        return self.services.auth.login(name, PASSWORDS[name])

    def settings(self, **changes: object) -> Settings:
        return Settings(store_dir=self.root, log_dir=self.root.parent / "logs", **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def _store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "store"
    services = Services(Settings(store_dir=root))
    result = services.auth.init_store(
        NewAccount("admin", Role.ADMIN, PASSWORDS["admin"]),
        [NewAccount("rad", Role.RADIOLOGIST, INITIAL["rad"]),
         NewAccount("phys", Role.PHYSICIAN, INITIAL["phys"])],
    )
    assert result.users == ("admin", "rad", "phys")
    for name in ("rad", "phys"):  # rad enrols first and so creates the clinical key
        sess = services.auth.login(name, INITIAL[name])
        services.auth.change_password(sess, INITIAL[name], PASSWORDS[name])
        services.auth.logout(sess)
    rad = services.auth.login("rad", PASSWORDS["rad"])
    services.grants.approve(rad, "phys")  # an explicit grant, as a key holder gives it
    services.auth.logout(rad)
    services.close()
    return root


@pytest.fixture
def store(tmp_path: Path, _store_template: Path) -> Iterator[StoreFixture]:
    """A fresh copy of a real store with users admin, rad and phys (passwords in PASSWORDS)."""
    template = _store_template
    root = tmp_path / "store"
    shutil.copytree(template, root)
    clock = ManualClock()
    services = Services(Settings(store_dir=root, log_dir=tmp_path / "logs"), clock=clock)
    yield StoreFixture(root, services, clock)
    services.close()
