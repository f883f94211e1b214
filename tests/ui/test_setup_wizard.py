"""First-run setup: creates the store and accounts, and shows IT no recovery secret."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QWizard

from clinic_app.config import Settings
from clinic_app.services import Services
from clinic_app.ui.setup.wizard import SetupWizard


@pytest.fixture
def empty_services(tmp_path):
    services = Services(Settings(store_dir=tmp_path / "new-store", log_dir=tmp_path / "logs"))
    yield services
    services.close()


def _fill(fields, name: str, password: str) -> None:
    fields.name.setText(name)
    fields.password.edit.setText(password)
    fields.repeat.edit.setText(password)


def test_wizard_creates_the_store_and_shows_no_recovery_secret(qtbot, empty_services, pool):
    """Setup creates admin + clinician in enrolment: no clinical key, no recovery secret on screen."""
    services = empty_services
    assert not services.auth.store_exists()
    wizard = SetupWizard(services, pool)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # intro
    _fill(wizard.admin_page.fields, "itadmin", "short")
    wizard.next()
    assert wizard.currentPage() is wizard.admin_page  # refused locally
    assert "at least 12" in wizard.admin_page.message.text()
    _fill(wizard.admin_page.fields, "itadmin", "admin-password-123")
    wizard.next()
    _fill(wizard.clinician_page.fields, "drwho", "clinician-temp-123")
    wizard.next()  # commit: creation starts, then the wizard moves on by itself
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.next_page, timeout=30_000)
    assert services.auth.store_exists()
    text = wizard.next_page.text.text()
    assert "drwho" in text and "recovery setup" in text
    assert not re.search(r"([A-Z2-7]{5}-){5}", text)
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    with qtbot.waitSignal(wizard.accepted, timeout=5_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.admin_name == "itadmin"
    assert not (services.settings.store_dir / "clinical.db").exists()  # made by the clinician

    admin = services.auth.login("itadmin", "admin-password-123")
    assert admin.role.value == "admin" and not admin.has_clinical_key
    clinician = services.auth.login("drwho", "clinician-temp-123")
    assert clinician.must_change_password and clinician.enrolling and not clinician.has_clinical_key
    services.auth.change_password(clinician, "clinician-temp-123", "drwho-own-password")
    assert clinician.has_clinical_key


def test_wizard_without_a_clinician_creates_only_the_admin(qtbot, empty_services, pool):
    """Unticking the clinician box creates just the admin account."""
    services = empty_services
    wizard = SetupWizard(services, pool)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    _fill(wizard.admin_page.fields, "admin", "admin-password-123")
    wizard.next()
    wizard.clinician_page.create_first.setChecked(False)
    assert not wizard.clinician_page.fields.name.isEnabled()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.next_page, timeout=30_000)
    assert wizard.result_ is not None and wizard.result_.users == ("admin",)
    wizard.accept()
