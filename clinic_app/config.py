"""Settings: frozen, built once from defaults, the site config and user overrides.

Settings are passed explicitly to the services (never read from a global), so tests and
two stores in one process cannot interfere. IT sets site policy in a machine-wide TOML
file; a user's file may change comfort settings but not the keys in ``SITE_ONLY``.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from clinic_app.errors import ConfigError

#: Keys only the machine-wide file may set: security policy and data locations.
SITE_ONLY = frozenset({
    "store_dir", "models_dir", "log_dir", "idle_timeout_minutes", "password_min_length",
    "lockout_threshold", "lockout_minutes", "kdf_memory_kib", "kdf_iterations",
    "allow_unsigned_models", "gpu_preference",
})


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
    if "CLINIC_APP_SITE_CONFIG" in os.environ:
        return Path(os.environ["CLINIC_APP_SITE_CONFIG"])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "clinic-app" / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/clinic-app/config.toml")
    return Path("/etc/clinic-app/config.toml")


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
    auto_analyze_on_import: bool = False
    lookback_months_lipids: int = 24
    lookback_months_vitals: int = 12
    lookback_months_labs: int = 12

    def __post_init__(self) -> None:
        if self.gpu_preference not in ("auto", "cpu"):
            raise ConfigError(f"gpu_preference must be 'auto' or 'cpu', not {self.gpu_preference!r}")
        if self.theme not in ("dark", "light"):
            raise ConfigError(f"theme must be 'dark' or 'light', not {self.theme!r}")
        if self.password_min_length < 12:
            raise ConfigError("password_min_length cannot be below 12 (NIST SP 800-63B).")
        if self.idle_timeout_minutes <= 0:
            raise ConfigError("idle_timeout_minutes must be positive.")

    @property
    def effective_log_dir(self) -> Path:
        return self.log_dir or default_log_dir()


_TYPES: dict[str, type] = {f.name: f.type for f in fields(Settings)}  # type: ignore[misc]


def _coerce(key: str, value: Any, source: Path) -> Any:
    annotation = str(_TYPES[key])
    if "Path" in annotation:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{source}: key '{key}' must be a non-empty path string.")
        return Path(value).expanduser()
    if annotation == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: key '{key}' must be true or false.")
        return value
    if annotation in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{source}: key '{key}' must be a number.")
        return int(value) if annotation == "int" else float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{source}: key '{key}' must be a string.")
    return value


def read_config_file(path: Path, *, site: bool) -> dict[str, Any]:
    """Parse one TOML file; errors name the file, line and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}).") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}. Fix the line named and retry.") from exc
    table = data.get("clinic_app", data)
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _TYPES:
            line = _line_of(text, key)
            raise ConfigError(f"{path}:{line}: unknown key '{key}'. See docs/configuration.md.")
        if not site and key in SITE_ONLY:
            line = _line_of(text, key)
            raise ConfigError(
                f"{path}:{line}: key '{key}' can only be set by IT in {site_config_path()}.")
        out[key] = _coerce(key, value, path)
    return out


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key):
            return number
    return 0


def load_settings(store_override: str | os.PathLike[str] | None = None, *,
                  site_path: Path | None = None, user_path: Path | None = None) -> Settings:
    """Defaults ← site config ← user config ← CLINIC_APP_STORE ← --store."""
    values: dict[str, Any] = {}
    values.update(read_config_file(site_path or site_config_path(), site=True))
    values.update(read_config_file(user_path or user_config_path(), site=False))
    if os.environ.get("CLINIC_APP_STORE"):
        values["store_dir"] = Path(os.environ["CLINIC_APP_STORE"]).expanduser()
    if store_override:
        values["store_dir"] = Path(store_override).expanduser()
    values.setdefault("store_dir", default_store_dir())
    try:
        return Settings(**values)
    except TypeError as exc:
        raise ConfigError(f"Invalid configuration: {exc}") from exc


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, **changes)
