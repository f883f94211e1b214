"""Every error the application raises on purpose.

Each message is written for the person at the keyboard: what is wrong and what to do.
Messages never contain patient data (names, MRNs, UIDs), because errors end up in logs
and dialogs that IT staff see. The CLI maps each class to an exit code.
"""

from __future__ import annotations


class ClinicAppError(Exception):
    """Base class: a failure we anticipated and can explain to a user."""

    exit_code = 1


class InvalidInput(ClinicAppError):
    """The input given (file, argument, value) cannot be used as it is."""

    exit_code = 1


class UsageError(ClinicAppError):
    """The command was called wrongly (missing or conflicting arguments)."""

    exit_code = 2


class AuthenticationError(ClinicAppError):
    """Login failed, the account is locked, or the session is locked."""

    exit_code = 3


class PasswordChangeRequired(AuthenticationError):
    """The account must change its password before doing anything else."""

    exit_code = 3


class PermissionDenied(ClinicAppError):
    """The user's role does not allow this operation."""

    exit_code = 4


class IntegrityError(ClinicAppError):
    """Stored data failed an authenticity check: tampering or corruption."""

    exit_code = 5


class StoreError(ClinicAppError):
    """The store cannot be opened or written (missing, busy, wrong version)."""

    exit_code = 1


class ModelError(ClinicAppError):
    """A model package was refused or a model run failed its checks."""

    exit_code = 1


class CannotCompute(ClinicAppError):
    """A score cannot be computed from the inputs available (never defaulted)."""

    exit_code = 1


class Cancelled(ClinicAppError):
    """The user cancelled a long operation; nothing partial was kept."""

    exit_code = 1


class ConfigError(ClinicAppError):
    """A configuration file is malformed or sets a value that is not allowed."""

    exit_code = 2


class DecodeError(InvalidInput):
    """An instance's pixel data or display tables could not be decoded or are unusable.

    Raised by the imaging core's decoder boundary (``core/imaging/boundary.py``) around every
    third-party decoder call, and by the volume builder for damaged LUTs, palettes and
    windows. The message names the instance (file name when known, SOP Instance UID,
    instance number) and the frame, and never quotes the third-party error text. The
    volume builder catches it per slice (the slice becomes a gap on the ``Volume``); the
    CLI and the viewer show the message as one line.
    """

    def __init__(self, message: str, *, sop_instance_uid: str = "", frame: int | None = None) -> None:
        super().__init__(message)
        self.sop_instance_uid = sop_instance_uid
        self.frame = frame  # from 1, None when the whole instance is concerned
