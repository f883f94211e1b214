"""``clinic-app --self-test``: what IT runs after installing, and what support asks for first.

Each item is PASS, FAIL or SKIP with one line saying what was checked or what is wrong;
the exit code is non-zero when anything failed. Items are independent: a broken config
still lets the codec and crypto checks run (on the built-in defaults), so one report
shows every problem at once. Nothing here reads or writes patient data: the samples are
synthetic, the crypto runs in a temporary folder, and the store is only probed for
writability with a temporary file.

:func:`run_checks` is the Qt-free API (the admin workspace's System information can show
the same list); the CLI front end is ``clinic_app/cli/self_test.py``.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from clinic_app import __version__
from clinic_app.config import Settings
from clinic_app.core import child_probe
from clinic_app.core.bundle import bundle_info
from clinic_app.errors import ClinicAppError


class CheckStatus(StrEnum):
    """A self-test item's verdict (the JSON report and the printed lines use the values)."""

    PASS = "PASS"  # noqa: S105 - a verdict, not a password
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: CheckStatus
    detail: str
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status == CheckStatus.FAIL


@dataclass(frozen=True)
class SelfTestReport:
    version: str
    bundle: dict[str, Any] | None
    platform: str
    items: tuple[CheckResult, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not any(item.failed for item in self.items)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.items if i.status == s) for s in CheckStatus}

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "version": self.version, "bundle": self.bundle,
                "platform": self.platform, "seconds": round(self.seconds, 3),
                "counts": self.counts(),
                "items": [{**asdict(i), "seconds": round(i.seconds, 3)} for i in self.items]}


# -- the checks ------------------------------------------------------------------------

def run_checks(settings: Settings, *, config_item: CheckResult | None = None,
               log_path_probe: Callable[[Settings], Path | None] | None = None) -> SelfTestReport:
    """Run every self-test item and return the report (no printing, no Qt in this process)."""
    started = time.perf_counter()
    info = bundle_info()
    gpu_preference = "cpu" if info and info.get("variant") == "cpu" else settings.gpu_preference
    # The two child-process probes take about a second each; run them while this process
    # does the in-process checks.
    with ThreadPoolExecutor(max_workers=3) as pool:
        qt_jobs = {name: pool.submit(_timed, child_probe.run_probe, "qt", env=env)
                   for name, env in _qt_targets()}
        ort_job = pool.submit(_timed, child_probe.run_probe, f"onnxruntime-{gpu_preference}")
        items: list[CheckResult] = []
        items.append(config_item or CheckResult("config", CheckStatus.PASS, "settings given by the caller"))
        items.append(_run("log folder", lambda: _check_log(settings, log_path_probe)))
        items.append(_run("store location", lambda: _check_store(settings)))
        items.append(_run("crypto", lambda: _check_crypto(settings)))
        items += _check_codecs()
        items += _check_models(settings, gpu_preference)
        items.append(_run("terminology", lambda: _check_terminology(settings)))
        for name, job in qt_jobs.items():
            items.append(_qt_item(name, job))
        from clinic_app.selftest.fonts import cjk_item  # it imports CheckResult from here

        items.append(cjk_item(qt_jobs.get("qt offscreen")))
        items.append(_ort_item(ort_job, gpu_preference, info))
    return SelfTestReport(__version__, info, _platform(), tuple(items),
                          time.perf_counter() - started)


def _platform() -> str:
    return f"{platform.system()} {platform.release()} {platform.machine()}, Python {platform.python_version()}"


def _timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    return function(*args, **kwargs), time.perf_counter() - started


def _run(name: str, check: Callable[[], tuple[CheckStatus, str]]) -> CheckResult:
    """Run one in-process check; any exception becomes a FAIL line, never a traceback."""
    started = time.perf_counter()
    try:
        status, detail = check()
    except (ClinicAppError, AssertionError) as exc:
        status, detail = CheckStatus.FAIL, str(exc)
    except Exception as exc:
        status, detail = CheckStatus.FAIL, f"{type(exc).__name__}: {str(exc)[:300]}"
    return CheckResult(name, status, detail, time.perf_counter() - started)


def _check_log(settings: Settings,
               probe: Callable[[Settings], Path | None] | None) -> tuple[CheckStatus, str]:
    folder = settings.effective_log_dir
    if probe is None:
        return _writable(folder, "log folder")
    path = probe(settings)
    if path is None:
        return CheckStatus.FAIL, f"cannot write the log in {folder}; fix its permissions or set log_dir"
    return CheckStatus.PASS, f"{path} (rotates at 5 MiB, 5 kept)"


def _check_store(settings: Settings) -> tuple[CheckStatus, str]:
    from clinic_app.core.store.layout import StoreLayout

    root = settings.store_dir
    status, detail = _writable(root, "store folder")
    if status != CheckStatus.PASS:
        return status, detail
    layout = StoreLayout(root)
    state = "store present" if layout.exists() else "no store yet (clinic-app init)"
    existing = root if root.exists() else _existing_parent(root)
    free = shutil.disk_usage(existing).free / 1024**3
    blobs = ""
    if layout.exists():
        from clinic_app.core.store.blob_gc import census

        counts = census(layout.blobs, now=time.time())
        blobs = f", {counts.blob_files} blob files ({counts.blob_bytes / 1e6:.0f} MB)"
        if counts.stale_temp_files:
            blobs += (f", {counts.stale_temp_files} leftovers of interrupted writes "
                      f"({counts.stale_temp_bytes / 1e6:.1f} MB: run 'clinic-app store gc'; a clinician's "
                      "run also finds blobs no record refers to)")
    return CheckStatus.PASS, f"{root} writable, {state}, {free:.1f} GiB free{blobs}"


def _writable(folder: Path, what: str) -> tuple[CheckStatus, str]:
    """Write, sync and delete a temporary file where the folder is (or would be created)."""
    target = folder if folder.is_dir() else _existing_parent(folder)
    if not target.is_dir():
        return CheckStatus.FAIL, f"{what} {folder}: {target} is not a folder"
    try:
        fd, name = tempfile.mkstemp(prefix=".clinic-app-selftest-", dir=target)
        try:
            os.write(fd, b"self-test")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as exc:
        return CheckStatus.FAIL, f"{what} {folder} is not writable ({exc.strerror or exc}); fix the " \
                     "permissions or change the setting"
    note = "" if folder.is_dir() else f" (will be created under {target})"
    return CheckStatus.PASS, f"{folder} writable{note}"


def _existing_parent(path: Path) -> Path:
    for parent in (path, *path.parents):
        if parent.exists():
            return parent
    return Path.cwd()


def _check_crypto(settings: Settings) -> tuple[CheckStatus, str]:
    from clinic_app.selftest.crypto_roundtrip import crypto_roundtrip

    return CheckStatus.PASS, crypto_roundtrip(settings)


def _check_codecs() -> list[CheckResult]:
    from clinic_app.selftest.dicom_samples import check_sample, load_samples

    started = time.perf_counter()
    try:
        samples = load_samples()
    except Exception as exc:
        return [CheckResult("dicom samples", CheckStatus.FAIL, f"built-in samples missing or unreadable "
                            f"({type(exc).__name__}); reinstall", time.perf_counter() - started)]
    items = []
    for sample in samples:
        started = time.perf_counter()
        outcomes = check_sample(sample)
        failed = [o for o in outcomes if o.fails]
        status = CheckStatus.FAIL if failed else CheckStatus.PASS
        notes = [o for o in outcomes if not o.ok and not o.fails]
        shown = failed or [o for o in outcomes if o.ok]
        detail = "; ".join(f"{o.plugin}: {o.detail}" for o in shown)
        if notes and not failed:
            detail += "; " + "; ".join(f"{o.plugin} (optional): {o.detail}" for o in notes)
        items.append(CheckResult(f"dicom {sample.file.removesuffix('.dcm')}", status,
                                 f"{sample.description}: {detail}", time.perf_counter() - started))
    return items


def _check_models(settings: Settings, gpu_preference: str) -> list[CheckResult]:
    started = time.perf_counter()
    try:
        from clinic_app.selftest.model_checks import check_models
    except ImportError as exc:
        return [CheckResult("models", CheckStatus.FAIL, f"model registry not available ({exc.name})",
                            time.perf_counter() - started)]
    try:
        return check_models(settings, gpu_preference)
    except Exception as exc:
        return [CheckResult("models", CheckStatus.FAIL, f"{type(exc).__name__}: {str(exc)[:300]}",
                            time.perf_counter() - started)]


def _check_terminology(settings: Settings) -> tuple[CheckStatus, str]:
    """Which terminology copy is in use and why; a site copy that is not used fails, so
    IT either removes it or forces it (``terminology install --allow-older``)."""
    from clinic_app.core.terminology.site import choose_terminology, site_terminology_dir

    choice = choose_terminology(site_terminology_dir(settings))
    detail = f"{choice.terminology.id} {choice.version} ({choice.source.value} copy): {choice.why}"
    return (CheckStatus.FAIL if choice.site_ignored else CheckStatus.PASS), detail


def _qt_targets() -> list[tuple[str, dict[str, str]]]:
    """Offscreen always; the real desktop platform too when there is one to connect to."""
    targets = [("qt offscreen", {"QT_QPA_PLATFORM": "offscreen"})]
    desktop = sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    requested = os.environ.get("QT_QPA_PLATFORM", "")
    if desktop and requested != "offscreen":
        targets.append(("qt desktop", {}))
    return targets


def _qt_item(name: str, job: Future[tuple[child_probe.ProbeResult, float]]) -> CheckResult:
    result, seconds = job.result()
    if not result.ok:
        hint = ""
        if "xcb" in (result.error + result.stderr):
            hint = " (missing X11 libraries: install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)"
        return CheckResult(name, CheckStatus.FAIL, f"Qt did not start: {result.error}{hint}", seconds)
    data = result.data
    svg = {True: ", SVG icon drawn", None: "", False: ", SVG failed"}[data.get("svg")]
    spaces = data.get("workspaces") or []
    loaded = f", {len(spaces)} workspaces load ({', '.join(spaces)})" if spaces else ""
    return CheckResult(name, CheckStatus.PASS, f"Qt {data.get('qt')} (PySide6 {data.get('pyside')}) started "
                       f"on platform '{data.get('platform')}', drew a widget{svg}{loaded}",
                       seconds)


def _ort_item(job: Future[tuple[child_probe.ProbeResult, float]], preference: str,
              info: dict[str, Any] | None) -> CheckResult:
    result, seconds = job.result()
    if not result.ok:
        return CheckResult("onnxruntime", CheckStatus.FAIL, f"no session: {result.error}", seconds)
    data = result.data
    actual = data.get("providers") or ["?"]
    requested = data.get("requested") or []
    detail = (f"onnxruntime {data.get('version')}: requested {', '.join(_short(requested))}; "
              f"running on {_short([actual[0]])[0]}")
    if preference == "cpu":
        why = "CPU-only bundle" if info and info.get("variant") == "cpu" else "gpu_preference = cpu"
        return CheckResult("onnxruntime", CheckStatus.PASS, f"{detail} ({why})", seconds)
    if not requested or actual[0] == requested[0]:
        return CheckResult("onnxruntime", CheckStatus.PASS, detail, seconds)
    reason = _provider_failure(result.stderr)
    if _nvidia_gpu_present():
        return CheckResult("onnxruntime", CheckStatus.FAIL, (
            f"{detail}: an NVIDIA GPU is present but {_short([requested[0]])[0]} could not be "
            f"used{reason}. Install the CUDA and cuDNN runtime onnxruntime needs (see "
            "packaging/README.md), or set gpu_preference = \"cpu\" to accept the CPU"), seconds)
    return CheckResult("onnxruntime", CheckStatus.PASS, f"{detail} (no NVIDIA GPU found{reason})", seconds)


def _short(providers: list[str]) -> list[str]:
    return [p.removesuffix("ExecutionProvider") for p in providers]


_MISSING_LIBRARY = re.compile(
    r"([\w.+-]+\.(?:so[.\d]*|dll|dylib))\W+(?:cannot open shared object|"
    r"The specified module could not be found|image not found)")


def _provider_failure(stderr: str) -> str:
    """The libraries onnxruntime said it could not load, from its stderr."""
    missing = sorted(set(_MISSING_LIBRARY.findall(stderr)))
    return f"; missing {', '.join(missing)}" if missing else ""


def _nvidia_gpu_present() -> bool:
    if sys.platform.startswith("linux"):
        return Path("/proc/driver/nvidia/version").exists()
    return shutil.which("nvidia-smi") is not None
