"""Read DICOM values tolerantly: a damaged optional value becomes a warning, never a guess.

Also the value-format checks (UID, DA, TM, sex code) that the header parser and the
importer share. Each reader takes the warnings list so the reason reaches the person who
imported the file.
"""

from __future__ import annotations

import math
import re

from pydicom.dataset import Dataset

_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_SEX = {"F": "female", "M": "male", "O": "other"}


def is_valid_uid(value: str) -> bool:
    """Digits and dots only, at most 64 characters (PS3.5 §9.1; leading zeros tolerated)."""
    return 0 < len(value) <= 64 and bool(_UID.match(value))


def dicom_date(text: str) -> str | None:
    """DICOM DA ``YYYYMMDD`` (or the legacy ``YYYY.MM.DD``) as ISO text, else None."""
    digits = text.strip().replace(".", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    try:
        import datetime as _dt

        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def dicom_time(text: str) -> str | None:
    """DICOM TM ``HHMMSS.FFFFFF`` (any prefix, or legacy ``HH:MM:SS``) as ``HH:MM:SS``."""
    t = text.strip().replace(":", "")
    main = t.split(".")[0]
    if not main.isdigit() or len(main) not in (2, 4, 6):
        return None
    hh, mm, ss = int(main[:2]), int(main[2:4] or 0), int(main[4:6] or 0)
    if hh > 23 or mm > 59 or ss > 60:
        return None
    return f"{hh:02d}:{mm:02d}:{min(ss, 59):02d}"


def sex_code(text: str) -> str:
    return _SEX.get(text.strip().upper(), "unknown")


def read_text(ds: Dataset | None, keyword: str) -> str:
    if ds is None:
        return ""
    try:
        value = ds.get(keyword)
    except Exception:  # a damaged value reads as absent
        return ""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "\\".join(str(v) for v in value)
    return str(value).strip("\x00 ").strip()


def read_strings(ds: Dataset, keyword: str) -> list[str]:
    try:
        value = ds.get(keyword)
    except Exception:  # a damaged optional value reads as absent
        return []
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    return [str(v).strip() for v in value]


def read_float(ds: Dataset | None, keyword: str, warns: list[str]) -> float | None:
    if ds is None or keyword not in ds:
        return None
    try:
        value = ds[keyword].value
        if value in (None, ""):
            return None
        if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
            value = value[0]
        result = float(value)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        # pydicom converts IS/DS on access: "1e400" in an IS raises OverflowError there
        warns.append(f"{keyword} is not a usable number; ignored")
        return None
    if not math.isfinite(result):
        warns.append(f"{keyword} is not a finite number; ignored")
        return None
    return result


def read_int(ds: Dataset | None, keyword: str, warns: list[str]) -> int | None:
    value = read_float(ds, keyword, warns)
    if value is None:
        return None
    if abs(value) >= 2**31:  # IS is a 32-bit integer (PS3.5 6.2); SQLite stores 64 bits
        warns.append(f"{keyword} {value:.6g} is not a valid integer; ignored")
        return None
    return int(value)


def read_floats(ds: Dataset, keyword: str, warns: list[str]) -> tuple[float, ...]:
    if keyword not in ds:
        return ()
    try:
        value = ds[keyword].value
        if value in (None, ""):
            return ()
        values = list(value) if isinstance(value, (list, tuple)) or type(
            value).__name__ == "MultiValue" else [value]
        out = tuple(float(v) for v in values)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        warns.append(f"{keyword} is not numeric; ignored")
        return ()
    if not all(math.isfinite(v) for v in out):
        warns.append(f"{keyword} is not finite; ignored")
        return ()
    return out


def read_point(ds: Dataset | None, keyword: str, warns: list[str]) -> tuple[float, float, float] | None:
    """A 3-vector value (a position), or None (absent, or warned about and ignored)."""
    vec = read_vector(ds, keyword, 3, warns)
    return None if vec is None else (vec[0], vec[1], vec[2])


def read_vector(ds: Dataset | None, keyword: str, n: int,
            warns: list[str]) -> tuple[float, ...] | None:
    if ds is None or keyword not in ds:
        return None
    try:
        value = ds[keyword].value
        vec = tuple(float(v) for v in value)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError):
        warns.append(f"{keyword} is not numeric; ignored")
        return None
    if len(vec) != n or not all(math.isfinite(v) for v in vec):
        warns.append(f"{keyword} does not hold {n} numbers; ignored")
        return None
    return vec
