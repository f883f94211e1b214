"""First-run setup for IT: create the encrypted store, its first admin, and (recommended)
its first clinician; then say what happens next.

Why a first clinician: the clinical key is created by the first clinician to sign in, on
their own password, never by IT. A store created with an admin alone waits for the first
clinician the admin adds. The clinician's password typed here is temporary and opens no
key pair: the clinician makes their own keys at first sign-in.

No recovery secret is shown here, because whoever runs setup is IT. A key-holding
clinician splits recovery among named custodians later (``clinic-app recovery setup``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clinic_app.core.security.roles import Role
from clinic_app.services import Services
from clinic_app.services.store_init import InitResult, NewAccount
from clinic_app.ui.admin.account_dialogs import selected_role
from clinic_app.ui.dialogs import user_message
from clinic_app.ui.login.password_field import PasswordField
from clinic_app.ui.theme import set_banner
from clinic_app.ui.workers import WorkerPool


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class _AccountFields:
    """User name + password twice, with a local check that gives instant feedback."""

    def __init__(self, page: QWizardPage, form: QFormLayout, min_length: int, who: str,
                 default_name: str = "") -> None:
        self.min_length = min_length
        self.name = QLineEdit(default_name, page)
        self.name.setAccessibleName(QCoreApplication.translate("_AccountFields", "{who} user name").format(
                                        who=who))
        self.name.setMaxLength(64)
        self.password = PasswordField(QCoreApplication.translate("_AccountFields", "{who} password").format(
                                          who=who), page)
        self.repeat = PasswordField(QCoreApplication.translate("_AccountFields", "Repeat {who} password").format(
                                        who=who), page)
        self.password.watch(self.name)
        form.addRow(QCoreApplication.translate("_AccountFields", "User &name:"), self.name)
        form.addRow(QCoreApplication.translate("_AccountFields", "&Password:"), self.password)
        form.addRow(QCoreApplication.translate("_AccountFields", "&Repeat:"), self.repeat)

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return QCoreApplication.translate("_AccountFields", "Type a user name.")
        if len(self.password.text()) < self.min_length:
            return QCoreApplication.translate("_AccountFields", "The password needs at least {min_length} "
                                                                "characters.").format(
                       min_length=self.min_length)
        if self.password.text() != self.repeat.text():
            return QCoreApplication.translate("_AccountFields", "The two passwords are different.")
        return None

    def set_enabled(self, enabled: bool) -> None:
        for w in (self.name, self.password, self.repeat):
            w.setEnabled(enabled)


class _ValidatedPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)

    def say(self, text: str | None) -> bool:
        self.message.setText(text or "")
        set_banner(self.message, "error")
        self.message.setVisible(bool(text))
        return text is None


class IntroPage(QWizardPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("introPage")
        self.setTitle(self.tr("Set up clinic-app on this workstation"))
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(
            self.tr("No store exists yet. This creates an encrypted store here:"), self))
        where = QLabel(str(services.settings.store_dir), self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setProperty("banner", "info")
        layout.addWidget(where)
        layout.addWidget(_wrapped(
            self.tr("You will create the first IT administrator, who manages accounts, models and "
            "the audit log but never sees patient data, and (recommended) the first "
            "clinician, whose password here is temporary: they create their own keys at "
            "first sign-in. To use another location, quit and start clinic-app with --store, "
            "or ask IT to set store_dir in the site configuration."), self))
        layout.addStretch(1)


class AdminPage(_ValidatedPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("adminPage")
        self.setTitle(self.tr("First IT administrator"))
        self.setSubTitle(self.tr("This account manages users, models, settings and the audit log."))
        form = QFormLayout()
        self.fields = _AccountFields(self, form, services.settings.password_min_length,
                                     self.tr("Administrator"), "admin")
        self.layout_.addLayout(form)
        self.layout_.addWidget(_wrapped(
            self.tr("At least {password_min_length} characters; a few unrelated words make a strong password "
                    "that is easy to type.").format(password_min_length=services.settings.password_min_length), self))
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)

    def validatePage(self) -> bool:
        return self.say(self.fields.problem())


class ClinicianPage(_ValidatedPage):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("clinicianPage")
        self.setTitle(self.tr("First clinician (recommended)"))
        self.setSubTitle(self.tr("The first clinician creates the key to patient data at first sign-in."))
        self.create_first = QCheckBox(self.tr("&Create the first clinician now"), self)
        self.create_first.setChecked(True)
        self.layout_.addWidget(self.create_first)
        form = QFormLayout()
        self.role = QComboBox(self)
        self.role.setAccessibleName(self.tr("Clinician role"))
        self.role.addItem(self.tr("Radiologist"), Role.RADIOLOGIST)
        self.role.addItem(self.tr("Physician"), Role.PHYSICIAN)
        self.fields = _AccountFields(self, form, services.settings.password_min_length,
                                     self.tr("Clinician"))
        form.insertRow(1, "R&ole:", self.role)
        self.layout_.addLayout(form)
        self.layout_.addWidget(_wrapped(
            self.tr("This password is temporary: the clinician chooses their own at first sign-in, "
            "and the app creates their keys and the key to patient data on it. Clinicians "
            "you add later get access when a clinician who holds it approves their request."),
            self))
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)
        self.create_first.toggled.connect(self.fields.set_enabled)
        self.create_first.toggled.connect(self.role.setEnabled)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Create store"))

    def validatePage(self) -> bool:
        if not self.create_first.isChecked():
            return self.say(None)
        return self.say(self.fields.problem())


class CreatePage(_ValidatedPage):
    """Runs init_store in a worker (Argon2id per account: about a second) and moves on."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setObjectName("createPage")
        self.setTitle(self.tr("Creating the store"))
        self.wiz = wizard
        self.done = False
        self.status = _wrapped(self.tr("Deriving keys and writing the encrypted store…"), self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Creating the store"))
        self.retry = QPushButton(self.tr("Try again"), self)
        self.retry.setVisible(False)
        self.retry.clicked.connect(self.run)
        for w in (self.status, self.busy, self.message, self.retry):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)

    def initializePage(self) -> None:
        self.run()

    def isComplete(self) -> bool:
        return self.done

    def run(self) -> None:
        self.retry.setVisible(False)
        self.say(None)
        self.busy.setVisible(True)
        w = self.wiz
        admin = NewAccount(w.admin_page.fields.name.text().strip(), Role.ADMIN,
                           w.admin_page.fields.password.text())
        clinicians = []
        if w.clinician_page.create_first.isChecked():
            f = w.clinician_page.fields
            clinicians.append(NewAccount(f.name.text().strip(),
                                         selected_role(w.clinician_page.role), f.password.text()))
        auth = w.services.auth
        w.pool.submit(lambda _p, _c: auth.init_store(admin, clinicians), name="create store",
                      on_result=self._created, on_error=self._failed)

    def _created(self, result: InitResult) -> None:
        self.busy.setVisible(False)
        self.done = True
        self.wiz.result_ = result
        self.wiz.admin_name = result.users[0]
        self.status.setText(self.tr("Store created with {len} account(s).").format(len=len(result.users)))
        self.completeChanged.emit()
        self.wiz.next()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        self.say(user_message(exc))
        self.retry.setVisible(True)


class NextStepsPage(QWizardPage):
    """What the people involved do next; nothing here is secret."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("nextStepsPage")
        self.setTitle(self.tr("Store created: what happens next"))
        layout = QVBoxLayout(self)
        self.text = _wrapped("", self)
        self.text.setObjectName("nextStepsText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.setFinalPage(True)

    def show_result(self, users: tuple[str, ...]) -> None:
        clinicians = users[1:]
        lines = [self.tr("The store was created with {len} account(s): {join}.").format(
                     len=len(users), join=', '.join(users)), ""]
        if clinicians:
            lines += [
                self.tr("Give {join} the temporary password in person. At first sign-in they choose their "
                        "own password, and the app creates their keys on it. The first clinician to sign in "
                        "creates the key to patient data; any later clinician asks for access, and a "
                        "clinician who has it approves after comparing the key fingerprint shown on both "
                        "screens.").format(join=', '.join(clinicians)), ""]
        else:
            lines += [self.tr("Add a clinician next (Users). The first clinician to sign in creates "
                      "the key to patient data."), ""]
        lines.append(
            self.tr("Emergency recovery is set up by a clinician, not by IT: it is split among "
            "custodians such as the privacy officer and a clinical lead ('clinic-app "
            "recovery setup'), so no single person can use it."))
        self.text.setText("\n".join(lines))


class SetupWizard(QWizard):
    def __init__(self, services: Services, pool: WorkerPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("clinic-app — First-run setup"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.services = services
        self.pool = pool
        self.result_: InitResult | None = None
        self.admin_name = ""
        self.intro_page = IntroPage(services)
        self.admin_page = AdminPage(services)
        self.clinician_page = ClinicianPage(services)
        self.create_page = CreatePage(self)
        self.next_page = NextStepsPage()
        for page in (self.intro_page, self.admin_page, self.clinician_page, self.create_page,
                     self.next_page):
            self.addPage(page)
        self.currentIdChanged.connect(self._entered)
        self.resize(640, 520)

    def _entered(self, _page_id: int) -> None:
        if self.currentPage() is self.next_page and self.result_ is not None:
            self.next_page.show_result(self.result_.users)

    def reject(self) -> None:
        if self.pool.active_count:
            return  # the store is being created; closing now would leave it half-made
        super().reject()
