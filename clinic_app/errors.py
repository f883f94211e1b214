"""Every error the application raises on purpose.

Each message is written for the person at the keyboard: what is wrong and what to do.
Messages never contain patient data (names, MRNs, UIDs), because errors end up in logs
and dialogs that IT staff see. The CLI maps each class to an exit code.
"""

from __future__ import annotations


class ClinicAppError(Exception):
    """Base class: a failure we anticipated and can explain to a user.

    Caught at the two edges: ``cli/main.py`` prints the message and exits with
    ``exit_code``; the GUI's worker pool and dialogs (``ui/workers.py``, ``ui/dialogs.py``)
    show it. Anything else that escapes is a bug and is logged as one.
    """

    exit_code = 1


class InvalidInput(ClinicAppError):
    """The input given (file, argument, value) cannot be used as it is.

    Raised by services and core readers on bad input; caught by the CLI and GUI edges,
    which show the message (it says what is wrong and what to do).
    """

    exit_code = 1


class UsageError(ClinicAppError):
    """The command was called wrongly (missing or conflicting arguments).

    Raised by the CLI commands (``cli/``) and the app launcher; caught by ``cli/main.py``.
    """

    exit_code = 2


class AuthenticationError(ClinicAppError):
    """Login failed, the account is locked, or the session is locked.

    Raised by ``services/auth.py`` and the service gate (``ServiceContext.begin``); caught
    by the login dialog (which asks again), by ``ui/dialogs.py`` (which hands it to the
    lock screen) and by the CLI edge.
    """

    exit_code = 3


class PasswordChangeRequired(AuthenticationError):
    """The account must change its password before doing anything else.

    Raised by the service gate and ``cli/runtime.py``; caught by the CLI edge, which says to
    run 'clinic-app passwd', and by the GUI's error dialogs (the GUI asks for the change at
    sign-in already, ``ui/login/password_change.py``).
    """

    exit_code = 3


class PermissionDenied(ClinicAppError):
    """The user's role does not allow this operation.

    Raised only by the service gate (``ServiceContext.begin``), after auditing the refusal;
    caught by the CLI and GUI edges.
    """

    exit_code = 4


class IntegrityError(ClinicAppError):
    """Stored data failed an authenticity check: tampering or corruption.

    Raised by the store (``core/store``), key handling (``core/security``) and audit
    verification; caught by the CLI and GUI edges, which show it; never retried or "repaired".
    """

    exit_code = 5


class StoreError(ClinicAppError):
    """The store cannot be opened or written (missing, busy, wrong version).

    Raised by ``core/store`` and ``services/auth.py``; caught by the CLI and GUI edges.
    """

    exit_code = 1


class ModelError(ClinicAppError):
    """A model package was refused or a model run failed its checks.

    Raised by ``core/inference`` (registry, runtime, specs); the model service and the
    analysis service catch it to list a refused package or fail one analysis.
    """

    exit_code = 1


class CannotCompute(ClinicAppError):
    """A score cannot be computed from the inputs available (never defaulted).

    Raised by the risk models (``core/inference/risk.py``); the risk service catches it and
    stores 'cannot compute: missing X' instead of a number.
    """

    exit_code = 1


class Cancelled(ClinicAppError):
    """The user cancelled a long operation; nothing partial was kept.

    Raised by ``CancelToken.raise_if_cancelled`` (``core/tasks.py``); caught by services that
    roll back, and by the GUI worker pool, which reports 'cancelled' instead of an error.
    """

    exit_code = 1


class ConfigError(ClinicAppError):
    """A configuration file is malformed or sets a value that is not allowed.

    Raised by ``config.py``; caught by the site-config service (to refuse a change) and by
    the CLI edge and self-test (which report it and go on with the defaults).
    """

    exit_code = 2


# -- Errors that used to live beside the code that raises them (issue 12) -------------------
# Their old names stay importable from those modules (``from clinic_app.errors import X as
# X`` there), so existing imports keep working.


class UnwrapFailed(IntegrityError):
    """A wrapped or sealed key did not authenticate (wrong key, or altered/moved data).

    Raised by ``core/security/keywrap.py``; caught by the auth service (a wrong password
    reads the same as a damaged key: the user is told to try again or call IT).
    """


class ManifestError(ModelError):
    """A model manifest is not valid JSON, breaks the schema, or contradicts itself.

    Raised by ``core/inference/manifest.py``; caught by the registry, which lists the
    package as refused with the message.
    """


class PackageRefused(ModelError):
    """A model package failed verification; ``reason`` is a short code for listings and audit.

    Raised by ``core/inference/package.py``; caught by the registry (refused list) and the
    model service (import refused, audited with ``reason``).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# -- Parsers: per-item and per-file reasons ----------------------------------------------
# Raised inside the readers and caught by the same reader's loop, which turns each into a
# line of the import report; one that escapes still reaches the user as a clear message.
# The records parsers' errors stay ValueErrors too, as they were before they joined.


class ItemError(InvalidInput, ValueError):
    """One record item cannot be used; the message says why (never with patient data in it).

    Raised by the records readers (``core/records``: FHIR, CSV, units); caught by their
    per-item loops (``fhir.py``, ``csv_reader.py``), which count it in the import report.
    """


class NotUtf8(ItemError):
    """A records file is not UTF-8; ``line`` is where the first bad byte is.

    Raised by ``core/records/csv_reader.decode``; caught by ``core/records/files.py``, which
    refuses the file with the line number.
    """

    def __init__(self, line: int) -> None:
        super().__init__("not UTF-8 text; save the file as UTF-8 (in Excel: 'CSV UTF-8')")
        self.line = line


class SkipItem(ClinicAppError):
    """A record item is deliberately not used (not an error); ``reason`` is counted.

    Raised by the records readers for items that are valid but out of scope; caught by
    their per-item loops, which count ``reason`` in the import report.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DateError(InvalidInput, ValueError):
    """Text is not a FHIR date/dateTime we accept (the message says why).

    Raised by ``core/records/dates.py``; caught by the FHIR and CSV readers, which refuse
    the item (or the field) with the message.
    """


class UnitError(InvalidInput, ValueError):
    """A unit is missing or not one we accept for the fact (the message says which).

    Raised by ``core/records/units.py``; caught by ``core/records/plausibility.py`` and the
    readers, which refuse the value.
    """


class AuditForwardError(ClinicAppError):
    """The audit collector could not take the events (unreachable, untrusted certificate, TLS).

    Raised by core/atna when forwarding; the events stay queued (the forwarding cursor does not
    move). Caught by the CLI (exit 1, one line), by the admin workspace, which shows it, and by
    the per-event forwarder's worker (core/atna/live.py), which keeps them queued and retries.
    """

    exit_code = 1


class ResultUnreadable(InvalidInput):
    """A SEG, SR or KO from another system cannot be shown; ``str()`` is the skip reason.

    Raised by core.dicom_out.foreign (behind its parser boundary); caught by
    services.study_results, which lists the object with the reason instead of failing.
    """


class PacsError(ClinicAppError):
    """A PACS exchange failed. Nothing partial is marked complete.

    Raised by core/net and services/pacs; caught by the CLI, which prints it, and by the
    Query/Retrieve panel, which shows it with a Retry button.
    """

    exit_code = 1


class PacsUnreachable(PacsError):
    """The PACS did not answer (down, wrong host/port, network); retrying may succeed.

    Raised by core/net when a connection fails; caught like every PacsError (CLI, panel).
    """


class AssociationRejected(PacsError):
    """The PACS answered but refused our association (usually an AE title it does not know).

    Raised by core/net.associate; caught like every PacsError (CLI, panel).
    """


class TerminologyError(ClinicAppError):
    """The terminology package is missing, damaged, unsigned or signed by an unknown key.

    Raised by clinic_app.core.terminology.package; caught by the CLI/GUI error boundary,
    which shows the message (reinstall, or ask IT for a correctly signed package).
    """

    exit_code = 1


class ImpossibleValue(InvalidInput):
    """A model input outside its hard (physiological) bounds, or a bare number that looks
    like a unit slip; the message names the bounds and, when it fits, the likely unit.

    Raised by clinic_app.core.records.inputs.check_input (records features, calculator,
    what-if, batch); caught where InvalidInput is (CLI exit 2, GUI message).
    """


class NdjsonLineError(ItemError):
    """A line of an NDJSON file that is not UTF-8, or a gzip stream damaged after a line.

    Raised by core/records/bulk.iter_lines; caught by the bulk reader, which refuses that
    file with the line number (the rest of the export is read).
    """


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


class KnownDamage(InvalidInput, ValueError):
    """Damage our own imaging code found and described (no third-party or patient text).

    Raised inside core/imaging (LUT, palette and window checks); caught by the decoder wall
    (core/imaging/boundary.py), which keeps this message in the DecodeError it raises
    instead of the generic one.
    """


class LutError(KnownDamage):
    """A LUT in the header cannot be used.

    Raised by core/imaging/lut.py; caught by the decoder wall and the volume builder,
    which turn it into a DecodeError naming the instance.
    """


class UnsupportedSchema(ManifestError, ValueError):
    """The manifest JSON Schema uses a keyword the app's schema checker does not implement.

    Raised by ``core/inference/schema_check.py`` when the checker is built, so a schema
    change can never make a check silently skipped. A packaging bug, not user input: the
    registry lists every package as refused with the message, and
    ``tests/test_schema_check.py`` catches it before release.
    """
class UnusualValue(ImpossibleValue):
    """A bare number that is possible but unusual and fits another unit ("bilirubin 34":
    µmol/L typed as mg/dL?). Unlike an impossible value, the user may confirm it: the
    same number sent again *with its unit* is accepted (the hard bounds still apply).

    Raised by clinic_app.core.records.inputs.check_input; RiskService.what_if re-raises
    it with what-if wording, and the what-if panel (ui/physician/what_if.py) offers
    "Use … as entered"; elsewhere it is caught as ImpossibleValue.
    """

    def __init__(self, message: str, *, reason: str, feature: str, value: float,
                 unit: str) -> None:
        super().__init__(message)
        self.reason = reason  # the message without the caller-specific "how to confirm"
        self.feature = feature
        self.value = value
        self.unit = unit  # the canonical unit the value was read in

    def with_hint(self, hint: str) -> UnusualValue:
        """The same refusal, ending with another caller's way to confirm the value."""
        return UnusualValue(f"{self.reason} {hint}", reason=self.reason, feature=self.feature,
                            value=self.value, unit=self.unit)


class HeaderError(ClinicAppError):
    """A DICOM file cannot be imported: its header is missing, damaged or unsafe; the
    message is the per-file reason shown to the user, in our words (never pydicom's text).

    Raised by clinic_app.core.imaging.headers.parse_header (and header_damage, pixel_data); caught by
    the imaging importer (core/imaging/importer.py), which reports the file as skipped
    with this reason, and by core/inference/eval_data.py, which skips non-image files.
    """


class SourceError(ClinicAppError):
    """A source (zip, DICOMDIR, folder) could not be read as a whole.

    Raised by clinic_app.core.imaging.sources while listing a source; caught by the
    imaging importer, which turns it into one skipped entry naming the source.
    """


class NotAnIndex(SourceError):
    """A file named DICOMDIR that is not a Media Storage Directory.

    Raised by clinic_app.core.imaging.sources when it opens such a file as an index;
    caught in the same module, which imports the file as an ordinary instance and scans
    its folder instead.
    """
