"""The model registry: which packages exist, which are usable, and why the others are not.

Packages come from two roots: the app's shipped ``models/`` folder and the site models
folder IT configures (``Settings.models_dir``). Every scan re-verifies from disk, so a
file swapped while the app runs is caught at the next scan or load. A refused package
is never silently skipped: it is listed with its reason (the services audit it). A
package an admin disabled (``approvals.Disabled``, by id) verifies as usual but is listed
apart and :meth:`ModelRegistry.load` refuses it, so no path can run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from clinic_app.core.inference.approvals import Disabled
from clinic_app.core.inference.manifest import MANIFEST_NAME, Manifest
from clinic_app.core.inference.package import (
    PackageContents,
    PackageRefused,
    TrustDecision,
    TrustPolicy,
    TrustStore,
    read_package,
)
from clinic_app.errors import ModelError


def app_root() -> Path:
    """Folder holding ``models/`` and ``resources/``: the bundle when frozen, else the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[3]


def shipped_models_dir() -> Path:
    return app_root() / "models"


def trust_dir() -> Path:
    return app_root() / "resources" / "trust"


@dataclass(frozen=True)
class PackageRoot:
    path: Path
    origin: str  # shipped | site


@dataclass(frozen=True)
class AvailablePackage:
    """A package that passed every check at scan time (bytes are not kept)."""

    manifest: Manifest
    path: Path
    origin: str
    trust: TrustDecision


@dataclass(frozen=True)
class RefusedPackage:
    path: Path
    origin: str
    reason: str  # short code: hash-mismatch, bad-signature, unsigned, custom-op, ...
    message: str
    package_id: str = ""
    version: str = ""
    manifest_sha256: str = ""  # when the manifest parsed (admins approve by this)


@dataclass(frozen=True)
class DisabledPackage:
    """A package that verified but an admin switched off: listed, never loaded."""

    package: AvailablePackage
    mark: Disabled


@dataclass(frozen=True)
class RegistryScan:
    available: tuple[AvailablePackage, ...]
    refused: tuple[RefusedPackage, ...]
    disabled: tuple[DisabledPackage, ...] = ()

    def find(self, package_id: str) -> AvailablePackage | None:
        return next((p for p in self.available if p.manifest.id == package_id), None)

    def why_unusable(self, package_id: str) -> str | None:
        """Why an installed ``package_id`` is not in ``available`` (an admin disabled it,
        or it was refused); None when no package has this id.

        For the refusal messages of services that take a model id from the user.
        """
        off = next((d for d in self.disabled if d.package.manifest.id == package_id), None)
        if off is not None:
            return disabled_message(off.mark)
        refused = next((r for r in self.refused if r.package_id == package_id), None)
        if refused is not None:
            return f"model {package_id!r} was refused: {refused.message}"
        return None


def disabled_message(mark: Disabled) -> str:
    """The one wording of "this model is switched off", for every path that refuses it."""
    reason = f" ({mark.reason})" if mark.reason else ""
    return (f"model {mark.package_id!r} is {mark.describe()}{reason}; an admin can enable it "
            f"again (admin workspace → Models, or 'clinic-app models enable {mark.package_id}')")


class ModelRegistry:
    """Discovers and verifies packages under the given roots with one trust store and policy."""

    def __init__(self, roots: Sequence[PackageRoot], trust: TrustStore,
                 policy: TrustPolicy | None = None,
                 disabled: Mapping[str, Disabled] | None = None) -> None:
        self.roots = tuple(roots)
        self.trust = trust
        self.policy = policy or TrustPolicy()
        self.disabled: Mapping[str, Disabled] = dict(disabled or {})
        # Scan results per folder, reused while no file in it changed (size, mtime, inode):
        # listing a large imaging package must not re-hash it every time. load() always
        # re-reads and re-verifies, so this cache never decides what runs.
        self._scanned: dict[Path, tuple[tuple[object, ...], AvailablePackage | RefusedPackage]] = {}

    @classmethod
    def default(cls, site_dir: Path | None, policy: TrustPolicy | None = None,
                disabled: Mapping[str, Disabled] | None = None) -> ModelRegistry:
        roots = [PackageRoot(shipped_models_dir(), "shipped")]
        if site_dir is not None:
            roots.append(PackageRoot(site_dir, "site"))
        return cls(roots, TrustStore.from_dir(trust_dir()), policy, disabled)

    def candidates(self) -> list[tuple[Path, str]]:
        """Folders holding a manifest.json, one level below each root, in a stable order."""
        found: list[tuple[Path, str]] = []
        for root in self.roots:
            if not root.path.is_dir():
                continue
            for child in sorted(root.path.iterdir()):
                if (child / MANIFEST_NAME).exists() or (child.is_symlink() and child.is_dir()):
                    found.append((child, root.origin))
        return found

    def scan(self) -> RegistryScan:
        available: list[AvailablePackage] = []
        refused: list[RefusedPackage] = []
        switched_off: list[DisabledPackage] = []
        taken: dict[str, AvailablePackage] = {}
        for path, origin in self.candidates():
            outcome = self._scan_one(path, origin)
            if isinstance(outcome, RefusedPackage):
                refused.append(outcome)
                continue
            manifest = outcome.manifest
            clash = taken.get(manifest.id)
            if clash is not None:
                refused.append(RefusedPackage(
                    path, origin, "duplicate-id",
                    f"model package {path.name!r}: id {manifest.id!r} is already provided by "
                    f"{clash.path.name!r} ({clash.origin}); remove one of them.",
                    manifest.id, manifest.version, manifest.sha256))
                continue
            taken[manifest.id] = outcome
            mark = self.disabled.get(manifest.id)
            if mark is not None:
                switched_off.append(DisabledPackage(outcome, mark))
            else:
                available.append(outcome)
        return RegistryScan(tuple(available), tuple(refused), tuple(switched_off))

    def _scan_one(self, path: Path, origin: str) -> AvailablePackage | RefusedPackage:
        stamp = (origin, _fingerprint(path))
        cached = self._scanned.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        outcome: AvailablePackage | RefusedPackage
        try:
            contents = read_package(path, self.trust, self.policy)
            outcome = AvailablePackage(contents.manifest, path, origin, contents.trust)
        except PackageRefused as exc:
            outcome = _refusal(path, origin, exc)
        self._scanned[path] = (stamp, outcome)
        return outcome

    def refuse_if_disabled(self, package_id: str) -> None:
        mark = self.disabled.get(package_id)
        if mark is not None:
            raise ModelError(f"Refused: {disabled_message(mark)}.")

    def stamp(self, package_id: str) -> tuple[object, ...]:
        """What must stay the same for bytes verified earlier to be what :meth:`load`
        would verify now: for every candidate folder carrying this id, its path and the
        name, size, mtime (ns), inode and mode of everything in it, and the SHA-256 of its
        manifest. Cheap (stat calls and one small read per package); empty if no package
        has this id. A caller that kept verified bytes (or a session built from them)
        re-verifies when the stamp changes, and otherwise keeps using the bytes it
        verified: never bytes it did not.
        """
        parts: list[object] = []
        for path, origin in self.candidates():
            try:
                raw = (path / MANIFEST_NAME).read_bytes()
            except OSError:
                continue
            if _id_of(raw) != package_id:
                continue
            parts.append((str(path), origin, hashlib.sha256(raw).hexdigest(), _fingerprint(path)))
        return tuple(parts)

    def load(self, package_id: str) -> PackageContents:
        """Verified bytes of one package, read now (so a file swapped since the scan is caught).

        Same rule as :meth:`scan`: the first candidate with this id that verifies wins. A
        disabled id is refused before anything is read.
        """
        self.refuse_if_disabled(package_id)
        refusal: PackageRefused | None = None
        for path, _origin in self.candidates():
            if _peek_id(path) != package_id:
                continue
            try:
                contents = read_package(path, self.trust, self.policy)
            except PackageRefused as exc:
                refusal = exc
                continue
            if contents.manifest.id == package_id:
                return contents
        if refusal is not None:
            raise ModelError(f"Model {package_id!r} was refused: {refusal}")
        raise ModelError(f"No usable model package with id {package_id!r}; "
                         "run 'clinic-app models list' to see what is installed.")


def _fingerprint(folder: Path) -> tuple[object, ...]:
    """Names, sizes, mtimes, change times, inodes and modes of everything below ``folder``
    (links not followed). The change time (POSIX ctime) moves on every write and on every
    ``utime``, so content rewritten in place with its size and mtime put back still
    changes the fingerprint."""
    entries: list[tuple[str, int, int, int, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            entries.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns,
                            st.st_ctime_ns, st.st_ino, st.st_mode))
    return tuple(sorted(entries))


def _peek_id(path: Path) -> str:
    """Best-effort id of a refused package, for messages only (never trusted)."""
    try:
        return _id_of((path / MANIFEST_NAME).read_bytes())
    except OSError:
        return ""


def _id_of(manifest: bytes) -> str:
    """The ``id`` a manifest claims (unverified: for finding candidates and messages)."""
    try:
        data = json.loads(manifest[: 1 << 20])
    except ValueError:
        return ""
    return str(data.get("id", "")) if isinstance(data, dict) else ""


def _refusal(path: Path, origin: str, exc: PackageRefused) -> RefusedPackage:
    from clinic_app.core.inference.manifest import parse_manifest

    package_id = version = sha = ""
    try:
        manifest = parse_manifest((path / MANIFEST_NAME).read_bytes(), where=path.name)
        package_id, version, sha = manifest.id, manifest.version, manifest.sha256
    except (OSError, ModelError):
        package_id = _peek_id(path)
    return RefusedPackage(path, origin, exc.reason, str(exc), package_id, version, sha)
