"""What a clinician sees about key custody right after signing in.

* A key holder with open grant requests gets a clear notice listing each one (who asked,
  which admin created or reset the account, when, the role, the key fingerprint) with
  Approve and Refuse. Nothing is granted unless they press Approve.
* Someone who just made their own keys, or still waits for approval, sees their own key
  fingerprint, to read to the approver.

All text from the store is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicAppError
from clinic_app.services import Services, Session
from clinic_app.services.grants import GrantRequest
from clinic_app.ui.formatting import local_time, role_title


def _plain(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class GrantRequestsDialog(QDialog):
    """Approve or refuse each pending request; closes when none is left or on Later."""

    def __init__(self, services: Services, session: Session, requests: list[GrantRequest],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("grantRequestsDialog")
        self.setWindowTitle(self.tr("Requests for access to patient data"))
        self.services = services
        self.session = session
        self.decided: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(
            self.tr("These people ask for the key to patient data. Approve only someone you expect, "
            "after they read you the key fingerprint shown on their own screen (in person or "
            "by phone). A request on an account IT just created or reset deserves a check. "
            "Your decision is recorded in the audit log."), self))
        grid = QGridLayout()
        self.rows: dict[str, tuple[QPushButton, QPushButton, QLabel]] = {}
        for i, req in enumerate(requests):
            needed = (self.tr(" · approvals {len} of {approvals_needed}").format(
                          len=len(req.approvals), approvals_needed=req.approvals_needed)
                      if req.approvals_needed > 1 else "")
            text = (self.tr("{username} — {role_title}\nasked {local_time}; account created or reset by "
                            "{value}{needed}\nkey fingerprint: {key_fingerprint}").format(
                        username=req.username, role_title=role_title(req.role),
                        local_time=local_time(req.requested_at), value=req.account_managed_by or 'setup',
                        needed=needed, key_fingerprint=req.key_fingerprint))
            info = _plain(text, self)
            info.setObjectName(f"grantRequest_{req.username}")
            approve = QPushButton(self.tr("&Approve"), self)
            approve.setObjectName(f"approve_{req.username}")
            refuse = QPushButton(self.tr("&Refuse"), self)
            refuse.setObjectName(f"refuse_{req.username}")
            approve.clicked.connect(lambda _=False, n=req.username: self.decide(n, True))
            for button in (approve, refuse):
                button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            refuse.clicked.connect(lambda _=False, n=req.username: self.decide(n, False))
            grid.addWidget(info, i, 0)
            grid.addWidget(approve, i, 1)
            grid.addWidget(refuse, i, 2)
            self.rows[req.username] = (approve, refuse, info)
        grid.setColumnStretch(0, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        buttons = QDialogButtonBox(self)
        later = buttons.addButton(self.tr("Decide &later"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("grantsLaterButton")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def decide(self, username: str, approve: bool) -> None:
        """Quick (one seal and two small writes), so it runs here rather than in a worker."""
        grants = self.services.grants
        try:
            if approve:
                done = grants.approve(self.session, username)
                outcome = "approved" if done else self.tr("approved (needs another approver)")
            else:
                grants.refuse(self.session, username)
                outcome = "refused"
        except ClinicAppError as exc:
            QMessageBox.warning(self, self.tr("Request not decided"), str(exc))
            return
        self.decided[username] = outcome
        approve_button, refuse_button, info = self.rows[username]
        approve_button.setEnabled(False)
        refuse_button.setEnabled(False)
        info.setText(info.text() + f"\n→ {outcome}")
        if len(self.decided) == len(self.rows):
            self.accept()


def custody_notices(services: Services, session: Session, parent: QWidget | None,
                    *, enrolled_now: bool) -> None:
    """After sign-in: the user's own fingerprint where it matters, then open requests."""
    if not session.role.is_clinician:
        return
    if enrolled_now or not session.has_clinical_key:
        if session.has_clinical_key:
            body = QCoreApplication.translate(
                "login.grant_requests",
                "Your own keys were created on the password you chose, and with them the "
                "key to patient data for this workstation.",
            )
        else:
            body = (
                QCoreApplication.translate(
                    "login.grant_requests",
                    "Your access to patient data waits for a clinician who has it to approve "
                    "your request. Read them this key fingerprint so they can check it is "
                    "yours:\n\n",
                )
                + session.fingerprint
            )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("login.grant_requests", "Your key"),
            body,
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("ownKeyNotice")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
    if not session.has_clinical_key:
        return
    requests = services.grants.pending(session)
    if requests:
        GrantRequestsDialog(services, session, requests, parent).exec()
