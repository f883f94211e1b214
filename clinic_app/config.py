"""Settings: frozen, built once from defaults, the site config and user overrides.

Settings are passed explicitly to the services (never read from a global), so tests and
two stores in one process cannot interfere. IT sets site policy in a machine-wide TOML
file; a user's file may change comfort settings but not the keys in ``SITE_ONLY``.

A config file is written by a person, often by hand on a machine with no one to ask, so
every problem in it is reported as ``<file>:<line>: key '<key>': <what is wrong>`` and
is never "fixed" silently: an unknown key, a value of the wrong type, a value outside its
allowed range or a security key in a user's file stops the program with that message.
Every key, its default and its range are documented in docs/configuration.md.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import sys
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from clinic_app.errors import ConfigError

#: Keys only the machine-wide file may set: security policy, data locations and the
#: clinical look-back windows (two clinicians must get the same score for the same data).
SITE_ONLY = frozenset({
    "store_dir", "models_dir", "log_dir", "idle_timeout_minutes", "password_min_length",
    "lockout_threshold", "lockout_minutes", "kdf_memory_kib", "kdf_iterations",
    "allow_unsigned_models", "gpu_preference", "lookback_months_lipids",
    "lookback_months_vitals", "lookback_months_labs",
    "audit_syslog_host", "audit_syslog_port", "audit_syslog_ca", "audit_syslog_cert",
    "audit_syslog_key", "audit_source_id", "audit_forward_live",
    "pacs_ae_title", "pacs_port", "pacs_listen_host", "pacs_timeout_seconds",
    "grant_approvers",
    "display_units", "china_par_population", "china_par_region", "china_par_urbanisation",
})

#: The table a config file may put its keys in (top-level keys are accepted too).
TABLE = "clinic_app"

#: Inclusive numeric ranges. Lower bounds are security floors (NIST SP 800-63B length,
#: the Argon2id floor in core/security/kdf.py); upper bounds catch typos (an idle timeout
#: of 100000 minutes is a lock that never fires) and values that cannot work (an Argon2id
#: memory cost above 4 GiB, a minimum password length above the maximum accepted).
RANGES: dict[str, tuple[float, float]] = {
    "idle_timeout_minutes": (0.5, 1440.0),
    "password_min_length": (12, 1024),
    "lockout_threshold": (1, 100),
    "lockout_minutes": (1.0, 1440.0),
    "kdf_memory_kib": (64 * 1024, 4 * 1024 * 1024),
    "kdf_iterations": (3, 100),
    "lookback_months_lipids": (1, 240),
    "lookback_months_vitals": (1, 240),
    "lookback_months_labs": (1, 240),
    "audit_syslog_port": (1, 65535),
    "grant_approvers": (1, 2),
    "pacs_port": (1, 65535),
    "pacs_timeout_seconds": (1.0, 600.0),
}

#: Keys whose value is one of a fixed set of words.
CHOICES: dict[str, tuple[str, ...]] = {
    "gpu_preference": ("auto", "cpu"),
    "theme": ("dark", "light"),
    "display_units": ("us", "si"),
    "china_par_region": ("unset", "north", "south"),
    "china_par_urbanisation": ("unset", "urban", "rural"),
    # Interface language (issue 21): the site default; each user may choose their own.
    "language": ("en", "zh_CN"),
}


def default_store_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "clinic-app" / "store"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "clinic-app" / "store"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "clinic-app" / "store"


def default_log_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "clinic-app" / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "clinic-app"
    base = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return base / "clinic-app" / "logs"


def site_config_path() -> Path:
    override = os.environ.get("CLINIC_APP_SITE_CONFIG")
    if override is not None and site_override_allowed(Path(override)):
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "clinic-app" / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/clinic-app/config.toml")
    return Path("/etc/clinic-app/config.toml")


def site_override_allowed(path: Path) -> bool:
    """Whether $CLINIC_APP_SITE_CONFIG may replace the site policy (KDF cost, lockout,
    grant approvers): a user must not swap IT's policy for a file of their own. Honoured
    for a file owned by root and writable by nobody else, or inside the test suite."""
    if "pytest" in sys.modules:
        return True
    if sys.platform == "win32":
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == 0 and not st.st_mode & 0o022


def user_config_path() -> Path:
    if "CLINIC_APP_USER_CONFIG" in os.environ:
        return Path(os.environ["CLINIC_APP_USER_CONFIG"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "clinic-app" / "config.toml"
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "clinic-app" / "config.toml"


@dataclass(frozen=True)
class Settings:
    store_dir: Path
    models_dir: Path | None = None
    log_dir: Path | None = None
    idle_timeout_minutes: float = 10.0
    password_min_length: int = 12
    lockout_threshold: int = 5
    lockout_minutes: float = 15.0
    kdf_memory_kib: int = 64 * 1024
    kdf_iterations: int = 3
    allow_unsigned_models: bool = False
    gpu_preference: str = "auto"  # "auto" | "cpu"
    theme: str = "dark"  # "dark" | "light"
    language: str = "en"  # "en" | "zh_CN": site default, a user's file may override it
    auto_analyze_on_import: bool = False
    lookback_months_lipids: int = 24
    lookback_months_vitals: int = 12
    lookback_months_labs: int = 12
    # Audit forwarding (IHE ATNA): DICOM audit messages over syslog-TLS to a collector.
    audit_syslog_host: str = ""          # empty: no forwarding
    audit_syslog_port: int = 6514
    audit_syslog_ca: Path | None = None  # the collector's CA (None: the system trust store)
    audit_syslog_cert: Path | None = None
    audit_syslog_key: Path | None = None
    audit_source_id: str = ""            # how the repository lists this workstation (default: host name)
    #: Send each entry as it is written (a background thread); false: only 'audit forward'.
    audit_forward_live: bool = True
    #: Key holders who must approve a clinical-key grant request (site policy: 1 or 2).
    grant_approvers: int = 1
    # PACS (docs/pacs.md): this workstation's AE title and its storage listener. Loopback
    # by default, so nothing listens on the network until IT names an interface.
    pacs_ae_title: str = "CLINICAPP"
    pacs_port: int = 11112
    pacs_listen_host: str = "127.0.0.1"
    pacs_timeout_seconds: float = 30.0
    # Localisation by site (docs/configuration.md): the units lab values are shown in
    # (stored values never change), and China-PAR's site inputs and intended population.
    display_units: str = "us"  # "us" (mg/dL) | "si" (mmol/L, µmol/L)
    china_par_population: bool = False  # the site's patients are China-PAR's population
    china_par_region: str = "unset"  # "north" | "south" of the Yangtze
    china_par_urbanisation: str = "unset"  # "urban" | "rural"

    def __post_init__(self) -> None:
        # The same checks as a config file gets, for settings built in code (tests, GUI).
        for key in (*RANGES, *CHOICES, "pacs_ae_title"):
            problem = check_value(key, getattr(self, key))
            if problem:
                raise ConfigError(f"{key} {problem}.")

    @property
    def effective_log_dir(self) -> Path:
        return self.log_dir or default_log_dir()


#: Field name -> annotation text ("Path", "Path | None", "int", "float", "bool", "str").
_TYPES: dict[str, str] = {f.name: str(f.type) for f in fields(Settings)}

KEYS = frozenset(_TYPES)


def check_value(key: str, value: Any) -> str | None:
    """Why ``value`` is not allowed for ``key`` (a phrase), or None if it is fine."""
    if key in CHOICES and value not in CHOICES[key]:
        return "must be one of " + ", ".join(repr(c) for c in CHOICES[key]) + f", not {value!r}"
    if key == "pacs_ae_title" and not re.fullmatch(r"[ -\[\]-~]{1,16}", value.strip() or "\\"):
        return "must be 1 to 16 printable ASCII characters without '\\'"
    if key in RANGES:
        low, high = RANGES[key]
        if isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number"
        if not low <= value <= high:
            return f"must be between {_number(low)} and {_number(high)}, not {_number(value)}"
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _coerce(key: str, value: Any) -> Any:
    """The typed value for ``key``, or ConfigError with a phrase saying what is expected."""
    annotation = _TYPES[key]
    if "Path" in annotation:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"must be a non-empty path in quotes, not {_toml_kind(value)}")
        if "\x00" in value:
            raise ConfigError("contains a NUL character")
        try:
            path = Path(value).expanduser()
        except RuntimeError as exc:  # "~someone" whose home cannot be found
            raise ConfigError(f"cannot expand '~' in {value!r} ({exc})") from exc
        if not path.is_absolute():
            raise ConfigError(f"must be an absolute path (or start with ~), not {value!r}")
        return path
    if annotation == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"must be true or false, not {_toml_kind(value)}")
        return value
    if annotation == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"must be a whole number, not {_toml_kind(value)}")
        return value
    if annotation == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"must be a number, not {_toml_kind(value)}")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"must be a string in quotes, not {_toml_kind(value)}")
    return value


def _toml_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if value else "an empty string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def read_config_file(path: Path, *, site: bool) -> dict[str, Any]:
    """Parse one TOML file into checked, typed values.

    A missing file is an empty config. Every error is a ConfigError naming the file, the
    line and the key, so IT can fix it without reading code.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a folder, not a config file.") from exc
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot be read ({exc.strerror or type(exc).__name__}). "
            + ("IT: make it readable by every user (it holds no secrets)." if site else "")
        ) from exc
    try:
        # utf-8-sig: Windows editors may start the file with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: is not UTF-8 text; save the file as UTF-8.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(path, text, exc) from exc

    entries: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key == TABLE:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}:{_line_of(text, key)}: '{TABLE}' must be a table "
                                  f"(a line '[{TABLE}]' followed by settings).")
            entries.extend(value.items())
        else:
            entries.append((key, value))
    out: dict[str, Any] = {}
    for key, value in entries:
        line = _line_of(text, key)
        where = f"{path}:{line}: key '{key}'" if line else f"{path}: key '{key}'"
        if key not in KEYS:
            close = difflib.get_close_matches(key, sorted(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where} is not a setting{hint}. See docs/configuration.md.")
        if key in out:
            where = f"{path}:{_line_of(text, key, last=True)}: key '{key}'"
            raise ConfigError(f"{where} is set twice (at the top and in [{TABLE}]); keep one.")
        if not site and key in SITE_ONLY:
            raise ConfigError(
                f"{where} can only be set by IT, in the site config {site_config_path()}; "
                "remove it from your file.")
        try:
            typed = _coerce(key, value)
        except ConfigError as exc:
            raise ConfigError(f"{where} {exc}.") from None
        problem = check_value(key, typed)
        if problem:
            raise ConfigError(f"{where} {problem}.")
        out[key] = typed
    return out


_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_KEY_AT_START = re.compile(r"""^\s*\[*\s*["']?([A-Za-z0-9_.\-]+)""")


def _syntax_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(exc)
    match = _POSITION.search(message)
    if match and match.group(1):
        line = int(match.group(1))
        detail = f"{message[: match.start()]} (column {match.group(2)})"
    else:
        line = max(1, len(text.rstrip("\n").split("\n")))
        detail = message[: match.start()] + " (at the end of the file)" if match else message
    lines = text.split("\n")
    key_match = _KEY_AT_START.match(lines[line - 1]) if 0 < line <= len(lines) else None
    near = f" key '{key_match.group(1)}':" if key_match else ""
    return ConfigError(f"{path}:{line}:{near} not valid TOML: {detail}. Fix that line and retry.")


def _line_of(text: str, key: str, *, last: bool = False) -> int:
    """The line that sets ``key`` (1-based; the last such line if ``last``), or 0."""
    pattern = re.compile(r"""^\s*(?:"{0}"|'{0}'|{0})\s*[=.]""".format(re.escape(key)))
    found = [n for n, line in enumerate(text.split("\n"), start=1) if pattern.match(line)]
    if found:
        return found[-1] if last else found[0]
    table = re.compile(r"""^\s*\[+\s*(?:"{0}"|'{0}'|{0})\s*[\].]""".format(re.escape(key)))
    for number, line in enumerate(text.split("\n"), start=1):
        if table.match(line):
            return number
    return 0


def _path_from_environment(name: str) -> Path:
    try:
        return Path(os.environ[name]).expanduser().absolute()
    except RuntimeError as exc:
        raise ConfigError(f"${name}: cannot expand '~' ({exc}).") from exc


def load_settings(store_override: str | os.PathLike[str] | None = None, *,
                  site_path: Path | None = None, user_path: Path | None = None) -> Settings:
    """Defaults ← site config ← user config ← CLINIC_APP_STORE ← --store."""
    values: dict[str, Any] = {}
    values.update(read_config_file(site_path or site_config_path(), site=True))
    values.update(read_config_file(user_path or user_config_path(), site=False))
    if os.environ.get("CLINIC_APP_STORE"):
        values["store_dir"] = _path_from_environment("CLINIC_APP_STORE")
    if store_override:
        try:
            values["store_dir"] = Path(store_override).expanduser().absolute()
        except RuntimeError as exc:
            raise ConfigError(f"--store: cannot expand '~' ({exc}).") from exc
    values.setdefault("store_dir", default_store_dir())
    return Settings(**values)
