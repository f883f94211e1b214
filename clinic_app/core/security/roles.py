"""Roles and the one permission matrix.

Every service operation names a :class:`Permission`; the service layer checks it on every
call (hiding a button is not a control). The matrix lives here and nowhere else, and
``tests/test_permissions.py`` walks it exhaustively.

Design decisions recorded here because they are policy, not code:

* ``admin`` manages accounts, models, settings and the audit log. It holds no clinical
  key, so even a bug in these checks cannot show it patient data (see docs/security.md).
* ``physician`` may open a patient's linked imaging *read-only*: it can view studies and
  AI findings, but cannot import images, run analyses or accept/reject findings, which
  are the radiologist's signed acts.
* ``radiologist`` sees the demographics needed to read a study, but not the physician's
  risk workspace (scores, what-if, risk reports).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RADIOLOGIST = "radiologist"
    PHYSICIAN = "physician"
    ADMIN = "admin"

    @property
    def is_clinician(self) -> bool:
        """Clinicians hold the clinical key; the admin never does."""
        return self is not Role.ADMIN

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role {text!r}; choose one of: {choices}") from None


class Permission(StrEnum):
    # accounts and system
    USERS_MANAGE = "users.manage"
    USERS_LIST = "users.list"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_EXPORT = "audit.export"
    SETTINGS_MANAGE = "settings.manage"
    MODELS_MANAGE = "models.manage"
    MODELS_LIST = "models.list"
    SYSTEM_INFO = "system.info"
    GRANTS_COMPLETE = "grants.complete"
    STORE_BACKUP = "store.backup"
    STORE_GC = "store.gc"
    KEYS_ROTATE = "keys.rotate"
    # imaging
    DICOM_IMPORT = "dicom.import"
    STUDIES_VIEW = "studies.view"
    IMAGES_VIEW = "images.view"
    ANALYSIS_RUN = "analysis.run"
    FINDINGS_VIEW = "findings.view"
    FINDINGS_REVIEW = "findings.review"
    # records and risk
    RECORDS_IMPORT = "records.import"
    PATIENTS_VIEW = "patients.view"
    RISK_SCORE = "risk.score"
    RISK_VIEW = "risk.view"
    RISK_REPORT_EXPORT = "risk.report.export"
    # DICOM output
    RESULTS_EXPORT = "results.export"
    DEID_EXPORT = "deid.export"
    # PACS (retrieving is DICOM_IMPORT: it puts studies into the store like an import)
    PACS_NODES_MANAGE = "pacs.nodes.manage"
    PACS_ECHO = "pacs.echo"
    PACS_QUERY = "pacs.query"
    PACS_SEND = "pacs.send"
    # model evaluation on a folder of labelled (possibly patient) series
    MODELS_EVALUATE = "models.evaluate"
    # a physician saving a value entered for a missing input as a fact (with a reason)
    RECORDS_ENTER = "records.enter"


_R, _P, _A = Role.RADIOLOGIST, Role.PHYSICIAN, Role.ADMIN

MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.USERS_MANAGE: frozenset({_A}),
    Permission.USERS_LIST: frozenset({_A}),
    Permission.AUDIT_READ: frozenset({_A}),
    Permission.AUDIT_VERIFY: frozenset({_A}),
    Permission.AUDIT_EXPORT: frozenset({_A}),
    Permission.SETTINGS_MANAGE: frozenset({_A}),
    Permission.MODELS_MANAGE: frozenset({_A}),
    Permission.MODELS_LIST: frozenset({_R, _P, _A}),
    Permission.SYSTEM_INFO: frozenset({_R, _P, _A}),
    Permission.GRANTS_COMPLETE: frozenset({_R, _P}),
    # Backup copies ciphertext only, so IT runs it. Blob collection: IT removes what it can
    # prove unreferenced without the clinical key; a clinician's run checks every reference.
    Permission.STORE_BACKUP: frozenset({_A}),
    Permission.STORE_GC: frozenset({_R, _P, _A}),
    # Rotation needs the clinical key to read what it re-encrypts, so only a key holder runs
    # it; IT asks for one (after disabling a clinician) with keys request, under users.manage.
    Permission.KEYS_ROTATE: frozenset({_R, _P}),
    Permission.DICOM_IMPORT: frozenset({_R}),
    Permission.STUDIES_VIEW: frozenset({_R, _P}),
    Permission.IMAGES_VIEW: frozenset({_R, _P}),
    Permission.ANALYSIS_RUN: frozenset({_R}),
    Permission.FINDINGS_VIEW: frozenset({_R, _P}),
    Permission.FINDINGS_REVIEW: frozenset({_R}),
    Permission.RECORDS_IMPORT: frozenset({_P}),
    Permission.PATIENTS_VIEW: frozenset({_P}),
    Permission.RISK_SCORE: frozenset({_P}),
    Permission.RISK_VIEW: frozenset({_P}),
    Permission.RISK_REPORT_EXPORT: frozenset({_P}),
    Permission.RESULTS_EXPORT: frozenset({_R}),
    Permission.DEID_EXPORT: frozenset({_R, _P}),
    Permission.PACS_NODES_MANAGE: frozenset({_A}),
    Permission.PACS_ECHO: frozenset({_R, _A}),
    Permission.PACS_QUERY: frozenset({_R}),
    Permission.PACS_SEND: frozenset({_R}),
    Permission.MODELS_EVALUATE: frozenset({_R, _A}),
    Permission.RECORDS_ENTER: frozenset({_P}),
}

assert set(MATRIX) == set(Permission), "every permission needs a row in the matrix"


def allowed(role: Role, permission: Permission) -> bool:
    return role in MATRIX[permission]
