"""The one wall between the imaging core and third-party decoders.

pydicom's pixel handlers, pylibjpeg-rle/-openjpeg/-libjpeg, imagecodecs and pyjpegls run
native code on bytes from outside. They fail in every way Python allows: ``ValueError``
and friends, ``MemoryError``, and Rust panics (``pyo3_runtime.PanicException``), which
derive from ``BaseException`` and so pass every ``except Exception``. Every call into
them goes through :func:`decoder_wall`, which turns whatever they raise into a
:class:`~clinic_app.errors.DecodeError` naming the instance and frame — except
``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit``, which belong to the user and
the interpreter and are re-raised untouched.

The third-party text is never put in the user's message (it can quote header values) and
is logged without it: the log line holds the exception *type*, the stage and the stored
instance's row id, which identify nothing outside the encrypted store.

Native decoders also write to file descriptor 2 behind Python's back (a Rust panic hook
prints its message and a backtrace; OpenJPEG prints warnings). :func:`muted_stderr`
points fd 2 at /dev/null for the duration of the call, so a damaged file gives one line
on the terminal, never a backtrace.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from clinic_app.errors import ClinicAppError, DecodeError, KnownDamage

log = logging.getLogger("clinic_app.imaging.decode")

#: Never converted: they are the user's (Ctrl+C) or the interpreter's, not the file's.
PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)


@dataclass(frozen=True)
class InstanceRef:
    """How an instance is named in messages: file name (if known), SOP UID, number."""

    sop_instance_uid: str
    source: str = ""  # file name as imported (no folders), "" when unknown
    instance_number: int | None = None
    row_id: int | None = None  # the index row: what the log names

    def describe(self) -> str:
        parts = []
        if self.source:
            parts.append(f"file {self.source}")
        if self.instance_number is not None:
            parts.append(f"instance {self.instance_number}")
        parts.append(f"SOP Instance UID {self.sop_instance_uid or 'unknown'}")
        return ", ".join(parts)


_mute_lock = threading.Lock()
_mute_depth = 0
_saved_fd: int | None = None


@contextmanager
def muted_stderr() -> Iterator[None]:
    """fd 2 → /dev/null while native code runs (re-entrant, thread-safe; restored after)."""
    global _mute_depth, _saved_fd
    with _mute_lock:
        if _mute_depth == 0:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                _saved_fd = os.dup(2)
                os.dup2(devnull, 2)
                os.close(devnull)
            except OSError:  # no fd 2 (a windowed app): nothing to protect
                _saved_fd = None
        _mute_depth += 1
    try:
        yield
    finally:
        with _mute_lock:
            _mute_depth -= 1
            if _mute_depth == 0 and _saved_fd is not None:
                os.dup2(_saved_fd, 2)
                os.close(_saved_fd)
                _saved_fd = None


@contextmanager
def decoder_wall(ref: InstanceRef, frame: int | None, stage: str,
                 what: str = "could not be decoded") -> Iterator[None]:
    """Run third-party decoding; anything it raises becomes one :class:`DecodeError`.

    ``frame`` counts from 0 (shown from 1); None when the whole instance is concerned.
    ``stage`` says what was being done, for the log ("pixel data", "palette", "VOI LUT").
    Our own :class:`ClinicAppError` subclasses pass unchanged (they are already named).
    """
    try:
        with warnings.catch_warnings(), muted_stderr():
            warnings.simplefilter("ignore")
            yield
    except PASS_THROUGH:
        raise
    except KnownDamage as exc:
        raise decode_error(ref, frame, str(exc)) from None
    except ClinicAppError:
        raise
    except BaseException as exc:
        raise failure(ref, frame, stage, exc, what) from None


def failure(ref: InstanceRef, frame: int | None, stage: str, exc: BaseException,
            what: str = "could not be decoded") -> DecodeError:
    """The DecodeError for ``exc`` (logged by type only: no third-party text, no UID)."""
    log.warning("decoder failure: %s during %s (instance row %s, frame %s)",
                type(exc).__name__, stage, ref.row_id, None if frame is None else frame + 1)
    return decode_error(ref, frame, f"{stage} {what}"
                        + (" (not enough memory)" if isinstance(exc, MemoryError) else
                           " (the data is damaged or uses a form the decoder does not support)"))


def decode_error(ref: InstanceRef, frame: int | None, reason: str) -> DecodeError:
    """A DecodeError whose message names the instance and frame, then ``reason``."""
    where = ref.describe() + (f", frame {frame + 1}" if frame is not None else "")
    return DecodeError(f"{where}: {reason}.", sop_instance_uid=ref.sop_instance_uid,
                       frame=None if frame is None else frame + 1)
