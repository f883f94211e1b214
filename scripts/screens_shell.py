"""Shell and administration screens for scripts/screenshots.py: sign-in, password change,
first-run setup, help, about, lock screen, and the admin workspace's tabs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication
from screen_capture import Demo, demo_user, save, wait_for

from clinic_app.config import Settings
from clinic_app.services import Services
from clinic_app.ui.workers import WorkerPool

if TYPE_CHECKING:
    from clinic_app.ui.shell.window import MainWindow


def _admin_window(demo: Demo, specs: list | None = None) -> MainWindow:
    from clinic_app.ui.shell.registry import load_specs
    from clinic_app.ui.shell.window import MainWindow

    name, password = demo_user("admin")
    win = MainWindow(demo.services, demo.services.auth.login(name, password),
                     specs if specs is not None else load_specs())
    win.resize(1280, 800)
    win.show()
    if win.pool.active_count:
        wait_for(win.pool.all_finished)
    return win


def shell_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.core.security.roles import Role
    from clinic_app.ui.login.dialog import LoginDialog
    from clinic_app.ui.login.password_change import ChangePasswordDialog
    from clinic_app.ui.setup.wizard import SetupWizard
    from clinic_app.ui.shell.info import about_dialog, help_dialog

    saved = []
    login = LoginDialog(demo.services, pool, username="radiologist")
    login.show()
    saved.append(save(login, out, "login"))
    login.password.edit.setText("wrong-password")
    login.submit()
    wait_for(pool.all_finished)
    login.password.caps_warning.setVisible(True)  # as after a letter typed with Caps Lock on
    saved.append(save(login, out, "login-failed-caps-lock"))
    login.close()

    admin_name, admin_password = demo_user("admin")
    admin = demo.services.auth.login(admin_name, admin_password)
    demo.services.accounts.add(admin, "jsmith", Role.RADIOLOGIST, "temporary-pass-12")
    session = demo.services.auth.login("jsmith", "temporary-pass-12")
    change = ChangePasswordDialog(demo.services, session, pool, current="temporary-pass-12",
                                  forced=True)
    change.show()
    saved.append(save(change, out, "password-change-forced"))
    change.close()

    # First-run setup on an empty folder
    empty = Services(Settings(store_dir=demo.root / "first-run" / "store",
                              log_dir=demo.root / "first-run" / "logs"))
    wizard = SetupWizard(empty, pool)
    wizard.show()
    wizard.next()
    fields = wizard.admin_page.fields
    fields.name.setText("itadmin")
    fields.password.edit.setText("admin-password-123")
    fields.repeat.edit.setText("admin-password-123")
    saved.append(save(wizard, out, "setup-admin"))
    wizard.next()
    f = wizard.clinician_page.fields
    f.name.setText("drlee")
    f.password.edit.setText("clinician-temp-123")
    f.repeat.edit.setText("clinician-temp-123")
    wizard.next()
    wait_for(wizard.currentIdChanged, lambda _i: wizard.currentPage() is wizard.next_page)
    saved.append(save(wizard, out, "setup-next-steps"))
    wizard.accept()
    empty.close()

    win = _admin_window(demo)
    saved.append(save(help_dialog(win, win.shortcut_rows()), out, "help-shortcuts"))
    about = about_dialog(win, demo.services)
    about.show()
    saved.append(save(about, out, "about"))
    about.close()
    win.lock("idle")
    saved.append(save(win, out, "lock-screen"))
    win.lock_screen.show_other_user(True)
    saved.append(save(win, out, "lock-screen-other-user"))
    win.shutdown()
    return saved


def admin_screens(demo: Demo, pool: WorkerPool, out: Path) -> list[Path]:
    from clinic_app.ui.theme import apply_theme

    saved = []
    win = _admin_window(demo)
    ws = win.workspaces[0]
    saved.append(save(win, out, "admin-users"))
    ws.tabs.setCurrentWidget(ws.audit)
    wait_for(win.pool.all_finished)
    ws.audit.verify()
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-audit-verified"))
    ws.tabs.setCurrentWidget(ws.models)
    wait_for(win.pool.all_finished, timeout_ms=300_000)
    saved.append(save(win, out, "admin-models"))
    ws.tabs.setCurrentWidget(ws.settings)
    saved.append(save(win, out, "admin-settings"))
    ws.tabs.setCurrentWidget(ws.system)
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-system"))
    app = QApplication.instance()
    apply_theme(app, "light")
    ws.tabs.setCurrentWidget(ws.users)
    saved.append(save(win, out, "admin-users-light"))
    apply_theme(app, "dark")
    # A tampered audit chain, on a throw-away copy of the store's log
    ws.tabs.setCurrentWidget(ws.audit)
    win.session.system.execute("UPDATE audit SET user = 'mallory' WHERE seq = 7")
    ws.audit.refresh()
    wait_for(win.pool.all_finished)
    ws.audit.verify()
    wait_for(win.pool.all_finished)
    saved.append(save(win, out, "admin-audit-tampered"))
    win.shutdown()
    return saved

