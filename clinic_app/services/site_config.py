"""Writing the machine-wide site configuration from the admin workspace.

Settings are read once at start-up from TOML files (``clinic_app.config``); the admin
workspace edits the site-only policy keys and writes them back as a site file. The
values are checked with the same rules as a file read at start-up *before* anything is
written, keys the form does not show are kept from the existing file, and the write is
audited as a security event (policy changed, by whom, which keys). The new values take
effect when clinic-app next starts: a running session keeps the policy it started with.

The file is written where IT chooses; the usual place (``/etc/clinic-app/config.toml``,
``%ProgramData%``) is writable only by administrators, so a refusal there is reported
with what to do rather than worked around.

Folders must be absolute (or start with ``~``, which each user's app expands to their own
home): a relative path would name a different folder for every program that reads the
file, so ``read_config_file`` refuses it at the next start. The writer refuses it too,
before writing, rather than guessing a base folder; and it reads the written file back
with that same reader before putting it in place, so a file it writes always loads.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from clinic_app.config import TABLE, Settings, read_config_file
from clinic_app.core.clock import iso
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.errors import ConfigError, InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

#: Settings that name a folder.
PATH_KEYS = frozenset(f.name for f in fields(Settings) if "Path" in str(f.type))


def path_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be written as folder ``key`` (a sentence), or None."""
    text = str(value).strip() if isinstance(value, (str, os.PathLike)) else ""
    if not text:
        return f"{key} must be a folder path, not {value!r}."
    try:
        absolute = Path(text).expanduser().is_absolute()
    except RuntimeError:  # "~someone" with no such user
        return f"{key}: cannot expand '~' in {text!r}; give an absolute folder path."
    if not absolute:
        return (f"{key} must be an absolute folder path (for example /srv/clinic-app/store, "
                f"or one starting with ~), not {text!r}: a relative path would mean a "
                "different folder for every program that reads the file.")
    return None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(str(value), ensure_ascii=False)


def render_site_toml(values: dict[str, Any], *, header: str = "") -> str:
    """TOML text for ``values`` under ``[clinic_app]`` (None values are left out)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += ["# Keys and allowed values: docs/configuration.md.", "", f"[{TABLE}]"]
    for key in sorted(values):
        if values[key] is not None:
            lines.append(f"{key} = {_toml_value(values[key])}")
    return "\n".join(lines) + "\n"


def _cannot_write(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput(
        f"Cannot write {path} ({exc.strerror}). The site file is writable only by "
        "administrators: save it elsewhere and copy it into place with administrator rights.")


class SiteConfigService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def write(self, session: Session, path: Path, changes: dict[str, Any]) -> Path:
        """Merge ``changes`` into the site file at ``path`` (validated first) and write it."""
        self.ctx.begin(session, Permission.SETTINGS_MANAGE)
        problems = [p for k, v in changes.items() if k in PATH_KEYS and v is not None
                    for p in [path_problem(k, v)] if p]
        if problems:
            raise InvalidInput(translate("services", "The settings were not saved: ") + " ".join(problems))
        existing = read_config_file(path, site=True) if path.exists() else {}
        merged = {k: v for k, v in {**existing, **changes}.items() if v is not None}
        try:
            Settings(**{"store_dir": self.ctx.settings.store_dir, **merged})
        except ConfigError as exc:
            raise InvalidInput(translate("services", "The settings were not saved: {exc}").format(exc=exc)) from exc
        except TypeError:  # Python's own text names internals; say what it means instead
            raise InvalidInput(translate("services", "The settings were not saved: they name a setting this version "
                               "does not know.")) from None
        text = render_site_toml(merged, header=(
            f"clinic-app site configuration, written by {session.username} in the admin "
            f"workspace at {iso(self.ctx.clock())}.\nComments from an earlier file are not kept."))
        tmp = path.with_name(path.name + ".new")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _cannot_write(path, exc) from exc
        try:  # what the next start will read, with the reader it will use
            read_config_file(tmp, site=True)
        except ConfigError as exc:
            tmp.unlink(missing_ok=True)
            raise InvalidInput(translate("services", "The settings were not saved: the file would not load "
                                                     "({exc}).").format(exc=exc)
                               ) from exc
        try:
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _cannot_write(path, exc) from exc
        changed = sorted(k for k in merged if existing.get(k) != merged[k])
        self.ctx.audit(session, EventCode.SECURITY_ALERT, "settings.write", object=str(path),
                       detail={"changed": changed})
        return path
