"""Self-test item for models: every package the app would offer verifies and passes its vectors.

Uses the model registry (core/inference/registry.py): the same discovery, hash,
signature and trust-policy checks the app applies before a model may run, over the
shipped ``models/`` folder and the site ``models_dir``. A refused package is a FAIL with
its reason; a folder with no packages at all is a FAIL too, because a clinical install
without its models is broken, not "fine". An unsigned site package is a SKIP: whether an
admin approved it is recorded in the encrypted store, which the self-test cannot open.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from clinic_app.config import Settings
from clinic_app.core.inference.package import PackageContents, TrustPolicy
from clinic_app.core.inference.registry import ModelRegistry, shipped_models_dir
from clinic_app.selftest import CheckResult, CheckStatus


def check_models(settings: Settings, gpu_preference: str) -> list[CheckResult]:
    started = time.perf_counter()
    registry = ModelRegistry.default(settings.models_dir,
                                     TrustPolicy(allow_unsigned=settings.allow_unsigned_models))
    scan = registry.scan()
    items: list[CheckResult] = []
    for refused in scan.refused:
        label = refused.package_id or refused.path.name
        if refused.reason == "unsigned" and refused.origin == "site":
            # Admin approvals live in the encrypted store, which needs a login to read.
            items.append(CheckResult(f"model {label}", CheckStatus.SKIP, "unsigned site package: usable only "
                                     "if an admin approved it in the app (approvals are not "
                                     "readable without a login)"))
            continue
        items.append(CheckResult(f"model {label}", CheckStatus.FAIL,
                                 f"refused ({refused.origin}, {refused.reason}): {refused.message}"))
    for package in scan.available:
        items.append(_vectors_item(registry, package.manifest.id, package.origin,
                                   package.trust.description, gpu_preference))
    if not items:
        where = [str(shipped_models_dir())] + ([str(settings.models_dir)] if settings.models_dir else [])
        items.append(CheckResult("models", CheckStatus.FAIL, f"no model packages found in {', '.join(where)}; "
                                 "the installation is incomplete",
                                 time.perf_counter() - started))
    return items


def _vectors_item(registry: ModelRegistry, package_id: str, origin: str, trust: str,
                  gpu_preference: str) -> CheckResult:
    """Hash and signature passed in the scan; now the manifest's test vectors must pass."""
    started = time.perf_counter()
    contents = registry.load(package_id)  # re-read and re-verified, as the app does
    task = contents.manifest.task
    runner = VECTOR_RUNNERS.get(task)
    if runner is None:
        return CheckResult(f"model {package_id}", CheckStatus.FAIL,
                           f"{_verified(origin, trust)}; test vectors not "
                           f"run: no test-vector runner for task {task!r}",
                           time.perf_counter() - started)
    checks = runner(contents, gpu_preference)
    bad = [c for c in checks if not c.ok]
    status = CheckStatus.FAIL if bad or not checks else CheckStatus.PASS
    detail = (f"{_verified(origin, trust)}; "
              f"{len(checks) - len(bad)}/{len(checks)} test vectors pass")
    if bad:
        detail += ": " + "; ".join(f"{c.name}: {c.detail}" for c in bad[:3])
    return CheckResult(f"model {package_id}", status, detail, time.perf_counter() - started)


def _verified(origin: str, trust: str) -> str:
    where = "" if origin == "shipped" else f", from the {origin} models folder"
    return f"files match their hashes, {trust}{where}"


class _VectorCheck(Protocol):
    """What both kinds of test vector report (read-only: the checks are frozen dataclasses)."""

    @property
    def name(self) -> str: ...
    @property
    def ok(self) -> bool: ...
    @property
    def detail(self) -> str: ...


def _risk_vectors(contents: PackageContents, gpu_preference: str) -> Sequence[_VectorCheck]:
    from clinic_app.core.inference.risk import RiskModel
    from clinic_app.core.inference.runtime import RuntimeOptions, create_session

    session = create_session(contents, RuntimeOptions(gpu_preference=gpu_preference))
    return RiskModel(session).check_vectors()


def _imaging_vectors(contents: PackageContents, gpu_preference: str) -> Sequence[_VectorCheck]:
    """The described phantom images through the imaging pipeline (what 'models verify' runs)."""
    from clinic_app.core.inference.imaging_vectors import check_imaging_vectors
    from clinic_app.core.inference.runtime import RuntimeOptions, create_session

    session = create_session(contents, RuntimeOptions(gpu_preference=gpu_preference))
    return check_imaging_vectors(session)


#: Manifest task -> function running that package's test vectors on the app's own code path.
VECTOR_RUNNERS: dict[str, Callable[[PackageContents, str], Sequence[_VectorCheck]]] = {
    "risk-score": _risk_vectors,
    "image-classification": _imaging_vectors,
    "image-segmentation": _imaging_vectors,
}
