"""What IT needs to know about this workstation: versions, working providers, GPU, store size.

"Available" is not "working": onnxruntime-gpu lists CUDA and TensorRT on machines with
no GPU and then quietly runs on the CPU. The provider check therefore creates a real
session on each listed provider (``core.inference.provider_check``), and it does so in a
**child process** (``core/child_probe.py``, the self-test's probe runner): a broken CUDA
driver can take down the process that loads it, and that must not be the GUI. The
report then holds either each provider's result or one clear failure line.

Nothing here touches patient data: store sizes are file sizes, never contents.
"""

from __future__ import annotations

import importlib.metadata
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from clinic_app import __version__
from clinic_app.core.child_probe import ProbeResult, run_probe
from clinic_app.core.inference.provider_check import ProviderCheck
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

#: Seconds the child process may take to try every provider (TensorRT's first session
#: can take long on a cold machine); after that the check is reported as hung.
PROVIDER_PROBE_TIMEOUT_S = 120.0

#: Distributions whose versions IT is asked about (name shown, distribution names tried).
COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pydicom", ("pydicom",)),
    ("pylibjpeg", ("pylibjpeg",)),
    ("pylibjpeg-libjpeg (JPEG)", ("pylibjpeg-libjpeg",)),
    ("pylibjpeg-openjpeg (JPEG 2000)", ("pylibjpeg-openjpeg",)),
    ("pylibjpeg-rle (RLE)", ("pylibjpeg-rle",)),
    ("pyjpegls (JPEG-LS)", ("pyjpegls",)),
    ("onnxruntime", ("onnxruntime-gpu", "onnxruntime")),
    ("numpy", ("numpy",)),
    ("OpenCV", ("opencv-python-headless", "opencv-python")),
    ("cryptography", ("cryptography",)),
    ("sqlcipher3", ("sqlcipher3", "sqlcipher3-binary")),
)


@dataclass(frozen=True)
class ComponentVersion:
    name: str
    version: str


@dataclass(frozen=True)
class GpuInfo:
    name: str
    memory_mib: int | None
    driver: str


@dataclass(frozen=True)
class StoreUsage:
    root: Path
    files: tuple[tuple[str, int], ...]  # (name, bytes) for each database file
    blob_count: int
    blob_bytes: int

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files) + self.blob_bytes


@dataclass(frozen=True)
class SystemReport:
    versions: tuple[ComponentVersion, ...]
    providers: tuple[ProviderCheck, ...]
    gpus: tuple[GpuInfo, ...]
    store: StoreUsage
    platform: str
    log_dir: Path
    notes: tuple[str, ...] = field(default_factory=tuple)


def component_versions() -> list[ComponentVersion]:
    """Versions of clinic-app, Python and the libraries that decide what it can do."""
    out = [ComponentVersion("clinic-app", __version__),
           ComponentVersion("Python", platform.python_version())]
    for label, dists in COMPONENTS:
        version = "not installed"
        for dist in dists:
            try:
                version = importlib.metadata.version(dist)
                break
            except importlib.metadata.PackageNotFoundError:
                continue
        out.append(ComponentVersion(label, version))
    out.append(ComponentVersion("SQLCipher", sqlcipher_version()))
    return out


def sqlcipher_version() -> str:
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        try:
            row = conn.execute("PRAGMA cipher_version").fetchone()
        finally:
            conn.close()
        return f"{row[0] if row else 'unknown'} (SQLite {sqlcipher3.sqlite_version})"
    except Exception as exc:  # reported, not raised: this is a diagnostic screen
        return f"unavailable ({type(exc).__name__})"


def nvidia_gpus(timeout_s: float = 5.0) -> list[GpuInfo]:
    """GPUs as the NVIDIA driver reports them; empty without a driver (no error)."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return []
    try:
        result = subprocess.run(
            [tool, "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    gpus = []
    for line in result.stdout.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[0]:
            memory = int(parts[1]) if parts[1].isdigit() else None
            gpus.append(GpuInfo(parts[0], memory, parts[2]))
    return gpus


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class SystemInfoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def versions(self) -> list[ComponentVersion]:
        """Versions only: no session needed (the About box shows them before sign-in too)."""
        return component_versions()

    def store_usage(self) -> StoreUsage:
        layout = self.ctx.layout
        files: list[tuple[str, int]] = []
        for path in (layout.keyring, layout.system, layout.clinical):
            for suffix in ("", "-wal"):
                candidate = path.with_name(path.name + suffix)
                if candidate.exists():
                    files.append((candidate.name, _size(candidate)))
        count = total = 0
        if layout.blobs.is_dir():
            for blob in layout.blobs.rglob("*"):
                if blob.is_file():
                    count += 1
                    total += _size(blob)
        return StoreUsage(layout.root, tuple(files), count, total)

    def report(self, session: Session, *, probe: bool = True, progress: Progress = no_progress,
               cancel: CancelToken = NEVER_CANCELLED) -> SystemReport:
        """Everything on the System information screen; probing providers takes seconds."""
        self.ctx.begin(session, Permission.SYSTEM_INFO)
        notes: list[str] = []
        providers = providers_in_child(progress, cancel) if probe else []
        if self.ctx.settings.gpu_preference == "cpu":
            notes.append("GPU preference is 'cpu': models run on the CPU even where a GPU works.")
        report = SystemReport(
            versions=tuple(component_versions()), providers=tuple(providers),
            gpus=tuple(nvidia_gpus()), store=self.store_usage(),
            platform=f"{platform.system()} {platform.release()} ({platform.machine()}), "
                     f"Python {sys.version.split()[0]}",
            log_dir=self.ctx.settings.effective_log_dir, notes=tuple(notes))
        self.ctx.audit(session, EventCode.APPLICATION_ACTIVITY, "system.info",
                       detail={"probed": probe,
                               "working": [p.provider for p in providers if p.works]})
        return report


def providers_in_child(progress: Progress = no_progress,
                       cancel: CancelToken = NEVER_CANCELLED) -> list[ProviderCheck]:
    """The provider check, run in a child process so a crashing driver cannot end this one."""
    progress(0, 1, "Testing execution providers in a separate process")
    result = run_probe("providers", timeout=PROVIDER_PROBE_TIMEOUT_S, cancel=cancel)
    progress(1, 1, "")
    return provider_checks(result)


def provider_checks(result: ProbeResult) -> list[ProviderCheck]:
    """The child's answer as checks, or one failed check that says what happened to it."""
    rows = result.data.get("checks") if result.ok else None
    if isinstance(rows, list) and rows:
        try:
            return [ProviderCheck(str(r["provider"]), bool(r["works"]), str(r["detail"]))
                    for r in rows]
        except (KeyError, TypeError):
            pass
    why = result.error or "it gave no usable answer"
    return [ProviderCheck("onnxruntime", False,
                          f"the provider check failed in its separate process ({why}); the "
                          "app itself is unaffected. Run 'clinic-app --self-test' for details.")]
