"""The model catalogue: verified sessions kept while a package is unchanged, and what
``models list``/``models verify`` report for each package.

Kept apart from ``models`` (the service gate: permissions, audit, approvals) because
the offline CLI paths and the risk calculator use the catalogue with no store and no
service at all (:func:`offline_registry`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.config import Settings
from clinic_app.core.inference import approvals as approvals_db
from clinic_app.core.inference.imaging_spec import is_imaging
from clinic_app.core.inference.package import TrustPolicy
from clinic_app.core.inference.registry import (
    AvailablePackage,
    DisabledPackage,
    ModelRegistry,
    RefusedPackage,
    RegistryScan,
)
from clinic_app.core.inference.risk import RiskModel, VectorCheck
from clinic_app.core.inference.runtime import ModelSession, RuntimeOptions, SessionCache
from clinic_app.errors import InvalidInput, ModelError
from clinic_app.i18n import translate

if TYPE_CHECKING:
    # the context pulls in the store's parts; a calculator call needs none
    pass


def site_models_dir(settings: Settings) -> Path:
    """Where IT's packages live: ``models_dir`` if set, else ``<store>/models``."""
    return settings.models_dir or settings.store_dir / "models"


def offline_registry(settings: Settings) -> ModelRegistry:
    """The registry under site policy alone (no admin approvals: they live in the store)."""
    return ModelRegistry.default(site_models_dir(settings),
                                 TrustPolicy(allow_unsigned=settings.allow_unsigned_models))


class ModelStatus(StrEnum):
    """Whether a listed package can run (a ``str``: JSON and comparisons keep the text)."""

    OK = "ok"
    REFUSED = "refused"
    DISABLED = "disabled"


@dataclass(frozen=True)
class ModelInfo:
    """One row of ``models list``."""

    id: str
    version: str
    name: str
    task: str
    demo: bool
    origin: str
    trust: str
    status: ModelStatus
    provider: str  # provider a session runs on ("" until loaded / when refused or disabled)
    reason: str = ""
    path: str = ""
    manifest_sha256: str = ""
    disabled: str = ""  # "disabled by <admin> at <time>" (also on a refused package), else ""
    disabled_reason: str = ""


@dataclass(frozen=True)
class VerifyReport:
    id: str
    version: str
    ok: bool
    trust: str
    provider: str
    checks: tuple[VectorCheck, ...]
    error: str = ""
    skipped: bool = False  # disabled by an admin: not loaded, so nothing was run


class ModelCatalog:
    """Registry scans, cached sessions and reports over one registry (used with or without a store).

    A session is kept per package id together with the registry's :meth:`stamp
    <ModelRegistry.stamp>` taken before its bytes were read and verified. While the
    stamp is unchanged (same folders, names, sizes, mtimes, inodes, manifest hash) the
    session is reused without re-reading or re-hashing the package; any change, and
    every ``fresh`` request (``models verify``), reads and verifies again. A session is
    only ever built from bytes that were verified.
    """

    def __init__(self, registry: ModelRegistry, options: RuntimeOptions) -> None:
        self.registry = registry
        self.cache = SessionCache(options)
        self._verified: dict[str, tuple[tuple[object, ...], ModelSession]] = {}
        self._lock = threading.Lock()

    def session(self, package_id: str, *, fresh: bool = False) -> ModelSession:
        """The session for the package's verified bytes; re-verified when anything changed."""
        self.registry.refuse_if_disabled(package_id)
        stamp = self.registry.stamp(package_id)
        with self._lock:
            hit = self._verified.get(package_id)
        if hit is not None and not fresh and stamp and hit[0] == stamp:
            return hit[1]
        try:
            session = self.cache.get(self.registry.load(package_id))
        except ModelError:
            with self._lock:
                self._verified.pop(package_id, None)
            raise
        with self._lock:
            old = self._verified.get(package_id)
            self._verified[package_id] = (stamp, session)
        if old is not None and old[1] is not session:  # a changed package: drop its old session
            self.cache.discard(old[1].manifest.sha256)
        return session

    def risk_model(self, package_id: str) -> RiskModel:
        return RiskModel(self.session(package_id))

    def infos(self, scan: RegistryScan, *, load: bool = True) -> list[ModelInfo]:
        rows = []
        for pkg in scan.available:
            provider = ""
            reason = ""
            if load:
                try:
                    provider = self.session(pkg.manifest.id).provider
                except ModelError as exc:
                    reason = str(exc)
            rows.append(package_info(pkg, provider, reason))
        rows.extend(disabled_info(d) for d in scan.disabled)
        rows.extend(refused_info(r, self.registry.disabled.get(r.package_id))
                    for r in scan.refused)
        return rows

    def verify(self, scan: RegistryScan, package_id: str | None = None) -> list[VerifyReport]:
        reports = []
        targets = [p for p in scan.available if package_id in (None, p.manifest.id)]
        for refused in scan.refused:
            if package_id in (None, refused.package_id):
                reports.append(VerifyReport(refused.package_id or refused.path.name, refused.version,
                                            False, "refused", "", (), refused.message))
        for off in scan.disabled:
            m = off.package.manifest
            if package_id in (None, m.id):
                reports.append(VerifyReport(m.id, m.version, True, off.package.trust.description,
                                            "", (), f"not checked: {off.mark.describe()}",
                                            skipped=True))
        if package_id is not None and not targets and not reports:
            raise InvalidInput(translate("services", "No model package with id {package_id!r}; run "
                                                     "'clinic-app models list' to see what is installed.").format(
                                   package_id=package_id))
        # Imported here: the imaging runner pulls in OpenCV, which scoring never needs.
        from clinic_app.core.inference.imaging_vectors import check_imaging_vectors

        for pkg in targets:
            try:
                session = self.session(pkg.manifest.id, fresh=True)
                checks = (tuple(RiskModel(session).check_vectors())
                          if pkg.manifest.task == "risk-score" else
                          tuple(check_imaging_vectors(session))
                          if is_imaging(pkg.manifest) else ())
                reports.append(VerifyReport(pkg.manifest.id, pkg.manifest.version,
                                            all(c.ok for c in checks), pkg.trust.description,
                                            session.provider, checks))
            except ModelError as exc:
                reports.append(VerifyReport(pkg.manifest.id, pkg.manifest.version, False,
                                            pkg.trust.description, "", (), str(exc)))
        return reports


def package_info(pkg: AvailablePackage, provider: str, reason: str) -> ModelInfo:
    m = pkg.manifest
    return ModelInfo(m.id, m.version, m.name, m.task, m.demo, pkg.origin, pkg.trust.description,
                     ModelStatus.REFUSED if reason else ModelStatus.OK, provider, reason,
                     str(pkg.path), m.sha256)


def disabled_info(d: DisabledPackage) -> ModelInfo:
    pkg, m = d.package, d.package.manifest
    return ModelInfo(m.id, m.version, m.name, m.task, m.demo, pkg.origin, pkg.trust.description,
                     ModelStatus.DISABLED, "", "", str(pkg.path), m.sha256, d.mark.describe(),
                     d.mark.reason)


def refused_info(r: RefusedPackage, mark: approvals_db.Disabled | None = None) -> ModelInfo:
    return ModelInfo(r.package_id or r.path.name, r.version, "", "", False, r.origin, "-",
                     ModelStatus.REFUSED, "", r.message, str(r.path), r.manifest_sha256,
                     mark.describe() if mark else "", mark.reason if mark else "")
