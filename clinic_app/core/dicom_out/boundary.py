"""The one boundary around highdicom's builders (SEG, SR, KO, measurement SR).

highdicom refuses inconsistent input by raising whatever it likes, and its text can quote
header values, so a refusal becomes one clear message naming the object and the error's
class only. Application errors pass through unchanged; KeyboardInterrupt and SystemExit
are never caught; anything else, BaseException subclasses included, is caught here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from clinic_app.errors import ClinicAppError, InvalidInput
from clinic_app.i18n import translate

P = ParamSpec("P")
T = TypeVar("T")


def build_object(kind: str, make: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``make(*args, **kwargs)``; a refusal raises InvalidInput naming ``kind``."""
    try:
        return make(*args, **kwargs)
    except ClinicAppError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise InvalidInput(translate(
            "DicomWriter", "The {kind} could not be written from these findings ({error}).")
            .format(kind=kind, error=type(exc).__name__)) from None
