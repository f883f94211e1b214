"""Which terminology package is in use, why, and how IT installs or rolls back the site's.

Two copies can exist: the one shipped with the app and IT's site copy
(``<site models folder>/terminology/terminology.json``). Both must verify against the
trust store (:func:`package.load_terminology`). The site copy is used when it is newer than
the shipped one, or when IT forced it as a rollback with ``terminology install
--allow-older --reason`` *over this shipped version*: the force is recorded beside the
package (``rollback.json``: the file's SHA-256, the shipped version it was forced over,
who, when, why) and audited by the service. A site copy that is not newer and not covered
by such a record (an app update shipped a newer terminology since, or the file was put
there by hand) is not used, and :class:`TerminologyChoice` says so: the self-test warns
and ``terminology status`` shows it. Nothing is chosen silently.

The rule for an install is the model packages' rule (:mod:`update_rule`): the candidate
must be newer than the copy in use, or forced with a reason.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from clinic_app.config import Settings
from clinic_app.core.inference.update_rule import UpdateCheck, check_update, version_is_newer
from clinic_app.core.terminology.lookup import Terminology
from clinic_app.core.terminology.package import FILE_NAME, load_terminology, shipped_path
from clinic_app.errors import TerminologyError
from clinic_app.i18n import translate

ROLLBACK_FILE = "rollback.json"


class TerminologySource(StrEnum):
    SHIPPED = "shipped"
    SITE = "site"


def site_terminology_dir(settings: Settings) -> Path:
    """The site models folder (as ``models add`` uses it) plus ``terminology``."""
    return (settings.models_dir or settings.store_dir / "models") / "terminology"


@dataclass(frozen=True)
class Rollback:
    """IT's recorded decision to use an older site package over one shipped version."""

    sha256: str
    version: str
    over: str  # the shipped version it was forced over
    by: str
    at: str
    reason: str


@dataclass(frozen=True)
class TerminologyChoice:
    """The package in use, where it came from, and why (shown by status and self-test)."""

    terminology: Terminology
    source: TerminologySource
    why: str
    shipped_version: str
    site_version: str | None  # None: no site package installed
    rollback: Rollback | None  # the forced rollback in force, if any
    site_ignored: bool  # a site package exists but is not used (see ``why``)

    @property
    def version(self) -> str:
        return self.terminology.version


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=8)
def _load(path: Path, fingerprint: tuple[int, ...]) -> tuple[Terminology, str]:
    del fingerprint  # part of the cache key only: a replaced file is read again
    return load_terminology(path), _sha256(path)


def _stat_key(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_rollback(folder: Path) -> Rollback | None:
    path = folder / ROLLBACK_FILE
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return Rollback(*(str(doc[k]) for k in ("sha256", "version", "over", "by", "at", "reason")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable: no forced rollback is in force (the status says so)


def choose_terminology(folder: Path | None) -> TerminologyChoice:
    """The package to use from the shipped copy and the site copy in ``folder`` (if any).

    A site copy that fails verification raises :class:`TerminologyError`: never a silent
    fallback to the shipped one.
    """
    shipped_file = shipped_path()
    shipped, _ = _load(shipped_file, _stat_key(shipped_file))
    site_file = folder / FILE_NAME if folder is not None else None
    if site_file is None or not site_file.is_file():
        return TerminologyChoice(shipped, TerminologySource.SHIPPED, translate(
            "Terminology", "no site package is installed"), shipped.version, None, None, False)
    site, sha = _load(site_file, _stat_key(site_file))
    if version_is_newer(site.version, shipped.version):
        return TerminologyChoice(site, TerminologySource.SITE, translate(
            "Terminology", "the site package {site} is newer than the shipped {shipped}").format(
                site=site.version, shipped=shipped.version),
            shipped.version, site.version, None, False)
    forced = read_rollback(folder) if folder is not None else None
    if forced is not None and forced.sha256 == sha and forced.over == shipped.version:
        return TerminologyChoice(site, TerminologySource.SITE, translate(
            "Terminology", "IT forced the site package {site} over the shipped {shipped} ({by}, {at}): "
                "{reason}").format(site=site.version, shipped=shipped.version, by=forced.by,
                                   at=forced.at, reason=forced.reason),
            shipped.version, site.version, forced, False)
    return TerminologyChoice(shipped, TerminologySource.SHIPPED, translate(
        "Terminology", "the site package {site} is not newer than the shipped {shipped} and no forced "
            "rollback covers it, so it is not used; install a newer one, or force this one "
            "with 'clinic-app terminology install FILE --allow-older --reason TEXT'").format(
            site=site.version, shipped=shipped.version),
        shipped.version, site.version, None, True)


def active_terminology(models_dir: Path | None = None) -> Terminology:
    """The package in use for a site models folder (None: the shipped one)."""
    return choose_terminology(models_dir / "terminology" if models_dir is not None else None).terminology


@dataclass(frozen=True)
class Installed:
    """What ``install`` did: the check that allowed it and the choice now in force."""

    check: UpdateCheck
    sha256: str
    choice: TerminologyChoice


def check_candidate(folder: Path, source: Path, *, allow_older: bool,
                    reason: str) -> tuple[Terminology, UpdateCheck]:
    """Verify ``source`` against the trust store and apply the update rule against the
    newer of the copy in use and the shipped one (a forced older site copy does not make
    an install below the shipped version an ordinary update)."""
    candidate = load_terminology(source)
    shipped = choose_terminology(None).version
    try:
        in_use = choose_terminology(folder).version
    except TerminologyError:  # the site copy is damaged: replacing it is the cure
        in_use = shipped
    baseline = in_use if version_is_newer(in_use, shipped) else shipped
    return candidate, check_update(candidate.version, baseline, allow_older=allow_older,
                                   reason=reason)


def install(folder: Path, source: Path, check: UpdateCheck, *, user: str,
            when_iso: str | None = None, reason: str = "") -> Installed:
    """Copy a verified package into ``folder`` atomically, recording a forced rollback.

    The rollback record names the new file's hash, so it covers exactly this file; it is
    written before the package is swapped in and removed before an ordinary update, so a
    crash in between never makes an older package count as forced.
    """
    if not check.allowed:
        raise TerminologyError(check.refusal(translate("Terminology", "Terminology package"),
                                             "--allow-older --reason TEXT"))
    data = source.read_bytes()
    if load_terminology(source).version != check.candidate:
        raise TerminologyError(translate("Terminology", "{name} changed while it was being installed; "
                                             "try again.").format(name=source.name))
    sha = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ROLLBACK_FILE
    shipped_version = choose_terminology(None).version
    if not version_is_newer(check.candidate, shipped_version):  # forced (check.allowed)
        record = {"sha256": sha, "version": check.candidate, "over": shipped_version,
                  "by": user, "at": when_iso or "", "reason": reason.strip()}
        _write_atomic(marker, json.dumps(record, indent=1).encode("utf-8"))
    elif marker.exists():
        marker.unlink()
    _write_atomic(folder / FILE_NAME, data)
    choice = choose_terminology(folder)
    if choice.source is not TerminologySource.SITE or choice.version != check.candidate:
        raise TerminologyError(translate("Terminology", "The terminology package was copied but is not in "
                                             "use: {why}").format(why=choice.why))
    return Installed(check, sha, choice)


def _write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.partial")
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = [
    "ROLLBACK_FILE",
    "Installed",
    "Rollback",
    "TerminologyChoice",
    "TerminologySource",
    "active_terminology",
    "check_candidate",
    "choose_terminology",
    "install",
    "read_rollback",
    "site_terminology_dir",
]
