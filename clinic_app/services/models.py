"""Model packages for users: list, verify (hashes, trust, test vectors), add, and sessions.

Two ways in:

* with a logged-in session (GUI, ``--user``): permission-checked, approvals from the
  system store apply, and every refused package is audited as a security alert (once per
  package state per process, so a refused package does not flood the log);
* without a store (``clinic-app models list|verify`` with no ``--user``,
  ``score --inputs``): :func:`offline_registry` - shipped and site packages under site
  policy only, nothing audited because there is no audit log to write to.

The provider reported is always the one the session actually got.

An admin can **disable** any package by id (``disable``/``enable``, MODELS_MANAGE,
audited): the mark lives in the system store, so it applies to every path that logs in
(GUI, ``--user``): the package is listed as "disabled by <admin> at <time>" and every
load is refused with that message. The offline paths cannot read the store and do not
see it (docs/models.md, *Enabling and disabling*).
"""

from __future__ import annotations

import builtins
import json
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.core.inference import approvals as approvals_db
from clinic_app.core.inference.imaging_spec import is_imaging, parse_imaging_spec
from clinic_app.core.inference.package import PackageRefused, TrustPolicy, read_package
from clinic_app.core.inference.registry import (
    ModelRegistry,
    RegistryScan,
)
from clinic_app.core.inference.runtime import ModelSession, RuntimeOptions
from clinic_app.core.inference.update_rule import check_update
from clinic_app.core.security.roles import Permission
from clinic_app.errors import InvalidInput, ModelError
from clinic_app.i18n import translate
from clinic_app.services.model_catalog import ModelCatalog as ModelCatalog
from clinic_app.services.model_catalog import ModelInfo as ModelInfo
from clinic_app.services.model_catalog import ModelStatus as ModelStatus
from clinic_app.services.model_catalog import VerifyReport as VerifyReport
from clinic_app.services.model_catalog import disabled_info, package_info
from clinic_app.services.model_catalog import offline_registry as offline_registry
from clinic_app.services.model_catalog import site_models_dir as site_models_dir

if TYPE_CHECKING:
    # the context pulls in the store's parts; a calculator call needs none
    from clinic_app.services.context import ServiceContext
    from clinic_app.services.session import Session


class ModelService:
    """Model packages through the service gate (permissions, audit, admin approvals)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.options = RuntimeOptions(gpu_preference=ctx.settings.gpu_preference)
        self._catalogs: dict[tuple[frozenset[str], frozenset[approvals_db.Disabled]],
                             ModelCatalog] = {}
        self._audited: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    @property
    def site_dir(self) -> Path:
        return site_models_dir(self.ctx.settings)

    def _catalog(self, session: Session) -> ModelCatalog:
        """The catalogue under site policy plus the admin approvals and disabled marks.

        Both are read from the system store on every call, so a change made elsewhere
        (the CLI, another workstation session) applies at the next use here.
        """
        assert session.system is not None
        approved = frozenset(a.manifest_sha256 for a in approvals_db.approvals(session.system))
        disabled = approvals_db.disabled(session.system)
        key = (approved, frozenset(disabled.values()))
        with self._lock:
            cat = self._catalogs.get(key)
            if cat is None:
                policy = TrustPolicy(self.ctx.settings.allow_unsigned_models, approved)
                cat = ModelCatalog(ModelRegistry.default(self.site_dir, policy, disabled),
                                   self.options)
                # Approvals or disabled marks changed: the old sessions are dropped.
                self._catalogs = {key: cat}
            return cat

    def _audit_refusals(self, session: Session, scan: RegistryScan) -> None:
        """Refusals, and unsigned packages admitted only by site policy, audited once each."""
        from clinic_app.core.security.audit import EventCode, Outcome

        for pkg in scan.available:
            key = (pkg.manifest.sha256, "site-policy")
            if pkg.trust.kind != "site-policy" or key in self._audited:
                continue
            self._audited.add(key)
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.unsigned_in_use",
                           outcome=Outcome.MINOR_FAILURE, object=pkg.manifest.id,
                           detail={"version": pkg.manifest.version, "origin": pkg.origin,
                                   "manifest_sha256": pkg.manifest.sha256,
                                   "policy": "allow_unsigned_models"})
        for r in scan.refused:
            key = (r.manifest_sha256 or str(r.path), r.reason)
            if key in self._audited:
                continue
            self._audited.add(key)
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.refused",
                           outcome=Outcome.SERIOUS_FAILURE, object=r.package_id or r.path.name,
                           detail={"reason": r.reason, "origin": r.origin,
                                   "manifest_sha256": r.manifest_sha256})

    def scan(self, session: Session) -> RegistryScan:
        """Current packages; refusals audited."""
        self.ctx.begin(session, Permission.MODELS_LIST)
        return self._scan(session)

    def catalog(self, session: Session) -> ModelCatalog:
        """The verified catalogue (sessions by package id)."""
        self.ctx.begin(session, Permission.MODELS_LIST)
        return self._catalog(session)

    # Internals for another service's gated action (risk, imaging, evaluation): that action
    # passed its own gate and writes its one entry; these never reach the UI or the CLI.
    def ungated_scan(self, session: Session) -> RegistryScan:
        return self._scan(session)

    def ungated_catalog(self, session: Session) -> ModelCatalog:
        return self._catalog(session)

    def ungated_session_for(self, session: Session, package_id: str) -> ModelSession:
        try:
            return self._catalog(session).session(package_id)
        except ModelError:
            self._scan(session)  # audits the refusal
            raise

    def _scan(self, session: Session) -> RegistryScan:
        cat = self._catalog(session)
        scan = cat.registry.scan()
        self._audit_refusals(session, scan)
        return scan

    def loaded(self) -> list[ModelSession]:
        """Model sessions built so far in this process, with the provider each really got.

        No session or permission: it names models and hardware, never data (the status
        bar and the About box show it, also to the admin).
        """
        with self._lock:
            catalogs = list(self._catalogs.values())
        return [s for cat in catalogs for s in cat.cache.loaded()]

    def list(self, session: Session) -> list[ModelInfo]:
        from clinic_app.core.security.audit import EventCode

        self.ctx.begin(session, Permission.MODELS_LIST)
        scan = self._scan(session)
        rows = self._catalog(session).infos(scan)
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "models.list",
                       detail={"available": len(scan.available), "refused": len(scan.refused)})
        return rows

    def verify(self, session: Session,
               package_id: str | None = None) -> builtins.list[VerifyReport]:
        from clinic_app.core.security.audit import EventCode, Outcome

        self.ctx.begin(session, Permission.MODELS_LIST)
        scan = self._scan(session)
        reports = self._catalog(session).verify(scan, package_id)
        failed = [r.id for r in reports if not r.ok]
        self.ctx.audit(session, EventCode.SECURITY_ALERT if failed else EventCode.APPLICATION_ACTIVITY,
                       "models.verify", outcome=Outcome.SERIOUS_FAILURE if failed else Outcome.SUCCESS,
                       object=package_id or "", detail={"checked": len(reports), "failed": failed})
        return reports

    def session_for(self, session: Session, package_id: str) -> ModelSession:
        """A verified session for another service (risk scoring, imaging analysis)."""
        self.ctx.begin(session, Permission.MODELS_LIST, object=package_id)
        return self.ungated_session_for(session, package_id)

    def add(self, session: Session, path: Path, *, allow_unsigned: bool = False,
            reason: str = "", allow_older: bool = False) -> ModelInfo:
        """Verify a package folder and copy it into the site models folder (admin).

        An unsigned package is refused unless ``allow_unsigned`` is given, which records an
        approval of exactly this package (its manifest hash) in the system store, audited.
        A package whose id is installed replaces it only when its version is newer; an older
        or equal version (a rollback, which could bring back a withdrawn model) is refused
        unless ``allow_older`` is given with a reason, audited as a security event.
        """
        from clinic_app.core.security.audit import EventCode, Outcome

        self.ctx.begin(session, Permission.MODELS_MANAGE, object=path.name)
        assert session.system is not None
        base = self._catalog(session).registry
        source = path.expanduser()
        try:
            contents = read_package(source, base.trust, TrustPolicy(allow_unsigned=True))
        except PackageRefused as exc:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.add",
                           outcome=Outcome.SERIOUS_FAILURE, object=source.name,
                           detail={"reason": exc.reason})
            raise
        m = contents.manifest
        if is_imaging(m):
            # Settings the pipeline cannot honour are refused here, naming the field, not at
            # the first study a radiologist analyses with it.
            try:
                parse_imaging_spec(m)
            except ModelError:
                self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "models.add",
                               outcome=Outcome.MINOR_FAILURE, object=m.id,
                               detail={"reason": "unusable imaging settings"})
                raise
        if contents.trust.kind == "site-policy" and not allow_unsigned \
                and not self.ctx.settings.allow_unsigned_models:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.add",
                           outcome=Outcome.MINOR_FAILURE, object=m.id,
                           detail={"reason": "unsigned", "manifest_sha256": m.sha256})
            raise ModelError(translate("services", "Model package {id!r} is unsigned. Re-run with "
                                                   "--allow-unsigned to approve exactly this package "
                                                   "(recorded in the audit log).").format(id=m.id))
        scan = base.scan()
        if any(p.manifest.id == m.id for p in scan.available if p.origin == "shipped"):
            raise ModelError(translate("services", "Model id {id!r} belongs to a package shipped with the "
                                                   "app; a site package cannot replace it. Give the package "
                                                   "a different id.").format(id=m.id))
        target = self.site_dir / m.id
        replaced = installed_version(target) if target.exists() else None
        update = check_update(m.version, replaced, allow_older=allow_older, reason=reason)
        if not update.allowed:
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.add", outcome=Outcome.MINOR_FAILURE,
                           object=m.id, detail={"reason": "not newer", "version": m.version,
                                                "installed": replaced})
            raise ModelError(
                update.refusal(
                    translate("services", "Model package {id!r}").format(id=m.id),
                    translate("services", "--allow-older --reason TEXT"),
                )
            )
        self.site_dir.mkdir(parents=True, exist_ok=True)
        staging = self.site_dir / f".{m.id}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            (staging / "manifest.json").write_bytes(contents.manifest_bytes)
            for relpath, data in contents.files.items():  # the verified bytes, not a re-read
                dest = staging / relpath
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
            with session.system.transaction():
                if contents.trust.kind == "site-policy" and allow_unsigned:
                    approvals_db.approve(session.system, m.sha256, m.id, m.version,
                                         session.username, self.ctx.clock(),
                                         reason or "approved with models add --allow-unsigned")
                if replaced is not None:  # swap in place: the old folder goes only once the new is there
                    retired = self.site_dir / f".{m.id}.replaced"
                    shutil.rmtree(retired, ignore_errors=True)
                    target.rename(retired)
                    staging.rename(target)
                    shutil.rmtree(retired, ignore_errors=True)
                else:
                    staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        rollback = update.rollback
        self.ctx.audit(session, EventCode.SECURITY_ALERT if allow_unsigned or rollback else
                       EventCode.APPLICATION_ACTIVITY, "models.add", object=m.id,
                       detail={"version": m.version, "manifest_sha256": m.sha256,
                               "replaced": replaced, "rollback_reason": reason if rollback else "",
                               "trust": "approved-unsigned" if contents.trust.kind == "site-policy"
                               else contents.trust.kind})
        cat = self._catalog(session)
        scan = cat.registry.scan()
        off = next((d for d in scan.disabled if d.package.manifest.id == m.id), None)
        if off is not None:  # the admin disabled this id earlier: installed, still off
            return disabled_info(off)
        pkg = scan.find(m.id)
        if pkg is None:
            raise ModelError(translate("services", "Model package {id!r} was copied but does not load; run "
                                                   "'clinic-app models list' for the reason.").format(id=m.id))
        return package_info(pkg, cat.session(m.id).provider, "")

    def disable(self, session: Session, package_id: str, *, reason: str = "") -> ModelInfo | None:
        """Switch a package off by id (admin): listed, never loaded, until enabled again.

        Any installed id may be disabled, whatever its trust (a shipped, pinned model too)
        and even while it is refused. Audited as a security event.
        """
        from clinic_app.core.security.audit import EventCode

        self.ctx.begin(session, Permission.MODELS_MANAGE, object=package_id)
        assert session.system is not None
        scan = self._catalog(session).registry.scan()
        installed = {p.manifest.id: p for p in scan.available} | \
            {d.package.manifest.id: d.package for d in scan.disabled}
        refused = {r.package_id: r for r in scan.refused if r.package_id}
        if package_id not in installed and package_id not in refused:
            raise InvalidInput(translate("services", "No model package with id {package_id!r} is installed; "
                                                     "'clinic-app models list' shows the ids.").format(
                                   package_id=package_id))
        pkg = installed.get(package_id)
        version = pkg.manifest.version if pkg else refused[package_id].version
        sha = pkg.manifest.sha256 if pkg else refused[package_id].manifest_sha256
        with session.system.transaction():
            approvals_db.disable(session.system, package_id, session.username, self.ctx.clock(),
                                 reason.strip())
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.disable", object=package_id,
                           detail={"version": version, "manifest_sha256": sha,
                                   "reason_given": bool(reason.strip())})
        return self._row(session, package_id)

    def enable(self, session: Session, package_id: str) -> ModelInfo | None:
        """Remove an admin's disabled mark (admin, audited); the row as now listed, if any.

        An id no longer installed can be enabled too, to clear a stale mark.
        """
        from clinic_app.core.security.audit import EventCode

        self.ctx.begin(session, Permission.MODELS_MANAGE, object=package_id)
        assert session.system is not None
        if package_id not in approvals_db.disabled(session.system):
            raise InvalidInput(translate("services", "Model {package_id!r} is not disabled; reload the list.").format(
                                   package_id=package_id))
        with session.system.transaction():
            approvals_db.enable(session.system, package_id)
            self.ctx.audit(session, EventCode.SECURITY_ALERT, "models.enable", object=package_id)
        return self._row(session, package_id)

    def _row(self, session: Session, package_id: str) -> ModelInfo | None:
        cat = self._catalog(session)
        rows = [r for r in cat.infos(cat.registry.scan(), load=False) if r.id == package_id]
        return rows[0] if rows else None


def installed_version(folder: Path) -> str:
    """The version in an installed package's manifest ("" when unreadable: never newer)."""
    try:
        return str(json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("version", ""))
    except (OSError, ValueError, AttributeError):
        return ""
