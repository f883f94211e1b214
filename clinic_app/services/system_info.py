"""What IT needs to know about this workstation: versions, working providers, GPU, store size.

"Available" is not "working": onnxruntime-gpu lists CUDA and TensorRT on machines with
no GPU and then quietly runs on the CPU. :func:`probe_providers` therefore creates a real
session on each listed provider with a one-node model and reports the provider the
session actually got (``get_providers()[0]``). The model is encoded here by hand (a few
protobuf fields) because the ``onnx`` package is not a runtime dependency.

Nothing here touches patient data: store sizes are file sizes, never contents.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import platform
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clinic_app import __version__
from clinic_app.core.inference.providers import CPU, PROVIDER_ORDER, quiet_onnxruntime
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.core.tasks import NEVER_CANCELLED, CancelToken, Progress, no_progress
from clinic_app.services.context import ServiceContext
from clinic_app.services.session import Session

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
class ProviderCheck:
    provider: str
    works: bool
    detail: str


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


# -- a one-node ONNX model, encoded by hand ------------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def identity_model(size: int = 4) -> bytes:
    """ModelProto: y = Identity(x), x and y float32[1, size], opset 13, IR version 8."""
    dim = _field(1, _field(1, 1)) + _field(1, _field(1, size))
    tensor_type = _field(1, _field(1, 1) + _field(2, dim))  # elem_type FLOAT, shape
    value_type = _field(2, tensor_type)
    node = _field(1, b"x") + _field(2, b"y") + _field(3, b"probe") + _field(4, b"Identity")
    graph = (_field(1, node) + _field(2, b"provider-probe")
             + _field(11, _field(1, b"x") + value_type) + _field(12, _field(1, b"y") + value_type))
    opset = _field(1, b"") + _field(2, 13)
    return _field(1, 8) + _field(8, opset) + _field(7, graph)


def probe_providers(progress: Progress = no_progress,
                    cancel: CancelToken = NEVER_CANCELLED) -> list[ProviderCheck]:
    """Create a session on every provider onnxruntime lists; report what each really got."""
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError as exc:
        return [ProviderCheck("onnxruntime", False, f"cannot be imported ({type(exc).__name__})")]
    quiet_onnxruntime()
    available = list(ort.get_available_providers())
    ordered = [p for p in PROVIDER_ORDER if p in available] + \
              [p for p in available if p not in PROVIDER_ORDER]
    model = identity_model()
    feed = {"x": np.arange(4, dtype=np.float32).reshape(1, 4)}
    checks: list[ProviderCheck] = []
    for done, provider in enumerate(ordered):
        cancel.raise_if_cancelled()
        progress(done, len(ordered), f"Testing {provider}")
        options = ort.SessionOptions()
        options.log_severity_level = 4
        try:
            requested = [provider] if provider == CPU else [provider, CPU]
            # onnxruntime's Python layer print()s "EP Error ... Falling back"; we report it.
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                sess = ort.InferenceSession(model, sess_options=options, providers=requested)
            got = sess.get_providers()[0]
            out = sess.run(None, feed)[0]
            ok = bool(np.array_equal(out, feed["x"]))
        except Exception as exc:  # a provider that fails is the finding, not an error
            checks.append(ProviderCheck(provider, False, f"session failed ({type(exc).__name__})"))
            continue
        if got != provider:
            checks.append(ProviderCheck(provider, False, f"listed, but the session ran on {got}"))
        elif not ok:
            checks.append(ProviderCheck(provider, False, "ran, but returned a wrong result"))
        else:
            checks.append(ProviderCheck(provider, True, "session created and ran"))
    progress(len(ordered), len(ordered), "")
    return checks


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
        providers = probe_providers(progress, cancel) if probe else []
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


def working_providers(checks: Sequence[ProviderCheck]) -> list[str]:
    return [c.provider for c in checks if c.works]
